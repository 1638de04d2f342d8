#!/usr/bin/env bash
# Smoke-fuzzes each libFuzzer target (fuzz/) for BIA_FUZZ_SECONDS (60) seconds with Debian's clang,
# starting from the seeds in fuzz/seeds, rules/ and examples/ and the crash regressions in
# fuzz/regressions. A crash, a hang (10 s on one input) or running out of memory fails the run;
# the input is kept under build-fuzz/fuzz-work/artifacts. Longer runs: fuzz/run.sh (docs/reliability.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
JOBS=${JOBS:-2}
SECONDS_EACH=${BIA_FUZZ_SECONDS:-60}

cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIA_FUZZ=ON -DBIA_BUILD_TESTS=OFF -DBIA_BUILD_CLI=OFF >/dev/null
cmake --build build-fuzz -j"$JOBS" --target fuzzers
status=0
for target in pack_fuzzer case_fuzzer c_api_fuzzer; do
  [[ -x build-fuzz/fuzz/$target ]] || continue
  bash fuzz/run.sh build-fuzz "$target" "$SECONDS_EACH" build-fuzz/fuzz-work || status=1
done
exit $status
