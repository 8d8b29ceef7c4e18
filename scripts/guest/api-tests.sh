#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# api-tests.sh - the tests of completion_api (or of a broken copy of it).
#
#   api-tests.sh MODDIR
#
# MODDIR holds NAME.ko and NAME.expected. Loads the module, then plays the
# sections of NAME.expected one by one: readers (cat, in the background)
# wait in the files of /sys/kernel/debug/NAME, the test writes to ctl and
# sends signals, and notes what it sees, from the kernel and the hand-off
# only: which readers ended and how (the line read() returned, or the
# signal that killed them, from wait's status), the process states in
# /proc/PID/stat, the errno of each write, the module's reference count.
# Each section's notes must equal its section of NAME.expected; a section
# that differs fails its check (the section's name); its readers end
# before the next section begins, so the failure stays its own. The
# module's state file is read only to know when a reader has started to
# wait, and by the fuzz.
# Then "fuzz": writers send commands, random bytes and oversized writes to
# ctl and set timeout_ms, while readers of every file are started and
# killed, stopped or left to wait, for FUZZ_S (10) seconds; after
# complete_all every reader must end and no waiter and no reference stay.
# Last the module must unload (check unload), and the kernel log of the
# run must hold no report (kernel-report: warnings, oopses, hung tasks...),
# the taint flags gain none but O and E, lockdep stay on.
# POSIX sh; runs as root in the busybox VM (make check) or on a host.
# Output: KTAP, one test NAME, a "# result:" line as run-tests.sh's, and
# "N passed, N failed". Exit status 1 if the test failed.

set -eu

FUZZ_S=${FUZZ_S:-10}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/guest/ck-lib.sh
. "$here/ck-lib.sh"

[ $# = 1 ] || die "usage: $0 MODDIR"
dir=${1%/}
name=${dir##*/}
ko=$dir/$name.ko
expected=$dir/$name.expected
dbg=/sys/kernel/debug/$name
param=/sys/module/$name/parameters/timeout_ms
[ "$(id -u)" = 0 ] || die "must run as root (it loads a kernel module): try sudo"
for f in "$ko" "$expected"; do
	[ -f "$f" ] || die "$f is missing"
done
grep -q '^[^ ]* /sys/kernel/debug debugfs ' /proc/mounts ||
	die "debugfs is not mounted: mount -t debugfs none /sys/kernel/debug"
! is_loaded "$name" || die "$name is already loaded: rmmod $name first"

tmp=${TMPDIR:-/tmp}/ck-api.$$
readers=""
hung=/proc/sys/kernel/hung_task_timeout_secs
hung_restore=""
fails=$tmp/fails

# Never leave a reader or the module behind: readers are continued and
# killed, those in an uninterruptible wait released by complete_all.
cleanup() {
	for p in $readers; do
		kill -CONT "$p" 2>/dev/null || true
		kill -KILL "$p" 2>/dev/null || true
	done
	if is_loaded "$name"; then
		echo complete_all 2>/dev/null >"$dbg/ctl" || true
		nap 1
		rmmod "$name" || echo "# cleanup: cannot unload $name" >&2
	fi
	[ -z "$hung_restore" ] || echo "$hung_restore" >"$hung"
	log_close
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$tmp"
: >"$fails"
log_open "$tmp/kernel.raw" || die "cannot read the kernel log from /dev/kmsg"

# fail CHECK MESSAGE
fail() {
	grep -qx -- "$1" "$fails" || echo "$1" >>"$fails"
	shift
	echo "# $name: $*"
}

# rnd N: a number from 0 to N-1 (ash's RANDOM, else /dev/urandom).
# shellcheck disable=SC3028 # probed: set in ash
rnd() {
	if [ -n "${RANDOM:-}" ]; then
		echo $((RANDOM % $1))
	else
		echo $(($(od -An -N2 -tu2 /dev/urandom) % $1))
	fi
}

# Readers. start LABEL FILE: cat FILE in the background, named LABEL, with
# the signals' default actions (not this script's traps: busybox may run
# cat in the forked shell without an exec).
start() {
	(
		trap - INT TERM EXIT
		exec cat "$dbg/$2"
	) >"$tmp/out.$1" 2>"$tmp/err.$1" &
	eval "pid_$1=$!"
	readers="$readers $!"
}
pid_of() {
	eval "echo \${pid_$1:-999999999}"
}
# pstate LABEL: its state in /proc/PID/stat (S, D, T...), or "gone" once it
# has exited (a zombie, or reaped). Read with the shell's read, not a
# process: the comm field ("(cat)") has no space.
pstate() {
	ps_s=""
	{ read -r _ _ ps_s _ <"/proc/$(pid_of "$1")/stat"; } 2>/dev/null || ps_s=""
	case $ps_s in "" | Z | X) echo gone ;; *) echo "$ps_s" ;; esac
}
# The waits below are bounded in seconds of uptime (uptime_cs), not in
# polls: in a slowed guest a poll takes longer, and a bound in polls let
# the readers of a broken module sleep in D long enough for the hung-task
# detector (30 s here) to report them, or not, by the guest's speed.
# waits LABEL: wait (10 s at most) until the module lists the reader as a
# waiter and the reader sleeps; 1 if it ends or never does.
waits() {
	w_p=$(pid_of "$1")
	uptime_cs
	w_end=$((cs + 1000))
	until grep -q "^waiter: pid $w_p " "$dbg/state" 2>/dev/null && [ "$(pstate "$1")" != R ]; do
		[ "$(pstate "$1")" != gone ] || return 1
		uptime_cs
		[ "$cs" -lt "$w_end" ] || return 1
		nap 0.05
	done
}
# reap_gone LABEL...: reap each reader that gone_within found gone (not in
# $still), whatever its status.
reap_gone() {
	for l in "$@"; do
		case " $still " in *" $l "*) continue ;; esac
		wait "$(pid_of "$l")" 2>/dev/null || true
		reaped="$reaped $l"
	done
}

# ended LABEL: reap it (in this shell, not a $(...) subshell: only the
# parent can) and set "how" to how it ended: the line its read() returned
# (numbers as N for "timed out"), or the signal that killed it.
ended() {
	e_rc=0
	wait "$(pid_of "$1")" || e_rc=$?
	reaped="$reaped $1"
	if [ "$e_rc" -gt 128 ]; then
		how="killed by signal $((e_rc - 128))"
	elif [ "$e_rc" = 0 ]; then
		how="\"$(sed 's/after [0-9]* ms/after N ms/' "$tmp/out.$1")\""
	else
		how="failed (status $e_rc): $(cat "$tmp/err.$1")"
	fi
}
# gone_within SECONDS LABEL...: 0 if the readers are all gone within
# SECONDS in all; "still" lists those that are not.
gone_within() {
	uptime_cs
	g_end=$((cs + $1 * 100))
	shift
	still=$*
	while :; do
		g_left=""
		for l in $still; do
			[ "$(pstate "$l")" = gone ] || g_left="$g_left $l"
		done
		still=${g_left# }
		[ -n "$still" ] || return 0
		uptime_cs
		[ "$cs" -lt "$g_end" ] || return 1
		nap 0.05
	done
}
# states LABEL...: "A S, B D".
states() {
	st=""
	for l in "$@"; do
		st="$st${st:+, }$l $(pstate "$l")"
	done
	echo "$st"
}
# tally WANT LABEL...: wait (5 s at most) until WANT of the readers are gone,
# then half a second more for any that should not; "seen" is "K of N
# ended: OUT", OUT the ways the newly ended ones ended, each once.
tally() {
	t_want=$1
	shift
	uptime_cs
	t_end=$((cs + 500))
	while :; do
		t_k=0
		for l in "$@"; do
			[ "$(pstate "$l")" != gone ] || t_k=$((t_k + 1))
		done
		[ "$t_k" -lt "$t_want" ] || break
		uptime_cs
		[ "$cs" -lt "$t_end" ] || break
		nap 0.05
	done
	nap 0.5
	t_k=0
	: >"$tmp/outs"
	for l in "$@"; do
		[ "$(pstate "$l")" = gone ] || continue
		t_k=$((t_k + 1))
		case " $reaped " in *" $l "*) continue ;; esac
		ended "$l"
		echo "$how" >>"$tmp/outs"
	done
	seen="$t_k of $# ended: $(sort -u "$tmp/outs" | awk '{ s = s (NR > 1 ? ", " : "") $0 } END { print s }')"
}
# at_once LABEL: "how" is "OUT at once" if the reader ends within 5 s, else
# its state.
at_once() {
	if gone_within 5 "$1"; then
		ended "$1"
		how="$how at once"
	else
		how="$1 $(pstate "$1")"
	fi
}
# after LABEL: "how" is "LABEL OUT" if the reader ends within 5 s, else its
# state.
after() {
	if gone_within 5 "$1"; then
		ended "$1"
		how="$1 $how"
	else
		how=$(states "$1")
	fi
}

# ctl CMD: write CMD to ctl (one write); "accepted" or the error.
ctl() {
	if printf '%b' "$1" | dd of="$dbg/ctl" bs=4096 2>"$tmp/ctl.err" >/dev/null; then
		echo accepted
	elif grep -q "Invalid argument" "$tmp/ctl.err"; then
		echo "Invalid argument"
	else
		echo "failed: $(tail -n 1 "$tmp/ctl.err")"
	fi
}
try_wait() {
	echo "try_wait: $(cat "$dbg/try_wait" 2>&1)"
}
refcnt() {
	cat "/sys/module/$name/refcnt" 2>/dev/null || echo "-"
}

# abc_wait: readers A, B and C wait in wait_interruptible, wait_killable
# and wait.
abc_wait() {
	start_in A wait_interruptible
	start_in B wait_killable
	start_in C wait
	for l in A B C; do
		waits "$l" || true
	done
	say "A B C wait in wait_interruptible, wait_killable, wait: $(states A B C)"
}

# Sections. section NAME: from here the notes (say) are NAME's, and the
# completion starts from reinit. section_end: the notes must be the section
# of NAME.expected; then the readers left are killed and released.
section() {
	sec=$1
	: >"$tmp/got.$sec"
	reaped=""
	sec_readers=""
	echo reinit >"$dbg/ctl" || fail "$sec" "echo reinit > ctl failed"
}
say() {
	echo "$*" >>"$tmp/got.$sec"
}
# A section's readers, for section_end: start_in LABEL FILE.
start_in() {
	start "$@"
	sec_readers="$sec_readers $1"
}
section_end() {
	awk -v s="## $sec" '$0 == s { on = 1; next } /^## / { on = 0 } on && NF' "$expected" >"$tmp/want.$sec"
	if ! diff "$tmp/want.$sec" "$tmp/got.$sec" >"$tmp/diff.$sec"; then
		fail "$sec" "saw what $name.expected does not say (- expected, + seen):"
		diff -u "$tmp/want.$sec" "$tmp/got.$sec" | tail -n +3 | sed 's/^/#   /'
		# The failures so far, in case the kernel does not let the test end.
		echo "# result: module=$name result=fail cycles=- rmmod_ms=- rmmod_max_ms=- floor_ms=- fails=$(sort -u "$fails" | awk '{ s = s (NR > 1 ? "," : "") $0 } END { print s }')"
	fi
	# shellcheck disable=SC2086 # a list of labels
	release $sec_readers
}
# release LABEL...: end the readers not reaped yet: continue and kill them,
# complete_all for those in an uninterruptible wait, and a complete() each
# for any that still wait (a broken complete_all leaves them), so that none
# waits on into the next section. Fails the section if complete_all was not
# enough.
release() {
	r_left=""
	for l in "$@"; do
		case " $reaped " in *" $l "*) ;; *) r_left="$r_left $l" ;; esac
	done
	[ -n "$r_left" ] || return 0
	for l in $r_left; do
		kill -CONT "$(pid_of "$l")" 2>/dev/null || true
		kill -KILL "$(pid_of "$l")" 2>/dev/null || true
	done
	# shellcheck disable=SC2086 # lists of labels
	if ! gone_within 1 $r_left; then
		echo complete_all >"$dbg/ctl" 2>/dev/null || true
		if ! gone_within 5 $still; then
			fail "$sec" "reader(s) still there after kill -KILL and complete_all: $(states $still)"
			for l in $still; do
				echo complete >"$dbg/ctl" 2>/dev/null || true
			done
			gone_within 5 $still || echo "# $name: still there after a complete() each: $(states $still)"
		fi
	fi
	# shellcheck disable=SC2086 # lists of labels
	reap_gone $r_left
}

echo "KTAP version 1"
echo "1..1"
start_taint=$(taint_now)
start_locks=$(locks_now)
kmsg "api $$ begin"
# C and the fuzz's readers sleep uninterruptibly for seconds on purpose:
# the hung-task detector, at 2 s in the VM, is set to 30 s meanwhile.
if [ -w "$hung" ] && [ "$(cat "$hung")" -lt 30 ]; then
	hung_restore=$(cat "$hung")
	echo 30 >"$hung"
fi

if ! insmod "$ko" 2>"$tmp/insmod.err"; then
	fail load "insmod $ko failed: $(cat "$tmp/insmod.err")"
else
	section files
	say "$(for f in "$dbg"/*; do echo "${f##*/}"; done | sort | awk '{ s = s (NR > 1 ? " " : "") $0 } END { print s }')"
	section_end

	# complete() wakes one waiter per call.
	section complete-one
	for l in A B C; do
		start_in "$l" wait_interruptible
		waits "$l" || true
	done
	say "A B C wait in wait_interruptible: $(states A B C)"
	for i in 1 2 3; do
		echo complete >"$dbg/ctl"
		tally "$i" A B C
		say "echo complete > ctl: $seen"
	done
	section_end

	# complete() counts: waits after it return at once, as many as it was called.
	section complete-counts
	echo complete >"$dbg/ctl"
	echo complete >"$dbg/ctl"
	say "echo complete > ctl, twice, nobody waiting"
	start_in A wait
	at_once A
	say "A reads wait: $how"
	start_in B wait
	at_once B
	say "B reads wait: $how"
	start_in C wait_interruptible
	waits C || true
	say "C reads wait_interruptible: $(states C)"
	echo complete >"$dbg/ctl"
	after C
	say "echo complete > ctl: $how"
	section_end

	# complete_all() wakes them all and stays done until reinit_completion().
	section complete-all
	start_in A wait
	start_in B wait_interruptible
	start_in C wait_killable
	for l in A B C; do
		waits "$l" || true
	done
	say "A B C wait in wait, wait_interruptible, wait_killable: $(states A B C)"
	echo complete_all >"$dbg/ctl"
	tally 3 A B C
	say "echo complete_all > ctl: $seen"
	# Those it left (none, if complete_all works) end here, not at the
	# section's end: each wait below may last 5 s.
	release A B C
	start_in D wait
	at_once D
	say "D reads wait: $how"
	start_in E wait_killable
	at_once E
	say "E reads wait_killable: $how"
	echo reinit >"$dbg/ctl"
	say "echo reinit > ctl"
	start_in F wait
	waits F || true
	say "F reads wait: $(states F)"
	echo complete >"$dbg/ctl"
	after F
	say "echo complete > ctl: $how"
	section_end

	# reinit_completion() sets the count to 0 and leaves the waiters
	# queued: a complete() after it still reaches them.
	section reinit-waiting
	start_in A wait_interruptible
	waits A || true
	say "A waits in wait_interruptible: $(states A)"
	echo reinit >"$dbg/ctl"
	nap 0.3
	say "echo reinit > ctl: $(states A)"
	echo complete >"$dbg/ctl"
	after A
	say "echo complete > ctl: $how"
	section_end

	# try_wait_for_completion() takes a complete() if there is one, never sleeps.
	section try-wait
	say "$(try_wait)"
	echo complete >"$dbg/ctl"
	say "echo complete > ctl"
	say "$(try_wait)"
	say "$(try_wait)"
	echo complete_all >"$dbg/ctl"
	say "echo complete_all > ctl"
	say "$(try_wait)"
	say "$(try_wait)"
	echo reinit >"$dbg/ctl"
	say "echo reinit > ctl"
	say "$(try_wait)"
	section_end

	# A read that cannot be given its line must not take a complete(): one
	# of 0 bytes, one into a page the reader cannot write (ck-rt read, from
	# tests/tools: a shell can do neither). Each finds one complete()
	# waiting, which try_wait must then still find.
	section read-args
	for r in wait:0 try_wait:0 wait:bad try_wait:bad; do
		echo complete >"$dbg/ctl"
		say "echo complete > ctl"
		f=${r%:*}
		case $r in
		*:0) what="read 0 bytes of $f" ;;
		*) what="read $f into a page it cannot write" ;;
		esac
		say "$what: $(ck-rt read "$dbg/$f" "${r#*:}" 2>&1)"
		say "$(try_wait)"
	done
	say "$(try_wait)"
	section_end

	# reinit_completion() right after complete_all(), before the readers
	# it woke have run: they find the count at zero again, and sleep on;
	# the mutex around ctl's commands changes nothing to that. The readers
	# and this shell share CPU 0, and the shell runs at SCHED_FIFO (ck-rt)
	# for the two writes, builtins: no reader runs between them.
	section reinit-after-all
	taskset -p 1 $$ >/dev/null
	for l in A B; do
		start_in "$l" wait_interruptible
		waits "$l" || true
	done
	say "A B wait in wait_interruptible: $(states A B)"
	ck-rt fifo $$
	echo complete_all >"$dbg/ctl"
	echo reinit >"$dbg/ctl"
	ck-rt other $$
	nap 0.5
	say "echo complete_all > ctl, echo reinit > ctl, no reader run between: $(states A B)"
	echo complete >"$dbg/ctl"
	tally 1 A B
	say "echo complete > ctl: $seen"
	taskset -p "$(printf '%x' $(((1 << $(nproc)) - 1)))" $$ >/dev/null
	section_end

	# wait_for_completion_timeout(): 0 once the time is out.
	section timeout
	echo 300 >"$param"
	t0=$(cut -d' ' -f1 /proc/uptime)
	start_in A wait_timeout
	if gone_within 10 A; then
		t1=$(cut -d' ' -f1 /proc/uptime)
		# A property, not a timing: the wait cannot end before its time.
		took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a >= 0.3) ? "in 300 ms or more" : "in less than 300 ms" }')
		ended A
		say "timeout_ms=300, A reads wait_timeout: $how, $took"
	else
		say "timeout_ms=300, A reads wait_timeout: $(states A) after 10 s"
	fi
	echo complete >"$dbg/ctl"
	start_in B wait_timeout
	at_once B
	say "echo complete > ctl, B reads wait_timeout: $how"
	# A fatal signal does not cut it short: the reader dies at the timeout.
	# 10 s, so that both looks and the kill fall inside the wait even in a
	# guest slowed down by its neighbours: a debug-kernel guest, one of
	# four boots on two cores in make check-all, took over 3 s for them
	# (2026-12-07; 1 s before).
	echo 10000 >"$param"
	t0=$(cut -d' ' -f1 /proc/uptime)
	start_in C wait_timeout
	waits C || true
	say "timeout_ms=10000, C reads wait_timeout: $(states C)"
	kill -KILL "$(pid_of C)" 2>/dev/null || true
	nap 0.3
	say "kill -KILL C: $(states C)"
	if gone_within 20 C; then
		t1=$(cut -d' ' -f1 /proc/uptime)
		ended C
		say "C $how, $(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a >= 10) ? "10000 ms or more" : "less than 10000 ms" }') after it started"
	else
		say "$(states C) 20 s after the kill"
	fi
	section_end

	# What a signal does to each wait.
	section signals
	abc_wait
	kill -TERM "$(pid_of A)" "$(pid_of B)" 2>/dev/null || true
	res=""
	for l in A B; do
		after "$l"
		res="$res$how, "
	done
	say "kill -TERM A B: $res$(states C)"
	kill -KILL "$(pid_of C)" 2>/dev/null || true
	nap 0.5
	say "kill -KILL C: $(states C)"
	echo complete >"$dbg/ctl"
	after C
	say "echo complete > ctl: $how"
	say "$(try_wait)"
	section_end

	# A stop ends an interruptible wait, and the read() restarts after
	# SIGCONT; the others sleep on. After it, the killable sleeper has a
	# signal pending, so the kernel wakes it for no signal but SIGKILL
	# (wants_signal() in kernel/signal.c).
	section stop
	abc_wait
	kill -STOP "$(pid_of A)" "$(pid_of B)" "$(pid_of C)" 2>/dev/null || true
	nap 0.5
	say "kill -STOP A B C: $(states A B C)"
	kill -CONT "$(pid_of A)" "$(pid_of B)" "$(pid_of C)" 2>/dev/null || true
	waits A || true
	nap 0.5
	say "kill -CONT A B C: $(states A B C)"
	kill -TERM "$(pid_of B)" 2>/dev/null || true
	nap 1
	say "kill -TERM B: $(states B)"
	kill -KILL "$(pid_of B)" 2>/dev/null || true
	after B
	say "kill -KILL B: $how"
	echo complete_all >"$dbg/ctl"
	tally 2 A C
	say "echo complete_all > ctl: $seen"
	section_end

	# Bad input to ctl and to timeout_ms: EINVAL, and no change.
	section ctl
	for c in complete_all 'reinit\n' 'complete\n' reinit complete foo 'complete now' COMPLETE \
		'complete\n\n' 'complete\0all'; do
		say "write \"$c\": $(ctl "$c")"
	done
	if head -c 4096 /dev/zero | tr '\0' a | dd of="$dbg/ctl" bs=4096 2>"$tmp/ctl.err" >/dev/null; then
		say "write 4096 bytes: accepted"
	else
		say "write 4096 bytes: $(grep -o "Invalid argument" "$tmp/ctl.err" || tail -n 1 "$tmp/ctl.err")"
	fi
	for v in 0 60001 abc; do
		if echo "$v" 2>"$tmp/param.err" >"$param"; then
			say "timeout_ms=$v: accepted"
		else
			say "timeout_ms=$v: $(grep -o "Invalid argument" "$tmp/param.err" || tail -n 1 "$tmp/param.err")"
		fi
	done
	say "$(try_wait)"
	say "$(try_wait)"
	section_end

	# An open file holds the module: rmmod must refuse while a reader waits.
	section rmmod-busy
	start_in A wait_killable
	waits A || true
	say "A waits in wait_killable: $(states A)"
	# In the background: without the reference, debugfs's removal would
	# wait for the reader, and rmmod with it.
	rmmod "$name" 2>"$tmp/rmmod.err" &
	rm_pid=$!
	eval "pid_rmmod=$rm_pid"
	if ! gone_within 3 rmmod; then
		say "rmmod: still running after 3 s, $(states A)"
	elif wait "$rm_pid"; then
		say "rmmod: succeeded, $(states A)"
	elif is_loaded "$name"; then
		say "rmmod: refused, still loaded, refcnt $(refcnt)"
	else
		say "rmmod: failed and unloaded"
	fi
	if is_loaded "$name"; then
		kill -KILL "$(pid_of A)" 2>/dev/null || true
		after A
		say "kill -KILL A: $how"
		say "refcnt $(refcnt)"
		section_end
	else
		section_end
		fail rmmod-busy "the module is gone after rmmod with a reader started: nothing further is tested"
		# Its reader sleeps on freed memory: what follows would only crash.
	fi
	wait "$rm_pid" 2>/dev/null || true
fi

if is_loaded "$name"; then
	# The fuzz: writers and readers at once, then every reader must end.
	section fuzz
	writers=""
	for i in 1 2; do
		(
			# Each writer its own sequence (ash seeds RANDOM so).
			RANDOM=$((i * 7919))
			while [ ! -e "$tmp/stop" ]; do
				w=$(rnd 9)
				case $w in
				7) echo "$(($(rnd 400) + 1))" ;;
				8) rnd 100000 ;;
				esac 2>/dev/null >"$param" || true
				[ "$w" -lt 7 ] || continue
				case $w in
				0 | 1) echo complete ;;
				2) echo complete_all ;;
				3) echo reinit ;;
				4) head -c "$(($(rnd 40) + 1))" /dev/urandom ;;
				5) head -c 4096 /dev/zero ;;
				*) printf 'complete\0' ;;
				esac | dd of="$dbg/ctl" bs=4096 2>/dev/null >/dev/null || true
			done
		) &
		writers="$writers $!"
	done
	files="wait wait_interruptible wait_killable wait_timeout try_wait"
	end=$(($(cut -d. -f1 /proc/uptime) + FUZZ_S))
	n=0
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
		n=$((n + 1))
		f=$(echo "$files" | cut -d' ' -f$(($(rnd 5) + 1)))
		start_in "R$n" "$f"
		[ "$(rnd 2)" = 0 ] || nap "0.0$(rnd 10)"
		case $(rnd 6) in
		0) kill -KILL "$(pid_of "R$n")" 2>/dev/null || true ;;
		1) kill -TERM "$(pid_of "R$n")" 2>/dev/null || true ;;
		2) kill -STOP "$(pid_of "R$n")" 2>/dev/null || true ;;
		*) ;;
		esac
	done
	touch "$tmp/stop"
	for w in $writers; do
		wait "$w" || true
	done
	echo 1000 >"$param"
	echo complete_all >"$dbg/ctl"
	say "writers and readers done, then echo complete_all > ctl"
	for l in $sec_readers; do
		kill -CONT "$(pid_of "$l")" 2>/dev/null || true
	done
	stuck=""
	# shellcheck disable=SC2086 # lists of labels
	gone_within 10 $sec_readers || stuck=" $(states $still)"
	# shellcheck disable=SC2086 # lists of labels
	reap_gone $sec_readers
	echo "# fuzz: $n readers in $FUZZ_S s"
	if [ -z "$stuck" ]; then
		say "every reader ended"
	else
		say "readers still there:$stuck"
	fi
	if grep -q '^waiter:' "$dbg/state"; then
		say "waiters in the state file: $(grep -c '^waiter:' "$dbg/state")"
	else
		say "no waiter in the state file"
	fi
	say "refcnt $(refcnt)"
	section_end

	if rmmod "$name" 2>"$tmp/rmmod.err"; then
		is_loaded "$name" && fail unload "rmmod $name returned 0 but it is loaded"
		[ ! -e "$dbg" ] || fail unload "$dbg is still there after rmmod"
	else
		fail unload "rmmod $name failed: $(cat "$tmp/rmmod.err")"
	fi
fi
[ -z "$hung_restore" ] || echo "$hung_restore" >"$hung"
hung_restore=""

# Every report in the kernel log since the start.
log_since "api $$ begin" >"$tmp/kernel.log"
# Every report line is this module's (reports.awk), but a KCSAN report
# whose stacks hold none of its frames: the core kernel's, listed.
awk -v re="$reports" -v map="[$name]=$name" -v owner="$name" -f "$here/reports.awk" \
	"$tmp/kernel.log" >"$tmp/charged"
grep '^kernel listed ' "$tmp/charged" | sed 's/^kernel listed /# a data race in the core kernel, in no module'"'"'s stack (not charged): /' || true
grep -v '^kernel listed ' "$tmp/charged" | cut -d' ' -f2 | sort -u >"$tmp/checks" || true
while read -r c; do
	grep -v '^kernel listed ' "$tmp/charged" | awk -v c="$c" '$2 == c' | cut -d' ' -f3- >"$tmp/reports"
	fail "$c" "$(wc -l <"$tmp/reports") kernel report line(s), the first:"
	head -n 20 "$tmp/reports" | sed 's/^/#   /'
done <"$tmp/checks"
new=$(($(taint_now) & ~start_taint & ~12288))
[ "$new" = 0 ] || fail taint "the kernel is newly tainted: $(taint_letters "$new")"
[ "$start_locks" != 1 ] || [ "$(locks_now)" = 1 ] ||
	fail debug-locks "lockdep has switched itself off (debug_locks 0)"

list=$(sort -u "$fails" | awk '{ s = s (NR > 1 ? "," : "") $0 } END { print s }')
if [ -z "$list" ]; then
	echo "# result: module=$name result=pass cycles=1 rmmod_ms=- rmmod_max_ms=- floor_ms=- fails=-"
	echo "ok 1 $name"
	echo "1 passed, 0 failed"
else
	echo "# result: module=$name result=fail cycles=1 rmmod_ms=- rmmod_max_ms=- floor_ms=- fails=$list"
	echo "not ok 1 $name"
	echo "0 passed, 1 failed"
	exit 1
fi
