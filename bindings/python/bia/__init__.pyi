# Type stubs for the bia package: what an IDE shows for `import bia`.
import datetime
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, Union, overload

import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

from ._errors import CompileError as CompileError
from ._errors import Diagnostic as Diagnostic
from ._errors import FactError as FactError
from ._errors import UndeclaredColumnsWarning as UndeclaredColumnsWarning
from ._errors import CaseWarning as CaseWarning
from ._types import ActionDue as ActionDue
from ._types import CaseId as CaseId
from ._types import CaseWarningEntry as CaseWarningEntry
from ._types import Citation as Citation
from ._types import DomainScore as DomainScore
from ._types import ErrorRecord as ErrorRecord
from ._types import FactErrorEntry as FactErrorEntry
from ._types import FiredRule as FiredRule
from ._types import PackInfo as PackInfo
from ._types import Result as Result
from ._types import Summary as Summary
from ._types import UndeterminedRule as UndeterminedRule

__version__: str
ENGINE_VERSION: str
LANGUAGE_VERSION: str
RESULT_VERSION: str
LIMITS: Dict[str, int]

Facts = Union[Mapping[str, Any], str, bytes]
AsOf = Union[datetime.date, str, None]

@dataclass(frozen=True)
class Fact:
    path: str
    kind: Literal["bool", "number", "text", "date", "one_of", "set_of", "list"]
    type: str
    members: Tuple[str, ...]
    description: str
    record: str = ...
    fields: Tuple[Fact, ...] = ...
    capacity: int = ...
    imprecise: bool = ...
    never: bool = ...

@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    domain: Optional[str]
    severity: Optional[str]
    score: float

@dataclass(frozen=True)
class Level:
    name: str
    at: Optional[float]

@dataclass(frozen=True)
class Domain:
    name: str
    title: str

@dataclass(frozen=True)
class Source:
    id: str
    title: str

@dataclass(frozen=True)
class TestResult:
    name: str
    path: str
    line: int
    failures: Tuple[str, ...]
    @property
    def passed(self) -> bool: ...

@dataclass(frozen=True)
class RuleCoverage:
    rule: str
    fired: bool
    not_fired: bool
    undetermined: bool
    covered: bool

@dataclass(frozen=True)
class TestReport:
    tests: Tuple[TestResult, ...]
    coverage: Tuple[RuleCoverage, ...]
    coverage_percent: float
    @property
    def passed(self) -> int: ...
    @property
    def failed(self) -> int: ...
    @property
    def ok(self) -> bool: ...

@dataclass(frozen=True)
class ExplainStep:
    depth: int
    expression: str
    value: str
    via_let: bool

@dataclass(frozen=True)
class Explanation:
    rule: str
    title: str
    outcome: Literal["fired", "not_fired", "undetermined"]
    steps: Tuple[ExplainStep, ...]
    missing: Tuple[str, ...]
    would_fire: Tuple[str, ...]
    text: str = ...

class Pack:
    """A compiled pack of rules: immutable, picklable, safe to share between threads."""

    _impl: Any

    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def digest(self) -> str:
        """``"sha256:<hex>"`` over the pack's source bytes."""
    @property
    def origin(self) -> str: ...
    @property
    def facts(self) -> List[Fact]: ...
    @property
    def rules(self) -> List[Rule]: ...
    @property
    def levels(self) -> List[Level]: ...
    @property
    def domains(self) -> List[Domain]: ...
    @property
    def citation_sources(self) -> List[Source]: ...
    def sources(self) -> List[Dict[str, str]]: ...
    def evaluate(
        self, facts: Facts, *, as_of: AsOf = ..., strict: bool = ..., accept_near_misses: bool = ...
    ) -> Result:
        """Evaluates one case; returns the result contract as a dict. Raises FactError."""
    # The element type follows format= and errors=: results (dicts), their JSON text, or summaries;
    # with errors="collect" an ErrorRecord may stand in a case's place.
    @overload
    def evaluate_many(
        self,
        cases: Iterable[Facts],
        *,
        as_of: AsOf = ...,
        strict: bool = ...,
        threads: int = ...,
        errors: Literal["raise"] = ...,
        format: Literal["dict"] = ...,
        accept_near_misses: bool = ...,
        id_field: Optional[str] = ...,
        progress: Union[bool, Literal["tqdm", "plain"], Callable[[int, Optional[int]], None]] = ...,
    ) -> List[Result]: ...
    @overload
    def evaluate_many(
        self,
        cases: Iterable[Facts],
        *,
        as_of: AsOf = ...,
        strict: bool = ...,
        threads: int = ...,
        errors: Literal["raise"] = ...,
        format: Literal["summary"],
        accept_near_misses: bool = ...,
        id_field: Optional[str] = ...,
        progress: Union[bool, Literal["tqdm", "plain"], Callable[[int, Optional[int]], None]] = ...,
    ) -> List[Summary]: ...
    @overload
    def evaluate_many(
        self,
        cases: Iterable[Facts],
        *,
        as_of: AsOf = ...,
        strict: bool = ...,
        threads: int = ...,
        errors: Literal["raise", "collect"] = ...,
        format: Literal["json"],
        accept_near_misses: bool = ...,
        id_field: Optional[str] = ...,
        progress: Union[bool, Literal["tqdm", "plain"], Callable[[int, Optional[int]], None]] = ...,
    ) -> List[str]: ...
    @overload
    def evaluate_many(
        self,
        cases: Iterable[Facts],
        *,
        as_of: AsOf = ...,
        strict: bool = ...,
        threads: int = ...,
        errors: Literal["collect"],
        format: Literal["dict"] = ...,
        accept_near_misses: bool = ...,
        id_field: Optional[str] = ...,
        progress: Union[bool, Literal["tqdm", "plain"], Callable[[int, Optional[int]], None]] = ...,
    ) -> List[Union[Result, ErrorRecord]]: ...
    @overload
    def evaluate_many(
        self,
        cases: Iterable[Facts],
        *,
        as_of: AsOf = ...,
        strict: bool = ...,
        threads: int = ...,
        errors: Literal["raise", "collect"] = ...,
        format: Literal["dict", "json", "summary"] = ...,
        accept_near_misses: bool = ...,
        id_field: Optional[str] = ...,
        progress: Union[bool, Literal["tqdm", "plain"], Callable[[int, Optional[int]], None]] = ...,
    ) -> List[Any]:
        """Evaluates cases on many threads (GIL released); results in input order.
        format="json" gives each result as the contract's JSON text; format="summary"
        a dict of evaluate_frame's fields (level, scores, fired, undetermined, missing, overdue, ask_first)."""
    def evaluate_frame(
        self,
        frame: pandas.DataFrame,
        *,
        as_of: AsOf = ...,
        strict: bool = ...,
        threads: int = ...,
        errors: Literal["raise", "collect"] = ...,
        accept_near_misses: bool = ...,
        id_field: Optional[str] = ...,
        progress: Union[bool, Literal["tqdm", "plain"], Callable[[int, Optional[int]], None]] = ...,
    ) -> pandas.DataFrame:
        """One row of results (level, possible_level, score, possible_score, fired,
        undetermined, missing, overdue, ask_first) per case row; columns are fact paths."""
    def frame_meta(self, *, errors: Literal["raise", "collect"] = ...) -> pandas.DataFrame: ...
    def report(
        self,
        facts: Facts,
        *,
        as_of: AsOf = ...,
        strict: bool = ...,
        format: Literal["text", "html", "json"] = ...,
        accept_near_misses: bool = ...,
    ) -> str: ...
    def run_tests(self) -> TestReport:
        """Runs the pack's own `test` declarations; check `.ok`."""
    def explain(self, facts: Facts, rule: str, *, as_of: AsOf = ..., strict: bool = ...) -> Explanation:
        """Why one rule fired, did not fire, or is undetermined for one case."""
    def __reduce__(self) -> Any: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

def compile(source: Union[str, bytes], name: str = ..., *, max_source_bytes: Optional[int] = ...) -> Pack:
    """Compiles a pack from source text. Raises CompileError."""

def load(path: Union[str, os.PathLike[str]], *, max_source_bytes: Optional[int] = ...) -> Pack:
    """Compiles a pack from a .bia file or a directory of them. Raises CompileError."""
