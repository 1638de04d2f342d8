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


def test_mypy_catches_a_misspelt_result_key(tmp_path):
    # Results are TypedDicts in the stubs (bia/_types.py): r["levle"] is a type error, r["level"] is str.
    pytest.importorskip("mypy")
    import os
    import pathlib

    import bia

    source = tmp_path / "use_bia.py"
    source.write_text(
        "import bia\n"
        "pack = bia.compile('pack p version \"1.0.0\" \"t\"\\nlevel low\\n')\n"
        "r = pack.evaluate({})\n"
        "level: str = r['level']\n"
        "for w in r['warnings']:\n"
        "    print(w['path'], w.get('suggestion'))\n"
        "print(r['levle'])\n"
        "for s in pack.evaluate_many([], format='summary'):\n"
        "    print(s['fired'], s['scroe'])\n"
        "for text in pack.evaluate_many([], format='json'):\n"
        "    print(text.upper())\n"
    )
    # mypy finds an installed package (it has py.typed) by itself and refuses site-packages on
    # MYPYPATH; a package imported from a build tree (PYTHONPATH) must be named to it.
    env = dict(os.environ)
    package_parent = pathlib.Path(bia.__file__).resolve().parent.parent
    if not {"site-packages", "dist-packages"} & set(package_parent.parts):
        env["MYPYPATH"] = str(package_parent)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--ignore-missing-imports", str(source)],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 2, out
    assert '"levle"' in errors[0] and ":7:" in errors[0], out
    assert '"scroe"' in errors[1] and ":9:" in errors[1], out
