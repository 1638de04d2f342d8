"""Made-up cases for demonstrations, benchmarks and tests. Never real data.

Two generators:

- ``synthetic_cases`` / ``synthetic_json`` / ``synthetic_frame`` (uniform): every
  fact is drawn uniformly from its declared type, whatever the pack. Nearly
  every PROTECT case comes out critical, so these cohorts exercise a pack and
  measure speed; the benchmarks use them, and keep using them so that their
  figures stay comparable from run to run. Not for charts or demonstrations.
- ``realistic_cases`` / ``realistic_json`` / ``realistic_frame`` (realistic):
  PROTECT's facts drawn with plausible frequencies and dependencies (who is
  unaccompanied, their ages, asylum applications, guardians, ...), so levels
  spread over low, medium, high and critical. Where each frequency comes from
  (a published statistic, or invented) is in docs/python.md ("Made-up
  cohorts"). Facts the profile does not know (another pack's) are drawn as the
  uniform generator draws them.

    from bia.synthetic import realistic_frame, synthetic_cases
    cases = synthetic_cases(pack, 1000, seed=1, as_of="2026-03-10")    # benchmarks
    cohort = realistic_frame(pack, 1000, seed=1, as_of="2026-03-10")   # notebooks, charts
"""

from __future__ import annotations

import datetime as _dt
import json
import random
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

if TYPE_CHECKING:  # pragma: no cover
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

    from . import Fact, Pack

__all__ = [
    "synthetic_cases",
    "synthetic_json",
    "synthetic_frame",
    "realistic_cases",
    "realistic_json",
    "realistic_frame",
]


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
    if fact.kind == "list":  # language 2: a few elements, each field known or not
        return [
            {f.path: _value(f, rng, today) for f in fact.fields if rng.random() < 0.8}
            for _ in range(rng.randint(0, min(fact.capacity, 4)))
        ]
    return rng.choice(["A", "B", "C"])


def _case(facts: List["Fact"], rng: random.Random, today: _dt.date, unknown: float) -> Dict[str, Any]:
    case: Dict[str, Any] = {}
    for fact in facts:
        if rng.random() < unknown:
            continue
        _put(case, fact.path, _value(fact, rng, today))
    return case


def _put(case: Dict[str, Any], path: str, value: Any) -> None:
    """Sets fact ``path`` (``a.b.c``) in a nested case; None leaves it unknown."""
    if value is None:
        return
    node = case
    *parents, leaf = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def synthetic_cases(
    pack: "Pack",
    n: int,
    *,
    seed: int = 0,
    as_of: Union[_dt.date, str, None] = None,
    unknown: float = 0.2,
) -> List[Dict[str, Any]]:
    """``n`` uniform random cases as nested dicts; each fact is left out (unknown) with probability ``unknown``.

    Every value is drawn uniformly from the fact's type: the benchmarks' cohort
    (nearly every PROTECT case is critical). For realistic cohorts, see
    :func:`realistic_cases`.

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
    if isinstance(value, list):  # a list fact's elements (language 2)
        return [_jsonable(v) for v in value]
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
    return _json(synthetic_cases(pack, n, seed=seed, as_of=as_of, unknown=unknown))


def _json(cases: List[Dict[str, Any]]) -> List[str]:
    return [json.dumps(_jsonable(c)) for c in cases]


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
    return _frame(pack, synthetic_cases(pack, n, seed=seed, as_of=as_of, unknown=unknown), index_name)


def _frame(pack: "Pack", cases: List[Dict[str, Any]], index_name: Optional[str]) -> "pandas.DataFrame":
    """One row per case, one column per fact path, with the dtypes described in synthetic_frame."""
    import pandas as pd

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
    index = pd.RangeIndex(len(cases), name=index_name)
    return pd.DataFrame(columns, index=index)


# ---------------------------------------------------------------------------
# Realistic cohorts for the PROTECT pack. Every frequency below is either a
# published statistic (named in docs/python.md, "Made-up cohorts", with the
# year) or invented, and marked so here and there. A cohort is a caseload of
# children in the asylum system of an EU Member State, assessed some time after
# arrival; the pack has no sex fact, so the published share of boys is not used.
# ---------------------------------------------------------------------------

# Eurostat, 2023: 17% of first-time asylum applicants under 18 in the EU were
# unaccompanied. Eurostat, 2019 (EU-27): of unaccompanied applicants, 67% were
# 16-17, 22% 14-15 and 11% under 14 (drawn here as 7 to 13).
_UNACCOMPANIED = 0.17
_UNACCOMPANIED_AGES = ((0.67, 16, 17), (0.22, 14, 15), (0.11, 7, 13))
_SEPARATED = 0.03  # invented: children with a relative who is not a parent


# Every fact of PROTECT 1.2 the profile draws; a case that does not record one
# leaves it unknown (durable.aftercare_in_place is for young adults, never drawn).
_PROTECT_PATHS = frozenset(
    {
        "age.assessment_status", "age.disputed", "age.documents_presented", "age.guardian_at_assessment",
        "age.lowest_age_recorded", "age.methods", "age.treated_as_adult", "bia.completed_on", "bia.done",
        "bia.material_change", "bid.appeal_information_given", "bid.professions", "bid.reasons_recorded", "bid.status",
        "child.birth_date", "child.birth_date_source", "child.interpreter_needed", "child.marriage_risk",
        "child.married", "child.pregnant_or_parent", "child.separation", "detention.can_leave", "detention.started_on",
        "detention.status", "disappearance.currently_missing", "disappearance.episodes",
        "disappearance.intends_to_move_on", "disappearance.last_on", "disappearance.reported",
        "disappearance.return_interview_done", "durable.aftercare_in_place", "durable.reasonable_risk_in_origin",
        "durable.reintegration_plan", "durable.safe_reception_confirmed", "durable.transition_plan",
        "education.attending", "education.enrolled", "escort.relation", "escort.verified", "exploitation.hazardous_work",
        "exploitation.indicators", "exploitation.referred", "exploitation.treated_as_offender", "family.assessment_done",
        "family.contact_arranged", "family.in_other_state", "family.reunification_route_started",
        "family.siblings_present", "family.siblings_together", "family.tracing_risk", "family.tracing_status",
        "guardian.appointed", "guardian.appointed_on", "guardian.conflict_of_interest", "guardian.met_child",
        "guardian.present_at_interviews", "health.access_to_care", "health.psych_distress", "health.psych_support",
        "health.screening_done", "health.untreated_need", "health.urgent_need", "identity.background_respected",
        "identity.documents_available", "identity.statelessness_risk", "placement.care_plan", "placement.carers_vetted",
        "placement.changes_6m", "placement.child_consulted", "placement.child_feels_safe",
        "placement.complaint_route_known", "placement.last_reviewed_on", "placement.type",
        "placement.with_unrelated_adults", "procedure.application_made_on", "procedure.applied_on",
        "procedure.arrived_on", "procedure.asylum_status", "procedure.identified_on", "procedure.information_given",
        "procedure.information_understood", "procedure.lawyer_assigned", "procedure.origin_contact_planned",
        "procedure.pending_decisions", "procedure.refoulement_risk", "procedure.transfer_to_family",
        "sharing.basis_recorded", "sharing.pending", "transnational.counterpart_contacted", "views.heard",
        "views.interpreter_used", "views.weighing_recorded", "violence.barnahus_referral", "violence.by_caregiver",
        "violence.corporal_punishment_in", "violence.disclosed", "violence.interviews",
        "violence.perpetrator_has_access", "violence.physical_injury", "violence.sexual", "violence.suspected",
        "violence.where", "violence.witnessed", "vulnerability.disability", "vulnerability.disability_support",
        "vulnerability.parent_support",
        # PROTECT 1.3's language 2 facts: not drawn yet, so every realistic case is shaped as a 1.2
        # case-management export (which 1.3 evaluates as 1.2 did); left unknown, without a draw.
        "age.assessed", "age.assessed_on", "age.statements", "family.members", "placement.history",
        "disappearance.history",
    }
)


def _pick(rng: random.Random, weights: Dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def _protect_case(rng: random.Random, today: _dt.date) -> Dict[str, Any]:
    """One PROTECT case as {fact path: value}; facts never recorded are absent (unknown)."""
    f: Dict[str, Any] = {}
    draw = rng.random()
    separation = "unaccompanied" if draw < _UNACCOMPANIED else "separated" if draw < _UNACCOMPANIED + _SEPARATED else "accompanied"
    alone = separation != "accompanied"
    f["child.separation"] = separation
    if alone:
        _, low, high = rng.choices(_UNACCOMPANIED_AGES, weights=[a[0] for a in _UNACCOMPANIED_AGES])[0]
        age = rng.randint(low, high)
    else:
        age = rng.randint(0, 17)  # invented: accompanied children of every age alike
    # Time in the country: invented, up to two years, most cases recent.
    days_here = min(int(rng.expovariate(1 / 150)), 730)
    arrived = today - _dt.timedelta(days=days_here)
    birth = today - _dt.timedelta(days=age * 365 + rng.randint(0, 364))
    if _chance(rng, 0.9):  # invented: 10% of files without a date of birth
        f["child.birth_date"] = birth
        f["child.birth_date_source"] = _pick(rng, {"document": 0.4, "statement": 0.45, "age_assessment": 0.05, "registry_default": 0.1})
    f["child.interpreter_needed"] = _chance(rng, 0.8)
    identified = min(arrived + _dt.timedelta(days=rng.randint(0, 3)), today)
    f["procedure.arrived_on"] = arrived
    f["procedure.identified_on"] = identified
    # Invented: almost every child in the caseload has applied; decisions follow time.
    status = "not_applied" if _chance(rng, 0.05) else (
        "pending" if days_here < 180 else _pick(rng, {"pending": 0.4, "granted": 0.35, "refused": 0.15, "appeal": 0.1}))
    f["procedure.asylum_status"] = status
    if status != "not_applied":
        made = min(identified + _dt.timedelta(days=rng.randint(0, 5)), today)
        f["procedure.application_made_on"] = made
        if _chance(rng, 0.9):
            f["procedure.applied_on"] = min(made + _dt.timedelta(days=rng.randint(0, 14)), today)
    pending: List[str] = []
    if status in ("pending", "appeal"):
        pending.append("asylum")
    if _chance(rng, 0.03):
        pending.append("transfer")
    if status == "refused" and _chance(rng, 0.3):
        pending.append("return")
    if alone and _chance(rng, 0.05):
        pending.append("family_reunification")
    f["procedure.pending_decisions"] = pending
    if "transfer" in pending:
        f["procedure.transfer_to_family"] = _chance(rng, 0.5)
    if alone:
        f["placement.type"] = _pick(rng, {"child_reception": 0.45, "small_group_home": 0.2, "foster": 0.12, "kinship": 0.08,
                                          "independent_living": 0.08, "adult_reception": 0.05, "no_accommodation": 0.02})
    else:
        f["placement.type"] = _pick(rng, {"family": 0.995, "no_accommodation": 0.005})
    f["placement.with_unrelated_adults"] = _chance(rng, 0.3 if f["placement.type"] == "adult_reception" else 0.02)
    f["placement.child_feels_safe"] = _chance(rng, 0.93)
    # Views, identity, family.
    f["views.heard"] = _chance(rng, 0.85)
    if f["views.heard"]:
        f["views.interpreter_used"] = _chance(rng, 0.95)
    f["views.weighing_recorded"] = _chance(rng, 0.8)
    f["identity.documents_available"] = _chance(rng, 0.3 if alone else 0.6)
    f["identity.background_respected"] = _chance(rng, 0.95)
    f["identity.statelessness_risk"] = _chance(rng, 0.02)
    if alone:
        f["family.tracing_status"] = _pick(rng, {"not_started": 0.1, "consent_pending": 0.1, "in_progress": 0.4, "located": 0.25,
                                                 "not_found": 0.12, "suspended_risk": 0.03})
        f["family.tracing_risk"] = f["family.tracing_status"] == "suspended_risk" or _chance(rng, 0.03)
        f["family.in_other_state"] = _chance(rng, 0.15)
        if f["family.in_other_state"]:
            f["family.reunification_route_started"] = _chance(rng, 0.7)
        if f["family.tracing_status"] == "located":
            f["family.contact_arranged"] = _chance(rng, 0.85)
    else:
        f["family.tracing_status"] = "not_needed"
    f["family.siblings_present"] = _chance(rng, 0.15 if alone else 0.6)
    if f["family.siblings_present"]:
        f["family.siblings_together"] = _chance(rng, 0.95)
    f["escort.relation"] = _pick(rng, {"none": 0.85, "unrelated": 0.1, "relative": 0.05}) if alone else "parent"
    if f["escort.relation"] != "none":
        f["escort.verified"] = _chance(rng, 0.9)
    # Vulnerability and health.
    f["child.married"] = age >= 14 and _chance(rng, 0.01)
    f["child.marriage_risk"] = age >= 12 and _chance(rng, 0.01)
    f["child.pregnant_or_parent"] = age >= 14 and _chance(rng, 0.01)
    if f["child.pregnant_or_parent"]:
        f["vulnerability.parent_support"] = _chance(rng, 0.8)
    f["vulnerability.disability"] = _chance(rng, 0.04)
    if f["vulnerability.disability"]:
        f["vulnerability.disability_support"] = _chance(rng, 0.7)
    f["health.urgent_need"] = _chance(rng, 0.01)
    f["health.screening_done"] = days_here <= 7 and _chance(rng, 0.5) or days_here > 7 and _chance(rng, 0.97)
    f["health.psych_distress"] = _chance(rng, 0.35 if alone else 0.2)
    if f["health.psych_distress"]:
        f["health.psych_support"] = _chance(rng, 0.75)
    f["health.untreated_need"] = _chance(rng, 0.03)
    f["health.access_to_care"] = _chance(rng, 0.97)
    if age >= 6:
        f["education.enrolled"] = days_here < 60 and _chance(rng, 0.4) or days_here >= 60 and _chance(rng, 0.95)
        if f["education.enrolled"]:
            f["education.attending"] = _chance(rng, 0.92)
    # Guardianship: invented, most appointed within days of identification.
    if alone:
        f["guardian.appointed"] = _chance(rng, 0.97 if days_here > 21 else 0.7)
        if f["guardian.appointed"]:
            f["guardian.appointed_on"] = min(identified + _dt.timedelta(days=rng.randint(1, 14)), today)
            f["guardian.conflict_of_interest"] = _chance(rng, 0.02)
            f["guardian.met_child"] = _chance(rng, 0.95)
            f["guardian.present_at_interviews"] = _chance(rng, 0.92)
    # Age assessment: invented, among those travelling alone.
    f["age.disputed"] = alone and age >= 14 and _chance(rng, 0.15)
    if f["age.disputed"]:
        f["age.assessment_status"] = _pick(rng, {"none": 0.2, "pending": 0.3, "done": 0.45, "appeal": 0.05})
        methods = ["interview"] if f["age.assessment_status"] != "none" else []
        if methods and _chance(rng, 0.5):
            methods.append("psychosocial")
        if methods and _chance(rng, 0.2):
            methods.append(_pick(rng, {"xray": 0.6, "dental": 0.39, "sexual_maturity": 0.01}))
        f["age.methods"] = methods
        f["age.documents_presented"] = _chance(rng, 0.15)
        f["age.treated_as_adult"] = _chance(rng, 0.05)
        f["age.guardian_at_assessment"] = _chance(rng, 0.85)
        if f["age.assessment_status"] == "done":
            f["age.lowest_age_recorded"] = _chance(rng, 0.9)
    f["detention.status"] = _pick(rng, {"none": 0.985, "restricted": 0.01, "immigration": 0.004, "criminal": 0.001})
    if f["detention.status"] != "none":
        f["detention.started_on"] = today - _dt.timedelta(days=rng.randint(0, 30))
        if f["detention.status"] == "restricted":
            f["detention.can_leave"] = _chance(rng, 0.8)
    # Trafficking screening: invented; indicators are rare, mostly among children alone.
    if alone or age >= 12 or _chance(rng, 0.5):
        found = [i for i in ("unexplained_money", "fear_of_authorities", "unrelated_escort", "scripted_story", "found_alone",
                             "work_or_lives_at_workplace", "kept_from_school", "controlled_by_adult", "debt_bondage",
                             "documents_held_by_other", "sexual_exploitation_signs")
                 if _chance(rng, (0.02 if alone else 0.004))]
        f["exploitation.indicators"] = found
        if found:
            f["exploitation.referred"] = _chance(rng, 0.6)
    f["exploitation.hazardous_work"] = age >= 12 and _chance(rng, 0.01)
    f["exploitation.treated_as_offender"] = _chance(rng, 0.003)
    # Going missing: invented, mostly unaccompanied adolescents.
    episodes = rng.choices([0, 1, 2], weights=[0.94, 0.05, 0.01] if alone else [0.998, 0.002, 0])[0]
    f["disappearance.episodes"] = episodes
    if episodes:
        f["disappearance.last_on"] = today - _dt.timedelta(days=rng.randint(0, max(days_here, 1)))
        f["disappearance.currently_missing"] = _chance(rng, 0.15)
        f["disappearance.reported"] = _chance(rng, 0.85)
        f["disappearance.return_interview_done"] = _chance(rng, 0.7)
    f["disappearance.intends_to_move_on"] = alone and _chance(rng, 0.08)
    # Procedure, sharing, best-interests procedure, durable solutions.
    f["procedure.lawyer_assigned"] = _chance(rng, 0.85)
    f["procedure.information_given"] = _chance(rng, 0.9)
    if f["procedure.information_given"]:
        f["procedure.information_understood"] = _chance(rng, 0.9)
    f["procedure.refoulement_risk"] = _chance(rng, 0.1)
    f["procedure.origin_contact_planned"] = _chance(rng, 0.02)
    f["sharing.pending"] = _chance(rng, 0.05)
    if f["sharing.pending"]:
        f["sharing.basis_recorded"] = _chance(rng, 0.9)
    if family_abroad := (f.get("family.in_other_state") or "transfer" in pending):
        f["transnational.counterpart_contacted"] = _chance(rng, 0.6)
    f["bia.done"] = _chance(rng, 0.8 if alone else 0.6)
    if f["bia.done"]:
        f["bia.completed_on"] = today - _dt.timedelta(days=rng.randint(0, max(days_here, 1)))
        f["bia.material_change"] = _chance(rng, 0.08)
    needs_bid = "return" in pending or "family_reunification" in pending or family_abroad and alone
    f["bid.status"] = _pick(rng, {"not_started": 0.2, "in_progress": 0.4, "done": 0.4}) if needs_bid else "not_needed"
    if f["bid.status"] in ("in_progress", "done"):
        f["bid.professions"] = ["social_work", "guardian"] + [p for p in ("psychology", "law", "cultural_mediation") if _chance(rng, 0.6)]
    if f["bid.status"] == "done":
        f["bid.reasons_recorded"] = _chance(rng, 0.9)
        f["bid.appeal_information_given"] = _chance(rng, 0.9)
    if "return" in pending:
        f["family.assessment_done"] = _chance(rng, 0.9)
        f["durable.reasonable_risk_in_origin"] = _chance(rng, 0.2)
        f["durable.safe_reception_confirmed"] = _chance(rng, 0.9)
        f["durable.reintegration_plan"] = _chance(rng, 0.8)
    if alone and age >= 16:
        f["durable.transition_plan"] = _chance(rng, 0.7)
    # Violence: invented shares; details only after a disclosure, a sign or witnessed violence.
    f["violence.disclosed"] = _chance(rng, 0.08 if alone else 0.04)
    f["violence.witnessed"] = _chance(rng, 0.1)
    f["violence.suspected"] = _chance(rng, 0.02)
    if f["violence.disclosed"] or f["violence.suspected"] or f["violence.witnessed"]:
        f["violence.where"] = [w for w in ("journey", "country_of_origin", "in_this_country") if _chance(rng, 0.5)] or ["journey"]
        f["violence.perpetrator_has_access"] = "in_this_country" in f["violence.where"] and _chance(rng, 0.1)
        if f["violence.disclosed"] or f["violence.suspected"]:
            f["violence.sexual"] = _chance(rng, 0.2)
            f["violence.physical_injury"] = _chance(rng, 0.15)
            f["violence.by_caregiver"] = _chance(rng, 0.1)
            f["violence.barnahus_referral"] = _chance(rng, 0.5)
            f["violence.interviews"] = rng.randint(0, 3)
    f["violence.corporal_punishment_in"] = ["family"] if not alone and _chance(rng, 0.02) else []
    if f["placement.type"] not in ("family", "no_accommodation"):
        f["placement.changes_6m"] = rng.choices([0, 1, 2, 3], weights=[0.6, 0.3, 0.08, 0.02])[0]
        f["placement.last_reviewed_on"] = today - _dt.timedelta(days=rng.randint(0, min(max(days_here, 1), 200)))
        f["placement.care_plan"] = _chance(rng, 0.85)
        f["placement.child_consulted"] = _chance(rng, 0.85)
        f["placement.complaint_route_known"] = _chance(rng, 0.75)
        f["placement.carers_vetted"] = _chance(rng, 0.97)
    return f


def realistic_cases(
    pack: "Pack",
    n: int,
    *,
    seed: int = 0,
    as_of: Union[_dt.date, str, None] = None,
    unknown: float = 0.05,
) -> List[Dict[str, Any]]:
    """``n`` made-up PROTECT cases with plausible frequencies and dependencies, as nested dicts.

    Unlike :func:`synthetic_cases` (uniform draws, for the benchmarks), the
    facts depend on each other (an accompanied child has no guardian recorded,
    violence details follow a disclosure, ...) and follow the frequencies of
    the table in docs/python.md, so levels spread over all four. Besides the
    facts a case does not record, each recorded fact is left out (unknown)
    with probability ``unknown``. Facts of the pack the profile does not know
    are drawn as :func:`synthetic_cases` draws them. Dates are
    ``datetime.date`` objects up to ``as_of`` (default today); the same
    ``seed`` gives the same cases.
    """
    rng = random.Random(seed)
    today = _as_date(as_of)
    cases = []
    for _ in range(n):
        drawn = _protect_case(rng, today)
        case: Dict[str, Any] = {}
        for fact in pack.facts:
            if fact.path in drawn:
                value = drawn[fact.path]
                if rng.random() < unknown:
                    continue
            elif fact.path in _PROTECT_PATHS:
                continue  # not recorded in this case: unknown
            else:
                value = _value(fact, rng, today)
            _put(case, fact.path, value)
        cases.append(case)
    return cases


def realistic_json(
    pack: "Pack",
    n: int,
    *,
    seed: int = 0,
    as_of: Union[_dt.date, str, None] = None,
    unknown: float = 0.05,
) -> List[str]:
    """The same cases as :func:`realistic_cases`, as JSON text."""
    return _json(realistic_cases(pack, n, seed=seed, as_of=as_of, unknown=unknown))


def realistic_frame(
    pack: "Pack",
    n: int,
    *,
    seed: int = 0,
    as_of: Union[_dt.date, str, None] = None,
    unknown: float = 0.05,
    index_name: Optional[str] = "case_id",
) -> "pandas.DataFrame":
    """The same cases as :func:`realistic_cases`, as a frame with the dtypes of :func:`synthetic_frame`."""
    return _frame(pack, realistic_cases(pack, n, seed=seed, as_of=as_of, unknown=unknown), index_name)
