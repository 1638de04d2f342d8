#!/usr/bin/env bash
# The benchmark suite's smoke (bench/run --smoke): a 2,000-case cohort and every equivalence
# check (fast paths, bia batch = bia run, hand-written C++, each peer engine from PyPI), no timing.
# Reuses the main build directory; the peers go into their own virtual environment.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export BIA_BENCH_BUILD=${BIA_BENCH_BUILD:-$(pwd)/build}
export BIA_BENCH_JOBS=${BIA_BENCH_JOBS:-${JOBS:-2}}
# The Python binding 50-python.sh installed, so the smoke checks it against the peers too.
site=$(ls -d "${BIA_VENV:-$(pwd)/build/venv}"/lib/python3*/site-packages 2>/dev/null | head -n 1 || true)
if [[ -n "$site" && -z "${BIA_PYTHONPATH:-}" ]]; then export BIA_PYTHONPATH=$site; fi
bash bench/smoke
