#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Check the IGT compat layer against IGT's documented behaviour: run the
# self-test binary in several ways and compare result lines and exit codes.
# Also checks that igt-tests/run counts results and isolates crashes.
# Last line: "N passed, N failed, N skipped" (one check = one result).
#
#   selftest/check.sh bin/compat_selftest
set -u

bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAILED: $1"; [ -f "$tmp/out" ] && sed 's/^/    | /' "$tmp/out" | tail -n 40; }

# run NAME EXPECTED_EXIT [ARGS...]: run the binary, keep output in $tmp/out.
run() {
	local name=$1 want=$2 rc
	shift 2
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	cat "$tmp/err" >>"$tmp/out"
	# The pid varies: normalise it.
	sed -i -E 's/\((compat_selftest):[0-9]+\)/(\1:PID)/' "$tmp/out"
	if [ "$rc" -eq "$want" ]; then ok "$name: exit $rc"; else bad "$name: exit $rc, expected $want"; fi
}

# expect NAME LINE...: every line must appear in the output.
expect() {
	local name=$1 l missing=
	shift
	for l in "$@"; do
		grep -qxF -- "$l" <(sed -E 's/ \([0-9]+\.[0-9]{3}s\)$//' "$tmp/out") || missing="$missing[$l] "
	done
	if [ -z "$missing" ]; then ok "$name"; else bad "$name: missing $missing"; fi
}

# absent NAME REGEX: no line may match.
absent() {
	if grep -qE -- "$2" "$tmp/out"; then bad "$1: unexpected /$2/"; else ok "$1"; fi
}

# count_lines NAME REGEX N
count_lines() {
	local n
	n=$(grep -cE -- "$2" "$tmp/out")
	if [ "$n" -eq "$3" ]; then ok "$1"; else bad "$1: $n lines match /$2/, expected $3"; fi
}

all_subtests="pass-fixture-state pass-assert-macros pass-do-ioctl-err fail-assert-eq
pass-after-fail fail-do-ioctl fail-explicit skip-require skip-explicit crash-segv
crash-abort pass-after-crash pass-child-assert-exits pass-child-crash-dies fail-assert-macros dynamic-mixed dynamic-pass
dynamic-none dynamic-container-fail group-skipped group-failed pass-after-groups"

# --- listing -------------------------------------------------------------
run "list-subtests" 0 --list-subtests
if [ "$(cat "$tmp/out")" = "$(echo $all_subtests | tr ' ' '\n')" ]; then
	ok "list-subtests: names in order"
else
	bad "list-subtests: names differ"
fi
absent "list-subtests: no fixture ran" 'IGT-Version|Starting'

run "describe" 0 --describe
count_lines "describe: every subtest documented" '^SUB ' 22
absent "describe: nothing undocumented" 'NO DOCUMENTATION'

# --- a whole run ---------------------------------------------------------
SELFTEST_GROUP_FAIL=1 run "full run" 98
expect "full run: results" \
	"Subtest pass-fixture-state: SUCCESS" \
	"Subtest pass-assert-macros: SUCCESS" \
	"Subtest pass-do-ioctl-err: SUCCESS" \
	"Subtest fail-assert-eq: FAIL" \
	"Subtest pass-after-fail: SUCCESS" \
	"Subtest fail-do-ioctl: FAIL" \
	"Subtest fail-explicit: FAIL" \
	"Subtest skip-require: SKIP" \
	"Subtest skip-explicit: SKIP" \
	"Subtest crash-segv: CRASH" \
	"Subtest crash-abort: CRASH" \
	"Subtest pass-after-crash: SUCCESS" \
	"Subtest pass-child-assert-exits: SUCCESS" \
	"Subtest pass-child-crash-dies: SUCCESS" \
	"Subtest fail-assert-macros: FAIL" \
	"Subtest dynamic-mixed: FAIL" \
	"Dynamic subtest pass-one: SUCCESS" \
	"Dynamic subtest fail-one: FAIL" \
	"Dynamic subtest skip-one: SKIP" \
	"Dynamic subtest crash-one: CRASH" \
	"Dynamic subtest pass-two: SUCCESS" \
	"Subtest dynamic-pass: SUCCESS" \
	"Dynamic subtest item-0: SUCCESS" \
	"Dynamic subtest item-1: SKIP" \
	"Dynamic subtest item-2: SUCCESS" \
	"Subtest dynamic-none: SKIP" \
	"Subtest dynamic-container-fail: FAIL" \
	"Dynamic subtest ok: SUCCESS" \
	"Subtest group-skipped: SKIP" \
	"Subtest group-failed: FAIL" \
	"Subtest pass-after-groups: SUCCESS" \
	"Received signal SIGSEGV." \
	"Received signal SIGABRT."
count_lines "full run: 22 subtest results" '^Subtest [a-z-]+: [A-Z]+' 22
count_lines "full run: each subtest started once" '^Starting subtest: ' 20
count_lines "full run: every false assert macro fails" '^Dynamic subtest .*: FAIL' 20
count_lines "full run: skipped groups never start" '^Starting subtest: group-' 0
count_lines "full run: IGT-Version header" '^IGT-Version: ' 1
expect "full run: assertion messages" \
	"(compat_selftest:PID) CRITICAL: Failed assertion: 1 == 2" \
	"(compat_selftest:PID) CRITICAL: error: 1 != 2" \
	"(compat_selftest:PID) CRITICAL: Last errno: 25, Inappropriate ioctl for device" \
	"Test requirement: fixture_value == 0"

# --- selection -----------------------------------------------------------
run "single pass" 0 --run-subtest pass-fixture-state
count_lines "single pass: one result" '^Subtest [a-z-]+: ' 1
run "single skip" 77 --run-subtest skip-require
run "single fail" 98 --run-subtest fail-assert-eq
run "single segv exits 128+SIGSEGV" 139 --run-subtest crash-segv
expect "single segv: CRASH line" "Subtest crash-segv: CRASH"
run "single abort exits 128+SIGABRT" 134 --run-subtest crash-abort
run "unknown subtest" 79 --run-subtest no-such-subtest
expect "unknown subtest: message" "(compat_selftest:PID) CRITICAL: Unknown subtest: no-such-subtest"
run "wildcard" 0 --run-subtest 'pass-*'
count_lines "wildcard: 8 subtests" '^Subtest pass-[a-z-]+: SUCCESS' 8
count_lines "wildcard: nothing else" '^Subtest [a-z-]+: ' 8
run "wildcard list with negation" 0 --run-subtest 'pass-*,!pass-after-*'
count_lines "wildcard list with negation: 5 subtests" '^Subtest [a-z-]+: ' 5
run "comma list" 77 --run-subtest 'skip-require,dynamic-none'
count_lines "comma list: 2 subtests" '^Subtest [a-z-]+: ' 2
run "dynamic selection" 0 --run-subtest dynamic-mixed --dynamic-subtest 'pass-*'
count_lines "dynamic selection: 2 dynamic subtests" '^Dynamic subtest ' 2
expect "dynamic selection: container passes" "Subtest dynamic-mixed: SUCCESS"
run "dynamic selection, none matches" 77 --run-subtest dynamic-mixed --dynamic-subtest nothing
expect "dynamic selection, none matches: SKIP" "Subtest dynamic-mixed: SKIP"
run "bad option" 79 --no-such-option

# --- fixtures ------------------------------------------------------------
SELFTEST_GROUP_FAIL=1 run "failing group fixture fails the binary" 98 --run-subtest pass-fixture-state
expect "failing group fixture: selected subtest still passes" "Subtest pass-fixture-state: SUCCESS"
SELFTEST_FIXTURE=skip run "fixture skip" 77
count_lines "fixture skip: every subtest SKIP" '^Subtest [a-z-]+: SKIP$' 22
count_lines "fixture skip: nothing started" '^Starting' 0
SELFTEST_FIXTURE=fail run "fixture fail" 98
count_lines "fixture fail: every subtest FAIL" '^Subtest [a-z-]+: FAIL$' 22
SELFTEST_FIXTURE=skip run "fixture skip, listing unaffected" 0 --list-subtests
count_lines "fixture skip, listing: 22 names" '^[a-z-]+$' 22

# --- the runner ----------------------------------------------------------
for s in $all_subtests; do echo "igt@compat_selftest@$s"; done >"$tmp/testlist"
IGT_TESTLIST=$tmp/testlist IGT_BIN_DIR=$(dirname "$bin") "$top/run" >"$tmp/out" 2>&1
rc=$?
if [ $rc -ne 0 ]; then ok "runner: non-zero exit on failures"; else bad "runner: exit 0 despite failures"; fi
if [ "$(tail -n1 "$tmp/out")" = "10 passed, 8 failed, 4 skipped" ]; then
	ok "runner: closing line"
else
	bad "runner: closing line '$(tail -n1 "$tmp/out")'"
fi
count_lines "runner: exactly one closing line" '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' 1
expect "runner: crash isolated and named" "igt@compat_selftest@crash-segv: crash"
IGT_TESTLIST=$tmp/testlist IGT_BIN_DIR=$(dirname "$bin") "$top/run" 'igt@compat_selftest@pass-*' >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(tail -n1 "$tmp/out")" = "8 passed, 0 failed, 0 skipped" ]; then
	ok "runner: filter"
else
	bad "runner: filter (exit $rc, '$(tail -n1 "$tmp/out")')"
fi
IGT_TESTLIST=$tmp/testlist IGT_BIN_DIR=$(dirname "$bin") "$top/run" skip- >"$tmp/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ "$(tail -n1 "$tmp/out")" = "0 passed, 0 failed, 2 skipped" ]; then
	ok "runner: substring filter"
else
	bad "runner: substring filter (exit $rc, '$(tail -n1 "$tmp/out")')"
fi

IGT_TESTLIST=$tmp/testlist IGT_BIN_DIR=$(dirname "$bin") "$top/run" no-such-test >"$tmp/out" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ "$(tail -n1 "$tmp/out")" = "0 passed, 0 failed, 0 skipped" ]; then
	ok "runner: empty selection fails"
else
	bad "runner: empty selection (exit $rc)"
fi

# --- the real testlist matches the binaries ------------------------------
if "$here/mktestlist.sh" $(sed 's/^igt@\([^@]*\)@.*/\1/' "$top/testlist" | uniq | sed "s|^|$top/bin/|") >"$tmp/testlist.now" 2>&1 &&
   diff -u "$top/testlist" "$tmp/testlist.now" >"$tmp/out"; then
	ok "testlist matches --list-subtests of every binary"
else
	bad "testlist differs from the binaries (make testlist)"
fi
for t in $(sed 's/^igt@\([^@]*\)@.*/\1/' "$top/testlist" | uniq); do
	"$top/bin/$t" --describe >"$tmp/out" 2>&1
	if grep -q 'NO DOCUMENTATION' "$tmp/out"; then bad "$t: undocumented subtests"; else ok "$t: every subtest has igt_describe()"; fi
done

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
