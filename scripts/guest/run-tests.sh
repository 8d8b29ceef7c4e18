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
# dmesg, awk, diff, stat, tail and a readable /dev/kmsg.
#
# For each module, CYCLES times, one case a cycle in turn (done, cancel,
# early): refuse if it is already loaded, mark the kernel log, insmod with the
# case's parameters, wait (up to WAIT_S) for the log line that shows the
# case has played out, check that its threads are there, rmmod it (timed
# from the kernel log's own timestamps, given up after RMMOD_TIMEOUT_S),
# check that its threads are gone, then compare its log since the mark with
# NAME.expected for that case (see docs/testing.md). The cases:
#   done    rounds=ROUNDS period_ms=PERIOD_MS; rmmod once the waiter has
#           reported the job's result
#   cancel  rounds=ROUNDS period_ms=CANCEL_PERIOD_MS (10 s); rmmod during the
#           first round, which must return within RMMOD_BOUND_MS (1000)
#   early   rounds=2 period_ms=1 waiter_delay_ms=EARLY_DELAY_MS (300): the
#           job (about 10 ms) is complete before the waiter waits
# Then STRESS_CYCLES (20) times: insmod with long rounds and rmmod at once;
# the log must be one of the expected file's "stress:" endings. In the VM
# (CK_VM=1, with tests/tools/ck-rt) each quarter is scheduled so that one
# ending comes (see sched_mode): both threads ran; the waiter was stopped
# before it ran; the signaller was; neither ran.
# Then the soak: all modules still sound loaded together with rounds of
# SOAK_PERIOD_MS (60 s), until the hung-task detector has looked at their
# waiting threads twice (what it needs to report a task blocked in state
# D), at most twice its timeout and 2 s more; then unloaded. The detector
# must report none of their threads (a kernel whose timeout is off or over
# 10 s gets HUNG_TASK_S, 2, meanwhile).
# Around each module's cycles, its error tests and the soak, the taint flags
# must gain none but O and E (out-of-tree, unsigned), and lockdep, where the
# kernel has it, must still be on (debug_locks).
# -f FLOOR.ko: a module without threads whose rmmod time is the floor the
# others are read against.
#
# If MODDIR/inject/NAME.ko exists (a build with tests/inject/inject.h), one
# more test "NAME-errors" checks the error paths: with fail_kthread_run=1
# and =2 (the first or second thread fails to start) and with bad parameter
# values, insmod must fail with the right errno and leave no module and no
# thread behind; a normal insmod of that build must then work. Then the
# paths the scheduler takes only by luck, forced by that build's knobs (a
# thread that never runs, the waiter first, the onstack signaller's wait cut
# short or stopped before it looks): each log must be the stress ending of
# NAME.expected that says which thread ran (injected_paths).
#
# On a kernel with kmemleak (/sys/kernel/debug/kmemleak), a test "kmemleak"
# clears kmemleak's list before the modules run and scans after them: any
# unreferenced object reported then fails it.
#
# Last, the test "kernel" reads the whole kernel log (from boot in the VM,
# CK_VM=1; from the run's start on a host) for reports: WARNING, BUG, Oops,
# call traces, hung tasks, lockdep, UBSAN, RCU stalls, kmemleak, panics. A
# report is charged to the module whose thread or name it names, else to the
# module whose window (insmod to the end of its checks) it falls in, as
# check kernel-report (stress and soak in theirs); one outside every window
# fails "kernel" (check console). It also checks taint and debug_locks at the
# end against the start.
#
# Output: KTAP, one test per module, with a "# result:" line per test that
# the VM driver turns into build/results/summary.tsv, and last the line
# "N passed, N failed". Exit status 1 if any test failed.

set -eu

CYCLES=${CYCLES:-3}
ROUNDS=${ROUNDS:-3}
PERIOD_MS=${PERIOD_MS:-50}
CANCEL_PERIOD_MS=${CANCEL_PERIOD_MS:-10000}
EARLY_DELAY_MS=${EARLY_DELAY_MS:-300}
DWELL_S=${DWELL_S:-0}
WAIT_S=${WAIT_S:-30}
export WAIT_S
RMMOD_TIMEOUT_S=${RMMOD_TIMEOUT_S:-15}
RMMOD_BOUND_MS=${RMMOD_BOUND_MS:-1000}
STRESS_CYCLES=${STRESS_CYCLES:-20}
STRESS_SCHED=${STRESS_SCHED:-1}
SOAK_PERIOD_MS=${SOAK_PERIOD_MS:-60000}
HUNG_TASK_S=${HUNG_TASK_S:-2}
here=$(cd "$(dirname "$0")" && pwd)
awkprog=$here/logcheck.awk
# shellcheck source=scripts/guest/ck-lib.sh
. "$here/ck-lib.sh"
tmp=${TMPDIR:-/tmp}/ck-run.$$
loaded=""
stuck=""
hung=/proc/sys/kernel/hung_task_timeout_secs
hung_restore=""


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
for tool in insmod rmmod dmesg awk diff stat tail; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
[ -f /proc/modules ] || die "this kernel cannot load modules (no /proc/modules)"
{ [ -w /dev/kmsg ] && [ -r /dev/kmsg ]; } || die "cannot read and write /dev/kmsg (the kernel log)"
for f in "$awkprog" "$here/reports.awk"; do
	[ -f "$f" ] || die "$f is missing"
done

# Never leave a module of ours loaded behind, whatever fails.
cleanup() {
	seen=""
	for m in $loaded; do
		# Each name once: $loaded has one for every load.
		case " $seen $stuck " in *" $m "*) continue ;; esac
		seen="$seen $m"
		if is_loaded "$m"; then
			echo "# cleanup: unloading $m" >&2
			rmmod "$m" 2>/dev/null || echo "# cleanup: cannot unload $m" >&2
		fi
	done
	[ -z "$hung_restore" ] || echo "$hung_restore" >"$hung"
	sched_mode normal
	log_close
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$tmp/fails"
log_open "$tmp/kernel.raw" || die "cannot read the kernel log from /dev/kmsg"

# Median and maximum of the numbers in file $1, as "median max".
median_max() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		printf "%.3f %.3f\n", v[int((NR + 1) / 2)], v[NR] }'
}

# state_save / state_check WHAT: taint gained since state_save, beside O
# (4096) and E (8192), and lockdep switched off, fail "taint" and
# "debug-locks" for the current test.
state_save() {
	st_taint=$(taint_now)
	st_locks=$(locks_now)
}
state_check() {
	new=$(($(taint_now) & ~st_taint & ~12288))
	[ "$new" = 0 ] || fail taint "$1: the kernel is newly tainted: $(taint_letters "$new") (/proc/sys/kernel/tainted)"
	[ "$st_locks" != 1 ] || [ "$(locks_now)" = 1 ] ||
		fail debug-locks "$1: lockdep has switched itself off (debug_locks 0 in /proc/lockdep_stats)"
}

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

# fail CHECK MESSAGE: record failed check CHECK of the current test ($test).
fail() {
	grep -qx -- "$1" "$tmp/fails/$test" 2>/dev/null || echo "$1" >>"$tmp/fails/$test"
	shift
	echo "# $test: $*"
}
# Has test $1 failed a check?
has_failed() {
	[ -s "$tmp/fails/$1" ]
}

# A failing busybox insmod tries init_module() after finit_module(): the
# module's init runs twice. In the VM, ck-rt's insmod tries once.
insmod_once=insmod
[ -z "${CK_VM:-}" ] || ! command -v ck-rt >/dev/null 2>&1 || insmod_once="ck-rt insmod"

# insmod_must_fail KO ERRNO_TEXT LOG_TEXT ARG: insmod KO ARG must fail with
# ERRNO_TEXT ("Invalid argument"), leave nothing loaded or running, and
# log a line holding LOG_TEXT. 1 if the module is loaded and cannot be
# unloaded: no further error test can run.
insmod_must_fail() {
	if is_loaded "$name"; then
		fail errors "$name is still loaded and cannot be unloaded: the error tests from insmod $4 on are not run"
		return 1
	fi
	imark="refuse $name $3 $$.$4"
	kmsg "$imark"
	# shellcheck disable=SC2086 # a command and its first argument
	if $insmod_once "$1" "$4" 2>"$tmp/insmod.err"; then
		loaded="$loaded $name"
		fail errors "insmod $4 succeeded"
		rmmod "$name" || true
		return 0
	fi
	grep -q "$2" "$tmp/insmod.err" ||
		fail errors "insmod $4: wanted '$2', got: $(cat "$tmp/insmod.err")"
	is_loaded "$name" && fail errors "insmod $4 failed but $name is loaded"
	wait_gone "$threads" "$old_tasks" || for t in $running; do
		fail errors "insmod $4: thread $t left running"
	done
	# The line is logged before insmod returns: 5 s is ample. It must be
	# the module's own ("NAME: ... TEXT"), as before the waits were cut.
	if ! WAIT_S=5 wait_for_line "$imark" ";$name: " "$3"; then
		fail errors "insmod $4: no '$name: ... $3' line in the log"
	fi
}

# param_bounds KO: "NAME MIN MAX" for each parameter of KO whose
# description states its range, "(MIN..MAX, ...)". The bounds are the
# module's own (each module stands alone); the kernel holds it to them:
# insmod must refuse MIN-1 and MAX+1, and take MIN.
param_bounds() {
	modinfo -F parm "$1" |
		sed -n 's/^\([a-z_]*\):.*(\([0-9][0-9]*\)\.\.\([0-9][0-9]*\)[,)].*/\1 \2 \3/p'
}

# The error paths of module $name, built with fault injection as $1.
errors_test() {
	# Threads of its names that earlier tests left are not this test's.
	old_tasks=$(tasks_of "$threads")
	[ -z "$old_tasks" ] ||
		echo "# $test: $(echo "$old_tasks" | wc -l) thread(s) of its names left by earlier tests, not counted here"
	insmod_must_fail "$1" "Cannot allocate memory" "cannot start the signaller" fail_kthread_run=1 &&
		insmod_must_fail "$1" "Cannot allocate memory" "cannot start the waiter" fail_kthread_run=2 ||
		return 0
	bounds=$(param_bounds "$1")
	if [ -z "$bounds" ]; then
		fail errors "modinfo $1: no parameter states its range (MIN..MAX)"
		return 0
	fi
	# Each parameter's MIN-1 (-1 for 0: not a number) and MAX+1, and one
	# that is not a number at all; then all at their MIN.
	bad=$(echo "$bounds" | awk 'NR == 1 { printf "%s=abc", $1 } { printf " %s=%d %s=%d", $1, $2 - 1, $1, $3 + 1 }')
	at_min=$(echo "$bounds" | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $1, $2 }')
	echo "# $test: insmod must refuse $bad; and take $at_min"
	for b in $bad; do
		insmod_must_fail "$1" "Invalid argument" "$b rejected" "$b" || return 0
	done
	# After all that, the same build loads and unloads normally.
	if is_loaded "$name"; then
		fail errors "$name is still loaded and cannot be unloaded: no normal insmod"
		return 0
	fi
	imark="normal $name $$"
	kmsg "$imark"
	# shellcheck disable=SC2086 # one argument a parameter
	if insmod "$1" $at_min; then
		loaded="$loaded $name"
		# (Its threads' names are the cycles' check, "threads".)
		wait_for_line "$imark" "waiter: woken: " ||
			fail errors "normal insmod: the waiter did not wake within ${WAIT_S}s"
		rmmod "$name" || fail errors "normal insmod: rmmod failed"
	else
		fail errors "normal insmod after the failures failed"
		return 0
	fi
	injected_paths "$1"
}

# injected_case KO ENDING LINE [both] -- ARG...: insmod KO (a build with
# tests/inject/inject.h) with ARG..., a job of long rounds; wait for the
# module's line LINE; with "both", both its threads must still be there
# (each thread sleeps until it is stopped: its task lives until then);
# rmmod; the log must be ENDING of the expected file's stress endings,
# whose comments say which thread ran. With waiter_delay_ms among ARG,
# the waiter's two lines of its delay are taken out first (LINE is then
# one of them). 1 if rmmod is stuck.
injected_case() {
	ic_ko=$1
	ic_end=$2
	ic_line=$3
	ic_both=$4
	shift 5
	imark="inject $name $* $$"
	kmsg "$imark"
	if ! insmod "$ic_ko" rounds="$ROUNDS" period_ms="$CANCEL_PERIOD_MS" "$@"; then
		fail errors "insmod $*: failed"
		return 0
	fi
	loaded="$loaded $name"
	wait_for_line "$imark" ";$name: " "$ic_line" ||
		fail errors "insmod $*: no '$name: $ic_line' line within ${WAIT_S}s"
	if [ "$ic_both" = both ]; then
		running_of "$threads" "$old_tasks"
		for t in $threads; do
			has_line "$running" "$t" ||
				fail errors "insmod $*: thread $t has exited before kthread_stop(): exit would stop a freed task"
		done
	fi
	unload_checked "insmod $*" inject errors || return 1
	own_lines "$tmp/since.log"
	case " $* " in
	*" waiter_delay_ms="*)
		grep -v -e '^waiter: busy for ' -e '^waiter: the completion is ' "$tmp/actual" >"$tmp/actual.new" || true
		mv "$tmp/actual.new" "$tmp/actual"
		;;
	esac
	if ! compare "$ic_end" "rounds=$ROUNDS period_ms=$CANCEL_PERIOD_MS"; then
		fail errors "insmod $*: the log is not $name.expected's $ic_end (-expected +actual):"
		sed 's/^/#   /' "$tmp/diff" "$tmp/order"
	fi
}

# The paths that the normal build reaches only by the scheduler's luck or
# never, forced by the injection build $1 (tests/inject/inject.h): a thread
# created but never woken, so that kthread_stop() returns -EINTR; the
# waiter running alone first (the job already there when the signaller
# looks for it); and, in the modules whose signaller waits for a job, that
# wait cut short as a pending signal would cut it, before the waiter comes,
# and the signaller stopped before it first looks for a job.
injected_paths() {
	# The signaller never runs: 1 ms into its delay, the completion the
	# waiter looks at is not done.
	injected_case "$1" stress:waiter "waiter: the completion is not yet done" - -- \
		hold_kthread_run=1 delay_kthread_run=1 waiter_delay_ms=1 &&
		injected_case "$1" stress:signaller "signaller: started" - -- hold_kthread_run=2 delay_kthread_run=2 &&
		injected_case "$1" stress:neither "init: starting" - -- hold_kthread_run=3 &&
		injected_case "$1" stress:both "signaller: started" - -- late_wake_kthread_run=1 || return 0
	case " $(awk -v mode=endings -v scenario=stress -f "$awkprog" "$expected" | tr '\n' ' ') " in
	*" stress:both-nojob "*)
		injected_case "$1" stress:both-nojob "waiter: the signaller is gone" both -- \
			interrupt_wait_event=1 delay_kthread_run=2 || return 0
		injected_case "$1" stress:signaller "signaller: started" - -- \
			stop_before_wait_event=1 hold_kthread_run=2 || return 0
		;;
	esac
}

# unload_checked TAG SCENARIO [CHECK]: rmmod $name (timed; bounded but in
# the done and early cases), then its threads must be gone. A failure is
# check CHECK if given (stress, soak), else the check named below. 1 if
# rmmod is stuck.
unload_checked() {
	if timed_rmmod "$name" "$1" "$RMMOD_TIMEOUT_S" "$tmp"; then
		read -r ms <"$tmp/rmmod_ms"
		echo "$ms" >>"$tmp/times.$name"
		# An unload during a long round must not wait for its end.
		if [ "$2" != "done" ] && [ "$2" != early ] &&
			awk -v t="$ms" -v b="$RMMOD_BOUND_MS" 'BEGIN { exit !(t == "-" || t + 0 > b + 0) }'; then
			fail "${3:-slow-unload}" "$1 ($2): rmmod took $ms ms during a long round (bound ${RMMOD_BOUND_MS} ms)"
		fi
	else
		case $? in
		2)
			stuck="$stuck $name"
			fail "${3:-rmmod-timeout}" "$1 ($2): rmmod did not return in ${RMMOD_TIMEOUT_S}s"
			return 1
			;;
		*) fail "${3:-rmmod}" "$1 ($2): rmmod failed" ;;
		esac
	fi
	wait_gone "$threads" || for t in $running; do
		fail "${3:-threads-left}" "$1 ($2): thread $t still running after rmmod"
	done
}

# $name's own lines in log file $1, without timestamp, prefix and the
# once-per-boot taint notices, into $tmp/actual.
own_lines() {
	sed -n -e '/\] [a-z_]*: module verification failed/d' \
		-e '/\] [a-z_]*: loading out-of-tree module taints kernel/d' \
		-e '/\] [a-z_]*: module is from the staging directory/d' \
		-e "s/^\[[ 0-9.]*\] $name: //p" "$1" >"$tmp/actual"
}

# compare SCENARIO VARS: $tmp/actual against $expected for one scenario or
# ending; the differences in $tmp/diff and $tmp/order. 1 if any.
compare() {
	awk -v mode=body -v scenario="$1" -v vars="$2" -f "$awkprog" "$expected" >"$tmp/want"
	awk -v mode=canon -v scenario="$1" -v vars="$2" -f "$awkprog" "$expected" "$tmp/actual" >"$tmp/got"
	awk -v mode=order -v scenario="$1" -v vars="$2" -f "$awkprog" "$expected" "$tmp/actual" >"$tmp/order"
	diff -u -L "$name.expected ($1)" -L "$name (actual)" "$tmp/want" "$tmp/got" >"$tmp/diff" &&
		[ ! -s "$tmp/order" ]
}

# The load/unload cycles of module $name.
cycles_test() {
	cycle=0
	while ! has_failed "$name" && [ "$cycle" -lt "$CYCLES" ]; do
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
		# If not, the cycle has failed: its log is shown, not compared.
		woke=1
		if ! wait_for_line "$mark" "$ready"; then
			fail no-wakeup "cycle $cycle ($scenario): no '$ready' line within ${WAIT_S}s"
			woke=0
		fi
		[ "$DWELL_S" = 0 ] || sleep "$DWELL_S"
		running_of "$threads"
		for t in $threads; do
			has_line "$running" "$t" || fail threads "cycle $cycle: thread $t is not running"
		done
		# Each parameter given reads back, through sysfs, as given.
		for a in $args; do
			p=/sys/module/$name/parameters/${a%%=*}
			v=$(cat "$p" 2>/dev/null) || v="nothing (no such file)"
			[ "$v" = "${a#*=}" ] || fail params "cycle $cycle: $p reads $v, not ${a#*=}"
		done
		# Its log since the mark: timed_rmmod's since.log.
		unload_checked "cycle $cycle" "$scenario" || break
		kmark "idle"
		own_lines "$tmp/since.log"
		if [ "$woke" = 1 ] && ! compare "$scenario" "$vars"; then
			if [ -s "$tmp/diff" ]; then
				fail log-diff "cycle $cycle ($scenario): log differs from $name.expected (-expected +actual):"
				sed 's/^/#   /' "$tmp/diff"
			fi
			if [ -s "$tmp/order" ]; then
				fail log-order "cycle $cycle ($scenario):"
				sed 's/^/#   /' "$tmp/order"
			fi
		fi
		if has_failed "$name"; then
			echo "# $name: its log in cycle $cycle:"
			sed 's/^/#   /' "$tmp/since.log" | head -60
		fi
	done
}

# sched_mode MODE: how the stress cycles are scheduled, only in the VM and
# with STRESS_SCHED=1 (elsewhere always "normal"). Except in "normal", one CPU is online and
# this shell, so insmod and rmmod, run in SCHED_FIFO: no thread of the
# module (SCHED_OTHER) runs until rmmod sleeps in kthread_stop(). (A VM
# with one CPU, make check's, has no CPU 1 to take offline.)
#   normal          two CPUs (if the VM has two): both threads run at once
#   fifo            the signaller runs while insmod waits for kthreadd to
#                   create the waiter; rmmod stops the waiter before it ran
#   fifo-kthreadd   kthreadd in SCHED_FIFO too: neither thread runs before
#                   rmmod; then the waiter (made fifo-low by sched_threads)
#                   runs first, and the signaller is stopped before it ran
#   signaller-first the same, the signaller fifo-low: it is stopped before
#                   it ran, then rmmod stops the waiter before it ran
# On 6.1-rt and unstable's 7.2 the signaller still runs before rmmod in
# all or most cycles (seen, not yet traced).
sched=normal
sched_mode() {
	cpu1=/sys/devices/system/cpu/cpu1/online
	[ -n "${CK_VM:-}" ] && [ "$STRESS_SCHED" = 1 ] && command -v ck-rt >/dev/null 2>&1 &&
		{ [ -w "$cpu1" ] || [ ! -e "${cpu1%/online}" ]; } || return 0
	[ "$1" != "$sched" ] || return 0
	kthreadd=$(pids_named kthreadd | sed 's|^/proc/||; s|/comm$||')
	case $1 in
	normal)
		ck-rt other "$$" "$kthreadd"
		[ ! -e "$cpu1" ] || [ "$(cat "$cpu1")" = 1 ] || echo 1 >"$cpu1"
		;;
	fifo)
		[ ! -e "$cpu1" ] || [ "$(cat "$cpu1")" = 0 ] || echo 0 >"$cpu1"
		ck-rt fifo "$$"
		;;
	*)
		[ ! -e "$cpu1" ] || [ "$(cat "$cpu1")" = 0 ] || echo 0 >"$cpu1"
		ck-rt fifo "$$" "$kthreadd"
		;;
	esac
	sched=$1
}
# After insmod: in the last two modes, the thread that is to run first
# (waiter or signaller) is made fifo-low.
sched_threads() {
	case $sched in
	fifo-kthreadd) first=waiter ;;
	signaller-first) first=signaller ;;
	*) return 0 ;;
	esac
	for t in $threads; do
		case $t in
		*"$first") ck-rt fifo-low "$(pids_named "$t" | sed 's|^/proc/||; s|/comm$||')" ;;
		esac
	done
}

# STRESS_CYCLES of insmod and rmmod at once: each log must be one of the
# "stress:" endings of $expected. Prints how often each ending came.
stress_test() {
	endings=$(awk -v mode=endings -v scenario=stress -f "$awkprog" "$expected")
	if [ -z "$endings" ]; then
		fail stress "$name.expected has no stress endings"
		return
	fi
	vars="rounds=$ROUNDS period_ms=$CANCEL_PERIOD_MS"
	: >"$tmp/endings"
	s=0
	while ! has_failed "$name" && [ "$s" -lt "$STRESS_CYCLES" ]; do
		s=$((s + 1))
		case $((4 * (s - 1) / STRESS_CYCLES)) in
		1) sched_mode fifo ;;
		2) sched_mode fifo-kthreadd ;;
		3) sched_mode signaller-first ;;
		esac
		mark="stress $name $$.$s"
		kmsg "$mark"
		if ! insmod "$ko" rounds="$ROUNDS" period_ms="$CANCEL_PERIOD_MS"; then
			fail stress "stress cycle $s: insmod failed"
			break
		fi
		loaded="$loaded $name"
		sched_threads
		unload_checked "stress cycle $s" stress stress || break
		kmark "idle"
		own_lines "$tmp/since.log"
		best=$(awk -v mode=match -v scenario=stress -v vars="$vars" -f "$awkprog" "$expected" "$tmp/actual")
		if [ -n "$best" ]; then
			echo "$best" >>"$tmp/endings"
			continue
		fi
		# None: show the diff against the closest ending.
		best_n=""
		for e in $endings; do
			compare "$e" "$vars" || true
			n=$(($(grep -c '^[-+][^-+]' "$tmp/diff" || true) + $(wc -l <"$tmp/order")))
			if [ -z "$best_n" ] || [ "$n" -lt "$best_n" ]; then
				best=$e
				best_n=$n
				cp "$tmp/diff" "$tmp/best.diff"
				cp "$tmp/order" "$tmp/best.order"
			fi
		done
		fail stress "stress cycle $s: the log is none of the endings of $name.expected; the closest, $best (-expected +actual):"
		sed 's/^/#   /' "$tmp/best.diff" "$tmp/best.order"
		echo "# $name: its log in stress cycle $s:"
		sed 's/^/#   /' "$tmp/since.log" | head -40
	done
	sched_mode normal
	echo "# $name: stress: $s cycles, endings:$(sort "$tmp/endings" | uniq -c | awk '{ printf " %s %s", $2, $1 }')"
}

# khung_checks STATUS: kc_n, the voluntary context switches in
# khungtaskd's /proc/PID/status (0 if there is none), read without a
# process.
khung_checks() {
	kc_n=0
	if [ -n "$1" ] && [ -r "$1" ]; then
		while read -r kc_k kc_v; do
			[ "$kc_k" != voluntary_ctxt_switches: ] || kc_n=$kc_v
		done <"$1"
	fi
}

# The soak: modules $* loaded together, their jobs in long rounds, until
# the hung-task detector has checked twice (at most twice its timeout and
# 2 s more); then unloaded and checked.
soak_test() {
	if [ ! -w "$hung" ]; then
		echo "# soak: skipped: this kernel has no hung-task detector ($hung)"
		return
	fi
	hung_s=$(cat "$hung")
	if [ "$hung_s" = 0 ] || [ "$hung_s" -gt 10 ]; then
		hung_restore=$hung_s
		echo "$HUNG_TASK_S" >"$hung"
		echo "# soak: hung_task_timeout_secs set to $HUNG_TASK_S meanwhile (it was $hung_s)"
		hung_s=$HUNG_TASK_S
	fi
	soak_s=$((2 * hung_s + 2))
	state_save
	# The mark names the modules: a report that names none is theirs.
	mark="soak $$ begin"
	for dir in "$@"; do
		mark="$mark ${dir##*/}"
	done
	kmsg "$mark"
	soaked=""
	all_threads=""
	for dir in "$@"; do
		name=${dir##*/}
		test=$name
		if insmod "$dir/$name.ko" rounds="$ROUNDS" period_ms="$SOAK_PERIOD_MS"; then
			loaded="$loaded $name"
			soaked="$soaked $dir"
			th=$(awk -v mode=threads -f "$awkprog" "$dir/$name.expected")
			eval "th_$name=\$th"
			all_threads="$all_threads $th"
		else
			fail soak "insmod rounds=$ROUNDS period_ms=$SOAK_PERIOD_MS failed"
		fi
	done
	for dir in $soaked; do
		name=${dir##*/}
		test=$name
		wait_for_line "$mark" "$name: waiter: waiting for the job" ||
			fail soak "no 'waiter: waiting for the job' within ${WAIT_S}s"
	done
	# khungtaskd sleeps once a check: its voluntary context switches count
	# its checks. A thread blocked in D since before the first one is
	# reported at the second (kernel/hung_task.c: check_hung_task()).
	uptime_cs
	soak_end=$((cs + 100 * soak_s))
	soak_t0=$cs
	khung=$(pids_named khungtaskd | sed -n '1s|/comm$|/status|p')
	khung_checks "$khung"
	checks0=$kc_n
	while [ "$cs" -lt "$soak_end" ] && [ "$kc_n" -lt $((checks0 + 2)) ]; do
		nap 0.1
		uptime_cs
		khung_checks "$khung"
	done
	echo "# soak: $* loaded together for $(((cs - soak_t0) / 100)).$(((cs - soak_t0) % 100 / 10))s, $((kc_n - checks0)) checks of the hung-task detector (hung_task_timeout_secs=$hung_s)"
	running_of "$all_threads"
	for dir in $soaked; do
		test=${dir##*/}
		eval "th=\$th_$test"
		for t in $th; do
			has_line "$running" "$t" || fail soak "thread $t is not running after ${soak_s}s"
		done
	done
	# All unloaded at once, then checked: one after another, on the debug
	# kernel the last ones were still loaded when their 60 s round ended.
	pids=""
	for dir in $soaked; do
		name=${dir##*/}
		(
			kmark "rmmod $name soak start"
			if rmmod "$name"; then rc=0; else rc=$?; fi
			kmark "rmmod $name soak end rc=$rc"
		) &
		pids="$pids $!"
	done
	waited=0
	for pid in $pids; do
		while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((RMMOD_TIMEOUT_S * 20)) ]; do
			nap 0.05
			waited=$((waited + 1))
		done
	done
	log_since "$mark" >"$tmp/soak.log"
	wait_gone "$all_threads" || true
	for dir in $soaked; do
		name=${dir##*/}
		test=$name
		# Its rmmod's ms and status from the marks; "- -" if it has not
		# returned.
		read -r ms rc <<EOF
$(awk -v s="ck-run: rmmod $name soak start" -v e="ck-run: rmmod $name soak end rc=" '
	function stamp(l) { sub(/^\[ */, "", l); sub(/\].*/, "", l); return l }
	index($0, s) { t0 = stamp($0) }
	index($0, e) { t1 = stamp($0); rc = substr($0, index($0, e) + length(e)) }
	END { if (t1 == "") print "- -"; else printf "%.3f %s\n", (t1 - t0) * 1000, rc }' "$tmp/soak.log")
EOF
		if [ "$ms" = - ]; then
			stuck="$stuck $name"
			fail soak "rmmod did not return in ${RMMOD_TIMEOUT_S}s"
			continue
		fi
		[ "$rc" = 0 ] || fail soak "rmmod failed (status $rc)"
		echo "$ms" >>"$tmp/times.$name"
		! awk -v t="$ms" -v b="$RMMOD_BOUND_MS" 'BEGIN { exit !(t + 0 > b + 0) }' ||
			fail soak "rmmod took $ms ms during a long round (bound ${RMMOD_BOUND_MS} ms)"
		eval "th=\$th_$name"
		for t in $th; do
			! has_line "$running" "$t" || fail soak "thread $t still running after rmmod"
		done
		expected=$dir/$name.expected
		cp "$tmp/soak.log" "$tmp/log"
		own_lines "$tmp/log"
		if ! compare cancel "rounds=$ROUNDS period_ms=$SOAK_PERIOD_MS"; then
			fail soak "its log differs from $name.expected (cancel; -expected +actual):"
			sed 's/^/#   /' "$tmp/diff" "$tmp/order"
		fi
		state_check soak
	done
	kmark "idle"
	if [ -n "$hung_restore" ]; then
		echo "$hung_restore" >"$hung"
		hung_restore=""
	fi
}

# The whole kernel log: each report charged to a test (see the top).
# Writes "TEST CHECK LINE" rows to $tmp/charged.
charge_reports() {
	map=""
	for dir in "$@"; do
		n=$(basename "$dir")
		ts=$(awk -v mode=threads -f "$awkprog" "$dir/$n.expected")
		for t in $ts; do
			map="$map $t:=$n"
		done
		map="$map [$n]=$n"
	done
	awk -v re="$reports" -v map="$map" -f "$here/reports.awk" "$tmp/kernel.log" >"$tmp/charged"
}

kmemleak=/sys/kernel/debug/kmemleak
ntests=$(($# + 1))
[ ! -w "$kmemleak" ] || ntests=$((ntests + 1))
for dir in "$@"; do
	dir=${dir%/}
	[ ! -f "$dir/inject/$(basename "$dir").ko" ] || ntests=$((ntests + 1))
done

# verdict TEST FIGURES: the "# result:" line and the KTAP line of test
# TEST, from the checks it failed.
verdict() {
	num=$((num + 1))
	result=pass
	[ ! -f "$tmp/skip.$1" ] || result=skip
	! has_failed "$1" || result=fail
	fails=$(sort -u "$tmp/fails/$1" 2>/dev/null | awk '{ s = s (NR > 1 ? "," : "") $0 } END { print s }')
	echo "# result: module=$1 result=$result $2 fails=${fails:--}"
	if [ "$result" = pass ]; then
		passed=$((passed + 1))
		echo "ok $num $1"
	elif [ "$result" = skip ]; then
		echo "ok $num $1 # SKIP $(cat "$tmp/skip.$1")"
	else
		failed=$((failed + 1))
		echo "not ok $num $1"
	fi
}

echo "KTAP version 1"
echo "1..$ntests"
kmsg "run $$ begin"
start_taint=$(taint_now)
start_locks=$(locks_now)
# What kmemleak suspects from before the modules ran is not theirs.
if [ -w "$kmemleak" ]; then
	kmark "kmemleak clear"
	echo scan >"$kmemleak"
	echo clear >"$kmemleak"
	kmark "idle"
fi
echo "# kernel $(uname -r), cycles=$CYCLES stress_cycles=$STRESS_CYCLES rounds=$ROUNDS period_ms=$PERIOD_MS cancel_period_ms=$CANCEL_PERIOD_MS floor_ms=$floor_ms"
passed=0
failed=0
num=0
sound=""
for dir in "$@"; do
	dir=${dir%/}
	name=$(basename "$dir")
	test=$name
	ko=$dir/$name.ko
	expected=$dir/$name.expected
	: >"$tmp/times.$name"
	if [ ! -f "$ko" ] || [ ! -f "$expected" ]; then
		fail setup "$ko or $expected is missing"
		continue
	elif is_loaded "$name"; then
		fail setup "$name is already loaded: rmmod $name first, then run again"
		continue
	fi
	threads=$(awk -v mode=threads -f "$awkprog" "$expected" 2>/dev/null || true)
	state_save
	cycles_test
	echo "$cycle" >"$tmp/cycles.$name"
	has_failed "$name" || stress_test
	state_check "its cycles"
	has_failed "$name" || sound="$sound $dir"
done
# shellcheck disable=SC2086 # one word a folder
[ -z "$sound" ] || soak_test $sound
for dir in "$@"; do
	dir=${dir%/}
	name=$(basename "$dir")
	test=$name-errors
	[ -f "$dir/inject/$name.ko" ] || continue
	expected=$dir/$name.expected
	threads=$(awk -v mode=threads -f "$awkprog" "$expected" 2>/dev/null || true)
	if is_loaded "$name"; then
		echo "# $test: skipped: $name is still loaded (stuck), its error paths cannot be tested"
		echo "$name is stuck" >"$tmp/skip.$test"
		continue
	fi
	state_save
	errors_test "$dir/inject/$name.ko"
	kmark "idle"
	state_check "its error paths"
done
if [ -w "$kmemleak" ]; then
	test=kmemleak
	# Objects younger than a few seconds are not reported: scan twice.
	sleep 6
	kmark "kmemleak scan"
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	cat "$kmemleak" >"$tmp/leaks"
	if [ -s "$tmp/leaks" ]; then
		fail kmemleak "kmemleak reports unreferenced objects:"
		sed 's/^/#   /' "$tmp/leaks" | head -40
	fi
fi

# The whole log: from boot in the VM, from this run's start on a host.
test=kernel
kmsg "run $$ end"
if [ -n "${CK_VM:-}" ]; then
	dmesg >"$tmp/kernel.log"
	head -n 1 "$tmp/kernel.log" | grep -q '^\[ *0\.000000\]' ||
		fail console "the kernel log no longer starts at boot (log_buf_len too small?)"
else
	log_since "run $$ begin" >"$tmp/kernel.log"
fi
charge_reports "$@"
# The first 20 report lines are shown, every one is charged, but a KCSAN
# report in the core kernel (reports.awk): listed.
i=0
while read -r t check line; do
	if [ "$check" = listed ]; then
		echo "# kernel: a data race in the core kernel, in no module's stack (not charged): $line"
		continue
	fi
	i=$((i + 1))
	test=$t
	if [ "$i" -le 20 ]; then
		fail "$check" "kernel report: $line"
	else
		fail "$check" "kernel report (not shown)" >/dev/null
	fi
done <"$tmp/charged"
test=kernel
new=$(($(taint_now) & ~start_taint & ~12288))
[ "$new" = 0 ] || fail taint "at the end the kernel is newly tainted: $(taint_letters "$new")"
[ "$start_locks" != 1 ] || [ "$(locks_now)" = 1 ] ||
	fail debug-locks "at the end lockdep is off (debug_locks 0)"
echo "# kernel: $(wc -l <"$tmp/charged") report lines in $(wc -l <"$tmp/kernel.log") log lines; taint $(taint_now) at the end${start_locks:+, debug_locks $(locks_now)}"

for dir in "$@"; do
	dir=${dir%/}
	name=$(basename "$dir")
	stats=$(median_max "$tmp/times.$name")
	verdict "$name" "cycles=$(cat "$tmp/cycles.$name" 2>/dev/null || echo 0) rmmod_ms=${stats% *} rmmod_max_ms=${stats#* } floor_ms=$floor_ms"
	[ ! -f "$dir/inject/$name.ko" ] || verdict "$name-errors" "cycles=1 rmmod_ms=- rmmod_max_ms=- floor_ms=-"
done
[ ! -w "$kmemleak" ] || verdict kmemleak "cycles=- rmmod_ms=- rmmod_max_ms=- floor_ms=-"
verdict kernel "cycles=- rmmod_ms=- rmmod_max_ms=- floor_ms=-"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
