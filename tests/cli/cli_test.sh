#!/bin/sh
# End-to-end runs of the `bia` command, one named case per ctest test.
#   sh cli_test.sh BIA SOURCE_DIR CASE
# Exit 0 when the case passes; otherwise prints what differed and exits 1.
set -u

BIA=$1
SRC=$2
CASE=$3

PACK="$SRC/examples/quickstart/pack.bia"
FACTS="$SRC/examples/quickstart/case.json"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bia-cli-test.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT INT TERM
OUT="$WORK/stdout"
ERR="$WORK/stderr"
FAILED=0

fail() {
    echo "FAIL [$CASE]: $*"
    FAILED=1
}

show() {
    echo "--- command: $LAST"
    echo "--- exit code: $CODE"
    echo "--- stdout:"
    head -c 4000 "$OUT"
    echo "--- stderr:"
    head -c 4000 "$ERR"
    echo "---"
}

# bia ARGS... : runs the command, keeping its stdout, stderr and exit code.
bia() {
    LAST="bia $*"
    "$BIA" "$@" >"$OUT" 2>"$ERR" </dev/null
    CODE=$?
}

# bia_stdin FILE ARGS... : the same, with FILE on standard input.
bia_stdin() {
    input=$1
    shift
    LAST="bia $* < $input"
    "$BIA" "$@" >"$OUT" 2>"$ERR" <"$input"
    CODE=$?
}

expect_exit() {
    [ "$CODE" -eq "$1" ] || fail "expected exit code $1, got $CODE"
}

expect_out() {
    grep -F -q -e "$1" "$OUT" || fail "stdout does not contain: $1"
}

expect_err() {
    grep -F -q -e "$1" "$ERR" || fail "stderr does not contain: $1"
}

expect_no_out() {
    if grep -F -q -e "$1" "$OUT"; then fail "stdout contains: $1"; fi
}

expect_no_err() {
    if grep -F -q -e "$1" "$ERR"; then fail "stderr contains: $1"; fi
}

expect_out_empty() {
    [ ! -s "$OUT" ] || fail "stdout is not empty"
}

expect_err_empty() {
    [ ! -s "$ERR" ] || fail "stderr is not empty"
}

expect_lines() {
    n=$(wc -l <"$OUT" | tr -d ' ')
    [ "$n" -eq "$1" ] || fail "expected $1 line(s) on stdout, got $n"
}

# bia_to TARGET ARGS... : like bia, with standard output sent to TARGET instead
# (a path, or "-" for a closed standard output).
bia_to() {
    target=$1
    shift
    LAST="bia $* > $target"
    if [ "$target" = - ]; then
        "$BIA" "$@" >&- 2>"$ERR" </dev/null
    else
        "$BIA" "$@" >"$target" 2>"$ERR" </dev/null
    fi
    CODE=$?
    : >"$OUT"
}

# Every command whose output cannot be written exits 4 and says so, whatever
# else it concluded (its case for the test pack fails its one test).
each_command_to() {
    target=$1
    why=$2
    for format in text json html; do
        bia_to "$target" run "$WORK/mini.bia" "$WORK/case.json" --as-of 2026-03-10 --format $format
        expect_exit 4
        expect_err "bia: error: cannot write standard output: $why"
    done
    bia_to "$target" check "$WORK/mini.bia"
    expect_exit 4
    expect_err "cannot write standard output: $why"
    bia_to "$target" explain "$WORK/mini.bia" "$WORK/case.json" alone --as-of 2026-03-10
    expect_exit 4
    expect_err "cannot write standard output: $why"
    for pack in "$WORK/mini.bia" "$WORK/failing.bia"; do
        bia_to "$target" test "$pack" --coverage
        expect_exit 4
        expect_err "cannot write standard output: $why"
    done
    bia_to "$target" batch "$WORK/mini.bia" "$WORK/cases.jsonl" --as-of 2026-03-10
    expect_exit 4
    expect_err "<stdout>: error: cannot write"
    expect_err "$why"
    bia_to "$target" --help
    expect_exit 4
    expect_err "cannot write standard output: $why"
}

# Files of a directory (hidden ones too), one per line.
entries() {
    ls -A "$1"
}

# A small pack and cases, written into the work directory.
cat >"$WORK/mini.bia" <<'EOF'
pack mini version "1.0.0" "Mini"
source GC14 "General Comment 14"
fact child.alone : bool "Travelling alone"
fact child.birth_date : date "Date of birth"
fact case.arrived_on : date "Arrival date"
level low
level high at 10
rule alone "Child travelling alone"
  severity high
  score 5
  when child.alone
  action "Appoint a guardian" within 1 day of case.arrived_on
  cites GC14 "para 90"
rule young "Young child" score 3 when years(child.birth_date, today) < 15
EOF
printf '{"child": {"alone": true}, "case": {"arrived_on": "2026-03-01"}}\n' >"$WORK/case.json"
i=0
while [ $i -lt 50 ]; do
    cat "$WORK/case.json"
    printf '{"child": {"alone": false}}\n'
    i=$((i + 1))
done >"$WORK/cases.jsonl"
{
    cat "$WORK/mini.bia"
    printf 'test "wrong on purpose"\n  as of 2026-03-10\n  given child.alone = true\n  expect level high\n'
} >"$WORK/failing.bia"

# A pack of 2,000 rules over one `or` of 2,000 facts: an empty case leaves
# every rule missing every fact, 4 million paths, over max_result_bytes.
rules_times_facts_pack() {
    awk 'BEGIN {
        print "pack p version \"1.0.0\" \"t\""; print "level low"
        for (i = 1; i <= 2000; i++) print "fact f" i " : bool"
        line = "let big = f1"; for (i = 2; i <= 2000; i++) line = line " or f" i; print line
        for (k = 1; k <= 2000; k++) print "rule r" k " \"t\" when big"
    }' >"$WORK/wide.bia"
    # An empty case between two cases that settle the let.
    awk 'BEGIN {
        line = "{"; for (i = 1; i < 2000; i++) line = line "\"f" i "\": false, "; line = line "\"f2000\": true}"
        print line; print "{}"; print line
    }' >"$WORK/wide.jsonl"
}

case "$CASE" in

check_ok)
    bia check "$PACK"
    expect_exit 0
    expect_lines 1
    expect_out "quickstart"
    expect_err_empty
    ;;

max_source_bytes_option)
    # A pack over the default 4 MiB: the quick-start pack and a 5 MB comment.
    cp "$PACK" "$WORK/big.bia"
    head -c 5000000 /dev/zero | tr '\0' 'x' | sed 's/^/# /' >>"$WORK/big.bia"
    printf '\n' >>"$WORK/big.bia"
    bia check "$WORK/big.bia"
    expect_exit 1
    expect_err "E0503"
    expect_err "(max_source_bytes)"
    expect_err "$WORK/big.bia: note: a larger pack can be read with --max-source-bytes BYTES"
    bia check --max-source-bytes 6000000 "$WORK/big.bia"
    expect_exit 0
    expect_out "ok: pack quickstart"
    bia_stdin "$WORK/big.bia" check --max-source-bytes 6000000 -
    expect_exit 0
    expect_out "<stdin>: ok: pack quickstart"
    for sub in run explain; do
        if [ $sub = run ]; then bia $sub --max-source-bytes 6000000 "$WORK/big.bia" "$FACTS" --as-of 2026-03-01
        else bia $sub --max-source-bytes 6000000 "$WORK/big.bia" "$FACTS" no_guardian --as-of 2026-03-01; fi
        expect_exit 0
    done
    bia test --max-source-bytes 6000000 "$WORK/big.bia"
    expect_exit 0
    printf '{}\n' >"$WORK/one.jsonl"
    bia batch --max-source-bytes 6000000 --as-of 2026-03-01 "$WORK/big.bia" "$WORK/one.jsonl"
    expect_exit 0
    expect_lines 1
    # Lowered below the pack's size, and out of range.
    bia check --max-source-bytes 100 "$PACK"
    expect_exit 1
    expect_err "over the limit of 100 bytes (max_source_bytes)"
    bia check --max-source-bytes 0 "$PACK"
    expect_exit 2
    expect_err "--max-source-bytes"
    ;;

test_json_junit_only)
    cp "$WORK/mini.bia" "$WORK/tested.bia"
    printf 'test "alone is high" as of 2026-03-10 given child.alone = true expect level high\n' >>"$WORK/tested.bia"
    printf 'test "alone & \\"wrong\\" <level>" as of 2026-03-10 given child.alone = true expect level low\n' >>"$WORK/tested.bia"
    bia test --format json --junit "$WORK/junit.xml" "$WORK/tested.bia"
    expect_exit 1
    python3 - "$OUT" "$WORK/junit.xml" <<'PY' || fail "the JSON or the JUnit XML is not as expected"
import json, sys
import xml.etree.ElementTree as ET
out = json.load(open(sys.argv[1]))
assert list(out) == ["passed", "failed", "tests", "coverage"], out
assert (out["passed"], out["failed"]) == (1, 1), out
names = [t["name"] for t in out["tests"]]
assert names == ["alone is high", 'alone & "wrong" <level>'], names
bad = out["tests"][1]
assert bad["passed"] is False and bad["line"] == 16 and bad["failures"] and "expected level low" in bad["failures"][0], bad
assert set(out["coverage"]) == {"percent", "rules"} and out["coverage"]["rules"][0]["fired"] is True, out["coverage"]
suite = ET.parse(sys.argv[2]).getroot().find("testsuite")
assert (suite.get("tests"), suite.get("failures")) == ("2", "1"), suite.attrib
cases = suite.findall("testcase")
assert [c.get("name") for c in cases] == names
assert cases[0].find("failure") is None and "expected level low" in cases[1].find("failure").get("message")
PY
    # --only: a whole name or a pattern; coverage and counts are of those tests.
    bia test --only "alone is*" "$WORK/tested.bia"
    expect_exit 0
    expect_out "1 passed, 0 failed"
    bia test --only "alone ?s high" "$WORK/tested.bia"
    expect_out "1 passed, 0 failed"
    bia test --only "*wrong*" "$WORK/tested.bia"
    expect_exit 1
    expect_out "0 passed, 1 failed"
    bia test --only "nothing like it" "$WORK/tested.bia"
    expect_exit 1
    expect_err "no test's name matches 'nothing like it'"
    ;;

check_json)
    bia check --format json "$PACK"
    expect_exit 0
    python3 - "$OUT" <<'PY' || fail "stdout is not the JSON summary"
import json, sys
out = json.load(open(sys.argv[1]))
assert list(out) == ["ok", "pack", "rules", "facts", "levels", "diagnostics"], out
assert out["ok"] is True and out["pack"]["name"] == "quickstart" and out["pack"]["digest"].startswith("sha256:")
assert out["rules"] == 4 and out["diagnostics"] == [], out
PY
    printf 'pack p version "1.0.0" "t"\nlevel low\nfact a.n : number\nrule r "R" when knwn(a.n)\n' >"$WORK/bad.bia"
    bia_stdin "$WORK/bad.bia" check --format json -
    expect_exit 1
    expect_err "<stdin>:4:17: error: unknown function 'knwn'"
    python3 - "$OUT" <<'PY' || fail "stdout is not the JSON diagnostics"
import json, sys
out = json.load(open(sys.argv[1]))
assert out == {"ok": False, "diagnostics": [{"code": "E0311", "path": "<stdin>", "line": 4, "column": 17,
               "message": "unknown function 'knwn'; did you mean 'known'?"}]}, out
PY
    bia_stdin "$WORK/bad.bia" check --format json --max-source-bytes 10 -
    expect_exit 1
    expect_out '"code": "E0503"'
    ;;

check_directory_pack)
    mkdir "$WORK/dir"
    printf 'pack split version "1.0.0" "Split"\nlevel low\n' >"$WORK/dir/10-head.bia"
    printf 'fact child.alone : bool\nrule r "R" when child.alone\n' >"$WORK/dir/20-rules.bia"
    printf 'garbage\n' >"$WORK/dir/.hidden.bia"
    printf 'garbage\n' >"$WORK/dir/notes.txt"
    bia check "$WORK/dir"
    expect_exit 0
    expect_lines 1
    expect_out "split"
    ;;

check_directory_pack_entry_not_a_file)
    mkdir "$WORK/dir"
    printf 'pack split version "1.0.0" "Split"\nlevel low\n' >"$WORK/dir/10-head.bia"
    ln -s gone.bia "$WORK/dir/20-rules.bia"
    bia check "$WORK/dir"
    expect_exit 1
    expect_err "$WORK/dir/20-rules.bia"
    expect_err "a symbolic link whose target cannot be read"
    expect_no_out "ok"
    ;;

check_directory_subdirectories_warn)
    mkdir -p "$WORK/dir/drafts/deeper" "$WORK/dir/cases" "$WORK/dir/.git"
    printf 'pack split version "1.0.0" "Split"\nlevel low\n' >"$WORK/dir/10-head.bia"
    printf 'fact child.alone : bool\n' >"$WORK/dir/drafts/20-rules.bia"
    printf 'fact child.other : bool\n' >"$WORK/dir/drafts/deeper/30-more.bia"
    printf '{}\n' >"$WORK/dir/cases/a.json"
    printf 'garbage\n' >"$WORK/dir/.git/x.bia"
    bia check "$WORK/dir"
    expect_exit 0
    expect_lines 1
    expect_out "0 rules, 0 facts"
    expect_err "$WORK/dir/drafts: warning: 2 .bia files are not read: a pack directory is only the .bia files directly in it"
    expect_no_err "cases"
    expect_no_err ".git"
    # Every command that loads a pack says it, not only check.
    bia run "$WORK/dir" "$WORK/dir/cases/a.json" --as-of 2026-03-10 --format json
    expect_exit 0
    expect_err "$WORK/dir/drafts: warning: 2 .bia files are not read"
    ;;

check_stdin)
    bia check "$WORK/mini.bia"
    sed 's/^[^:]*: //' "$OUT" >"$WORK/from-file"
    bia_stdin "$WORK/mini.bia" check -
    expect_exit 0
    expect_err_empty
    expect_lines 1
    expect_out "<stdin>: ok: pack mini 1.0.0"
    sed 's/^[^:]*: //' "$OUT" | cmp -s - "$WORK/from-file" || fail "check - differs from checking the file"
    ;;

check_stdin_broken)
    printf 'pack t version "1.0.0" "T"\nlevel low\nfact child.age : number\nrule r "R"\n  when child.agee > 1\n' >"$WORK/broken.bia"
    bia_stdin "$WORK/broken.bia" check -
    expect_exit 1
    expect_out_empty
    expect_err "<stdin>:5:"
    expect_err "<stdin>: 1 error; the pack was not loaded"
    ;;

test_no_tests_warns)
    bia test "$WORK/mini.bia"
    expect_exit 0
    expect_out "0 passed, 0 failed"
    expect_err "$WORK/mini.bia: warning: the pack declares no tests, so nothing was checked"
    cp "$WORK/mini.bia" "$WORK/tested.bia"
    printf 'test "alone is high" as of 2026-03-10 given child.alone = true expect level high\n' >>"$WORK/tested.bia"
    bia test "$WORK/tested.bia"
    expect_exit 0
    expect_out "1 passed, 0 failed"
    expect_err_empty
    ;;

check_broken)
    printf 'pack t version "1.0.0" "T"\nlevel low\nfact child.age : number\nrule r "R"\n  when child.agee > 1\n' >"$WORK/broken.bia"
    bia check "$WORK/broken.bia"
    expect_exit 1
    # path:line:col, the path as it was given.
    expect_err "$WORK/broken.bia:5:8: error: "
    expect_err "child.agee"
    expect_err "  when child.agee > 1"
    expect_err "^"
    expect_no_out "ok"
    ;;

check_broken_relative_path)
    mkdir "$WORK/sub"
    printf 'pack t version "1.0.0" "T"\nlevel low\nrule r "R" when nope\n' >"$WORK/sub/broken.bia"
    LAST="(cd $WORK && bia check ./sub/../sub/broken.bia)"
    (cd "$WORK" && "$BIA" check ./sub/../sub/broken.bia >"$OUT" 2>"$ERR")
    CODE=$?
    expect_exit 1
    expect_err "./sub/../sub/broken.bia:3:17: error: "
    ;;

check_all_errors)
    printf 'pack t version "1.0.0" "T"\nlevel low\nrule r "R" when nope1\nrule s "S" when nope2\nrule t "T" when nope3\n' >"$WORK/three.bia"
    bia check "$WORK/three.bia"
    expect_exit 1
    expect_err "three.bia:3:17: error: "
    expect_err "three.bia:4:17: error: "
    expect_err "three.bia:5:17: error: "
    ;;

check_missing_pack)
    bia check "$WORK/does-not-exist.bia"
    expect_exit 1
    expect_err "does-not-exist.bia"
    ;;

check_empty_pack)
    : >"$WORK/empty.bia"
    bia check "$WORK/empty.bia"
    expect_exit 1
    expect_err "empty.bia:1:1: error: "
    ;;

run_json)
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --format json
    expect_exit 0
    expect_err_empty
    [ "$(head -n 1 "$OUT")" = "{" ] || fail "the JSON does not start with {"
    [ "$(sed -n 2p "$OUT")" = '  "engine": "'"$("$BIA" --version | sed 's/^bia //')"'",' ] || fail "line 2 is not the engine"
    expect_out '    "name": "quickstart",'
    expect_out '  "as_of": "2026-03-10",'
    expect_out '  "level": "high",'
    expect_out '  "score": 30,'
    expect_out '      "rule": "no_guardian",'
    expect_out '          "due": "2026-02-28",'
    expect_out '          "overdue": true'
    expect_out '          "due": "2026-03-24",'
    expect_out '      "rule": "young_alone",'
    expect_out '    "child.birth_date"'
    expect_out '  "warnings": []'
    [ "$(tail -c 1 "$OUT" | od -An -c | tr -d ' ')" = '\n' ] || fail "no trailing newline"
    [ "$(tail -n 1 "$OUT")" = "}" ] || fail "the JSON does not end with }"
    ;;

run_json_byte_identical)
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --format json
    cp "$OUT" "$WORK/first"
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --format json
    cmp -s "$OUT" "$WORK/first" || fail "two runs differ"
    ;;

run_text)
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --format text
    expect_exit 0
    expect_err_empty
    expect_out "high"
    expect_out "Unaccompanied child has no guardian"
    expect_out "Appoint a qualified, independent guardian"
    expect_out "2026-02-28"
    expect_out "UN CRC General Comment No. 14 (2013)"
    expect_out "child.birth_date"
    expect_out "Date of birth, as stated or documented"
    ;;

run_default_format_is_text)
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --format text
    cp "$OUT" "$WORK/text"
    bia run "$PACK" "$FACTS" --as-of 2026-03-10
    expect_exit 0
    cmp -s "$OUT" "$WORK/text" || fail "the default format is not text"
    ;;

run_stdin)
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --format json
    cp "$OUT" "$WORK/from-file"
    bia_stdin "$FACTS" run "$PACK" - --as-of 2026-03-10 --format json
    expect_exit 0
    cmp -s "$OUT" "$WORK/from-file" || fail "reading the case from - differs from reading the file"
    ;;

run_stdin_fact_error)
    printf '{"child": {"alone": "SECRET_MARKER_4242"}}' >"$WORK/bad.json"
    bia_stdin "$WORK/bad.json" run "$WORK/mini.bia" - --as-of 2026-03-10
    expect_exit 1
    expect_err "child.alone"
    expect_no_err "SECRET_MARKER_4242"
    ;;

run_json_fact_errors)
    # Under --format json the errors come as JSON on standard output too (and as text on
    # standard error), never with the value.
    printf '{"child": {"birth_date": "2026-13-01", "unaccompanied": "SECRET_MARKER_4242"}}' >"$WORK/bad.json"
    bia run "$PACK" "$WORK/bad.json" --as-of 2026-03-10 --format json
    expect_exit 1
    expect_err "child.unaccompanied"
    python3 - "$OUT" <<'PY' || fail "stdout is not the JSON error record"
import json, sys
record = json.load(open(sys.argv[1]))
assert list(record) == ["error"], record
assert [e["path"] for e in record["error"]] == ["child.birth_date", "child.unaccompanied"], record
assert all(list(e) == ["path", "message"] and e["message"] for e in record["error"]), record
PY
    expect_no_out "SECRET_MARKER_4242"
    expect_no_err "SECRET_MARKER_4242"
    # Text stays as it was: nothing on standard output.
    bia run "$PACK" "$WORK/bad.json" --as-of 2026-03-10
    expect_exit 1
    expect_out_empty
    ;;

explain_json)
    bia explain --format json "$PACK" "$FACTS" no_guardian --as-of 2026-03-10
    expect_exit 0
    python3 - "$OUT" <<'PY' || fail "stdout is not the JSON explanation"
import json, sys
out = json.load(open(sys.argv[1]))
assert list(out) == ["rule", "title", "outcome", "steps", "missing", "would_fire", "search_stopped"], out
assert out["rule"] == "no_guardian" and out["outcome"] == "fired" and out["search_stopped"] is False, out
assert out["steps"][0] == {"depth": 0, "expression": "child.unaccompanied and not known(guardian.appointed_on)",
                           "value": "true", "via_let": False}, out["steps"][0]
assert [s["depth"] for s in out["steps"]] == [0, 1, 1, 2], out["steps"]
PY
    # An undetermined rule: what it waits for.
    printf '{"child": {"birth_date": "2010-01-01"}}' >"$WORK/open.json"
    bia explain --format json "$PACK" "$WORK/open.json" no_guardian --as-of 2026-03-10
    expect_exit 0
    expect_out '"outcome": "undetermined"'
    expect_out '"child.unaccompanied"'
    # A refused case: the error record, as bia run's.
    printf '{"child": {"unaccompanied": "SECRET_MARKER_4242"}}' >"$WORK/bad.json"
    bia explain --format json "$PACK" "$WORK/bad.json" no_guardian --as-of 2026-03-10
    expect_exit 1
    expect_out '"path": "child.unaccompanied"'
    expect_no_out "SECRET_MARKER_4242"
    ;;

run_default_as_of_is_today)
    before=$(date +%Y-%m-%d)
    bia run "$PACK" "$FACTS" --format json
    after=$(date +%Y-%m-%d)
    expect_exit 0
    if ! grep -F -q "\"as_of\": \"$before\"" "$OUT" && ! grep -F -q "\"as_of\": \"$after\"" "$OUT"; then
        fail "as_of is not today's date ($before)"
    fi
    ;;

opt_equals_form)
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --format json
    cp "$OUT" "$WORK/spaced"
    bia run "$PACK" "$FACTS" --as-of=2026-03-10 --format=json
    expect_exit 0
    cmp -s "$OUT" "$WORK/spaced" || fail "--opt=value differs from --opt value"
    ;;

options_anywhere)
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --format json
    cp "$OUT" "$WORK/last"
    bia run --format json "$PACK" --as-of 2026-03-10 "$FACTS"
    expect_exit 0
    cmp -s "$OUT" "$WORK/last" || fail "options before and between the arguments give other output"
    bia run --as-of=2026-03-10 --format=json "$PACK" "$FACTS"
    expect_exit 0
    cmp -s "$OUT" "$WORK/last" || fail "options first give other output"
    ;;

as_of_bad)
    for bad in 2026-02-30 2026-3-10 tomorrow 10/03/2026 2026-03-10T00:00 "" 0000-01-01; do
        bia run "$PACK" "$FACTS" --as-of "$bad"
        [ "$CODE" -eq 2 ] || fail "--as-of '$bad': expected exit code 2, got $CODE"
        [ ! -s "$OUT" ] || fail "--as-of '$bad': stdout is not empty"
        [ -s "$ERR" ] || fail "--as-of '$bad': no message on stderr"
    done
    bia run "$PACK" "$FACTS" --as-of
    expect_exit 2
    ;;

format_bad)
    bia run "$PACK" "$FACTS" --format xml
    expect_exit 2
    expect_out_empty
    ;;

unknown_command)
    bia frobnicate "$PACK"
    expect_exit 2
    expect_out_empty
    [ -s "$ERR" ] || fail "no message on stderr"
    ;;

unknown_option)
    bia run "$PACK" "$FACTS" --frobnicate
    expect_exit 2
    bia check --strict-ish "$PACK"
    expect_exit 2
    ;;

no_command)
    bia
    expect_exit 2
    ;;

missing_args)
    bia check
    expect_exit 2
    bia run "$PACK"
    expect_exit 2
    bia run
    expect_exit 2
    ;;

extra_args)
    bia run "$PACK" "$FACTS" "$FACTS"
    expect_exit 2
    bia check "$PACK" "$PACK"
    expect_exit 2
    ;;

repeated_option)
    bia run "$PACK" "$FACTS" --format json --format text
    expect_exit 2
    expect_out_empty
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --as-of 2026-03-11
    expect_exit 2
    bia run "$PACK" "$FACTS" --as-of=2026-03-10 --as-of=2026-03-10
    expect_exit 2
    bia run "$PACK" "$FACTS" --strict --strict
    expect_exit 2
    ;;

help_and_version)
    bia --help
    expect_exit 0
    expect_out "check"
    expect_out "run"
    bia run --help
    expect_exit 0
    expect_out "--as-of"
    expect_out "--format"
    expect_out "--strict"
    bia check --help
    expect_exit 0
    bia --version
    expect_exit 0
    [ -s "$OUT" ] || fail "--version printed nothing"
    expect_out "1."
    ;;

unreadable_pack)
    bia run "$WORK/no-such-pack.bia" "$FACTS"
    expect_exit 1
    expect_err "no-such-pack.bia"
    mkdir "$WORK/emptydir"
    bia run "$WORK/emptydir" "$FACTS"
    expect_exit 1
    if [ "$(id -u)" -ne 0 ]; then
        cp "$PACK" "$WORK/locked.bia"
        chmod 000 "$WORK/locked.bia"
        bia check "$WORK/locked.bia"
        expect_exit 1
    fi
    ;;

unreadable_case)
    bia run "$PACK" "$WORK/no-such-case.json"
    expect_exit 1
    expect_err "no-such-case.json"
    expect_out_empty
    mkdir "$WORK/casedir"
    bia run "$PACK" "$WORK/casedir"
    expect_exit 1
    expect_out_empty
    ;;

run_case_not_a_file)
    # A fifo as the case blocked `bia run` forever (issue 16, item 6); it is refused
    # at once, as in a pack. `timeout` turns a hang into a failure (exit 124).
    mkfifo "$WORK/fifo.json"
    LAST="bia run PACK fifo.json"
    timeout 20 "$BIA" run "$PACK" "$WORK/fifo.json" >"$OUT" 2>"$ERR" </dev/null
    CODE=$?
    expect_exit 1
    expect_err "fifo.json: error: not a regular file (a fifo); give a file, or - for standard input"
    expect_out_empty
    # (standard input a file here: /dev/null as standard input would be standard input)
    bia_stdin "$FACTS" run "$PACK" /dev/null
    expect_exit 1
    expect_err "not a regular file (a character device)"
    # Standard input under its own name still works, from a pipe and from a file.
    bia run "$PACK" "$FACTS" --as-of 2026-03-10 --format json
    cp "$OUT" "$WORK/from-file"
    LAST="cat case | bia run PACK /dev/stdin"
    cat "$FACTS" | "$BIA" run "$PACK" /dev/stdin --as-of 2026-03-10 --format json >"$OUT" 2>"$ERR"
    CODE=$?
    expect_exit 0
    cmp -s "$OUT" "$WORK/from-file" || fail "reading the case from /dev/stdin (a pipe) differs from the file"
    bia_stdin "$FACTS" run "$PACK" /dev/stdin --as-of 2026-03-10 --format json
    expect_exit 0
    cmp -s "$OUT" "$WORK/from-file" || fail "reading the case from /dev/stdin (a file) differs from the file"
    ;;

check_control_characters_escaped)
    # Pack diagnostics never echo a raw control character to the terminal (issue 16, item 6):
    # ESC in a string, in the source line, and in a directory entry's name are shown as \x1b.
    mkdir "$WORK/escdir"
    esc=$(printf '\033')
    printf 'pack t version "1.0.0" "T"\nlevel low\nrule r "R\033[2J" when nope\033[31m\n' >"$WORK/escdir/a${esc}[31m.bia"
    bia check "$WORK/escdir"
    expect_exit 1
    expect_err 'a\x1b[31m.bia:3:10: error: a string holds the control character U+001B'
    expect_err 'rule r "R\x1b[2J" when nope\x1b[31m'
    if tr -d '\033' <"$ERR" | cmp -s - "$ERR"; then :; else fail "stderr holds a raw ESC byte"; fi
    bia check "$SRC/tests/data/diagnostics/control_in_source.bia"
    expect_exit 1
    expect_err 'when child.age > \x1b[31m1'
    if tr -d '\033' <"$ERR" | cmp -s - "$ERR"; then :; else fail "stderr holds a raw ESC byte"; fi
    ;;

batch_threads_bound_memory)
    # `bia batch --threads 1024` kept 2 x 1024 + 2 chunks in flight: the whole of a 98 MB input
    # and its results (peak 852,896 KiB). Chunks in flight are capped (32), so the peak resident size no
    # longer grows with the input. Measured with GNU time (scripts/install-deps.sh --test).
    [ -x /usr/bin/time ] || { fail "GNU time (/usr/bin/time) is needed for this test"; exit 1; }
    line=$(tr -d '\n' <"$FACTS")
    yes "$line" | head -n 200000 >"$WORK/many.jsonl"
    LAST="bia batch PACK many.jsonl --threads 1024"
    /usr/bin/time -f '%M' -o "$WORK/peak" "$BIA" batch "$PACK" "$WORK/many.jsonl" -o "$WORK/many.out" \
        --as-of 2026-03-10 --threads 1024 >"$OUT" 2>"$ERR" </dev/null
    CODE=$?
    expect_exit 0
    [ "$(wc -l <"$WORK/many.out")" -eq 200000 ] || fail "expected 200000 result lines"
    peak=$(tail -n 1 "$WORK/peak")
    echo "peak resident size: $peak KiB for $(wc -c <"$WORK/many.jsonl") bytes of input"
    [ "$peak" -lt 120000 ] || fail "peak resident size $peak KiB, expected under 120000 KiB"
    ;;

broken_pack_on_run)
    printf 'pack t version "1.0.0" "T"\nlevel low\nrule r "R" when nope\n' >"$WORK/broken.bia"
    bia run "$WORK/broken.bia" "$FACTS"
    expect_exit 1
    expect_err "$WORK/broken.bia:3:17: error: "
    expect_out_empty
    ;;

fact_errors)
    printf '{"child": {"alone": "SECRET_MARKER_4242", "birth_date": "1999-99-99"}, "case": {"arrived_on": 123456789}}' >"$WORK/bad.json"
    bia run "$WORK/mini.bia" "$WORK/bad.json" --as-of 2026-03-10 --format json
    expect_exit 1
    # No result; under --format json the error record (docs/result.md), never a value.
    expect_no_out '"level"'
    expect_out '"path": "child.alone"'
    expect_no_out "SECRET_MARKER_4242"
    expect_no_out "1999-99-99"
    expect_no_out "123456789"
    expect_err "child.alone"
    expect_err "child.birth_date"
    expect_err "case.arrived_on"
    expect_no_err "SECRET_MARKER_4242"
    expect_no_err "1999-99-99"
    expect_no_err "123456789"
    ;;

malformed_case)
    for body in '' '{' '[]' '{"child": {"alone": tru' 'null' '{"child": {"alone": 1e999}}'; do
        printf '%s' "$body" >"$WORK/m.json"
        bia run "$WORK/mini.bia" "$WORK/m.json" --as-of 2026-03-10
        [ "$CODE" -eq 1 ] || fail "case '$body': expected exit code 1, got $CODE"
        [ ! -s "$OUT" ] || fail "case '$body': stdout is not empty"
        [ -s "$ERR" ] || fail "case '$body': no message on stderr"
    done
    ;;

deep_case)
    awk 'BEGIN { printf "{\"x\": "; for (i = 0; i < 1000000; i++) printf "["; }' >"$WORK/deep.json"
    bia run "$WORK/mini.bia" "$WORK/deep.json" --as-of 2026-03-10
    expect_exit 1
    expect_err "max_json_depth"
    ;;

big_case)
    awk 'BEGIN { printf "{\"child\": {\"name\": \""; for (i = 0; i < 17 * 1024; i++) { s = sprintf("%1024s", ""); printf "%s", s } printf "\"}}" }' >"$WORK/big.json"
    bia run "$WORK/mini.bia" "$WORK/big.json" --as-of 2026-03-10
    expect_exit 1
    expect_out_empty
    [ -s "$ERR" ] || fail "no message on stderr"
    ;;

strict)
    printf '{"child": {"alone": true, "alnoe": true}, "extra": 1}' >"$WORK/extra.json"
    bia run "$WORK/mini.bia" "$WORK/extra.json" --as-of 2026-03-10 --format json
    expect_exit 0
    expect_out '"path": "child.alnoe"'
    expect_out '"path": "extra"'
    bia run "$WORK/mini.bia" "$WORK/extra.json" --as-of 2026-03-10 --format json --strict
    expect_exit 1
    expect_no_out '"level"'  # no result: the error record only
    expect_out '"error": ['
    bia run "$WORK/mini.bia" "$WORK/extra.json" --as-of 2026-03-10 --strict
    expect_exit 1
    expect_out_empty
    expect_err "child.alnoe"
    expect_err "extra"
    bia run --strict "$WORK/mini.bia" "$WORK/case.json" --as-of 2026-03-10
    expect_exit 0
    ;;

near_miss_refused)
    # A likely misspelling of a fact the case leaves unknown refuses the case (exit 1, the fact
    # error's exit code); --accept-near-misses evaluates it with the warning, as v1 did.
    printf '{"child": {"alnoe": true}, "case": {"arrived_on": "2026-03-01"}}' >"$WORK/typo.json"
    bia run "$WORK/mini.bia" "$WORK/typo.json" --as-of 2026-03-10
    expect_exit 1
    expect_out_empty
    expect_err "typo.json: error: child.alnoe: is not a fact of this pack; did you mean 'child.alone'?"
    expect_err "1 fact error; the case was not evaluated"
    bia run "$WORK/mini.bia" "$WORK/typo.json" --as-of 2026-03-10 --accept-near-misses --format json
    expect_exit 0
    expect_out '"suggestion": "child.alone"'
    expect_err "typo.json: warning: child.alnoe: is not a fact of this pack; ignored (did you mean 'child.alone'?)"
    # In a batch: an error record in its place, exit 1.
    printf '{"child": {"alnoe": true}}\n{"child": {"alone": true}}\n' >"$WORK/typos.jsonl"
    bia batch "$WORK/mini.bia" "$WORK/typos.jsonl" --as-of 2026-03-10
    expect_exit 1
    expect_lines 2
    expect_out '{"line":1,"error":[{"path":"child.alnoe","message":"is not a fact of this pack; did you mean'
    bia batch "$WORK/mini.bia" "$WORK/typos.jsonl" --as-of 2026-03-10 --accept-near-misses
    expect_exit 0
    expect_no_out '"error"'
    ;;

warnings_first)
    # Warnings go to standard error and to the top of the text and HTML reports, before the level.
    printf '{"child": {"alone": true}, "source_system": "crm"}' >"$WORK/extra.json"
    bia run "$WORK/mini.bia" "$WORK/extra.json" --as-of 2026-03-10
    expect_exit 0
    expect_err "extra.json: warning: source_system: is not a fact of this pack; ignored"
    warn_at=$(grep -n '^!! WARNINGS (1)' "$OUT" | cut -d: -f1)
    level_at=$(grep -n '^LEVEL:' "$OUT" | cut -d: -f1)
    [ -n "$warn_at" ] && [ -n "$level_at" ] && [ "$warn_at" -lt "$level_at" ] || fail "no warnings banner before the level"
    expect_out "  - source_system: is not a fact of this pack; ignored"
    bia run "$WORK/mini.bia" "$WORK/extra.json" --as-of 2026-03-10 --format html
    expect_exit 0
    warn_at=$(grep -n 'id="warnings"' "$OUT" | cut -d: -f1)
    level_at=$(grep -n 'id="level"' "$OUT" | cut -d: -f1)
    [ -n "$warn_at" ] && [ -n "$level_at" ] && [ "$warn_at" -lt "$level_at" ] || fail "no warnings banner before the level"
    # A clean case: no banner, nothing on standard error.
    bia run "$WORK/mini.bia" "$WORK/case.json" --as-of 2026-03-10
    expect_exit 0
    expect_no_out "WARNINGS"
    expect_err_empty
    ;;

batch_id_field)
    printf '{"case_id": "C-1", "child": {"alone": true}}\n{"case_id": 2, "child": {"alone": "yes"}}\n{"child": {}}\n{broken\n' >"$WORK/ids.jsonl"
    bia batch "$WORK/mini.bia" "$WORK/ids.jsonl" --as-of 2026-03-10 --id-field case_id --strict
    expect_exit 1
    expect_lines 4
    [ "$(sed -n 1p "$OUT" | cut -c1-27)" = '{"id":"C-1","engine":"1.0.0' ] || fail "line 1 does not start with its id"
    expect_out '{"line":2,"id":2,"error":[{"path":"child.alone"'
    [ "$(sed -n 3p "$OUT" | cut -c1-10)" = '{"id":null' ] || fail "line 3 has no null id"
    expect_out '{"line":4,"id":null,"error":'
    expect_no_err "case_id"
    # Without --id-field the field is a warning (an error with --strict), as before.
    bia batch "$WORK/mini.bia" "$WORK/ids.jsonl" --as-of 2026-03-10 --strict
    expect_exit 1
    expect_out '{"line":1,"error":[{"path":"case_id","message":"is not a fact of this pack (strict mode)"}]}'
    # A fact cannot be the id.
    bia batch "$WORK/mini.bia" "$WORK/ids.jsonl" --as-of 2026-03-10 --id-field child.alone
    expect_exit 2
    expect_err "bia: --id-field: 'child.alone' is a fact of this pack, so it cannot be the case id"
    expect_out_empty
    ;;

text_report_content)
    bia run "$WORK/mini.bia" "$WORK/case.json" --as-of 2026-03-10
    expect_exit 0
    expect_out "high"
    expect_out "Child travelling alone"
    expect_out "Appoint a guardian"
    expect_out "2026-03-02"
    expect_out "General Comment 14"
    expect_out "para 90"
    expect_out "child.birth_date"
    expect_out "Date of birth"
    ;;

output_to_dev_full)
    [ -w /dev/full ] || { echo "no /dev/full here: skipped"; exit 0; }
    each_command_to /dev/full "No space left on device"
    # -o naming a device writes to it in place, and fails the same way.
    bia batch "$WORK/mini.bia" "$WORK/cases.jsonl" --as-of 2026-03-10 -o /dev/full
    expect_exit 4
    expect_err "/dev/full: error: cannot write: No space left on device"
    ;;

output_to_closed_stdout)
    each_command_to - "Bad file descriptor"
    # -o FILE does not need standard output.
    bia_to - batch "$WORK/mini.bia" "$WORK/cases.jsonl" --as-of 2026-03-10 -o "$WORK/results.jsonl"
    expect_exit 0
    [ "$(wc -l <"$WORK/results.jsonl" | tr -d ' ')" -eq 100 ] || fail "results.jsonl does not have 100 lines"
    ;;

batch_result_limit)
    # The case whose result would pass max_result_bytes is that line's error
    # record, in its place; the lines around it are evaluated.
    rules_times_facts_pack
    bia batch "$WORK/wide.bia" "$WORK/wide.jsonl" --as-of 2026-03-10
    expect_exit 1
    expect_lines 3
    expect_out '{"line":2,"error":[{"path":"$","message":"the result reached '
    expect_out 'over the limit of 16777216 bytes (max_result_bytes)'
    [ "$(grep -c '"fired":' "$OUT")" -eq 2 ] || fail "lines 1 and 3 are not results"
    expect_err "1 of 3 lines could not be evaluated"
    bia_stdin "$WORK/wide.jsonl" run "$WORK/wide.bia" - --as-of 2026-03-10
    expect_exit 1
    ;;

batch_out_of_memory)
    # Memory that runs out in a worker (malloc fails for requests over 1.5 MiB,
    # as the list of the empty case's missing facts grows to 2 MiB, before
    # max_result_bytes stops it at about 450,000 paths) is that line's
    # error record; bia batch does not abort and the other lines are results.
    lib=${BIA_TEST_FAIL_MALLOC_LIB:-}
    [ -n "$lib" ] || { fail "BIA_TEST_FAIL_MALLOC_LIB is not set"; exit 1; }
    rules_times_facts_pack
    for threads in 1 2; do
        LAST="LD_PRELOAD=$lib bia batch wide.bia wide.jsonl --threads $threads"
        LD_PRELOAD=$lib BIA_TEST_FAIL_MALLOC_OVER=1572864 "$BIA" batch "$WORK/wide.bia" "$WORK/wide.jsonl" \
            --as-of 2026-03-10 --threads $threads >"$OUT" 2>"$ERR" </dev/null
        CODE=$?
        expect_exit 1
        expect_lines 3
        expect_out '{"line":2,"error":[{"path":"$","message":"memory ran out while evaluating the case"}]}'
        [ "$(grep -c '"fired":' "$OUT")" -eq 2 ] || fail "lines 1 and 3 are not results"
        expect_err "1 of 3 lines could not be evaluated"
    done
    ;;

batch_output_file_is_whole)
    mkdir "$WORK/out"
    printf 'old results\n' >"$WORK/out/results.jsonl"
    chmod 640 "$WORK/out/results.jsonl"
    bia batch "$WORK/mini.bia" "$WORK/cases.jsonl" --as-of 2026-03-10 -o "$WORK/out/results.jsonl"
    expect_exit 0
    expect_out_empty
    [ "$(entries "$WORK/out")" = results.jsonl ] || fail "temporary files left: $(entries "$WORK/out")"
    [ "$(wc -l <"$WORK/out/results.jsonl" | tr -d ' ')" -eq 100 ] || fail "results.jsonl does not have 100 lines"
    grep -q 'old results' "$WORK/out/results.jsonl" && fail "the old content is still there"
    [ "$(stat -c %a "$WORK/out/results.jsonl")" = 640 ] || fail "the file's permissions changed"
    # Through a symlink: the link stays a link, its target gets the results.
    ln -s results.jsonl "$WORK/out/link.jsonl"
    printf '{}\n' >"$WORK/one.jsonl"
    bia batch "$WORK/mini.bia" "$WORK/one.jsonl" --as-of 2026-03-10 -o "$WORK/out/link.jsonl"
    expect_exit 0
    [ -L "$WORK/out/link.jsonl" ] || fail "the symlink was replaced"
    [ "$(wc -l <"$WORK/out/results.jsonl" | tr -d ' ')" -eq 1 ] || fail "the symlink's target was not written"
    ;;

batch_output_failure_keeps_old_file)
    mkdir "$WORK/out"
    printf 'old results\n' >"$WORK/out/results.jsonl"
    # A file size limit of 4 blocks: the results (about 20 kB) cannot all be written.
    LAST="(ulimit -f 4; bia batch ... -o $WORK/out/results.jsonl)"
    (trap '' XFSZ; ulimit -f 4; exec "$BIA" batch "$WORK/mini.bia" "$WORK/cases.jsonl" --as-of 2026-03-10 \
        -o "$WORK/out/results.jsonl") >"$OUT" 2>"$ERR" </dev/null
    CODE=$?
    expect_exit 4
    expect_err "$WORK/out/results.jsonl: error: cannot write: File too large"
    [ "$(cat "$WORK/out/results.jsonl")" = "old results" ] || fail "the old results were touched"
    [ "$(entries "$WORK/out")" = results.jsonl ] || fail "temporary files left: $(entries "$WORK/out")"
    # A directory that does not exist: nothing to write, nothing left.
    bia batch "$WORK/mini.bia" "$WORK/cases.jsonl" --as-of 2026-03-10 -o "$WORK/nowhere/results.jsonl"
    expect_exit 4
    expect_err "$WORK/nowhere/results.jsonl: error: cannot write: No such file or directory"
    ;;

batch_output_is_input)
    cp "$WORK/cases.jsonl" "$WORK/before.jsonl"
    bia batch "$WORK/mini.bia" "$WORK/cases.jsonl" --as-of 2026-03-10 -o "$WORK/cases.jsonl"
    expect_exit 2
    expect_err "this is the input file"
    expect_out_empty
    cmp -s "$WORK/cases.jsonl" "$WORK/before.jsonl" || fail "the input was changed"
    # The same file by another name, and as standard input.
    ln -s cases.jsonl "$WORK/alias.jsonl"
    ln "$WORK/cases.jsonl" "$WORK/hardlink.jsonl"
    for other in "$WORK/alias.jsonl" "$WORK/hardlink.jsonl" "$WORK/./cases.jsonl"; do
        bia batch "$WORK/mini.bia" "$WORK/cases.jsonl" --as-of 2026-03-10 -o "$other"
        expect_exit 2
        expect_err "this is the input file"
    done
    bia_stdin "$WORK/cases.jsonl" batch "$WORK/mini.bia" - --as-of 2026-03-10 -o "$WORK/cases.jsonl"
    expect_exit 2
    expect_err "this is the input file"
    cmp -s "$WORK/cases.jsonl" "$WORK/before.jsonl" || fail "the input was changed"
    [ "$(entries "$WORK" | grep -c bia-tmp)" -eq 0 ] || fail "temporary files left"
    ;;

*)
    echo "unknown case: $CASE"
    exit 2
    ;;
esac

if [ "$FAILED" -ne 0 ]; then
    show
    exit 1
fi
exit 0
