#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - `make check`: test every module on real Debian kernels in QEMU.
#
# First the preflight (scripts/deps.sh): as root it installs what is missing,
# as a user it stops with the command to run. Then, for each kernel of
# KERNELS: fetch its image and headers (fetch-kernel.sh),
# build the modules, the floor module and the broken fixtures against it,
# pack a busybox initramfs with them and run-tests.sh, boot it in QEMU and
# read the KTAP that run-tests.sh prints on the serial console. One boot runs
# all selected modules; each broken fixture (tests/broken/*.sed) gets a boot
# of its own and passes only if the checks that fail in that boot are
# exactly those its "# expect:" line lists ("[check]": may fail or not,
# depending on the kernel).
#
# A kernel whose fetch, build or boot fails is one "not ok" with the reason;
# the other kernels still run, and the summary line is always printed.
#
# Settings (environment or make variables):
#   KERNELS="6.1 6.12" (the quick tier, the default; KERNELS=all: every
#   kernel of the matrix, as make check-all; keys in scripts/config.sh)
#   MODULES="<all five>"
#   FIXTURES="<all>" (or none)   ACCEL=auto|kvm|tcg
#   CYCLES=3 (one cycle a scenario: done, cancel, early)  STRESS_CYCLES=20
#   FIXTURE_STRESS_CYCLES=4 (one a stress mode)  JOBS=<cores, at most 4>
#   (QEMU boots at once)  ROUNDS=3
#   PERIOD_MS=50  CANCEL_PERIOD_MS=10000  DWELL_S=0  RMMOD_TIMEOUT_S=15
#   RMMOD_BOUND_MS=1000
#   DEBUG_CYCLES=15  DEBUG_STRESS_CYCLES=4  DEBUG_DWELL_S=0
#   DEBUG_RMMOD_BOUND_MS=3000  DEBUG_VM_MEM=512 (the debug kernel)
#   VM_MEM=1024 (MB)
#   BOOT_TIMEOUT_S=300 (a boot that takes longer is killed and reported)
# Output: KTAP on stdout, ending in "N passed, N failed"; files under
# build/results/ (summary.tsv, per-boot console logs).

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/vm-lib.sh
. "$top/scripts/vm-lib.sh"
# shellcheck source=scripts/config.sh
. "$top/scripts/config.sh"
case ${KERNELS:-quick} in
quick) KERNELS=$(ck_default_kernels quick) ;;
all) KERNELS=$(ck_default_kernels all) ;;
esac
MODULES=${MODULES:-$CK_MODULES}
if [ -z "${FIXTURES+set}" ]; then
	FIXTURES=""
	for f in "$top"/tests/broken/*.sed; do
		f=${f##*/}
		FIXTURES="$FIXTURES ${f%.sed}"
	done
fi
[ "$FIXTURES" = none ] && FIXTURES=""
CYCLES=${CYCLES:-3}
ROUNDS=${ROUNDS:-3}
PERIOD_MS=${PERIOD_MS:-50}
DWELL_S=${DWELL_S:-0}
RMMOD_TIMEOUT_S=${RMMOD_TIMEOUT_S:-15}
RMMOD_BOUND_MS=${RMMOD_BOUND_MS:-1000}
CANCEL_PERIOD_MS=${CANCEL_PERIOD_MS:-10000}
STRESS_CYCLES=${STRESS_CYCLES:-20}
FIXTURE_STRESS_CYCLES=${FIXTURE_STRESS_CYCLES:-4}
nproc=$(nproc)
JOBS=${JOBS:-$((nproc < 4 ? nproc : 4))}
ACCEL=${ACCEL:-auto}
BOOT_TIMEOUT_S=${BOOT_TIMEOUT_S:-300}
out=$top/build
results=$out/results

die() {
	echo "check.sh: $*" >&2
	exit 2
}
note() {
	echo "check.sh: $*" >&2
}
# Standard input as KTAP diagnostics of a subtest.
indent() {
	sed 's/^/    #   /'
}

for m in $MODULES; do
	ck_known_module "$m" || die "unknown module $m (known: $CK_MODULES)"
done
for k in $KERNELS; do
	ck_known_kernel "$k" || die "unknown kernel $k (known: $CK_KERNELS_KNOWN)"
done
# shellcheck disable=SC2086 # one word a key
"$top/scripts/deps.sh" preflight check $KERNELS || exit 2
vm_check_tools
case " $KERNELS " in
*" distro "*)
	[ -n "$(ck_debian_uris)" ] ||
		note "the host's apt sources name no Debian archive: testing the host's own kernel (distro);" \
			"for Debian's kernels set CK_DEBIAN_MIRROR=<Debian archive URI> and KERNELS=\"$CK_KERNELS_QUICK\""
	;;
esac
for f in $FIXTURES; do
	[ -f "$top/tests/broken/$f.sed" ] || die "unknown fixture $f (see tests/broken/)"
done

# What the runner in the VM is told, beside CK_MODS, CYCLES and DWELL_S.
vm_args="ROUNDS=$ROUNDS PERIOD_MS=$PERIOD_MS CANCEL_PERIOD_MS=$CANCEL_PERIOD_MS RMMOD_TIMEOUT_S=$RMMOD_TIMEOUT_S"
start=$(date +%s.%N)
# secs T0 [T1]: seconds from date +%s.%N stamp T0 to T1 (default: now).
secs() {
	awk -v a="$1" -v b="${2:-$(date +%s.%N)}" 'BEGIN { printf "%.1f", b - a }'
}
rm -rf "$results"
mkdir -p "$results"
printf 'kernel\tkind\tmodule\tresult\trmmod_ms\trmmod_max_ms\tfloor_ms\tcycles\tfails\tboot_s\taccel\n' \
	>"$results/summary.tsv"

passed=0
failed=0
skipped=0

# lint_test NAME ARGS...: test $num of the current subtest is scripts/lint.sh
# ARGS; exit status 3 from it is a skip. Returns 1 if the test failed.
lint_test() {
	local name=$1 lrc=0 lint_out
	shift
	lint_out=$("$top/scripts/lint.sh" "$@" 2>&1) || lrc=$?
	if [ "$lrc" = 0 ]; then
		echo "    # $lint_out"
		echo "    ok $num $name"
		passed=$((passed + 1))
	elif [ "$lrc" = 3 ]; then
		echo "    ok $num $name # SKIP $lint_out"
		skipped=$((skipped + 1))
	else
		indent <<<"$lint_out"
		echo "    not ok $num $name"
		failed=$((failed + 1))
		return 1
	fi
}
# prep_failed KERNEL STEP LOG: the kernel could not be prepared: one
# "not ok" with the log's last lines as the reason.
prep_failed() {
	echo "# $1: $2 failed ($3):"
	grep -v '^ *$' "$3" | tail -n 15 | sed 's/^/#   /'
	echo "not ok $knum $1"
	failed=$((failed + 1))
	printf '%s\tkernel\t-\tfail\t-\t-\t-\t-\t%s\t-\t-\n' "$1" "$2" >>"$results/summary.tsv"
}
echo "KTAP version 1"
echo "1..$(($(echo "$KERNELS" | wc -w) + 1))"
knum=0
accel=""
for k in $KERNELS; do
	knum=$((knum + 1))
	kstart=$(date +%s.%N)
	mkdir -p "$results/$k" "$out/$k"
	if [ "$k" = unstable ] && [ "$(id -u)" != 0 ]; then
		echo "ok $knum $k # SKIP its modules are built in a chroot: run make check as root"
		skipped=$((skipped + 1))
		continue
	fi
	note "kernel $k: fetching"
	prep=$results/$k/prepare.log
	# Its messages shown and kept; its one line of output, the cache folder.
	if fetch_kernel "$k" 2>&1 >"$results/$k/kcache" | tee "$prep" >&2; then
		prc=0
	else
		prc=${PIPESTATUS[0]}
	fi
	kcache=$(cat "$results/$k/kcache")
	if [ "$prc" = 3 ]; then
		echo "ok $knum $k # SKIP $(tail -n 1 "$prep" | sed 's/^[^:]*: //')"
		skipped=$((skipped + 1))
		continue
	elif [ "$prc" != 0 ]; then
		prep_failed "$k" fetching "$prep"
		continue
	fi
	# The debug kernel: many cycles with a short dwell and kmemleak at
	# the end; the broken fixtures are for the stock kernels.
	k_cycles=$CYCLES
	k_dwell=$DWELL_S
	k_timeout=$BOOT_TIMEOUT_S
	k_bound=$RMMOD_BOUND_MS
	k_sched=1
	k_stress=$STRESS_CYCLES
	k_init=240
	k_dmesg=1
	k_mem=${VM_MEM:-1024}
	if [ "$k" = debug ]; then
		k_dmesg=0
		k_init=300
		# 512 MB (KASAN's shadow takes an eighth): a kmemleak scan, which
		# reads all of memory, took 20 s where 1024 MB took 45.
		k_mem=${DEBUG_VM_MEM:-512}
		# KASAN and lockdep make its rmmod 0.2-0.8 s: the bound stays far
		# from that and from the 10 s round.
		k_bound=${DEBUG_RMMOD_BOUND_MS:-3000}
		# 15 cycles (5 of each scenario) and 4 stress cycles. Under TCG
		# each process the runner starts costs this kernel 0.2-0.4 s.
		k_cycles=${DEBUG_CYCLES:-15}
		k_stress=${DEBUG_STRESS_CYCLES:-4}
		k_dwell=${DEBUG_DWELL_S:-0}
		k_timeout=${DEBUG_BOOT_TIMEOUT_S:-3000}
		# KASAN under TCG on one CPU is too slow for the stress cycles'
		# scheduling (a SCHED_FIFO shell held a woken signaller off for
		# 10 s): its stress cycles run unscheduled.
		k_sched=0
	fi
	# A fixture with a "# kernels:" line runs on those kernels only; the
	# others run on every kernel but the debug one and those of their
	# "# not-kernels:" line.
	k_fixtures=""
	for f in $FIXTURES; do
		only=$(sed -n 's/^# kernels: *//p' "$top/tests/broken/$f.sed")
		not=$(sed -n 's/^# not-kernels: *//p' "$top/tests/broken/$f.sed")
		case " $not " in *" $k "*) continue ;; esac
		if [ -n "$only" ]; then
			case " $only " in *" $k "*) k_fixtures="$k_fixtures $f" ;; esac
		elif [ "$k" != debug ]; then
			k_fixtures="$k_fixtures $f"
		fi
	done
	kmemleak=0
	! grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$kcache/build/.config" 2>/dev/null || kmemleak=1
	t_fetched=$(date +%s.%N)
	note "kernel $k: building $(cat "$kcache/release")"
	if ! (FIXTURES=$k_fixtures build_for "$k" "$kcache" && initramfs_for "$k") 2>"$prep"; then
		prep_failed "$k" building "$prep"
		continue
	fi
	kernel_image "$k"
	[ -n "$accel" ] || pick_accel "$k"

	echo "    # Subtest: $k"
	echo "    KTAP version 1"
	echo "    1..$((2 * $(echo "$MODULES" | wc -w) + $(echo "$k_fixtures" | wc -w) + kmemleak + 2))"
	echo "    # $(cat "$kcache/release"), accel=$accel, cycles=$k_cycles"
	kfail=0
	num=0

	# The boots: one for all modules, one per fixture, JOBS at a time (a
	# TCG guest takes about one core while it boots, less after); their
	# consoles are read once all are done.
	note "kernel $k: booting with $(echo "$MODULES" | wc -w) modules and $(echo "$k_fixtures" | wc -w) fixtures, $JOBS at a time ($accel)"
	t0=$(date +%s.%N)
	# launch NAME TIMEOUT_S CMDLINE: boot in the background; its console
	# in $results/$k/NAME.console, its exit status in NAME.rc.
	launch() {
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
			wait -n || true
		done
		(
			rc=0
			VM_MEM=$k_mem BOOT_TIMEOUT_S=$2 INIT_TIMEOUT_S=$k_init boot "$k" "$results/$k/$1.console" "$3" || rc=$?
			echo "$rc" >"$results/$k/$1.rc"
		) &
	}
	launch modules "$k_timeout" \
		"CK_DMESG=$k_dmesg CK_MODS=$(echo "$MODULES" | tr ' ' ,) CYCLES=$k_cycles STRESS_CYCLES=$k_stress STRESS_SCHED=$k_sched $vm_args RMMOD_BOUND_MS=$k_bound DWELL_S=$k_dwell"
	for f in $k_fixtures; do
		# "# cycles: N" runs the first N scenarios (done, cancel, early).
		fcycles=$(sed -n 's/^# cycles: *//p' "$top/tests/broken/$f.sed")
		launch "broken_$f" "$k_timeout" \
			"CK_MODS=broken_$f CYCLES=${fcycles:-1} STRESS_CYCLES=$FIXTURE_STRESS_CYCLES STRESS_SCHED=$k_sched $vm_args RMMOD_BOUND_MS=$k_bound DWELL_S=$DWELL_S WAIT_S=10"
	done
	wait
	t1=$(date +%s.%N)
	note "kernel $k: boots done in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
	log=$results/$k/modules.console
	brc=$(cat "$results/$k/modules.rc" 2>/dev/null || echo "?")
	boot_s=$(sed -n 's/^ck-vm: booted .* at \([0-9.]*\) s.*/\1/p' "$log" | tr -d '\r' | head -1)
	[ ! -f "$log.first-try" ] || echo "    # the first boot died before /init and was retried: $log.first-try"
	# Each module's log of its last cycle of each scenario, as the docs
	# show them: logs/NAME.SCENARIO.log.
	mkdir -p "$results/$k/logs"
	for m in $MODULES; do
		tr -d '\r' <"$log" | sed -n '/^ck-vm: dmesg begin/,$p' |
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
		line=$(tr -d '\r' <"$log" | grep "^# result: module=$m " || true)
		if [ -z "$line" ]; then
			echo "    # $m: no result (boot rc=$brc: hang or crash); console tail:"
			tail -n 30 "$log" | tr -d '\r' | indent
			line="# result: module=$m result=fail cycles=- rmmod_ms=- rmmod_max_ms=- floor_ms=- fails=no-result"
		fi
		get() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
		res=$(get result)
		printf '%s\tmodule\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$k" "$m" "$res" \
			"$(get rmmod_ms)" "$(get rmmod_max_ms)" "$(get floor_ms)" "$(get cycles)" \
			"$(get fails)" "${boot_s:--}" "$accel" >>"$results/summary.tsv"
		if [ "$res" = pass ]; then
			passed=$((passed + 1))
			echo "    ok $num $m"
		elif [ "$res" = skip ]; then
			skipped=$((skipped + 1))
			echo "    ok $num $m # SKIP $(tr -d '\r' <"$log" | sed -n "s/^ok [0-9]* $m # SKIP //p")"
		else
			failed=$((failed + 1))
			kfail=1
			echo "    not ok $num $m"
		fi
	done

	# One boot per broken fixture: it must fail, for the expected reason.
	for f in $k_fixtures; do
		num=$((num + 1))
		want=$(sed -n 's/^# expect: *//p' "$top/tests/broken/$f.sed")
		log=$results/$k/broken_$f.console
		brc=$(cat "$results/$k/broken_$f.rc" 2>/dev/null || echo "?")
		# Every check that any test of the boot failed: it must be the
		# "# expect:" set, where "[check]" may or may not fail (its
		# comment says on which kernels).
		[ ! -f "$log.first-try" ] || echo "    # the first boot died before /init and was retried: $log.first-try"
		line=$(tr -d '\r' <"$log" | grep "^# result: module=broken_$f " || true)
		get() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
		fails=$(tr -d '\r' <"$log" | sed -n 's/^# result: module=.* fails=//p' | tr ',' '\n' |
			{ grep -vx -- - || true; } | sort -u | paste -sd, -)
		[ -n "$line" ] || fails=${fails:+$fails,}no-result
		verdict=$(awk -v want="$want" -v got="$fails" 'BEGIN {
			n = split(want, w, " "); m = split(got, g, ",")
			for (i = 1; i <= m; i++) seen[g[i]] = 1
			for (i = 1; i <= n; i++) {
				c = w[i]; opt = c ~ /^\[.*\]$/; gsub(/[][]/, "", c); ok[c] = 1
				if (!opt && c != "pass" && !(c in seen)) miss = miss " " c
			}
			for (i = 1; i <= m; i++) if (!(g[i] in ok)) extra = extra " " g[i]
			if (miss != "") printf "missed:%s", miss
			if (extra != "") printf "%sunexpected:%s", miss != "" ? "; " : "", extra
		}')
		if [ -z "$verdict" ]; then
			res=pass
			passed=$((passed + 1))
			if [ "$want" = pass ]; then
				echo "    # broken_$f passes, as it should (rmmod_ms=$(get rmmod_ms))"
			else
				echo "    # broken_$f caught by: $fails"
			fi
			echo "    ok $num broken_$f"
		else
			res=fail
			failed=$((failed + 1))
			kfail=1
			echo "    # broken_$f: wanted '$want', got '${fails:-none}': $verdict (boot rc=$brc)"
			tr -d '\r' <"$log" | sed -n '/^KTAP version 1/,/^ck-vm: end/p' | indent | head -80
			echo "    not ok $num broken_$f"
		fi
		printf '%s\tfixture\tbroken_%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$k" "$f" "$res" \
			"$(get rmmod_ms)" "$(get rmmod_max_ms)" "$(get floor_ms)" "$(get cycles)" \
			"${fails:--}" "-" "$accel" >>"$results/summary.tsv"
	done
	# The five modules build without a warning with W=1 and sparse.
	num=$((num + 1))
	lint_test build-W1-sparse build "$kcache" "$out/$k/lint" || kfail=1
	# KEY TOTAL BOOT_S FETCH BUILD BOOTS LINT, in seconds (bench-check.sh).
	echo "$k $(secs "$kstart") ${boot_s:--} $(secs "$kstart" "$t_fetched") $(secs "$t_fetched" "$t0")" \
		"$(secs "$t0" "$t1") $(secs "$t1")" >>"$results/kernel-times"
	if [ "$kfail" = 0 ]; then
		echo "ok $knum $k"
	else
		echo "not ok $knum $k"
	fi
done

# Style: checkpatch on the C files, shellcheck on the scripts, the docs'
# logs, the supported kernel range, actionlint on the runner's workflow; and the
# modules build against a lockdep-configured tree (where DECLARE_COMPLETION_ONSTACK
# at file scope would not compile).
knum=$((knum + 1))
echo "    # Subtest: static"
echo "    KTAP version 1"
echo "    1..6"
sfail=0
num=0
t_static=$(date +%s.%N)
for what in checkpatch shellcheck docs range workflow lockdep; do
	num=$((num + 1))
	args=()
	[ "$what" != lockdep ] || args=("$out/lockdep")
	[ "$what" != range ] || args=("$out/range")
	lint_test "$what" "$what" "${args[@]}" || sfail=1
done
if [ "$sfail" = 0 ]; then
	echo "ok $knum static"
else
	echo "not ok $knum static"
fi

echo "static $(secs "$t_static")" >>"$results/kernel-times"
end=$(date +%s.%N)
echo "# summary (build/results/summary.tsv):"
awk -F '\t' '{ printf "#   %-8s %-7s %-38s %-6s %9s %12s %9s %6s %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' \
	"$results/summary.tsv"
[ ! -f "$results/kernel-times" ] ||
	awk '$1 == "static" { printf "# static checks: %s s\n", $2; next }
		{ printf "# %s: %s s in all (fetch %s, build %s, boots %s, W=1/sparse %s), boot to /init %s s of guest time\n",
		$1, $2, $4, $5, $6, $7, $3 }' "$results/kernel-times"
awk -v a="$start" -v b="$end" 'BEGIN { printf "# wall time: %.1f s\n", b - a }'
awk -F '\t' 'NR > 1 && $2 == "module" && $6 != "-" && $6 + 0 > max[$1] { max[$1] = $6 }
	END { for (k in max) printf "# slowest rmmod on %s: %.3f ms\n", k, max[k] }' "$results/summary.tsv"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
