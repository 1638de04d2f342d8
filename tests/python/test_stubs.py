"""The type stubs (bia/__init__.pyi) match the package at run time (mypy's stubtest)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import HERE

ALLOWLIST = HERE / "stubtest-allowlist.txt"


def test_stubs_match_runtime(tmp_path):
    pytest.importorskip("mypy")
    run = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "bia", "--ignore-missing-stub", "--allowlist", str(ALLOWLIST),
         "--ignore-unused-allowlist"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_package_is_typed():
    import importlib.resources

    assert importlib.resources.files("bia").joinpath("py.typed").is_file()
    assert importlib.resources.files("bia").joinpath("__init__.pyi").is_file()
