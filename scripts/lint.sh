#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh - the static checks that make check runs beside the VM tests.
#
#   lint.sh build KDIR OUTDIR   build the five modules with W=1 and C=2 (sparse)
#                               in OUTDIR against KDIR: any warning fails
#   lint.sh checkpatch          checkpatch.pl --strict on every C file, taken from
#                               Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz)
#   lint.sh shellcheck          shellcheck on every script
#
# Prints what it found; exit status 0 only when clean.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
MODULES="declare_completion init_completion completion_initializer completion_initializer_onstack declare_completion_onstack"
CK_CACHE=${CK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/completion-kthreads}

die() {
	echo "lint.sh: $*" >&2
	exit 2
}

case ${1:-} in
build)
	[ $# = 3 ] || die "usage: lint.sh build KDIR OUTDIR"
	kdir=$2
	src=$3
	command -v sparse >/dev/null || die "sparse not found: apt-get install sparse"
	rm -rf "$src"
	mkdir -p "$src"
	cp "$top/Kbuild" "$src/"
	for m in $MODULES; do
		cp -r "$top/$m" "$src/$m"
	done
	# C=2 checks every file with sparse; W=1 adds the extra warnings.
	make -C "$kdir" M="$src" W=1 C=2 modules >"$src/lint.log" 2>&1 ||
		{ cat "$src/lint.log"; exit 1; }
	if grep -E 'warning|error' "$src/lint.log"; then
		exit 1
	fi
	echo "W=1 C=2: $(grep -c '^  CHECK' "$src/lint.log") files checked by sparse, no warnings"
	;;
checkpatch)
	tarball=/usr/src/linux-source-6.1.tar.xz
	[ -f "$tarball" ] || die "$tarball not found: apt-get install linux-source-6.1"
	dir=$CK_CACHE/checkpatch-6.1
	if [ ! -x "$dir/scripts/checkpatch.pl" ] || [ "$tarball" -nt "$dir/scripts/checkpatch.pl" ]; then
		mkdir -p "$dir"
		tar -xf "$tarball" -C "$dir" --strip-components=1 \
			linux-source-6.1/scripts/checkpatch.pl linux-source-6.1/scripts/spelling.txt \
			linux-source-6.1/scripts/const_structs.checkpatch
	fi
	rc=0
	n=0
	for f in "$top"/*/*.c "$top"/tests/*/*.c; do
		n=$((n + 1))
		out=$("$dir/scripts/checkpatch.pl" --strict --no-tree --quiet -f "$f" 2>&1) || rc=1
		[ -z "$out" ] || { echo "$out"; rc=1; }
	done
	[ "$rc" = 0 ] && echo "checkpatch --strict: no problems in $n files"
	exit "$rc"
	;;
shellcheck)
	command -v shellcheck >/dev/null || die "shellcheck not found: apt-get install shellcheck"
	rc=0
	# run-tests.sh and vm-init.sh run under busybox: checked as POSIX sh.
	shellcheck -s sh "$top/scripts/run-tests.sh" "$top/scripts/vm-init.sh" || rc=1
	shellcheck "$top"/scripts/check.sh "$top"/scripts/fetch-kernel.sh "$top"/scripts/lint.sh \
		"$top"/scripts/install-deps.sh "$top"/.ci/run || rc=1
	[ "$rc" = 0 ] && echo "shellcheck: clean"
	exit "$rc"
	;;
*)
	die "usage: lint.sh build KDIR OUTDIR | checkpatch | shellcheck"
	;;
esac
