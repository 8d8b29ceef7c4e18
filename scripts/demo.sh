#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - `make demo`: the five modules one after another in a QEMU VM,
# for a class or a learner without root or a kernel to risk. No root needed
# once the tools are installed: as a user it stops and names the command
# that installs them (sudo scripts/install-deps.sh); as root it installs them.
#
# Settings (environment or make variables):
#   MODULES="<all five>"  ROUNDS, PERIOD_MS (the signaller's job) and
#   DWELL_S (seconds of live log per module): passed on if set, the
#   defaults are scripts/guest/demo-vm.sh's  KERNEL=6.1 (or any key of scripts/lib/config.sh;
#   distro on a host whose apt sources name no Debian archive)  ACCEL=auto|kvm|tcg
#   BROKEN="FIXTURE..." (make demo BROKEN=...): the pitfall show of broken
#   fixtures (tests/broken/), instead of the modules
#   CK_SHELL=1 (make shell): an interactive shell in the VM on this
#   terminal, with the modules (and the BROKEN fixtures) built for KERNEL

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/vm/vm-lib.sh
. "$top/scripts/vm/vm-lib.sh"
on_interrupt
MODULES=${MODULES:-$CK_MODULES}
BROKEN=${BROKEN:-}
FIXTURES=$BROKEN
CK_SHELL=${CK_SHELL:-}
# make shell has completion_api too, to drive by hand (docs/completion_api.md).
API_MODULE=""
[ -z "$CK_SHELL" ] || API_MODULE=$CK_API_MODULE
KERNEL=${KERNEL:-$(ck_default_kernels demo)}
ACCEL=${ACCEL:-auto}
BOOT_TIMEOUT_S=${BOOT_TIMEOUT_S:-600}
out=$top/build/demo
results=$out/results

note() {
	echo "demo.sh: $*" >&2
}

for m in $MODULES; do
	ck_known_module "$m" || die "unknown module $m (known: $CK_MODULES)"
done
ck_known_kernel "$KERNEL" || die "unknown kernel $KERNEL (known: $CK_KERNELS_KNOWN)"
for f in $BROKEN; do
	[ -f "$top/tests/broken/$f.sed" ] ||
		die "unknown fixture $f (known: $(ck_fixtures))"
	[ "$(ck_fixture_field "$f" base)" != "$CK_API_MODULE" ] ||
		die "$f is a broken $CK_API_MODULE, which has no show: try it by hand (docs/$CK_API_MODULE.md)"
	[ "$(ck_fixture_field "$f" base)" != "$CK_BENCH_MODULE" ] ||
		die "$f is a broken $CK_BENCH_MODULE, which has no show: make bench's check runs it"
	only=$(ck_fixture_field "$f" kernels)
	[ -z "$only" ] || case " $only " in *" $KERNEL "*) ;; *) die "$f shows on KERNEL=${only// / or KERNEL=} only" ;; esac
done
"$top/scripts/lib/deps.sh" preflight demo "$KERNEL" || exit 2
vm_check_tools
[ "$KERNEL" != distro ] || [ -n "$(ck_debian_uris)" ] ||
	note "the host's apt sources name no Debian archive: showing the host's own kernel (distro);" \
		"for Debian's 6.1 set CK_DEBIAN_MIRROR=<Debian archive URI> and KERNEL=6.1"
mkdir -p "$out/$KERNEL" "$results/$KERNEL"
note "fetching kernel $KERNEL (cached after the first time)"
kcache=$(fetch_kernel "$KERNEL")
note "building the modules for $(cat "$kcache/release")"
build_for "$KERNEL" "$kcache"
initramfs_for "$KERNEL"
kernel_image "$KERNEL"
pick_accel "$KERNEL"
note "booting $(cat "$kcache/release") in QEMU ($accel)"
broken=""
for f in $BROKEN; do
	broken="$broken broken_$f"
done
if [ -n "$CK_SHELL" ]; then
	# No time limit but the class's: exit powers the VM off.
	# The terminal's size, so that the guest wraps lines where it does.
	size=$(stty size 2>/dev/null | tr ' ' x) || size=""
	BOOT_TIMEOUT_S=0 boot "$KERNEL" tty "CK_SHELL=1 CK_MODS=$(echo "$MODULES$broken" | tr ' ' ,)${size:+ CK_TTY_SIZE=$size}"
elif [ -n "$BROKEN" ]; then
	# The VM is killed if a fixture wedges it beyond the show's timeouts.
	BOOT_TIMEOUT_S=$((120 + 60 * $(echo "$BROKEN" | wc -w))) \
		boot "$KERNEL" - "CK_DEMO=broken CK_MODS=$(echo "$broken" | sed 's/^ //' | tr ' ' ,) $(ck_given ROUNDS PERIOD_MS DWELL_S)"
else
	boot "$KERNEL" - "CK_DEMO=1 CK_MODS=$(echo "$MODULES" | tr ' ' ,) $(ck_given ROUNDS PERIOD_MS DWELL_S)"
fi
