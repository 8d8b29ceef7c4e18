#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# What plain make says without a kernel build tree (scripts/lib/kdir-hint.sh):
# the headers package only if apt has one, what works without headers, and
# the cached 6.1 tree when there is one.

load common

setup() {
	common_setup
	mkdir -p "$BATS_TEST_TMPDIR/bin"
}

# apt_has yes|no: an apt-cache that has, or has not, the headers package.
apt_has() {
	printf '#!/bin/sh\n[ "%s" = yes ]\n' "$1" >"$BATS_TEST_TMPDIR/bin/apt-cache"
	chmod +x "$BATS_TEST_TMPDIR/bin/apt-cache"
}

@test "no package for this kernel: not named; make demo and a cached 6.1 tree are" {
	apt_has no
	mkdir -p "$BATS_TEST_TMPDIR/cache/kernels/6.1/build"
	touch "$BATS_TEST_TMPDIR/cache/kernels/6.1/build/Makefile"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH CK_CACHE=$BATS_TEST_TMPDIR/cache run "$CK_UNIT_TOP/scripts/lib/kdir-hint.sh" /nowhere
	assert_failure 2
	assert_line --partial "apt has no linux-headers-$(uname -r)"
	refute_line --partial "sudo apt-get install"
	assert_line --partial "make demo, make shell, make grade"
	assert_line --partial "make KDIR=$BATS_TEST_TMPDIR/cache/kernels/6.1/build"
}

@test "a package for this kernel: the apt-get line" {
	apt_has yes
	PATH=$BATS_TEST_TMPDIR/bin:$PATH CK_CACHE=$BATS_TEST_TMPDIR/empty run "$CK_UNIT_TOP/scripts/lib/kdir-hint.sh" /nowhere
	assert_failure 2
	assert_line --partial "sudo apt-get install linux-headers-$(uname -r)"
	assert_line --partial "After one of them, make KDIR="
}
