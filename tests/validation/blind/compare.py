#!/usr/bin/env python3
"""Run bia on the blind cases and compare with the practitioner's expected levels.

Usage (from the worktree root): python3 tests/validation/blind/compare.py [--probes] [--screened] [BIA] [PACK]
Prints one line per case and the exact / within-one agreement; --probes also runs the what-if variants
that FINDINGS.md quotes (one blind case with a few facts changed); --screened reruns each case whose
possible level is above its level with the screening questions every child is asked (SCREENING below)
recorded "no" where the file leaves them unrecorded, to show which possible levels rest on them alone
(docs/protect-pack.md, "Let a well-documented case show its real ceiling"). Not registered with ctest: the
expectations are a practitioner's judgement, and FINDINGS.md explains where they and the pack differ.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

LEVELS = ["low", "medium", "high", "critical"]
HERE = os.path.dirname(os.path.abspath(__file__))

# (label, blind case, facts to set) -- the what-if variants quoted in FINDINGS.md
PROBES = [
    ("b01 kindergarten place recorded", "b01_mila_3_family_settled", {"education.enrolled": True}),
    ("b01 currently_missing=false", "b01_mila_3_family_settled", {"disappearance.currently_missing": False}),
    ("b11 barnahus_referral=false", "b11_tesfay_13_settled", {"violence.barnahus_referral": False}),
    ("b11 journey violence only, no referral", "b11_tesfay_13_settled",
     {"violence.barnahus_referral": False, "violence.witnessed": False}),
    ("b11 witnessed only, no referral", "b11_tesfay_13_settled",
     {"violence.barnahus_referral": False, "violence.disclosed": False}),
    ("b12 BIA done", "b12_omar_7_smacking_at_home", {"bia.done": True, "bia.completed_on": "2025-10-01"}),
    ("b12 smack left a bruise", "b12_omar_7_smacking_at_home", {"violence.physical_injury": True}),
    ("b16 BIA done", "b16_karim_16_age_dispute_as_child", {"bia.done": True, "bia.completed_on": "2026-02-20"}),
    ("b09 (19) shares a flat, married", "b09_daniel_19_care_leaver",
     {"placement.with_unrelated_adults": True, "child.married": True}),
    ("b07 same story at 13", "b07_amira_16_returned_after_missing", {"child.birth_date": "2012-10-22"}),
    ("b08 5 months to 18, decision pending", "b08_bilal_17_turning18", {"child.birth_date": "2008-08-01"}),
    ("b08 5 months to 18, no decision", "b08_bilal_17_turning18",
     {"child.birth_date": "2008-08-01", "procedure.pending_decisions": [], "procedure.asylum_status": "granted"}),
    ("b05 one weak indicator, verified parent", "b05_blessing_15_trafficking",
     {"exploitation.indicators": ["fear_of_authorities"], "escort.relation": "parent", "escort.verified": True,
      "child.separation": "accompanied"}),
    ("b04 closed centre instead of detention", "b04_sara_5_family_detention",
     {"detention.status": "restricted", "detention.can_leave": False}),
]

# The screening questions that alone can make a documented case's possible level critical in PROTECT 1.2:
# violence (disclosed, or signs seen by a professional), trafficking indicators (an empty list is "screened,
# none") and an urgent medical need today. Each takes one answer; --screened records the honest "no".
SCREENING = {"violence.disclosed": False, "violence.suspected": False, "exploitation.indicators": [],
             "health.urgent_need": False}


def with_facts(case, facts, overwrite=True):
    """The case with the facts set (dotted paths); with overwrite=False only where the case leaves them out."""
    case = json.loads(json.dumps(case))
    for path, value in facts.items():
        node = case
        *parents, leaf = path.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        if overwrite or leaf not in node:
            node[leaf] = value
    return case


def run_facts(bia, pack, case):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as tmp:
        json.dump(case, tmp)
    try:
        return run(bia, pack, tmp.name)
    finally:
        os.unlink(tmp.name)


def run(bia, pack, case):
    out = subprocess.run([bia, "run", pack, case, "--as-of", "2026-03-01", "--format", "json"],
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def main():
    args = [a for a in sys.argv[1:] if a not in ("--probes", "--screened")]
    bia = args[0] if args else "build/bindings/cli/bia"
    pack = args[1] if len(args) > 1 else "rules/protect"
    exact = within = total = 0
    for case in sorted(glob.glob(os.path.join(HERE, "b*.json"))):
        if case.endswith(".expect.json"):
            continue
        total += 1
        name = os.path.basename(case)[:-len(".json")]
        with open(os.path.join(HERE, name + ".expect.json")) as f:
            expected = json.load(f)["level"]
        result = run(bia, pack, case)
        distance = LEVELS.index(result["level"]) - LEVELS.index(expected)
        exact += distance == 0
        within += abs(distance) <= 1
        print(f"{name:38s} expected {expected:8s} bia {result['level']:8s} possible {result['possible_level']:8s}"
              f" {distance:+d}  missing {len(result['missing'])}")
    print(f"{total} cases: exact {exact}/{total}, within one level {within}/{total}")
    if "--screened" in sys.argv:
        screened(bia, pack)
    if "--probes" not in sys.argv:
        return
    for label, name, facts in PROBES:
        with open(os.path.join(HERE, name + ".json")) as f:
            result = run_facts(bia, pack, with_facts(json.load(f), facts))
        fired = ", ".join(f"{r['rule']} ({r['severity']})" for r in result["fired"])
        print(f"probe {label}: level {result['level']}, possible {result['possible_level']}; fired: {fired}")


def screened(bia, pack):
    """For each case whose possible level is above its level: the possible level once SCREENING is recorded."""
    for path in sorted(glob.glob(os.path.join(HERE, "b*.json"))):
        if path.endswith(".expect.json"):
            continue
        with open(path) as f:
            case = json.load(f)
        before = run(bia, pack, path)
        if before["possible_level"] == before["level"]:
            continue
        recorded = [fact for fact in SCREENING if fact.split(".")[1] not in case.get(fact.split(".")[0], {})]
        after = run_facts(bia, pack, with_facts(case, SCREENING, overwrite=False))
        name = os.path.basename(path)[:-len(".json")]
        print(f"screened {name:38s} level {before['level']} -> {after['level']:8s} possible"
              f" {before['possible_level']} -> {after['possible_level']:8s} recorded no: {', '.join(recorded) or '(none)'}")


if __name__ == "__main__":
    main()
