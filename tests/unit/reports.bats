#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The charger of kernel reports alone (scripts/guest/reports.awk), with the
# report pattern of ck-lib.sh: each report line goes to the test whose
# window it falls in, or whose thread or module it names. Under the host's
# awk and busybox awk alike.

# shellcheck disable=SC2016 # code in single quotes is run by another shell
load common

setup() {
	common_setup
	# shellcheck source=scripts/guest/ck-lib.sh
	. "$CK_UNIT_TOP/scripts/guest/ck-lib.sh"
	map="dc-waiter:=declare_completion dc-signaller:=declare_completion [declare_completion]=declare_completion ic-waiter:=init_completion [init_completion]=init_completion"
	log=$BATS_TEST_TMPDIR/kernel.log
}

# charge: the rows of $log under both awks, which must agree.
charge() {
	awk -v re="$reports" -v map="$map" -f "$CHARGER" "$log" >"$BATS_TEST_TMPDIR/host"
	busybox awk -v re="$reports" -v map="$map" -f "$CHARGER" "$log" >"$BATS_TEST_TMPDIR/busybox"
	diff "$BATS_TEST_TMPDIR/host" "$BATS_TEST_TMPDIR/busybox" >&2 || return 2
	cat "$BATS_TEST_TMPDIR/host"
}

@test "a clean log charges nothing" {
	printf '%s\n' "[    1.0] ck-run: begin declare_completion done" \
		"[    1.1] declare_completion: init: starting" "[    1.2] ck-run: idle" >"$log"
	run charge
	assert_success
	assert_output ""
}

@test "a report in the middle of a module's window is charged to it" {
	printf '%s\n' "[    1.0] ck-run: begin declare_completion done" \
		"[    1.1] declare_completion: init: starting" \
		"[    1.2] WARNING: CPU: 0 PID: 77 at kernel/kthread.c:100 kthread_stop+0x1/0x2" \
		"[    1.3] declare_completion: exit: done" "[    1.4] ck-run: idle" >"$log"
	run charge
	assert_success
	assert_output "declare_completion kernel-report [    1.2] WARNING: CPU: 0 PID: 77 at kernel/kthread.c:100 kthread_stop+0x1/0x2"
}

@test "a report that names another module's thread is charged to that one" {
	printf '%s\n' "[    1.0] ck-run: begin declare_completion done" \
		"[    1.2] INFO: task ic-waiter:88 blocked for more than 2 seconds." "[    1.4] ck-run: idle" >"$log"
	run charge
	assert_output "init_completion kernel-report [    1.2] INFO: task ic-waiter:88 blocked for more than 2 seconds."
}

@test "a call trace follows the report it belongs to" {
	printf '%s\n' "[    1.0] ck-run: idle" \
		"[    1.1] BUG: sleeping function called from invalid context in dc-waiter:9" \
		"[    1.2] Call Trace:" >"$log"
	run charge
	assert_line --index 0 --partial "declare_completion kernel-report"
	assert_line --index 1 "declare_completion kernel-report [    1.2] Call Trace:"
}

@test "the error-path and stress windows charge their own checks" {
	printf '%s\n' "[    1.0] ck-run: refuse init_completion" "[    1.1] Oops: 0002" \
		"[    1.2] ck-run: stress declare_completion" "[    1.3] WARNING: at x" >"$log"
	run charge
	assert_line --index 0 "init_completion-errors kernel-report [    1.1] Oops: 0002"
	assert_line --index 1 "declare_completion stress [    1.3] WARNING: at x"
}

@test "a report outside every window is the console's" {
	printf '%s\n' "[    0.5] WARNING: at boot" >"$log"
	run charge
	assert_output "kernel console [    0.5] WARNING: at boot"
}

@test "in the soak, a report naming none of its modules is charged to each" {
	printf '%s\n' "[    2.0] ck-run: soak 12 begin declare_completion init_completion" \
		"[    2.5] INFO: task khungtaskd:30 blocked for more than 2 seconds." >"$log"
	run charge
	assert_line --index 0 --partial "declare_completion soak "
	assert_line --index 1 --partial "init_completion soak "
}

@test "a KCSAN report with a frame of a module is one data-race row of that module, in any window" {
	printf '%s\n' "[    1.0] ck-run: begin init_completion done" \
		"[    1.1] ==================================================================" \
		"[    1.2] BUG: KCSAN: data-race in __wake_up_common / waiter_fn" \
		"[    1.3] " "[    1.4] write to 0xffff8880 of 8 bytes by task 90 on cpu 1:" \
		"[    1.5]  __wake_up_common+0x12/0x40" "[    1.6]  signaller_fn+0x50/0x90 [declare_completion]" \
		"[    1.7] read to 0xffff8880 of 8 bytes by task 91 on cpu 0:" \
		"[    1.8]  waiter_fn+0x20/0x80 [declare_completion]" \
		"[    1.9] Call Trace:" \
		"[    2.0] ==================================================================" \
		"[    2.1] ck-run: idle" >"$log"
	run charge
	assert_success
	assert_output "declare_completion data-race [    1.2] BUG: KCSAN: data-race in __wake_up_common / waiter_fn"
}

@test "a KCSAN report in no module's stack is listed, charged to nobody, even in a window" {
	printf '%s\n' "[    1.0] ck-run: begin declare_completion done" \
		"[    1.2] BUG: KCSAN: data-race in tick_sched_do_timer / tick_nohz_next_event" \
		"[    1.4] write to 0xffffffff of 4 bytes by interrupt on cpu 0:" \
		"[    1.5]  tick_sched_do_timer+0x1/0x2" \
		"[    1.6] CPU: 0 PID: 77 Comm: dc-waiter Not tainted" \
		"[    2.0] ==================================================================" \
		"[    2.1] WARNING: CPU: 0 PID: 77 at kernel/kthread.c:100 kthread_stop+0x1/0x2" \
		"[    2.2] ck-run: idle" >"$log"
	run charge
	assert_success
	assert_line --index 0 "kernel listed [    1.2] BUG: KCSAN: data-race in tick_sched_do_timer / tick_nohz_next_event"
	assert_line --index 1 --partial "declare_completion kernel-report [    2.1] WARNING:"
}

@test "a KCSAN report whose module frame is only the code an interrupt cut into is listed" {
	printf '%s\n' "[    1.0] ck-run: begin declare_completion done" \
		"[    1.2] BUG: KCSAN: data-race in __hrtimer_run_queues / hrtimer_active" \
		"[    1.3] read to 0xffff9bc8 of 8 bytes by interrupt on cpu 1:" \
		"[    1.4]  hrtimer_active+0x79/0xf0" \
		"[    1.5]  asm_sysvec_apic_timer_interrupt+0x16/0x20" \
		"[    1.6]  waiter_fn+0xd1/0x156 [declare_completion]" \
		"[    1.7] write to 0xffff9bc8 of 8 bytes by interrupt on cpu 0:" \
		"[    1.8]  __hrtimer_run_queues+0x257/0x570" \
		"[    2.0] ==================================================================" \
		"[    2.1] ck-run: idle" >"$log"
	run charge
	assert_success
	assert_output "kernel listed [    1.2] BUG: KCSAN: data-race in __hrtimer_run_queues / hrtimer_active"
}
