#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Labs that cannot drift (scripts/lint.sh labs): a change to a module that
# has not reached the labs made from it turns the check red, and so does a
# change to a lab that its record does not have, and docs that name other
# checks than its lab.conf's expect=.

# shellcheck disable=SC2016 # code in single quotes is run by another shell
load common

setup() {
	common_setup
	tree=$BATS_TEST_TMPDIR/tree
	mkdir -p "$tree"
	cp -r "$CK_UNIT_TOP/scripts" "$CK_UNIT_TOP/labs" "$CK_UNIT_TOP/Kbuild" "$tree/"
	for m in $(sed -n 's|^obj-m += \(.*\)/$|\1|p' "$CK_UNIT_TOP/Kbuild") completion_api; do
		cp -r "$CK_UNIT_TOP/$m" "$tree/"
	done
}

@test "the labs as they are differ from their modules as recorded" {
	run "$tree/scripts/lint.sh" labs
	assert_success
}

@test "a module's change that has not reached its labs is caught" {
	sed -i 's/^MODULE_LICENSE("GPL");$/MODULE_LICENSE("GPL");\nMODULE_VERSION("2");/' "$tree/declare_completion/declare_completion.c"
	run "$tree/scripts/lint.sh" labs
	assert_failure
	assert_output --partial "labs/hung_waiter/hung_waiter.c: its base declare_completion.c changed"
	assert_output --partial "labs/start_error/start_error.c"
	refute_output --partial "labs/onstack_job/"
}

@test "the same change made to the lab too passes" {
	for f in declare_completion/declare_completion.c labs/hung_waiter/hung_waiter.c labs/prompt_unload/prompt_unload.c labs/start_error/start_error.c; do
		sed -i 's/^MODULE_LICENSE("GPL");$/MODULE_LICENSE("GPL");\nMODULE_VERSION("2");/' "$tree/$f"
	done
	run "$tree/scripts/lint.sh" labs
	assert_success
}

@test "a lab's change that its record does not have is caught" {
	sed -i '1a\
/* a line */' "$tree/labs/release_all/release_all.c"
	run "$tree/scripts/lint.sh" labs
	assert_failure
	assert_output --partial "labs/release_all/release_all.c"
}

@test "what a skeleton fails is what labs/README.md's table and its README say" {
	sed -i 's/^expect=slow-unload kernel-report errors$/expect=slow-unload errors/' "$tree/labs/prompt_unload/lab.conf"
	run "$tree/scripts/lint.sh" labs
	assert_failure
	assert_output --partial "labs/README.md: the table says prompt_unload's skeleton fails 'errors kernel-report slow-unload', its lab.conf's expect= 'errors slow-unload'"
	assert_output --partial "labs/prompt_unload/README.md: its Grade paragraph says the skeleton fails 'errors kernel-report slow-unload'"
	refute_output --partial "hung_waiter"
}

@test "a lab.conf without kernels=, or with a kernel that is no key, is caught" {
	sed -i '/^kernels=/d' "$tree/labs/start_error/lab.conf"
	sed -i 's/^kernels=.*/kernels=quick 5.11/' "$tree/labs/prompt_unload/lab.conf"
	run "$tree/scripts/lint.sh" labs
	assert_failure
	assert_output --partial "labs/start_error/lab.conf has no kernels= line"
	assert_output --partial "labs/prompt_unload/lab.conf: kernels= names 5.11, no kernel key"
}
