#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-lib.sh - building and booting the test VM, shared by the scripts that
# boot one (check.sh, demo.sh, grade.sh, timeline.sh, bench.sh). Sourced by
# bash, once top (the repository) is set; it sources config.sh. Expects:
# out (build folder), MODULES, FIXTURES, ACCEL, BOOT_TIMEOUT_S; sets
# busybox, accel; kcache is the cache folder of the kernel at hand (from
# fetch-kernel.sh), results the folder of result files.
# shellcheck disable=SC2154,SC2153

# shellcheck source=scripts/lib/config.sh
. "$top/scripts/lib/config.sh"

# kill_below PID: end every process below PID (QEMU under timeout, which
# runs it in a process group of its own: Ctrl-C does not reach it). The
# tree is read, all are sent SIGTERM, and again, for 5 s at most, while any
# is left: a script that traps SIGTERM ends only once its command has, and
# may have started it after the tree was read.
kill_below() {
	local all tries=0
	# Without ps (procps, which the preflight asks for), nothing has been
	# started yet: the preflight stopped the script.
	command -v ps >/dev/null || return 0
	while [ "$tries" -lt 25 ]; do
		all=$(ps -e -o pid=,ppid= | awk -v root="$1" '
			{ parent[$1] = $2 }
			END { keep[root] = 1
				do { more = 0; for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; more = 1 } } while (more)
				for (p in keep) if (p != root) print p }')
		# (The ps and awk of this very call are below PID too.)
		all=$(for p in $all; do [ ! -d "/proc/$p" ] || echo "$p"; done)
		[ -n "$all" ] || return 0
		# shellcheck disable=SC2086 # one word a PID
		kill -TERM $all 2>/dev/null || true
		sleep 0.2
		tries=$((tries + 1))
	done
}
# on_interrupt: the traps of a script that starts VMs: Ctrl-C, a kill or
# the end of the script leaves none of its VMs, builds or checks running,
# and none of their temporary files: TMPDIR becomes a folder of its own,
# removed once all below it have ended. (CK_INTERRUPT_TRAPS=0 leaves them
# out: interrupt-test.sh shows that its test fails then.)
on_interrupt() {
	[ "${CK_INTERRUPT_TRAPS:-1}" != 0 ] || return 0
	# shellcheck disable=SC2016 # $$ at the exit
	ck_private_tmp 'kill_below $$'
}

# Stop with a clear message when a tool the VM needs is missing.
vm_check_tools() {
	for tool in qemu-system-x86_64 cpio gzip make timeout; do
		command -v "$tool" >/dev/null || die "$tool not found: run scripts/install-deps.sh as root, or install it"
	done
	busybox=$(command -v busybox || true)
	if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
		die "a static busybox is needed for the VM: apt-get install busybox-static"
	fi
}

# fetch_kernel KERNEL: the kernel's cache folder (vmlinuz, build, release and,
# for a kernel whose headers need another compiler, kmake), fetched or built
# the first time.
fetch_kernel() {
	case $1 in
	debug | kcsan) "$top/scripts/kernels/build-debug-kernel.sh" "$1" ;;
	unstable) "$top/scripts/kernels/fetch-unstable.sh" ;;
	*) "$top/scripts/kernels/fetch-kernel.sh" "$1" ;;
	esac
}

# kmake KCACHE ARGS...: make in the kernel's build tree, through the kernel's
# own kmake wrapper if it has one (headers that need a chroot's compiler).
kmake() {
	local kc=$1
	shift
	if [ -x "$kc/kmake" ]; then
		# The chroot has not our TMPDIR (older kmake wrappers pass it on).
		env -u TMPDIR "$kc/kmake" "$@"
	else
		make -C "$kc/build" "$@"
	fi
}

# put FILE [FROM]: standard input into FILE, unless FILE already holds
# exactly that and FROM, the file it is made from, is not newer: an
# unchanged source keeps its time, so Kbuild does not rebuild it; a touched
# one is rebuilt, as make does.
put() {
	cat >"$1.new"
	if cmp -s "$1.new" "$1" && { [ -z "${2:-}" ] || [ ! "$2" -nt "$1" ]; }; then
		rm -f "$1.new"
	else
		mv -f "$1.new" "$1"
	fi
}

# prune DIR KEEP...: remove the folders of DIR not named in KEEP.
prune() {
	local dir=$1 d
	shift
	for d in "$dir"/*/; do
		d=${d%/}
		case " $* " in *" ${d##*/} "*) ;; *) rm -rf "$d" ;; esac
	done
}

# build_for KERNEL KCACHE: the modules (and API_MODULE and BENCH_MODULE, if set), fixtures,
# labs (LABS) and floor in build/KERNEL/src, in one Kbuild pass that
# rebuilds only what changed since the last run. The modules named in
# GCOV_MODULES are built with gcov (GCOV_PROFILE, for a kernel with
# CONFIG_GCOV_KERNEL): their fault-injection build if they have one, which
# is then the one the VM loads (initramfs_for), else their own.
build_for() {
	local k=$1 kc=$2 src=$out/$1/src f base bdir d m names="floor" kbuild=""
	mkdir -p "$src/floor"
	for m in $MODULES ${API_MODULE:-} ${BENCH_MODULE:-}; do
		mkdir -p "$src/$m"
		for f in "$m.c" "$m.expected" Kbuild; do
			# shellcheck disable=SC2094 # put reads it, then compares times
			[ ! -f "$top/$m/$f" ] || put "$src/$m/$f" "$top/$m/$f" <"$top/$m/$f"
		done
		if gcov_of "$m" && ! grep -q 'kthread_run(' "$top/$m/$m.c"; then
			{
				cat "$top/$m/Kbuild"
				echo "GCOV_PROFILE := y"
			} | put "$src/$m/Kbuild"
		fi
		kbuild="${kbuild}obj-m += $m/
"
		names="$names $m"
	done
	for f in $FIXTURES; do
		base=$(ck_fixture_field "$f" base)
		# Its base: a module, or a lab's skeleton (a wrong answer).
		bdir=$top/$base
		[ -f "$bdir/$base.c" ] || bdir=$top/labs/$base
		d=$src/broken_$f
		mkdir -p "$d"
		sed -f "$CK_FIXTURES_DIR/$f.sed" "$bdir/$base.c" | put "$d/broken_$f.c" "$bdir/$base.c" ||
			die "$CK_FIXTURES_DIR/$f.sed: sed failed"
		if cmp -s "$bdir/$base.c" "$d/broken_$f.c"; then
			die "fixture $f changes nothing in $base.c: fix $CK_FIXTURES_DIR/$f.sed"
		fi
		[ ! -f "$bdir/$base.expected" ] || put "$d/broken_$f.expected" <"$bdir/$base.expected"
		echo "obj-m := broken_$f.o" | put "$d/Kbuild"
		kbuild="${kbuild}obj-m += broken_$f/
"
		names="$names broken_$f"
	done
	# The labs of LABS: the skeleton as NAME, the solution, if the
	# instructor left it, as NAME_solution; LAB_PARTS ("skeleton
	# solution") says which of the two. LAB_ANSWER: a file built in the
	# skeleton's place (make grade ANSWER=, one lab). A lab graded by
	# api-tests.sh has completion_api's expected file.
	for f in ${LABS:-}; do
		for d in "$f" "${f}_solution"; do
			if [ "$d" = "$f" ]; then
				case " ${LAB_PARTS:-skeleton solution} " in *" skeleton "*) ;; *) continue ;; esac
				mkdir -p "$src/$d"
				put "$src/$d/$d.c" <"${LAB_ANSWER:-$top/labs/$f/$f.c}"
			else
				case " ${LAB_PARTS:-skeleton solution} " in *" solution "*) ;; *) continue ;; esac
				[ -f "$top/labs/$f/solution/$f.sed" ] || continue
				mkdir -p "$src/$d"
				lab_solution "$f" >"$src/$d/$d.c.sol" || die "the solution of lab $f does not apply"
				put "$src/$d/$d.c" <"$src/$d/$d.c.sol"
				rm -f "$src/$d/$d.c.sol"
			fi
			if [ -f "$top/labs/$f/$f.expected" ]; then
				put "$src/$d/$d.expected" <"$top/labs/$f/$f.expected"
			else
				put "$src/$d/$d.expected" <"$top/$CK_API_MODULE/$CK_API_MODULE.expected"
			fi
			echo "obj-m := $d.o" | put "$src/$d/Kbuild"
			kbuild="${kbuild}obj-m += $d/
"
			names="$names $d"
		done
	done
	for f in ck_floor.c Kbuild; do
		put "$src/floor/$f" <"$top/tests/floor/$f"
	done
	# shellcheck disable=SC2086 # one word a name
	prune "$src" $names
	printf '%sobj-m += floor/\n' "$kbuild" | put "$src/Kbuild"
	kmake "$kc" -s M="$src" -j"$(nproc)" modules >"$out/$k/build.log" 2>&1 ||
		{ cat "$out/$k/build.log" >&2; die "building for $k failed (its log: $out/$k/build.log)"; }

	# The same modules with fault injection (tests/inject/inject.h), in
	# a build of their own: two modules of one name cannot share one.
	local inj=$out/$1/src-inject
	kbuild=""
	names=""
	mkdir -p "$inj"
	for d in "$src"/*/; do
		m=$(basename "$d")
		[ -f "$d/$m.expected" ] || continue
		# Only the kthread modules have a kthread_run() to fail.
		grep -q 'kthread_run(' "$d/$m.c" || continue
		mkdir -p "$inj/$m"
		# shellcheck disable=SC2094 # put reads it, then compares times
		put "$inj/$m/$m.c" "$d/$m.c" <"$d/$m.c"
		put "$inj/$m/inject.h" <"$top/tests/inject/inject.h"
		{
			cat "$d/Kbuild"
			echo "ccflags-y += -include \$(src)/inject.h"
			! gcov_of "$m" || echo "GCOV_PROFILE := y"
		} | put "$inj/$m/Kbuild"
		kbuild="${kbuild}obj-m += $m/
"
		names="$names $m"
	done
	# shellcheck disable=SC2086 # one word a name
	prune "$inj" $names
	printf '%s' "$kbuild" | put "$inj/Kbuild"
	kmake "$kc" -s M="$inj" -j"$(nproc)" modules >"$out/$k/build-inject.log" 2>&1 ||
		{ cat "$out/$k/build-inject.log" >&2; die "building the fault-injection modules for $k failed (its log: $out/$k/build-inject.log)"; }
}

# gcov_of NAME: is module NAME built with gcov (GCOV_MODULES)?
gcov_of() {
	case " ${GCOV_MODULES:-} " in *" $1 "*) return 0 ;; esac
	return 1
}

# kernel_image KERNEL: what QEMU boots for KERNEL, in $kimage. A kernel built
# with CONFIG_PVH boots from its uncompressed ELF image through PVH's entry
# point (QEMU loads an ELF with a PVH note directly): no real-mode set-up
# and no decompression under TCG, which took 6-10 s of each boot of
# Debian's xz-compressed 5.10 and 6.1. The image is the bzImage's payload
# (boot protocol: setup_sects at 0x1f1, payload_offset and payload_length
# at 0x248), decompressed once into build/KERNEL/vmlinux. Other kernels
# boot their bzImage.
kernel_image() {
	local k=$1 bz=$kcache/vmlinuz img=$out/$1/vmlinux setup off len unz
	kimage=$bz
	grep -qsx CONFIG_PVH=y "$kcache/config" "$kcache/build/.config" || return 0
	if [ ! -s "$img" ] || [ "$img" -ot "$bz" ]; then
		read -r setup off len <<<"$(od -An -v -tu1 -j $((0x1f1)) -N1 "$bz") $(od -An -v -tu4 -j $((0x248)) -N8 "$bz")"
		# xz and zstd payloads end in 4 bytes of size (size_append).
		case $(od -An -tx1 -j $(((setup + 1) * 512 + off)) -N4 "$bz" | tr -d ' ') in
		fd377a58) unz="xz -dc" len=$((len - 4)) ;;
		28b52ffd) unz="zstd -dcq" len=$((len - 4)) ;;
		1f8b08*) unz="gzip -dc" ;;
		*) return 0 ;;
		esac
		if ! dd if="$bz" bs=1M iflag=skip_bytes,count_bytes skip=$(((setup + 1) * 512 + off)) \
			count="$len" status=none | $unz >"$img.tmp" ||
			[ "$(head -c 4 "$img.tmp" | od -An -tx1 | tr -d ' ')" != 7f454c46 ]; then
			rm -f "$img.tmp"
			note "kernel $k: cannot unpack $bz: booting it compressed"
			return 0
		fi
		mv "$img.tmp" "$img"
	fi
	kimage=$img
}

# host_tools ROOT DIR BINARY...: the host's BINARY in ROOT/DIR, and the
# libraries each loads at their own paths under ROOT.
host_tools() {
	local root=$1 dir=$2 f lib
	shift 2
	mkdir -p "$root/$dir"
	for f; do
		cp -L "$f" "$root/$dir/"
		for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
			mkdir -p "$root${lib%/*}"
			cp -L "$lib" "$root$lib"
		done
	done
}

# initramfs_for KERNEL: busybox, the runner and every module built for KERNEL.
initramfs_for() {
	local k=$1 root=$out/$1/initramfs d n f
	rm -rf "$root"
	mkdir -p "$root"/{bin,proc,sys,dev,ck/mods,ck/scripts/guest}
	cp "$busybox" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$top/scripts/vm/vm-init.sh" "$root/init"
	cp "$top/scripts/guest/run-tests.sh" "$top/scripts/guest/logcheck.awk" "$top/scripts/guest/reports.awk" "$top/scripts/guest/ck-lib.sh" \
		"$top/scripts/guest/demo-vm.sh" "$top/scripts/guest/api-tests.sh" "$top/scripts/guest/bench-run.sh" "$root/ck/scripts/guest/"
	cp "$out/$k/src/floor/ck_floor.ko" "$root/ck/"
	# ck-rt, built once (and again when its source changes).
	if [ ! "$out/ck-rt" -nt "$top/tests/tools/ck-rt.c" ]; then
		gcc -static -O2 -s -o "$out/ck-rt.$BASHPID" "$top/tests/tools/ck-rt.c"
		mv "$out/ck-rt.$BASHPID" "$out/ck-rt"
	fi
	cp "$out/ck-rt" "$root/bin/ck-rt"
	for d in "$out/$k/src"/*/; do
		n=$(basename "$d")
		[ -f "$d/$n.ko" ] || continue
		mkdir -p "$root/ck/mods/$n"
		if gcov_of "$n" && [ -f "$out/$k/src-inject/$n/$n.ko" ]; then
			cp "$out/$k/src-inject/$n/$n.ko" "$root/ck/mods/$n/"
		else
			cp "$d/$n.ko" "$root/ck/mods/$n/"
		fi
		[ ! -f "$d/$n.expected" ] || cp "$d/$n.expected" "$root/ck/mods/$n/"
		# make demo's header: the module's set-up line, the first line
		# of code that names the call its folder is named after.
		grep -n -i -F "$n(" "$d/$n.c" | grep -v -E '^[0-9]+:[[:space:]]*(\*|/\*|//)|MODULE_DESCRIPTION' |
			head -n 1 | sed "s|^\([0-9]*\):[[:space:]]*|$n.c:\1: |" >"$root/ck/mods/$n/lesson" || true
		# A fixture's comment, what make demo BROKEN= tells the class,
		# and its "# demo:" line, how the show loads it.
		f=$CK_FIXTURES_DIR/${n#broken_}.sed
		if [ -f "$f" ]; then
			sed -n 's/^# \{0,1\}//p' "$f" |
				grep -v '^\(base\|expect\|kernels\|not-kernels\|demo\):' >"$root/ck/mods/$n/about"
			sed -n 's/^# demo: *//p' "$f" >"$root/ck/mods/$n/demo"
		fi
		if [ -f "$out/$k/src-inject/$n/$n.ko" ]; then
			mkdir -p "$root/ck/mods/$n/inject"
			cp "$out/$k/src-inject/$n/$n.ko" "$root/ck/mods/$n/inject/"
		fi
	done
	# make timeline: trace-cmd.
	if [ -n "${CK_TRACE_CMD:-}" ]; then
		cp "$top/scripts/guest/timeline-vm.sh" "$root/ck/scripts/guest/"
		host_tools "$root" usr/bin "$(command -v trace-cmd)"
	fi
	# make shell: util-linux's dmesg and procps's ps, which take what a
	# learner types on a host (dmesg -w, ps -o wchan); vm-init.sh puts
	# /usr/local/bin first in the shell's PATH.
	if [ -n "${CK_SHELL:-}" ]; then
		host_tools "$root" usr/local/bin "$(command -v dmesg)" "$(command -v ps)"
		mkdir -p "$root/etc"
		echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	fi
	# Without their debug info (as INSTALL_MOD_STRIP=1 installs them): a
	# smaller initramfs to unpack at each boot.
	find "$root/ck" -name '*.ko' -exec strip --strip-debug {} +
	(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$out/$k/initramfs.cpio.gz"
}

# boot KERNEL CONSOLE_LOG CMDLINE_EXTRA: one QEMU run; its console in the log
# file, or on standard output if CONSOLE_LOG is "-", or on the terminal, in
# and out, if it is "tty" (make shell: Ctrl-A X kills the VM). Uses $accel
# and $kcache.
# A boot that dies before /init runs is tried again, up to BOOT_TRIES (3)
# in all; the first console is kept as CONSOLE_LOG.first-try. Nothing of
# ours has run by then. Seen: an int3 oops in early boot under
# multi-threaded TCG (about one boot in a hundred), and on the debug
# kernel, until scripts/kernels/debug-kernel-patches fixed it, a deadlock after
# "Running RCU-tasks wait API self tests" in most boots.
# So is a boot whose kernel oopsed on an int3 (tcg_int3): the kernel
# patches its code live (static keys, alternatives) behind an int3 and
# then tells every CPU; under multi-threaded TCG another vCPU has run the
# int3 from a stale translation after the patch was done, which the
# kernel cannot explain: "Oops: int3" (seen in insmod's module load, on
# 7.2 in one boot of 155, and at a tracepoint's enabling on 6.12).
# No module of ours executes an int3: a bug that does oopses again.
tcg_int3() {
	grep -qE '(^|[] ])(Oops: )?int3: [0-9a-f]{4} \[#1\]' "$1" 2>/dev/null
}
boot() {
	local rc=0 try=1
	boot_once "$@" || rc=$?
	while [ "$2" != - ] && [ "$2" != tty ] && { ! grep -q "^ck-vm: booted" "$2" || tcg_int3 "$2"; } &&
		[ "$try" -lt "${BOOT_TRIES:-3}" ]; do
		if tcg_int3 "$2"; then
			note "kernel $1: an int3 oops, the TCG artefact of live code patching (rc=$rc); booting again"
		else
			note "kernel $1: the VM died before /init (rc=$rc); booting again"
		fi
		[ -f "$2.first-try" ] || mv "$2" "$2.first-try"
		rc=0
		try=$((try + 1))
		boot_once "$@" || rc=$?
	done
	return "$rc"
}

boot_once() {
	local k=$1 log=$2 extra=$3 rc=0 qemu kargs=""
	# KASAN reports every bad access, not only the first of the boot.
	[ "$k" != debug ] || kargs="kasan_multi_shot"
	# Nothing a test looks at needs PCI, the CPU vulnerability mitigations
	# or the IO-APIC timer check: without them a boot reached /init in
	# 2.0 s of guest time, not 2.7, and make check's modules boot on 6.1
	# took 15.8 host CPU seconds, not 17.9 (pci=off: 13 s of the debug
	# kernel's boot under TCG).
	kargs="$kargs pci=off mitigations=off no_timer_check"
	# noirqdebug: the serial port's IRQ is never switched off as spurious.
	# A 6.1-rt guest printing 200 KB on its console (make bench) while the
	# host ran two other guests saw IRQ 4 arrive unhandled 99,900 times in
	# 100,000 ("Disabling IRQ #4", kernel/irq/spurious.c): its output then
	# stopped and the run waited for its 900 s timeout.
	kargs="$kargs noirqdebug"
	# An RCU stall is reported after 60 s, not 21: a 6.12 guest of a
	# loaded host (four guests on two cores) once saw an IPI wait 21 s on
	# an idle vCPU, a stall of TCG's and not of the kernel or a module
	# (lab_start_error, make check-all on a brand-new machine). A module
	# that spins still stalls for good, and is reported at 60 s.
	kargs="$kargs rcupdate.rcu_cpu_stall_timeout=60"
	# On the terminal (make demo, make shell), no boot messages before
	# the show (loglevel=1: not the debug kernel's ACPI errors either).
	[ "$log" != - ] && [ "$log" != tty ] || kargs="$kargs quiet loglevel=1"
	# la57=off: 4-level paging. With 5-level paging, an interrupt while
	# identify_cpu() has cleared boot_cpu_data.x86_capability sees LA57
	# off, and KASAN then calls every direct-map address a wild access
	# (a flood of "BUG: KASAN: wild-memory-access" at 0.009 s, seen in
	# CI on the debug kernel under TCG).
	# -nodefaults: no VGA, network card or CD-ROM for the guest's drivers
	# to probe (0.6-0.8 s of each boot of 6.1).
	qemu=(timeout --kill-after=5 "$BOOT_TIMEOUT_S" qemu-system-x86_64
		-accel "$accel" -cpu "max,la57=off" -smp "${VM_SMP:-2}" -m "${VM_MEM:-1024}"
		-nodefaults -display none -monitor none -no-reboot
		-kernel "${kimage:-$kcache/vmlinuz}" -initrd "$out/$k/initramfs.cpio.gz"
		-append "console=ttyS0 panic=-1 log_buf_len=8M $kargs $extra")
	if [ "$log" = - ]; then
		"${qemu[@]}" -serial stdio </dev/null || rc=$?
	elif [ "$log" = tty ]; then
		# The terminal's keys go to the guest; timeout lets QEMU read it.
		qemu[1]=--foreground
		"${qemu[@]}" -serial mon:stdio || rc=$?
	else
		# Its host CPU seconds, "USER SYS", in LOG.cpu (bench-check.sh).
		{ TIMEFORMAT="%U %S"; time "${qemu[@]}" -serial "file:$log" </dev/null 2>"$log.qemu"; } 2>"$log.cpu" &
		local pid=$! waited=0 size=0 still=0 now
		# A boot that reports a BUG before /init, prints nothing for
		# STALL_S (60) seconds before it, or has not reached /init within
		# INIT_TIMEOUT_S (240), is dead: an early oops under TCG, which
		# kasan_multi_shot repeats for as long as it runs, or a silent
		# hang (before scripts/kernels/debug-kernel-patches, most boots of the
		# debug kernel after "Running RCU-tasks wait API self tests"; a
		# good boot's longest silence there is 11 s). boot() tries again.
		while kill -0 "$pid" 2>/dev/null && ! grep -q '^ck-vm: booted' "$log" 2>/dev/null; do
			now=$(stat -c %s "$log" 2>/dev/null || echo 0)
			if [ "$now" = "$size" ]; then
				still=$((still + 1))
			else
				size=$now
				still=0
			fi
			# (A KCSAN report of the core kernel during the boot is
			# no early death: the kcsan kernel lists it.)
			if [ "$waited" -ge "${INIT_TIMEOUT_S:-240}" ] || [ "$still" -ge "${STALL_S:-60}" ] ||
				grep 'BUG: ' "$log" 2>/dev/null | grep -qv 'BUG: KCSAN: '; then
				kill "$pid" 2>/dev/null || true
				break
			fi
			sleep 1
			waited=$((waited + 1))
		done
		wait "$pid" || rc=$?
	fi
	return "$rc"
}

# The accelerator: KVM only if a probe boot gets through in time (on some
# machines /dev/kvm exists but a KVM guest hangs at boot), TCG otherwise.
pick_accel() {
	local k=$1 log=$results/$1/accel-probe.console
	if [ "$ACCEL" != auto ]; then
		accel=$ACCEL
		return
	fi
	accel=tcg
	[ -w /dev/kvm ] || return 0
	accel=kvm
	(BOOT_TIMEOUT_S=15 boot_once "$k" "$log" "CK_PROBE=1") 2>/dev/null || true
	if grep -q "ck-vm: probe ok" "$log"; then
		note "KVM probe boot succeeded: using KVM"
	else
		note "KVM probe boot failed or took over 15 s ($(head -c 160 "$log.qemu" 2>/dev/null | head -n 1)): using TCG (ACCEL=tcg skips the probe)"
		accel=tcg
	fi
}
