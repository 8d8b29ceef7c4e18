#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - the unit tests of the pieces that judge, without a VM (make
# unit; make lint runs it too): each tests/unit/*.bats under bats, then
# each seeded defect of tests/unit/mutants/ (a sed script of the file its
# "# file:" line names), applied to a copy of the tree: the unit tests
# of that file (or of its "# suite:" line) must fail on each. KTAP, ending in "N passed, N failed".
#
#   tests/unit/run.sh
#
# Needs bats, bats-assert, bats-support and busybox (the guest's awk and
# sh). Exit status 0 if all passed and every defect was caught.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib/config.sh
. "$top/scripts/lib/config.sh"
# shellcheck source=scripts/lib/ktap.sh
. "$top/scripts/lib/ktap.sh"
command -v bats >/dev/null || die "bats not found: apt-get install bats bats-assert bats-support"
[ -f /usr/lib/bats/bats-assert/load.bash ] || die "bats-assert not found: apt-get install bats-assert bats-support"
command -v busybox >/dev/null || die "busybox not found: apt-get install busybox-static"
ck_private_tmp ""
work=$ck_tmp

suites=("$top"/tests/unit/*.bats)
mutants=("$top"/tests/unit/mutants/*.sed)
ktap_header "$((${#suites[@]} + ${#mutants[@]}))"
n=0
for b in "${suites[@]}"; do
	n=$((n + 1))
	if bats "$b" >"$work/out" 2>&1; then
		echo "# $(basename "$b"): $(grep -c '^ok ' "$work/out") tests passed"
		ktap_case "" "$n" "$(basename "$b" .bats)" pass
	else
		grep -v '^ok ' "$work/out" | sed 's/^/# /'
		ktap_case "" "$n" "$(basename "$b" .bats)" fail
	fi
done

# A copy of what the unit tests read, once; each defect in a copy of it,
# under the unit tests of its file (logcheck.awk: logcheck.bats), all at
# once: mutant FILE writes its verdict to $work/MUTANT.res, its diagnostic
# to $work/MUTANT.msg.
mkdir -p "$work/tree/tests"
cp -r "$top/scripts" "$top/tools" "$top/labs" "$top/Kbuild" "$top/declare_completion" "$top/init_completion" "$work/tree/"
cp -r "$top/tests/broken" "$work/tree/tests/"
mutant() {
	local m=$1 name f suite what
	name=$(basename "$m" .sed)
	f=$(sed -n 's/^# file: //p' "$m")
	what=$(sed -n '2s/^# //p' "$m")
	suite=$(sed -n 's/^# suite: //p' "$m")
	suite=$top/tests/unit/${suite:-$(basename "${f%.*}").bats}
	cp -r "$work/tree" "$work/$name"
	if [ -z "$f" ] || [ ! -f "$suite" ] || ! sed -f "$m" "$top/$f" >"$work/$name/$f" ||
		cmp -s "$top/$f" "$work/$name/$f"; then
		echo "$name: does not apply to ${f:-a file (no # file: line)}, or $f has no unit tests" >"$work/$name.msg"
		echo fail >"$work/$name.res"
	elif CK_UNIT_TOP=$work/$name bats "$suite" >"$work/$name.out" 2>&1; then
		echo "$name: $what: no test of $(basename "$suite") failed" >"$work/$name.msg"
		echo fail >"$work/$name.res"
	else
		echo "$name: $what: caught by $(grep -c '^not ok' "$work/$name.out") test(s) of $(basename "$suite"): $(grep '^not ok' "$work/$name.out" | head -n 1 | sed 's/^not ok [0-9]* //')" >"$work/$name.msg"
		echo pass >"$work/$name.res"
	fi
}
pids=()
for m in "${mutants[@]}"; do
	mutant "$m" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || true
done
for m in "${mutants[@]}"; do
	n=$((n + 1))
	name=$(basename "$m" .sed)
	sed 's/^/# /' "$work/$name.msg"
	ktap_case "" "$n" "mutant-$name" "$(cat "$work/$name.res")"
done
ktap_summary
