#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - what a hand-off costs: completion_bench's figures as a table,
# a TSV and a histogram picture. A benchmark, not a test.
#
#   scripts/bench.sh          make bench: in a QEMU VM on each of KERNELS
#   scripts/bench.sh --host   sudo make bench-host: on the running kernel
#   scripts/bench.sh --check  make check-all's check of it: one run on KERNEL
#                             (the first of BENCH_KERNELS) must pass, each
#                             broken copy (tests/broken/bench_*) must fail
#
# Each run loads completion_bench once (scripts/guest/bench-run.sh): ROUNDS ping-
# pong rounds a mechanism (the module's default if unset), two hand-offs
# each. tools/bench.py reads the
# runs' samples into build/bench/KEY/ (KEY: the kernel key, or host):
#   table.txt   what is printed: each mechanism's median, p99 and max, and
#               its median and p99 as ratios to the floor's, wake_up_process
#   bench.tsv   the same, one line a run and mechanism
#   bench.svg   the histogram of every run's hand-offs
#   run-N/      a run's samples.tsv (every hand-off) and log.txt
# In the VM the CPUs are emulated (TCG): the table and picture say so.
# DOCS=1 also copies KERNEL's table and picture to docs/img/ (they are
# what docs/benchmark.md shows).
#
# Settings: KERNELS (make bench: BENCH_KERNELS of scripts/lib/config.sh), RUNS
# (3), ROUNDS, ACCEL (auto), DOCS.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/vm/vm-lib.sh
. "$top/scripts/vm/vm-lib.sh"
on_interrupt
RUNS=${RUNS:-3}
ROUNDS=${ROUNDS:-}
ACCEL=${ACCEL:-auto}
BOOT_TIMEOUT_S=${BOOT_TIMEOUT_S:-900}
MODULES=""
FIXTURES=""
BENCH_MODULE=$CK_BENCH_MODULE
out=$top/build/bench
results=$out/results

note() {
	echo "bench.sh: $*" >&2
}

case $RUNS in '' | *[!0-9]* | 0) die "RUNS=$RUNS: give a number of runs, 1 or more" ;; esac
case $ROUNDS in *[!0-9]*) die "ROUNDS=$ROUNDS: give a number from 100 to 1000000" ;; esac

# report KEY LABEL [--emulated]: the table, TSV and picture of KEY's runs.
report() {
	local key=$1 label=$2
	shift 2
	python3 "$top/tools/bench.py" --label "$label" "$@" "$out/$key" || die "$key: the runs cannot be read"
	if [ -n "${DOCS:-}" ] && [ "$key" != host ]; then
		cp "$out/$key/table.txt" "$top/docs/img/bench-$key.txt"
		cp "$out/$key/bench.svg" "$top/docs/img/bench-$key.svg"
		note "$key: docs/img/bench-$key.txt and .svg"
	fi
}

if [ "${1:-}" = --host ]; then
	[ "$(id -u)" = 0 ] || die "make bench-host loads a module: run it as root (sudo make bench-host)"
	KDIR=${KDIR:-/lib/modules/$(uname -r)/build}
	[ -f "$KDIR/Makefile" ] ||
		die "no kernel build tree in $KDIR: install the running kernel's headers (Debian/Ubuntu: apt-get install linux-headers-$(uname -r))"
	command -v python3 >/dev/null || die "python3 not found: apt-get install python3"
	src=$out/host/src
	rm -rf "$out/host"
	mkdir -p "$src"
	cp "$top/$BENCH_MODULE/$BENCH_MODULE.c" "$top/$BENCH_MODULE/Kbuild" "$src/"
	make -s -C "$KDIR" M="$src" modules || die "building $BENCH_MODULE for $(uname -r) failed"
	for n in $(seq "$RUNS"); do
		"$top/scripts/guest/bench-run.sh" "$src/$BENCH_MODULE.ko" "$out/host/run-$n" ||
			die "run $n failed"
	done
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	report host "$(uname -r) on ${cpu:-this machine}, $(nproc) CPUs"
	exit 0
fi

# vm_runs KEY NAME RUNS CONSOLE [EXTRA]: boot KEY's VM to run module NAME
# RUNS times (and what EXTRA asks, BENCH_KILL=1); 0 if every run passed,
# each run's files then in $out/KEY/run-N.
vm_runs() {
	local k=$1 name=$2 runs=$3 console=$4 extra=${5:-} t0 n f
	t0=$(date +%s)
	boot "$k" "$console" "CK_BENCH=$name RUNS=$runs${ROUNDS:+ ROUNDS=$ROUNDS}${extra:+ $extra}" ||
		note "$k: QEMU ended with status $?"
	note "$k: $name: VM done in $(($(date +%s) - t0)) s"
	grep -q '^ck-vm: bench rc=0' "$console" || return 1
	rm -rf "$out/$k"/run-*
	for n in $(seq "$runs"); do
		mkdir -p "$out/$k/run-$n"
		for f in samples.tsv log.txt; do
			awk -v b="ck-bench: begin $n $f" -v e="ck-bench: end $n $f" '{ sub(/\r$/, "") }
				$0 == e { on = 0 } on { print } $0 == b { on = 1 }' "$console" |
				base64 -d | gunzip >"$out/$k/run-$n/$f" || die "$k: run $n: no $f in $console"
		done
	done
}

# prepare KEY: KEY's kernel, the module (and FIXTURES) built for it, the VM.
prepare() {
	local k=$1
	mkdir -p "$out/$k" "$results/$k"
	kcache=$(fetch_kernel "$k")
	release=$(cat "$kcache/release")
	note "$k: building $BENCH_MODULE for $release"
	build_for "$k" "$kcache"
	initramfs_for "$k"
	kernel_image "$k"
	pick_accel "$k"
	emulated=""
	[ "${accel%%,*}" != tcg ] || emulated=--emulated
}

# --check (make check-all): on KERNEL, one run of the module must pass,
# bench.py reading it, then kill -9 of its insmod must stop it at once
# (bench-run.sh --kill), and taking a CPU offline during a run must not
# wait for its end (--hotplug); each broken copy of it (tests/broken/, "# base:
# completion_bench") must fail the way its "# expect:" line says.
if [ "${1:-}" = --check ]; then
	KERNEL=${KERNEL:-${CK_BENCH_KERNELS%% *}}
	out=$top/build/bench/check
	results=$out/results
	for f in $(ck_fixtures); do
		[ "$(ck_fixture_field "$f" base)" != "$BENCH_MODULE" ] || FIXTURES="$FIXTURES $f"
	done
	"$top/scripts/lib/deps.sh" preflight bench "$KERNEL" || exit 2
	vm_check_tools
	prepare "$KERNEL"
	rc=0
	console=$results/$KERNEL/$BENCH_MODULE.console
	if vm_runs "$KERNEL" "$BENCH_MODULE" 1 "$console" BENCH_KILL=1 &&
		python3 "$top/tools/bench.py" --label "$release" $emulated "$out/$KERNEL" >/dev/null; then
		echo "ok: $BENCH_MODULE on $release: loaded, timed $(($(wc -l <"$out/$KERNEL/run-1/samples.tsv") - 1)) hand-offs, unloaded, no kernel report; the samples match its log"
		echo "ok: $BENCH_MODULE: $(sed -n 's/^bench-run.sh: [a-z_]*: \(kill -9 .*\)\r*$/\1/p' "$console")"
		echo "ok: $BENCH_MODULE: $(sed -n 's/^bench-run.sh: [a-z_]*: \(CPU 1 went offline .*\)\r*$/\1/p' "$console")"
	else
		echo "FAIL: $BENCH_MODULE on $release: see $results/$KERNEL/$BENCH_MODULE.console"
		rc=1
	fi
	for f in $FIXTURES; do
		want=$(ck_fixture_field "$f" expect)
		case $want in
		report) why="the kernel reported a problem" ;;
		kill) why="insmod outlived kill -9" ;;
		hotplug) why="taking CPU 1 offline during a run did not return" ;;
		*) die "tests/broken/$f.sed: expect: $want: bench.sh knows report, kill and hotplug" ;;
		esac
		console=$results/$KERNEL/broken_$f.console
		if vm_runs "$KERNEL" "broken_$f" 1 "$console" BENCH_KILL=1; then
			echo "FAIL: broken_$f (broken): passed: the check cannot tell"
			rc=1
		elif grep -q "^bench-run.sh: $why" "$console"; then
			echo "ok: broken_$f (broken): fails as it must: $why"
		else
			echo "FAIL: broken_$f (broken): failed, but not because $why: see $console"
			rc=1
		fi
	done
	exit "$rc"
fi

KERNELS=${KERNELS:-$CK_BENCH_KERNELS}
for k in $KERNELS; do
	ck_known_kernel "$k" || die "unknown kernel $k (known: $CK_KERNELS_KNOWN)"
done
# shellcheck disable=SC2086 # the keys, one word each
"$top/scripts/lib/deps.sh" preflight bench $KERNELS || exit 2
vm_check_tools
for k in $KERNELS; do
	prepare "$k"
	note "$k: $RUNS runs${ROUNDS:+ of $ROUNDS rounds} on $release in QEMU ($accel)"
	console=$results/$k/console.log
	vm_runs "$k" "$BENCH_MODULE" "$RUNS" "$console" || {
		grep '^bench-run.sh: ' "$console" >&2 || true
		die "$k: the runs in the VM failed: see $console"
	}
	report "$k" "$release in QEMU ($accel)" $emulated
done
