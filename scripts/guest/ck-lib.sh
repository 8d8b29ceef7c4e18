# SPDX-License-Identifier: GPL-2.0
#
# ck-lib.sh - shell functions shared by the scripts of the guest.
# POSIX sh, sourced; they run on the host and in the VM's busybox.

# die MESSAGE: MESSAGE on standard error after the script's name, exit 2.
die() {
	echo "${0##*/}: $*" >&2
	exit 2
}

# Is module $1 loaded?
is_loaded() {
	grep -q "^$1 " /proc/modules
}

# The kernel log, read as it comes. log_open FILE starts a reader that
# copies /dev/kmsg's records, one a line ("LEVEL,SEQ,USEC,FLAGS;TEXT"), to
# FILE; kmsg notes FILE's size with each mark in FILE.marks, so a search
# from a mark reads only what came after it, not the whole log as dmesg
# does. log_close stops the reader.
#
# Processes are what cost: on the debug kernel under TCG each one takes
# about 0.2 s, so the polls below start as few as they can, and nap pauses
# without one where the shell's read has -t (busybox ash: a read from a
# FIFO that nobody writes), with sleep elsewhere (dash on a host).
log_open() {
	klog=$1
	: >"$klog"
	: >"$klog.marks"
	nap_fifo=""
	# shellcheck disable=SC3045 # probed: status 1 (EOF) where -t exists
	if (read -r -t 0.01 _ </dev/null) 2>/dev/null; then
		:
	elif [ $? = 1 ] && rm -f "$klog.nap" && mkfifo "$klog.nap"; then
		exec 4<>"$klog.nap"
		nap_fifo=$klog.nap
	fi
	cat /dev/kmsg >>"$klog" &
	klog_pid=$!
	log_sync
}
log_close() {
	[ -z "${klog_pid:-}" ] || kill "$klog_pid" 2>/dev/null || true
	klog_pid=""
}

# nap SECONDS: pause (see log_open).
nap() {
	if [ -n "${nap_fifo:-}" ]; then
		# shellcheck disable=SC3045 # only where log_open found -t
		read -r -t "$1" _ <&4 || true
	else
		sleep "$1"
	fi
}

# uptime_cs: set cs to the uptime in hundredths of a second, with no
# process (read is built in): a wait bounded by it lasts its seconds
# however long each poll takes.
uptime_cs() {
	IFS=' .' read -r u_s u_c _ </proc/uptime
	# shellcheck disable=SC2034 # read by the callers
	cs=$((u_s * 100 + ${u_c#0}))
}

# Write a mark line to the kernel log that nothing searches from.
kmark() {
	echo "ck-run: $*" >/dev/kmsg
}

# Write a mark line to the kernel log. The last mark and its offset are
# kept (last_mark, last_off): most searches are from the mark just written.
kmsg() {
	last_off=$(stat -c %s "$klog")
	last_mark=$*
	echo "$last_off $*" >>"$klog.marks"
	echo "ck-run: $*" >/dev/kmsg
}

# Set moff to the offset in the log file from which mark $1 is to be found.
mark_off() {
	if [ "$1" = "${last_mark:-}" ]; then
		moff=$last_off
	else
		moff=$(awk -v m="$1" '{ o = $1; sub(/^[0-9]+ /, "") } $0 == m { off = o }
			END { print off + 0 }' "$klog.marks")
	fi
}

# Wait until the reader has copied all that is in the kernel log now: a
# mark written now is in the file. 1 if it stops (after 10 s).
log_sync() {
	# Numbered by the marks so far: unique even from a subshell.
	sync_n=$(($(wc -l <"$klog.marks") + 1))
	sync_off=$(stat -c %s "$klog")
	echo "$sync_off sync $sync_n" >>"$klog.marks"
	echo "ck-run: sync $sync_n" >/dev/kmsg
	tries=0
	until tail -c +$((sync_off + 1)) "$klog" | grep -qF ";ck-run: sync $sync_n"; do
		file_tick "the kernel log reader (cat /dev/kmsg) has stopped" || return 1
	done
}

# file_tick MESSAGE: one more try ($tries) of a wait for the log file to
# catch up, which takes well under 10 s: after 200, MESSAGE and 1.
file_tick() {
	if [ "$tries" -ge 200 ]; then
		echo "ck-lib.sh: $1" >&2
		return 1
	fi
	nap 0.05
	tries=$((tries + 1))
}

# The kernel log from the line that holds mark $1 on, formatted as dmesg
# prints it ("[seconds.micros] text"), once all logged so far is read
# (log_sync; not if $2 is "synced": the caller has just waited for a line).
log_from() {
	[ "${2:-}" = synced ] || log_sync
	mark_off "$1"
	tail -c +$((moff + 1)) "$klog" | awk '/^ / { next } {
		i = index($0, ";"); split(substr($0, 1, i - 1), h, ",")
		printf "[%5d.%06d] %s\n", int(h[3] / 1000000), h[3] % 1000000, substr($0, i + 1) }'
}

# The kernel log after the line that holds mark $1, timestamps kept.
log_since() {
	log_from "$@" | awk -v m="ck-run: $1" 'seen { print }
		substr($0, length($0) - length(m) + 1) == m { seen = 1 }'
}

# Wait up to WAIT_S seconds for a line holding $2 in the kernel log after
# mark $1, and $3 after it if given ("NAME: " then the text: the module's
# own line); 1 if none comes. The last of the mark's line and the wanted
# ones must be wanted.
wait_for_line() {
	mark_off "$1"
	tries=0
	until tail -c +$((moff + 1)) "$klog" | awk -v m=";ck-run: $1" -v w="$2" -v w2="${3:-}" '
		substr($0, length($0) - length(m) + 1) == m { found = 0; next }
		(i = index($0, w)) && (w2 == "" || index(substr($0, i + length(w)), w2)) { found = 1 } END { exit !found }'; do
		[ "$tries" -lt $((${WAIT_S:-30} * 20)) ] || return 1
		nap 0.05
		tries=$((tries + 1))
	done
}

# The /proc/PID/comm files of the tasks named $1: empty if there are none.
pids_named() {
	grep -lx -- "$1" /proc/[0-9]*/comm 2>/dev/null || true
}

# Is $2 one of the lines of $1?
has_line() {
	case "
$1
" in *"
$2
"*) return 0 ;; esac
	return 1
}

# Set running to those of the thread names $1 that have a task now (one
# grep for all of them), but for the tasks of list $2 (their
# /proc/PID/comm files, from tasks_of).
running_of() {
	running=""
	ro_args=""
	for ro_t in $1; do
		ro_args="$ro_args -e $ro_t"
	done
	[ -n "$ro_args" ] || return 0
	if [ -z "${2:-}" ]; then
		# shellcheck disable=SC2086 # one word a name
		running=$(grep -hx $ro_args /proc/[0-9]*/comm 2>/dev/null) || true
		return 0
	fi
	# shellcheck disable=SC2086 # one word a name
	ro_files=$(grep -lx $ro_args /proc/[0-9]*/comm 2>/dev/null) || true
	while read -r ro_f; do
		if [ -z "$ro_f" ] || has_line "$2" "$ro_f"; then
			continue
		fi
		# The task may have gone since grep saw it.
		ro_n=$(cat "$ro_f" 2>/dev/null) || continue
		running="$running${running:+
}$ro_n"
	done <<EOF
$ro_files
EOF
}

# The /proc/PID/comm files of the tasks named one of $1, one a line.
tasks_of() {
	to_args=""
	for to_t in $1; do
		to_args="$to_args -e $to_t"
	done
	[ -z "$to_args" ] && return 0
	# shellcheck disable=SC2086 # one word a name
	grep -lx $to_args /proc/[0-9]*/comm 2>/dev/null || true
}

# Wait up to a second for the tasks named in $1 to be gone, but for those of
# list $2 (tasks_of); the names still there in "running", and 1, if some
# stay. (kthread_stop() returns once the thread has exited; its task may
# take a moment more to be reaped.)
wait_gone() {
	tries=0
	running_of "$1" "${2:-}"
	while [ -n "$running" ]; do
		[ "$tries" -lt 20 ] || return 1
		nap 0.05
		tries=$((tries + 1))
		running_of "$1" "${2:-}"
	done
}

# timed_rmmod NAME TAG TIMEOUT_S DIR: unload module NAME in the background
# and write its rmmod time in ms, read from the kernel log's timestamps, to
# DIR/rmmod_ms, and the log after the caller's last mark (kmsg), timestamps
# kept, to DIR/since.log. TAG makes the log marks unique. Returns 1 if
# rmmod failed, 2 if it did not return within TIMEOUT_S seconds (it is left
# running).
timed_rmmod() {
	rmark="rmmod $1 $2"
	: >"$4/since.log"
	(
		kmark "$rmark start"
		if rmmod "$1"; then rc=0; else rc=$?; fi
		kmark "$rmark end rc=$rc"
	) &
	bg=$!
	waited=0
	while kill -0 "$bg" 2>/dev/null; do
		if [ "$waited" -ge $(($3 * 20)) ]; then
			return 2
		fi
		nap 0.05
		waited=$((waited + 1))
	done
	wait "$bg" || true
	# The end mark is written once rmmod has returned: once it is in the
	# file, so is all the module logged. One pass formats the log, takes
	# the time and reads rmmod's status: 0 ok, 1 failed, 3 not there yet.
	tries=0
	while :; do
		rc=0
		tail -c +$((${last_off:-0} + 1)) "$klog" | awk -v m=";ck-run: ${last_mark:-}" \
			-v s=";ck-run: $rmark start" -v e=";ck-run: $rmark end rc=" \
			-v out="$4/since.log" -v ms="$4/rmmod_ms" '
			BEGIN { seen = m == ";ck-run: "; printf "" >out }
			/^ / { next }
			{ i = index($0, ";"); split(substr($0, 1, i - 1), h, ",")
			  t = h[3] / 1000000; text = substr($0, i + 1) }
			seen { printf "[%5d.%06d] %s\n", int(t), h[3] % 1000000, text >out }
			!seen && substr($0, length($0) - length(m) + 1) == m { seen = 1 }
			index($0, s) && t0 == "" { t0 = t }
			index($0, e) && t1 == "" { t1 = t; ok = index($0, e "0") > 0 }
			END { if (t1 == "") exit 3
			      if (t0 != "") printf "%.3f\n", (t1 - t0) * 1000 >ms
			      else print "-" >ms
			      exit !ok }' || rc=$?
		[ "$rc" = 3 ] || return "$rc"
		file_tick "rmmod $1 returned but its end mark never reached the log file" || return 1
	done
}

# What a kernel report starts with (awk/grep -E). Lockdep, KASAN, ODEBUG
# and soft-lockup reports start with WARNING: or BUG:; a hung task with
# "INFO: task ... blocked for more than"; UBSAN, RCU stalls, kmemleak and
# hard lockups with their own words.
# shellcheck disable=SC2034 # read by run-tests.sh and api-tests.sh
reports='WARNING:|BUG:|Oops|[Cc]all [Tt]race|blocked for more than|non-static key|turning off the locking correctness validator|general protection fault|ODEBUG: |UBSAN:|detected stall|hard LOCKUP|suspected memory leak|Kernel panic'

# The kernel's taint flags and lockdep's switch (empty without lockdep).
taint_now() {
	cat /proc/sys/kernel/tainted 2>/dev/null || echo 0
}
locks_now() {
	awk '/debug_locks:/ { print $2 }' /proc/lockdep_stats 2>/dev/null || true
}
# The taint flags from bit 0 up, a letter and a reason a line, in the
# words of the kernel's Documentation/admin-guide/tainted-kernels.rst (6.1).
taint_flags='P proprietary module was loaded
F module was force loaded
S kernel running on an out of specification system
R module was force unloaded
M processor reported a Machine Check Exception (MCE)
B bad page referenced or some unexpected page flags
U taint requested by userspace application
D kernel died recently, i.e. there was an OOPS or BUG
A ACPI table overridden by user
W kernel issued warning
C staging driver was loaded
I workaround for bug in platform firmware applied
O externally-built ("out-of-tree") module was loaded
E unsigned module was loaded
L soft lockup occurred
K kernel has been live patched
X auxiliary taint, defined for and used by distros
T kernel was built with the struct randomization plugin
N an in-kernel test has been run'
# The letters of taint mask $1 (as in /proc/sys/kernel/tainted's doc).
taint_letters() {
	echo "$taint_flags" | awk -v t="$1" '{ if (t % 2) s = s $1; t = int(t / 2) } END { print s }'
}
# taint_words MASK: each flag of MASK, "LETTER (bit N): reason" a line; a
# bit the table does not have as "? (bit N)".
taint_words() {
	echo "$taint_flags" | awk -v t="$1" '{ if (t % 2) printf "%s (bit %d): %s\n", $1, NR - 1, substr($0, 3); t = int(t / 2) }
		END { for (b = NR; t >= 1; b++) { if (t % 2) printf "? (bit %d)\n", b; t = int(t / 2) } }'
}
