#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The KTAP writer alone (scripts/lib/ktap.sh), under dash and busybox sh:
# its lines, its counts, its status, and what the kernel's parser
# (kunit.py, when linux-source-6.1 is here) reads from them.

# shellcheck disable=SC2016 # code in single quotes is run by another shell
load common

setup() {
	common_setup
	KTAP=$CK_UNIT_TOP/scripts/lib/ktap.sh
	# A run of two subtests, the second skipped whole.
	prog='. "$1"
		ktap_header 2
		ktap_header 3 "    " k1
		ktap_case "    " 1 a pass
		ktap_case "    " 2 b fail
		ktap_case "    " 3 c skip "no tool"
		ktap_suite "" 1 k1 1
		ktap_case "" 2 k2 skip "not here"
		ktap_summary'
}

@test "the stream, line by line, under sh and busybox sh" {
	for sh in sh "busybox sh"; do
		run $sh -c "$prog" sh "$KTAP"
		assert_failure 1
		assert_output "KTAP version 1
1..2
    KTAP version 1
    # Subtest: k1
    1..3
    ok 1 a
    not ok 2 b
    ok 3 c # SKIP no tool
not ok 1 k1
ok 2 k2 # SKIP not here
1 passed, 1 failed, 2 skipped"
	done
}

@test "a run without failures ends with status 0 and no skip count" {
	for sh in sh "busybox sh"; do
		run $sh -c '. "$1"; ktap_header 1; ktap_case "" 1 a pass; ktap_summary' sh "$KTAP"
		assert_success
		assert_line --index 3 "1 passed, 0 failed"
	done
}

@test "a subtest's own line is not a case: only leaves are counted" {
	run sh -c '. "$1"; ktap_header 1 "    " s; ktap_case "    " 1 a pass; ktap_suite "" 1 s 0; ktap_summary' sh "$KTAP"
	assert_line "ok 1 s"
	assert_line "1 passed, 0 failed"
}

@test "kunit.py parse reads the stream with the counts of its last line" {
	kunit=${CK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/completion-kthreads}/kunit-6.1/tools/testing/kunit/kunit.py
	[ -f "$kunit" ] || skip "no kunit.py (tests/harness/ktap-test.sh unpacks it)"
	sh -c "$prog" sh "$KTAP" >"$BATS_TEST_TMPDIR/run.ktap" || true
	run python3 "$kunit" parse "$BATS_TEST_TMPDIR/run.ktap"
	refute_output --partial "[ERROR]"
	refute_output --partial "CRASHED"
	assert_output --partial "Ran 4 tests: passed: 1, failed: 1, skipped: 2"
}
