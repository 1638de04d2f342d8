#!/usr/bin/env bash
# Builds and installs the Python package (`pip install .`) into a fresh virtual environment and runs its tests.
#
#   scripts/test-python.sh [pytest arguments...]
#
# Works as root on a fresh Debian 12: installs what is missing with apt-get,
# then everything Python from PyPI at the minimum versions pyproject.toml pins.
# Environment:
#   BIA_VENV=DIR            the virtual environment (default: build/venv), made anew each run
#   BIA_REUSE_VENV=1        keep an existing one (quicker when iterating)
#   BIA_PY_BUILD_DIR=DIR    scikit-build-core's build tree, kept between runs (default: build/python)
#   PYTHON=python3          the interpreter to make the environment from
#   CMAKE_BUILD_PARALLEL_LEVEL  compile jobs (default: all cores)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${BIA_VENV:-$ROOT/build/venv}
BUILD_DIR=${BIA_PY_BUILD_DIR:-$ROOT/build/python}
PYTHON=${PYTHON:-python3}
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}

# System packages: what the engine needs (scripts/install-deps.sh), then
# Python's headers and venv.
if [[ -f "$ROOT/scripts/install-deps.sh" ]]; then
  bash "$ROOT/scripts/install-deps.sh"
fi
need=()
for pkg in g++ cmake ninja-build libboost-dev nlohmann-json3-dev libssl-dev python3 python3-dev python3-venv; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test-python.sh: missing Debian packages: ${need[*]} (run as root or install them)" >&2
    exit 1
  fi
  echo "== installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [[ "${BIA_REUSE_VENV:-0}" != 1 || ! -x "$VENV/bin/python" ]]; then
  echo "== fresh virtual environment in $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$PY" -m pip install -q --upgrade "pip>=23"
# Build requirements go into the environment itself (no build isolation), so the
# CMake build tree in $BUILD_DIR stays valid from one run to the next.
"$PY" -m pip install -q "scikit-build-core>=0.10" "pybind11>=2.10"

echo "== pip install .[test] (build tree $BUILD_DIR)"
mkdir -p "$BUILD_DIR"
"$PY" -m pip install -q --no-build-isolation \
  --config-settings=build-dir="$BUILD_DIR" \
  "$ROOT[test]"

"$PY" - <<'EOF'
import bia, pandas, numpy, dask
print(f"== bia {bia.__version__} (language {bia.LANGUAGE_VERSION}, result {bia.RESULT_VERSION}); "
      f"pandas {pandas.__version__}, numpy {numpy.__version__}, dask {dask.__version__}")
EOF

echo "== pytest tests/python"
cd "$ROOT"
# From the repository root `import bia` finds the installed package: the
# sources live in bindings/python/bia, not in ./bia.
exec "$PY" -m pytest -p no:cacheprovider -q "$ROOT/tests/python" "$@"
