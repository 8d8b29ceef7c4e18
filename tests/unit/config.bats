#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The lists and their readers alone (scripts/lib/config.sh), under dash
# and busybox sh: the modules from Kbuild, the kernel keys, the fixtures'
# header lines, the Debian archive read from apt's sources, the labs'
# solutions and kernels.

# shellcheck disable=SC2016 # code in single quotes is run by another shell
load common

setup() {
	common_setup
}

# cfg SHELL CODE: CODE run by SHELL after sourcing config.sh.
cfg() {
	local sh=$1
	shift
	top=$CK_UNIT_TOP $sh -c '. "$top/scripts/lib/config.sh"; '"$1"
}

@test "the five modules are the folders Kbuild names, in its order" {
	want=$(sed -n 's|^obj-m += \(.*\)/$|\1|p' "$CK_UNIT_TOP/Kbuild" | tr '\n' ' ')
	for sh in sh "busybox sh"; do
		run cfg "$sh" 'echo "$CK_MODULES"'
		assert_output "${want% }"
	done
	[ "$(echo "$output" | wc -w)" = 5 ]
}

@test "a kernel key is known whole, not as a part of one" {
	for sh in sh "busybox sh"; do
		run cfg "$sh" 'ck_known_kernel 6.1 && ck_known_kernel 6.1-rt && ck_known_kernel distro'
		assert_success
		for bad in 6 6.1-r 1-rt "" "6.1 6.12"; do
			run cfg "$sh" "ck_known_kernel '$bad'"
			assert_failure
		done
	done
}

@test "a module name is known whole" {
	run cfg sh 'ck_known_module init_completion'
	assert_success
	for bad in completion "init_completion declare_completion" ""; do
		run cfg sh "ck_known_module '$bad'"
		assert_failure
	done
}

@test "a fixture's header lines, and nothing for a line or a fixture that is not there" {
	for sh in sh "busybox sh"; do
		run cfg "$sh" 'ck_fixture_field no_wait base'
		assert_output declare_completion
		run cfg "$sh" 'ck_fixture_field no_wait expect'
		assert_output "$(sed -n 's/^# expect: *//p' "$CK_UNIT_TOP/tests/broken/no_wait.sed")"
		run cfg "$sh" 'ck_fixture_field no_wait kernels'
		assert_success
		assert_output ""
		run cfg "$sh" 'ck_fixture_field no_such_fixture base'
		assert_success
		assert_output ""
	done
}

@test "every fixture names its base and what must catch it" {
	run cfg sh 'for f in $(ck_fixtures); do
		[ -n "$(ck_fixture_field "$f" base)" ] && [ -n "$(ck_fixture_field "$f" expect)" ] || echo "$f"
	done'
	assert_success
	assert_output ""
	run cfg sh 'ck_fixtures | wc -w'
	assert_output "$(find "$CK_UNIT_TOP/tests/broken" -name "*.sed" | wc -l)"
}

@test "the Debian archive: named by CK_DEBIAN_MIRROR, or none" {
	run cfg sh 'CK_DEBIAN_MIRROR=http://archive.example/debian ck_debian_uris'
	assert_output "main http://archive.example/debian"
	run cfg sh 'CK_DEBIAN_MIRROR=none ck_debian_uris; CK_DEBIAN_MIRROR=none ck_default_kernels quick'
	assert_output "distro"
}

@test "the Debian archive read from apt's sources: Debian suites only, main before security" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	cat >"$BATS_TEST_TMPDIR/bin/apt-get" <<'APT'
#!/bin/sh
cat <<'LIST'
deb http://ubuntu.example/ubuntu jammy main
deb-src http://src.example/debian bookworm main
deb http://mirror.example/debian bookworm contrib
deb http://security.example/debian-security bookworm-security main
deb http://mirror.example/debian bookworm-updates main
deb http://other.example/debian bookworm main
LIST
APT
	chmod +x "$BATS_TEST_TMPDIR/bin/apt-get"
	for sh in sh "busybox sh"; do
		PATH=$BATS_TEST_TMPDIR/bin:$PATH run cfg "$sh" 'ck_debian_uris'
		assert_output "security http://security.example/debian-security
main http://mirror.example/debian"
		PATH=$BATS_TEST_TMPDIR/bin:$PATH run cfg "$sh" 'ck_default_kernels quick; ck_default_kernels harness'
		assert_output "$(printf '%s\n' "5.10 6.1 6.12" "5.10 6.1 6.12 debug")"
	done
}

@test "the suites of each Debian key" {
	run cfg sh 'for k in 5.10 6.1 6.1-rt 6.12 unstable distro; do echo "$k: $(ck_suites "$k")"; done'
	assert_output "5.10: bullseye bullseye-updates bullseye-security
6.1: bookworm bookworm-updates bookworm-security
6.1-rt: bookworm bookworm-updates bookworm-security
6.12: bookworm-backports
unstable: sid
distro: "
}

@test "a lab's solution is its skeleton with its sed, and a sed that changes nothing is refused" {
	run cfg sh 'lab_solution hung_waiter'
	assert_success
	[ "$output" != "$(cat "$CK_UNIT_TOP/labs/hung_waiter/hung_waiter.c")" ]
	cp -r "$CK_UNIT_TOP/labs" "$CK_UNIT_TOP/Kbuild" "$BATS_TEST_TMPDIR/"
	: >"$BATS_TEST_TMPDIR/labs/hung_waiter/solution/hung_waiter.sed"
	run env top="$BATS_TEST_TMPDIR" sh -c '. "$0"; lab_solution hung_waiter' "$CK_UNIT_TOP/scripts/lib/config.sh"
	assert_failure 2
	rm "$BATS_TEST_TMPDIR/labs/hung_waiter/solution/hung_waiter.sed"
	run env top="$BATS_TEST_TMPDIR" sh -c '. "$0"; lab_solution hung_waiter' "$CK_UNIT_TOP/scripts/lib/config.sh"
	assert_failure 1
}

@test "a lab's kernels: its kernels= line, quick standing for the quick tier's" {
	cp -r "$CK_UNIT_TOP/labs" "$CK_UNIT_TOP/Kbuild" "$BATS_TEST_TMPDIR/"
	conf=$BATS_TEST_TMPDIR/labs/prompt_unload/lab.conf
	sed -i 's/^kernels=.*/kernels=quick debug/' "$BATS_TEST_TMPDIR/labs/hung_waiter/lab.conf"
	for sh in sh "busybox sh"; do
		# shellcheck disable=SC2086 # "busybox sh": two words
		run env top="$BATS_TEST_TMPDIR" $sh -c '. "$0"; lab_kernels prompt_unload; lab_kernels hung_waiter; lab_kernels onstack_job' \
			"$CK_UNIT_TOP/scripts/lib/config.sh"
		assert_output "$(printf '%s\n' "5.10 6.1 6.12" "5.10 6.1 6.12 debug" debug)"
	done
	sed -i 's/^kernels=.*/kernels=6.12 quick/' "$conf"
	run env top="$BATS_TEST_TMPDIR" sh -c '. "$0"; lab_kernels prompt_unload' "$CK_UNIT_TOP/scripts/lib/config.sh"
	assert_output "6.12 5.10 6.1 6.12"
	# Without the line: the quick tier's.
	sed -i '/^kernels=/d' "$conf"
	run env top="$BATS_TEST_TMPDIR" sh -c '. "$0"; lab_kernels prompt_unload' "$CK_UNIT_TOP/scripts/lib/config.sh"
	assert_output "5.10 6.1 6.12"
}

@test "ck_given passes on what is set, and nothing for what is unset or empty" {
	for sh in sh "busybox sh"; do
		run cfg "$sh" 'A=1; B=; C="x y"; unset D; ck_given A B C D'
		assert_output "A=1 C=x y"
		run cfg "$sh" 'unset A; ck_given A'
		assert_output ""
	done
}

@test "a default the guest's scripts hold is not written again on the host" {
	local v twice=""
	# NAME=${NAME:-VALUE} at a line's start, VALUE not empty.
	while read -r v; do
		twice="$twice$(grep -l "^[[:space:]]*$v=\${$v:-[^}]" \
			"$CK_UNIT_TOP"/scripts/*.sh "$CK_UNIT_TOP"/scripts/*/*.sh |
			grep -v '/scripts/guest/' | sed "s|^$CK_UNIT_TOP/|$v: |")"
	done <<EOF
$(sed -n 's/^[[:space:]]*\([A-Z_][A-Z0-9_]*\)=\${\1:-[^}].*/\1/p' "$CK_UNIT_TOP"/scripts/guest/*.sh | sort -u)
EOF
	[ -n "$(sed -n 's/^[[:space:]]*\([A-Z_][A-Z0-9_]*\)=\${\1:-[^}].*/\1/p' "$CK_UNIT_TOP"/scripts/guest/run-tests.sh)" ]
	assert_equal "$twice" ""
}
