"""Pack.evaluate_frame: DataFrames of cases, unknowns, dtypes, dates, index, columns, errors."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import pytest

import bia
from bia.synthetic import synthetic_cases, synthetic_frame
from conftest import AS_OF

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

COLUMNS = ["level", "possible_level", "score", "possible_score", "fired", "undetermined", "missing", "overdue",
           "ask_first"]


def summary(result):
    """What evaluate_frame keeps of a full result."""
    return {
        "level": result["level"],
        "possible_level": result["possible_level"],
        "score": float(result["score"]),
        "possible_score": float(result["possible_score"]),
        "fired": [f["rule"] for f in result["fired"]],
        "undetermined": [u["rule"] for u in result["undetermined"]],
        "missing": result["missing"],
        "overdue": [a["text"] for f in result["fired"] for a in f["actions"] if a["overdue"]],
        "ask_first": result["ask_first"],
    }


def rows(frame):
    out = []
    for rec in frame.to_dict("records"):
        rec = {k: (None if k in ("level", "possible_level") and pd.isna(v) else v) for k, v in rec.items()}
        rec["level"] = None if rec["level"] is None else str(rec["level"])
        rec["possible_level"] = None if rec["possible_level"] is None else str(rec["possible_level"])
        out.append(rec)
    return out


def test_frame_matches_evaluate_on_dicts(mini):
    frame = synthetic_frame(mini, 500, seed=2, as_of=AS_OF)
    cases = synthetic_cases(mini, 500, seed=2, as_of=AS_OF)
    out = mini.evaluate_frame(frame, as_of=AS_OF)
    assert list(out.columns) == COLUMNS
    assert out.index.equals(frame.index)
    assert rows(out) == [summary(mini.evaluate(c, as_of=AS_OF)) for c in cases]


def test_levels_are_ordered_categoricals(mini):
    frame = synthetic_frame(mini, 200, seed=4, as_of=AS_OF)
    out = mini.evaluate_frame(frame, as_of=AS_OF)
    assert isinstance(out["level"].dtype, pd.CategoricalDtype)
    assert out["level"].dtype.ordered
    assert list(out["level"].cat.categories) == ["low", "medium", "high"]
    assert (out["possible_level"] >= out["level"]).all()
    assert out["score"].dtype == np.float64
    assert (out["possible_score"] >= out["score"]).all()


def test_unknown_markers(mini):
    frame = pd.DataFrame(
        {
            "child.unaccompanied": [True, None, pd.NA, np.nan],
            "family.siblings": [np.nan, 1.0, None, pd.NA],
            "child.birth_date": [pd.NaT, None, np.nan, "2017-05-01"],
        },
        dtype=object,
    )
    out = mini.evaluate_frame(frame, as_of=AS_OF)
    expected = [
        {"child": {"unaccompanied": True}},
        {"family": {"siblings": 1}},
        {},
        {"child": {"birth_date": "2017-05-01"}},
    ]
    assert rows(out) == [summary(mini.evaluate(c, as_of=AS_OF)) for c in expected]


def test_dtypes_and_date_forms(mini):
    dates = ["2017-05-01", "2012-01-31", None]
    base = pd.DataFrame({"child.birth_date": dates, "family.siblings": [2, 0, 1], "child.unaccompanied": [True, False, True]})
    expected = rows(mini.evaluate_frame(base, as_of=AS_OF))
    variants = {
        "datetime64": pd.to_datetime(pd.Series(dates)),
        "date objects": pd.Series([dt.date(2017, 5, 1), dt.date(2012, 1, 31), None], dtype=object),
        "datetime objects": pd.Series([dt.datetime(2017, 5, 1, 8), dt.datetime(2012, 1, 31), None], dtype=object),
        "tz-aware": pd.to_datetime(pd.Series(dates)).dt.tz_localize("Europe/Stockholm"),
        "pyarrow date": pd.Series(dates).astype("date32[pyarrow]") if _has_pyarrow() else pd.to_datetime(pd.Series(dates)),
        "string dtype": pd.Series(dates, dtype="string"),
        "category": pd.Series(dates, dtype="category"),
    }
    for name, column in variants.items():
        frame = base.copy()
        frame["child.birth_date"] = column
        assert rows(mini.evaluate_frame(frame, as_of=AS_OF)) == expected, name
    for name, siblings in {
        "int8": pd.Series([2, 0, 1], dtype="int8"),
        "Int64": pd.Series([2, 0, 1], dtype="Int64"),
        "float32": pd.Series([2, 0, 1], dtype="float32"),
        "uint64": pd.Series([2, 0, 1], dtype="uint64"),
    }.items():
        frame = base.copy()
        frame["family.siblings"] = siblings
        assert rows(mini.evaluate_frame(frame, as_of=AS_OF)) == expected, name
    frame = base.copy()
    frame["child.unaccompanied"] = pd.Series([True, False, True], dtype="boolean")
    assert rows(mini.evaluate_frame(frame, as_of=AS_OF)) == expected


def _has_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def test_set_facts_from_lists_and_arrays(mini):
    frame = pd.DataFrame({"child.indicators": [["debt_bondage"], np.array(["long_hours"]), [], None, ("long_hours", "confiscated_documents")]})
    out = mini.evaluate_frame(frame, as_of=AS_OF)
    assert [("trafficking" in f) for f in out["fired"]] == [True, False, False, False, True]
    assert "trafficking" in out["undetermined"].iloc[3]


def test_index_is_kept_even_with_duplicates(mini):
    frame = pd.DataFrame(
        {"child.unaccompanied": [True, False, True]},
        index=pd.Index(["c-9", "c-9", "c-1"], name="case_id"),
    )
    out = mini.evaluate_frame(frame, as_of=AS_OF)
    assert list(out.index) == ["c-9", "c-9", "c-1"]
    assert out.index.name == "case_id"
    joined = frame.reset_index().join(out.reset_index(drop=True))
    assert len(joined) == 3


def test_empty_frame(mini):
    out = mini.evaluate_frame(pd.DataFrame({"child.unaccompanied": pd.Series([], dtype=bool)}), as_of=AS_OF)
    assert len(out) == 0 and list(out.columns) == COLUMNS
    out = mini.evaluate_frame(pd.DataFrame(index=range(3)), as_of=AS_OF)
    assert list(out["level"]) == ["low"] * 3


def test_undeclared_columns_warn_or_fail(mini):
    frame = pd.DataFrame({"child.unaccompanied": [True], "child.unacompanied": [False], "note": ["x"]})
    with pytest.warns(bia.UndeclaredColumnsWarning, match="child.unacompanied"):
        out = mini.evaluate_frame(frame, as_of=AS_OF)
    assert out["fired"].iloc[0] == ["no_guardian"]
    with pytest.raises(bia.FactError) as info:
        mini.evaluate_frame(frame, as_of=AS_OF, strict=True)
    assert info.value.path == "child.unacompanied"


def test_duplicate_columns_are_refused(mini):
    frame = pd.DataFrame([[True, False]], columns=["child.unaccompanied", "child.unaccompanied"])
    with pytest.raises(ValueError, match="more than once"):
        mini.evaluate_frame(frame, as_of=AS_OF)


def test_bad_cells_raise_with_row_index_or_are_collected(mini):
    frame = pd.DataFrame({"child.birth_date": ["2017-05-01", "01/02/2003", None], "family.siblings": [1, 2, 3]})
    with pytest.raises(bia.FactError) as info:
        mini.evaluate_frame(frame, as_of=AS_OF)
    assert info.value.index == 1
    assert info.value.path == "child.birth_date"
    assert "01/02/2003" not in str(info.value)
    out = mini.evaluate_frame(frame, as_of=AS_OF, errors="collect")
    assert list(out.columns) == COLUMNS + ["error"]
    assert out["error"].iloc[0] is None and out["error"].iloc[2] is None
    assert "child.birth_date" in out["error"].iloc[1]
    assert pd.isna(out["level"].iloc[1]) and np.isnan(out["score"].iloc[1])
    assert out["fired"].iloc[0] == ["young_child", "siblings"]


def test_infinite_and_wrong_typed_cells(mini):
    frame = pd.DataFrame({"family.siblings": [np.inf, 1.0], "child.unaccompanied": ["yes", True]})
    out = mini.evaluate_frame(frame, as_of=AS_OF, errors="collect")
    assert "family.siblings" in out["error"].iloc[0] and "child.unaccompanied" in out["error"].iloc[0]
    assert out["error"].iloc[1] is None


def test_frame_meta_matches_output(mini):
    frame = synthetic_frame(mini, 50, seed=1, as_of=AS_OF)
    for errors in ("raise", "collect"):
        meta = mini.frame_meta(errors=errors)
        out = mini.evaluate_frame(frame, as_of=AS_OF, errors=errors)
        assert len(meta) == 0
        assert list(meta.columns) == list(out.columns)
        assert meta.dtypes.to_dict() == out.dtypes.to_dict()


def test_frame_argument_checks(mini):
    with pytest.raises(TypeError):
        mini.evaluate_frame([{"child.unaccompanied": True}])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        mini.evaluate_frame(pd.DataFrame(), errors="skip")


def test_frame_threads_agree(mini):
    frame = synthetic_frame(mini, 3000, seed=9, as_of=AS_OF)
    one = mini.evaluate_frame(frame, as_of=AS_OF, threads=1)
    for threads in (2, 0):
        pd.testing.assert_frame_equal(mini.evaluate_frame(frame, as_of=AS_OF, threads=threads), one)


def test_frame_with_json_round_trip_of_records(mini):
    """Analysts often hold cases as flat records; a flat dict is not nested, so use a frame."""
    frame = pd.DataFrame([{"child.unaccompanied": True, "case.arrived_on": "2026-03-01"}])
    out = mini.evaluate_frame(frame, as_of=AS_OF)
    nested = {"child": {"unaccompanied": True}, "case": {"arrived_on": "2026-03-01"}}
    assert rows(out)[0] == summary(mini.evaluate(json.dumps(nested), as_of=AS_OF))


def test_a_misspelt_column_is_a_near_miss_unless_accepted(mini):
    frame = pd.DataFrame({"child.unacompanied": [True], "note": ["x"]})
    with pytest.raises(bia.FactError, match=r"child.unacompanied: did you mean 'child.unaccompanied'\?") as info:
        mini.evaluate_frame(frame, as_of=AS_OF)
    assert info.value.path == "child.unacompanied"
    with pytest.warns(bia.UndeclaredColumnsWarning, match=r"child.unacompanied \(did you mean 'child.unaccompanied'\?\)"):
        out = mini.evaluate_frame(frame, as_of=AS_OF, accept_near_misses=True)
    assert out["level"].iloc[0] == "low"


def test_frame_errors_name_the_index_label_and_id(mini):
    frame = pd.DataFrame(
        {"case_id": ["A", "B", "C"], "child.birth_date": ["2017-05-01", "01/02/2003", None]},
        index=pd.Index(["r-7", "r-8", "r-9"], name="row"),
    )
    with pytest.raises(bia.FactError) as info:
        mini.evaluate_frame(frame, as_of=AS_OF, id_field="case_id")
    assert info.value.label == "r-8" and info.value.index == 1 and info.value.id == "B"
    assert str(info.value).startswith("row 'r-8' (position 1, id 'B'): child.birth_date:")
    assert "01/02/2003" not in str(info.value)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", bia.UndeclaredColumnsWarning)  # the id column is no stranger
        out = mini.evaluate_frame(frame, as_of=AS_OF, id_field="case_id", errors="collect")
    assert list(out.columns) == ["id"] + COLUMNS + ["error"]
    assert list(out["id"]) == ["A", "B", "C"]
    with pytest.raises(ValueError, match="no column"):
        mini.evaluate_frame(frame, as_of=AS_OF, id_field="case_ref")


def test_frame_progress_counts_rows(mini):
    frame = synthetic_frame(mini, 1100, seed=3, as_of=AS_OF)
    calls = []
    mini.evaluate_frame(frame, as_of=AS_OF, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(512, 1100), (1024, 1100), (1100, 1100)]
