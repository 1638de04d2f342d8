#!/usr/bin/env bash
# Installs, with apt-get, the Debian 12 packages bia needs to build and test; skips what is present.
#
#   scripts/install-deps.sh          what building and running the engine needs
#   scripts/install-deps.sh --test   also what the whole test suite needs
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config libboost-dev nlohmann-json3-dev libcli11-dev libssl-dev)
if [[ "${1:-}" == "--test" ]]; then
  # time: GNU time, for the peak memory of `bia batch` (cli_batch_threads_bound_memory).
  # libsimdjson-dev: the benchmark's I/O floor (bench/io_floor.cpp) compares bia with it.
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev libsimdjson-dev clang libclang-rt-dev python3 python3-dev python3-venv
             chromium valgrind time)
fi

need=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ((${#need[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps.sh: missing Debian packages: ${need[*]} (run as root, or install them)" >&2
  exit 1
fi
echo "== installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
