# SPDX-License-Identifier: GPL-2.0
#
# config.sh - the lists the scripts share, each written once. POSIX sh,
# sourced by the host-side scripts (check.sh, demo.sh, lint.sh, deps.sh,
# the kernel fetchers), which set top (the repository) first.

: "${top:?config.sh: set top, the repository, before sourcing it}"

# The cache: kernels, the sid chroot, the debug kernel, tools unpacked from
# linux-source-6.1, the passes of make lint.
CK_CACHE=${CK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/completion-kthreads}

# Debian's kernel source, for the static checks, kunit.py and the debug kernel.
CK_LINUX_SOURCE=/usr/src/linux-source-6.1.tar.xz

# ck_linux_source DIR [PATH...]: linux-source-6.1 unpacked into DIR (only
# the PATHs, relative to its top, if any are given), once, and again when
# the tarball is newer than DIR/.ck-unpacked. Status 3 and the reason on
# standard output if the package is not installed, 2 if tar fails.
ck_linux_source() {
	[ -f "$CK_LINUX_SOURCE" ] ||
		{ echo "$CK_LINUX_SOURCE not found: apt-get install linux-source-6.1"; return 3; }
	# shellcheck disable=SC3013 # -nt: in bash, dash and busybox sh alike
	if [ -f "$1/.ck-unpacked" ] && [ ! "$CK_LINUX_SOURCE" -nt "$1/.ck-unpacked" ]; then
		return 0
	fi
	cls_dir=$1
	shift
	rm -rf "$cls_dir"
	mkdir -p "$cls_dir"
	# shellcheck disable=SC2046 # paths without spaces
	tar -xf "$CK_LINUX_SOURCE" -C "$cls_dir" --strip-components=1 \
		$(for p in "$@"; do echo "linux-source-6.1/$p"; done) || return 2
	touch "$cls_dir/.ck-unpacked"
}

# ck_private_tmp [COMMAND]: TMPDIR becomes a folder of its own, ck_tmp,
# for this script and all it starts. At the exit, COMMAND runs, then the
# folder is removed; Ctrl-C or a kill ends the script through that exit.
ck_private_tmp() {
	ck_tmp=$(mktemp -d)
	export TMPDIR="$ck_tmp"
	# shellcheck disable=SC2064 # COMMAND as it is given now
	trap "${1:+$1; }rm -rf \"\$ck_tmp\"" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# die MESSAGE: MESSAGE on standard error after the script's name, exit 2.
die() {
	echo "${0##*/}: $*" >&2
	exit 2
}

# ck_given NAME...: "NAME=value" for each NAME set and not empty, on one
# line. The guest's scripts hold the defaults of what the host passes them
# (scripts/guest/run-tests.sh, demo-vm.sh, timeline-vm.sh): the host passes
# on what the user set, and its own choices, never a copy of a default.
ck_given() {
	ck_given_out=""
	for ck_given_n; do
		eval "ck_given_v=\${$ck_given_n:-}"
		[ -z "$ck_given_v" ] || ck_given_out="$ck_given_out $ck_given_n=$ck_given_v"
	done
	echo "${ck_given_out# }"
}

# The five modules, in the order the docs present them: the folders the
# top-level Kbuild names (the one list of them).
CK_MODULES=$(sed -n 's|^obj-m += \(.*\)/$|\1|p' "$top/Kbuild" | tr '\n' ' ')
CK_MODULES=${CK_MODULES% }

# The module of the rest of the API (completion_api/: its waiters are
# processes), with tests of its own (scripts/guest/api-tests.sh).
# shellcheck disable=SC2034 # read by check.sh and demo.sh
CK_API_MODULE=completion_api

# The hand-off benchmark (make bench, scripts/bench.sh) and the kernels it
# runs on by default.
# shellcheck disable=SC2034 # read by bench.sh and check.sh
CK_BENCH_MODULE=completion_bench
# shellcheck disable=SC2034 # read by bench.sh
CK_BENCH_KERNELS="6.1 6.1-rt"

# lab_conf LAB KEY: KEY's value in labs/LAB/lab.conf (KEY=VALUE lines).
lab_conf() {
	sed -n "s/^$2=//p" "$top/labs/$1/lab.conf"
}

# lab_kernels LAB: the kernels labs/LAB/lab.conf's kernels= line names, the
# word "quick" standing for the quick tier's (CK_KERNELS_QUICK); the quick
# tier's if it has no such line. make check-all grades the lab on each of
# them, make grade on each but the debug kernel.
lab_kernels() {
	lk_out=""
	for lk in $(lab_conf "$1" kernels); do
		case $lk in
		quick) lk_out="$lk_out $CK_KERNELS_QUICK" ;;
		*) lk_out="$lk_out $lk" ;;
		esac
	done
	[ -n "$lk_out" ] || lk_out=" $CK_KERNELS_QUICK"
	echo "${lk_out# }"
}

# lab_solution LAB: the solution's source on standard output: the skeleton
# with labs/LAB/solution/LAB.sed applied; 1 if the instructor removed it,
# 2 if the script fails or changes nothing. (A temporary file of its own:
# check.sh builds the kernels at once.)
lab_solution() {
	ls_dir=$top/labs/$1
	[ -f "$ls_dir/solution/$1.sed" ] || return 1
	ls_tmp=$(mktemp) || return 2
	if ! sed -f "$ls_dir/solution/$1.sed" "$ls_dir/$1.c" >"$ls_tmp"; then
		rm -f "$ls_tmp"
		return 2
	fi
	if cmp -s "$ls_tmp" "$ls_dir/$1.c"; then
		rm -f "$ls_tmp"
		echo "labs/$1/solution/$1.sed changes nothing in $1.c" >&2
		return 2
	fi
	ls_rc=0
	cat "$ls_tmp" || ls_rc=$?
	rm -f "$ls_tmp"
	return "$ls_rc"
}

# ck_labs: the labs, labs/NAME/lab.conf, by name.
ck_labs() {
	for f in "$top"/labs/*/lab.conf; do
		f=${f%/lab.conf}
		printf '%s ' "${f##*/}"
	done | sed 's/ $//'
}

# CK_FIXTURES_DIR: the folder of the broken fixtures, NAME.sed: tests/broken,
# or the mutants that make mutants writes as fixtures (scripts/mutants.sh).
CK_FIXTURES_DIR=${CK_FIXTURES_DIR:-$top/tests/broken}

# ck_fixtures: the broken fixtures, $CK_FIXTURES_DIR/NAME.sed, by name.
ck_fixtures() {
	for f in "$CK_FIXTURES_DIR"/*.sed; do
		f=${f##*/}
		printf '%s ' "${f%.sed}"
	done | sed 's/ $//'
}

# ck_fixture_field NAME FIELD: the value of the "# FIELD: VALUE" header line
# of $CK_FIXTURES_DIR/NAME.sed (base: the module it breaks, expect: the
# checks that must catch it, kernels: the only kernels it runs on); nothing
# if the fixture has no such line or does not exist.
ck_fixture_field() {
	sed -n "s/^# $2: *//p" "$CK_FIXTURES_DIR/$1.sed" 2>/dev/null || true
}

# Kernel keys. Each Debian key names one fixed kernel, whatever the host's
# own release: its suites are fixed, fetched from the Debian archive the
# host's apt sources name (fetch-kernel.sh).
#   5.10      Debian 11's kernel (bullseye, -updates, -security): the oldest
#             supported, and the only one where kthread_stop() does not
#             interrupt an interruptible wait
#   6.1       Debian 12's kernel (bookworm, -updates, -security)
#   6.12      Debian 12's backported kernel (bookworm-backports)
#   6.1-rt    Debian 12's PREEMPT_RT kernel
#   unstable  Debian unstable's kernel, modules built in a sid chroot
#   debug     6.1 built from linux-source-6.1 with lockdep, KASAN, kmemleak,
#             and gcov for the modules (make coverage)
#   kcsan     its sibling with KCSAN, the data-race detector, strict, in
#             KASAN's place
#   distro    the host distribution's own kernel packages, through the host's
#             own apt configuration (Ubuntu: linux-image-generic)
CK_KERNELS_ALL="5.10 6.1 6.12 6.1-rt unstable debug kcsan"
CK_KERNELS_QUICK="5.10 6.1 6.12"
CK_KERNELS_KNOWN="$CK_KERNELS_ALL distro"

# How often a run repeats each thing. The quick ones are make check's, and
# every fixture's and lab's (make check-harness, make grade), so that each
# fixture proves make check catches it: one cycle a scenario (done, cancel,
# early), one stress cycle a scheduling mode, 10 s for a wake-up that takes
# milliseconds, 3 s of completion_api's fuzz. The full ones, make
# check-all's: 20 stress cycles, 10 s of fuzz. (The debug kernel has its
# own, in check.sh.)
# shellcheck disable=SC2034 # read by check.sh and grade.sh
CK_REPS_QUICK="CYCLES=3 STRESS_CYCLES=4 WAIT_S=10 FUZZ_S=3 EARLY_DELAY_MS=300"
# shellcheck disable=SC2034 # read by check.sh
CK_REPS_FULL="CYCLES=3 STRESS_CYCLES=20 WAIT_S=30 FUZZ_S=10 EARLY_DELAY_MS=1000"

# make lint's checks (scripts/lint.sh), which make check-all runs too.
# shellcheck disable=SC2034 # read by check.sh and lint.sh
CK_LINT_CHECKS="checkpatch shellcheck docs range workflow lockdep labs unit"

# make timeline: the kernel whose pictures docs/img holds, and the fixtures
# its check draws, which must differ from their base module's picture.
# shellcheck disable=SC2034 # read by timeline.sh and check.sh
TIMELINE_KERNEL=6.1
# shellcheck disable=SC2034 # read by timeline.sh
TIMELINE_BROKEN="no_wait uninterruptible_wait"

# The Debian release the Debian keys come from.
CK_DEBIAN_RELEASE=bookworm

# ck_suites KEY: the Debian suites a key's packages come from.
ck_suites() {
	case $1 in
	5.10) echo "bullseye bullseye-updates bullseye-security" ;;
	6.1 | 6.1-rt) echo "$CK_DEBIAN_RELEASE $CK_DEBIAN_RELEASE-updates $CK_DEBIAN_RELEASE-security" ;;
	6.12) echo "$CK_DEBIAN_RELEASE-backports" ;;
	unstable) echo sid ;;
	*) echo "" ;;
	esac
}

# ck_cc KEY: the compiler a key's modules are built with, if not the one its
# headers name. 5.10's headers name gcc-10, which Debian 12 lacks; with
# gcc-12 the modules build without a warning under W=1 and sparse.
ck_cc() {
	case $1 in
	5.10) echo gcc-12 ;;
	*) echo "" ;;
	esac
}

# ck_known_kernel KEY: true if KEY is a kernel key.
ck_known_kernel() {
	case $1 in "" | *" "*) return 1 ;; esac
	case " $CK_KERNELS_KNOWN " in *" $1 "*) return 0 ;; esac
	return 1
}

# ck_known_module NAME: true if NAME is one of the five modules.
ck_known_module() {
	case $1 in "" | *" "*) return 1 ;; esac
	case " $CK_MODULES " in *" $1 "*) return 0 ;; esac
	return 1
}

# ck_debian_uris: where the Debian archive is, as "main URI" and
# "security URI" lines (none if the host names no Debian archive). Read from
# the host's own apt sources (apt's parser: one-line and deb822 files alike,
# no downloaded lists needed): the first deb line, component main, whose
# suite belongs to a Debian release. CK_DEBIAN_MIRROR=URI names the archive
# instead (CK_DEBIAN_SECURITY_MIRROR its security archive);
# CK_DEBIAN_MIRROR=none acts as if the host named none.
ck_debian_uris() {
	case ${CK_DEBIAN_MIRROR:-} in
	none) return 0 ;;
	?*)
		echo "main $CK_DEBIAN_MIRROR"
		[ -z "${CK_DEBIAN_SECURITY_MIRROR:-}" ] || echo "security $CK_DEBIAN_SECURITY_MIRROR"
		return 0
		;;
	esac
	command -v apt-get >/dev/null || return 0
	# shellcheck disable=SC2016 # $(...) are apt's format fields
	apt-get indextargets --no-release-info \
		--format '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT)' 2>/dev/null |
		awk 'BEGIN { n = split("jessie stretch buster bullseye bookworm trixie forky duke sid " \
				"oldoldstable oldstable stable testing unstable", r, " ")
				for (i = 1; i <= n; i++) debian[r[i]] = 1 }
			$1 == "deb" && $4 == "main" {
				base = $3; sub(/-(updates|security|backports|proposed-updates)$/, "", base)
				if (!(base in debian)) next
				kind = ($3 ~ /-security$/) ? "security" : "main"
				if (!(kind in seen)) { seen[kind] = 1; print kind, $2 }
			}'
}

# ck_default_kernels quick|harness|all|demo: the kernels a run takes by
# default (harness: the quick tier's, and the debug kernel for the fixtures
# only lockdep and kmemleak see). On a host with no Debian archive (Ubuntu),
# its own distribution's kernel.
ck_default_kernels() {
	if [ -z "$(ck_debian_uris)" ]; then
		case $1 in
		all | harness) echo "distro debug" ;;
		*) echo distro ;;
		esac
		return 0
	fi
	case $1 in
	quick) echo "$CK_KERNELS_QUICK" ;;
	harness) echo "$CK_KERNELS_QUICK debug" ;;
	all) echo "$CK_KERNELS_ALL" ;;
	demo) echo 6.1 ;;
	esac
}

# ck_apt_network_conf: the host's apt settings that a chroot's apt needs too
# (proxies, and Check-Valid-Until/Check-Date when the host's archive is a
# frozen snapshot whose Release files have expired), in apt.conf syntax.
ck_apt_network_conf() {
	apt-config dump 2>/dev/null |
		grep -E '^Acquire::(Check-Valid-Until|Check-Date|Max-ValidTime|Min-ValidTime|Retries|ForceIPv4|ForceIPv6|(http|https|ftp)::(Proxy|Timeout|Pipeline-Depth))(::| )' ||
		true
}
