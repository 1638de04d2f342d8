#!/usr/bin/env bash
# README's "Building by hand", as written, in a fresh clone: the closest this project's CI comes to a fresh
# container (it has no container tooling). The block's commands are read from README.md, not copied here, so
# the check follows the README. One change, said here and in the README: the configure line also gets
# -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON, because the README's `install-deps.sh` (without --test) installs
# no GoogleTest, so a fresh machine configures without the tests, while this CI machine has it installed.
# Then the built `bia` runs the README's first example and must print its level.
# What it cannot see: packages this machine has and a fresh Debian 12 lacks (install-deps.sh lists them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
start=$(date +%s)

block=$(awk '/^## Building by hand/ {inside = 1; next}
             inside && /^```sh$/ {code = 1; next}
             code && /^```$/ {exit}
             code {print}' README.md)
[[ -n "$block" ]] || { echo "by-hand build: no sh block under '## Building by hand' in README.md" >&2; exit 1; }
grep -q '^cmake -S \. -B build' <<<"$block" || { echo "by-hand build: README's block has no configure line" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/bia-by-hand.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# A clone holds only what is committed: a file the build needs but git does not track fails here.
git clone --quiet --no-hardlinks "$ROOT" "$scratch/bia"
cd "$scratch/bia"

log="$scratch/log"
while IFS= read -r line; do
  command=${line%%#*}                               # the README's comments are not part of the command
  [[ -n "${command// /}" ]] || continue
  if [[ "$command" == cmake\ -S* ]]; then command="$command -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON"; fi
  echo "\$ $command"
  if ! bash -c "$command" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "by-hand build: README's command failed: $command" >&2
    exit 1
  fi
  if [[ "$command" == cmake\ -S* ]] && ! grep -q "bia: tests not built" "$log"; then
    echo "by-hand build: the configure did not say 'bia: tests not built' (README promises it without GoogleTest)" >&2
    exit 1
  fi
done <<<"$block"

# README's "A first look": the by-hand build runs a bundled example.
out=$(./build/bindings/cli/bia run examples/quickstart/pack.bia examples/quickstart/case.json --as-of 2026-03-01)
grep -q '^LEVEL: *high$' <<<"$out" || { echo "$out" >&2; echo "by-hand build: the quickstart example's level is not high" >&2; exit 1; }
echo "by-hand build: README's commands ran in a fresh clone and bia ran the quickstart example ($(( $(date +%s) - start )) s)"
