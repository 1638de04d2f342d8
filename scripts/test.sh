#!/usr/bin/env bash
# Installs what is missing, builds bia once, and runs the whole test suite.
# Each part prints a header; the script stops at the first part that fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}

bash scripts/install-deps.sh --test

echo "== build (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIA_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$JOBS"

echo "== C++ tests, golden files and CLI runs (ctest)"
ctest --test-dir build --output-on-failure -j"$JOBS"

for part in scripts/test.d/*.sh; do
  [[ -e "$part" ]] || continue
  echo "== $(basename "$part" .sh)"
  bash "$part"
done
echo "== all tests passed"
