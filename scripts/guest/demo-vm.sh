#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo-vm.sh - the class demo, run by the VM's /init (make demo).
#
#   demo-vm.sh MODDIR...
#   demo-vm.sh -b MODDIR...     the pitfall show of broken fixtures
#
# For each module: show the insmod, its two threads in ps, its kernel log
# live for DWELL_S seconds (timestamps kept), the rmmod and how long it took,
# and the log of the unload. ROUNDS and PERIOD_MS set the signaller's job:
# with the defaults (5 rounds of 500 ms, 4 s of live log) the waiter wakes
# while the class watches.

set -eu

ROUNDS=${ROUNDS:-5}
PERIOD_MS=${PERIOD_MS:-500}
# The pitfall show watches longer: the hung-task detector needs 2-4 s.
if [ "${1:-}" = -b ]; then DWELL_S=${DWELL_S:-8}; else DWELL_S=${DWELL_S:-4}; fi
here=$(cd "$(dirname "$0")" && pwd)
tmp=/tmp/ck-demo
# shellcheck source=scripts/guest/ck-lib.sh
. "$here/ck-lib.sh"
mkdir -p "$tmp"
trap log_close EXIT
log_open "$tmp/kernel.raw"

say() {
	printf '\n%s\n' "$*"
}

# Print the module's log lines since mark $1 that are not printed yet (with
# $2 "all": every kernel line but our marks); $tmp/shown counts those
# already printed.
show_new() {
	if [ "${2:-}" = all ]; then
		log_since "$1" | grep -v '] ck-run: ' >"$tmp/now" || true
	else
		log_since "$1" | grep "] $name: " >"$tmp/now" || true
	fi
	grep -v 'module verification failed\|loading out-of-tree module' "$tmp/now" >"$tmp/now.f" || true
	mv "$tmp/now.f" "$tmp/now"
	shown=$(cat "$tmp/shown")
	total=$(wc -l <"$tmp/now")
	if [ "$total" -gt "$shown" ]; then
		# The moment of the hand-off: the waiter woken by complete().
		tail -n "$((total - shown))" "$tmp/now" |
			sed 's/^\(.*: waiter: woken: .*\)$/\1\n    ^^^ the waiter wakes: complete() handed the job over/'
		echo "$total" >"$tmp/shown"
	fi
}

# states: one line of the state of each thread named in $threads, and of
# insmod or rmmod while they run, as /proc/PID/status gives it; each
# "NAME STATE" seen is added to $tmp/states.
states() {
	st_line=""
	for st_f in $(tasks_of "$threads insmod rmmod"); do
		st_pid=${st_f#/proc/}
		st_pid=${st_pid%/comm}
		st_n=$(cat "$st_f" 2>/dev/null) || continue
		st=$(sed -n 's/^State:[[:space:]]*//p' "/proc/$st_pid/status" 2>/dev/null) || continue
		[ -n "$st" ] || continue
		st_line="$st_line  $st_n: $st"
		echo "$st_n ${st%% *}" >>"$tmp/states"
	done
	echo "${st_line:-  (no thread of it)}"
}

# observe SECONDS: the states and the new kernel log lines, every second.
observe() {
	w=0
	while [ "$w" -lt "$1" ]; do
		sleep 1
		w=$((w + 1))
		# Lockdep and oopses raise the console's level (console_verbose()):
		# lower it again, or each line shows twice.
		dmesg -n 1 2>/dev/null || true
		show_new "$mark" all
		echo "t+${w}s$(states)"
	done
}

# take DIR: the module folder at hand; sets dir, name (the module) and
# threads (its kthreads' names, from its expected log).
take() {
	dir=${1%/}
	name=$(basename "$dir")
	threads=$(awk -v mode=threads -f "$here/logcheck.awk" "$dir/$name.expected")
}

# The pitfall show: each fixture is loaded as its "# demo:" line says (or
# with ROUNDS and PERIOD_MS; "inject": its fault-injection build), watched
# for DWELL_S seconds, unloaded, and what happened is said at the end.
broken_show() {
	n=0
	for dir in "$@"; do
		n=$((n + 1))
		take "$dir"
		say "=== pitfall $n/$#: $name ==="
		sed 's/^/  /' "$dir/about"
		args="rounds=$ROUNDS period_ms=$PERIOD_MS"
		[ ! -s "$dir/demo" ] || args=$(cat "$dir/demo")
		ko=$dir/$name.ko
		case " $args " in
		*" inject "*)
			ko=$dir/inject/$name.ko
			args=$(echo "$args" | sed 's/\<inject\> *//')
			;;
		esac
		mark="pitfall $name $$"
		kmsg "$mark"
		echo 0 >"$tmp/shown"
		: >"$tmp/states"
		taint0=$(cat /proc/sys/kernel/tainted)
		say "# insmod ${ko#"$dir"/} $args"
		# shellcheck disable=SC2086 # one word a parameter
		(insmod "$ko" $args && echo "insmod: ok" || echo "insmod failed: status $?") &
		observe "$DWELL_S"
		rmmod_said="not loaded (nothing to unload)"
		if is_loaded "$name"; then
			say "# rmmod $name"
			rc=0
			timed_rmmod "$name" "pitfall.$n" 15 "$tmp" || rc=$?
			show_new "$mark" all
			case $rc in
			0) rmmod_said="returned after $(cat "$tmp/rmmod_ms") ms" ;;
			2)
				rmmod_said="still stuck after 15 s"
				echo "rmmod is stuck:$(states)"
				say "# (5 s more: the hung-task detector looks every 2 s)"
				observe 5
				;;
			*) rmmod_said="failed" ;;
			esac
		fi
		log_since "$mark" >"$tmp/all"
		say "=== what the class just saw ($name) ==="
		echo "- thread states seen: $(sort -u "$tmp/states" | awk '{ s[$1] = s[$1] " " $2 } END { for (t in s) { printf "%s%s:%s", sep, t, s[t]; sep = "; " } }')"
		echo "- hung-task reports: $(grep -c 'blocked for more than' "$tmp/all")"
		grep -m 3 -E 'BUG: |Oops|general protection|WARNING: |DEBUG_LOCKS_WARN_ON|INFO: trying to register non-static key|possible recursive locking' \
			"$tmp/all" | sed 's/^/- kernel report: /' || true
		echo "- rmmod: $rmmod_said"
		echo "- taint: $taint0 before, $(cat /proc/sys/kernel/tainted) after (see Documentation/admin-guide/tainted-kernels.rst)"
	done
	say "=== pitfall show done: the VM powers off ==="
}

if [ "${1:-}" = -b ]; then
	shift
	broken_show "$@"
	exit 0
fi

n=0
for dir in "$@"; do
	n=$((n + 1))
	take "$dir"
	say "=== $n/$# $name: $(strings "$dir/$name.ko" | sed -n 's/^description=//p') ==="
	[ ! -s "$dir/lesson" ] || echo "the set-up, the line that differs: $(cat "$dir/lesson")"
	mark="demo $name $$"
	kmsg "$mark"
	echo 0 >"$tmp/shown"

	say "# insmod $name.ko rounds=$ROUNDS period_ms=$PERIOD_MS"
	insmod "$dir/$name.ko" rounds="$ROUNDS" period_ms="$PERIOD_MS"
	sleep 0.2
	show_new "$mark"

	pattern=$(echo "$threads" | awk '{ $1 = $1; gsub(/ /, "|"); print }')
	say "# ps | grep -E '$pattern'"
	# ps, as a learner would type it, rather than pgrep.
	# shellcheck disable=SC2009
	ps | grep -E "$pattern" | grep -v grep || true

	say "# (the kernel log, live, for ${DWELL_S} s)"
	i=0
	while [ "$i" -lt "$(awk -v s="$DWELL_S" 'BEGIN { print int(s * 5) }')" ]; do
		sleep 0.2
		show_new "$mark"
		i=$((i + 1))
	done

	show_new "$mark"
	say "# rmmod $name"
	if timed_rmmod "$name" "demo.$n" 15 "$tmp"; then
		show_new "$mark"
		echo "rmmod took $(cat "$tmp/rmmod_ms") ms"
	else
		echo "rmmod failed or hung"
	fi
	left=""
	for t in $threads; do
		[ -z "$(pids_named "$t")" ] || left="$left $t"
	done
	echo "threads left: ${left:-none}"
done
say "=== demo done ==="
