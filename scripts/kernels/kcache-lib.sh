#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kcache-lib.sh - what fetch-kernel.sh, fetch-unstable.sh and
# build-debug-kernel.sh share: messages, and their locked folder in the
# kernel cache. Sourced by bash; PROG must be set. It sources config.sh (the
# lists, CK_CACHE, die).

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=scripts/lib/config.sh
. "$top/scripts/lib/config.sh"

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

# no_args_or_help "$@": for a script that takes no arguments; --help prints
# its header comment (from line 3 to "set -euo").
no_args_or_help() {
	case ${1:-} in
	"") ;;
	-h | --help)
		sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
		exit 0
		;;
	*) die "no arguments expected (see $PROG --help)" ;;
	esac
}

# kcache_lock KEY: make $CK_CACHE/kernels/KEY, set cache_root and KDIR (its physical path)
# and hold its lock on fd 9 until the script ends, waiting for another
# script that holds it.
kcache_lock() {
	cache_root=$CK_CACHE
	mkdir -p "$cache_root/kernels/$1" || die "cannot create cache directory $cache_root/kernels/$1"
	KDIR=$(cd "$cache_root/kernels/$1" && pwd -P)
	command -v flock >/dev/null || die "flock not found (apt-get install util-linux)"
	exec 9>"$KDIR/.lock"
	if ! flock -n 9; then
		log "waiting for another $PROG for $1 to finish ..."
		flock 9
	fi
}

# kcache_cached WHAT PATH... -- KEY=VALUE...: unless CK_REFRESH=1, when the
# cache folder $KDIR is complete, say "WHAT (release) already in cache",
# print $KDIR and exit 0; otherwise return. Complete: $KDIR/release is not
# empty, each PATH (relative to $KDIR unless absolute; RELEASE in it
# stands for that release) is a file that is not empty, and the .stamp,
# written last, holds format=$STAMP_FORMAT, each KEY=VALUE (an empty one
# is left out) and release=RELEASE.
kcache_cached() {
	local what=$1 rel p l
	shift
	[[ ${CK_REFRESH:-0} != 1 && -f $KDIR/.stamp && -s $KDIR/release ]] || return 0
	rel=$(<"$KDIR/release")
	while [[ $# -gt 0 && $1 != -- ]]; do
		p=${1//RELEASE/$rel}
		[[ $p == /* ]] || p=$KDIR/$p
		[[ -s $p ]] || return 0
		shift
	done
	shift
	for l in "format=$STAMP_FORMAT" "$@" "release=$rel"; do
		[[ -z $l ]] || grep -qxF "$l" "$KDIR/.stamp" || return 0
	done
	log "$what ($rel) already in cache"
	printf '%s\n' "$KDIR"
	exit 0
}
