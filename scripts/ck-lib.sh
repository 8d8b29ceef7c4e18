# SPDX-License-Identifier: GPL-2.0
#
# ck-lib.sh - shell functions shared by run-tests.sh and demo-vm.sh.
# POSIX sh, sourced; they run on the host and in the VM's busybox.

# Is module $1 loaded?
is_loaded() {
	grep -q "^$1 " /proc/modules
}

# The kernel log, read as it comes. log_open FILE starts a reader that
# copies /dev/kmsg's records, one a line ("LEVEL,SEQ,USEC,FLAGS;TEXT"), to
# FILE; kmsg notes FILE's size with each mark in FILE.marks, so a search
# from a mark reads only what came after it. (A dmesg a poll reads the whole
# log, 8 MB kept in the VM: on the debug kernel that cost minutes a module.)
# log_close stops the reader.
log_open() {
	klog=$1
	: >"$klog"
	: >"$klog.marks"
	cat /dev/kmsg >>"$klog" &
	klog_pid=$!
	log_sync
}
log_close() {
	[ -z "${klog_pid:-}" ] || kill "$klog_pid" 2>/dev/null || true
	klog_pid=""
}

# Write a mark line to the kernel log.
kmsg() {
	echo "$(stat -c %s "$klog") $*" >>"$klog.marks"
	echo "ck-run: $*" >/dev/kmsg
}

# The offset in the log file from which mark $1 is to be found.
mark_off() {
	awk -v m="$1" '{ o = $1; sub(/^[0-9]+ /, "") } $0 == m { off = o }
		END { print off + 0 }' "$klog.marks"
}

# The log file from mark $1 on, raw.
log_raw() {
	tail -c +$(($(mark_off "$1") + 1)) "$klog"
}

# Wait until the reader has copied all that is in the kernel log now: a
# mark written now is in the file. 1 if it stops (after 10 s).
log_sync() {
	# Numbered by the marks so far: unique even from a subshell.
	sync_n=$(($(wc -l <"$klog.marks") + 1))
	kmsg "sync $sync_n"
	tries=0
	until log_raw "sync $sync_n" | grep -qF ";ck-run: sync $sync_n"; do
		if [ "$tries" -ge 200 ]; then
			echo "ck-lib.sh: the kernel log reader (cat /dev/kmsg) has stopped" >&2
			return 1
		fi
		sleep 0.05
		tries=$((tries + 1))
	done
}

# The kernel log from the line that holds mark $1 on, formatted as dmesg
# prints it ("[seconds.micros] text").
log_from() {
	log_sync
	log_raw "$1" | awk '/^ / { next } {
		i = index($0, ";"); split(substr($0, 1, i - 1), h, ",")
		printf "[%5d.%06d] %s\n", int(h[3] / 1000000), h[3] % 1000000, substr($0, i + 1) }'
}

# The kernel log after the line that holds mark $1, timestamps kept.
log_since() {
	log_from "$1" | awk -v m="ck-run: $1" 'seen { print }
		substr($0, length($0) - length(m) + 1) == m { seen = 1 }'
}

# Wait up to WAIT_S seconds for a line holding $2 in the kernel log after
# mark $1; 1 if none comes. grep -F keeps the mark's line and the wanted
# ones, the last of them must be wanted.
wait_for_line() {
	tries=0
	until log_raw "$1" | grep -F -e "ck-run: $1" -e "$2" | tail -n 1 | grep -qF -- "$2"; do
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
	log_from "$rmark start" >"$4/rmmod.log"
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
