#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# grade.sh - `make grade LAB=NAME`: build a lab's module and test it in the
# VM, on each kernel the lab claims.
#
# Builds labs/NAME/NAME.c, the learner's file, and nothing else of the lab
# (ANSWER=FILE: that file in its place; SOLUTION=1: the reference solution
# alone, that file with labs/NAME/solution/NAME.sed applied), against each
# kernel of the lab's lab.conf kernels= line but the debug kernel
# (lab_kernels, scripts/lib/config.sh), and runs it in QEMU on each,
# through the same runner as the five modules (scripts/guest/run-tests.sh):
# its three cases, the fault-injected error paths, load-and-unload stress,
# the soak under the hung-task detector, the kernel log's reports; or, for
# a lab whose lab.conf says grader=api, completion_api's tests
# (scripts/guest/api-tests.sh). Prints a verdict a kernel: PASS, or FAIL
# and each requirement the module failed there, in the words of
# labs/checks.txt, the kernel's reports whole and the console's file; then
# PASS or FAIL for the lab, and on a FAIL the TODO's line and the lab's
# hints. Exit status 0 if it passed on every kernel, 1 if it failed on
# one, 2 if it could not be graded.
#
# lab.conf: grader=api, expect=CHECKS (what its skeleton fails: make
# check-all proves it, and that the solution passes), kernels=KEYS.
#
# Settings: LAB=NAME  KERNEL=<the lab's kernels but debug> (one key or more
# of scripts/lib/config.sh; KERNEL=debug: lockdep, KASAN and kmemleak, a
# kernel built the first time)  SOLUTION=0  ANSWER=FILE  V=1 (the tests'
# own lines too: timings, stress endings, taint)  JOBS=<one a kernel> (VMs
# at once)  ACCEL=auto

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/vm/vm-lib.sh
. "$top/scripts/vm/vm-lib.sh"
on_interrupt
LAB=${LAB:-}
KERNEL=${KERNEL:-}
SOLUTION=${SOLUTION:-0}
ANSWER=${ANSWER:-}
V=${V:-0}
ACCEL=${ACCEL:-auto}
BOOT_TIMEOUT_S=${BOOT_TIMEOUT_S:-900}
MODULES=""
FIXTURES=""
out=$top/build/grade
results=$out/results

note() {
	echo "grade.sh: $*" >&2
}
# rel PATH: PATH from the top of the repository, as make's users type it.
rel() {
	echo "${1#"$top"/}"
}

labs=$(ck_labs)
[ -n "$LAB" ] || die "which lab? make grade LAB=NAME (labs: $labs)"
[ -f "$top/labs/$LAB/lab.conf" ] || die "no lab $LAB (labs: $labs)"
# What is graded: mod, the module's name; file, its source as the
# learner knows it; parts, what build_for builds of the lab.
mod=$LAB
file=$top/labs/$LAB/$LAB.c
parts=skeleton
answer=""
if [ "$SOLUTION" = 1 ]; then
	[ -z "$ANSWER" ] || die "ANSWER= grades a file of yours, SOLUTION=1 the reference solution: give one of them"
	[ -f "$top/labs/$LAB/solution/$LAB.sed" ] || die "labs/$LAB/solution/$LAB.sed is not there (removed by your instructor?)"
	mod=${LAB}_solution
	file=$top/labs/$LAB/solution/$LAB.sed
	parts=solution
elif [ -n "$ANSWER" ]; then
	[ -f "$ANSWER" ] || die "ANSWER=$ANSWER: no such file"
	answer=$(realpath -- "$ANSWER")
	file=$answer
fi
shown=$(rel "$file")
[ "$SOLUTION" != 1 ] || shown="the solution of labs/$LAB ($shown)"

# The kernels: KERNEL's, or every one the lab claims but the debug kernel,
# which is built the first time (minutes): that one only when asked for.
if [ -n "$KERNEL" ]; then
	kernels=$KERNEL
else
	kernels=""
	for k in $(lab_kernels "$LAB"); do
		[ "$k" = debug ] || kernels="$kernels $k"
	done
	kernels=${kernels# }
	[ -n "$kernels" ] ||
		die "labs/$LAB is graded on the debug kernel only (its lab.conf: kernels=$(lab_conf "$LAB" kernels)):" \
			"make grade LAB=$LAB KERNEL=debug (the first time it builds that kernel: minutes)"
	if [ -z "$(ck_debian_uris)" ]; then
		note "the host's apt sources name no Debian archive: grading on the host's own kernel (distro)," \
			"not on $kernels; for those set CK_DEBIAN_MIRROR=<Debian archive URI>"
		kernels=$(ck_default_kernels demo)
	fi
fi
for k in $kernels; do
	ck_known_kernel "$k" || die "unknown kernel $k (known: $CK_KERNELS_KNOWN)"
done
nk=$(echo "$kernels" | wc -w)
# The VMs at once: all of them. A TCG guest keeps a core busy only while
# it boots, its tests mostly sleep: on 2 cores, prompt_unload's solution
# on its three kernels took 22.5 s so, 32.8 s one VM after another
# (JOBS=1). At most one a GB of memory available (each has VM_MEM, 1 GB).
if [ -z "${JOBS:-}" ]; then
	JOBS=$nk
	mem_gb=$(awk '/^MemAvailable:/ { print int($2 / 1048576) }' /proc/meminfo)
	[ "$JOBS" -le "$mem_gb" ] || JOBS=$mem_gb
	[ "$JOBS" -ge 1 ] || JOBS=1
fi
# shellcheck disable=SC2086 # one word a key
"$top/scripts/lib/deps.sh" preflight demo $kernels || exit 2
vm_check_tools

# 1. Each kernel fetched, one after another (cached after the first time).
declare -A kc
for k in $kernels; do
	mkdir -p "$out/$k" "$results/$k"
	rm -f "$results/$k/$mod".* "$results/$k"/grade.*
	note "kernel $k: fetching (cached after the first time)"
	kc[$k]=$(fetch_kernel "$k") || die "kernel $k: fetching it failed (its messages are above)"
done

# 2. The module built for each kernel, and the VM's initramfs, the kernels
# at once. A kernel that fails here says why in $results/K/grade.failed:
# "build" (the module does not build: the learner's to fix) or "prepare".
for k in $kernels; do
	(
		kcache=${kc[$k]}
		rm -f "$out/$k/build.log" "$out/$k/build-inject.log"
		if ! (LABS=$LAB LAB_PARTS=$parts LAB_ANSWER=$answer build_for "$k" "$kcache") 2>"$results/$k/grade.build"; then
			echo build >"$results/$k/grade.failed"
			exit 0
		fi
		if ! (initramfs_for "$k" && kernel_image "$k" && echo "$kimage" >"$results/$k/grade.kimage") \
			2>"$results/$k/grade.prepare"; then
			echo prepare >"$results/$k/grade.failed"
		fi
	) &
done
wait

# 3. The boots, JOBS at a time; the accelerator probed once, on the first
# kernel ready.
ready=""
for k in $kernels; do
	[ -f "$results/$k/grade.failed" ] || ready="$ready $k"
done
if [ -n "$ready" ]; then
	k=${ready# }
	k=${k%% *}
	kcache=${kc[$k]}
	kimage=$(cat "$results/$k/grade.kimage")
	pick_accel "$k"
	note "testing $(rel "$file") on$ready in QEMU ($accel), $JOBS at a time: a minute or two"
fi
grader=$(lab_conf "$LAB" grader)
for k in $ready; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n || true
	done
	(
		kcache=${kc[$k]}
		kimage=$(cat "$results/$k/grade.kimage")
		if [ "$grader" = api ]; then
			# completion_api's tests (scripts/guest/api-tests.sh).
			args="CK_API=$mod $CK_REPS_QUICK"
		else
			# As make check runs a module, with its repetitions
			# (CK_REPS_QUICK): the three cases, 4 stress cycles, the
			# soak, the error paths. KASAN under TCG is too slow for
			# the stress cycles' scheduling (check.sh).
			sched=1
			[ "$k" != debug ] || sched=0
			args="CK_MODS=$mod $CK_REPS_QUICK STRESS_SCHED=$sched"
		fi
		t0=$(date +%s)
		rc=0
		boot "$k" "$results/$k/$mod.console" "$args" || rc=$?
		echo "$rc $(($(date +%s) - t0))" >"$results/$k/grade.rc"
	) &
done
wait

# 4. A verdict a kernel, in the order of the list.
# What a report's first line looks like: ck-lib.sh's $reports.
report_re=$(
	# shellcheck source=scripts/guest/ck-lib.sh
	. "$top/scripts/guest/ck-lib.sh"
	echo "$reports"
)
# taint_of CONSOLE: the kernel's taint flags at the end of the run, a
# number (none from api-tests.sh). taint_words_of MASK: its flags in words
# (ck-lib.sh's table), "LETTER (bit N): reason" a line.
taint_of() {
	tr -d '\r' <"$1" | sed -n 's/^# kernel: .* taint \([0-9]*\) at the end.*/\1/p' | tail -n 1
}
taint_words_of() {
	(
		# shellcheck source=scripts/guest/ck-lib.sh
		. "$top/scripts/guest/ck-lib.sh"
		taint_words "$1"
	)
}
# taint_note MASK [PASS]: in tnote, ", taint MASK (LETTERS)" for a
# kernel's line; in others, the flags but O and E in words, a line of
# their own; oe_seen=1 if O or E is set.
taint_note() {
	local words
	tnote=""
	others=""
	[ -n "$1" ] || return 0
	words=$(taint_words_of "$1")
	tnote=$(echo "$words" | cut -c1 | tr -d '\n')
	tnote=", taint $1 (${tnote:-no flag})"
	others=$(echo "$words" | { grep -vE '^[OE] |^$' || true; } | paste -sd ';' - | sed 's/;/; /g')
	[ -z "$others" ] || others="  taint: $others${2:+ (set before the tests began)}"
	[ $(($1 & 12288)) = 0 ] || oe_seen=1
}
oe_seen=0
# failure_lines CONSOLE: the tests' lines that say what failed (fail's
# "# TEST: ..." and the indented lines under one, a diff), without those
# that only report (the run's settings, stress endings, soak and fuzz
# figures, the taint), the module's log excerpts, or a report line (shown
# whole below): scripts/guest/run-tests.sh's and api-tests.sh's words.
info_re='^# (kernel [^:]*, cycles=|kernel: [0-9]+ report lines in |soak: (skipped|hung_task_timeout_secs set|.* loaded together for )|fuzz: [0-9]+ readers in |cleanup: )'
info_re="$info_re|^# [a-z0-9_-]+: (insmod must refuse |stress: [0-9]+ cycles, endings:|its log in (stress )?cycle [0-9]+:|kernel report|[0-9]+ thread.s. of its names left)"
failure_lines() {
	tr -d '\r' <"$1" | sed -n '/^KTAP version 1/,/^ck-vm: end/p' |
		awk -v info="$info_re" '!/^#/ || /^# result:/ { next }
			!/^#   / { keep = $0 !~ info }
			keep && ++n <= 60 { print } END { if (n > 60) print "# (and more: make grade V=1)" }' |
		sed 's/^# /  /'
}
failed_on=""
passed_on=""
error_on=""
# The failed checks of each kernel that failed.
declare -A failed
for k in $kernels; do
	release=$(cat "${kc[$k]}/release")
	title="$k ($release)"
	console=$results/$k/$mod.console
	if [ -f "$results/$k/grade.failed" ]; then
		if [ "$(cat "$results/$k/grade.failed")" = build ]; then
			failed_on="$failed_on $k"
			echo "$title: FAIL: $shown does not build:"
			log=$out/$k/build.log
			[ ! -f "$out/$k/build-inject.log" ] || log=$out/$k/build-inject.log
			{ grep -h -E 'error|warning' "$log" 2>/dev/null || tail -n 5 "$results/$k/grade.build"; } |
				sed "s|$out/$k/src[a-z-]*/$mod/$mod\.c|$shown|g" | awk 'NR <= 20 { print "  " $0 }'
			echo "  the whole log: $(rel "$log")"
		else
			error_on="$error_on $k"
			echo "$title: NOT GRADED: the VM's files could not be made:"
			tail -n 5 "$results/$k/grade.prepare" | sed 's/^/  /'
			echo "  the whole log: $(rel "$results/$k/grade.prepare")"
		fi
		continue
	fi
	read -r rc secs <"$results/$k/grade.rc"
	fails=$(tr -d '\r' <"$console" | sed -n 's/^# result: module=.* fails=//p' | tr ',' '\n' |
		{ grep -vx -- - || true; } | sort -u)
	# A test that did not end: the kernel hung or crashed.
	if ! grep -aq '^ck-vm: end rc=' "$console"; then
		if ! grep -aq '^ck-vm: booted' "$console"; then
			error_on="$error_on $k"
			echo "$title: NOT GRADED: the VM died before the tests began (QEMU status $rc), in $secs s"
			echo "  the console: $(rel "$console")"
			continue
		fi
		fails="$fails${fails:+
}no-end"
	fi
	if [ "$V" = 1 ]; then
		echo "$title: the tests' lines:"
		tr -d '\r' <"$console" | sed -n '/^KTAP version 1/,/^ck-vm: end/{/^# result:/d;s/^# /  /p}'
	fi
	taint=$(taint_of "$console")
	if [ -z "$fails" ]; then
		passed_on="$passed_on $k"
		taint_note "$taint" pass
		echo "$title: PASS, in $secs s$tnote"
		[ -z "$others" ] || echo "$others"
		continue
	fi
	failed_on="$failed_on $k"
	taint_note "$taint"
	echo "$title: FAIL, in $secs s$tnote:"
	[ -z "$others" ] || echo "$others"
	[ "$V" = 1 ] || failure_lines "$console"
	# The same checks failed as on a kernel above: their names, and
	# where this kernel's reports are.
	same=""
	for f in $failed_on; do
		if [ "$f" != "$k" ] && [ "${failed[$f]:-}" = "$fails" ]; then
			same=$f
			break
		fi
	done
	failed[$k]=$fails
	if [ -n "$same" ] && [ "$V" != 1 ]; then
		echo "  - $(echo "$fails" | paste -sd ' ' -): as on $same"
		first=$(awk -v re="$report_re" -v max=1 -v lines=1 -f "$top/scripts/lib/report-blocks.awk" "$console" |
			sed -n 's/^console line \([0-9]*\):$/\1/p')
		echo "  The console: $(rel "$console")${first:+; its first report from line $first}"
		continue
	fi
	for c in $fails; do
		words=$(awk -F '\t' -v c="$c" '$1 == c { print $2 }' "$top/labs/checks.txt")
		echo "  - $c: ${words:-see the lines of the tests (make grade V=1)}"
	done
	blocks=$(awk -v re="$report_re" -v max=2 -v lines=60 -f "$top/scripts/lib/report-blocks.awk" "$console" |
		sed 's/^/    /')
	if [ -n "$blocks" ]; then
		echo "  The kernel's reports, each to the end of its call trace:"
		echo "$blocks"
	fi
	if [ "$V" = 1 ]; then
		echo "  The console: $(rel "$console")"
	else
		echo "  The console: $(rel "$console"); all the lines of the tests: make grade V=1"
	fi
done

# O and E, in the kernel's words, once.
if [ "$oe_seen" = 1 ]; then
	echo "Taint $(taint_words_of 12288 | paste -sd ';' - | sed 's/;/; /g'):" \
		"expected, for a module built outside the kernel and not signed."
fi
if [ -n "$failed_on" ]; then
	echo "FAIL: $shown fails on${failed_on}${passed_on:+; passes on$passed_on}${error_on:+; not graded on$error_on}"
	if [ "$SOLUTION" = 1 ]; then
		echo "The reference solution should pass: the lab, or the VM, is at fault. Please report it."
	else
		todo=$(grep -n 'TODO:' "$file" | head -n 1 | cut -d: -f1) || true
		hints=$(grep -n '^\*\*Hints\.\*\*' "$top/labs/$LAB/README.md" | head -n 1 | cut -d: -f1) || true
		echo "Where to look: ${todo:+$shown:$todo, the TODO; }the hints in labs/$LAB/README.md${hints:+:$hints}"
	fi
	exit 1
fi
if [ -n "$error_on" ]; then
	echo "NOT GRADED: $shown could not be tested on$error_on${passed_on:+ (passes on$passed_on)}"
	exit 2
fi
echo "PASS: $shown meets every requirement on$passed_on"
