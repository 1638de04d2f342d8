"""Ctrl-C, sys.exit() and MemoryError raised while bia reads a case reach the caller as
themselves; only ordinary exceptions become FactError (issue 16, item 4)."""

from __future__ import annotations

import collections.abc
import signal

import pytest

import bia
from conftest import AS_OF, CASE

# Not Exceptions at all, and MemoryError: the process's trouble, not the value's.
PROPAGATED = [KeyboardInterrupt, SystemExit, MemoryError, GeneratorExit]


class RaisingMapping(collections.abc.Mapping):
    """A case whose __getitem__ raises `exc`."""

    def __init__(self, exc):
        self.exc = exc

    def __getitem__(self, key):
        raise self.exc()

    def __iter__(self):
        return iter(["child"])

    def __len__(self):
        return 1


class RaisingIterMapping(RaisingMapping):
    """A case whose __iter__ raises `exc`."""

    def __getitem__(self, key):
        return {}

    def __iter__(self):
        raise self.exc()


class RaisingNumber:
    """A fact value whose __float__ raises `exc`."""

    def __init__(self, exc):
        self.exc = exc

    def __float__(self):
        raise self.exc()


class RaisingIndex(RaisingNumber):
    """A fact value whose __index__ raises `exc`."""

    def __index__(self):
        raise self.exc()


class RaisingGetattr:
    """A fact value whose attribute look-ups raise `exc`."""

    def __init__(self, exc):
        self.exc = exc

    def __getattr__(self, name):
        raise self.exc()


def cases_for(exc):
    return [
        RaisingMapping(exc),
        RaisingIterMapping(exc),
        {"family": {"siblings": RaisingNumber(exc)}},
        {"family": {"siblings": RaisingIndex(exc)}},
        {"child": {"indicators": [RaisingNumber(exc)]}},
        {"family": {"siblings": RaisingGetattr(exc)}},
    ]


@pytest.mark.parametrize("exc", PROPAGATED, ids=lambda e: e.__name__)
def test_evaluate_propagates(mini, exc):
    for case in cases_for(exc):
        with pytest.raises(exc):
            mini.evaluate(case, as_of=AS_OF)


@pytest.mark.parametrize("exc", PROPAGATED, ids=lambda e: e.__name__)
@pytest.mark.parametrize("errors", ["raise", "collect"])
def test_evaluate_many_propagates(mini, exc, errors):
    for case in cases_for(exc):
        # The bad case among good ones, past the first batch the workers take.
        cases = [CASE] * 300 + [case] + [CASE] * 10
        with pytest.raises(exc):
            mini.evaluate_many(cases, as_of=AS_OF, errors=errors, threads=2)


def test_ordinary_exceptions_are_still_fact_errors(mini):
    for case in cases_for(RuntimeError):
        with pytest.raises(bia.FactError):
            mini.evaluate(case, as_of=AS_OF)
        out = mini.evaluate_many([CASE, case], as_of=AS_OF, errors="collect")
        assert "level" in out[0]
        assert out[1]["index"] == 1 and out[1]["errors"], out[1]


def test_ctrl_c_from_a_signal_during_evaluate_many(mini):
    """SIGINT delivered while a case is converted: the default handler raises KeyboardInterrupt there."""

    class SignalOnRead(collections.abc.Mapping):
        def __getitem__(self, key):
            signal.raise_signal(signal.SIGINT)
            return {}

        def __iter__(self):
            return iter(["child"])

        def __len__(self):
            return 1

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            mini.evaluate_many([CASE] * 100 + [SignalOnRead()] + [CASE] * 100, as_of=AS_OF, threads=2)
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("exc", PROPAGATED, ids=lambda e: e.__name__)
def test_evaluate_frame_propagates(mini, exc):
    pd = pytest.importorskip("pandas")
    for cell in (RaisingNumber(exc), RaisingIndex(exc), RaisingGetattr(exc)):
        frame = pd.DataFrame({"family.siblings": [1] * 200 + [cell] + [2] * 10}, dtype=object)
        with pytest.raises(exc):
            mini.evaluate_frame(frame, as_of=AS_OF)
