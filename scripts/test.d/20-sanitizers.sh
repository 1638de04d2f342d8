#!/usr/bin/env bash
# The whole C++ test suite under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer is
# part of ASan here), then the concurrency tests and `bia batch` under ThreadSanitizer.
# Run by scripts/test.sh after the main ctest; reuses build-asan and build-tsan (BIA_ASAN_BUILD,
# BIA_TSAN_BUILD) between runs.
# No suppressions: any report fails the run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
JOBS=${JOBS:-2}
ASAN_BUILD=${BIA_ASAN_BUILD:-build-asan}
TSAN_BUILD=${BIA_TSAN_BUILD:-build-tsan}

echo "-- ASan + UBSan + LSan: the whole C++ test suite ($ASAN_BUILD)"
cmake -S . -B "$ASAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIA_SANITIZE=ON -DBIA_BUILD_TESTS=ON >/dev/null
cmake --build "$ASAN_BUILD" -j"$JOBS"
export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Sanitized code runs several times slower: the concurrency test evaluates a tenth of its CI
# count here (the full count runs in the Release build of the main ctest).
# Growth checks time inputs of two sizes; the sanitizers distort such timings (limits_test.cpp).
BIA_CONCURRENCY_CASES=5000 ctest --test-dir "$ASAN_BUILD" --output-on-failure -j"$JOBS"

echo "-- TSan: the concurrency tests and bia batch ($TSAN_BUILD)"
tsan=(-DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_CXX_FLAGS=-fsanitize=thread
      -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread)
cmake -S . -B "$TSAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIA_BUILD_TESTS=ON "${tsan[@]}" >/dev/null
cmake --build "$TSAN_BUILD" -j"$JOBS" --target concurrency_test bia_cli
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
# Some kernels randomise mmap more than older TSan runtimes allow; without ASLR TSan always maps.
run() { if setarch "$(uname -m)" -R true 2>/dev/null; then setarch "$(uname -m)" -R "$@"; else "$@"; fi; }
(cd "$TSAN_BUILD" && BIA_CONCURRENCY_CASES=2000 run tests/concurrency_test --gtest_brief=1)

# bia batch evaluates with a pool of threads and writes results in input order: 8 threads under
# TSan must write what 1 thread writes.
cases="$TSAN_BUILD"/batch-cases.jsonl
: > "$cases"
for i in 1 2 3 4 5 6 7 8; do
  for f in examples/cases/*.json; do tr -d '\n' < "$f" >> "$cases"; echo >> "$cases"; done
  echo '{"child": {"unaccompanied": "yes"}}' >> "$cases"
done
run "$TSAN_BUILD"/bindings/cli/bia batch rules/protect "$cases" --as-of 2026-03-01 --threads 1 -o "$TSAN_BUILD"/batch-1.jsonl
run "$TSAN_BUILD"/bindings/cli/bia batch rules/protect "$cases" --as-of 2026-03-01 --threads 8 -o "$TSAN_BUILD"/batch-8.jsonl
cmp "$TSAN_BUILD"/batch-1.jsonl "$TSAN_BUILD"/batch-8.jsonl
echo "sanitizers: clean"
