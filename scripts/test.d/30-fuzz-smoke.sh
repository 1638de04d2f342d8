#!/usr/bin/env bash
# Smoke-fuzzes each libFuzzer target (fuzz/) for BIA_FUZZ_SECONDS (60) seconds with Debian's clang,
# starting from the seeds in fuzz/seeds, rules/ and examples/ and the crash regressions in
# fuzz/regressions. A crash, a hang (10 s on one input) or running out of memory fails the run;
# the input is kept under build-fuzz (BIA_FUZZ_BUILD)/fuzz-work/artifacts. Longer runs: fuzz/run.sh (docs/reliability.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
JOBS=${JOBS:-2}
SECONDS_EACH=${BIA_FUZZ_SECONDS:-60}
FUZZ_BUILD=${BIA_FUZZ_BUILD:-build-fuzz}

cmake -S . -B "$FUZZ_BUILD" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIA_FUZZ=ON -DBIA_BUILD_TESTS=OFF -DBIA_BUILD_CLI=OFF >/dev/null
cmake --build "$FUZZ_BUILD" -j"$JOBS" --target fuzzers
status=0
for target in pack_fuzzer case_fuzzer c_api_fuzzer; do
  [[ -x $FUZZ_BUILD/fuzz/$target ]] || continue
  bash fuzz/run.sh "$FUZZ_BUILD" "$target" "$SECONDS_EACH" "$FUZZ_BUILD/fuzz-work" || status=1
done
exit $status
