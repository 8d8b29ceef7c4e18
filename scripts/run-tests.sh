#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh - load, watch and unload completion modules; report in KTAP.
#
#   run-tests.sh [-f FLOOR.ko] MODDIR...
#
# Each MODDIR holds NAME.ko and NAME.expected, NAME being the folder's name.
# Runs as root on any kernel that can load the modules: the host (make
# check-host) or the busybox VM (make check). POSIX sh; needs insmod, rmmod,
# dmesg, awk, diff.
#
# For each module, CYCLES times, one case a cycle in turn (done, cancel,
# early): refuse if it is already loaded, mark the kernel log, insmod with the
# case's parameters, wait (up to WAIT_S) for the log line that shows the
# case has played out, check that its threads are there, rmmod it (timed
# from the kernel log's own timestamps, given up after RMMOD_TIMEOUT_S),
# check that its threads are gone, then compare its log since the mark with
# NAME.expected for that case (see docs/testing.md) and look for kernel
# reports (WARNING, BUG, Oops, lockdep, hung task). The cases:
#   done    rounds=ROUNDS period_ms=PERIOD_MS; rmmod once the waiter has
#           reported the job's result
#   cancel  rounds=ROUNDS period_ms=CANCEL_PERIOD_MS (10 s); rmmod during the
#           first round, which must return within RMMOD_BOUND_MS (1000)
#   early   rounds=2 period_ms=1 waiter_delay_ms=EARLY_DELAY_MS (1000): the
#           job is complete before the waiter waits
# -f FLOOR.ko: a module without threads whose rmmod time is the floor the
# others are read against.
#
# If MODDIR/inject/NAME.ko exists (a build with tests/inject/inject.h), one
# more test "NAME-errors" checks the error paths: with fail_kthread_run=1
# and =2 (the first or second thread fails to start) and with bad parameter
# values, insmod must fail with the right errno and leave no module and no
# thread behind; a normal insmod of that build must then work.
#
# On a kernel with kmemleak (/sys/kernel/debug/kmemleak), a last test
# "kmemleak" clears kmemleak's list before the modules run and scans after
# them: any unreferenced object reported then fails it.
#
# Output: KTAP, one test per module, with a "# result:" line per module that
# the VM driver turns into build/results/summary.tsv, and last the line
# "N passed, N failed". Exit status 1 if any test failed.

set -eu

CYCLES=${CYCLES:-3}
ROUNDS=${ROUNDS:-3}
PERIOD_MS=${PERIOD_MS:-50}
CANCEL_PERIOD_MS=${CANCEL_PERIOD_MS:-10000}
EARLY_DELAY_MS=${EARLY_DELAY_MS:-1000}
DWELL_S=${DWELL_S:-0}
WAIT_S=${WAIT_S:-30}
export WAIT_S
RMMOD_TIMEOUT_S=${RMMOD_TIMEOUT_S:-15}
RMMOD_BOUND_MS=${RMMOD_BOUND_MS:-1000}
here=$(cd "$(dirname "$0")" && pwd)
awkprog=$here/logcheck.awk
# shellcheck source=scripts/ck-lib.sh
. "$here/ck-lib.sh"
tmp=${TMPDIR:-/tmp}/ck-run.$$
loaded=""
stuck=""

die() {
	echo "run-tests.sh: $*" >&2
	exit 2
}

usage() {
	echo "usage: $0 [-f FLOOR.ko] MODDIR..." >&2
	exit 2
}

floor_ko=""
while getopts f: opt; do
	case $opt in
	f) floor_ko=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
[ "$(id -u)" = 0 ] || die "must run as root (it loads kernel modules): try sudo"
for tool in insmod rmmod dmesg awk diff; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
[ -f /proc/modules ] || die "this kernel cannot load modules (no /proc/modules)"
[ -w /dev/kmsg ] || die "cannot write /dev/kmsg to mark the kernel log"
[ -f "$awkprog" ] || die "$awkprog is missing"

# Never leave a module of ours loaded behind, whatever fails.
cleanup() {
	for m in $loaded; do
		case " $stuck " in *" $m "*) continue ;; esac
		if is_loaded "$m"; then
			echo "# cleanup: unloading $m" >&2
			rmmod "$m" 2>/dev/null || echo "# cleanup: cannot unload $m" >&2
		fi
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$tmp"

# Median and maximum of the numbers in file $1, as "median max".
median_max() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		printf "%.3f %.3f\n", v[int((NR + 1) / 2)], v[NR] }'
}

reports='WARNING:|BUG:|Oops|Call Trace|blocked for more than|lockdep|non-static key|possible recursive locking|circular locking|inconsistent lock state|general protection fault|kernel BUG|KASAN|ODEBUG'

# The floor: insmod + rmmod of a module without threads, CYCLES times.
floor_ms=-
if [ -n "$floor_ko" ]; then
	[ -f "$floor_ko" ] || die "$floor_ko not found"
	fname=$(basename "$floor_ko" .ko)
	is_loaded "$fname" && die "$fname is already loaded: rmmod $fname first"
	: >"$tmp/floor"
	cycle=0
	while [ "$cycle" -lt "$CYCLES" ]; do
		cycle=$((cycle + 1))
		insmod "$floor_ko" || die "cannot load $floor_ko"
		loaded="$loaded $fname"
		timed_rmmod "$fname" "$$.$cycle" "$RMMOD_TIMEOUT_S" "$tmp" || die "cannot unload $fname"
		cat "$tmp/rmmod_ms" >>"$tmp/floor"
	done
	floor_ms=$(median_max "$tmp/floor" | cut -d' ' -f1)
fi

# Record failed check $1 of the current module; the rest is the message.
fail() {
	case " $fails " in *" $1 "*) ;; *) fails="$fails $1" ;; esac
	shift
	echo "# $name: $*"
}

# insmod_must_fail KO ERRNO_TEXT LOG_TEXT ARG: insmod KO ARG must fail with
# ERRNO_TEXT ("Invalid argument"), leave nothing loaded or running, and
# log a line holding LOG_TEXT.
insmod_must_fail() {
	imark="refuse $name $3 $$.$4"
	kmsg "$imark"
	if insmod "$1" "$4" 2>"$tmp/insmod.err"; then
		loaded="$loaded $name"
		fail errors "insmod $4 succeeded"
		rmmod "$name" || true
		return
	fi
	grep -q "$2" "$tmp/insmod.err" ||
		fail errors "insmod $4: wanted '$2', got: $(cat "$tmp/insmod.err")"
	is_loaded "$name" && fail errors "insmod $4 failed but $name is loaded"
	for t in $threads; do
		wait_gone "$t" || fail errors "insmod $4: thread $t left running"
	done
	log_since "$imark" >"$tmp/log"
	grep -q "$name: .*$3" "$tmp/log" || fail errors "insmod $4: no '$3' in the log"
	if grep -E "$reports" "$tmp/log" >"$tmp/reports"; then
		fail errors "insmod $4: the kernel reported a problem:"
		sed 's/^/#   /' "$tmp/reports" | head -20
	fi
}

# The error paths of module $name, built with fault injection as $1.
errors_test() {
	insmod_must_fail "$1" "Cannot allocate memory" "cannot start the signaller" fail_kthread_run=1
	insmod_must_fail "$1" "Cannot allocate memory" "cannot start the waiter" fail_kthread_run=2
	for bad in period_ms=0 period_ms=-5 period_ms=abc period_ms=99999999 rounds=0 \
		rounds=1001 waiter_delay_ms=60001; do
		insmod_must_fail "$1" "Invalid argument" "$bad rejected" "$bad"
	done
	# After all that, the same build loads and unloads normally.
	if insmod "$1" rounds=1 period_ms=1; then
		loaded="$loaded $name"
		wait_for_line "$imark" "waiter: woken: " ||
			fail errors "normal insmod: the waiter did not wake within ${WAIT_S}s"
		for t in $threads; do
			[ -n "$(pids_named "$t")" ] || fail errors "normal insmod: thread $t is not running"
		done
		rmmod "$name" || fail errors "normal insmod: rmmod failed"
	else
		fail errors "normal insmod after the failures failed"
	fi
}

kmemleak=/sys/kernel/debug/kmemleak
ntests=$#
[ ! -w "$kmemleak" ] || ntests=$((ntests + 1))
for dir in "$@"; do
	dir=${dir%/}
	[ ! -f "$dir/inject/$(basename "$dir").ko" ] || ntests=$((ntests + 1))
done

# verdict ID TITLE FIGURES: the "# result:" line and the KTAP line of test
# $num, from the checks that failed ($fails).
verdict() {
	result=pass
	[ -z "$fails" ] || result=fail
	fails=$(echo "$fails" | awk '{ $1 = $1; gsub(/ /, ","); print }')
	echo "# result: module=$1 result=$result $3 fails=${fails:--}"
	if [ "$result" = pass ]; then
		passed=$((passed + 1))
		echo "ok $num $2"
	else
		failed=$((failed + 1))
		echo "not ok $num $2"
	fi
}

echo "KTAP version 1"
echo "1..$ntests"
# What kmemleak suspects from before the modules ran is not theirs.
if [ -w "$kmemleak" ]; then
	echo scan >"$kmemleak"
	echo clear >"$kmemleak"
fi
echo "# kernel $(uname -r), cycles=$CYCLES rounds=$ROUNDS period_ms=$PERIOD_MS cancel_period_ms=$CANCEL_PERIOD_MS floor_ms=$floor_ms"
passed=0
failed=0
num=0
for dir in "$@"; do
	num=$((num + 1))
	dir=${dir%/}
	name=$(basename "$dir")
	ko=$dir/$name.ko
	expected=$dir/$name.expected
	fails=""
	: >"$tmp/times"
	if [ ! -f "$ko" ] || [ ! -f "$expected" ]; then
		fail setup "$ko or $expected is missing"
	elif is_loaded "$name"; then
		fail setup "$name is already loaded: rmmod $name first, then run again"
	fi
	threads=$(awk -v mode=threads -f "$awkprog" "$expected" 2>/dev/null || true)
	cycle=0
	while [ -z "$fails" ] && [ "$cycle" -lt "$CYCLES" ]; do
		cycle=$((cycle + 1))
		case $((cycle % 3)) in
		1)
			scenario="done"
			args="rounds=$ROUNDS period_ms=$PERIOD_MS"
			ready="waiter: woken: "
			vars="rounds=$ROUNDS period_ms=$PERIOD_MS result=$((ROUNDS * (ROUNDS + 1) / 2))"
			;;
		2)
			scenario=cancel
			args="rounds=$ROUNDS period_ms=$CANCEL_PERIOD_MS"
			ready="waiter: waiting for the job"
			vars="rounds=$ROUNDS period_ms=$CANCEL_PERIOD_MS"
			;;
		0)
			scenario=early
			args="rounds=2 period_ms=1 waiter_delay_ms=$EARLY_DELAY_MS"
			ready="waiter: woken: "
			vars="rounds=2 period_ms=1 waiter_delay_ms=$EARLY_DELAY_MS result=3"
			;;
		esac
		mark="begin $name $$.$cycle $scenario"
		kmsg "$mark"
		# shellcheck disable=SC2086 # one word a parameter
		if ! insmod "$ko" $args; then
			fail insmod "cycle $cycle: insmod $args failed"
			break
		fi
		loaded="$loaded $name"
		# Both threads have logged (the waiter last), or the job is done.
		if ! wait_for_line "$mark" "$ready"; then
			fail no-wakeup "cycle $cycle ($scenario): no '$ready' line within ${WAIT_S}s"
		fi
		sleep "$DWELL_S"
		for t in $threads; do
			[ -n "$(pids_named "$t")" ] || fail threads "cycle $cycle: thread $t is not running"
		done
		if timed_rmmod "$name" "$$.$cycle" "$RMMOD_TIMEOUT_S" "$tmp"; then
			cat "$tmp/rmmod_ms" >>"$tmp/times"
			# An unload during a long round must not wait for its end.
			if [ "$scenario" = cancel ] && awk -v t="$(cat "$tmp/rmmod_ms")" -v b="$RMMOD_BOUND_MS" \
				'BEGIN { exit !(t == "-" || t + 0 > b + 0) }'; then
				fail slow-unload "cycle $cycle: rmmod took $(cat "$tmp/rmmod_ms") ms during a ${CANCEL_PERIOD_MS} ms round (bound ${RMMOD_BOUND_MS} ms)"
			fi
		else
			case $? in
			2)
				stuck="$stuck $name"
				fail rmmod-timeout "cycle $cycle: rmmod did not return in ${RMMOD_TIMEOUT_S}s" ;;
			*) fail rmmod "cycle $cycle: rmmod failed" ;;
			esac
		fi
		for t in $threads; do
			wait_gone "$t" || fail threads-left "cycle $cycle: thread $t still running after rmmod"
		done

		log_since "$mark" >"$tmp/log"
		if grep -E "$reports" "$tmp/log" >"$tmp/reports"; then
			fail kernel-report "cycle $cycle: the kernel reported a problem:"
			sed 's/^/#   /' "$tmp/reports" | head -20
		fi
		# The module's own lines, without timestamp, prefix and the
		# once-per-boot taint notices.
		sed -n "s/^\[[ 0-9.]*\] $name: //p" "$tmp/log" |
			grep -v '^module verification failed\|^loading out-of-tree module taints kernel' \
				>"$tmp/actual" || true
		awk -v mode=body -v scenario="$scenario" -v vars="$vars" -f "$awkprog" "$expected" >"$tmp/want"
		awk -v mode=canon -v scenario="$scenario" -v vars="$vars" -f "$awkprog" "$expected" "$tmp/actual" >"$tmp/got"
		if ! diff -u -L "$name.expected ($scenario)" -L "$name (actual)" "$tmp/want" "$tmp/got" >"$tmp/diff"; then
			fail log-diff "cycle $cycle ($scenario): log differs from $name.expected (-expected +actual):"
			sed 's/^/#   /' "$tmp/diff"
		fi
		awk -v mode=order -v scenario="$scenario" -v vars="$vars" -f "$awkprog" "$expected" "$tmp/actual" >"$tmp/order"
		if [ -s "$tmp/order" ]; then
			fail log-order "cycle $cycle ($scenario):"
			sed 's/^/#   /' "$tmp/order"
		fi
		if [ -n "$fails" ]; then
			echo "# $name: its log in cycle $cycle:"
			sed 's/^/#   /' "$tmp/log" | head -60
		fi
	done
	stats=$(median_max "$tmp/times")
	verdict "$name" "$name" "cycles=$cycle rmmod_ms=${stats% *} rmmod_max_ms=${stats#* } floor_ms=$floor_ms"

	[ -f "$dir/inject/$name.ko" ] || continue
	num=$((num + 1))
	fails=""
	if is_loaded "$name"; then
		fail setup "$name is still loaded: cannot test its error paths"
	else
		errors_test "$dir/inject/$name.ko"
	fi
	verdict "$name-errors" "$name-errors" "cycles=1 rmmod_ms=- rmmod_max_ms=- floor_ms=-"
done
if [ -w "$kmemleak" ]; then
	num=$((num + 1))
	name=kmemleak
	fails=""
	# Objects younger than a few seconds are not reported: scan twice.
	sleep 6
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	cat "$kmemleak" >"$tmp/leaks"
	if [ -s "$tmp/leaks" ]; then
		fail kmemleak "kmemleak reports unreferenced objects:"
		sed 's/^/#   /' "$tmp/leaks" | head -40
	fi
	verdict kmemleak kmemleak "cycles=- rmmod_ms=- rmmod_max_ms=- floor_ms=-"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
