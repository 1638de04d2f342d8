"""bia.synthetic: the realistic PROTECT cohort is deterministic, valid, spread over all four levels and
follows the frequencies docs/python.md gives; the uniform generator is the benchmarks' and stays as it was."""

from __future__ import annotations

import collections
import hashlib
import json
import re

import pytest

from bia.synthetic import realistic_cases, realistic_frame, realistic_json, synthetic_json
from conftest import protect_pack

AS_OF = "2026-03-01"
N = 20_000
# sha256 of synthetic_json(PROTECT 1.3.0, 1000, seed=1, as_of=AS_OF) joined by newlines. PROTECT 1.3.0 added
# facts (lists among them, which the generator now fills); the generator is unchanged for the others: on
# PROTECT 1.2.0 (the pack at 620f9f2^1) it still gives 1.2.0's digest, 2d6f10b4...ca0ae23491, taken before
# realistic_* existed (commit 0124a93).
UNIFORM_DIGEST = "91a3b59b6e7a410900e34d509e8674b2258d0e9e0afb23a6bab2ab452e08a021"


@pytest.fixture(scope="module")
def protect():
    return protect_pack()


@pytest.fixture(scope="module")
def cohort(protect):
    return realistic_json(protect, N, seed=1, as_of=AS_OF)


def test_same_seed_same_cases_other_seed_other_cases(protect, cohort):
    assert realistic_json(protect, 500, seed=1, as_of=AS_OF) == cohort[:500]
    assert realistic_json(protect, 500, seed=2, as_of=AS_OF) != cohort[:500]


def test_every_case_is_valid_for_the_pack(protect, cohort):
    # strict: a field the pack does not declare is an error too; errors="raise" fails at the first fact error.
    results = protect.evaluate_many(cohort, as_of=AS_OF, strict=True, format="summary")
    assert len(results) == N


def test_levels_spread_over_all_four(protect, cohort):
    levels = collections.Counter(r["level"] for r in protect.evaluate_many(cohort, as_of=AS_OF, format="summary"))
    assert set(levels) == {"low", "medium", "high", "critical"}, levels
    # None of them the whole picture, as with the uniform generator (19,481 of 20,000 critical).
    assert max(levels.values()) < 0.6 * N, levels
    assert min(levels.values()) > 0.03 * N, levels


def share(values, wanted):
    values = list(values)
    return sum(v == wanted for v in values) / len(values)


def test_frequencies_within_tolerance(protect, cohort):
    cases = [json.loads(c) for c in cohort]
    separation = [c.get("child", {}).get("separation") for c in cases]
    known = [s for s in separation if s is not None]
    # Eurostat 2023: 17% of first-time asylum applicants under 18 were unaccompanied (5% of values unknown).
    assert share(known, "unaccompanied") == pytest.approx(0.17, abs=0.01)
    assert share(separation, None) == pytest.approx(0.05, abs=0.01)
    # Eurostat 2019: of unaccompanied minors, 67% were 16-17, 22% 14-15 and 11% under 14.
    ages = []
    for c in cases:
        if c.get("child", {}).get("separation") == "unaccompanied" and "birth_date" in c["child"]:
            born = c["child"]["birth_date"]
            y, m, d = (int(x) for x in born.split("-"))
            ages.append(2026 - y - ((m, d) > (3, 1)))
    assert all(0 <= a <= 17 for a in ages)
    assert share([a >= 16 for a in ages], True) == pytest.approx(0.67, abs=0.04)
    assert share([14 <= a <= 15 for a in ages], True) == pytest.approx(0.22, abs=0.04)
    # Invented (docs/python.md): a guardian for nearly every child alone who has been here three weeks;
    # nobody records a guardian for a child with parents.
    alone = [c for c in cases if c.get("child", {}).get("separation") in ("unaccompanied", "separated")]
    appointed = [c.get("guardian", {}).get("appointed") for c in alone if "guardian" in c]
    assert 0.8 < share(appointed, True) < 0.98
    assert not any("guardian" in c for c in cases if c.get("child", {}).get("separation") == "accompanied")
    # Invented: nearly every child has applied for asylum.
    status = [c.get("procedure", {}).get("asylum_status") for c in cases]
    assert share([s for s in status if s], "not_applied") == pytest.approx(0.05, abs=0.01)


def test_no_date_after_as_of(cohort):
    dates = re.findall(r'"(\d{4}-\d{2}-\d{2})"', "\n".join(cohort))
    assert len(dates) > N and max(dates) <= AS_OF


def test_frame_and_dicts_are_the_same_cohort(protect):
    frame = realistic_frame(protect, 300, seed=4, as_of=AS_OF)
    assert len(frame) == 300 and list(frame.columns) == [f.path for f in protect.facts]
    by_frame = protect.evaluate_frame(frame, as_of=AS_OF)
    by_dicts = protect.evaluate_many(realistic_cases(protect, 300, seed=4, as_of=AS_OF), as_of=AS_OF)
    assert list(by_frame["level"].astype(str)) == [r["level"] for r in by_dicts]


def test_other_packs_get_uniform_draws_for_facts_the_profile_does_not_know(mini):
    cases = realistic_cases(mini, 200, seed=3, as_of=AS_OF)
    assert sum(bool(c) for c in cases) > 150
    mini.evaluate_many(cases, as_of=AS_OF)  # valid for that pack too


def test_uniform_generator_is_unchanged(protect):
    # The benchmarks' cohort must stay the same so that their figures stay comparable. (A new PROTECT
    # version with other facts changes it too: then take the digest again, from the old generator.)
    text = "\n".join(synthetic_json(protect, 1000, seed=1, as_of=AS_OF))
    assert hashlib.sha256(text.encode()).hexdigest() == UNIFORM_DIGEST
