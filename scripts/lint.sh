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
#   lint.sh lockdep OUTDIR      build the five modules against a 6.1 tree configured
#                               with lockdep (defconfig + PROVE_LOCKING, made once
#                               from linux-source-6.1 with modules_prepare, cached)
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
	(cd "$top" && shellcheck -x -s sh scripts/run-tests.sh scripts/vm-init.sh \
		scripts/demo-vm.sh scripts/ck-lib.sh) || rc=1
	(cd "$top" && shellcheck -x scripts/check.sh scripts/demo.sh scripts/vm-lib.sh \
		scripts/fetch-kernel.sh scripts/lint.sh scripts/install-deps.sh .ci/run) || rc=1
	[ "$rc" = 0 ] && echo "shellcheck: clean"
	exit "$rc"
	;;
lockdep)
	[ $# = 2 ] || die "usage: lint.sh lockdep OUTDIR"
	tarball=/usr/src/linux-source-6.1.tar.xz
	[ -f "$tarball" ] || die "$tarball not found: apt-get install linux-source-6.1"
	tree=$CK_CACHE/lockdep-6.1
	if [ ! -f "$tree/.ck-prepared" ] || [ "$tarball" -nt "$tree/.ck-prepared" ]; then
		echo "lint.sh: preparing a lockdep-configured 6.1 tree in $tree" >&2
		rm -rf "$tree"
		mkdir -p "$tree"
		tar -xf "$tarball" -C "$tree" --strip-components=1
		make -s -C "$tree" defconfig >/dev/null
		"$tree/scripts/config" --file "$tree/.config" -e PROVE_LOCKING -e DEBUG_LOCK_ALLOC
		make -s -C "$tree" olddefconfig >/dev/null
		grep -q '^CONFIG_LOCKDEP=y' "$tree/.config" || die "CONFIG_LOCKDEP did not stick in $tree/.config"
		make -s -C "$tree" -j"$(nproc)" modules_prepare >"$tree/prepare.log" 2>&1 ||
			{ cat "$tree/prepare.log"; exit 1; }
		touch "$tree/.ck-prepared"
	fi
	src=$2
	rm -rf "$src"
	mkdir -p "$src"
	cp "$top/Kbuild" "$src/"
	for m in $MODULES; do
		cp -r "$top/$m" "$src/$m"
	done
	# A tree made with modules_prepare has no Module.symvers: modpost may
	# only warn about the kernel symbols it cannot see.
	make -C "$tree" M="$src" KBUILD_MODPOST_WARN=1 W=1 modules >"$src/lint.log" 2>&1 ||
		{ cat "$src/lint.log"; exit 1; }
	if grep -iE 'warning|error' "$src/lint.log" |
		grep -v 'modpost: \|Module.symvers is missing\|unresolved symbol warnings'; then
		exit 1
	fi
	n=0
	for m in $MODULES; do
		[ -f "$src/$m/$m.ko" ] && n=$((n + 1))
	done
	[ "$n" = 5 ] || { echo "only $n of 5 modules built"; exit 1; }
	echo "CONFIG_PROVE_LOCKING=y 6.1 tree: 5 modules built, W=1 clean"
	;;
*)
	die "usage: lint.sh build KDIR OUTDIR | checkpatch | shellcheck | lockdep OUTDIR"
	;;
esac
