#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build-debug-kernel.sh - build, once, a 6.1 kernel with the kernel's own
# debugging aids on (lockdep, KASAN, kmemleak, debug objects, hung-task
# detector, gcov for the modules, ...) into the completion-kthreads cache;
# or its sibling with KCSAN, the data-race detector, in KASAN's place.
#
# Usage: scripts/kernels/build-debug-kernel.sh [debug|kcsan]
#
#   debug  (the default) lockdep, KASAN, kmemleak, DEBUG_OBJECTS, hung-task
#          detection, and CONFIG_GCOV_KERNEL: a module built with
#          GCOV_PROFILE := y records which of its lines and branches ran
#          (make coverage); the kernel itself is not profiled
#   kcsan  the same without KASAN, kmemleak and gcov (KCSAN excludes KASAN),
#          with KCSAN in its strict mode (KCSAN_STRICT: a plain write that
#          races any access is reported, weak memory ordering modelled)
#
# The source is Debian's linux-source-6.1 package
# (/usr/src/linux-source-6.1.tar.xz: apt-get install linux-source-6.1).  The
# configuration starts from the small x86_64_defconfig plus kvm_guest.config,
# not from a distribution config, with the big driver subsystems a QEMU guest
# booting an initramfs does not need switched off; everything is built in
# (=y), no in-tree modules are built.  One fix is applied to the source
# (scripts/kernels/debug-kernel-patches: a boot-time deadlock in the RCU-tasks self
# tests that lockdep's PROVE_RCU runs).  On 2 cores the first call takes
# about 12 minutes (6 without KASAN); every later call is a no-op that
# prints the path.
#
# Cache layout ($CK_CACHE defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/completion-kthreads),
# the same as fetch-kernel.sh's (kcsan: $CK_CACHE/kernels/kcsan/):
#   $CK_CACHE/kernels/debug/
#     vmlinuz     -> build/arch/x86/boot/bzImage
#     build          the configured and built source tree; use it as KDIR:
#                    make -C $CK_CACHE/kernels/debug/build M=$PWD modules
#                    (it has Module.symvers, so modpost checks symbols)
#     config      -> build/.config
#     System.map  -> build/System.map
#     release        the kernel release (make -s kernelrelease)
#     build.log      the log of the last build (its tail is shown on failure)
#     .stamp         written last; its presence makes later calls no-ops
#
# stdout: exactly one line, the absolute path of $CK_CACHE/kernels/debug.
# Everything else goes to stderr. Exit status 3: no linux-source-6.1 here.
#
# Environment:
#   CK_CACHE          the cache (see above)
#   CK_REFRESH=1      rebuild from a freshly unpacked tree, even if the cache
#                     holds a complete build
#   CK_DEBUG_KASAN=0  debug: build without KASAN (default 1: KASAN generic, inline)
#   CK_JOBS=N         make -jN (default: nproc)
#
# A changed linux-source-6.1 package, a changed option list below or a changed
# CK_DEBUG_KASAN rebuilds the kernel: the tree is unpacked again only if the
# package changed; otherwise make rebuilds what the new options touch.  An
# interrupted build is resumed by the next call.
#
# Boot it like the other kernels; KASAN keeps 1/8 of the guest's memory for
# its shadow, 512 MB is plenty.  Under TCG on 2 cores /init starts ~9 s
# after boot (~4 s without KASAN); a kmemleak scan takes ~5 s.
#   qemu-system-x86_64 -accel tcg -cpu max,la57=off -smp 2 -m 512 ... \
#       -kernel $CK_CACHE/kernels/debug/vmlinuz -append "console=ttyS0 ..."
# The guest's dmesg says "Lock dependency validator: ..." and "kmemleak:
# Kernel memory leak detector initialized"; kmemleak is driven through
# /sys/kernel/debug/kmemleak (mount -t debugfs debugfs /sys/kernel/debug).
# Lockdep switches itself off after its first report: one report a boot.
set -euo pipefail

PROG=${0##*/}
STAMP_FORMAT=1

# shellcheck source=scripts/kernels/kcache-lib.sh
. "$(dirname "$0")/kcache-lib.sh"
TARBALL=$CK_LINUX_SOURCE

FLAVOUR=debug
case ${1:-} in
debug | kcsan)
	FLAVOUR=$1
	shift
	;;
esac
no_args_or_help "$@"
LOCALVERSION=-ck-$FLAVOUR

KASAN=${CK_DEBUG_KASAN:-1}
[[ $KASAN == 0 || $KASAN == 1 ]] || die "CK_DEBUG_KASAN must be 0 or 1, not '$KASAN'"
[[ $FLAVOUR == debug ]] || KASAN=0

# ---------------------------------------------------------------- options
# One option a line: "y NAME" must end up =y, "n NAME" must end up unset,
# "v NAME VALUE" must end up =VALUE (strings quoted as in .config), and
# "trim NAME" is switched off to shorten the build, unchecked (if something
# selects it, it stays).  Applied in order with scripts/config, then
# make olddefconfig, then every y/n/v line is checked against .config.
options() {
	cat <<'EOF'
# Our modules: insmod/rmmod, unsigned.
y MODULES
y MODULE_UNLOAD
n MODULE_SIG
n MODULE_SIG_FORCE
n MODULE_SIG_ALL
# Layout randomisation would make the build depend on a random seed.
y RANDSTRUCT_NONE
n RANDSTRUCT
# The VM: serial console, initramfs (gzip), devtmpfs, timestamps, sysrq.
y SERIAL_8250
y SERIAL_8250_CONSOLE
y BLK_DEV_INITRD
y RD_GZIP
y DEVTMPFS
y TMPFS
y PROC_FS
y SYSFS
y PRINTK
y PRINTK_TIME
y MAGIC_SYSRQ
y ACPI
n CMDLINE_BOOL
y IKCONFIG
y IKCONFIG_PROC
n LOCALVERSION_AUTO
# No debug info: a much faster build (and no pahole/BTF trouble).
y DEBUG_INFO_NONE
n DEBUG_INFO
n DEBUG_INFO_BTF
y DEBUG_KERNEL
y DEBUG_FS
y DEBUG_FS_ALLOW_ALL
y KALLSYMS
y KALLSYMS_ALL
y STACKTRACE
y DEBUG_BUGVERBOSE
# Locking: lockdep (PROVE_LOCKING selects LOCKDEP, DEBUG_SPINLOCK,
# DEBUG_MUTEXES, DEBUG_RWSEMS, DEBUG_LOCK_ALLOC, PROVE_RCU), might_sleep().
y PROVE_LOCKING
y LOCKDEP
y DEBUG_LOCKDEP
y DEBUG_LOCK_ALLOC
y DEBUG_SPINLOCK
y DEBUG_MUTEXES
y DEBUG_RWSEMS
y DEBUG_RT_MUTEXES
y DEBUG_WW_MUTEX_SLOWPATH
y PROVE_RCU
y DEBUG_ATOMIC_SLEEP
y DEBUG_PREEMPT
y DEBUG_IRQFLAGS
n LOCK_STAT
n DEBUG_LOCKING_API_SELFTESTS
n PROVE_RAW_LOCK_NESTING
# Memory: kmemleak and KASAN (below, debug only), object life-time
# tracking (timers, work, RCU heads; on-stack objects declared with
# *_on_stack() are checked against the stack).
y DEBUG_OBJECTS
y DEBUG_OBJECTS_FREE
y DEBUG_OBJECTS_TIMERS
y DEBUG_OBJECTS_WORK
y DEBUG_OBJECTS_RCU_HEAD
y DEBUG_OBJECTS_PERCPU_COUNTER
v DEBUG_OBJECTS_ENABLE_DEFAULT 1
n DEBUG_OBJECTS_SELFTEST
y SLUB_DEBUG
y DEBUG_LIST
y DEBUG_PLIST
y DEBUG_SG
y DEBUG_NOTIFIERS
# Quiet and quick boots: no "used greatest stack depth" lines in the log,
# no W+X page-table walk (a second under TCG).
n DEBUG_STACK_USAGE
n DEBUG_WX
# Stacks: guard pages (vmalloc'ed stacks), end-of-stack canary, -fstack-protector.
y VMAP_STACK
y SCHED_STACK_END_CHECK
y STACKPROTECTOR
y STACKPROTECTOR_STRONG
# Hangs: blocked tasks (the tests set hung_task_timeout_secs), lockups,
# stalled workqueues.  Report, do not panic.
y DETECT_HUNG_TASK
n BOOTPARAM_HUNG_TASK_PANIC
y SOFTLOCKUP_DETECTOR
n BOOTPARAM_SOFTLOCKUP_PANIC
y WQ_WATCHDOG
n PANIC_ON_OOPS
# Not needed by a guest that boots an initramfs and only talks on ttyS0:
# off to keep the build short.
trim DRM
trim AGP
trim FB
trim SOUND
trim USB_SUPPORT
trim HID
trim INPUT_MOUSE
trim INPUT_JOYSTICK
trim INPUT_TABLET
trim INPUT_TOUCHSCREEN
trim MEDIA_SUPPORT
trim WIRELESS
trim WLAN
trim CFG80211
trim MAC80211
trim RFKILL
trim BT
trim NETFILTER
trim IPV6
trim NET_SCHED
trim ETHERNET
trim NETWORK_FILESYSTEMS
trim NFS_FS
trim 9P_FS
trim NET_9P
trim DRM_VIRTIO_GPU
trim ATA
trim SCSI
trim MD
trim EXT4_FS
trim ISO9660_FS
trim MSDOS_FS
trim VFAT_FS
trim QUOTA
trim AUTOFS_FS
trim SECURITY_SELINUX
trim AUDIT
trim HIBERNATION
trim CPU_FREQ
trim KFENCE
trim X86_PKG_TEMP_THERMAL
trim EFIVAR_FS
EOF
	printf 'v LOCALVERSION "%s"\n' "$LOCALVERSION"
	if [[ $FLAVOUR == kcsan ]]; then
		cat <<'EOF'
# KCSAN, strict: a plain write is not assumed atomic, a race is reported
# even if the value did not change, weak memory is modelled (missing
# barriers). A race is reported once every 3 s, with both accesses' stacks.
# KCSAN excludes KASAN; kmemleak and gcov are left out too.
n KASAN
n DEBUG_KMEMLEAK
n GCOV_KERNEL
y KCSAN
y KCSAN_STRICT
y KCSAN_WEAK_MEMORY
n KCSAN_ASSUME_PLAIN_WRITES_ATOMIC
n KCSAN_REPORT_VALUE_CHANGE_ONLY
n KCSAN_SELFTEST
n KCSAN_KUNIT_TEST
EOF
		return
	fi
	cat <<'EOF'
# kmemleak: on by default, its early pool big enough.
y DEBUG_KMEMLEAK
n DEBUG_KMEMLEAK_DEFAULT_OFF
v DEBUG_KMEMLEAK_MEM_POOL_SIZE 32000
y DEBUG_KMEMLEAK_AUTO_SCAN
n DEBUG_KMEMLEAK_TEST
# gcov for the modules that ask for it (make coverage); the kernel itself
# is not profiled. The counts of an unloaded module are kept
# (gcov_persist=1) and add up over its loads.
y GCOV_KERNEL
n GCOV_PROFILE_ALL
EOF
	if [[ $KASAN == 1 ]]; then
		cat <<'EOF'
# KASAN, generic, inline (the fastest at run time); KASAN_VMALLOC keeps the
# vmalloc'ed stacks (VMAP_STACK) possible and checked.
y KASAN
y KASAN_GENERIC
y KASAN_INLINE
y KASAN_STACK
y KASAN_VMALLOC
EOF
	else
		printf '%s\n' "n KASAN"
	fi
}

# ---------------------------------------------------------------- identity
# The source: its package version if dpkg knows it, and the tarball's size
# and time.  Empty if the tarball is gone (a complete cache is still used).
src_id=
if [[ -f $TARBALL ]]; then
	src_id=$(dpkg-query -W -f='linux-source-6.1=${Version}' linux-source-6.1 2>/dev/null || true)
	[[ $src_id == *=?* ]] || src_id=
	src_id+=" $(stat -c '%s %Y' "$TARBALL")"
fi
# Fixes to the source, applied after unpacking (scripts/kernels/debug-kernel-patches,
# each file says why); part of the options' identity, so a new or changed
# patch rebuilds what it touches.
PATCHES=("$(cd "$(dirname "$0")" && pwd)"/debug-kernel-patches/*.patch)
[[ -f ${PATCHES[0]} ]] || PATCHES=()
opts_id=$({ options; cat "${PATCHES[@]}" /dev/null; } | cksum | cut -d' ' -f1)

# ---------------------------------------------------------------- paths, lock
kcache_lock "$FLAVOUR"
TREE=$KDIR/build
LOG=$KDIR/build.log

# ---------------------------------------------------------------- fast path
kcache_cached "$FLAVOUR kernel" vmlinuz "$TREE/Makefile" "$TREE/Module.symvers" -- \
	"${src_id:+source=$src_id}" "options=$opts_id" "tree=$TREE"
if [[ -z $src_id ]]; then
	# Exit 3: this kernel cannot be built here (make check reports a skip).
	log "needs $TARBALL (Debian 12's linux-source-6.1; sudo scripts/install-deps.sh installs it where the archive has it)"
	exit 3
fi
[[ -f $KDIR/.stamp ]] && log "the cached $FLAVOUR kernel is out of date (source, options or CK_REFRESH): rebuilding"

# ---------------------------------------------------------------- tools
for tool in make gcc ld tar xz flex bison bc perl awk sed cksum nproc patch; do
	command -v "$tool" >/dev/null ||
		die "'$tool' not found: apt-get install build-essential flex bison bc libelf-dev libssl-dev xz-utils patch"
done
for header in libelf.h openssl/opensslv.h; do
	printf '#include <%s>\n' "$header" | gcc -E -x c - >/dev/null 2>&1 ||
		die "<$header> not found: apt-get install libelf-dev libssl-dev"
done

jobs=${CK_JOBS:-$(nproc)}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "CK_JOBS must be a positive number, not '$jobs'"

rm -f "$KDIR/.stamp"
: >"$LOG"

fail() {
	log "error: $*"
	if [[ -s $LOG ]]; then
		log "last lines of $LOG:"
		tail -n 40 "$LOG" >&2
	fi
	exit 1
}

# run DESCRIPTION COMMAND...: run a step, its output to the log.
run() {
	local what=$1
	shift
	printf '\n### %s: %s\n' "$what" "$*" >>"$LOG"
	"$@" >>"$LOG" 2>&1 || fail "$what failed (log: $LOG)"
}

kmake() { make -C "$TREE" "$@"; }

start=$SECONDS

# ---------------------------------------------------------------- unpack
if [[ ${CK_REFRESH:-0} != 1 && -f $TREE/.ck-unpacked &&
	$(<"$TREE/.ck-unpacked") == "$src_id" ]]; then
	log "source tree already unpacked ($TREE): resuming"
else
	log "unpacking $TARBALL into $TREE ..."
	rm -rf "$TREE"
	mkdir -p "$TREE"
	run "unpack" tar -xf "$TARBALL" -C "$TREE" --strip-components=1
	[[ -f $TREE/Makefile && -x $TREE/scripts/config ]] ||
		fail "$TARBALL does not hold a kernel tree"
	# An empty .scmversion: the release never gets a "+" or a git hash.
	: >"$TREE/.scmversion"
	printf '%s\n' "$src_id" >"$TREE/.ck-unpacked"
fi

# ---------------------------------------------------------------- patch
for p in "${PATCHES[@]}"; do
	if patch -d "$TREE" -p1 -R -s -f --dry-run <"$p" >/dev/null 2>&1; then
		continue # applied before
	fi
	log "patching: ${p##*/}"
	run "patch ${p##*/}" patch -d "$TREE" -p1 -N <"$p"
done

# ---------------------------------------------------------------- configure
log "configuring (x86_64_defconfig + kvm_guest.config + $FLAVOUR options, KASAN=$KASAN) ..."
run "defconfig" kmake x86_64_defconfig kvm_guest.config
cfg_args=()
while read -r kind name value; do
	case $kind in
		'' | '#'*) continue ;;
		y) cfg_args+=(--enable "$name") ;;
		n | trim) cfg_args+=(--disable "$name") ;;
		v)
			if [[ $value == \"*\" ]]; then
				value=${value#\"}
				cfg_args+=(--set-str "$name" "${value%\"}")
			else
				cfg_args+=(--set-val "$name" "$value")
			fi
			;;
		*) die "bad option line: $kind $name $value" ;;
	esac
done < <(options)
run "scripts/config" "$TREE/scripts/config" --file "$TREE/.config" "${cfg_args[@]}"
run "olddefconfig" kmake olddefconfig

bad=()
while read -r kind name value; do
	case $kind in
		y) grep -qx "CONFIG_$name=y" "$TREE/.config" || bad+=("CONFIG_$name is not =y") ;;
		n) if grep -q "^CONFIG_$name=" "$TREE/.config"; then bad+=("CONFIG_$name is set: $(grep "^CONFIG_$name=" "$TREE/.config")"); fi ;;
		v) grep -qxF "CONFIG_$name=$value" "$TREE/.config" || bad+=("CONFIG_$name is not $value") ;;
	esac
done < <(options)
if ((${#bad[@]})); then
	for b in "${bad[@]}"; do
		log "config: $b"
	done
	die "the kernel configuration ($TREE/.config) lacks ${#bad[@]} required setting(s); see scripts/config and Kconfig dependencies"
fi

# ---------------------------------------------------------------- build
log "building with make -j$jobs bzImage modules modules_prepare (log: $LOG) ..."
printf '\n### build: make -j%s bzImage modules modules_prepare\n' "$jobs" >>"$LOG"
# "modules" too: it writes Module.symvers (the exported symbols of the
# kernel proper), which modpost needs to check an external module.
# make itself (not a function) in the background, so that $! is make's PID.
make -C "$TREE" -j"$jobs" bzImage modules modules_prepare >>"$LOG" 2>&1 &
make_pid=$!
# Killed or interrupted: take the build down too (the next call resumes it).
trap 'kill "$make_pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
last=$SECONDS
while kill -0 "$make_pid" 2>/dev/null; do
	sleep 5
	if ((SECONDS - last >= 60)); then
		last=$SECONDS
		step=$(grep -E '^  [A-Z]+' "$LOG" | tail -n 1 | sed 's/^ *//') || true
		log "  ... $(((SECONDS - start) / 60)) min: ${step:-working}"
	fi
done
rc=0
wait "$make_pid" || rc=$?
trap - EXIT INT TERM
((rc == 0)) || fail "the kernel build failed (make exit $rc)"

[[ -f $TREE/arch/x86/boot/bzImage ]] || fail "no arch/x86/boot/bzImage after the build"
[[ -s $TREE/Module.symvers ]] || fail "no Module.symvers after the build"
# After the build: kernelrelease reads CONFIG_LOCALVERSION from auto.conf.
release=$(kmake -s kernelrelease 2>>"$LOG") || fail "make kernelrelease failed"
[[ $release == 6.1.*"$LOCALVERSION" ]] || fail "unexpected kernel release '$release'"
[[ $(<"$TREE/include/config/kernel.release") == "$release" ]] ||
	fail "include/config/kernel.release differs from '$release'"

# ---------------------------------------------------------------- publish
ln -sfn build/arch/x86/boot/bzImage "$KDIR/vmlinuz"
ln -sfn build/.config "$KDIR/config"
ln -sfn build/System.map "$KDIR/System.map"
printf '%s\n' "$release" >"$KDIR/release"
{
	printf 'format=%s\n' "$STAMP_FORMAT"
	printf 'kernel=%s\n' "$FLAVOUR"
	printf 'source=%s\n' "$src_id"
	printf 'options=%s\n' "$opts_id"
	printf 'kasan=%s\n' "$KASAN"
	printf 'tree=%s\n' "$TREE"
	printf 'release=%s\n' "$release"
} >"$KDIR/.stamp.tmp"
mv -f "$KDIR/.stamp.tmp" "$KDIR/.stamp"

elapsed=$((SECONDS - start))
log "$FLAVOUR kernel ready: release $release, built in $((elapsed / 60)) min $((elapsed % 60)) s"
log "  vmlinuz: $KDIR/vmlinuz ($(stat -L -c %s "$KDIR/vmlinuz") bytes)   KDIR: $TREE"
printf '%s\n' "$KDIR"
