"""The benchmark checklist: 42 rules of the PROTECT pack, written once in negation
normal form and emitted for each peer.

Kleene's logic makes a rule fire only when its condition is definitely true. In
negation normal form (negations pushed down to the atoms) a formula is definitely
true exactly when it is true with every atom over an unknown fact taken as false,
because `and` and `or` are monotone. So each peer gets plain two-valued rules in
which every atom first checks that its fact is known (present and not null); that
is how peers without unknowns express the pack's rules faithfully.

Atoms: ("eq", path, value)   known and equal (bools and strings)
       ("ne", path, value)   known and different
       ("in", path, [values]) a `one of` fact, known and one of the values
       ("has", path, member)  a set fact, known and holding the member
       ("count_ge", path, n) / ("count_lt", path, n)   a set fact, known, its size
       ("num_ge", path, n)   a number, known and >= n
       ("known", path) / ("unknown", path)
Connectives: ("and", ...), ("or", ...)
"""

WITHOUT_PARENTS = ("in", "child.separation", ["unaccompanied", "separated"])
WITH_ADULT = ("in", "child.separation", ["separated", "accompanied"])
UNSETTLED_AGE = ("in", "age.assessment_status", ["none", "pending", "appeal"])
IN_CARE = ("in", "placement.type", ["kinship", "foster", "small_group_home", "child_reception"])
PD = "procedure.pending_decisions"
IND = "exploitation.indicators"
# PROTECT 1.1 grades the trafficking indicators (rules/protect/23_trafficking.bia): several = two of the
# medium ones, or three of any grade; a referral is due on a strong indicator or on several.
STRONG = ["documents_held_by_other", "debt_bondage", "controlled_by_adult", "sexual_exploitation_signs"]
_MEDIUM = ["scripted_story", "work_or_lives_at_workplace", "kept_from_school"]
SEVERAL = ("or", ("count_ge", IND, 3), *[("and", ("has", IND, a), ("has", IND, b))
                                         for i, a in enumerate(_MEDIUM) for b in _MEDIUM[i + 1:]])

_WEIGHTY = ["transfer", "return", "family_reunification", "durable_solution", "care_change", "separation_from_parent",
            "resettlement"]
# PROTECT 1.1 gates the child rules on the presumed child (under 18, age disputed or no date of birth) and
# some questions on ages 6 and 10; the benchmark cohort draws ages 10 to 17 (bench/cohort.cpp), where those
# gates are always true, so they are left out here. The 1.1 screening gates (`known(F) and F = true`, and a
# recorded answer that counts at any age) are what the atoms already mean: an atom checks that its fact is known.

RULES = {
    "views_not_heard": ("and", ("count_ge", PD, 1), ("eq", "views.heard", False)),
    "views_heard_without_interpreter": ("and", ("eq", "child.interpreter_needed", True), ("eq", "views.heard", True),
                                        ("eq", "views.interpreter_used", False)),
    "views_weighing_not_recorded": ("and", ("or", ("known", "bia.completed_on"), ("eq", "bid.status", "done")),
                                    ("eq", "views.weighing_recorded", False)),
    "identity_no_documents": ("eq", "identity.documents_available", False),
    "identity_background_not_respected": ("eq", "identity.background_respected", False),
    "identity_statelessness_risk": ("eq", "identity.statelessness_risk", True),
    "family_tracing_endangers": ("and", ("eq", "family.tracing_risk", True),
                                 ("in", "family.tracing_status", ["consent_pending", "in_progress"])),
    "family_abroad_no_route": ("and", ("eq", "family.in_other_state", True),
                               ("eq", "family.reunification_route_started", False)),
    "family_reunification_unassessed": ("and", ("or", ("has", PD, "family_reunification"),
                                               ("and", ("has", PD, "transfer"),
                                                ("eq", "procedure.transfer_to_family", True))),
                                        ("eq", "family.assessment_done", False)),
    "family_siblings_apart": ("and", ("eq", "family.siblings_present", True), ("eq", "family.siblings_together", False)),
    "family_no_contact": ("and", ("eq", "family.tracing_status", "located"), ("eq", "family.tracing_risk", False),
                          ("eq", "family.contact_arranged", False)),
    "family_escort_unrelated": ("and", ("eq", "escort.relation", "unrelated"), WITH_ADULT),
    "family_escort_unverified": ("and", WITH_ADULT, ("eq", "escort.verified", False)),
    "safety_no_accommodation": ("eq", "placement.type", "no_accommodation"),
    "safety_with_unrelated_adults": ("and", WITHOUT_PARENTS, ("or", ("eq", "placement.with_unrelated_adults", True),
                                                              ("eq", "placement.type", "adult_reception"))),
    "safety_feels_unsafe": ("eq", "placement.child_feels_safe", False),
    "vulnerability_child_marriage": ("eq", "child.married", True),
    "vulnerability_disability_unsupported": ("and", ("eq", "vulnerability.disability", True),
                                             ("eq", "vulnerability.disability_support", False)),
    "vulnerability_young_parent_unsupported": ("and", ("eq", "child.pregnant_or_parent", True),
                                               ("eq", "vulnerability.parent_support", False)),
    "health_urgent_need": ("eq", "health.urgent_need", True),
    "health_distress_unsupported": ("and", ("eq", "health.psych_distress", True), ("eq", "health.psych_support", False)),
    "health_untreated_need": ("eq", "health.untreated_need", True),
    "health_no_access": ("eq", "health.access_to_care", False),
    "education_not_attending": ("and", ("eq", "education.enrolled", True), ("eq", "education.attending", False)),
    "guardian_conflict": ("and", WITHOUT_PARENTS, ("eq", "guardian.appointed", True),
                          ("eq", "guardian.conflict_of_interest", True)),
    "guardian_not_met": ("and", WITHOUT_PARENTS, ("eq", "guardian.appointed", True), ("eq", "guardian.met_child", False)),
    "age_disputed_unresolved": ("and", ("eq", "age.disputed", True), UNSETTLED_AGE),
    "age_sexual_maturity_exam": ("and", ("or", ("known", "age.methods"), ("ne", "age.assessment_status", "none")),
                                 ("has", "age.methods", "sexual_maturity")),
    "age_documents_disregarded": ("and", ("eq", "age.disputed", True), ("eq", "age.documents_presented", True)),
    "age_placeholder_birth_date": ("eq", "child.birth_date_source", "registry_default"),
    "age_birth_date_missing": ("unknown", "child.birth_date"),
    "detention_age_disputed": ("and", ("eq", "age.disputed", True), UNSETTLED_AGE,
                               ("in", "detention.status", ["immigration", "criminal", "restricted"])),
    "indicator_debt": ("has", IND, "debt_bondage"),
    "indicator_controlling_adult": ("has", IND, "controlled_by_adult"),
    "trafficking_several_indicators": SEVERAL,
    "trafficking_not_referred": ("and", ("or", *[("has", IND, m) for m in STRONG], SEVERAL),
                                 ("eq", "exploitation.referred", False)),
    "trafficking_unverified_adult": ("and", WITH_ADULT, ("eq", "escort.verified", False), ("count_ge", IND, 1)),
    "missing_now": ("eq", "disappearance.currently_missing", True),
    "missing_with_indicators": ("and", ("num_ge", "disappearance.episodes", 1), ("count_ge", IND, 1)),
    "missing_no_return_interview": ("and", ("num_ge", "disappearance.episodes", 1),
                                    ("eq", "disappearance.currently_missing", False),
                                    ("eq", "disappearance.return_interview_done", False)),
    "procedure_no_lawyer": ("and", ("or", ("in", "procedure.asylum_status", ["pending", "appeal"]), ("has", PD, "asylum"),
                                    ("has", PD, "return"), ("has", PD, "transfer")),
                            ("eq", "procedure.lawyer_assigned", False)),
    # PROTECT 1.1 grades it by the decision: any decision other than asylum, or an asylum-only decision
    # while a safeguard is missing (a guardian for a child without parents, a lawyer).
    "bip_decision_without_bia": ("and", ("or", *[("has", PD, m) for m in _WEIGHTY],
                                         ("and", ("has", PD, "asylum"), ("count_lt", PD, 2),
                                          ("or", ("and", WITHOUT_PARENTS, ("eq", "guardian.appointed", False)),
                                           ("eq", "procedure.lawyer_assigned", False)))),
                                 ("unknown", "bia.completed_on")),
    "bip_bid_few_professions": ("and", ("eq", "bid.status", "in_progress"), ("count_lt", "bid.professions", 2)),
    "violence_punishment_in_care": ("or", *[("has", "violence.corporal_punishment_in", m)
                                            for m in ("alternative_care", "reception", "school", "detention")]),
    "violence_no_barnahus": ("and", ("or", ("eq", "violence.witnessed", True),
                                    ("and", ("or", ("eq", "violence.disclosed", True), ("eq", "violence.suspected", True)),
                                     ("or", ("eq", "violence.by_caregiver", False), ("eq", "violence.sexual", True),
                                      ("eq", "violence.physical_injury", True)))),
                             ("eq", "violence.barnahus_referral", False),
                             # PROTECT 1.1: not for violence recorded as only abroad, with nobody able to reach
                             # the child and support in place (the medium violence_no_barnahus_journey instead)
                             ("or", ("unknown", "violence.where"), ("count_lt", "violence.where", 1),
                              ("has", "violence.where", "in_this_country"),
                              ("eq", "violence.perpetrator_has_access", True), ("eq", "health.psych_support", False)),
                             # PROTECT 1.2: nor for violence only WITNESSED (nothing disclosed or suspected) and
                             # recorded as only abroad (violence_no_barnahus_journey, medium, instead)
                             ("or", ("unknown", "violence.witnessed"), ("eq", "violence.witnessed", False),
                              ("eq", "violence.disclosed", True), ("eq", "violence.suspected", True),
                              ("unknown", "violence.where"), ("count_lt", "violence.where", 1),
                              ("has", "violence.where", "in_this_country"))),
    "care_no_plan": ("and", IN_CARE, ("eq", "placement.care_plan", False)),
}

NAMES = list(RULES)


def paths():
    """Every fact path the checklist reads, in first-use order."""
    out = []

    def walk(e):
        if e[0] in ("and", "or"):
            for x in e[1:]:
                walk(x)
        elif e[1] not in out:
            out.append(e[1])

    for e in RULES.values():
        walk(e)
    return out


def flat(path):
    return path.replace(".", "__")


# ---- emitters -------------------------------------------------------------

def _lit_expr(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    return '"%s"' % v


def zen_expr(e):
    """ZEN expression language (GoRules)."""
    op = e[0]
    if op in ("and", "or"):
        return "(" + (" %s " % op).join(zen_expr(x) for x in e[1:]) + ")"
    p = e[1]
    if op == "eq":
        return "(%s == %s)" % (p, _lit_expr(e[2]))
    if op == "ne":
        return "(%s != null and %s != %s)" % (p, p, _lit_expr(e[2]))
    if op == "in":
        return "(%s in [%s])" % (p, ", ".join(_lit_expr(v) for v in e[2]))
    if op == "has":
        return "(%s != null and %s in %s)" % (p, _lit_expr(e[2]), p)
    if op == "count_ge":
        return "(%s != null and len(%s) >= %d)" % (p, p, e[2])
    if op == "count_lt":
        return "(%s != null and len(%s) < %d)" % (p, p, e[2])
    if op == "num_ge":
        return "(%s != null and %s >= %d)" % (p, p, e[2])
    if op == "known":
        return "(%s != null)" % p
    if op == "unknown":
        return "(%s == null)" % p
    raise ValueError(op)


def cel_expr(e):
    """CEL over flattened facts (every checklist fact present, null when unknown)."""
    op = e[0]
    if op in ("and", "or"):
        return "(" + (" && " if op == "and" else " || ").join(cel_expr(x) for x in e[1:]) + ")"
    p = flat(e[1])
    if op == "eq":
        return "(%s == %s)" % (p, _lit_expr(e[2]))
    if op == "ne":
        return "(%s != null && %s != %s)" % (p, p, _lit_expr(e[2]))
    if op == "in":
        return "(%s in [%s])" % (p, ", ".join(_lit_expr(v) for v in e[2]))
    if op == "has":
        return "(%s != null && %s in %s)" % (p, _lit_expr(e[2]), p)
    if op == "count_ge":
        return "(%s != null && size(%s) >= %d)" % (p, p, e[2])
    if op == "count_lt":
        return "(%s != null && size(%s) < %d)" % (p, p, e[2])
    if op == "num_ge":
        return "(%s != null && %s >= %d)" % (p, p, e[2])
    if op == "known":
        return "(%s != null)" % p
    if op == "unknown":
        return "(%s == null)" % p
    raise ValueError(op)


def rule_engine_expr(e):
    """Python's rule-engine over flattened facts (null when unknown)."""
    op = e[0]
    if op in ("and", "or"):
        return "(" + (" %s " % op).join(rule_engine_expr(x) for x in e[1:]) + ")"
    p = flat(e[1])
    if op == "eq":
        return "(%s == %s)" % (p, _lit_expr(e[2]))
    if op == "ne":
        return "(%s != null and %s != %s)" % (p, p, _lit_expr(e[2]))
    if op == "in":
        return "(%s != null and %s in [%s])" % (p, p, ", ".join(_lit_expr(v) for v in e[2]))
    if op == "has":
        return "(%s != null and %s in %s)" % (p, _lit_expr(e[2]), p)
    if op == "count_ge":
        return "(%s != null and %s.length >= %d)" % (p, p, e[2])
    if op == "count_lt":
        return "(%s != null and %s.length < %d)" % (p, p, e[2])
    if op == "num_ge":
        return "(%s != null and %s >= %d)" % (p, p, e[2])
    if op == "known":
        return "(%s != null)" % p
    if op == "unknown":
        return "(%s == null)" % p
    raise ValueError(op)


def json_logic(e):
    """JsonLogic over the nested case (missing and null read as null)."""
    op = e[0]
    if op in ("and", "or"):
        return {op: [json_logic(x) for x in e[1:]]}
    v = {"var": e[1]}
    not_null = {"!==": [v, None]}
    if op == "eq":
        return {"===": [v, e[2]]}
    if op == "ne":
        return {"and": [not_null, {"!==": [v, e[2]]}]}
    if op == "in":
        return {"and": [not_null, {"in": [v, e[2]]}]}
    if op == "has":
        return {"and": [not_null, {"in": [e[2], v]}]}
    count = {"reduce": [v, {"+": [{"var": "accumulator"}, 1]}, 0]}
    if op == "count_ge":
        return {"and": [not_null, {">=": [count, e[2]]}]}
    if op == "count_lt":
        return {"and": [not_null, {"<": [count, e[2]]}]}
    if op == "num_ge":
        return {"and": [not_null, {">=": [v, e[2]]}]}
    if op == "known":
        return not_null
    if op == "unknown":
        return {"===": [v, None]}
    raise ValueError(op)


def clips_slot(path):
    return flat(path).replace("_", "-")


def clips_test(e):
    """A CLIPS boolean expression over variables ?<slot>; sets are multislots with a -known flag."""
    op = e[0]
    if op in ("and", "or"):
        return "(%s %s)" % (op, " ".join(clips_test(x) for x in e[1:]))
    s = "?" + clips_slot(e[1])
    known = "?" + clips_slot(e[1]) + "-known"

    def lit(v):
        return "TRUE" if v is True else "FALSE" if v is False else v

    if op == "eq":
        return "(eq %s %s)" % (s, lit(e[2]))
    if op == "ne":
        return "(and (neq %s nil) (neq %s %s))" % (s, s, lit(e[2]))
    if op == "in":
        return "(or %s)" % " ".join("(eq %s %s)" % (s, v) for v in e[2])
    if op == "has":
        return "(and (eq %s TRUE) (member$ %s %s))" % (known, e[2], s)
    if op == "count_ge":
        return "(and (eq %s TRUE) (>= (length$ %s) %d))" % (known, s, e[2])
    if op == "count_lt":
        return "(and (eq %s TRUE) (< (length$ %s) %d))" % (known, s, e[2])
    if op == "num_ge":
        return "(and (numberp %s) (>= %s %d))" % (s, s, e[2])
    if op == "known":
        return "(eq %s TRUE)" % known if e[1] in SET_FACTS else "(neq %s nil)" % s
    if op == "unknown":
        return "(neq %s TRUE)" % known if e[1] in SET_FACTS else "(eq %s nil)" % s
    raise ValueError(op)


SET_FACTS = {PD, IND, "age.methods", "bid.professions", "violence.corporal_punishment_in", "violence.where"}
