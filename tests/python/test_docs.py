"""Every Python block of docs/python.md runs, in order, from the repository root."""

from __future__ import annotations

import re

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
    namespace: dict = {"__name__": "docs_python_md"}
    for number, code in enumerate(blocks(), 1):
        try:
            exec(compile(code, f"docs/python.md block {number}", "exec"), namespace)
        except Exception as error:  # pragma: no cover - the message is what matters
            raise AssertionError(f"docs/python.md block {number} failed: {error!r}\n{code}") from error
