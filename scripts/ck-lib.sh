# SPDX-License-Identifier: GPL-2.0
#
# ck-lib.sh - shell functions shared by run-tests.sh and demo-vm.sh.
# POSIX sh, sourced; they run on the host and in the VM's busybox.

# Is module $1 loaded?
is_loaded() {
	grep -q "^$1 " /proc/modules
}

# Write a mark line to the kernel log.
kmsg() {
	echo "ck-run: $*" >/dev/kmsg
}

# The kernel log after the line that holds mark $1, timestamps kept.
log_since() {
	dmesg | awk -v m="ck-run: $1" 'seen { print }
		substr($0, length($0) - length(m) + 1) == m { seen = 1 }'
}

# Wait up to WAIT_S seconds for a line holding $2 in the kernel log after
# mark $1; 1 if none comes. Cheap enough to poll on a slow kernel: grep -F
# keeps the mark's line and the wanted ones, the last of them must be wanted.
wait_for_line() {
	tries=0
	until dmesg | grep -F -e "ck-run: $1" -e "$2" | tail -n 1 | grep -qF -- "$2"; do
		[ "$tries" -lt $((${WAIT_S:-30} * 20)) ] || return 1
		sleep 0.05
		tries=$((tries + 1))
	done
}

# Seconds since boot of the first log line holding $2, in log $1.
stamp_of() {
	awk -v m="$2" 'index($0, m) {
		s = $0; sub(/^\[ */, "", s); sub(/\].*/, "", s); print s; exit }' "$1"
}

# The /proc/PID/comm files of the tasks named $1: empty if there are none.
pids_named() {
	grep -lx -- "$1" /proc/[0-9]*/comm 2>/dev/null || true
}

# Wait up to a second for the tasks named $1 to be gone; 1 if they stay.
# (kthread_stop() returns once the thread has exited; its task may take a
# moment more to be reaped.)
wait_gone() {
	tries=0
	while [ -n "$(pids_named "$1")" ]; do
		[ "$tries" -lt 20 ] || return 1
		sleep 0.05
		tries=$((tries + 1))
	done
}

# timed_rmmod NAME TAG TIMEOUT_S DIR: unload module NAME in the background
# and write its rmmod time in ms, read from the kernel log's timestamps, to
# DIR/rmmod_ms. TAG makes the log marks unique. Returns 1 if rmmod failed,
# 2 if it did not return within TIMEOUT_S seconds (it is left running).
timed_rmmod() {
	rmark="rmmod $1 $2"
	(
		kmsg "$rmark start"
		if rmmod "$1"; then rc=0; else rc=$?; fi
		kmsg "$rmark end rc=$rc"
	) &
	bg=$!
	waited=0
	while kill -0 "$bg" 2>/dev/null; do
		if [ "$waited" -ge $(($3 * 20)) ]; then
			return 2
		fi
		sleep 0.05
		waited=$((waited + 1))
	done
	wait "$bg" || true
	dmesg >"$4/rmmod.log"
	t0=$(stamp_of "$4/rmmod.log" "$rmark start")
	t1=$(stamp_of "$4/rmmod.log" "$rmark end")
	if [ -n "$t0" ] && [ -n "$t1" ]; then
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }' >"$4/rmmod_ms"
	else
		echo "-" >"$4/rmmod_ms"
	fi
	grep -q "$rmark end rc=0" "$4/rmmod.log" || return 1
	return 0
}
