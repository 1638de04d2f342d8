"""The errors bia raises, and the diagnostics a CompileError carries.

They are plain Python classes (the compiled module creates them by name), so
they pickle: an error raised in a Dask or multiprocessing worker arrives intact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

__all__ = ["Diagnostic", "CompileError", "FactError", "UndeclaredColumnsWarning", "CaseWarning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a pack's source.

    ``line`` and ``column`` are 1-based; the column counts Unicode code points.
    ``code`` is a stable identifier (e.g. ``"E0201"``) documented in
    docs/language.md.
    """

    code: str
    path: str
    line: int
    column: int
    message: str
    source_line: str = ""
    # The engine's own rendering (the same text `bia check` prints).
    formatted: str = field(default="", repr=False, compare=False)

    def __str__(self) -> str:
        if self.formatted:
            return self.formatted
        head = f"{self.path}:{self.line}:{self.column}: error: {self.message}"
        if not self.source_line:
            return head
        # The caret sits under the column, counting code points like the engine.
        caret = " " * (self.column - 1) + "^"
        return f"{head}\n{self.source_line}\n{caret}"


class CompileError(ValueError):
    """A pack did not compile.

    ``str(error)`` is the full report, one ``path:line:column: error: message``
    per problem with the source line and a caret; ``error.diagnostics`` holds
    the same problems as :class:`Diagnostic` objects.
    """

    diagnostics: List[Diagnostic]

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)

    def __reduce__(self) -> Any:
        return (type(self), (self.args[0] if self.args else "", self.diagnostics))


class FactError(ValueError):
    """A case's facts could not be read, so the case was not evaluated.

    ``path`` is the first offending field (``child.birth_date``,
    ``child.indicators[2]``); ``errors`` lists every problem as
    ``{"path": ..., "message": ...}``; ``index`` is the case's position in
    :meth:`bia.Pack.evaluate_many` / :meth:`bia.Pack.evaluate_frame` input, or
    ``None``; ``label`` is the row's index label in evaluate_frame's input
    (which the message names), else ``None``; ``id`` is the case's id when
    ``id_field`` was given (``None`` otherwise, or when the case has none).
    Messages name the expected type and the type found, never the
    value: children's data must not leak into logs.
    """

    path: Optional[str]
    errors: List[Dict[str, str]]
    index: Optional[int]
    id: Any
    label: Any

    def __init__(
        self,
        message: str,
        path: Optional[str] = None,
        errors: Sequence[Dict[str, str]] = (),
        index: Optional[int] = None,
        id: Any = None,
        label: Any = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.errors = [dict(e) for e in errors]
        self.index = index
        self.id = id
        self.label = label

    def __reduce__(self) -> Any:
        return (
            type(self),
            (self.args[0] if self.args else "", self.path, self.errors, self.index, self.id, self.label),
        )


class UndeclaredColumnsWarning(UserWarning):
    """evaluate_frame was given columns that are not facts of the pack; they were ignored."""


class CaseWarning(UserWarning):
    """A case had fields the pack does not read, so they were ignored.

    Raised through :func:`warnings.warn` by :meth:`bia.Pack.evaluate`,
    :meth:`bia.Pack.report` and :meth:`bia.Pack.evaluate_many` (one warning per
    call, counting the cases). The message names each field's path and, when a
    declared fact is close, says "did you mean ...": a misspelt fact is
    unknown to the rules and may lower the level. The same warnings stay in
    the result's ``"warnings"`` list. Turn it into an error with
    ``warnings.simplefilter("error", bia.CaseWarning)``.
    """
