#!/usr/bin/env python3
"""Run the PROTECT practitioner validation set and report agreement.

usage: run_validation.py BIA PACK CASES_DIR [--min-exact PERCENT] [--max-distance LEVELS] [--levels a,b,c]

For every case file in CASES_DIR it runs `BIA run PACK <case> --as-of <as_of> --format json`
and compares the case level with the practitioner's expected level. It prints one line per
case, every disagreement with the practitioner's reason, and the exact and within-one-level
agreement. It never fails silently: no cases, a malformed case file, an unknown expected
level, a bia error or a fact error are all failures (exit 1), and so is agreement below
--min-exact or any case further apart than --max-distance.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

LEVELS = ["low", "medium", "high", "critical"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bia")
    ap.add_argument("pack")
    ap.add_argument("cases")
    ap.add_argument("--min-exact", type=float, default=None, help="fail below this exact agreement, in percent")
    ap.add_argument("--max-distance", type=int, default=None, help="fail when any case is more levels apart")
    ap.add_argument("--levels", default=",".join(LEVELS), help="the pack's levels, lowest first")
    args = ap.parse_args()
    levels = args.levels.split(",")

    check = subprocess.run([args.bia, "check", args.pack], capture_output=True, text=True)
    if check.returncode != 0:
        print(f"error: the pack does not load (bia check exit {check.returncode}):\n{check.stdout}{check.stderr}")
        return 1
    names = sorted(n for n in os.listdir(args.cases) if n.endswith(".json"))
    if not names:
        print(f"error: no case files (*.json) in {args.cases}")
        return 1
    problems, rows = [], []
    for name in names:
        path = os.path.join(args.cases, name)
        try:
            with open(path, encoding="utf-8") as f:
                spec = json.load(f)
            expected, as_of, case, why = spec["expected_level"], spec["as_of"], spec["case"], spec["why"]
        except (OSError, ValueError, KeyError) as e:
            problems.append(f"{name}: not a validation case ({type(e).__name__}: {e}); expected an object with "
                            "expected_level, as_of, case and why")
            continue
        if expected not in levels:
            problems.append(f"{name}: expected_level '{expected}' is not one of {levels}")
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as tmp:
            json.dump(case, tmp)
        try:
            run = subprocess.run([args.bia, "run", args.pack, tmp.name, "--as-of", as_of, "--format", "json"],
                                 capture_output=True, text=True)
        finally:
            os.unlink(tmp.name)
        try:
            result = json.loads(run.stdout)
        except ValueError:
            result = None
        if run.returncode != 0 or result is None or "level" not in result:
            # stderr names fact paths and what was expected, never fact values.
            problems.append(f"{name}: bia run failed (exit {run.returncode}): {run.stderr.strip()[:400]}")
            continue
        got = result["level"]
        distance = abs(levels.index(got) - levels.index(expected))
        fired = [r["rule"] if isinstance(r, dict) and "rule" in r else r for r in result.get("fired", [])]
        rows.append((name, spec.get("title", ""), expected, got, distance, why, fired))

    total = len(names)
    exact = sum(1 for r in rows if r[4] == 0)
    within_one = sum(1 for r in rows if r[4] <= 1)
    for name, title, expected, got, distance, _, _ in rows:
        mark = "agree" if distance == 0 else f"DIFF {distance}"
        print(f"{mark:7} {name}: expected {expected}, bia {got}")
    disagreements = [r for r in rows if r[4] > 0]
    if disagreements:
        print("\ndisagreements:")
        for name, title, expected, got, distance, why, fired in disagreements:
            print(f"- {name} ({title}): practitioner {expected}, bia {got}\n  why: {why}")
    for p in problems:
        print(f"error: {p}")
    print(f"\n{total} cases: exact {exact}/{total} ({100.0 * exact / total:.1f}%), within one level "
          f"{within_one}/{total} ({100.0 * within_one / total:.1f}%), two or more apart "
          f"{sum(1 for r in rows if r[4] >= 2)}, errors {len(problems)}")
    failed = bool(problems)
    if args.min_exact is not None and 100.0 * exact / total < args.min_exact:
        print(f"FAIL: exact agreement below {args.min_exact}%")
        failed = True
    if args.max_distance is not None and any(r[4] > args.max_distance for r in rows):
        print(f"FAIL: a case is more than {args.max_distance} level(s) from the practitioner's")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
