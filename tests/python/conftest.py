"""Shared fixtures for the Python binding's tests: the small test pack, a fixed as-of date, sample cases."""

from __future__ import annotations

import pathlib

import pytest

import bia

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PACKS = HERE / "packs"
MINI = PACKS / "mini.bia"
PROTECT = ROOT / "rules" / "protect"
AS_OF = "2026-03-10"


@pytest.fixture(scope="session")
def mini() -> bia.Pack:
    return bia.load(MINI)


@pytest.fixture(scope="session")
def mini_source() -> str:
    return MINI.read_text(encoding="utf-8")


def protect_pack() -> bia.Pack:
    """The real PROTECT pack, where the repository has it."""
    if not PROTECT.exists():
        pytest.skip("rules/protect is not in this checkout")
    return bia.load(PROTECT)


# A case that fires no_guardian (with a known anchor), young_child and siblings,
# and leaves trafficking undetermined.
CASE = {
    "child": {"birth_date": "2017-05-01", "unaccompanied": True, "gender": "boy"},
    "family": {"siblings": 2},
    "case": {"arrived_on": "2026-03-01"},
}

# Nothing known: every rule that can be undetermined is.
EMPTY: dict = {}

SAMPLE_CASES = [
    CASE,
    EMPTY,
    {"child": {"indicators": ["debt_bondage"]}},
    {"child": {"indicators": []}, "guardian": {"appointed_on": "2026-01-01"}, "child_extra": 1},
    {"child": {"birth_date": "2011-02-28", "gender": "girl", "unaccompanied": True}},
    {"child": {"unaccompanied": False, "birth_date": "2020-02-29"}, "family": {"siblings": 0}},
    {"child": {"indicators": ["long_hours", "confiscated_documents", "long_hours"]}, "family": {"siblings": 1.5}},
    {"child": None, "case": {"arrived_on": None}},
]
