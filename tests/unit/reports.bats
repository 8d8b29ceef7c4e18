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
