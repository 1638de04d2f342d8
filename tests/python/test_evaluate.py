"""Pack.evaluate: input forms, as-of, strict mode, the result contract, fact errors and hostile input."""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import json
import math

import pytest

import bia
from conftest import AS_OF, CASE, SAMPLE_CASES

CONTRACT_KEYS = [
    "engine", "pack", "as_of", "level", "possible_level", "score", "possible_score",
    "domains", "fired", "undetermined", "missing", "warnings", "ask_first",
]


def test_result_contract(mini):
    r = mini.evaluate(CASE, as_of=AS_OF)
    assert list(r)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    assert r["engine"] == bia.ENGINE_VERSION
    assert r["pack"] == {"name": "mini", "version": "0.1.0", "digest": mini.digest}
    assert r["as_of"] == AS_OF
    fired = {f["rule"]: f for f in r["fired"]}
    assert list(fired) == ["no_guardian", "young_child", "siblings"]  # pack order
    assert r["score"] == 45 and isinstance(r["score"], int)
    assert r["level"] == "high"  # no_guardian's severity
    ng = fired["no_guardian"]
    assert ng["title"] == "Unaccompanied child has no guardian"
    assert ng["domain"] == "safety" and ng["severity"] == "high" and ng["score"] == 30
    assert ng["actions"] == [
        {"text": "Appoint a qualified, independent guardian", "due": "2026-03-02", "overdue": True},
        {"text": "Review the placement", "due": "2026-03-24", "overdue": False},
    ]
    assert ng["cites"] == [{"source": "GC6", "title": "UN CRC General Comment No. 6 (2005)", "ref": "para 33"}]
    assert fired["siblings"]["actions"] == [{"text": "Keep siblings together", "due": None, "overdue": False}]
    assert fired["young_child"]["severity"] is None
    assert r["undetermined"] == [{"rule": "trafficking", "missing": ["child.indicators"]}]
    assert "child.indicators" in r["missing"]
    assert r["possible_score"] == 85
    assert r["possible_level"] == "high"
    assert list(r["domains"]) == ["safety", "family"]
    assert r["domains"]["family"]["score"] == 5
    assert r["domains"]["safety"]["score"] == 40
    assert r["warnings"] == []


@pytest.mark.parametrize("case", SAMPLE_CASES)
def test_dict_result_equals_the_json_contract(mini, case):
    """The dict is exactly json.loads of the engine's own JSON rendering."""
    expected = json.loads(mini.report(json.dumps(case), as_of=AS_OF, format="json"))
    assert mini.evaluate(case, as_of=AS_OF) == expected
    got = mini.evaluate(case, as_of=AS_OF)
    assert json.dumps(got) == json.dumps(expected)  # same key order, same int/float types


@pytest.mark.parametrize("case", SAMPLE_CASES)
def test_dict_str_and_bytes_agree(mini, case):
    text = json.dumps(case)
    a = mini.evaluate(case, as_of=AS_OF)
    assert mini.evaluate(text, as_of=AS_OF) == a
    assert mini.evaluate(text.encode(), as_of=AS_OF) == a
    assert mini.evaluate(bytearray(text.encode()), as_of=AS_OF) == a
    assert mini.evaluate(collections.OrderedDict(case), as_of=AS_OF) == a


def test_as_of_forms(mini):
    a = mini.evaluate(CASE, as_of="2026-03-10")
    assert mini.evaluate(CASE, as_of=dt.date(2026, 3, 10)) == a
    assert mini.evaluate(CASE, as_of=dt.datetime(2026, 3, 10, 23, 59)) == a
    assert mini.evaluate(CASE)["as_of"] == dt.date.today().isoformat()


@pytest.mark.parametrize("bad", ["2026-02-30", "10/03/2026", "", "2026-3-1", "yesterday"])
def test_bad_as_of_is_value_error(mini, bad):
    with pytest.raises(ValueError):
        mini.evaluate(CASE, as_of=bad)


def test_as_of_of_wrong_type_is_type_error(mini):
    with pytest.raises(TypeError):
        mini.evaluate(CASE, as_of=20260310)


def test_dates_as_python_objects(mini):
    case = {
        "child": {"birth_date": dt.date(2017, 5, 1), "unaccompanied": True, "gender": "boy"},
        "family": {"siblings": 2},
        "case": {"arrived_on": dt.datetime(2026, 3, 1, 14, 30)},
    }
    assert mini.evaluate(case, as_of=AS_OF) == mini.evaluate(CASE, as_of=AS_OF)


def test_kleene_false_and_unknown(mini):
    # unaccompanied false: no_guardian is false whatever the guardian date; not undetermined.
    r = mini.evaluate({"child": {"unaccompanied": False}}, as_of=AS_OF)
    assert "no_guardian" not in [u["rule"] for u in r["undetermined"]]
    assert "no_guardian" not in [f["rule"] for f in r["fired"]]
    # unknown unaccompanied: undetermined, and it names the missing fact.
    r = mini.evaluate({}, as_of=AS_OF)
    und = {u["rule"]: u["missing"] for u in r["undetermined"]}
    assert und["no_guardian"] == ["child.unaccompanied"]
    assert r["score"] == 0 and r["level"] == "low"


def test_undeclared_fields_warn_or_fail_in_strict_mode(mini):
    case = {"child": {"unaccompanied": True, "nickname": "x"}}
    with pytest.warns(bia.CaseWarning, match="child.nickname: is not a fact of this pack; ignored"):
        r = mini.evaluate(case, as_of=AS_OF)
    assert [w["path"] for w in r["warnings"]] == ["child.nickname"]
    assert "x" not in json.dumps(r["warnings"]).replace("child.nickname", "")
    with pytest.raises(bia.FactError) as info:
        mini.evaluate(case, as_of=AS_OF, strict=True)
    assert info.value.path == "child.nickname"


def test_a_near_miss_refuses_the_case_unless_accepted(mini):
    case = {"child": {"unacompanied": True}}
    with pytest.raises(bia.FactError) as info:
        mini.evaluate(case, as_of=AS_OF)
    assert info.value.path == "child.unacompanied"
    assert "did you mean 'child.unaccompanied'?" in str(info.value)
    with pytest.warns(bia.CaseWarning, match=r"did you mean 'child.unaccompanied'\?"):
        r = mini.evaluate(case, as_of=AS_OF, accept_near_misses=True)
    assert r["warnings"] == [
        {
            "path": "child.unacompanied",
            "message": "is not a fact of this pack; ignored (did you mean 'child.unaccompanied'?)",
            "suggestion": "child.unaccompanied",
        }
    ]
    assert r["level"] == "low"  # what v1 gave, silently
    # The dict and the JSON text agree, suggestion included.
    with pytest.warns(bia.CaseWarning):
        text = mini.report(case, as_of=AS_OF, format="json", accept_near_misses=True)
    assert json.loads(text) == r
    # Beside the fact it resembles, the field is only a warning.
    with pytest.warns(bia.CaseWarning):
        both = mini.evaluate({"child": {"unaccompanied": True, "unacompanied": True}}, as_of=AS_OF)
    assert both["fired"][0]["rule"] == "no_guardian"


def test_case_warning_is_documented_and_can_be_an_error(mini):
    assert issubclass(bia.CaseWarning, UserWarning)
    assert "did you mean" in bia.CaseWarning.__doc__
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", bia.CaseWarning)
        with pytest.raises(bia.CaseWarning):
            mini.evaluate({"note": 1}, as_of=AS_OF)
        mini.evaluate({"child": {"unaccompanied": True}}, as_of=AS_OF)  # a clean case does not warn


def test_report_shows_warnings_first_and_warns(mini):
    with pytest.warns(bia.CaseWarning, match="source_system"):
        text = mini.report({"source_system": "crm"}, as_of=AS_OF)
    assert text.index("!! WARNINGS (1)") < text.index("LEVEL:")


def test_fact_error_names_path_never_value(mini):
    secret = "Secret-Name-Of-A-Child"
    with pytest.raises(bia.FactError) as info:
        mini.evaluate({"child": {"birth_date": secret, "unaccompanied": "yes-" + secret}}, as_of=AS_OF)
    e = info.value
    assert isinstance(e, ValueError)
    assert e.path in ("child.birth_date", "child.unaccompanied")
    assert {x["path"] for x in e.errors} == {"child.birth_date", "child.unaccompanied"}
    assert e.index is None
    assert secret not in str(e)
    assert secret not in repr(e.errors)


def test_fact_error_in_a_set_names_the_element(mini):
    with pytest.raises(bia.FactError) as info:
        mini.evaluate({"child": {"indicators": ["debt_bondage", 7]}}, as_of=AS_OF)
    assert info.value.path == "child.indicators[1]"


def test_facts_of_wrong_type_are_type_errors(mini):
    for bad in (5, None, 1.5, ["a"], object()):
        with pytest.raises(TypeError):
            mini.evaluate(bad, as_of=AS_OF)


@pytest.mark.parametrize(
    "case, path",
    [
        ({"family": {"siblings": float("nan")}}, "family.siblings"),
        ({"family": {"siblings": float("inf")}}, "family.siblings"),
        ({"family": {"siblings": 10**400}}, "family.siblings"),
        ({"child": {1: True}}, "child"),
        ({"child": {"name": "\ud800"}}, "child.name"),
        ({"child": {"name": b"bytes"}}, "child.name"),
        ({"child": {"name": object()}}, "child.name"),
        ({"child": {"name": 3 + 4j}}, "child.name"),
    ],
    ids=["nan", "inf", "huge-int", "int-key", "surrogate", "bytes", "object", "complex"],
)
def test_python_values_json_cannot_hold_are_fact_errors(mini, case, path):
    with pytest.raises(bia.FactError) as info:
        mini.evaluate(case, as_of=AS_OF)
    assert path in [e["path"] for e in info.value.errors]


def test_big_ints_within_double_range_are_numbers(mini):
    r = mini.evaluate({"family": {"siblings": 2**64}}, as_of=AS_OF)
    assert "siblings" in [f["rule"] for f in r["fired"]]


def test_numpy_and_other_number_types(mini):
    np = pytest.importorskip("numpy")
    base = mini.evaluate(CASE, as_of=AS_OF)
    case = json.loads(json.dumps(CASE))
    for siblings in (np.int64(2), np.float32(2.0), np.float64(2.0), decimal.Decimal(2), np.uint8(2)):
        case["family"]["siblings"] = siblings
        case["child"]["unaccompanied"] = np.bool_(True)
        assert mini.evaluate(case, as_of=AS_OF) == base
    case["child"]["indicators"] = np.array(["debt_bondage"])
    assert "trafficking" in [f["rule"] for f in mini.evaluate(case, as_of=AS_OF)["fired"]]
    case["child"]["indicators"] = {"debt_bondage"}
    assert "trafficking" in [f["rule"] for f in mini.evaluate(case, as_of=AS_OF)["fired"]]
    case["child"]["indicators"] = ("debt_bondage",)
    assert "trafficking" in [f["rule"] for f in mini.evaluate(case, as_of=AS_OF)["fired"]]


def test_pandas_missing_markers_are_unknown(mini):
    pd = pytest.importorskip("pandas")
    r = mini.evaluate({"child": {"unaccompanied": pd.NA, "birth_date": pd.NaT}}, as_of=AS_OF)
    assert r == mini.evaluate({}, as_of=AS_OF)
    r = mini.evaluate({"child": {"birth_date": pd.Timestamp("2017-05-01")}}, as_of=AS_OF)
    assert "young_child" in [f["rule"] for f in r["fired"]]


def test_deep_nesting_is_an_error_not_a_crash(mini):
    deep: dict = {}
    node = deep
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(bia.FactError):
        mini.evaluate({"child": deep}, as_of=AS_OF)
    deep_list: list = []
    node_list = deep_list
    for _ in range(100_000):
        node_list.append([])
        node_list = node_list[0]
    with pytest.raises(bia.FactError):
        mini.evaluate({"child": {"indicators": deep_list}}, as_of=AS_OF)
    with pytest.raises(bia.FactError):
        mini.evaluate("[" * 1_000_000, as_of=AS_OF)


def test_self_referencing_dict_is_an_error(mini):
    cyclic: dict = {"x": 1}
    cyclic["self"] = cyclic
    with pytest.raises(bia.FactError):
        mini.evaluate({"child": cyclic}, as_of=AS_OF)


@pytest.mark.parametrize(
    "text",
    ["", "{", "[]", "null", "7", '{"child": {"unaccompanied": true}', "\x00\xff", '{"a":1,"a":2}',
     '{"family": {"siblings": 1e999}}', '{"family": {"siblings": NaN}}'],
)
def test_hostile_json_text_is_a_fact_error(mini, text):
    with pytest.raises(bia.FactError):
        mini.evaluate(text, as_of=AS_OF)


def test_invalid_utf8_bytes_are_a_fact_error(mini):
    with pytest.raises(bia.FactError):
        mini.evaluate(b'{"child": {"name": "\xff\xfe"}}', as_of=AS_OF)


def test_huge_case_is_refused(mini):
    big = '{"child": {"name": "' + "x" * (bia.LIMITS["max_case_bytes"] + 10) + '"}}'
    with pytest.raises(bia.FactError):
        mini.evaluate(big, as_of=AS_OF)


def test_report_formats(mini):
    text = mini.report(CASE, as_of=AS_OF)
    assert "Unaccompanied child has no guardian" in text
    html = mini.report(CASE, as_of=AS_OF, format="html")
    assert "<html" in html.lower()
    js = mini.report(CASE, as_of=AS_OF, format="json")
    assert js.endswith("\n") and json.loads(js)["level"] == "high"
    with pytest.raises(ValueError):
        mini.report(CASE, as_of=AS_OF, format="pdf")


def test_results_are_independent_objects(mini):
    a = mini.evaluate(CASE, as_of=AS_OF)
    b = mini.evaluate(CASE, as_of=AS_OF)
    a["fired"].clear()
    a["pack"]["name"] = "changed"
    assert b["fired"] and b["pack"]["name"] == "mini"


def test_float_scores_stay_floats():
    pack = bia.compile('pack f version "1.0.0" "t"\nfact x : bool\nlevel low\nrule r "R"\n  score 2.5\n  when x\n')
    r = pack.evaluate({"x": True}, as_of=AS_OF)
    assert r["score"] == 2.5 and isinstance(r["score"], float)
    assert math.isclose(r["fired"][0]["score"], 2.5)


def test_argument_errors_never_show_the_facts(mini):
    secret = "Secret-Name-Of-A-Child"
    case = {"child": {"name": secret}}
    attempts = [
        lambda: mini.report(case, format=5),
        lambda: mini.explain(case, rule=5),
        lambda: mini.evaluate_many([case], threads="all"),
        lambda: mini.evaluate_many([case], threads=-(2**70)),
        lambda: mini.evaluate_many([case], format=None),
        lambda: mini.evaluate(case, as_of=object()),
    ]
    for attempt in attempts:
        with pytest.raises((TypeError, ValueError)) as info:
            attempt()
        assert secret not in str(info.value)
    assert len(mini.evaluate_many([case], threads=2**70, as_of=AS_OF)) == 1


def test_fact_error_paths_quote_keys_that_are_not_names(mini):
    """Dict input names unusual keys the way the engine does (docs/result.md, Paths)."""
    cases = {
        '{"child": {"a.b": NaN}}': 'child["a.b"]',
        '{"": {"x": Infinity}}': '[""].x',
        '{"child": {"ok_key": NaN}}': "child.ok_key",
    }
    for text, path in cases.items():
        case = json.loads(text)
        with pytest.raises(bia.FactError) as info:
            mini.evaluate(case, as_of=AS_OF)
        assert info.value.path == path
        assert str(info.value).startswith(path + ": ")


def test_one_of_members_past_the_64th_agree_on_every_path():
    # A `one of` of 70 members tested against a literal set of low members:
    # evaluate, evaluate_many (dicts, JSON text, summaries), evaluate_frame and
    # explain all give what the rule means, for members 0, 63, 64 and 65.
    members = ", ".join(f'"m{i}"' for i in range(70))
    pack = bia.compile(
        'pack t version "1.0.0" "T"\nlevel low\nlevel high at 1\n'
        f"fact k : one of {{{members}}}\n"
        'rule r "R" severity high when k in {"m0", "m1"}\n'
    )
    positions = [0, 1, 63, 64, 65, 69]
    cases = [{"k": f"m{k}"} for k in positions]
    expected = ["high" if k <= 1 else "low" for k in positions]
    assert [pack.evaluate(c, as_of=AS_OF)["level"] for c in cases] == expected
    assert [r["level"] for r in pack.evaluate_many(cases, as_of=AS_OF)] == expected
    assert [json.loads(r)["level"] for r in pack.evaluate_many(cases, as_of=AS_OF, format="json")] == expected
    assert [r["level"] for r in pack.evaluate_many(cases, as_of=AS_OF, format="summary")] == expected
    assert [pack.explain(c, "r", as_of=AS_OF).outcome for c in cases] == [
        "fired" if k <= 1 else "not_fired" for k in positions
    ]


def test_min_and_max():
    pack = bia.compile(
        'pack t version "1.0.0" "T"\nlevel low\nlevel high at 1\n'
        "fact a : number\nfact b : number\nfact d : date\nfact e : date\n"
        'rule r "R" severity high when min(a, b) < 3 and max(d, e) > 2026-01-01\n'
    )
    assert pack.evaluate({"a": 5, "b": 2, "d": "2025-01-01", "e": "2026-02-01"}, as_of=AS_OF)["level"] == "high"
    assert pack.evaluate({"a": 5, "b": 4, "d": "2025-01-01", "e": "2026-02-01"}, as_of=AS_OF)["level"] == "low"
    undetermined = pack.evaluate({"a": 1, "d": "2026-02-01"}, as_of=AS_OF)
    assert undetermined["possible_level"] == "high" and undetermined["missing"] == ["b", "e"]
