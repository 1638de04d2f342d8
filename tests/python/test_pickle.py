"""Packs and errors pickle, so they travel to worker processes (multiprocessing, Dask, Spark)."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

import bia
from bia.synthetic import synthetic_json
from conftest import AS_OF, CASE, PACKS


def test_pack_pickles_by_source(mini):
    data = pickle.dumps(mini)
    assert b"no_guardian" in data  # the source travels, not a pointer
    copy = pickle.loads(data)
    assert isinstance(copy, bia.Pack)
    assert copy.digest == mini.digest and copy == mini
    assert copy.name == mini.name and copy.origin == mini.origin
    assert copy.facts == mini.facts and copy.rules == mini.rules
    assert copy.evaluate(CASE, as_of=AS_OF) == mini.evaluate(CASE, as_of=AS_OF)


def test_compiled_and_directory_packs_pickle():
    for pack in (bia.compile('pack p version "1.0.0" "t"\nlevel low\n', "inline"), bia.load(PACKS / "split")):
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            copy = pickle.loads(pickle.dumps(pack, protocol=protocol))
            assert copy.digest == pack.digest
            assert copy.sources() == pack.sources()


def test_unpickling_reuses_the_compiled_pack(mini):
    a = pickle.loads(pickle.dumps(mini))
    b = pickle.loads(pickle.dumps(mini))
    assert a is b


def test_errors_pickle():
    with pytest.raises(bia.CompileError) as info:
        bia.compile("pack", "bad.bia")
    e = pickle.loads(pickle.dumps(info.value))
    assert isinstance(e, bia.CompileError) and str(e) == str(info.value)
    assert e.diagnostics == info.value.diagnostics
    f = bia.FactError("case 3: child.x: expected a date, found number", path="child.x",
                      errors=[{"path": "child.x", "message": "expected a date, found number"}], index=3)
    g = pickle.loads(pickle.dumps(f))
    assert (g.path, g.errors, g.index, str(g)) == (f.path, f.errors, f.index, str(f))


def _score(pack, cases):
    return pack.evaluate_many(cases, as_of=AS_OF, threads=1)


def test_pack_in_spawned_worker_processes(mini):
    cases = synthetic_json(mini, 400, seed=12, as_of=AS_OF)
    chunks = [cases[i::4] for i in range(4)]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(_score, [mini] * 4, chunks))
    for chunk, part in zip(chunks, parts):
        assert part == mini.evaluate_many(chunk, as_of=AS_OF)
