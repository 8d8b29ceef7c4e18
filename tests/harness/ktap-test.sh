#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ktap-test.sh - make check's standard output read back by the kernel's own
# KTAP parser, tools/testing/kunit/kunit.py parse (from linux-source-6.1,
# unpacked once into the cache): the recorded output of a passing and of a
# failing run (tests/ktap/), and the live output of make check on KERNEL
# (one module, in a build folder of its own). Each must parse without an
# error or a crash, and kunit.py's counts must be those of the stream's own
# last line ("N passed, N failed"). And the test can fail: the passing
# stream with each nested "KTAP version 1" after its "# Subtest:" line, the
# order the kernel's parser rejects, must be reported with an error.
#
#   tests/harness/ktap-test.sh [KERNEL]    (default: 6.1)
#
# The recorded streams: make check KERNELS=6.1 MODULES="declare_completion
# completion_api" >tests/ktap/pass.ktap, and the same with
# tests/broken/no_wait.sed applied to declare_completion.c for fail.ktap.
#
# Exit status 0 if every stream reads as it must, 1 if not, 3 without
# linux-source-6.1 (a skip).

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib/config.sh
. "$top/scripts/lib/config.sh"
kernel=${1:-6.1}
kunit=$CK_CACHE/kunit-6.1
rc=0
ck_linux_source "$kunit" tools/testing/kunit || exit $?
ck_private_tmp ""
work=$ck_tmp

# parse NAME FILE: kunit.py's verdict on FILE; prints what differs from
# the stream's own summary, 1 if anything does.
parse() {
	local name=$1 file=$2 got want
	python3 "$kunit/tools/testing/kunit/kunit.py" parse "$file" >"$work/$name.parsed" 2>&1 || true
	got=$(sed -n 's/^\[[0-9:]*\] Testing complete\. Ran [0-9]* tests: //p' "$work/$name.parsed")
	# "P passed, F failed[, S skipped]" as kunit.py words it: the counts
	# that are not 0, in its order.
	want=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$file" | tail -n 1 | awk -F', ' '{
		out = ""
		for (i = 1; i <= NF; i++) {
			split($i, w, " ")
			if (w[1] > 0)
				out = out (out == "" ? "" : ", ") w[2] ": " w[1]
		}
		print out }')
	if grep -E '\[ERROR\]|CRASHED' "$work/$name.parsed" >"$work/$name.errors" || [ "$got" != "$want" ]; then
		echo "$name: kunit.py parse: '$got', the stream's own summary: '$want'"
		sed 's/^/  /' "$work/$name.errors"
		return 1
	fi
	echo "$name: kunit.py parse: $got, as its summary line says"
}

parse recorded-pass "$top/tests/ktap/pass.ktap" || rc=1
parse recorded-fail "$top/tests/ktap/fail.ktap" || rc=1
# The live run: its exit status is make check's, its stdout the stream.
if CK_BUILD=$work/build make -s -C "$top" check KERNELS="$kernel" MODULES=declare_completion \
	>"$work/live.ktap" 2>"$work/live.err"; then
	parse "live-make-check-$kernel" "$work/live.ktap" || rc=1
else
	echo "live make check on $kernel failed:"
	tail -n 20 "$work/live.err" | sed 's/^/  /'
	rc=1
fi
sed '/^ *KTAP version 1$/{N;s/^\( *KTAP version 1\)\n\( *# Subtest: .*\)$/\2\n\1/}' \
	"$top/tests/ktap/pass.ktap" >"$work/swapped.ktap"
if parse swapped "$work/swapped.ktap" >"$work/swapped.out"; then
	echo "the stream with # Subtest: before KTAP version 1 parsed too: the test cannot tell"
	rc=1
else
	echo "swapped nesting (as before the fix): $(sed -n 's/^  //p' "$work/swapped.out" | head -n 1) (as it must)"
fi
exit "$rc"
