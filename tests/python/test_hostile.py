"""Whatever Python hands bia, it gets a result or a documented exception, never a crash."""

from __future__ import annotations

import datetime as dt
import decimal
import fractions
import json
import random

import pytest

import bia
from conftest import AS_OF

ALLOWED = (bia.FactError, TypeError, ValueError)


class Weird:
    """An object whose conversions misbehave."""

    def __float__(self):
        raise RuntimeError("no float for you")

    def __index__(self):
        raise RuntimeError("no index either")


class Shrinking(list):
    """A list whose element's __float__ empties it while it is being read."""


class Emptier:
    def __init__(self, victim):
        self.victim = victim

    def __float__(self):
        self.victim.clear()
        return 1.0


def random_value(rng: random.Random, depth: int = 0):
    kinds = ["none", "bool", "int", "bigint", "float", "nan", "str", "surrogate", "bytes", "date", "datetime",
             "decimal", "fraction", "complex", "weird", "set", "tuple"]
    if depth < 4:
        kinds += ["dict", "list", "dict", "list", "badkey"]
    kind = rng.choice(kinds)
    if kind == "none":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "int":
        return rng.randint(-10, 10)
    if kind == "bigint":
        return rng.choice([2**63, -(2**63) - 1, 10**30, 10**400])
    if kind == "float":
        return rng.choice([0.5, -1e308, 1e-320, -0.0])
    if kind == "nan":
        return rng.choice([float("nan"), float("inf"), float("-inf")])
    if kind == "str":
        return rng.choice(["", "girl", "debt_bondage", "2026-02-30", "2026-03-01", "x" * 1000, "\x00", "é✓"])
    if kind == "surrogate":
        return "\ud800"
    if kind == "bytes":
        return b"\xff"
    if kind == "date":
        return dt.date(rng.randint(1, 9999), 1, 1)
    if kind == "datetime":
        return dt.datetime(2020, 2, 29, 23, 59, tzinfo=dt.timezone.utc)
    if kind == "decimal":
        return decimal.Decimal(rng.choice(["1.5", "NaN", "1e400"]))
    if kind == "fraction":
        return fractions.Fraction(1, 3)
    if kind == "complex":
        return 1j
    if kind == "weird":
        return Weird()
    if kind == "set":
        return {rng.choice(["debt_bondage", "long_hours"]) for _ in range(rng.randint(0, 3))}
    if kind == "tuple":
        return tuple(random_value(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    if kind == "list":
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind == "badkey":
        return {rng.choice([1, 2.5, None, ("t",), b"k"]): random_value(rng, depth + 1)}
    keys = ["child", "family", "case", "guardian", "unaccompanied", "birth_date", "indicators", "siblings", "gender",
            "name", "arrived_on", "appointed_on", "extra"]
    return {rng.choice(keys): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_random_python_cases_never_crash(mini):
    rng = random.Random(2026)
    cases = [{"child": random_value(rng), "family": random_value(rng), "case": random_value(rng)} for _ in range(1500)]
    cases += [{"child": {"name": random_value(rng, 4)}} for _ in range(200)]
    outcomes = {"ok": 0, "error": 0}
    for case in cases:
        try:
            mini.evaluate(case, as_of=AS_OF)
            outcomes["ok"] += 1
        except ALLOWED:
            outcomes["error"] += 1
    assert outcomes["ok"] and outcomes["error"]
    many = mini.evaluate_many(cases, as_of=AS_OF, errors="collect", threads=2)
    assert len(many) == len(cases)
    assert sum("errors" in r for r in many) == outcomes["error"]


def test_random_bytes_never_crash(mini):
    rng = random.Random(7)
    blobs = [bytes(rng.randrange(256) for _ in range(rng.randint(0, 200))) for _ in range(300)]
    blobs += [b'{"child": ' * n + b"1" for n in (10, 100, 10_000)]
    out = mini.evaluate_many(blobs, as_of=AS_OF, errors="collect")
    assert all("errors" in r for r in out)
    for blob in blobs[:50]:
        with pytest.raises(bia.FactError):
            mini.evaluate(blob, as_of=AS_OF)


def test_a_list_emptied_while_read(mini):
    victim: list = []
    victim.extend([Emptier(victim), 1.0, 2.0])
    with pytest.raises(ALLOWED):
        mini.evaluate({"family": {"siblings": victim}}, as_of=AS_OF)


def test_frames_of_random_cells_never_crash(mini):
    pd = pytest.importorskip("pandas")
    rng = random.Random(11)
    columns = [f.path for f in mini.facts]
    frame = pd.DataFrame({c: [random_value(rng, 3) for _ in range(400)] for c in columns}, dtype=object)
    out = mini.evaluate_frame(frame, as_of=AS_OF, errors="collect")
    assert len(out) == 400
    assert out["error"].notna().any()


def test_non_case_inputs_to_evaluate_many(mini):
    out = mini.evaluate_many([1, None, 2.5, [1], object(), json.dumps({})], as_of=AS_OF, errors="collect")
    assert [("errors" in r) for r in out] == [True] * 5 + [False]


# The compiled module's own TypeError (a private entry point called with a wrong argument type)
# listed every argument ("Invoked with: ..."), the case's facts among them (issue 16, item 6).
def test_private_entry_points_never_show_their_arguments(mini):
    case = {"child": {"name": "MARKER_SECRET_4711", "age": 867530911}}
    handle = mini._impl
    calls = [
        lambda: handle.evaluate(case, "2026-03-10", object()),
        lambda: handle.render(case, "2026-03-10", False, 7),
        lambda: handle.explain(case, None, "2026-03-10", False),
        lambda: handle.evaluate_many([case], "2026-03-10", False, 2, object()),
        lambda: bia._core.facts_to_json(case, nan_is_null=object()),
        lambda: type(handle).evaluate(handle, case, "2026-03-10", object()),
    ]
    for call in calls:
        with pytest.raises(TypeError) as raised:
            call()
        shown = str(raised.value) + repr(raised.value.__context__) + repr(raised.value.__cause__)
        assert "MARKER_SECRET_4711" not in shown and "867530911" not in shown, shown
        assert "incompatible function arguments" in shown
        assert "the arguments are not shown" in shown
