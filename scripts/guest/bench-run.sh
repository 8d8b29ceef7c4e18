#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-run.sh - one run of completion_bench: in the VM (make bench, from
# vm-init.sh) or on the running kernel (sudo make bench-host, bench.sh).
#
#   bench-run.sh KO OUTDIR
#   bench-run.sh --kill KO OUTDIR
#   bench-run.sh --hotplug KO OUTDIR
#
# Loads KO (with rounds=ROUNDS if set; insmod returns when the module has
# timed its hand-offs), copies its debugfs samples file to
# OUTDIR/samples.tsv and its kernel log lines to OUTDIR/log.txt, and
# unloads it. Exit 2, with the reason, if the load or the unload fails,
# the samples cannot be read, or the kernel reports a problem (a WARNING,
# BUG, hung task, ...) meanwhile. The module is never left loaded.
#
# --kill: load KO for a run of KILL_ROUNDS (1000000) rounds, minutes in
# the VM, and once its threads run, kill -9 the insmod. The module must
# stop its run at once (insmod gone within KILL_S, 5 s), not be loaded,
# and log "stopped: -4" (EINTR), with no report from the kernel. An insmod
# that outlives the kill is left to the VM's poweroff.
#
# --hotplug (a VM with 2 CPUs): load KO for a run of KILL_ROUNDS rounds and,
# once its threads run, take CPU 1 offline. That must return within
# HOTPLUG_S (10 s): a run must not hold the CPU hotplug lock. The run must
# then stop (insmod fails within KILL_S, "a CPU went offline" in the log),
# with no report from the kernel; CPU 1 is brought back online.

set -eu

ROUNDS=${ROUNDS:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/guest/ck-lib.sh
. "$here/ck-lib.sh"

kill_test=""
hotplug_test=""
case ${1:-} in
--kill) kill_test=1 && shift ;;
--hotplug) hotplug_test=1 && shift ;;
esac
[ $# = 2 ] || die "usage: bench-run.sh [--kill|--hotplug] KO OUTDIR"
ko=$1
out=$2
name=$(basename "$ko" .ko)
dbg=/sys/kernel/debug
[ -f "$ko" ] || die "$ko not found"
! is_loaded "$name" || die "$name is loaded already: rmmod $name first"
[ -d "$dbg/$name" ] || grep -q " $dbg debugfs " /proc/mounts ||
	mount -t debugfs debugfs "$dbg" || die "debugfs is not mounted at $dbg and cannot be"
mkdir -p "$out"
log_open "$out/kernel.raw"
trap 'is_loaded "$name" && rmmod "$name"; log_close' EXIT
mark="bench $name $$"
kmsg "$mark"
# long_run: insmod KO for KILL_ROUNDS rounds in the background (its PID in
# pid), until its threads run.
long_run() {
	insmod "$ko" rounds="${KILL_ROUNDS:-1000000}" 2>/dev/null &
	pid=$!
	tries=0
	until grep -qx "ck_bench_b" /proc/[0-9]*/comm 2>/dev/null; do
		file_tick "$name's threads did not start" || { wait "$pid" || true; die "$name's threads did not start"; }
	done
}
# gone_within PID S: 0 once process PID has ended, within S seconds; the
# tenths of a second waited in n.
gone_within() {
	n=0
	while kill -0 "$1" 2>/dev/null && [ "$n" -lt $(($2 * 10)) ]; do
		nap 0.1
		n=$((n + 1))
	done
	! kill -0 "$1" 2>/dev/null
}
if [ -n "$hotplug_test" ]; then
	cpu1=/sys/devices/system/cpu/cpu1/online
	[ -w "$cpu1" ] || die "no $cpu1: this machine cannot take CPU 1 offline"
	[ "$(cat "$cpu1")" = 1 ] || die "CPU 1 is offline before the test"
	long_run
	(echo 0 >"$cpu1") 2>"$out/offline.err" &
	off=$!
	if ! gone_within "$off" "${HOTPLUG_S:-10}"; then
		# Stop the run, which lets the offline go through.
		kill -9 "$pid" 2>/dev/null || true
		wait "$off" || true
		echo 1 >"$cpu1" || true
		die "taking CPU 1 offline during a run did not return within ${HOTPLUG_S:-10} s: the run holds the CPU hotplug lock"
	fi
	off_s="$((n / 10)).$((n % 10))"
	wait "$off" || die "echo 0 > $cpu1 failed: $(cat "$out/offline.err")"
	if ! gone_within "$pid" "${KILL_S:-5}"; then
		kill -9 "$pid" 2>/dev/null || true
		echo 1 >"$cpu1" || true
		die "the run went on for ${KILL_S:-5} s after CPU 1 went offline"
	fi
	rc=0
	wait "$pid" || rc=$?
	echo 1 >"$cpu1" || die "cannot bring CPU 1 back online"
	[ "$rc" != 0 ] || die "insmod succeeded: a run whose CPU went offline gave figures"
	! is_loaded "$name" || die "$name is loaded after a failed insmod"
	log_since "$mark" >"$out/log.txt"
	if grep -E "$reports" "$out/log.txt" >&2; then
		die "the kernel reported a problem during the run: $out/log.txt"
	fi
	grep -q "$name: a CPU went offline during the run" "$out/log.txt" ||
		die "no 'a CPU went offline during the run' from $name: $out/log.txt"
	echo "bench-run.sh: $name: CPU 1 went offline during a run in $off_s s; the run stopped"
	exit 0
fi
if [ -n "$kill_test" ]; then
	long_run
	kill -9 "$pid"
	n=0
	while kill -0 "$pid" 2>/dev/null && [ "$n" -lt $((${KILL_S:-5} * 10)) ]; do
		nap 0.1
		n=$((n + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		# What the kernel says of it meanwhile (the hung-task
		# detector's report comes 2-4 s into a D state).
		n=0
		until log_since "$mark" | grep -qE "$reports" || [ "$n" -ge 50 ]; do
			nap 0.1
			n=$((n + 1))
		done
		log_since "$mark" | grep -E "$reports" >&2 &&
			echo "bench-run.sh: the kernel reported a problem during the run" >&2
		die "insmod outlived kill -9 by ${KILL_S:-5} s: the run did not stop"
	fi
	wait "$pid" || true
	! is_loaded "$name" || die "$name is loaded after insmod was killed"
	log_since "$mark" >"$out/log.txt"
	if grep -E "$reports" "$out/log.txt" >&2; then
		die "the kernel reported a problem during the run: $out/log.txt"
	fi
	grep -q "$name: stopped: -4" "$out/log.txt" || die "no 'stopped: -4' from $name: $out/log.txt"
	echo "bench-run.sh: $name: kill -9 of insmod stopped the run within $((n / 10)).$((n % 10)) s"
	exit 0
fi
insmod "$ko" ${ROUNDS:+rounds="$ROUNDS"} || die "insmod $ko ${ROUNDS:+rounds=$ROUNDS }failed (the kernel log: dmesg)"
cat "$dbg/$name/samples" >"$out/samples.tsv" || die "cannot read $dbg/$name/samples"
rmmod "$name" || die "rmmod $name failed"
log_since "$mark" >"$out/log.txt"
rm -f "$out/kernel.raw" "$out/kernel.raw.marks" "$out/kernel.raw.nap"
if grep -E "$reports" "$out/log.txt" >&2; then
	die "the kernel reported a problem during the run: $out/log.txt"
fi
grep -q "$name: completion: median" "$out/log.txt" || die "no summary from $name in the kernel log: $out/log.txt"
echo "bench-run.sh: $name: $(($(wc -l <"$out/samples.tsv") - 1)) hand-offs timed, in $out"
