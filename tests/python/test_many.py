"""Pack.evaluate_many and thread safety: same results as sequential, in input order, errors by index."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import bia
from bia.synthetic import synthetic_cases, synthetic_json
from conftest import AS_OF, ROOT, SAMPLE_CASES, protect_pack


@pytest.fixture(scope="module")
def cohort(mini):
    return synthetic_cases(mini, 3000, seed=7, as_of=AS_OF)


@pytest.fixture(scope="module")
def sequential(mini, cohort):
    return [mini.evaluate(c, as_of=AS_OF) for c in cohort]


@pytest.mark.parametrize("threads", [1, 2, 3, 8, 0])
def test_many_equals_sequential_in_input_order(mini, cohort, sequential, threads):
    assert mini.evaluate_many(cohort, as_of=AS_OF, threads=threads) == sequential


def test_many_accepts_json_text_bytes_and_generators(mini, cohort, sequential):
    texts = [json.dumps(c, default=str) for c in cohort]
    assert mini.evaluate_many(texts, as_of=AS_OF) == sequential
    assert mini.evaluate_many((t.encode() for t in texts), as_of=AS_OF) == sequential
    mixed = [cohort[i] if i % 3 == 0 else texts[i] if i % 3 == 1 else texts[i].encode() for i in range(len(cohort))]
    assert mini.evaluate_many(mixed, as_of=AS_OF) == sequential


def test_many_spans_several_chunks(mini):
    cases = synthetic_json(mini, 20_000, seed=3, as_of=AS_OF)
    results = mini.evaluate_many(cases, as_of=AS_OF, threads=2)
    assert len(results) == 20_000
    for i in (0, 8191, 8192, 16384, 19_999):
        assert results[i] == mini.evaluate(cases[i], as_of=AS_OF)


def test_many_empty_and_default_as_of(mini):
    assert mini.evaluate_many([]) == []
    assert mini.evaluate_many([{}])[0]["as_of"]


def test_many_raises_fact_error_with_index_and_path(mini):
    cases = [{}, {}, {"child": {"birth_date": "not a date"}}, {"family": {"siblings": "x"}}]
    with pytest.raises(bia.FactError) as info:
        mini.evaluate_many(cases, as_of=AS_OF)
    e = info.value
    assert e.index == 2  # the first bad case
    assert e.path == "child.birth_date"
    assert str(e).startswith("case 2: child.birth_date")


def test_many_collect_keeps_going(mini):
    cases = [{}, {"child": {"birth_date": "not a date"}}, '{"broken', 42, {"family": {"siblings": 1}}]
    out = mini.evaluate_many(cases, as_of=AS_OF, errors="collect")
    assert len(out) == 5
    assert out[0] == mini.evaluate({}, as_of=AS_OF)
    assert out[1]["index"] == 1 and out[1]["errors"][0]["path"] == "child.birth_date"
    assert out[2]["index"] == 2 and out[2]["errors"]
    assert out[3]["index"] == 3 and "int" in out[3]["errors"][0]["message"]
    assert out[4]["fired"][0]["rule"] == "siblings"
    assert "engine" not in out[1] and "errors" not in out[0]


def test_many_non_case_item_raises_fact_error(mini):
    with pytest.raises(bia.FactError) as info:
        mini.evaluate_many([{}, None], as_of=AS_OF)
    assert info.value.index == 1


def test_many_argument_checks(mini):
    with pytest.raises(ValueError):
        mini.evaluate_many([{}], errors="ignore")
    with pytest.raises(ValueError):
        mini.evaluate_many([{}], threads=-1)
    with pytest.raises(TypeError):
        mini.evaluate_many([{}], threads=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mini.evaluate_many(5)  # type: ignore[arg-type]


def test_many_propagates_iterator_errors(mini):
    def cases():
        yield {}
        raise KeyError("from the generator")

    with pytest.raises(KeyError):
        mini.evaluate_many(cases(), as_of=AS_OF)


def test_strict_applies_to_every_case(mini):
    out = mini.evaluate_many([{"child": {"typo": 1}}, {}], as_of=AS_OF, strict=True, errors="collect")
    assert out[0]["errors"][0]["path"] == "child.typo"
    assert out[1]["level"] == "low"


def test_one_pack_shared_by_python_threads(mini, cohort, sequential):
    """Many Python threads calling evaluate and evaluate_many on one Pack at once."""
    barrier = threading.Barrier(8)

    def work(k):
        barrier.wait()
        if k % 2:
            return mini.evaluate_many(cohort[k::8], as_of=AS_OF, threads=2)
        return [mini.evaluate(c, as_of=AS_OF) for c in cohort[k::8]]

    with ThreadPoolExecutor(8) as pool:
        parts = list(pool.map(work, range(8)))
    for k, part in enumerate(parts):
        assert part == sequential[k::8]


def test_other_python_threads_run_during_evaluate_many(mini):
    """Another Python thread keeps running while a long evaluate_many is in the engine."""
    cases = synthetic_json(mini, 60_000, seed=5, as_of=AS_OF)
    ticks = 0
    done = threading.Event()

    def ticker():
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    t = threading.Thread(target=ticker)
    t.start()
    try:
        mini.evaluate_many(cases, as_of=AS_OF, threads=1)
    finally:
        done.set()
        t.join()
    assert ticks > 0


def test_sample_cases_many(mini):
    expected = [mini.evaluate(c, as_of=AS_OF) for c in SAMPLE_CASES]
    assert mini.evaluate_many(SAMPLE_CASES, as_of=AS_OF, threads=4) == expected


def test_protect_pack_many_equals_loop():
    pack = protect_pack()
    cases = synthetic_cases(pack, 2000, seed=11, as_of=AS_OF)
    assert pack.evaluate_many(cases, as_of=AS_OF, errors="collect") == [
        _or_error(pack, c, i) for i, c in enumerate(cases)
    ]


def _or_error(pack, case, index):
    try:
        return pack.evaluate(case, as_of=AS_OF)
    except bia.FactError as e:
        return {"index": index, "errors": e.errors}


def test_batches_reuse_no_stale_results(mini):
    """A bad item in a later batch gets its own error, never an earlier batch's result."""
    cases = [{"child": {"unaccompanied": True}}] * 20_000
    bad = {8192 + 5: None, 12_288 + 1: 42, 16_384 + 7: '{"child": {"unaccompanied": 1}}'}
    for i, item in bad.items():
        cases = cases[:i] + [item] + cases[i + 1:]
    out = mini.evaluate_many(cases, as_of=AS_OF, errors="collect", threads=2)
    assert [i for i, r in enumerate(out) if "errors" in r] == sorted(bad)
    assert all(out[i]["index"] == i for i in bad)


def test_many_as_json_text(mini, cohort, sequential):
    texts = mini.evaluate_many(cohort, as_of=AS_OF, format="json", threads=2)
    assert all(isinstance(t, str) and t.endswith("\n") for t in texts)
    assert [json.loads(t) for t in texts] == sequential
    assert texts[0] == mini.report(cohort[0], as_of=AS_OF, format="json")
    out = mini.evaluate_many([{}, {"child": {"birth_date": 1}}], as_of=AS_OF, format="json", errors="collect")
    record = json.loads(out[1])
    assert record["index"] == 1 and record["errors"][0]["path"] == "child.birth_date"
    with pytest.raises(ValueError):
        mini.evaluate_many([{}], format="yaml")


def test_protect_dicts_equal_the_engines_json():
    """The dict builder (shared strings, walked caches) agrees with the engine's own JSON, case by case."""
    pack = protect_pack()
    cases = synthetic_json(pack, 1500, seed=21, as_of=AS_OF)
    dicts = pack.evaluate_many(cases, as_of=AS_OF, errors="collect")
    texts = pack.evaluate_many(cases, as_of=AS_OF, errors="collect", format="json")
    assert dicts == [json.loads(t) for t in texts]
    assert [json.dumps(d) for d in dicts[:50]] == [json.dumps(json.loads(t)) for t in texts[:50]]


def _containers(value, seen):
    """Every dict and list inside `value`, by identity."""
    if isinstance(value, (dict, list)):
        seen.append(id(value))
        for item in value.values() if isinstance(value, dict) else value:
            _containers(item, seen)
    return seen


def test_training_cases_dicts_equal_the_engines_json():
    """Every training case, alone and in a cohort large enough to span batches, gives
    exactly json.loads of the engine's JSON: same values, same key order, same int/float types."""
    pack = protect_pack()
    cases_dir = ROOT / "examples" / "cases"
    if not cases_dir.exists():
        pytest.skip("examples/cases is not in this checkout")
    training = [p.read_text(encoding="utf-8") for p in sorted(cases_dir.glob("*.json"))]
    assert training
    as_of = "2026-03-01"  # the date the training cases are written for
    expected = [json.dumps(json.loads(pack.report(t, as_of=as_of, format="json"))) for t in training]
    assert [json.dumps(pack.evaluate(t, as_of=as_of)) for t in training] == expected
    # Repeated, interleaved with synthetic cases, so the builder's prototypes are
    # made early and then reused: later copies must still say what their case says.
    synthetic = synthetic_json(pack, 1200, seed=3, as_of=as_of)
    cohort = [c for i, s in enumerate(synthetic) for c in (s, training[i % len(training)])]
    texts = pack.evaluate_many(cohort, as_of=as_of, format="json")
    for threads in (1, 2, 3):
        dicts = pack.evaluate_many(cohort, as_of=as_of, threads=threads)
        assert [json.dumps(d) for d in dicts] == [json.dumps(json.loads(t)) for t in texts]
        assert [json.dumps(d) for d in dicts[1::2][: len(training)]] == expected
        # Fresh containers for every result: nothing mutable is shared.
        ids = [i for d in dicts for i in _containers(d, [])]
        assert len(ids) == len(set(ids))


def test_results_are_independent(mini, cohort):
    results = mini.evaluate_many(cohort[:50] * 2, as_of=AS_OF, threads=2)
    first, again = results[0], results[50]
    assert first == again and first is not again
    before = json.dumps(again)
    first["fired"][0]["actions"].append("x")
    first["fired"][0]["cites"].clear()
    first["domains"]["safety"]["score"] = -1
    first["undetermined"].append(None)
    first["missing"].clear()
    first["pack"]["name"] = "changed"
    assert json.dumps(again) == before


def summary_of(result):
    """What format="summary" must give, read off a whole result dict."""
    return {
        "level": result["level"],
        "possible_level": result["possible_level"],
        "score": result["score"],
        "possible_score": result["possible_score"],
        "fired": [f["rule"] for f in result["fired"]],
        "undetermined": [u["rule"] for u in result["undetermined"]],
        "missing": result["missing"],
        "overdue": [a["text"] for f in result["fired"] for a in f["actions"] if a["overdue"]],
        "ask_first": result["ask_first"],
    }


@pytest.mark.parametrize("threads", [1, 2])
def test_many_summary_is_the_whole_result_summed_up(mini, cohort, sequential, threads):
    summaries = mini.evaluate_many(cohort, as_of=AS_OF, threads=threads, format="summary")
    assert summaries == [summary_of(r) for r in sequential]
    assert any(s["fired"] for s in summaries) and any(s["undetermined"] for s in summaries)
    assert any(s["overdue"] for s in summaries)


def test_ask_first_on_the_protect_training_cases():
    """ask_first is the JSON field, part of missing, and only where the level can still rise."""
    pack = protect_pack()
    asked = 0
    for path in sorted((ROOT / "examples" / "cases").glob("*.json")):
        case = path.read_text(encoding="utf-8")
        r = pack.evaluate(case, as_of="2026-03-01")
        assert r["ask_first"] == json.loads(pack.report(case, as_of="2026-03-01", format="json"))["ask_first"]
        assert len(r["ask_first"]) <= 5 and set(r["ask_first"]) <= set(r["missing"])
        if r["level"] == r["possible_level"]:
            assert r["ask_first"] == []
        asked += len(r["ask_first"])
    assert asked > 0


def test_many_summary_on_the_protect_training_cases():
    pack = protect_pack()
    cases = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "cases").glob("*.json"))]
    assert cases
    whole = pack.evaluate_many(cases, as_of="2026-03-01")
    assert pack.evaluate_many(cases, as_of="2026-03-01", format="summary") == [summary_of(r) for r in whole]
    # Each summary is its own object: changing one changes no other.
    first, second = pack.evaluate_many(cases[:1] * 2, as_of="2026-03-01", format="summary")
    first["fired"].append("x")
    assert second["fired"] != first["fired"]


def test_many_summary_collects_errors_by_index(mini):
    out = mini.evaluate_many([{}, "not json", 42, {"child": {"unaccompanied": "yes"}}, {}], as_of=AS_OF, format="summary",
                             errors="collect")
    assert set(out[0]) == {"level", "possible_level", "score", "possible_score", "fired", "undetermined",
                           "missing", "overdue", "ask_first"}
    assert out[1]["index"] == 1 and out[1]["errors"][0]["path"] == "$"
    assert out[2]["index"] == 2 and "found int" in out[2]["errors"][0]["message"]
    assert out[3]["index"] == 3 and [e["path"] for e in out[3]["errors"]] == ["child.unaccompanied"]
    assert out[4] == out[0]
    with pytest.raises(bia.FactError) as info:
        mini.evaluate_many([{}, "not json"], as_of=AS_OF, format="summary")
    assert info.value.index == 1


# ---- misspelt fields and case ids ------------------------------------------------

def test_evaluate_many_warns_once_and_refuses_near_misses(mini):
    cases = [{"child": {"unaccompanied": True}, "note": 1}, {"child": {"unaccompanied": True}}, {"note": 2}]
    with pytest.warns(bia.CaseWarning, match=r"^2 of 3 cases have fields the pack does not read") as caught:
        results = mini.evaluate_many(cases, as_of=AS_OF)
    assert len([w for w in caught if w.category is bia.CaseWarning]) == 1
    assert [len(r["warnings"]) for r in results] == [1, 0, 1]
    typo = ['{"child": {"unacompanied": true}}']
    with pytest.raises(bia.FactError, match="did you mean 'child.unaccompanied'"):
        mini.evaluate_many(typo, as_of=AS_OF)
    with pytest.warns(bia.CaseWarning):
        (accepted,) = mini.evaluate_many(typo, as_of=AS_OF, accept_near_misses=True)
    assert accepted["warnings"][0]["suggestion"] == "child.unaccompanied"


def test_evaluate_many_passes_case_ids_through(mini):
    cases = [
        '{"case_id": "C-1", "child": {"unaccompanied": true}}',
        '{"case_id": 2, "child": {"birth_date": "01/02/2003"}}',
        {"case_id": "C-3", "child": {"unaccompanied": False}},
        "{}",
    ]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", bia.CaseWarning)  # the id field is no stranger
        out = mini.evaluate_many(cases, as_of=AS_OF, errors="collect", id_field="case_id", strict=True)
    assert [r["id"] for r in out] == ["C-1", 2, "C-3", None]
    assert out[1]["index"] == 1 and out[1]["errors"][0]["path"] == "child.birth_date"
    assert out[0]["fired"][0]["rule"] == "no_guardian"
    texts = mini.evaluate_many(cases, as_of=AS_OF, errors="collect", id_field="case_id", format="json")
    assert [json.loads(t)["id"] for t in texts] == ["C-1", 2, "C-3", None]
    assert texts[0].startswith('{\n  "id": "C-1",')
    # The dicts have the JSON's keys in the JSON's order, `id` first (results and error records).
    for r, t in zip(out, texts):
        assert list(r) == list(json.loads(t))
    summaries = mini.evaluate_many(cases, as_of=AS_OF, errors="collect", id_field="case_id", format="summary")
    assert [s["id"] for s in summaries] == ["C-1", 2, "C-3", None]
    with pytest.raises(bia.FactError) as info:
        mini.evaluate_many(cases, as_of=AS_OF, id_field="case_id")
    assert info.value.index == 1 and info.value.id == 2
    assert str(info.value).startswith("case 1 (id 2): child.birth_date:")
    # Without id_field, results have no "id".
    with pytest.warns(bia.CaseWarning, match="case_id"):
        (plain,) = mini.evaluate_many(cases[:1], as_of=AS_OF)
    assert "id" not in plain
    with pytest.raises(ValueError, match="is a fact of this pack"):
        mini.evaluate_many(cases, as_of=AS_OF, id_field="child.unaccompanied")


# ---- progress ----------------------------------------------------------------------

def test_progress_callback_counts_cases(mini, cohort):
    calls = []
    mini.evaluate_many(cohort, as_of=AS_OF, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(cohort), len(cohort))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls) and len(calls) == -(-len(cohort) // 512)
    calls.clear()
    mini.evaluate_many((c for c in cohort[:600]), as_of=AS_OF, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(512, None), (600, None)]  # a generator has no len()


def test_progress_true_is_silent_off_a_terminal_and_plain_when_asked(mini, cohort, capsys):
    mini.evaluate_many(cohort[:1000], as_of=AS_OF, progress=True)
    assert capsys.readouterr().err == ""  # pytest's stderr is not a terminal
    mini.evaluate_many(cohort[:1000], as_of=AS_OF, progress="plain")
    err = capsys.readouterr().err
    assert "bia: 1000 of 1000 (100%) cases" in err and err.endswith("\n")
    with pytest.raises(ValueError, match="progress must be"):
        mini.evaluate_many(cohort[:10], as_of=AS_OF, progress="loud")


def test_progress_callback_can_stop_the_run(mini, cohort):
    def stop(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        mini.evaluate_many(cohort, as_of=AS_OF, progress=stop)


def test_progress_uses_tqdm_when_installed(mini, cohort, monkeypatch):
    import sys
    import types

    bars = []

    class FakeTqdm:
        def __init__(self, total, unit, desc):
            self.n, self.total, self.closed = 0, total, False
            bars.append(self)

        def update(self, k):
            self.n += k

        def close(self):
            self.closed = True

    module = types.ModuleType("tqdm.auto")
    module.tqdm = FakeTqdm
    monkeypatch.setitem(sys.modules, "tqdm", types.ModuleType("tqdm"))
    monkeypatch.setitem(sys.modules, "tqdm.auto", module)
    mini.evaluate_many(cohort[:700], as_of=AS_OF, progress="tqdm")
    assert len(bars) == 1 and bars[0].n == 700 and bars[0].total == 700 and bars[0].closed
