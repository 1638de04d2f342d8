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


LISTS = """
pack lists version "1.0.0" "Lists"
language 2
record member "A family member"
  relation : one of {"mother", "father", "sibling", "other"}
  located : bool "Has the member been located?"
  birth_date : date
fact family.members : list of member up to 4 "Family members"
level low
level high at 10
rule sibling_unlocated "A sibling not located" score 10 when any m in family.members: m.relation = "sibling" and not m.located
rule two_unlocated "Two not located" when count(m in family.members where not m.located) >= 2
"""


def test_lists_in_dicts_frames_and_many_match_the_json():
    pack = bia.compile(LISTS)
    members = [{"relation": "sibling", "located": False}, {"relation": "mother"}]
    case = {"family": {"members": members}}
    r = pack.evaluate(case, as_of=AS_OF)
    assert [f["rule"] for f in r["fired"]] == ["sibling_unlocated"]
    assert [u["rule"] for u in r["undetermined"]] == ["two_unlocated"]
    assert r["missing"] == ["family.members[1].located"]
    assert r == json.loads(pack.report(json.dumps(case), as_of=AS_OF, format="json"))
    # A tuple is a list too, and a date object a date.
    import datetime

    as_tuple = {"family": {"members": ({"relation": "sibling", "located": False, "birth_date": datetime.date(2010, 1, 2)},)}}
    assert [f["rule"] for f in pack.evaluate(as_tuple, as_of=AS_OF)["fired"]] == ["sibling_unlocated"]
    # evaluate_many, and no list at all: the list is what is missing.
    many = pack.evaluate_many([case, {}], as_of=AS_OF)
    assert many[0] == r
    assert many[1]["missing"] == ["family.members"]


def test_a_frame_column_may_hold_lists():
    pd = pytest.importorskip("pandas")
    pack = bia.compile(LISTS)
    frame = pd.DataFrame(
        {
            "family.members": [
                [{"relation": "sibling", "located": False}],
                [],
                None,
                [{"located": False}, {"located": False}, {}],
            ]
        }
    )
    out = pack.evaluate_frame(frame, as_of=AS_OF)
    assert list(out["level"]) == ["high", "low", "low", "low"]
    assert list(out["fired"]) == [["sibling_unlocated"], [], [], ["two_unlocated"]]


def test_list_errors_name_the_element_path_not_the_value():
    pack = bia.compile(LISTS)
    with pytest.raises(bia.FactError) as info:
        pack.evaluate({"family": {"members": [{"relation": "aunt-Amira"}]}}, as_of=AS_OF)
    assert info.value.path == "family.members[0].relation"
    assert "Amira" not in str(info.value)
    with pytest.raises(bia.FactError) as info:
        pack.evaluate({"family": {"members": [{}] * 5}}, as_of=AS_OF)
    assert info.value.path == "family.members"
    assert "more than 4 elements" in str(info.value)


def test_pack_facts_describe_a_list():
    pack = bia.compile(LISTS)
    (members,) = pack.facts
    assert members.kind == "list"
    assert members.type == "list of member up to 4"
    assert members.record == "member"
    assert members.capacity == 4
    assert [(f.path, f.kind) for f in members.fields] == [("relation", "one_of"), ("located", "bool"), ("birth_date", "date")]
    assert members.fields[1].description == "Has the member been located?"
    assert members.fields[2].imprecise and not members.fields[2].never
    # Synthetic cases fill lists with elements of the record.
    from bia import synthetic

    cases = synthetic.synthetic_cases(pack, 50, seed=1, as_of=AS_OF)
    assert any(c.get("family", {}).get("members") for c in cases)
    for c in cases:
        pack.evaluate(c, as_of=AS_OF)
