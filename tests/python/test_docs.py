"""Every Python block of README.md and docs/*.md runs, in order, from the repository root, one namespace per
document; a block either runs here or is skipped for a reason given next to it or in ELSEWHERE."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import PROTECT, ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(?P<before>[^\n]*)\n```python\n(?P<code>.*?)\n```", re.S)
# Blocks run by another test, by what they contain; an entry that matches no block fails.
ELSEWHERE = {
    "ctypes.CDLL(": "loads libbia_c.so.1, which the Python package does not install: the embed.docs ctest runs "
                    "it against a staged install of the C library",
}


def all_blocks(doc):
    """(code, why it is not run here or None) for every Python block of ``doc``."""
    found = []
    for m in BLOCK.finditer(doc.read_text(encoding="utf-8")):
        code = m.group("code")
        why = "marked 'not run here'" if "not run here" in m.group("before") else None
        why = why or next((reason for marker, reason in ELSEWHERE.items() if marker in code), None)
        found.append((code, why))
    return found


def blocks(doc=ROOT / "docs" / "python.md"):
    return [code for code, why in all_blocks(doc) if why is None]


def test_docs_have_examples():
    assert len(blocks()) >= 8


def test_every_skip_reason_is_used():
    codes = [code for doc in DOCS for code, _ in all_blocks(doc)]
    assert all(any(marker in code for code in codes) for marker in ELSEWHERE), "a stale ELSEWHERE entry"


@pytest.mark.parametrize("doc", [d for d in DOCS if blocks(d)], ids=lambda d: d.name)
def test_doc_examples_run(doc, monkeypatch):
    if not PROTECT.exists():
        pytest.skip("the guide's examples use rules/protect")
    pytest.importorskip("pandas")
    pytest.importorskip("dask.distributed")
    monkeypatch.chdir(ROOT)
    # As in a script run directly, so that `if __name__ == "__main__":` blocks run too.
    namespace: dict = {"__name__": "__main__"}
    for number, code in enumerate(blocks(doc), 1):
        try:
            exec(compile(code, f"{doc.name} block {number}", "exec"), namespace)
        except Exception as error:  # pragma: no cover - the message is what matters
            raise AssertionError(f"{doc.name} block {number} failed: {error!r}\n{code}") from error


def test_dask_example_runs_as_a_script(tmp_path):
    """Section 6 as pasted into a file of its own: Dask's worker processes import the script again."""
    if not PROTECT.exists():
        pytest.skip("the guide's examples use rules/protect")
    pytest.importorskip("pandas")
    pytest.importorskip("dask.distributed")
    [code] = [block for block in blocks() if "LocalCluster(" in block]
    script = tmp_path / "dask_example.py"
    script.write_text(code + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-4000:]
    assert run.stdout.startswith("4000 {"), run.stdout
