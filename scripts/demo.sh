#!/usr/bin/env bash
# Installs what is missing, builds bia, and runs it on the bundled quick-start pack and case.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIA_BUILD_TESTS=OFF >/dev/null
cmake --build build -j2 --target bia_cli
./build/bindings/cli/bia run examples/quickstart/pack.bia examples/quickstart/case.json --as-of 2026-03-01
