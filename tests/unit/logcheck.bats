#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The log checker alone (scripts/guest/logcheck.awk), as run-tests.sh uses
# it: a log passes when its canonical form is the expected body and no
# "order:" edge is broken. Each case runs under the host's awk and under
# busybox awk (what the guest runs), which must agree.

# shellcheck disable=SC2016 # code in single quotes is run by another shell
load common

setup() {
	common_setup
	exp=$CK_UNIT_TOP/declare_completion/declare_completion.expected
	vars="rounds=3 period_ms=50 result=6"
	cat >"$BATS_TEST_TMPDIR/good" <<'LOG'
init: starting the signaller and the waiter: 3 rounds of 50 ms
signaller: started
waiter: waiting for the job
signaller: round 1 done
signaller: round 2 done
signaller: round 3 done
signaller: job done, result 6, completing
waiter: woken: the job is done, result 6 after 3 rounds
exit: stopping the signaller
signaller: stopped
exit: stopping the waiter
waiter: stopped
exit: done
LOG
}

# check SCENARIO VARS LOG: run-tests.sh's verdict on LOG with each awk;
# status 0 if both pass it, 1 if both fail it, 2 if they disagree. The
# diff and broken edges are on standard output.
check() {
	local a st=() out
	for a in awk "busybox awk"; do
		out=$BATS_TEST_TMPDIR/${a// /-}
		$a -v mode=body -v scenario="$1" -v vars="$2" -f "$LOGCHECK" "$exp" >"$out.want"
		$a -v mode=canon -v scenario="$1" -v vars="$2" -f "$LOGCHECK" "$exp" "$3" >"$out.got"
		$a -v mode=order -v scenario="$1" -v vars="$2" -f "$LOGCHECK" "$exp" "$3" >"$out.order"
		if diff -u "$out.want" "$out.got" && [ ! -s "$out.order" ]; then
			st+=(0)
		else
			cat "$out.order"
			st+=(1)
		fi
	done
	[ "${st[0]}" = "${st[1]}" ] || return 2
	return "${st[0]}"
}

# edit SED: the good log with SED applied, as a file; its path.
edit() {
	sed "$1" "$BATS_TEST_TMPDIR/good" >"$BATS_TEST_TMPDIR/edited"
	echo "$BATS_TEST_TMPDIR/edited"
}

@test "a correct log of the done case passes" {
	run check "done" "$vars" "$BATS_TEST_TMPDIR/good"
	assert_success
}

@test "the same log passes with the threads interleaved otherwise" {
	run check "done" "$vars" "$(edit '3{h;d};4G')"
	assert_success
}

@test "a line missing fails" {
	run check "done" "$vars" "$(edit '/^signaller: stopped$/d')"
	assert_failure 1
	assert_output --partial "-signaller: stopped"
}

@test "a line out of its thread's order fails" {
	run check "done" "$vars" "$(edit '6{h;d};7G')"
	assert_failure 1
}

@test "an order: edge broken across threads fails" {
	run check "done" "$vars" "$(edit '7{h;d};8G')"
	assert_failure 1
	assert_output --partial "order broken"
}

@test "a truncated log fails" {
	run check "done" "$vars" "$(edit '9,$d')"
	assert_failure 1
}

@test "a wrong value carried by the hand-off fails" {
	run check "done" "$vars" "$(edit 's/result 6 after/result 0 after/')"
	assert_failure 1
	assert_output --partial "+waiter: woken: the job is done, result 0 after 3 rounds"
}

@test "a line no thread should print fails" {
	run check "done" "$vars" "$(edit '5a\
signaller: completing twice')"
	assert_failure 1
}

@test "a \" +\" line needs at least one line" {
	run check "done" "$vars" "$(edit '/round . done/d')"
	assert_failure 1
}

@test "the log of another scenario fails" {
	run check cancel "$vars" "$BATS_TEST_TMPDIR/good"
	assert_failure 1
}

@test "{n} takes digits only" {
	run check "done" "$vars" "$(edit 's/round 2 done/round two done/')"
	assert_failure 1
}

@test "stress: the ending that a log is, or none" {
	printf '%s\n' "init: starting the signaller and the waiter: 3 rounds of 50 ms" \
		"exit: stopping the signaller" "exit: the signaller never ran, completing: job cancelled" \
		"exit: stopping the waiter" "exit: done" >"$BATS_TEST_TMPDIR/neither"
	for a in awk "busybox awk"; do
		run $a -v mode=match -v scenario=stress -v vars="rounds=3 period_ms=50" -f "$LOGCHECK" "$exp" "$BATS_TEST_TMPDIR/neither"
		assert_output "stress:neither"
		run $a -v mode=match -v scenario=stress -v vars="rounds=3 period_ms=50" -f "$LOGCHECK" "$exp" "$BATS_TEST_TMPDIR/good"
		assert_output ""
	done
}

@test "threads: the names the module's threads are given" {
	run awk -v mode=threads -f "$LOGCHECK" "$exp"
	assert_output "dc-waiter dc-signaller"
}
