"""`bia` and `python -m bia` are the C++ `bia` command: every subcommand, the same output and exit codes
(0 done, 1 pack, fact or I/O error, 2 usage)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bia.__main__
from conftest import AS_OF, CASE, MINI, PROTECT, ROOT


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


# The ways to run `bia` that must agree: the program in the wheel, the console script pip installs
# next to this interpreter, `python -m bia`, and (when the test runner names one in BIA_CLI) the
# `bia` of a C++ build by hand, as scripts/test.d/50-python.sh does.
def commands():
    found = {
        "wheel binary": [bia.__main__.command_path()],
        "console script": [str(Path(sys.executable).parent / "bia")],
        "python -m bia": [sys.executable, "-m", "bia"],
    }
    if os.environ.get("BIA_CLI"):
        found["C++ build"] = [os.environ["BIA_CLI"]]
    return found


def run_all(args, stdin=None):
    """{way: (exit code, stdout, stderr)} for one invocation, run from the repository root."""
    out = {}
    for way, command in commands().items():
        r = subprocess.run([*command, *map(str, args)], input=stdin, capture_output=True, cwd=ROOT)
        out[way] = (r.returncode, r.stdout, r.stderr)
    return out


def test_the_wheel_carries_the_cpp_command():
    exe = Path(bia.__main__.command_path())
    assert exe.is_file() and os.access(exe, os.X_OK)
    assert exe.read_bytes()[:4] == b"\x7fELF"  # the compiled command, not a Python stand-in
    script = Path(sys.executable).parent / "bia"
    assert script.is_file(), "pip installs no `bia` console script"
    if os.environ.get("BIA_CLI"):
        assert Path(os.environ["BIA_CLI"]).is_file(), "BIA_CLI names no file"


CASES_DIR = ROOT / "examples" / "cases"
INVOCATIONS = {
    # docs/training.md: the PROTECT pack's own tests, at full coverage.
    "test_coverage": (["test", "rules/protect", "--coverage"], None, 0),
    "run_text": (["run", "rules/protect", "examples/cases/dawit_new_arrival.json", "--as-of", "2026-03-01"], None, 0),
    "run_json": (["run", "rules/protect", "examples/cases/amina.json", "--as-of", "2026-03-01", "--format", "json"],
                 None, 0),
    "run_stdin": (["run", "rules/protect", "-", "--as-of", "2026-03-01", "--format", "html"],
                  (CASES_DIR / "joy_trafficking_indicators.json").read_bytes() if CASES_DIR.exists() else b"{}", 0),
    "explain": (["explain", "rules/protect", "examples/cases/unknown_boy_station.json", "guardian_none",
                 "--as-of", "2026-03-01"], None, 0),
    "explain_unknown_rule": (["explain", "rules/protect", "examples/cases/unknown_boy_station.json", "no_such_rule",
                              "--as-of", "2026-03-01"], None, 1),
    "batch": (["batch", str(MINI), "-", "--as-of", AS_OF, "--threads", "2"],
              (json.dumps(CASE) + "\n" + '{"child": {"birth_date": 5}}' + "\n").encode(), 1),
    "check_stdin": (["check", "-"], MINI.read_bytes(), 0),
    "missing_case": (["run", str(MINI), "no/such/case.json", "--as-of", AS_OF], None, 1),
    "unknown_command": (["frobnicate"], None, 2),
    "bad_as_of": (["run", str(MINI), "-", "--as-of", "2026-13-01"], b"{}", 2),
    "version": (["--version"], None, 0),
    "help": (["--help"], None, 0),
}


@pytest.mark.parametrize("name", sorted(INVOCATIONS))
def test_every_way_is_the_same_command(name):
    if not PROTECT.exists():
        pytest.skip("uses rules/protect and examples/cases")
    args, stdin, code = INVOCATIONS[name]
    results = run_all(args, stdin)
    expected = results["wheel binary"]
    assert expected[0] == code, expected[2].decode(errors="replace")
    assert expected[1] or expected[2], "the command said nothing"
    for way, got in results.items():
        assert got == expected, f"{way} differs from the wheel's binary for bia {' '.join(args)}"


def test_protect_tests_pass_at_full_coverage():
    if not PROTECT.exists():
        pytest.skip("rules/protect is not in this checkout")
    code, out, _ = run_all(["test", "rules/protect", "--coverage"])["console script"]
    assert code == 0
    assert b"(100.0%)" in out and b" 0 failed" in out


def test_main_called_with_arguments_returns_the_exit_code(tmp_path, capfd):
    assert bia.__main__.main(["check", str(MINI)]) == 0
    assert "ok: pack mini" in capfd.readouterr().out
    assert bia.__main__.main(["check", str(tmp_path / "missing.bia")]) == 1
    assert bia.__main__.main(["frobnicate"]) == 2
