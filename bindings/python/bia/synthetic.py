"""Synthetic cases for demonstrations, benchmarks and tests: random values shaped by a pack's facts.

Never real data. The values follow only each fact's declared type (and, for
dates, a rough idea of what a birth date or a recent date is), so cohorts are
useful for exercising a pack and measuring speed, not for drawing conclusions.

    from bia.synthetic import synthetic_cases, synthetic_frame
    cases = synthetic_cases(pack, 1000, seed=1, as_of="2026-03-10")
"""

from __future__ import annotations

import datetime as _dt
import json
import random
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

if TYPE_CHECKING:  # pragma: no cover
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

    from . import Fact, Pack

__all__ = ["synthetic_cases", "synthetic_json", "synthetic_frame"]


def _as_date(as_of: Union[_dt.date, str, None]) -> _dt.date:
    if as_of is None:
        return _dt.date.today()
    if isinstance(as_of, _dt.datetime):
        return as_of.date()
    if isinstance(as_of, _dt.date):
        return as_of
    return _dt.date.fromisoformat(as_of)


def _value(fact: "Fact", rng: random.Random, today: _dt.date) -> Any:
    path = fact.path.lower()
    if fact.kind == "bool":
        return rng.random() < 0.45
    if fact.kind == "number":
        if "age" in path.rsplit(".", 1)[-1]:
            return rng.randint(0, 17)
        return rng.randint(0, 4)
    if fact.kind == "date":
        if "birth" in path:
            return today - _dt.timedelta(days=rng.randint(0, 18 * 365))
        return today - _dt.timedelta(days=rng.randint(0, 120))
    if fact.kind == "one_of":
        return rng.choice(fact.members) if fact.members else None
    if fact.kind == "set_of":
        return [m for m in fact.members if rng.random() < 0.2]
    return rng.choice(["A", "B", "C"])


def _case(facts: List["Fact"], rng: random.Random, today: _dt.date, unknown: float) -> Dict[str, Any]:
    case: Dict[str, Any] = {}
    for fact in facts:
        if rng.random() < unknown:
            continue
        value = _value(fact, rng, today)
        if value is None:
            continue
        node = case
        *parents, leaf = fact.path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return case


def synthetic_cases(
    pack: "Pack",
    n: int,
    *,
    seed: int = 0,
    as_of: Union[_dt.date, str, None] = None,
    unknown: float = 0.2,
) -> List[Dict[str, Any]]:
    """``n`` random cases as nested dicts; each fact is left out (unknown) with probability ``unknown``.

    Dates are ``datetime.date`` objects, relative to ``as_of`` (default today).
    The same ``seed`` gives the same cases.
    """
    rng = random.Random(seed)
    today = _as_date(as_of)
    facts = pack.facts
    return [_case(facts, rng, today, unknown) for _ in range(n)]


def _jsonable(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def synthetic_json(
    pack: "Pack",
    n: int,
    *,
    seed: int = 0,
    as_of: Union[_dt.date, str, None] = None,
    unknown: float = 0.2,
) -> List[str]:
    """The same cases as :func:`synthetic_cases`, as JSON text."""
    return [json.dumps(_jsonable(c)) for c in synthetic_cases(pack, n, seed=seed, as_of=as_of, unknown=unknown)]


def synthetic_frame(
    pack: "Pack",
    n: int,
    *,
    seed: int = 0,
    as_of: Union[_dt.date, str, None] = None,
    unknown: float = 0.2,
    index_name: Optional[str] = "case_id",
) -> "pandas.DataFrame":
    """The same cases as :func:`synthetic_cases`, one row each, one column per fact path.

    Dates become ``datetime64`` columns, booleans pandas' nullable ``boolean``,
    numbers ``float64`` (NaN for unknown), sets lists; unknown is NaN/NA/NaT/None.
    """
    import pandas as pd

    cases = synthetic_cases(pack, n, seed=seed, as_of=as_of, unknown=unknown)
    columns: Dict[str, Any] = {}
    for fact in pack.facts:
        parts = fact.path.split(".")
        values = []
        for case in cases:
            node: Any = case
            for part in parts:
                node = node.get(part) if isinstance(node, dict) else None
                if node is None:
                    break
            values.append(node)
        if fact.kind == "date":
            columns[fact.path] = pd.to_datetime(pd.Series(values, dtype=object))
        elif fact.kind == "bool":
            columns[fact.path] = pd.array(values, dtype="boolean")
        elif fact.kind == "number":
            columns[fact.path] = pd.array([float("nan") if v is None else float(v) for v in values], dtype="float64")
        else:
            columns[fact.path] = pd.Series(values, dtype=object).to_numpy()
    index = pd.RangeIndex(n, name=index_name)
    return pd.DataFrame(columns, index=index)
