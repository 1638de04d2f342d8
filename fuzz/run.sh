#!/usr/bin/env bash
# Runs one libFuzzer target for a while: fuzz/run.sh BUILD_DIR TARGET SECONDS [WORK_DIR]
#   BUILD_DIR  a build configured with -DBIA_FUZZ=ON (clang), holding fuzz/TARGET
#   TARGET     pack_fuzzer, case_fuzzer or c_api_fuzzer
#   WORK_DIR   where the growing corpus and any crash inputs go (default: BUILD_DIR/fuzz-work);
#              reusing it across runs continues where the last run stopped.
# Seeds: fuzz/seeds/, the pack in rules/ and the cases in examples/. Exits 1 when the target
# crashed, hung (more than 10 s on one input) or ran out of memory; the input is in WORK_DIR/artifacts.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$1 TARGET=$2 SECONDS_TO_RUN=$3
WORK=${4:-$BUILD/fuzz-work}
BIN=$BUILD/fuzz/$TARGET
[[ -x $BIN ]] || { echo "run.sh: $BIN is missing; build it with -DBIA_FUZZ=ON" >&2; exit 2; }

corpus=$WORK/corpus/$TARGET
artifacts=$WORK/artifacts/$TARGET
seeds=$WORK/seeds/$TARGET
mkdir -p "$corpus" "$artifacts" "$seeds"
rm -f "$seeds"/*
case $TARGET in
  pack_fuzzer)
    dict=$ROOT/fuzz/bia.dict max_len=32768
    cp "$ROOT"/fuzz/seeds/pack/* "$ROOT"/fuzz/seeds/pack-shapes/* "$ROOT"/rules/protect/*.bia "$seeds"/
    cp "$ROOT"/examples/quickstart/pack.bia "$seeds"/quickstart.bia
    ;;
  case_fuzzer)
    dict=$ROOT/fuzz/case.dict max_len=16384
    cp "$ROOT"/fuzz/seeds/case/* "$ROOT"/examples/cases/*.json "$seeds"/
    ;;
  c_api_fuzzer)
    dict=$ROOT/fuzz/case.dict max_len=16384
    cp "$ROOT"/fuzz/seeds/c_api/* "$seeds"/
    # The first byte picks the options: 0 = JSON, 1 = text, 2 = HTML; 0xc0 = the rest is a pack.
    for f in "$ROOT"/examples/cases/*.json; do
      for control in 00 01 02; do (printf "\\x$control"; cat "$f") > "$seeds/$control-$(basename "$f")"; done
    done
    ;;
  *) echo "run.sh: unknown target $TARGET" >&2; exit 2 ;;
esac
for dir in "$ROOT/fuzz/regressions/${TARGET%_fuzzer}"; do
  [[ -d $dir ]] && cp "$dir"/* "$seeds"/ 2>/dev/null || true
done

log=$WORK/$TARGET.log
set +e
(cd "$ROOT" && "$BIN" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2560 -max_len="$max_len" \
   -dict="$dict" -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds") >"$log" 2>&1
status=$?
set -e
# One line a person can read: executions, coverage (edges, features), corpus size.
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
echo "$TARGET: ${SECONDS_TO_RUN}s, $execs executions; ${last:-no progress line}"
if ((status != 0)); then
  echo "$TARGET: FAILED (exit $status); log $log, inputs in $artifacts:" >&2
  grep -E 'ERROR|invariant|SUMMARY|Test unit written' "$log" | head -20 >&2
  exit 1
fi
