#!/usr/bin/env python3
"""Run bia on the blind cases and compare with the practitioner's expected levels.

Usage (from the worktree root): python3 tests/validation/blind/compare.py [--probes] [BIA] [PACK]
Prints one line per case and the exact / within-one agreement; --probes also runs the what-if variants
that FINDINGS.md quotes (one blind case with a few facts changed). Not registered with ctest: the
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


def run(bia, pack, case):
    out = subprocess.run([bia, "run", pack, case, "--as-of", "2026-03-01", "--format", "json"],
                         capture_output=True, text=True)
    return json.loads(out.stdout)


def main():
    args = [a for a in sys.argv[1:] if a != "--probes"]
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
    if "--probes" not in sys.argv:
        return
    for label, name, facts in PROBES:
        with open(os.path.join(HERE, name + ".json")) as f:
            case = json.load(f)
        for path, value in facts.items():
            node = case
            *parents, leaf = path.split(".")
            for key in parents:
                node = node.setdefault(key, {})
            node[leaf] = value
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as tmp:
            json.dump(case, tmp)
        try:
            result = run(bia, pack, tmp.name)
        finally:
            os.unlink(tmp.name)
        fired = ", ".join(f"{r['rule']} ({r['severity']})" for r in result["fired"])
        print(f"probe {label}: level {result['level']}, possible {result['possible_level']}; fired: {fired}")


if __name__ == "__main__":
    main()
