"""`python -m bia`: check and run, with the C++ CLI's exit codes (0 ok, 1 pack or fact error, 2 usage)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import AS_OF, CASE, MINI


def bia_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "bia", *map(str, args)], input=stdin, capture_output=True, text=True)


def test_check(tmp_path):
    ok = bia_cli("check", MINI)
    assert ok.returncode == 0 and "mini" in ok.stdout
    bad = tmp_path / "bad.bia"
    bad.write_text("pack\n")
    r = bia_cli("check", bad)
    assert r.returncode == 1 and "bad.bia:" in r.stderr
    assert bia_cli("check", tmp_path / "missing.bia").returncode == 1


def test_run_json_and_text(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE))
    r = bia_cli("run", MINI, case, "--as-of", AS_OF, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["level"] == "high"
    r = bia_cli("run", MINI, "-", f"--as-of={AS_OF}", stdin=json.dumps(CASE))
    assert r.returncode == 0 and "Unaccompanied child has no guardian" in r.stdout


def test_run_errors(tmp_path):
    case = tmp_path / "case.json"
    case.write_text('{"child": {"birth_date": 5}}')
    assert bia_cli("run", MINI, case, "--as-of", AS_OF).returncode == 1
    assert bia_cli("run", MINI, case, "--as-of", "2026-13-01").returncode == 2
    assert bia_cli("frobnicate").returncode == 2
    assert bia_cli("run", MINI).returncode == 2
