#!/bin/sh
# Which configures build the tests (README, "Building by hand"): BIA_BUILD_TESTS=AUTO, the default,
# builds them only when bia is the top-level project and GoogleTest is found; ON requires GoogleTest.
# CMAKE_DISABLE_FIND_PACKAGE_GTest stands in for a fresh machine without libgtest-dev.
#
#   configure_test.sh CMAKE SOURCE_DIR WORK_DIR
set -u
cmake=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail=0
no() { echo "FAIL: $*"; fail=1; }

# has_tests BUILD_DIR: the build defines the GoogleTest programs.
has_tests() { grep -q 'checker_test' "$1/build.ninja"; }

# 1. Top level, no GoogleTest: configures, says why the tests are left out, builds none.
if "$cmake" -S "$src" -B "$work/no-gtest" -G Ninja -DCMAKE_DISABLE_FIND_PACKAGE_GTest=TRUE >"$work/1.log" 2>&1; then
  grep -q 'bia: tests not built: GoogleTest not found' "$work/1.log" || no "no-gtest: no message saying the tests are not built"
  has_tests "$work/no-gtest" && no "no-gtest: tests built without GoogleTest"
  grep -q 'build bindings/cli/bia:' "$work/no-gtest/build.ninja" || no "no-gtest: the bia command is not built"
else
  no "no-gtest: configure failed"; cat "$work/1.log"
fi

# 2. Asked for, no GoogleTest: configure fails (rather than silently skipping what was asked for).
if "$cmake" -S "$src" -B "$work/asked" -G Ninja -DBIA_BUILD_TESTS=ON -DCMAKE_DISABLE_FIND_PACKAGE_GTest=TRUE >"$work/2.log" 2>&1; then
  no "BIA_BUILD_TESTS=ON without GoogleTest configured"
fi

# 3. Top level with GoogleTest: the tests are built by default.
if "$cmake" -S "$src" -B "$work/top" -G Ninja >"$work/3.log" 2>&1; then
  has_tests "$work/top" || no "top level with GoogleTest: no tests"
else
  no "top level with GoogleTest: configure failed"; cat "$work/3.log"
fi

# 4. A subproject (add_subdirectory) with GoogleTest: no tests unless the host asks.
mkdir -p "$work/host"
cat >"$work/host/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(host LANGUAGES CXX C)
add_subdirectory("$src" bia)
CMAKE
if "$cmake" -S "$work/host" -B "$work/host/build" -G Ninja >"$work/4.log" 2>&1; then
  has_tests "$work/host/build" && no "subproject: tests built for the host"
else
  no "subproject: configure failed"; cat "$work/4.log"
fi

[ "$fail" = 0 ] && echo "configure_test: 4 configures as documented"
exit "$fail"
