#!/usr/bin/env python3
"""Writes the benchmark packs into OUT_DIR:
  checklist/   the PROTECT pack with only the checklist's rules (and no tests)
  gen_N.bia    generated packs of N rules (N = 100, 1000, 10000) for the scaling figures

usage: make_packs.py PROTECT_DIR OUT_DIR
"""
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checklist  # noqa: E402

TOP = re.compile(r"^(pack|source|fact|let|level|domain|rule|test)\b")


def items(text):
    """Top-level items: each starts at a line that begins with a keyword."""
    cur, out = [], []
    for line in text.splitlines(keepends=True):
        if TOP.match(line) and cur:
            out.append("".join(cur))
            cur = []
        cur.append(line)
    if cur:
        out.append("".join(cur))
    return out


def checklist_pack(protect, out):
    os.makedirs(out, exist_ok=True)
    keep = set(checklist.NAMES)
    found = set()
    for name in sorted(os.listdir(protect)):
        if not name.endswith(".bia") or name.startswith("."):
            continue
        kept = []
        for item in items(open(os.path.join(protect, name), encoding="utf-8").read()):
            m = re.match(r"(rule|test)\s+(\S+)", item)
            if m and m.group(1) == "test":
                continue
            if m and m.group(1) == "rule":
                if m.group(2) not in keep:
                    continue
                found.add(m.group(2))
            kept.append(item)
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write("".join(kept))
    missing = keep - found
    if missing:
        sys.exit("make_packs.py: checklist rules not in the PROTECT pack: %s" % ", ".join(sorted(missing)))


def generated_pack(n_rules, path, seed=7):
    """N rules over N/2 facts in N/20 sections; each rule reads 2-3 facts."""
    rnd = random.Random(seed + n_rules)
    n_facts = max(20, n_rules // 2)
    facts = []
    lines = ['pack gen%d version "1.0.0" "Generated pack of %d rules"\n' % (n_rules, n_rules),
             'source S "A source"\n', "level low\nlevel medium at 10\nlevel high at 40\n",
             'domain d "Generated"\n']
    kinds = ["bool", "bool", "bool", "number", "one", "set"]
    for i in range(n_facts):
        kind = kinds[i % len(kinds)]
        p = "s%d.f%d" % (i % max(1, n_facts // 20), i)
        facts.append((p, kind))
        if kind == "bool":
            lines.append("fact %s : bool\n" % p)
        elif kind == "number":
            lines.append("fact %s : number\n" % p)
        elif kind == "one":
            lines.append('fact %s : one of {"a", "b", "c", "d"}\n' % p)
        else:
            lines.append('fact %s : set of {"w", "x", "y", "z"}\n' % p)

    def atom():
        p, kind = facts[rnd.randrange(n_facts)]
        if kind == "bool":
            return "%s = %s" % (p, rnd.choice(["true", "false"]))
        if kind == "number":
            return "%s >= %d" % (p, rnd.randrange(1, 4))
        if kind == "one":
            return '%s in {"%s", "%s"}' % (p, rnd.choice("ab"), rnd.choice("cd"))
        return '"%s" in %s' % (rnd.choice("wxyz"), p)

    for r in range(n_rules):
        k = rnd.choice([2, 2, 3])
        parts = [atom() for _ in range(k)]
        cond = " and ".join(parts) if rnd.random() < 0.7 else "%s and (%s)" % (parts[0], " or ".join(parts[1:]))
        lines.append('rule r%d "Generated rule %d"\n  domain d\n  severity %s\n  score %d\n  when %s\n'
                     '  action "Follow up" within %d days\n  cites S\n'
                     % (r, r, rnd.choice(["low", "medium", "high"]), rnd.randrange(0, 5), cond, rnd.randrange(1, 30)))
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(lines))


def main():
    protect, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    checklist_pack(protect, os.path.join(out, "checklist"))
    for n in (100, 1000, 10000):
        generated_pack(n, os.path.join(out, "gen_%d.bia" % n))


if __name__ == "__main__":
    main()
