#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The kernel cache's one check (kcache_cached in scripts/kernels/kcache-lib.sh),
# which the three fetchers share: a complete folder is taken as it is, an
# incomplete or stale one is fetched or built again.

# shellcheck disable=SC2016 # code in single quotes is run by another shell
load common

setup() {
	common_setup
	KDIR=$BATS_TEST_TMPDIR/kernels/6.1
	mkdir -p "$KDIR/build"
	echo 6.1.0-99-amd64 >"$KDIR/release"
	echo image >"$KDIR/vmlinuz"
	echo all: >"$KDIR/build/Makefile"
	printf '%s\n' format=1 kernel=6.1 root=/r release=6.1.0-99-amd64 >"$KDIR/.stamp"
	export KDIR
}

# cached ARGS...: kcache_cached ARGS in a bash that sourced kcache-lib.sh;
# prints "hit" after its output if it took the cache (exit 0), "miss" if not.
cached() {
	bash -c '. "$0"; PROG=test STAMP_FORMAT=1; kcache_cached "$@"; echo miss' \
		"$CK_UNIT_TOP/scripts/kernels/kcache-lib.sh" "$@" 2>&1 || true
}

@test "a complete folder is taken, and its path printed" {
	run cached "kernel 6.1" vmlinuz build/Makefile -- root=/r
	assert_line --index 0 "test: kernel 6.1 (6.1.0-99-amd64) already in cache"
	assert_line --index 1 "$KDIR"
	refute_line miss
}

@test "a file missing or empty is a miss" {
	: >"$KDIR/build/Makefile"
	run cached "kernel 6.1" vmlinuz build/Makefile -- root=/r
	assert_output miss
}

@test "a stamp without the line asked for is a miss" {
	run cached "kernel 6.1" vmlinuz -- root=/elsewhere
	assert_output miss
}

@test "a stamp of another format or release is a miss" {
	sed -i 's/^format=1$/format=0/' "$KDIR/.stamp"
	run cached "kernel 6.1" vmlinuz -- root=/r
	assert_output miss
	sed -i 's/^format=0$/format=1/; s/^release=.*/release=6.1.0-98-amd64/' "$KDIR/.stamp"
	run cached "kernel 6.1" vmlinuz -- root=/r
	assert_output miss
}

@test "no stamp, or CK_REFRESH=1, is a miss" {
	CK_REFRESH=1 run cached "kernel 6.1" vmlinuz -- root=/r
	assert_output miss
	rm "$KDIR/.stamp"
	run cached "kernel 6.1" vmlinuz -- root=/r
	assert_output miss
}

@test "RELEASE in a path stands for the release, an empty line is left out" {
	mkdir -p "$KDIR/chroot/usr/src/linux-headers-6.1.0-99-amd64"
	echo all: >"$KDIR/chroot/usr/src/linux-headers-6.1.0-99-amd64/Makefile"
	run cached "sid" "$KDIR/chroot/usr/src/linux-headers-RELEASE/Makefile" -- "" root=/r
	refute_line miss
}
