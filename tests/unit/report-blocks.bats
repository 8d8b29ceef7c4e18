#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# What make grade shows of a failed run (scripts/grade.sh): the kernel's
# reports in a console, each whole, to the end of its call trace
# (scripts/lib/report-blocks.awk, with ck-lib.sh's report pattern), and the
# taint flags in words (ck-lib.sh's taint_words). The host's awk.

# shellcheck disable=SC2016 # code in single quotes is run by another shell
load common

setup() {
	common_setup
	# shellcheck source=scripts/guest/ck-lib.sh
	. "$CK_UNIT_TOP/scripts/guest/ck-lib.sh"
	console=$BATS_TEST_TMPDIR/console
	# The runner's lines, then the kernel's log: a hung rmmod reported
	# twice (5.10's trace ends in user space's registers, 6.1's in
	# </TASK>), then a warning.
	printf '%s\n' "# prompt_unload: kernel report: INFO: task rmmod:95 blocked for more than 2 seconds." \
		"ck-vm: end rc=1" "ck-vm: dmesg begin" \
		"[    0.000000] Linux version 5.10.0-35-amd64" \
		"[   30.100000] ck-run: begin prompt_unload cancel" \
		"[   33.200000] INFO: task rmmod:95 blocked for more than 2 seconds." \
		"[   33.200001]       Tainted: G           OE     5.10.0-35-amd64 #1" \
		"[   33.200003] task:rmmod           state:D stack:    0 pid:   95 ppid:    90 flags:0x00004000" \
		"[   33.200004] Call Trace:" \
		"[   33.200005]  __schedule+0x282/0x870" \
		"[   33.200010]  kthread_stop+0x6a/0x110" \
		"[   33.200011]  handoff_exit+0x2a/0x4c [prompt_unload]" \
		"[   33.200015] RIP: 0033:0x7f0e0f3b0b57" \
		"[   33.200017] RAX: ffffffffffffffda RBX: 0000000000000000 RCX: 00007f0e0f3b0b57" \
		"[   33.200018] prompt_unload: signaller: stopped after 0 of 3 rounds, completing: job cancelled" \
		"[   35.200000] INFO: task rmmod:95 blocked for more than 4 seconds." \
		"[   35.200004] Call Trace:" \
		"[   35.200005]  <TASK>" \
		"[   35.200006]  kthread_stop+0x6a/0x110" \
		"[   35.200007]  </TASK>" \
		"[   35.200008] prompt_unload: waiter: woken" \
		"[   36.200000] WARNING: CPU: 0 PID: 1 at kernel/kthread.c:100 kthread_stop+0x1/0x2" \
		"[   36.200004] Call Trace:" \
		"[   36.200005]  kthread_stop+0x1/0x2" \
		"[   36.200006] ---[ end trace 0000000000000000 ]---" \
		"ck-vm: dmesg end" >"$console"
}

blocks() {
	awk -v re="$reports" "$@" -f "$CK_UNIT_TOP/scripts/lib/report-blocks.awk" "$console"
}

@test "a report is shown to the end of its call trace, and no further" {
	run blocks -v max=1
	assert_success
	assert_output "console line 6:
[   33.200000] INFO: task rmmod:95 blocked for more than 2 seconds.
[   33.200001]       Tainted: G           OE     5.10.0-35-amd64 #1
[   33.200003] task:rmmod           state:D stack:    0 pid:   95 ppid:    90 flags:0x00004000
[   33.200004] Call Trace:
[   33.200005]  __schedule+0x282/0x870
[   33.200010]  kthread_stop+0x6a/0x110
[   33.200011]  handoff_exit+0x2a/0x4c [prompt_unload]
[   33.200015] RIP: 0033:0x7f0e0f3b0b57
[   33.200017] RAX: ffffffffffffffda RBX: 0000000000000000 RCX: 00007f0e0f3b0b57
2 more report(s) from console line 16"
}

@test "a trace ends at </TASK> or at its end-of-trace line; the runner's lines are not read" {
	run blocks -v max=3
	assert_success
	assert_line --index 10 "console line 16:"
	assert_line --index 15 "[   35.200007]  </TASK>"
	assert_line --index 16 "console line 22:"
	assert_line --index 20 "[   36.200006] ---[ end trace 0000000000000000 ]---"
	refute_output --partial "waiter: woken"
	refute_output --partial "# prompt_unload"
	[ "${#lines[@]}" = 21 ]
}

@test "a long report is cut, and says where the rest is" {
	run blocks -v max=1 -v lines=6
	assert_line --index 7 "(cut at 6 lines: the rest from console line 12)"
}

@test "the taint flags in words: O and E, and a bit the table lacks" {
	run taint_words 12288
	assert_output 'O (bit 12): externally-built ("out-of-tree") module was loaded
E (bit 13): unsigned module was loaded'
	run taint_words $((512 + 1048576))
	assert_output "W (bit 9): kernel issued warning
? (bit 20)"
	run taint_letters 12800
	assert_output WOE
}

@test "without a dmesg section, an oops on the console is shown whole, without the runner's lines among it" {
	printf '%s\n' "# keep_waiters: saw what keep_waiters.expected does not say" \
		"[   17.576327] invalid opcode: 0000 [#1] SMP NOPTI" \
		"[   17.577227] RIP: 0010:__list_del_entry_valid.cold+0x31/0x69" \
		"# result: module=keep_waiters result=fail fails=reinit-waiting" \
		"[   17.579179] Call Trace:" \
		"[   17.579179]  __finish_swait+0x30/0x60" \
		"ck-vm: api-tests.sh stuck after 40 s: given up" >"$console"
	run blocks
	assert_output "console line 2:
[   17.576327] invalid opcode: 0000 [#1] SMP NOPTI
[   17.577227] RIP: 0010:__list_del_entry_valid.cold+0x31/0x69
[   17.579179] Call Trace:
[   17.579179]  __finish_swait+0x30/0x60"
}
