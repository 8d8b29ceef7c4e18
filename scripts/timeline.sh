#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# timeline.sh - `make timeline`: each module's hand-off drawn from a real run.
#
#   scripts/timeline.sh            trace the modules in QEMU and draw them
#   scripts/timeline.sh --check    the same, then compare each picture's
#                                  structure with the one in docs/img/
#
# The VM (scripts/guest/timeline-vm.sh) traces each module from insmod to rmmod
# with tracefs and trace-cmd; here each trace.dat is read with trace-cmd
# report and drawn by tools/timeline.py, into build/timeline/KERNEL/:
#   NAME.dat   the trace (trace-cmd report, KernelShark)
#   NAME.txt   trace-cmd report's text of it
#   NAME.svg   the picture
# On the docs' kernel (TIMELINE_KERNEL in scripts/lib/config.sh) the pictures
# also go to docs/img/NAME-timeline.svg, unless --check.
#
# --check passes if each module's fresh picture has the structure of its
# picture in docs/img (lanes, sleeps and their states, wake-ups and who
# made them, log lines, kthread_stop(): not the times), and if the
# fixtures of TIMELINE_BROKEN, which break the hand-off, draw a structure
# that differs from their base module's: the check can fail.
#
# Settings: KERNEL (TIMELINE_KERNEL), MODULES (all five), ACCEL, ROUNDS and
# PERIOD_MS (passed on if set: the defaults are timeline-vm.sh's).

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/vm/vm-lib.sh
. "$top/scripts/vm/vm-lib.sh"
on_interrupt
mode=draw
[ "${1:-}" != --check ] || mode=check
KERNEL=${KERNEL:-$TIMELINE_KERNEL}
MODULES=${MODULES:-$CK_MODULES}
FIXTURES=""
[ "$mode" != check ] || FIXTURES=$TIMELINE_BROKEN
ACCEL=${ACCEL:-auto}
BOOT_TIMEOUT_S=${BOOT_TIMEOUT_S:-600}
out=$top/build/demo
results=$out/results
tl=$top/build/timeline/$KERNEL
draw="python3 $top/tools/timeline.py"

note() {
	echo "timeline.sh: $*" >&2
}

for m in $MODULES; do
	ck_known_module "$m" || die "unknown module $m (known: $CK_MODULES)"
done
ck_known_kernel "$KERNEL" || die "unknown kernel $KERNEL (known: $CK_KERNELS_KNOWN)"
"$top/scripts/lib/deps.sh" preflight timeline "$KERNEL" || exit 2
vm_check_tools
mkdir -p "$out/$KERNEL" "$results/$KERNEL" "$tl"
kcache=$(fetch_kernel "$KERNEL")
release=$(cat "$kcache/release")
note "building the modules for $release"
build_for "$KERNEL" "$kcache"
CK_TRACE_CMD=1 initramfs_for "$KERNEL"
kernel_image "$KERNEL"
pick_accel "$KERNEL"
# Turning the tracepoints on patches the kernel's code live (int3, then
# the new bytes): under multi-threaded TCG another vCPU has hit the int3
# mid-patch and oopsed (once on 6.12, at sched_waking's enabling). One
# host thread for the vCPUs patches safely.
[ "$accel" != tcg ] || accel=tcg,thread=single
names=$MODULES
for f in $FIXTURES; do
	names="$names broken_$f"
done
note "tracing $(echo "$names" | wc -w) hand-offs on $release in QEMU ($accel)"
console=$tl/console.log
t0=$(date +%s)
boot "$KERNEL" "$console" "CK_TIMELINE=1 CK_MODS=$(echo "$names" | tr ' ' ,) $(ck_given ROUNDS PERIOD_MS)" ||
	note "QEMU ended with status $?"
note "VM done in $(($(date +%s) - t0)) s"
grep -q '^ck-vm: timeline rc=0' "$console" || {
	grep '^ck-trace: error' "$console" >&2 || true
	die "the run in the VM failed: see $console"
}

emulated=""
[ "${accel%%,*}" != tcg ] || emulated=--emulated
# The pictures name the kernel by its key, not by its release: the release
# changes with each Debian update, what the pictures show does not.
case $KERNEL in
debug) label="6.1, debug build" ;;
distro) label=$release ;;
*) label="Debian $KERNEL" ;;
esac
rc=0
for n in $names; do
	awk -v n="$n" '$0 ~ "^ck-trace: end " n "\r?$" { on = 0 } on { print }
		$0 ~ "^ck-trace: begin " n " " { on = 1 }' "$console" | tr -d '\r' | base64 -d | gunzip >"$tl/$n.dat" ||
		die "$n: no trace in $console"
	trace-cmd report -l -i "$tl/$n.dat" >"$tl/$n.txt" 2>/dev/null || die "$n: trace-cmd report cannot read $tl/$n.dat"
	$draw $emulated --kernel "$label" --module "$n" "$tl/$n.txt" "$tl/$n.svg" ||
		die "$n: cannot draw $tl/$n.txt"
	base=$n
	[ "${n#broken_}" = "$n" ] || base=$(ck_fixture_field "${n#broken_}" base)
	doc=$top/docs/img/$base-timeline.svg
	if [ "$mode" = draw ]; then
		if [ "$KERNEL" = "$TIMELINE_KERNEL" ]; then
			mkdir -p "$top/docs/img"
			cp "$tl/$n.svg" "$doc"
			echo "timeline: $n: $tl/$n.svg, docs/img/${doc##*/}"
		else
			echo "timeline: $n: $tl/$n.svg"
		fi
		continue
	fi
	[ -f "$doc" ] || die "$doc is missing: run make timeline"
	if $draw --structure "$doc" >"$tl/$n.expected-structure" &&
		$draw --structure "$tl/$n.svg" >"$tl/$n.structure" &&
		diff -u "$tl/$n.expected-structure" "$tl/$n.structure" >"$tl/$n.diff"; then
		same=yes
	else
		same=no
	fi
	if [ "$n" = "$base" ] && [ "$same" = yes ]; then
		echo "ok: $n: the fresh run draws the structure of docs/img/${doc##*/}"
	elif [ "$n" = "$base" ]; then
		echo "FAIL: $n: the fresh run's structure differs from docs/img/${doc##*/}:"
		sed 's/^/  /' "$tl/$n.diff"
		rc=1
	elif [ "$same" = no ]; then
		echo "ok: $n (broken): its structure differs from $base's, as it must:"
		grep '^[-+][^-+]' "$tl/$n.diff" | head -n 6 | sed 's/^/  /'
	else
		echo "FAIL: $n (broken): draws the structure of docs/img/${doc##*/}: the check cannot tell"
		rc=1
	fi
done
exit "$rc"
