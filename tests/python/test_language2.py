"""Language 2 through Python: partial dates and number ranges in dict cases, `imprecise` in the
result dicts (the same as the JSON contract), presumptions, and calendar arithmetic."""

from __future__ import annotations

import json

import pytest

import bia

PACK = """
pack l2 version "1.0.0" "Language 2"
language 2
fact child.birth_date : date
fact age.assessed : number
fact child.alone : bool
let age = years(child.birth_date, today)
level low
level high at 10
rule minor "Minor" score 10 when age < 18
rule assessed_minor "Assessed minor" when age.assessed < 18
rule presumed "Presumed child alone" when possibly(today < child.birth_date + 18 years) and child.alone
"""

AS_OF = "2026-03-10"


def test_intervals_and_imprecise_in_dicts_match_the_json():
    pack = bia.compile(PACK)
    case = {"child": {"birth_date": "2008", "alone": True}, "age": {"assessed": {"min": 16, "max": 18}}}
    r = pack.evaluate(case, as_of=AS_OF)
    assert [u["rule"] for u in r["undetermined"]] == ["minor", "assessed_minor"]
    assert r["imprecise"] == ["child.birth_date", "age.assessed"]
    assert [f["rule"] for f in r["fired"]] == ["presumed"]
    assert r == json.loads(pack.report(json.dumps(case), as_of=AS_OF, format="json"))
    # evaluate_many gives the same dicts, and a precise case has no `imprecise` key at all.
    precise = {"child": {"birth_date": "2009-05-17", "alone": False}, "age": {"assessed": 17}}
    many = pack.evaluate_many([case, precise], as_of=AS_OF)
    assert many[0] == r
    assert "imprecise" not in many[1]
    assert [f["rule"] for f in many[1]["fired"]] == ["minor", "assessed_minor"]


def test_bad_intervals_are_fact_errors_with_paths():
    pack = bia.compile(PACK)
    with pytest.raises(bia.FactError) as info:
        pack.evaluate({"age": {"assessed": {"min": 18, "max": 16}}}, as_of=AS_OF)
    assert info.value.path == "age.assessed"
    assert 'the range\'s "min" is greater than its "max"' in str(info.value)
    with pytest.raises(bia.FactError) as info:
        pack.evaluate({"child": {"birth_date": "2009-13"}}, as_of=AS_OF)
    assert info.value.path == "child.birth_date"
    assert "2009-13" not in str(info.value)
