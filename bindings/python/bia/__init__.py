"""bia: the best-interests assessment rules engine, for Python.

Compile a pack of rules once, then score cases (dicts, JSON text, pandas
DataFrames) against it::

    import bia
    pack = bia.load("rules/protect")
    result = pack.evaluate({"child": {"unaccompanied": True}}, as_of="2026-03-10")
    result["level"], result["missing"]

A result is the result contract of docs/result.md as Python objects. bia
supports a human assessment; it never makes the decision.
"""

from __future__ import annotations

import datetime as _datetime
import os
import threading
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from ._args import check_errors_mode, check_str, check_threads, hide_arguments
from ._errors import CaseWarning, CompileError, Diagnostic, FactError, UndeclaredColumnsWarning
from ._types import (
    ActionDue,
    CaseId,
    CaseWarningEntry,
    Citation,
    DomainScore,
    ErrorRecord,
    FactErrorEntry,
    FiredRule,
    PackInfo,
    Result,
    Summary,
    UndeterminedRule,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "Pack",
    "compile",
    "load",
    "CompileError",
    "FactError",
    "Diagnostic",
    "UndeclaredColumnsWarning",
    "CaseWarning",
    "Result",
    "Summary",
    "ErrorRecord",
    "CaseWarningEntry",
    "FactErrorEntry",
    "FiredRule",
    "UndeterminedRule",
    "ActionDue",
    "Citation",
    "DomainScore",
    "PackInfo",
    "CaseId",
    "Fact",
    "Rule",
    "Level",
    "Domain",
    "Source",
    "TestReport",
    "TestResult",
    "RuleCoverage",
    "Explanation",
    "ExplainStep",
    "__version__",
    "ENGINE_VERSION",
    "LANGUAGE_VERSION",
    "RESULT_VERSION",
    "LIMITS",
]

#: The version of this package, the same as the C++ library it wraps.
hide_arguments(_core)  # no TypeError of the compiled module shows its arguments (a case's values)

__version__: str = _core.__version__
#: The version of the engine the module was built with, as results report it.
ENGINE_VERSION: str = _core.engine_version
#: The version of the rule language the engine reads.
LANGUAGE_VERSION: str = _core.language_version
#: The version of the result contract (docs/result.md).
RESULT_VERSION: str = _core.result_version
#: The engine's limits on untrusted input (source size, nesting depth, ...).
LIMITS: Dict[str, int] = dict(_core.limits)

Facts = Union[Mapping[str, Any], str, bytes]
AsOf = Union[_datetime.date, str, None]
#: A result: the contract of docs/result.md as a dict.
Result = Dict[str, Any]


@dataclass(frozen=True)
class Fact:
    """A fact a pack declares: where it lives in a case and what it holds."""

    path: str
    #: One of "bool", "number", "text", "date", "one_of", "set_of", "list" (language 2).
    kind: str
    #: The type as written in the language, e.g. ``one of {"girl", "boy"}``.
    type: str
    #: The allowed strings of a ``one of`` or ``set of`` type, else empty.
    members: Tuple[str, ...]
    description: str
    #: A list (language 2): the record its elements are, their fields (each ``path`` a field's
    #: name), and the most elements a case may give. Empty and 0 for other facts.
    record: str = ""
    fields: Tuple["Fact", ...] = ()
    capacity: int = 0
    #: Language 2: a case may give it as a partial date or a number range (every date and number
    #: fact of a language 2 pack not declared ``exact``); a ``date or never`` fact may be "never".
    imprecise: bool = False
    never: bool = False


def _fact(t: tuple) -> Fact:
    path, kind, type_text, members, description, record, fields, capacity, imprecise, never = t
    return Fact(
        path, kind, type_text, tuple(members), description, record, tuple(_fact(f) for f in fields), capacity, imprecise, never
    )


@dataclass(frozen=True)
class Rule:
    """A rule of a pack, as declared."""

    name: str
    title: str
    domain: Optional[str]
    severity: Optional[str]
    score: float


@dataclass(frozen=True)
class Level:
    """An urgency level; ``at`` is the score that implies it, if any."""

    name: str
    at: Optional[float]


@dataclass(frozen=True)
class Domain:
    """A domain rules are grouped in, e.g. "safety"."""

    name: str
    title: str


@dataclass(frozen=True)
class Source:
    """A guidance document rules cite."""

    id: str
    title: str


@dataclass(frozen=True)
class TestResult:
    """One ``test`` declaration of a pack and how it went."""

    name: str
    #: The file the test is declared in, and the line of its ``test`` keyword.
    path: str
    line: int
    #: One message per failed expectation, or why the test could not run.
    failures: Tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class RuleCoverage:
    """Whether a pack's tests exercise one rule."""

    rule: str
    fired: bool
    not_fired: bool
    undetermined: bool
    #: As ``bia test --coverage`` counts it: fired or left undetermined by some test.
    covered: bool


@dataclass(frozen=True)
class TestReport:
    """What :meth:`Pack.run_tests` found: each test's outcome and each rule's coverage."""

    tests: Tuple[TestResult, ...]
    coverage: Tuple[RuleCoverage, ...]
    #: Percentage of the pack's rules the tests cover (100 for a pack without rules).
    coverage_percent: float

    @property
    def passed(self) -> int:
        return sum(1 for t in self.tests if t.passed)

    @property
    def failed(self) -> int:
        return len(self.tests) - self.passed

    @property
    def ok(self) -> bool:
        """True when every test passed."""
        return self.failed == 0

    def __str__(self) -> str:
        lines = [f"{t.path}:{t.line}: {t.name}: {failure}" for t in self.tests for failure in t.failures]
        lines.append(f"{self.passed} passed, {self.failed} failed; rule coverage {self.coverage_percent:.1f}%")
        return "\n".join(lines)


@dataclass(frozen=True)
class ExplainStep:
    """One sub-expression of a rule's condition and its value for the case."""

    depth: int
    expression: str
    #: "true", "false", "unknown", a number, a date, a quoted string, ...
    value: str
    #: The expression is the definition of a ``let`` used above it.
    via_let: bool


@dataclass(frozen=True)
class Explanation:
    """Why a rule fired, did not fire, or is undetermined for one case.

    Unlike results and errors, an explanation shows the case's values: showing
    them is its purpose. ``str(explanation)`` is the engine's rendering.
    """

    rule: str
    title: str
    #: "fired", "not_fired" or "undetermined".
    outcome: str
    steps: Tuple[ExplainStep, ...]
    #: For an undetermined rule: the facts it waits for ...
    missing: Tuple[str, ...]
    #: ... and single facts whose value alone would make it fire ("child.unaccompanied = true").
    would_fire: Tuple[str, ...]
    text: str = field(default="", repr=False, compare=False)

    def __str__(self) -> str:
        return self.text


class Pack:
    """A compiled pack of rules: immutable, cheap to share, safe to use from many threads.

    Made by :func:`bia.compile` or :func:`bia.load`. A Pack pickles by its
    source, so it can be sent to worker processes (multiprocessing, Dask,
    Spark), where it is compiled again to the same digest.
    """

    __slots__ = ("_impl", "_cache", "__weakref__")

    def __init__(self) -> None:
        raise TypeError("make a Pack with bia.compile() or bia.load()")

    @classmethod
    def _wrap(cls, impl: Any) -> "Pack":
        self = object.__new__(cls)
        self._impl = impl
        self._cache = {}
        return self

    # -- what the pack is ----------------------------------------------------

    @property
    def name(self) -> str:
        """The pack's name, from its ``pack NAME version ...`` header."""
        return self._impl.name

    @property
    def version(self) -> str:
        """The pack's version string, e.g. ``"1.0.0"``."""
        return self._impl.version

    @property
    def title(self) -> str:
        """The pack's title, from its header."""
        return self._impl.title

    @property
    def digest(self) -> str:
        """``"sha256:<hex>"`` over the pack's source bytes: which rules scored a case."""
        return self._impl.digest

    @property
    def origin(self) -> str:
        """The path or name the pack was compiled from."""
        return self._impl.origin

    def _cached(self, key: str, make: Any) -> Any:
        value = self._cache.get(key)
        if value is None:
            value = make()
            self._cache[key] = value  # a race only computes the same value twice
        return value

    @property
    def facts(self) -> List[Fact]:
        """The facts the pack declares, in declaration order, with types and descriptions."""
        return list(
            self._cached(
                "facts",
                lambda: tuple(_fact(t) for t in self._impl.facts()),
            )
        )

    @property
    def rules(self) -> List[Rule]:
        """The pack's rules, in pack order."""
        return list(self._cached("rules", lambda: tuple(Rule(*r) for r in self._impl.rules())))

    @property
    def levels(self) -> List[Level]:
        """The urgency levels, lowest first."""
        return list(self._cached("levels", lambda: tuple(Level(*l) for l in self._impl.levels())))

    @property
    def domains(self) -> List[Domain]:
        """The domains, in declaration order."""
        return list(self._cached("domains", lambda: tuple(Domain(*d) for d in self._impl.domains())))

    @property
    def citation_sources(self) -> List[Source]:
        """The guidance documents the pack's rules cite."""
        return list(self._cached("sources", lambda: tuple(Source(*s) for s in self._impl.citation_sources())))

    def sources(self) -> List[Dict[str, str]]:
        """The pack's source files as read: ``[{"name": ..., "text": ...}]``."""
        return [
            {"name": name, "text": text.decode("utf-8", "surrogateescape")}
            for name, text in self._impl.source_files()
        ]

    # -- evaluating ----------------------------------------------------------

    def evaluate(
        self, facts: Facts, *, as_of: AsOf = None, strict: bool = False, accept_near_misses: bool = False
    ) -> Dict[str, Any]:
        """Evaluates one case and returns the result contract as a dict.

        ``facts`` is a dict (fact ``a.b`` at ``facts["a"]["b"]``; ``None`` or an
        absent field means unknown; dates as ``datetime.date`` or
        ``"YYYY-MM-DD"``), or the same as JSON ``str`` or ``bytes``.
        ``as_of`` is the evaluation's "today" (a ``datetime.date`` or ISO
        string; default: today's local date). With ``strict``, fields the pack
        does not declare are errors instead of warnings. Such fields are in the
        result's ``"warnings"`` and raised as a :class:`CaseWarning`; one whose
        name is close to a fact the case leaves unknown (a likely misspelling,
        "did you mean ...") refuses the case, unless ``accept_near_misses``.

        Raises :class:`FactError` (naming the field, never its value) when the
        facts cannot be read.
        """
        result = self._impl.evaluate(facts, as_of, bool(strict), bool(accept_near_misses))
        if result["warnings"]:
            _warn_case([(w["path"], w["message"]) for w in result["warnings"]])
        return result

    def evaluate_many(
        self,
        cases: Iterable[Facts],
        *,
        as_of: AsOf = None,
        strict: bool = False,
        threads: int = 0,
        errors: str = "raise",
        format: str = "dict",
        accept_near_misses: bool = False,
        id_field: Optional[str] = None,
        progress: Any = False,
    ) -> List[Any]:
        """Evaluates many cases on ``threads`` threads (0: every core) and returns results in input order.

        ``cases`` is any iterable of dicts, JSON strings or bytes; JSON text is
        the fastest. The GIL is released while cases are evaluated, so other
        Python threads keep running. A bad case raises :class:`FactError`
        whose ``index`` is the case's position; with ``errors="collect"`` its
        slot instead holds ``{"index": i, "errors": [{"path", "message"}, ...]}``
        and evaluation goes on. All cases share one ``as_of`` (default: today).

        ``format="json"`` returns each result as the contract's JSON text
        (what ``bia run --format json`` prints) instead of a dict, rendered on
        the worker threads: the quickest way to store a cohort's results.
        ``format="summary"`` returns for each case a dict with the fields of
        :meth:`evaluate_frame`'s row: ``level``, ``possible_level``,
        ``score``, ``possible_score``, ``fired`` and ``undetermined`` (rule
        names), ``missing`` (fact paths), ``overdue`` (texts of overdue
        actions) and ``ask_first`` (fact paths, docs/result.md#ask-first):
        a dozen Python objects a case instead of hundreds, for cohort statistics.

        ``id_field`` names the path of each case's id (``"case_id"``,
        ``"meta.id"``): that field is not warned about, and its value (a
        string or a number; ``None`` when a case has none) is the ``"id"`` of
        the case's result, summary or error record, and ``FactError.id``.
        Undeclared fields are handled as in :meth:`evaluate`; with
        ``format="dict"``, one :class:`CaseWarning` counts the cases that had
        any.

        ``progress=True`` shows progress on standard error while cases are
        evaluated, only when it is a terminal: a tqdm bar when tqdm is
        installed, else a plain line rewritten twice a second.
        ``progress="tqdm"`` or ``"plain"`` shows that one whatever standard
        error is; a callable is called as ``progress(done, total)`` after
        each batch of 512 cases (``total`` is None when ``cases`` has no
        ``len()``).
        """
        collect = check_errors_mode(errors)
        if not isinstance(format, str) or format not in ("dict", "json", "summary"):
            raise ValueError("format must be 'dict', 'json' or 'summary'")
        if id_field is not None:
            id_field = check_str(id_field, "id_field")
        from ._progress import reporter

        report = reporter(progress, len(cases) if hasattr(cases, "__len__") else None)
        try:
            results = self._impl.evaluate_many(
                cases,
                as_of,
                bool(strict),
                check_threads(threads),
                collect,
                format,
                accept_near_misses=bool(accept_near_misses),
                id_field=id_field,
                progress=report,
            )
        finally:
            if report is not None:
                report.close()
        if format == "dict":
            warned = [(i, r["warnings"]) for i, r in enumerate(results) if r.get("warnings")]
            if warned:
                first, listed = warned[0]
                _warn_case(
                    [(w["path"], w["message"]) for w in listed],
                    f"{len(warned)} of {len(results)} cases have fields the pack does not read "
                    f"(see each result's \"warnings\"); case {first}: ",
                )
        return results

    def evaluate_frame(
        self,
        frame: "pandas.DataFrame",
        *,
        as_of: AsOf = None,
        strict: bool = False,
        threads: int = 0,
        errors: str = "raise",
        accept_near_misses: bool = False,
        id_field: Optional[str] = None,
        progress: Any = False,
    ) -> "pandas.DataFrame":
        """Scores a pandas DataFrame with one case per row and returns one row of results per case.

        Columns are fact paths (``"child.unaccompanied"``); NaN, None, ``pd.NA``
        and ``NaT`` mean unknown. Dates may be Timestamps, ``datetime.date`` or
        ``"YYYY-MM-DD"`` strings; numpy scalars are fine. Columns that are not
        facts of the pack are ignored with an :class:`UndeclaredColumnsWarning`
        (an error with ``strict``).

        The result has the input's index and the columns ``level`` and
        ``possible_level`` (ordered categoricals of the pack's levels),
        ``score``, ``possible_score``, ``fired``, ``undetermined`` (rule names),
        ``missing`` (fact paths), ``overdue`` (texts of overdue actions) and
        ``ask_first`` (fact paths, docs/result.md#ask-first); with ``errors="collect"`` also ``error`` (None, or what was wrong with
        the row, whose other columns are then empty). A :class:`FactError`
        names the row by its index label (``label``; ``index`` is its
        position).

        A column whose name is close to a fact the frame has no column for (a
        likely misspelling, "did you mean ...") raises :class:`FactError`,
        unless ``accept_near_misses``. ``id_field`` names a column of case ids:
        it is not warned about, and comes first in the result as ``id``.
        ``progress`` is as in :meth:`evaluate_many`, counting rows.
        """
        from ._frame import evaluate_frame

        return evaluate_frame(
            self,
            frame,
            as_of=as_of,
            strict=strict,
            threads=threads,
            errors=errors,
            accept_near_misses=accept_near_misses,
            id_field=id_field,
            progress=progress,
        )

    def frame_meta(self, *, errors: str = "raise") -> "pandas.DataFrame":
        """An empty DataFrame with :meth:`evaluate_frame`'s columns and dtypes (Dask's ``meta=``)."""
        from ._frame import frame_meta

        return frame_meta(self, errors=errors)

    def report(
        self,
        facts: Facts,
        *,
        as_of: AsOf = None,
        strict: bool = False,
        format: str = "text",
        accept_near_misses: bool = False,
    ) -> str:
        """Evaluates one case and renders it: ``"text"`` (a case-conference sheet),
        ``"html"`` (one self-contained page) or ``"json"`` (the contract's exact bytes).
        Undeclared fields are handled as in :meth:`evaluate` (text and HTML show them first)."""
        text, case_warnings = self._impl.render(
            facts, as_of, bool(strict), check_str(format, "format"), bool(accept_near_misses)
        )
        if case_warnings:
            _warn_case(case_warnings)
        return text

    def run_tests(self) -> TestReport:
        """Runs the pack's own ``test`` declarations and measures their rule coverage.

        Case files a test names are read relative to the file that declares the
        test, so a pack compiled from a string (or unpickled far from its
        files) can only run tests whose cases are written inline. Check
        ``report.ok``; ``str(report)`` lists the failures and a summary line.
        """
        tests, coverage, percent = self._impl.run_tests()
        return TestReport(
            tuple(TestResult(name, path, line, tuple(failures)) for name, path, line, failures in tests),
            tuple(RuleCoverage(*c) for c in coverage),
            percent,
        )

    def explain(self, facts: Facts, rule: str, *, as_of: AsOf = None, strict: bool = False) -> Explanation:
        """Explains one rule's outcome for one case, sub-expression by sub-expression.

        Raises :class:`KeyError` for a rule the pack does not have and
        :class:`FactError` when the facts cannot be read.
        """
        name, title, outcome, steps, missing, would_fire, text = self._impl.explain(
            facts, check_str(rule, "rule"), as_of, bool(strict)
        )
        return Explanation(
            name, title, outcome, tuple(ExplainStep(*s) for s in steps), tuple(missing), tuple(would_fire), text
        )

    # -- Python protocol -----------------------------------------------------

    def __reduce__(self) -> Any:
        return (_unpickle_pack, (self.origin, tuple(self._impl.source_files()), self.digest))

    def __repr__(self) -> str:
        return f"<bia.Pack {self.name} {self.version} {self.digest[:19]}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Pack):
            return NotImplemented
        return self.digest == other.digest

    def __hash__(self) -> int:
        return hash(self.digest)


def _check_max_source_bytes(value: Optional[int]) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_source_bytes must be an int or None, not {type(value).__name__}")
    if not 1 <= value <= 1 << 30:
        raise ValueError(f"max_source_bytes must be between 1 and {1 << 30} (1 GiB), not {value}")
    return value


def compile(source: Union[str, bytes], name: str = "<string>", *, max_source_bytes: Optional[int] = None) -> Pack:
    """Compiles a pack from source text; ``name`` is used in diagnostics.

    ``max_source_bytes`` raises (or lowers) the limit on the source's size,
    4 MiB by default (``bia.limits``); a larger source is error E0503.
    Raises :class:`CompileError` listing every problem found.
    """
    if not isinstance(name, str):
        raise TypeError("name must be a str")
    return Pack._wrap(_core.compile(source, name, _check_max_source_bytes(max_source_bytes)))


def load(path: Union[str, "os.PathLike[str]"], *, max_source_bytes: Optional[int] = None) -> Pack:
    """Reads and compiles a pack from a ``.bia`` file, or from a directory whose
    top-level ``.bia`` files are read, in name order, as one pack.

    ``max_source_bytes`` raises (or lowers) the limit on the pack's size, all
    its files together: 4 MiB by default (``bia.limits``); a larger pack is
    error E0503. Raises :class:`FileNotFoundError` when there is nothing at
    ``path`` and :class:`CompileError` when the pack does not compile.
    Subdirectories are not read: each one that holds ``.bia`` files gets a
    :class:`UserWarning`, as the `bia` command warns on standard error.
    """
    limit = _check_max_source_bytes(max_source_bytes)
    fspath = os.fspath(path)
    if not os.path.exists(fspath):
        raise FileNotFoundError(2, "no pack at this path", fspath)
    if os.path.isdir(fspath):
        _warn_ignored_subdirectories(fspath)
    return Pack._wrap(_core.load(os.fsencode(fspath), limit))


def _warn_case(listed: Sequence[Tuple[str, str]], head: str = "", stacklevel: int = 3) -> None:
    # One CaseWarning naming each ignored field (paths and the engine's messages, never values),
    # pointing at the caller of the Pack method: stacklevel 3 skips this function and that method.
    fields = "; ".join(f"{path}: {message}" for path, message in listed)
    warnings.warn(head + fields, CaseWarning, stacklevel=stacklevel)


def _warn_ignored_subdirectories(directory: str) -> None:
    # Rules sorted into folders would otherwise vanish from the pack without a word (docs/language.md).
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        count = sum(
            1
            for folder, _, files in os.walk(entry.path)
            for name in files
            if name.endswith(".bia") and os.path.isfile(os.path.join(folder, name))
        )
        if count:
            warnings.warn(
                f"{os.path.join(directory, entry.name)}: {count} .bia file{' is' if count == 1 else 's are'} "
                "not read: a pack directory is only the .bia files directly in it",
                UserWarning,
                stacklevel=3,
            )


# Worker processes receive the same pack once per task; compile it once each.
_unpickled: Dict[Tuple[Any, ...], Pack] = {}
_unpickled_lock = threading.Lock()


def _unpickle_pack(origin: str, files: Sequence[Tuple[str, bytes]], digest: Optional[str] = None) -> Pack:
    key = (origin, tuple((name, bytes(text)) for name, text in files))
    with _unpickled_lock:
        pack = _unpickled.get(key)
    if pack is None:
        # The pack was read once already, perhaps with a larger max_source_bytes: allow its own size.
        size = sum(len(text) for _, text in key[1])
        pack = Pack._wrap(_core.compile_files(list(key[1]), origin, max(size, _core.limits["max_source_bytes"])))
        if digest is not None and pack.digest != digest:
            raise ValueError("the unpickled pack compiled to a different digest than it was pickled with")
        with _unpickled_lock:
            if len(_unpickled) >= 16:
                _unpickled.clear()
            _unpickled[key] = pack
    return pack
