"""Pack.run_tests (the pack's own `test` declarations) and Pack.explain."""

from __future__ import annotations

import pickle

import pytest

import bia
from conftest import AS_OF, CASE, protect_pack

FAILING = """pack t version "1.0.0" "t"
fact x : bool
level low
level high at 10
rule r "R"
  score 10
  when x
test "x makes it high"
  as of 2026-03-10
  given x = true
  expect level low
  expect fired r
"""


def test_mini_pack_tests_pass(mini):
    report = mini.run_tests()
    assert isinstance(report, bia.TestReport)
    assert report.ok and report.failed == 0 and report.passed == 2
    assert [t.name for t in report.tests] == ["unaccompanied without a guardian is high", "debt bondage is trafficking"]
    assert all(t.passed and t.line > 0 and t.path.endswith("mini.bia") for t in report.tests)
    coverage = {c.rule: c for c in report.coverage}
    assert list(coverage) == [r.name for r in mini.rules]
    assert coverage["no_guardian"].fired and coverage["no_guardian"].covered
    assert coverage["trafficking"].fired and coverage["trafficking"].undetermined
    assert not coverage["siblings"].fired and coverage["siblings"].undetermined
    assert report.coverage_percent == 100.0
    assert str(report).endswith(f"rule coverage {report.coverage_percent:.1f}%")


def test_failing_expectations_are_reported():
    report = bia.compile(FAILING, "t.bia").run_tests()
    assert not report.ok and report.failed == 1
    (test,) = report.tests
    assert not test.passed and len(test.failures) == 1
    assert "level" in test.failures[0]
    assert "t.bia" in str(report) and "0 passed, 1 failed" in str(report)


def test_unpickled_pack_runs_its_inline_tests(mini):
    assert pickle.loads(pickle.dumps(mini)).run_tests().ok


def test_protect_pack_tests_pass():
    report = protect_pack().run_tests()
    assert report.ok, str(report)


def test_explain(mini):
    e = mini.explain(CASE, "no_guardian", as_of=AS_OF)
    assert isinstance(e, bia.Explanation)
    assert (e.rule, e.outcome) == ("no_guardian", "fired")
    assert e.title == "Unaccompanied child has no guardian"
    assert e.steps[0].depth == 0 and e.steps[0].value == "true"
    assert any(s.expression == "child.unaccompanied" for s in e.steps)
    assert "no_guardian" in str(e)
    u = mini.explain({}, "trafficking", as_of=AS_OF)
    assert u.outcome == "undetermined" and u.missing == ("child.indicators",)
    n = mini.explain({"child": {"unaccompanied": False}}, "no_guardian", as_of=AS_OF)
    assert n.outcome == "not_fired"


def test_explain_errors(mini):
    with pytest.raises(KeyError):
        mini.explain({}, "no_such_rule", as_of=AS_OF)
    with pytest.raises(bia.FactError):
        mini.explain({"child": {"unaccompanied": "yes"}}, "no_guardian", as_of=AS_OF)
    with pytest.raises(bia.FactError):
        mini.explain({"child": {"name": float("nan")}}, "no_guardian", as_of=AS_OF)
