#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - `make check`, `make check-harness` and `make check-all`: test
# the modules, and the tests themselves, on real Debian kernels in QEMU.
#
# First the preflight (scripts/lib/deps.sh): as root it installs what is missing,
# as a user it stops with the command to run. Then, for each kernel of
# KERNELS: fetch its image and headers (fetch-kernel.sh), one after
# another; then, the kernels at once, build the modules, the floor module
# and the broken fixtures against it and pack a busybox initramfs with them
# and run-tests.sh. Then boot every kernel's VMs in QEMU, in one pool, and
# read the KTAP that run-tests.sh prints on each serial console. One boot
# runs all selected modules, one completion_api's tests; each broken
# fixture (tests/broken/*.sed) gets a boot of its own and passes only if
# the checks that fail in that boot are exactly those its "# expect:" line
# lists ("[check]": may fail or not, depending on the kernel). The
# W=1/sparse builds and the static checks run beside the boots, niced.
#
# A kernel whose fetch, build or boot fails is one "not ok" with the reason;
# the other kernels still run, and the summary line is always printed.
#
# Settings (environment or make variables):
#   TIER=quick|harness|all|coverage|mutants (make check, check-harness,
#   check-all, coverage, mutants; below)
#   KERNELS="5.10 6.1 6.12" (the tier's: quick|harness|all, or any keys of
#   scripts/lib/config.sh)
#   MODULES="<the five> completion_api" (quick, all; harness: none): the
#   modules whose tests run, completion_api's in a boot of its own
#   FIXTURES="<all>" (harness, all; quick: none), or none
#   LABS="" (all: every lab of labs/; its skeleton must fail its
#   lab.conf's expect= checks, its solution pass)
#   CYCLES, STRESS_CYCLES, WAIT_S, FUZZ_S, EARLY_DELAY_MS: the modules'
#   boot's repetitions (CK_REPS_QUICK, or CK_REPS_FULL in make check-all;
#   the fixtures and labs always have the quick ones)
#   ACCEL=auto|kvm|tcg  JOBS=<2 a core, 3 in make check; at most 12 and one
#   per GB available> (QEMU boots at once)
#   ROUNDS, PERIOD_MS, CANCEL_PERIOD_MS, DWELL_S, RMMOD_TIMEOUT_S,
#   RMMOD_BOUND_MS: passed on to the runner when set (its defaults are
#   scripts/guest/run-tests.sh's)
#   DEBUG_CYCLES=9  DEBUG_STRESS_CYCLES=4  DEBUG_DWELL_S=0
#   DEBUG_RMMOD_BOUND_MS=3000  DEBUG_VM_MEM=512 (the debug kernel; the
#   kcsan kernel has the same, but 1024 MB and KCSAN_CYCLES=6)
#   VM_MEM=1024 (MB)  CK_BUILD=build (the build and results folder)
#   BOOT_TIMEOUT_S=300 (a boot that takes longer is killed and reported)
# Output: KTAP on stdout, ending in "N passed, N failed"; files under
# build/results/ (summary.tsv, per-boot console logs, kernel-times).

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/vm/vm-lib.sh
. "$top/scripts/vm/vm-lib.sh"
# shellcheck source=scripts/lib/ktap.sh
. "$top/scripts/lib/ktap.sh"
# The tier (README.md's table): which checks, on which kernels, how often.
#   quick    make check: the five modules and completion_api, the W=1/sparse
#            build; the quick repetitions (CK_REPS_QUICK)
#   harness  make check-harness: every fixture of tests/broken, each run
#            with the quick tier's repetitions, so that each is caught by
#            make check's own checks; the shell test, make timeline's and
#            make bench's checks
#   all      make check-all: both, with the full repetitions
#            (CK_REPS_FULL), the labs and the static checks of make lint,
#            on every kernel of the matrix, and the coverage below
#   coverage make coverage: the modules' boots of the debug kernel alone,
#            their builds with gcov; then tools/coverage.py reads back
#            which lines and branches of the modules ran (build/coverage/)
#   mutants  make mutants (scripts/mutants.sh): the FIXTURES of
#            CK_FIXTURES_DIR (its mutants) alone, with the quick tier's
#            repetitions, and no W=1/sparse build
TIER=${TIER:-quick}
case $TIER in
quick | harness | all | coverage | mutants) ;;
*) echo "check.sh: unknown TIER=$TIER (quick, harness, all, coverage or mutants)" >&2 && exit 2 ;;
esac
[ "$TIER" != coverage ] || KERNELS=${KERNELS:-debug}
# KERNELS=quick|harness|all: the kernels of that tier.
case ${KERNELS:-$TIER} in
quick | harness | all) KERNELS=$(ck_default_kernels "${KERNELS:-$TIER}") ;;
esac
case $TIER in
quick)
	reps=$CK_REPS_QUICK
	[ -n "${MODULES+set}" ] || MODULES="$CK_MODULES $CK_API_MODULE"
	FIXTURES=${FIXTURES:-none}
	LABS=${LABS:-}
	static_checks=""
	after_checks=""
	;;
harness)
	reps=$CK_REPS_QUICK
	MODULES=${MODULES:-}
	LABS=${LABS:-}
	static_checks=""
	after_checks="shell timeline bench interrupt ktap commands"
	;;
all)
	reps=$CK_REPS_FULL
	[ -n "${MODULES+set}" ] || MODULES="$CK_MODULES $CK_API_MODULE"
	LABS=${LABS-$(ck_labs)}
	static_checks=$CK_LINT_CHECKS
	after_checks="shell timeline bench interrupt ktap commands coverage"
	;;
coverage)
	reps=$CK_REPS_FULL
	[ -n "${MODULES+set}" ] || MODULES="$CK_MODULES $CK_API_MODULE"
	FIXTURES=${FIXTURES:-none}
	LABS=""
	static_checks=""
	after_checks="coverage"
	;;
mutants)
	# make mutants (scripts/mutants.sh): its mutants as fixtures
	# (CK_FIXTURES_DIR), with the quick tier's repetitions, nothing else.
	reps=$CK_REPS_QUICK
	MODULES=""
	LABS=""
	static_checks=""
	after_checks=""
	;;
esac
# The repetitions: CYCLES, STRESS_CYCLES, WAIT_S, FUZZ_S, each unless set.
for r in $reps; do
	eval "${r%%=*}=\${${r%%=*}:-${r#*=}}"
done
# MODULES names the five and completion_api (its tests are
# scripts/guest/api-tests.sh's, in a boot of their own).
API_MODULE=""
mods=""
for m in $MODULES; do
	if [ "$m" = "$CK_API_MODULE" ]; then
		API_MODULE=$m
	else
		mods="$mods $m"
	fi
done
MODULES=${mods# }
[ -n "${FIXTURES+set}" ] || FIXTURES=$(ck_fixtures)
[ "$FIXTURES" = none ] && FIXTURES=""
# A broken completion_bench is make bench's to check (scripts/bench.sh --check).
FIXTURES=$(for f in $FIXTURES; do
	[ "$(ck_fixture_field "$f" base)" = "$CK_BENCH_MODULE" ] || printf '%s ' "$f"
done)
nproc=$(nproc)
# A TCG guest keeps about one core busy while it boots and half of one or
# less while its tests sleep (hung-task periods, timeouts), so more boots
# than cores fill them. On 2 cores, make check took 602 s with 2 at a time,
# 412 s with 4, 363 s with 6, 390 s with 8; but with 6, make check-all's
# debug-kernel guests ran four times slower and two timing margins broke
# (docs/testing.md). Two a core; three in make check, whose boots have
# one CPU each and no debug kernel: its six boots at once on 2 cores.
if [ -z "${JOBS:-}" ]; then
	mem_gb=$(awk '/^MemAvailable:/ { print int($2 / 1048576) }' /proc/meminfo)
	JOBS=$((2 * nproc))
	[ "$TIER" != quick ] || JOBS=$((3 * nproc))
	[ "$JOBS" -le 12 ] || JOBS=12
	[ "$JOBS" -le "$mem_gb" ] || JOBS=$mem_gb
	[ "$JOBS" -ge 1 ] || JOBS=1
fi
ACCEL=${ACCEL:-auto}
BOOT_TIMEOUT_S=${BOOT_TIMEOUT_S:-300}
# CK_BUILD: the build folder (default build/; interrupt-test.sh's runs
# have their own).
out=${CK_BUILD:-$top/build}
results=$out/results

note() {
	echo "check.sh: $*" >&2
}
# console_dmesg CONSOLE: the guest's kernel log at the end of a console,
# as text or gzipped in base64 (vm-init.sh).
console_dmesg() {
	if grep -q '^ck-vm: dmesg.gz begin' "$1"; then
		tr -d '\r' <"$1" | sed -n '/^ck-vm: dmesg.gz begin/,/^ck-vm: dmesg.gz end/{/^ck-vm: /d;p}' |
			base64 -d | gzip -dc
	else
		tr -d '\r' <"$1" | sed -n '/^ck-vm: dmesg begin/,$p'
	fi
}
# result_of MODULE LOG: set "line" to the runner's "# result:" line of
# MODULE in console LOG (empty if none). get KEY: its KEY=VALUE's value,
# read by the shell (no process: a run reads some 40 of them a kernel).
result_of() {
	line=$(grep -a "^# result: module=$1 " "$2" | tr -d '\r' || true)
}
get() {
	local kv
	for kv in $line; do
		case $kv in "$1="*)
			echo "${kv#*=}"
			return 0
			;;
		esac
	done
}
# Standard input as KTAP diagnostics of a subtest.
indent() {
	sed 's/^/    #   /'
}

on_interrupt
for m in $MODULES; do
	ck_known_module "$m" || die "unknown module $m (known: $CK_MODULES)"
done
for k in $KERNELS; do
	ck_known_kernel "$k" || die "unknown kernel $k (known: $CK_KERNELS_KNOWN)"
done
# shellcheck disable=SC2086 # one word a key
"$top/scripts/lib/deps.sh" preflight check $KERNELS || exit 2
vm_check_tools
case " $KERNELS " in
*" distro "*)
	[ -n "$(ck_debian_uris)" ] ||
		note "the host's apt sources name no Debian archive: testing the host's own kernel (distro);" \
			"for Debian's kernels set CK_DEBIAN_MIRROR=<Debian archive URI> and KERNELS=\"$CK_KERNELS_QUICK\""
	;;
esac
for f in $FIXTURES; do
	[ -f "$CK_FIXTURES_DIR/$f.sed" ] || die "unknown fixture $f (see ${CK_FIXTURES_DIR#"$top"/}/)"
done

# What the runner in the VM is told of the modules' parameters and its
# bounds, if the user set them (run-tests.sh has the defaults).
vm_args=$(ck_given ROUNDS PERIOD_MS CANCEL_PERIOD_MS RMMOD_TIMEOUT_S)
start=$(date +%s.%N)
# secs T0 [T1]: seconds from date +%s.%N stamp T0 to T1 (default: now).
secs() {
	awk -v a="$1" -v b="${2:-$(date +%s.%N)}" 'BEGIN { printf "%.1f\n", b - a }'
}
rm -rf "$results"
mkdir -p "$results"
printf 'kernel\tkind\tmodule\tresult\trmmod_ms\trmmod_max_ms\tfloor_ms\tcycles\tfails\tboot_s\taccel\n' \
	>"$results/summary.tsv"

# lint_result NAME FILE: test $num of the current subtest is the lint.sh run
# whose output is in FILE and whose exit status (3: a skip) and seconds are
# in FILE.rc. Returns 1 if the test failed.
lint_result() {
	local name=$1 lrc
	read -r lrc _ <"$2.rc"
	if [ "$lrc" = 0 ]; then
		sed 's/^/    # /' "$2"
		ktap_case "    " "$num" "$name" pass
	elif [ "$lrc" = 3 ]; then
		ktap_case "    " "$num" "$name" skip "$(cat "$2")"
	else
		indent <"$2"
		ktap_case "    " "$num" "$name" fail
		return 1
	fi
}
# lint_run FILE ARGS...: scripts/lint.sh ARGS at the lowest priority, its
# output in FILE, "STATUS SECONDS" in FILE.rc.
lint_run() {
	local f=$1 lrc=0 l0
	shift
	l0=$(date +%s.%N)
	nice -n 19 "$top/scripts/lint.sh" "$@" >"$f" 2>&1 || lrc=$?
	echo "$lrc $(secs "$l0")" >"$f.rc"
}
# prep_failed KERNEL STEP LOG: the kernel could not be prepared: one
# "not ok" with the log's last lines as the reason.
prep_failed() {
	echo "# $1: $2 failed ($3):"
	grep -v '^ *$' "$3" | tail -n 15 | sed 's/^/#   /'
	ktap_case "" "$knum" "$1" fail
	printf '%s\tkernel\t-\tfail\t-\t-\t-\t-\t%s\t-\t-\n' "$1" "$2" >>"$results/summary.tsv"
}
# settings KERNEL: the kernel's k_* settings and its fixtures, k_fixtures.
settings() {
	local f only not
	k_cycles=$CYCLES
	k_dwell=$(ck_given DWELL_S)
	k_timeout=$BOOT_TIMEOUT_S
	k_bound=$(ck_given RMMOD_BOUND_MS)
	k_sched=1
	k_stress=$STRESS_CYCLES
	k_init=240
	k_dmesg=1
	k_mem=${VM_MEM:-1024}
	k_gcov=""
	# The debug kernel: many cycles with a short dwell and kmemleak at
	# the end; the broken fixtures are for the stock kernels. The kcsan
	# kernel, its sibling, is as slow under TCG: the same bounds.
	if [ "$1" = debug ] || [ "$1" = kcsan ]; then
		k_dmesg=0
		k_init=300
		# 512 MB (KASAN's shadow takes an eighth): a kmemleak scan, which
		# reads all of memory, took 20 s where 1024 MB took 45.
		k_mem=${DEBUG_VM_MEM:-512}
		[ "$1" = debug ] || k_mem=${VM_MEM:-1024}
		# KASAN and lockdep make its rmmod 0.2-0.8 s: the bound stays far
		# from that and from the 10 s round.
		k_bound=RMMOD_BOUND_MS=${DEBUG_RMMOD_BOUND_MS:-3000}
		# 9 cycles (3 of each scenario) and 4 stress cycles. Under TCG
		# each process the runner starts costs this kernel 0.2-0.4 s.
		k_cycles=${DEBUG_CYCLES:-9}
		# The kcsan kernel: 6 (2 of each scenario). Its boots and the
		# debug kernel's, at most two at once, bound make check-all's
		# pool: 15 took its modules' boot 12 min in the pool.
		[ "$1" = debug ] || k_cycles=${KCSAN_CYCLES:-6}
		k_stress=${DEBUG_STRESS_CYCLES:-4}
		k_dwell=DWELL_S=${DEBUG_DWELL_S:-0}
		k_timeout=${DEBUG_BOOT_TIMEOUT_S:-3000}
		# KASAN under TCG on one CPU is too slow for the stress cycles'
		# scheduling (a SCHED_FIFO shell held a woken signaller off for
		# 10 s): its stress cycles run unscheduled.
		k_sched=0
		# make coverage's measure, and check-all's: the modules built
		# with gcov (their fault-injection builds), on this kernel only.
		[ "$1" != debug ] || case $TIER in all | coverage) k_gcov="$MODULES $API_MODULE" ;; esac
	fi
	# A fixture with a "# kernels:" line runs on those kernels only; the
	# others run on every kernel but the debug one and those of their
	# "# not-kernels:" line.
	# A lab runs on its lab.conf's kernels= (lab_kernels).
	k_labs=""
	for f in $LABS; do
		case " $(lab_kernels "$f") " in *" $1 "*) k_labs="$k_labs $f" ;; esac
	done
	k_fixtures=""
	for f in $FIXTURES; do
		only=$(ck_fixture_field "$f" kernels)
		not=$(ck_fixture_field "$f" not-kernels)
		case " $not " in *" $1 "*) continue ;; esac
		if [ -n "$only" ]; then
			case " $only " in *" $1 "*) k_fixtures="$k_fixtures $f" ;; esac
		elif [ "$1" != debug ] && [ "$1" != kcsan ]; then
			k_fixtures="$k_fixtures $f"
		fi
	done
}
# boots_of KERNEL: the names of its boots: modules, api (completion_api's
# tests), then broken_FIXTURE.
boots_of() {
	local f
	settings "$1"
	[ -z "$MODULES" ] || echo modules
	[ -z "$API_MODULE" ] || echo api
	for f in $k_labs; do
		echo "lab_$f"
		[ ! -f "$top/labs/$f/solution/$f.sed" ] || echo "lab_${f}_solution"
	done
	for f in $k_fixtures; do
		echo "broken_$f"
	done
}
# lab_of BOOT: the lab of boot lab_NAME or lab_NAME_solution.
lab_of() {
	local l=${1#lab_}
	[ -f "$top/labs/$l/lab.conf" ] || l=${l%_solution}
	echo "$l"
}
# verdict_of WANT GOT: empty if the failed checks GOT (a,b) are exactly
# WANT ("a b", "[c]": may fail or not), else what differs. WANT "any" (a
# mutant of make mutants): at least one check must fail.
verdict_of() {
	awk -v want="$1" -v got="$2" 'BEGIN {
		if (want == "any") { if (got == "") printf "survived: no check failed"; exit }
		n = split(want, w, " "); m = split(got, g, ",")
		for (i = 1; i <= m; i++) seen[g[i]] = 1
		for (i = 1; i <= n; i++) {
			c = w[i]; opt = c ~ /^\[.*\]$/; gsub(/[][]/, "", c); ok[c] = 1
			if (!opt && c != "pass" && !(c in seen)) miss = miss " " c
		}
		for (i = 1; i <= m; i++) if (!(g[i] in ok)) extra = extra " " g[i]
		if (miss != "") printf "missed:%s", miss
		if (extra != "") printf "%sunexpected:%s", miss != "" ? "; " : "", extra
	}'
}
# boot_args KERNEL NAME: what the runner of that boot is told. The
# fixtures and the labs run with the quick tier's repetitions, whatever the
# tier: each must be caught by make check's own checks.
boot_args() {
	settings "$1"
	if [ "$2" = api ]; then
		echo "CK_API=$API_MODULE FUZZ_S=$FUZZ_S${k_gcov:+ CK_GCOV=1}"
	elif [ "${2#lab_}" != "$2" ]; then
		# As make grade runs it.
		if [ "$(lab_conf "$(lab_of "$2")" grader)" = api ]; then
			echo "CK_API=${2#lab_} $CK_REPS_QUICK"
		else
			echo "CK_MODS=${2#lab_} $CK_REPS_QUICK STRESS_SCHED=$k_sched $vm_args $k_bound"
		fi
	elif [ "$(ck_fixture_field "${2#broken_}" base)" = "$CK_API_MODULE" ]; then
		echo "CK_API=$2 $CK_REPS_QUICK"
	elif [ "$2" = modules ]; then
		echo "CK_DMESG=$k_dmesg${k_gcov:+ CK_GCOV=1} CK_MODS=$(echo "$MODULES" | tr ' ' ,) CYCLES=$k_cycles STRESS_CYCLES=$k_stress WAIT_S=$WAIT_S EARLY_DELAY_MS=$EARLY_DELAY_MS STRESS_SCHED=$k_sched $vm_args $k_bound $k_dwell"
	else
		echo "CK_MODS=$2 $CK_REPS_QUICK STRESS_SCHED=$k_sched $vm_args $k_bound $(ck_given DWELL_S)"
	fi
}

# boot_smp KERNEL NAME: the VM's CPUs for that boot. One for a run with
# the quick repetitions (make check's, the fixtures'): under TCG a second
# CPU costs a third more host CPU time (TLB shootdowns and wake-ups across
# vCPUs), and the quick tier is bound by the host's cores. The stress
# cycles' scheduling needs none (sched_mode in run-tests.sh). Two for make
# check-all's modules, the labs (as make grade boots them) and the debug
# kernel.
boot_smp() {
	case "$1 $2" in
	debug\ * | kcsan\ * | *\ lab_*) echo 2 ;;
	*\ modules | *\ api) [ "$TIER" = all ] && echo 2 || echo 1 ;;
	*) echo 1 ;;
	esac
}

# 1. Each kernel is fetched, then its modules, fixtures and initramfs
# built, the kernels at once. The stock kernels are downloaded one after
# another; the debug and kcsan kernels, built from source the first time
# (10-12 min each on 2 cores), are built meanwhile, both at once: the
# downloads and sid's chroot leave the cores idle. A kernel skipped or
# failed here says why in $results/KEY/skip or $results/KEY/failed, read
# when its results are reported.
# fetch_one KERNEL: fetch it; $results/KERNEL/kcache its cache folder, or
# a skip or failed file.
fetch_one() {
	local k=$1 kstart prep prc
	kstart=$(date +%s.%N)
	note "kernel $k: fetching"
	prep=$results/$k/prepare.log
	# Its messages shown and kept; its one line of output, the cache folder.
	if fetch_kernel "$k" 2>&1 >"$results/$k/kcache" | tee "$prep" >&2; then
		prc=0
	else
		prc=${PIPESTATUS[0]}
	fi
	if [ "$prc" = 3 ]; then
		tail -n 1 "$prep" | sed 's/^[^:]*: //' >"$results/$k/skip"
	elif [ "$prc" != 0 ]; then
		echo fetching >"$results/$k/failed"
	else
		echo "$k fetch $(secs "$kstart")" >>"$results/kernel-times"
	fi
}
accel=""
t_prep=$(date +%s.%N)
for k in $KERNELS; do
	mkdir -p "$results/$k" "$out/$k"
	case $k in debug | kcsan) fetch_one "$k" & ;; esac
done
for k in $KERNELS; do
	case $k in debug | kcsan) continue ;; esac
	if [ "$k" = unstable ] && [ "$(id -u)" != 0 ]; then
		echo "its modules are built in a chroot: run make check as root" >"$results/$k/skip"
		continue
	fi
	fetch_one "$k"
done
wait
fetched=""
for k in $KERNELS; do
	[ -f "$results/$k/skip" ] || [ -f "$results/$k/failed" ] || fetched="$fetched $k"
done
for k in $fetched; do
	(
		settings "$k"
		kcache=$(cat "$results/$k/kcache")
		t_build=$(date +%s.%N)
		note "kernel $k: building $(cat "$kcache/release")"
		if ! (FIXTURES=$k_fixtures LABS=$k_labs GCOV_MODULES=$k_gcov build_for "$k" "$kcache" &&
			GCOV_MODULES=$k_gcov initramfs_for "$k") \
			2>"$results/$k/prepare.log"; then
			echo building >"$results/$k/failed"
			exit 0
		fi
		kernel_image "$k"
		echo "$kimage" >"$results/$k/kimage"
		echo "$k build $(secs "$t_build")" >"$results/$k/build-time"
	) &
done
wait
ready=""
for k in $fetched; do
	[ ! -f "$results/$k/failed" ] || continue
	cat "$results/$k/build-time" >>"$results/kernel-times"
	[ -n "$accel" ] || kcache=$(cat "$results/$k/kcache") pick_accel "$k"
	ready="$ready $k"
done
echo "all prepare $(secs "$t_prep")" >>"$results/kernel-times"

# 2. The boots of every kernel in one pool, JOBS at a time (a TCG guest
# takes about one core while it boots, less after), the longest first (by
# their time in the last run, kept in build/boot-seconds; if none is known,
# a kernel's modules boot first, the debug kernel's before the others), so
# that the last to end is a short one; at most two of the debug and kcsan
# kernels at once: their guests keep their two CPUs busy, and four of them
# at once ran four times slower. Their consoles are read once a kernel's boots are all
# done.
declare -A est
if [ -f "$out/boot-seconds" ]; then
	while read -r k n s; do
		est["$k $n"]=$s
	done <"$out/boot-seconds"
fi
for k in $ready; do
	for n in $(boots_of "$k"); do
		d=30
		[ "$n" != modules ] || d=300
		case $k in debug | kcsan) d=$((5 * d)) ;; esac
		echo "${est["$k $n"]:-$d} $k $n"
	done
done | sort -k1,1nr >"$results/boots.list"
nboots=$(wc -l <"$results/boots.list")
note "booting: $nboots boots of $(echo "$ready" | wc -w) kernels, $JOBS at a time ($accel)"
t_pool=$(date +%s.%N)
(
	mapfile -t pending <"$results/boots.list"
	while [ "${#pending[@]}" -gt 0 ]; do
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
			wait -n || true
		done
		# The first boot that may start: the debug and kcsan kernels'
		# while fewer than two of them run.
		ndebug=0
		for f in "$results"/debug/*.running "$results"/kcsan/*.running; do
			[ ! -e "$f" ] || ndebug=$((ndebug + 1))
		done
		pick=""
		for i in "${!pending[@]}"; do
			read -r _ k n <<<"${pending[$i]}"
			if { [ "$k" != debug ] && [ "$k" != kcsan ]; } || [ "$ndebug" -lt 2 ]; then
				pick=$i
				break
			fi
		done
		if [ -z "$pick" ]; then
			wait -n || true
			continue
		fi
		read -r _ k n <<<"${pending[$pick]}"
		unset "pending[$pick]"
		pending=("${pending[@]}")
		touch "$results/$k/$n.running"
		(
			settings "$k"
			kcache=$(cat "$results/$k/kcache")
			kimage=$(cat "$results/$k/kimage")
			b0=$(date +%s.%N)
			rc=0
			VM_MEM=$k_mem VM_SMP=$(boot_smp "$k" "$n") BOOT_TIMEOUT_S=$k_timeout INIT_TIMEOUT_S=$k_init \
				boot "$k" "$results/$k/$n.console" "$(boot_args "$k" "$n")" || rc=$?
			secs "$b0" >"$results/$k/$n.secs"
			echo "$rc" >"$results/$k/$n.rc"
			rm -f "$results/$k/$n.running"
		) &
	done
	wait
	echo "all boots $(secs "$t_pool")" >>"$results/kernel-times"
	note "boots done in $(secs "$t_pool") s"
) &
pool=$!

# Beside the boots, at the lowest priority so that they take what the VMs
# leave: each kernel's W=1/sparse build, then the static checks (checkpatch,
# ShellCheck, the docs' logs, the supported kernel range, actionlint on the
# runner's workflow; and the modules against a lockdep-configured tree,
# where DECLARE_COMPLETION_ONSTACK at file scope would not compile).
mkdir -p "$results/static"
(
	# The tested modules (make check), or every module (make check-all:
	# completion_bench and the labs too).
	[ "$TIER" = harness ] || [ "$TIER" = mutants ] || for k in $ready; do
		# shellcheck disable=SC2046,SC2086 # one word a module
		lint_run "$results/$k/lint" build "$(cat "$results/$k/kcache")" "$out/$k/lint" \
			$([ "$TIER" = all ] || echo $MODULES $API_MODULE)
	done
	for what in $static_checks; do
		args=()
		[ "$what" != lockdep ] || args=("$out/lockdep")
		[ "$what" != range ] || args=("$out/range")
		lint_run "$results/static/$what" "$what" "${args[@]}"
	done
) &
lints=$!

# 3. The results, kernel by kernel, as each kernel's boots end.
# The static checks and the checks of the tools, after the kernels: a
# subtest "static" if the tier has any.
nstatic=$(echo "$static_checks $after_checks" | wc -w)
ktap_header "$(($(echo "$KERNELS" | wc -w) + (nstatic > 0)))"
knum=0
for k in $KERNELS; do
	knum=$((knum + 1))
	if [ -f "$results/$k/skip" ]; then
		ktap_case "" "$knum" "$k" skip "$(cat "$results/$k/skip")"
		continue
	elif [ -f "$results/$k/failed" ]; then
		prep_failed "$k" "$(cat "$results/$k/failed")" "$results/$k/prepare.log"
		continue
	fi
	kcache=$(cat "$results/$k/kcache")
	kmemleak=0
	! grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$kcache/build/.config" 2>/dev/null || kmemleak=1
	names=$(boots_of "$k")
	for n in $names; do
		while [ ! -f "$results/$k/$n.rc" ] && kill -0 "$pool" 2>/dev/null; do
			sleep 1
		done
	done
	settings "$k"

	nlabs=$(for n in $names; do echo "$n"; done | grep -c '^lab_' || true)
	# Each module and its error paths, kmemleak, the whole log (kernel);
	# completion_api; the fixtures; the labs; the W=1/sparse build.
	nmod=0
	[ -z "$MODULES" ] || nmod=$((2 * $(echo "$MODULES" | wc -w) + kmemleak + 1))
	nlint=1
	[ "$TIER" != harness ] && [ "$TIER" != mutants ] || nlint=0
	ktap_header "$((nmod + $(echo "$API_MODULE" | wc -w) + $(echo "$k_fixtures" | wc -w) + nlabs + nlint))" "    " "$k"
	echo "    # $(cat "$kcache/release"), accel=$accel, cycles=$k_cycles"
	kfail=0
	num=0
	boot_s=""
	# The five modules' boot (the modules' tests), if MODULES names any.
	if [ -n "$MODULES" ]; then
		log=$results/$k/modules.console
		brc=$(cat "$results/$k/modules.rc" 2>/dev/null || echo "?")
		boot_s=$(sed -n 's/^ck-vm: booted .* at \([0-9.]*\) s.*/\1/p' "$log" 2>/dev/null | tr -d '\r' | head -1)
		[ ! -f "$log.first-try" ] || echo "    # the first boot died before /init and was retried: $log.first-try"
		# Each module's log of its last cycle of each scenario, as the docs
		# show them: logs/NAME.SCENARIO.log.
		mkdir -p "$results/$k/logs"
		for m in $MODULES; do
			console_dmesg "$log" |
				awk -v m="$m" -v dir="$results/$k/logs" '
					index($0, "ck-run: begin " m " ") { sc = $NF; keep[sc] = ""; on = 1 }
					on && (index($0, "] " m ": ") || index($0, "ck-run: rmmod " m " ")) { keep[sc] = keep[sc] $0 "\n" }
					index($0, "ck-run: rmmod " m " ") && index($0, " end rc=") { on = 0 }
					END { for (sc in keep) printf "%s", keep[sc] > (dir "/" m "." sc ".log") }'
		done
		# Show the runner's diagnostics, keep its verdicts for our numbering.
		sed -n '/^KTAP version 1/,/^ck-vm: end/p' "$log" | tr -d '\r' |
			grep '^#' | grep -v '^# result:' | sed 's/^/    /' || true
		vm_tests=""
		for m in $MODULES; do
			vm_tests="$vm_tests $m $m-errors"
		done
		[ "$kmemleak" = 0 ] || vm_tests="$vm_tests kmemleak"
		vm_tests="$vm_tests kernel"
		for m in $vm_tests; do
			num=$((num + 1))
			result_of "$m" "$log"
			if [ -z "$line" ]; then
				echo "    # $m: no result (boot rc=$brc: hang or crash); console tail:"
				tail -n 30 "$log" | tr -d '\r' | indent
				line="# result: module=$m result=fail cycles=- rmmod_ms=- rmmod_max_ms=- floor_ms=- fails=no-result"
			fi
			res=$(get result)
			printf '%s\tmodule\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$k" "$m" "$res" \
				"$(get rmmod_ms)" "$(get rmmod_max_ms)" "$(get floor_ms)" "$(get cycles)" \
				"$(get fails)" "${boot_s:--}" "$accel" >>"$results/summary.tsv"
			[ "$res" = pass ] || [ "$res" = skip ] || kfail=1
			ktap_case "    " "$num" "$m" "$res" "$(tr -d '\r' <"$log" | sed -n "s/^ok [0-9]* $m # SKIP //p")"
		done
	fi

	# completion_api's tests, in a boot of their own.
	if [ -n "$API_MODULE" ]; then
		num=$((num + 1))
		log=$results/$k/api.console
		brc=$(cat "$results/$k/api.rc" 2>/dev/null || echo "?")
		[ ! -f "$log.first-try" ] || echo "    # the first boot died before /init and was retried: $log.first-try"
		tr -d '\r' <"$log" | sed -n '/^KTAP version 1/,/^ck-vm: end/p' | grep '^#' |
			grep -v '^# result:' | sed 's/^/    /' || true
		result_of "$API_MODULE" "$log"
		res=$(get result)
		if [ -z "$line" ]; then
			echo "    # $API_MODULE: no result (boot rc=$brc: hang or crash); console tail:"
			tail -n 30 "$log" | tr -d '\r' | indent
			res=fail
		fi
		printf '%s\tmodule\t%s\t%s\t-\t-\t-\t1\t%s\t-\t%s\n' "$k" "$API_MODULE" "$res" \
			"$(get fails)" "$accel" >>"$results/summary.tsv"
		[ "$res" = pass ] || kfail=1
		ktap_case "    " "$num" "$API_MODULE" "$res"
	fi

	# One boot per broken fixture: it must fail, for the expected reason.
	for f in $k_fixtures; do
		num=$((num + 1))
		want=$(ck_fixture_field "$f" expect)
		log=$results/$k/broken_$f.console
		brc=$(cat "$results/$k/broken_$f.rc" 2>/dev/null || echo "?")
		# Every check that any test of the boot failed: it must be the
		# "# expect:" set, where "[check]" may or may not fail (its
		# comment says on which kernels).
		[ ! -f "$log.first-try" ] || echo "    # the first boot died before /init and was retried: $log.first-try"
		result_of "broken_$f" "$log"
		fails=$(tr -d '\r' <"$log" | sed -n 's/^# result: module=.* fails=//p' | tr ',' '\n' |
			{ grep -vx -- - || true; } | sort -u | paste -sd, -)
		[ -n "$line" ] || fails=${fails:+$fails,}no-result
		verdict=$(verdict_of "$want" "$fails")
		if [ -z "$verdict" ]; then
			res=pass
			if [ "$want" = pass ]; then
				echo "    # broken_$f passes, as it should (rmmod_ms=$(get rmmod_ms))"
			else
				echo "    # broken_$f caught by: $fails"
			fi
		else
			res=fail
			kfail=1
			echo "    # broken_$f: wanted '$want', got '${fails:-none}': $verdict (boot rc=$brc)"
			# (A mutant that survived: its console has nothing to show.)
			[ "$want" = any ] ||
				tr -d '\r' <"$log" | sed -n '/^KTAP version 1/,/^ck-vm: end/p' | indent | head -80
		fi
		ktap_case "    " "$num" "broken_$f" "$res"
		printf '%s\tfixture\tbroken_%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$k" "$f" "$res" \
			"$(get rmmod_ms)" "$(get rmmod_max_ms)" "$(get floor_ms)" "$(get cycles)" \
			"${fails:--}" "-" "$accel" >>"$results/summary.tsv"
	done
	# The labs: each skeleton fails exactly its lab.conf's expect= checks
	# ("no-end": the test did not end), each solution passes.
	for n in $names; do
		[ "${n#lab_}" != "$n" ] || continue
		num=$((num + 1))
		lab=$(lab_of "$n")
		log=$results/$k/$n.console
		fails=$(tr -d '\r' <"$log" | sed -n 's/^# result: module=.* fails=//p' | tr ',' '\n' |
			{ grep -vx -- - || true; } | sort -u | paste -sd, -)
		grep -aq '^ck-vm: end rc=' "$log" || fails=${fails:+$fails,}no-end
		if [ "${n%_solution}" != "$n" ]; then
			want=pass
		else
			want=$(lab_conf "$lab" expect)
		fi
		verdict=$(verdict_of "$want" "$fails")
		if [ -z "$verdict" ]; then
			echo "    # $n: ${fails:-passes}${fails:+: fails as it must}"
			ktap_case "    " "$num" "$n" pass
		else
			kfail=1
			echo "    # $n: wanted '$want', got '${fails:-none}': $verdict"
			tr -d '\r' <"$log" | sed -n '/^KTAP version 1/,/^ck-vm: end/p' | grep '^#' | indent | head -60
			ktap_case "    " "$num" "$n" fail
		fi
		printf '%s\tlab\t%s\t%s\t-\t-\t-\t-\t%s\t-\t%s\n' "$k" "$n" \
			"$([ -z "$verdict" ] && echo pass || echo fail)" "${fails:--}" "$accel" >>"$results/summary.tsv"
	done

	# The modules build without a warning with W=1 and sparse.
	if [ "$nlint" = 1 ]; then
		num=$((num + 1))
		while [ ! -f "$results/$k/lint.rc" ] && kill -0 "$lints" 2>/dev/null; do
			sleep 0.2
		done
		lint_result build-W1-sparse "$results/$k/lint" || kfail=1
	fi
	# Per kernel, for bench-check.sh: the seconds of all its boots added
	# up, the guest's seconds to /init and the W=1/sparse build's.
	{
		echo "$k boot-seconds $(cat "$results/$k"/*.secs | awk '{ s += $1 } END { printf "%.1f", s }')"
		echo "$k boot-cpu $(cat "$results/$k"/*.console.cpu 2>/dev/null | awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { s += $1 + $2 } END { printf "%.1f", s }')"
		echo "$k init ${boot_s:--}"
		[ "$nlint" = 0 ] || echo "$k lint $(cut -d ' ' -f 2 "$results/$k/lint.rc")"
	} >>"$results/kernel-times"
	ktap_suite "" "$knum" "$k" "$kfail"
done

# The checks of the tools, once the boots are done (they have the cores).
# (The pool has ended: the loop above saw every boot's result. Bash may
# have let go of its status already, and says so: not a failure.)
wait "$pool" 2>/dev/null || true
# after_check NAME KERNEL COMMAND...: the check NAME, if the tier has it:
# COMMAND, which boots KERNEL; that kernel must be among those prepared.
# Its output goes to $results/static/NAME, its status and seconds to
# NAME.rc (3, a skip, if the kernel is not in this run).
after_check() {
	local name=$1 k=$2 rc=0 t0
	shift 2
	case " $after_checks " in *" $name "*) ;; *) return 0 ;; esac
	t0=$(date +%s.%N)
	case " $ready " in
	*" $k "*)
		"$@" >"$results/static/$name" 2>&1 || rc=$?
		# A check's own skip (a tool missing) is a failure here.
		[ "$rc" != 3 ] || rc=1
		;;
	*)
		echo "kernel $k, which it boots, is not in this run" >"$results/static/$name"
		rc=3
		;;
	esac
	echo "$rc $(secs "$t0")" >"$results/static/$name.rc"
}
# shell_check KERNEL: make shell typed into tmux (tests/harness/shell-test.sh),
# and the same session on broken_no_wait, whose waiter reports "result 0":
# the test must fail there.
shell_check() {
	MODULE=declare_completion "$top/tests/harness/shell-test.sh" "$1" || return
	if CMD_WAIT_S=10 MODULE=broken_no_wait "$top/tests/harness/shell-test.sh" "$1" >"$results/static/shell.broken" 2>&1; then
		echo "shell-test.sh passed broken_no_wait too: it cannot tell"
		return 1
	fi
	echo "and on broken_no_wait: $(head -n 1 "$results/static/shell.broken") (as it must)"
}
# commands_check: the docs' command blocks, typed where they say they run
# (tests/harness/doc-test.sh); and on a page of broken commands, the test
# must fail on each of its three blocks.
commands_check() {
	"$top/tests/harness/doc-test.sh" || return
	if DOC_TEST_FILES=tests/harness/doc-test-broken.md "$top/tests/harness/doc-test.sh" \
		>"$results/static/commands.broken" 2>&1; then
		echo "doc-test.sh passed tests/harness/doc-test-broken.md: it cannot tell"
		return 1
	fi
	if [ "$(grep -c '^FAIL' "$results/static/commands.broken")" != 3 ]; then
		echo "doc-test.sh on tests/harness/doc-test-broken.md: not the 3 failures it must find:"
		sed 's/^/  /' "$results/static/commands.broken"
		return 1
	fi
	echo "and on tests/harness/doc-test-broken.md: $(grep '^FAIL' "$results/static/commands.broken" | tr '\n' ' ')(as it must)"
}
first=$(echo "$ready" | awk '{ print $1 }')
# Two lanes: the docs' commands (the longest, 5-6 min: make demo, make
# bench, make grade, each booting one VM at a time) beside the others, one
# after another (one VM each): two guests on the two cores, as in the pool.
# It boots the debug kernel too (docs/teaching.md's lockdep show).
after_check commands debug commands_check &
commands=$!
after_check shell "${first:-none}" shell_check "$first"
# make timeline --check: docs/img's pictures against a fresh run's.
after_check timeline "$TIMELINE_KERNEL" env KERNEL="$TIMELINE_KERNEL" ACCEL="$ACCEL" "$top/scripts/timeline.sh" --check
# make bench's check: completion_bench runs, its broken copies fail.
bk=${CK_BENCH_KERNELS%% *}
after_check bench "$bk" env KERNEL="$bk" ACCEL="$ACCEL" "$top/scripts/bench.sh" --check
# Ctrl-C in make lint, check, check-harness and check-all, typed into tmux:
# nothing of the run may be left (its runs boot 6.1).
after_check interrupt 6.1 "$top/tests/harness/interrupt-test.sh"
# make check's standard output read back by the kernel's KTAP parser.
after_check ktap "${first:-none}" "$top/tests/harness/ktap-test.sh" "$first"
# Which lines and branches of the modules the debug kernel's boots ran,
# against the goals (tools/coverage.py); it boots nothing.
coverage_check() {
	# shellcheck disable=SC2086 # one word a module
	python3 "$top/tools/coverage.py" --build "$out/debug" --kdir "$(cat "$results/debug/kcache")/build" \
		--out "$out/coverage" \
		--exclusions "$top/tests/coverage/exclusions" \
		"$results/debug/modules.console" "$results/debug/api.console" -- $MODULES $API_MODULE
}
after_check coverage debug coverage_check
wait "$commands" || true

wait "$lints" || true
if [ "$nstatic" -gt 0 ]; then
	knum=$((knum + 1))
	ktap_header "$nstatic" "    " static
	sfail=0
	num=0
	for what in $static_checks $after_checks; do
		num=$((num + 1))
		lint_result "$what" "$results/static/$what" || sfail=1
		echo "static $what $(cut -d ' ' -f 2 "$results/static/$what.rc")" >>"$results/kernel-times"
	done
	ktap_suite "" "$knum" static "$sfail"
fi

# Each boot's seconds, the order of the next run's pool.
{
	[ ! -f "$out/boot-seconds" ] || cat "$out/boot-seconds"
	for k in $ready; do
		for f in "$results/$k"/*.secs; do
			[ -f "$f" ] || continue
			n=${f##*/}
			echo "$k ${n%.secs} $(cat "$f")"
		done
	done
} | awk '{ s[$1 " " $2] = $3 } END { for (b in s) print b, s[b] }' | sort >"$out/boot-seconds.new"
mv "$out/boot-seconds.new" "$out/boot-seconds"

end=$(date +%s.%N)
echo "# summary (build/results/summary.tsv):"
awk -F '\t' '{ printf "#   %-8s %-7s %-38s %-6s %9s %12s %9s %6s %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' \
	"$results/summary.tsv"
echo "all wall $(secs "$start" "$end")" >>"$results/kernel-times"
# "KEY PHASE SECONDS" lines, a line a key: fetch and build, its boots'
# seconds added up (boot-seconds), the guest's seconds to /init and the
# W=1/sparse build (at the lowest priority, beside the boots); for "all",
# the preparation, the pool of boots and the whole run.
echo "# seconds (build/results/kernel-times):"
awk '{ if (!($1 in line)) order[++n] = $1; line[$1] = line[$1] " " $2 " " $3 }
	END { for (i = 1; i <= n; i++) printf "#   %-8s%s\n", order[i], line[order[i]] }' \
	"$results/kernel-times"
awk -F '\t' 'NR > 1 && $2 == "module" && $6 != "-" && $6 + 0 > max[$1] { max[$1] = $6 }
	END { for (k in max) printf "# slowest rmmod on %s: %.3f ms\n", k, max[k] }' "$results/summary.tsv"
ktap_summary
