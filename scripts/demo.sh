#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - `make demo`: the five modules one after another in a QEMU VM,
# for a class or a learner without root or a kernel to risk. No root needed
# once the tools are installed (scripts/install-deps.sh).
#
# Settings (environment or make variables):
#   MODULES="<all five>"  PERIOD_MS=500 (signaller's pace)  DWELL_S=4 (seconds
#   of live log per module)  KERNEL=6.1 (or any of make check's)  ACCEL=auto|kvm|tcg

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/vm-lib.sh
. "$top/scripts/vm-lib.sh"
MODULES=${MODULES:-declare_completion init_completion completion_initializer completion_initializer_onstack declare_completion_onstack}
FIXTURES=""
KERNEL=${KERNEL:-6.1}
PERIOD_MS=${PERIOD_MS:-500}
DWELL_S=${DWELL_S:-4}
ACCEL=${ACCEL:-auto}
BOOT_TIMEOUT_S=${BOOT_TIMEOUT_S:-600}
out=$top/build/demo
results=$out/results

die() {
	echo "demo.sh: $*" >&2
	exit 2
}
note() {
	echo "demo.sh: $*" >&2
}

vm_check_tools
for m in $MODULES; do
	[ -f "$top/$m/$m.c" ] || die "unknown module $m"
done
case $KERNEL in
6.1 | 6.12 | 6.1-rt | unstable | debug) ;;
*) die "unknown kernel $KERNEL (known: 6.1 6.12 6.1-rt unstable debug)" ;;
esac
mkdir -p "$out/$KERNEL" "$results/$KERNEL"
note "fetching kernel $KERNEL (cached after the first time)"
kcache=$(fetch_kernel "$KERNEL")
note "building the modules for $(cat "$kcache/release")"
build_for "$KERNEL" "$kcache"
initramfs_for "$KERNEL"
pick_accel "$KERNEL"
note "booting $(cat "$kcache/release") in QEMU ($accel)"
boot "$KERNEL" - "CK_DEMO=1 CK_MODS=$(echo "$MODULES" | tr ' ' ,) PERIOD_MS=$PERIOD_MS DWELL_S=$DWELL_S"
