#!/usr/bin/env bash
# The Python package: `pip install .` into a fresh virtual environment, then its pytest suite
# (API, errors, pickling, threads, Dask on a LocalCluster, the notebook, type stubs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-${JOBS:-2}}
# tests/python/test_cli.py checks that the installed `bia` behaves exactly as the one scripts/test.sh built.
if [[ -x build/bindings/cli/bia && -z "${BIA_CLI:-}" ]]; then export BIA_CLI=$PWD/build/bindings/cli/bia; fi
bash scripts/test-python.sh
