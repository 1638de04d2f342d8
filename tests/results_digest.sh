#!/usr/bin/env bash
# The results of every pack and case the repository holds, as SHA-256 digests:
# each pack with each case (`bia run`, JSON and text, exit code included), each
# pack's own tests (`bia test`), every rule explained for three training cases
# (`bia explain`), and a seeded synthetic cohort of each pack through `bia batch`. A change to the engine's insides must leave every one
# byte-identical; tests/data/results.sha256 holds them as they were.
#
#   tests/results_digest.sh BIA COHORT_TOOL            compare with tests/data/results.sha256
#   tests/results_digest.sh BIA COHORT_TOOL --write    write it anew (a change that means to
#                                                      change results: say why in the commit)
set -euo pipefail
bia=$1
cohort_tool=$2
mode=${3:-compare}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
expected=tests/data/results.sha256
as_of=2026-03-01
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

packs=(rules/protect examples/quickstart/pack.bia examples/embed/smoke/smoke.bia tests/python/packs/mini.bia
       tests/python/packs/split fuzz/seeds/pack/*.bia fuzz/regressions/pack/*.bia)
cases=(examples/cases/*.json examples/quickstart/case.json examples/embed/smoke/cases/*.json
       fuzz/seeds/case/*.json fuzz/regressions/case/*.json)

digest() { sha256sum | cut -c1-64; }

# What a command prints on both streams, and how it exits.
outcome() {
  local status=0
  "$@" >"$work/out" 2>"$work/err" || status=$?
  { cat "$work/out"; echo "--- stderr"; cat "$work/err"; echo "--- exit $status"; } | digest
}

for pack in "${packs[@]}"; do
  "$bia" check "$pack" >/dev/null 2>&1 || continue  # a pack that does not load has no results
  for case in "${cases[@]}"; do
    for format in json text; do
      echo "$(outcome "$bia" run "$pack" "$case" --as-of "$as_of" --format "$format")  run $format $pack $case"
    done
  done
  echo "$(outcome "$bia" test "$pack")  test $pack"
  # Every rule explained for three of the training cases.
  for rule in $(cat $( [[ -d "$pack" ]] && echo "$pack"/*.bia || echo "$pack") | sed -n 's/^rule \([A-Za-z0-9_]*\).*/\1/p'); do
    for case in examples/cases/amina.json examples/cases/joy_trafficking_indicators.json examples/cases/nour_little_information.json; do
      echo "$(outcome "$bia" explain "$pack" "$case" "$rule" --as-of "$as_of")  explain $rule $pack $case"
    done
  done
  "$cohort_tool" "$pack" 2000 7 "$as_of" >"$work/cohort.jsonl"
  # From standard input: messages name the input, and the scratch folder's name changes from run to run.
  echo "$(outcome "$bia" batch "$pack" - --as-of "$as_of" <"$work/cohort.jsonl")  batch 2000 $pack"
done >"$work/now.sha256"

if [[ "$mode" == "--write" ]]; then
  cp "$work/now.sha256" "$expected"
  echo "wrote $(wc -l <"$expected") digests to $expected"
  exit 0
fi
if ! diff -u "$expected" "$work/now.sha256" >"$work/diff"; then
  echo "results changed (lines with - are as they were, + as they are now):" >&2
  grep '^[-+][0-9a-f]' "$work/diff" >&2 || true
  echo "a change meant to change results rewrites $expected with --write and says why in its commit" >&2
  exit 1
fi
echo "$(wc -l <"$expected") results byte-identical"
