"""The result contract (docs/result.md) as TypedDicts, so a type checker catches r["levle"].

They are plain dicts at run time; these classes only describe their keys. Fields that a result has
only sometimes (a warning's "suggestion", the case "id" with id_field) are in a total=False subclass,
which works on every Python bia supports (typing.NotRequired needs 3.11).
"""

from __future__ import annotations

from typing import Dict, List, Optional, TypedDict, Union

__all__ = [
    "CaseId",
    "PackInfo",
    "DomainScore",
    "ActionDue",
    "Citation",
    "FiredRule",
    "UndeterminedRule",
    "CaseWarningEntry",
    "Result",
    "Summary",
    "ErrorRecord",
    "FactErrorEntry",
]

#: A case id as id_field passes it through: a string or a number, None when the case has none.
CaseId = Union[str, int, float, None]


class PackInfo(TypedDict):
    name: str
    version: str
    digest: str


class DomainScore(TypedDict):
    title: str
    score: float


class _ActionDue(TypedDict):
    text: str
    due: Optional[str]
    overdue: bool


class ActionDue(_ActionDue, total=False):
    """One action of a fired rule; "immediate" (True) only when the guidance says immediately (language 2)."""

    immediate: bool


class Citation(TypedDict):
    source: str
    title: str
    ref: Optional[str]


class FiredRule(TypedDict):
    rule: str
    title: str
    domain: Optional[str]
    severity: Optional[str]
    score: float
    actions: List[ActionDue]
    cites: List[Citation]


class UndeterminedRule(TypedDict):
    rule: str
    missing: List[str]


class _CaseWarningEntry(TypedDict):
    path: str
    message: str


class CaseWarningEntry(_CaseWarningEntry, total=False):
    """One field of the case the pack does not read; "suggestion" when a declared path is close."""

    suggestion: str


class FactErrorEntry(TypedDict):
    path: str
    message: str


class _Result(TypedDict):
    engine: str
    pack: PackInfo
    as_of: str
    level: str
    possible_level: str
    score: float
    possible_score: float
    domains: Dict[str, DomainScore]
    fired: List[FiredRule]
    undetermined: List[UndeterminedRule]
    missing: List[str]
    warnings: List[CaseWarningEntry]
    ask_first: List[str]


class Result(_Result, total=False):
    """What Pack.evaluate returns (and evaluate_many with format="dict"); "imprecise" only for a
    language 2 pack's case that gives a fact too imprecisely to settle a rule."""

    id: CaseId
    imprecise: List[str]


class _Summary(TypedDict):
    level: str
    possible_level: str
    score: float
    possible_score: float
    fired: List[str]
    undetermined: List[str]
    missing: List[str]
    overdue: List[str]
    ask_first: List[str]


class Summary(_Summary, total=False):
    """What evaluate_many(format="summary") gives for each case."""

    id: CaseId


class _ErrorRecord(TypedDict):
    index: int
    errors: List[FactErrorEntry]


class ErrorRecord(_ErrorRecord, total=False):
    """evaluate_many(errors="collect")'s entry for a case that could not be evaluated."""

    id: CaseId
