#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mutants.sh - make mutants: a mutation run over the five modules. Many
# variants of each module, each one small change made mechanically by
# tools/mutants.py (a statement deleted, a call replaced by another of its
# family, a number or an operator changed, a condition negated or cut, two
# statements swapped), each built and run through the quick tier's checks
# as a fixture of its own. A mutant that some check fails is killed; one
# that passes them all survived: either a check is missing, or the mutant
# changes nothing anyone could observe, and then it belongs in
# tests/mutants/equivalent, with the reason.
#
#   make mutants [MODULES="..."] [LIMIT=N] [KERNELS="6.1 5.10"] [BUDGET_MIN=N]
#
#   MODULES     the modules to mutate (default: the five)
#   LIMIT=N     a fixed sample of N mutants a module (default: all of them)
#   KERNELS     where they run, in order: a mutant killed on the first is
#               done; the survivors run on the next (5.10: kthread_stop()
#               interrupts no wait there, the one difference of the range
#               the modules can see). Default "6.1 5.10".
#   BATCH=N     mutants a run of check.sh (default 40)
#   BUDGET_MIN  no new batch starts after this many minutes (default: none);
#               the mutants left are reported as not run
#
# The mutants the compiler rejects (with tests/inject/inject.h forced in,
# as the harness builds them) are stillborn: counted, not run.
# Output: build/mutants/report.tsv (per module: mutants, stillborn,
# equivalent, killed, survived, not run, score = killed / (mutants -
# stillborn - not run)), each survivor's diff under build/mutants/survivors/,
# and a summary on stdout. Exit status 0 if no mutant survived, 1 if one
# did, 2 on an error.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/vm/vm-lib.sh
. "$top/scripts/vm/vm-lib.sh"

note() {
	echo "mutants.sh: $*" >&2
}

MODULES=${MODULES:-$CK_MODULES}
LIMIT=${LIMIT:-0}
KERNELS=${KERNELS:-6.1 5.10}
BATCH=${BATCH:-40}
BUDGET_MIN=${BUDGET_MIN:-0}
for v in LIMIT BATCH BUDGET_MIN; do
	[[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, not '${!v}'"
done
[ "$BATCH" -gt 0 ] || die "BATCH must be at least 1"
for m in $MODULES; do
	case " $CK_MODULES " in *" $m "*) ;; *) die "MODULES: '$m' is not one of the five ($CK_MODULES)" ;; esac
done
equivalent=$top/tests/mutants/equivalent
mdir=${CK_BUILD:-$top/build}/mutants
fix=$mdir/fixtures
t0=$(date +%s)

rm -rf "$mdir"
mkdir -p "$fix" "$mdir/survivors"

# 1. The mutants, as fixtures.
# shellcheck disable=SC2046 # one word a module
python3 "$top/tools/mutants.py" write --out "$fix" --limit "$LIMIT" --equivalent "$equivalent" \
	$(for m in $MODULES; do echo "$top/$m/$m.c"; done) >"$mdir/list.tsv" ||
	die "tools/mutants.py failed"
note "$(wc -l <"$mdir/list.tsv") mutants of $(echo "$MODULES" | wc -w) modules"

# 2. Stillborn: those the compiler rejects, found in one build of them all
# against the first kernel's tree (make -k), each with inject.h forced in.
first=${KERNELS%% *}
kc=$(fetch_kernel "$first") || die "cannot fetch kernel $first"
src=$mdir/build
mkdir -p "$src"
: >"$src/Kbuild"
cp "$top/tests/inject/inject.h" "$src/"
for f in "$fix"/*.sed; do
	n=$(basename "$f" .sed)
	base=$(CK_FIXTURES_DIR=$fix ck_fixture_field "$n" base)
	mkdir -p "$src/$n"
	sed -f "$f" "$top/$base/$base.c" >"$src/$n/$n.c"
	# shellcheck disable=SC2016 # $(src) is Kbuild's
	printf 'obj-m := %s.o\nccflags-y += -include $(src)/../inject.h\n' "$n" >"$src/$n/Kbuild"
	echo "obj-m += $n/" >>"$src/Kbuild"
done
note "building them against $first's tree"
kmake "$kc" -k -s M="$src" -j"$(nproc)" modules >"$mdir/build.log" 2>&1 || true
alive=""
stillborn=""
for f in "$fix"/*.sed; do
	n=$(basename "$f" .sed)
	if [ -f "$src/$n/$n.ko" ]; then
		alive="$alive $n"
	else
		stillborn="$stillborn $n"
	fi
done
note "$(echo "$stillborn" | wc -w) stillborn (build/mutants/build.log), $(echo "$alive" | wc -w) to run"

# 3. The runs: on each kernel the mutants not yet killed, BATCH at a time.
declare -A state
for n in $stillborn; do state[$n]=stillborn; done
for n in $alive; do state[$n]=notrun; done
left=$alive
for k in $KERNELS; do
	# shellcheck disable=SC2086 # one word a mutant
	set -- $left
	next=""
	while [ $# -gt 0 ]; do
		if [ "$BUDGET_MIN" -gt 0 ] && [ $(($(date +%s) - t0)) -ge $((BUDGET_MIN * 60)) ]; then
			note "BUDGET_MIN=$BUDGET_MIN reached: $# mutants not run on $k"
			break 2
		fi
		batch=""
		i=0
		while [ $# -gt 0 ] && [ "$i" -lt "$BATCH" ]; do
			batch="$batch $1"
			shift
			i=$((i + 1))
		done
		note "kernel $k: $i mutants ($# after these)"
		rm -rf "$mdir/run"
		TIER=mutants KERNELS=$k FIXTURES="${batch# }" CK_FIXTURES_DIR=$fix CK_BUILD=$mdir/run \
			"$top/scripts/check.sh" >"$mdir/run.$k.log" 2>&1 || true
		cat "$mdir/run.$k.log" >>"$mdir/runs.log"
		for n in $batch; do
			# The fixture's line: pass, at least one check failed it
			# (killed); fail, none did (survived), or no result.
			r=$(awk -F'\t' -v n="broken_$n" '$2 == "fixture" && $3 == n { print $4 "\t" $9 }' \
				"$mdir/run/results/summary.tsv" 2>/dev/null | tail -n 1)
			case ${r%%$'\t'*} in
			pass)
				state[$n]="killed ${r#*$'\t'} on $k"
				;;
			fail)
				state[$n]=survived
				next="$next $n"
				;;
			*)
				die "kernel $k: no result for mutant $n (its run: build/mutants/run.$k.log)"
				;;
			esac
		done
	done
	left=$next
	[ -n "$left" ] || break
done

# 4. The report.
printf 'module\tmutants\tstillborn\tequivalent\tkilled\tsurvived\tnot_run\tscore\n' >"$mdir/report.tsv"
nsurv=0
for m in $MODULES; do
	t=0 sb=0 kd=0 sv=0 nr=0
	for f in "$fix"/mut_"$m"_*.sed; do
		[ -f "$f" ] || continue
		n=$(basename "$f" .sed)
		t=$((t + 1))
		case ${state[$n]} in
		stillborn) sb=$((sb + 1)) ;;
		killed*) kd=$((kd + 1)) ;;
		survived)
			sv=$((sv + 1))
			cp "$fix/$n.diff" "$mdir/survivors/"
			;;
		*) nr=$((nr + 1)) ;;
		esac
	done
	eq=$(grep -c "^$m:" "$equivalent" 2>/dev/null || true)
	nsurv=$((nsurv + sv))
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$t" "$sb" "${eq:-0}" "$kd" "$sv" "$nr" \
		"$(awk -v k="$kd" -v s="$sv" 'BEGIN { printf (k + s) ? "%.1f%%" : "-", 100 * k / (k + s) }')" >>"$mdir/report.tsv"
done
for n in "${!state[@]}"; do
	printf '%s\t%s\n' "$n" "${state[$n]}"
done | sort >"$mdir/states.tsv"
column -t -s $'\t' "$mdir/report.tsv"
if [ "$nsurv" -gt 0 ]; then
	echo "survivors ($nsurv), their diffs in build/mutants/survivors/:"
	for f in "$mdir"/survivors/*.diff; do
		n=$(basename "$f" .diff)
		awk -F'\t' -v h="${n##*_}" 'index($1, ":" h) { print "  " $1 "  line " $2 ": " $3 }' "$mdir/list.tsv"
	done
fi
echo "mutants: $(($(date +%s) - t0)) s"
[ "$nsurv" = 0 ]
