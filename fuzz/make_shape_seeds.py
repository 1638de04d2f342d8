#!/usr/bin/env python3
"""Writes fuzz/seeds/pack-shapes/: small packs of the shapes issue 16 found quadratic (a wide `or`
for explain, a let chain, rules x facts over one let, a long title cited by many rules, wide facts
under one object) and a pack with test blocks, each under pack_fuzzer's max_len (32768 bytes,
fuzz/run.sh), so that the fuzzer mutates from them. They are not in fuzz/seeds/pack, whose packs
tests/results_digest.sh digests. Run from the repository root: python3 fuzz/make_shape_seeds.py
"""
import os

HEADER = 'pack shapes version "1.0.0" "t"\nlevel low\nlevel high at 2\n'
OUT = "fuzz/seeds/pack-shapes"


def facts(n, prefix="f"):
    return "".join("fact %s%d : bool\n" % (prefix, i) for i in range(1, n + 1))


def write(name, text):
    assert len(text.encode()) <= 32768, (name, len(text))
    with open(os.path.join(OUT, name), "w") as f:
        f.write(text)


n = 400
write("wide_or_explain.bia", HEADER + facts(n) + 'rule wide "t" when ' + " or ".join("f%d" % i for i in range(1, n + 1)) + "\n")

n = 300
chain = HEADER + facts(n) + "let l1 = f1\n"
chain += "".join("let l%d = l%d and f%d\n" % (i, i - 1, i) for i in range(2, n + 1))
write("let_chain.bia", chain + 'rule chain "t" when l%d\n' % n)

rules, m = 40, 40
rxf = HEADER + facts(m) + "let big = " + " or ".join("f%d" % i for i in range(1, m + 1)) + "\n"
rxf += "".join('rule r%d "t" when big\n' % k for k in range(1, rules + 1))
write("rules_times_facts.bia", rxf)

title = "A long title " * 600  # about 7.8 KB
cited = HEADER + 'source big "%s"\nfact x : bool\n' % title.strip()
cited += "".join('rule c%d "t" when x\n  cites big\n' % k for k in range(1, 21))
write("cited_title.bia", cited)

n = 600
write("wide_facts.bia", HEADER + "".join("fact child.f%d : number\n" % i for i in range(1, n + 1))
      + 'rule any "t" when child.f1 > 1 or child.f600 < 0\n')

write("test_blocks.bia", HEADER + """fact child.age : number
fact child.alone : bool
fact child.status : one of {"asylum", "none"}
let young = child.age < 12
rule alone_young "t" when young and child.alone
  severity high
rule no_status "t" when child.status = "none"
test "young and alone"
  as of 2026-03-01
  given child.age = 9, child.alone = true
  expect fired alone_young
  expect level high
test "no status"
  given child.status = "none"
  expect fired no_status
  expect undetermined alone_young
  expect missing child.age
test "nothing known"
  expect undetermined alone_young
  expect possible_level high
  expect score 0
""")
