#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# grade.sh - `make grade LAB=NAME`: build a lab's module and test it in the VM.
#
# Builds labs/NAME/NAME.c (the learner's file; SOLUTION=1: the reference
# solution, that file with labs/NAME/solution/NAME.sed applied) against KERNEL (6.1) and runs it in
# QEMU through the same runner as the five modules (scripts/guest/run-tests.sh):
# its three cases, the fault-injected error paths, load-and-unload stress,
# the soak under the hung-task detector, the kernel log's reports. Prints
# each requirement the module failed, in the words of labs/checks.txt, and
# "PASS" or "FAIL". Exit status 0 if it passed, 1 if not, 2 if it could not
# be graded.
#
# A lab's labs/NAME/lab.conf: grader=api (graded by scripts/guest/api-tests.sh,
# as completion_api) and expect=CHECKS (what its skeleton fails: make
# check-all proves it, and that the solution passes).
#
# Settings: LAB=NAME  KERNEL=6.1 (a key of scripts/lib/config.sh; KERNEL=debug:
# lockdep, KASAN and kmemleak too)  SOLUTION=0  ACCEL=auto

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/vm/vm-lib.sh
. "$top/scripts/vm/vm-lib.sh"
on_interrupt
LAB=${LAB:-}
KERNEL=${KERNEL:-$(ck_default_kernels demo)}
SOLUTION=${SOLUTION:-0}
ACCEL=${ACCEL:-auto}
BOOT_TIMEOUT_S=${BOOT_TIMEOUT_S:-900}
MODULES=""
FIXTURES=""
out=$top/build/grade
results=$out/results

note() {
	echo "grade.sh: $*" >&2
}

labs=$(ck_labs)
[ -n "$LAB" ] || die "which lab? make grade LAB=NAME (labs: $labs)"
[ -f "$top/labs/$LAB/lab.conf" ] || die "no lab $LAB (labs: $labs)"
mod=$LAB
if [ "$SOLUTION" = 1 ]; then
	[ -f "$top/labs/$LAB/solution/$LAB.sed" ] || die "labs/$LAB/solution/$LAB.sed is not there (removed by your instructor?)"
	mod=${LAB}_solution
fi
ck_known_kernel "$KERNEL" || die "unknown kernel $KERNEL (known: $CK_KERNELS_KNOWN)"
"$top/scripts/lib/deps.sh" preflight demo "$KERNEL" || exit 2
vm_check_tools
mkdir -p "$out/$KERNEL" "$results/$KERNEL"
note "fetching kernel $KERNEL (cached after the first time)"
kcache=$(fetch_kernel "$KERNEL")
note "building labs/$LAB for $(cat "$kcache/release")"
# Only this lab, and its solution only when it is the one graded.
if ! LABS=$LAB build_for "$KERNEL" "$kcache" 2>"$results/build.log"; then
	echo "FAIL: labs/$LAB/$LAB.c does not build:"
	grep -E 'error|warning' "$out/$KERNEL/build.log" "$results/build.log" | head -n 20 | sed 's/^/  /'
	exit 1
fi
[ "$SOLUTION" = 1 ] || rm -rf "$out/$KERNEL/src/${LAB}_solution" "$out/$KERNEL/src-inject/${LAB}_solution"
initramfs_for "$KERNEL"
kernel_image "$KERNEL"
pick_accel "$KERNEL"
console=$results/$KERNEL/$mod.console
note "testing $mod on $(cat "$kcache/release") in QEMU ($accel): about a minute"
rc=0
if [ "$(lab_conf "$LAB" grader)" = api ]; then
	# completion_api's tests (scripts/guest/api-tests.sh).
	boot "$KERNEL" "$console" "CK_API=$mod $CK_REPS_QUICK" || rc=$?
else
	# As make check runs a module, with its repetitions (CK_REPS_QUICK):
	# the three cases, 4 stress cycles, the soak, the error paths.
	sched=1
	[ "$KERNEL" != debug ] || sched=0
	boot "$KERNEL" "$console" "CK_MODS=$mod $CK_REPS_QUICK STRESS_SCHED=$sched" || rc=$?
fi

fails=$(tr -d '\r' <"$console" | sed -n 's/^# result: module=.* fails=//p' | tr ',' '\n' |
	{ grep -vx -- - || true; } | sort -u)
# A test that did not end: the kernel's reports say why.
finished=1
grep -aq '^ck-vm: end rc=' "$console" || finished=0
if [ "$finished" = 0 ]; then
	fails="$fails${fails:+
}no-end"
	if ! grep -aq "^# result: module=$mod " "$console"; then
		echo "FAIL: the test did not finish (QEMU status $rc): a hang or a crash. The console's end:"
		tr -d '\r' <"$console" | tail -n 30 | sed 's/^/  /'
		exit 1
	fi
fi
# What the runner said, then each failed requirement in plain words.
tr -d '\r' <"$console" | sed -n '/^KTAP version 1/,/^ck-vm: end/p' | grep '^# ' | grep -v '^# result:' |
	head -n 40 | sed 's/^# /  /'
if [ -z "$fails" ]; then
	echo "PASS: labs/$LAB meets every requirement on $(cat "$kcache/release")"
	exit 0
fi
echo "FAIL: labs/$LAB on $(cat "$kcache/release"):"
for c in $fails; do
	words=$(awk -F '\t' -v c="$c" '$1 == c { print $2 }' "$top/labs/checks.txt")
	echo "  - $c: ${words:-see the lines above}"
done
if [ "$finished" = 0 ]; then
	echo "  The kernel's first reports:"
	tr -d '\r' <"$console" | grep -a -E 'BUG|Oops|WARNING|corruption|blocked for more than|RIP: 0010|Kernel panic' | head -n 8 | sed 's/^/    /'
fi
echo "The whole console: $console"
exit 1
