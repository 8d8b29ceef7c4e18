#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# make diff (tools/lesson-diff.sh): the lesson of two modules, the lines of
# code that differ beyond comments, names and descriptions.

load common

setup() {
	common_setup
}

@test "declare_completion against init_completion: the definition and the set-up call, nothing else" {
	run "$CK_UNIT_TOP/tools/lesson-diff.sh" declare_completion init_completion
	assert_success
	[ "$(echo "$output" | grep -c '^@@')" = 2 ]
	assert_line '-static DECLARE_COMPLETION(done);'
	assert_line '+static struct completion done;'
	assert_line --partial '+	init_completion(&done);'
	refute_line --partial 'MODULE_DESCRIPTION'
	refute_line --regexp '^[-+] \*'
}

@test "a module against itself: no hunk; an unknown module is refused" {
	run "$CK_UNIT_TOP/tools/lesson-diff.sh" declare_completion declare_completion
	assert_success
	refute_line --regexp '^@@'
	run "$CK_UNIT_TOP/tools/lesson-diff.sh" declare_completion nope
	assert_failure 2
}
