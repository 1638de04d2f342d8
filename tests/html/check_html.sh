#!/bin/sh
# Opens bia's HTML report in headless Chromium and checks what a reader sees:
# the level, every fired rule, the domain chart, and no console errors.
# Usage: check_html.sh BIA_BINARY PACK CASE AS_OF
set -eu
bia=$1 pack=$2 case_file=$3 as_of=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium is not installed (scripts/install-deps.sh --test installs it)" >&2
  exit 1
fi

render() {  # render FILE -> DOM on stdout, console messages in $work/console.log
  "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir="$work/profile" \
    --enable-logging=stderr --v=0 --virtual-time-budget=2000 --dump-dom "file://$1" 2>"$work/console.log"
}

# The console check must be able to fail: a page that logs an error has to be caught.
printf '%s' '<!DOCTYPE html><html><body><script>console.error("probe")</script></body></html>' >"$work/probe.html"
render "$work/probe.html" >/dev/null
if ! grep -q 'CONSOLE' "$work/console.log"; then
  echo "FAIL: the console check did not see a known console error; cannot trust it" >&2
  exit 1
fi

"$bia" run "$pack" "$case_file" --as-of "$as_of" --format html >"$work/report.html"
"$bia" run "$pack" "$case_file" --as-of "$as_of" --format json >"$work/result.json"
render "$work/report.html" >"$work/dom.html"

fail=0
if grep -q 'CONSOLE' "$work/console.log"; then
  echo "FAIL: console messages while rendering the report:" >&2
  grep 'CONSOLE' "$work/console.log" >&2
  fail=1
fi
level=$(sed -n 's/^  "level": "\(.*\)",$/\1/p' "$work/result.json")
grep -q "id=\"level\">Level<b>$level</b>" "$work/dom.html" || { echo "FAIL: level $level not shown" >&2; fail=1; }
# Fired rules only: the "rule" keys between "fired" and "undetermined".
rules=$(sed -n '/^  "fired": \[/,/^  "undetermined": /s/^      "rule": "\(.*\)",$/\1/p' "$work/result.json")
[ -n "$rules" ] || { echo "FAIL: the case fires no rule; pick a case that does" >&2; fail=1; }
for rule in $rules; do
  grep -q "data-rule=\"$rule\"" "$work/dom.html" || { echo "FAIL: fired rule $rule not shown" >&2; fail=1; }
done
grep -q '<svg id="domain-chart"' "$work/dom.html" || { echo "FAIL: no domain chart" >&2; fail=1; }
grep -q '<rect class="bar"' "$work/dom.html" || { echo "FAIL: the chart has no bars" >&2; fail=1; }
if grep -Eq '(src|href)="(https?:)?//' "$work/report.html"; then
  echo "FAIL: the report loads something from the network" >&2
  fail=1
fi
[ "$fail" -eq 0 ] && echo "HTML report renders: level $level, $(echo "$rules" | wc -w) fired rules, chart present"
exit "$fail"
