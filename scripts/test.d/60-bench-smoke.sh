#!/usr/bin/env bash
# The benchmark suite's smoke (bench/run --smoke): a 2,000-case cohort and every equivalence
# check (fast paths, bia batch = bia run, hand-written C++, each peer engine from PyPI), no timing.
# Reuses the main build directory; the peers go into their own virtual environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export BIA_BENCH_BUILD=${BIA_BENCH_BUILD:-$(pwd)/build}
export BIA_BENCH_JOBS=${BIA_BENCH_JOBS:-${JOBS:-2}}
bash bench/smoke
