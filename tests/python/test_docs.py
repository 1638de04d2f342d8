"""Every Python block of docs/python.md runs, in order, from the repository root."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import PROTECT, ROOT

DOC = ROOT / "docs" / "python.md"
BLOCK = re.compile(r"(?P<before>[^\n]*)\n```python\n(?P<code>.*?)\n```", re.S)


def blocks():
    text = DOC.read_text(encoding="utf-8")
    return [m.group("code") for m in BLOCK.finditer(text) if "not run here" not in m.group("before")]


def test_docs_have_examples():
    assert len(blocks()) >= 8


def test_python_md_examples_run(monkeypatch):
    if not PROTECT.exists():
        pytest.skip("the guide's examples use rules/protect")
    pytest.importorskip("pandas")
    pytest.importorskip("dask.distributed")
    monkeypatch.chdir(ROOT)
    # As in a script run directly, so that `if __name__ == "__main__":` blocks run too.
    namespace: dict = {"__name__": "__main__"}
    for number, code in enumerate(blocks(), 1):
        try:
            exec(compile(code, f"docs/python.md block {number}", "exec"), namespace)
        except Exception as error:  # pragma: no cover - the message is what matters
            raise AssertionError(f"docs/python.md block {number} failed: {error!r}\n{code}") from error


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
