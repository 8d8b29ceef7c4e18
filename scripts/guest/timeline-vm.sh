#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# timeline-vm.sh - make timeline's run in the VM (scripts/timeline.sh): each
# module's hand-off recorded with the kernel's own tracing.
#
#   timeline-vm.sh MODDIR...
#
# For each module, tracefs records from insmod to the end of rmmod:
#   sched_switch, sched_waking, sched_wakeup, sched_wakeup_new and
#       sched_process_exit: when each task runs, sleeps (and in which state),
#       who wakes it and when it exits
#   printk:console: the module's log
#   kprobes ck/complete, ck/wait, ck/kthread_stop: the calls of complete(),
#       wait_for_completion_interruptible() and kthread_stop(), each with
#       its return address (caller=), which tells the module's complete()
#       from the one in the exit path that kthread_stop() waits for; the
#       first two also with the completion's address (obj=) and the stack
#       pointer (sp=), which tell where the completion lives
# and trace_marker lines: the module's text address and size, and the
# address of each of its writable static objects (/proc/kallsyms: .data
# and .bss; a completion is written, so never in .rodata). The job
# is ROUNDS (3) rounds of PERIOD_MS (100) ms; rmmod comes once the waiter
# is woken. trace-cmd extract saves the buffers as trace.dat (what
# trace-cmd report and KernelShark read); it is printed gzipped in base64
# between "ck-trace: begin NAME" and "ck-trace: end NAME".

set -eu

ROUNDS=${ROUNDS:-3}
PERIOD_MS=${PERIOD_MS:-100}
here=$(cd "$(dirname "$0")" && pwd)
tmp=/tmp/ck-timeline
tr=/sys/kernel/tracing
# shellcheck source=scripts/guest/ck-lib.sh
. "$here/ck-lib.sh"
mkdir -p "$tmp"
trap log_close EXIT
log_open "$tmp/kernel.raw"

fail() {
	echo "ck-trace: error: $*"
	exit 1
}

[ -e "$tr/trace" ] || mount -t tracefs tracefs "$tr" || fail "cannot mount tracefs"
# The events; the kprobes (ck/*) are added by trace_setup.
events="sched/sched_switch sched/sched_waking sched/sched_wakeup sched/sched_wakeup_new
	sched/sched_process_exit printk/console ck"

# trace_setup: the kprobes and the events, set again for each module:
# trace-cmd extract turns the events off when it is done.
trace_setup() {
	echo 0 >"$tr/tracing_on"
	for e in $events; do
		[ ! -e "$tr/events/$e/enable" ] || echo 0 >"$tr/events/$e/enable"
	done
	echo 2048 >"$tr/buffer_size_kb"
	# $stack0 is the return address at a function's entry, %di the first
	# argument, $stack the stack pointer (x86-64).
	cat >"$tr/kprobe_events" <<'EOF' || fail "cannot set the kprobes"
p:ck/complete complete caller=$stack0:x64 obj=%di:x64 sp=$stack:x64
p:ck/wait wait_for_completion_interruptible caller=$stack0:x64 obj=%di:x64 sp=$stack:x64
p:ck/kthread_stop kthread_stop caller=$stack0:x64
EOF
	for e in $events; do
		echo 1 >"$tr/events/$e/enable" || fail "cannot enable event $e"
	done
	echo >"$tr/trace"
}

# Where printk's console event fires for every line (6.1), the console
# stays quiet; where it fires only for the lines printed on the console
# (5.10), the module's lines go to the console while it runs, which slows
# the module's threads down (a serial console under TCG).
trace_setup
echo 1 >"$tr/tracing_on"
echo "<6>ck-timeline: console event probe" >/dev/kmsg
echo 0 >"$tr/tracing_on"
console_level=1
grep -q 'console event probe' "$tr/trace" || console_level=7

for dir in "$@"; do
	dir=${dir%/}
	name=$(basename "$dir")
	mark="timeline $name $$"
	trace_setup
	kmsg "$mark"
	[ "$console_level" = 1 ] || dmesg -n "$console_level"
	echo 1 >"$tr/tracing_on"
	insmod "$dir/$name.ko" rounds="$ROUNDS" period_ms="$PERIOD_MS" || fail "insmod $name failed"
	text=$(cat "/sys/module/$name/sections/.text")
	size=$(awk -v m="$name" '$1 == m { print $2 }' /proc/modules)
	echo "ck: module $name text $text size $size" >"$tr/trace_marker"
	WAIT_S=30 wait_for_line "$mark" "$name: " "waiter: woken" ||
		{ rmmod "$name"; fail "$name: the waiter was not woken within 30 s"; }
	# The module's static objects, read once the hand-off is over: under
	# TCG, reading /proc/kallsyms takes seconds, which would slow it down.
	awk -v m="$name" '$4 == "[" m "]" && $2 ~ /^[bBdD]$/ { print "ck: symbol " m " " $3 " 0x" $1 " " $2 }' \
		/proc/kallsyms | while read -r line; do echo "$line" >"$tr/trace_marker"; done
	rmmod "$name" || fail "rmmod $name failed"
	echo 0 >"$tr/tracing_on"
	dmesg -n 1
	rm -f "$tmp/trace.dat"
	(cd "$tmp" && /usr/bin/trace-cmd extract -o trace.dat >/dev/null 2>&1) || fail "trace-cmd extract failed"
	echo "ck-trace: begin $name $(wc -c <"$tmp/trace.dat")"
	gzip -c "$tmp/trace.dat" | base64
	echo "ck-trace: end $name"
done
