"""pandas support: a DataFrame of cases in, a DataFrame of results out.

pandas is imported only here, so ``import bia`` works without it.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, List

from ._args import check_errors_mode, check_threads
from ._errors import FactError, UndeclaredColumnsWarning

if TYPE_CHECKING:  # pragma: no cover
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

    from . import Pack

# The columns as the engine's description of the contract gives them, in order
# (ask_first, result 1.1, comes last, so the columns of 1.0 keep their positions):
# (name, kind) with kind "level", "number" or "list".
def _columns() -> List[Any]:
    from . import _core  # type: ignore[attr-defined, unused-ignore]  # (the stub bia/__init__.pyi does not list it)

    return list(_core.summary_columns)


def _level_dtype(pack: "Pack") -> Any:
    import pandas as pd

    return pd.CategoricalDtype([level.name for level in pack.levels], ordered=True)


def _build(pack: "Pack", columns: dict, index: Any, collect: bool) -> "pandas.DataFrame":
    import pandas as pd

    levels = _level_dtype(pack)
    data: dict = {}
    for name, kind in _columns():
        if kind == "level":
            data[name] = pd.Categorical(columns[name], dtype=levels)
        elif kind == "number":
            data[name] = pd.array(columns[name], dtype="float64")
        else:
            # Object Series keep None as None (pandas 3 would infer a string dtype
            # from an array); they are built on a plain range and the input's index
            # is set afterwards, since aligning on an index with duplicate labels fails.
            data[name] = pd.Series(columns[name], dtype=object)
    if collect:
        data["error"] = pd.Series(columns["error"], dtype=object)
    frame = pd.DataFrame(data)
    frame.index = index
    return frame


def frame_meta(pack: "Pack", *, errors: str = "raise") -> "pandas.DataFrame":
    import pandas as pd

    collect = check_errors_mode(errors)
    empty: dict = {name: [] for name, _ in _columns()}
    empty["error"] = []
    return _build(pack, empty, pd.RangeIndex(0), collect)


def _plain(value: Any) -> Any:
    # numpy scalars as Python ones, so messages read 7, not np.int64(7).
    return value.item() if hasattr(value, "item") and callable(value.item) else value


def _cells(series: "pandas.Series") -> List[Any]:
    # tolist() gives Python scalars (numpy ints -> int, datetime64 -> Timestamp,
    # pd.NA / NaN / NaT kept as markers the C++ side reads as unknown).
    return series.tolist()


def evaluate_frame(
    pack: "Pack",
    frame: "pandas.DataFrame",
    *,
    as_of: Any = None,
    strict: bool = False,
    threads: int = 0,
    errors: str = "raise",
    accept_near_misses: bool = False,
    id_field: Any = None,
    progress: Any = False,
) -> "pandas.DataFrame":
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"evaluate_frame needs a pandas DataFrame, not {type(frame).__name__}")
    collect = check_errors_mode(errors)
    threads = check_threads(threads)
    if not frame.columns.is_unique:
        dupes = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise ValueError(f"columns appear more than once: {', '.join(dupes)}")

    if id_field is not None:
        if not isinstance(id_field, str):
            raise TypeError(f"id_field must be a str, not {type(id_field).__name__}")
        problem = pack._impl.id_field_problem(id_field)
        if problem:
            raise ValueError(f"id_field: {problem}")
        if id_field not in frame.columns:
            raise ValueError(f"id_field: the frame has no column {id_field!r}")

    declared = {fact.path for fact in pack.facts}
    paths: List[str] = []
    columns: List[List[Any]] = []
    undeclared: List[str] = []
    for position, column in enumerate(frame.columns):
        if isinstance(column, str) and column in declared:
            paths.append(column)
            columns.append(_cells(frame.iloc[:, position]))
        elif column != id_field:
            undeclared.append(str(column))
    if undeclared:
        # The engine's "did you mean" for a misspelt column; a near miss (close to a fact for which
        # the frame has no column, which every row then leaves unknown) refuses the frame, as the
        # engine refuses such a case (docs/result.md, "Misspelt fields").
        closest = {c: pack._impl.closest_path(c) for c in undeclared}
        near = [
            c
            for c in undeclared
            if closest[c] and not any(p == closest[c] or p.startswith(closest[c] + ".") for p in paths)
        ]
        if near and not accept_near_misses and not strict:
            raise FactError(
                f"columns that are likely misspellings of facts of pack {pack.name}, which the frame "
                "leaves unknown: "
                + "; ".join(f"{c}: did you mean {closest[c]!r}?" for c in near)
                + " (to evaluate it anyway, pass accept_near_misses=True)",
                path=near[0],
                errors=[
                    {"path": c, "message": f"is not a fact of this pack; did you mean {closest[c]!r}?"} for c in near
                ],
            )
        shown = [c + (f" (did you mean {closest[c]!r}?)" if closest[c] else "") for c in undeclared]
        listed = ", ".join(shown[:10]) + (", ..." if len(shown) > 10 else "")
        if strict:
            raise FactError(
                f"columns that are not facts of pack {pack.name}: {listed}",
                path=undeclared[0],
                errors=[{"path": c, "message": "not a fact of the pack"} for c in undeclared],
            )
        warnings.warn(
            f"ignoring columns that are not facts of pack {pack.name}: {listed}",
            UndeclaredColumnsWarning,
            stacklevel=3,
        )

    from ._progress import reporter

    report = reporter(progress, len(frame))
    try:
        result = pack._impl.evaluate_columns(
            paths, columns, len(frame), as_of, bool(strict), threads, collect, progress=report
        )
    except FactError as error:
        if error.index is None:
            raise
        # Name the row as the frame does, by its index label; its position stays in `index`.
        label = _plain(frame.index[error.index])
        case_id = _plain(frame[id_field].iloc[error.index]) if id_field is not None else None
        message = str(error)
        prefix = f"case {error.index}: "
        if message.startswith(prefix):
            message = message[len(prefix):]
        head = f"row {label!r} (position {error.index}" + (f", id {case_id!r}" if id_field is not None else "") + ")"
        raise FactError(
            f"{head}: {message}", path=error.path, errors=error.errors, index=error.index, id=case_id, label=label
        ) from None
    finally:
        if report is not None:
            report.close()
    out = _build(pack, result, frame.index, collect)
    if id_field is not None:
        out.insert(0, "id", frame[id_field].to_numpy(dtype=object))
    return out
