#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - what each part of the suite needs from the host, in one place.
#
#   deps.sh install [demo|check|timeline|bench] [KEY...]
#                                   as root: install what that target (default:
#                                   check, which needs the others' too) and the
#                                   KEYs need (default: every kernel key)
#   deps.sh preflight demo|check|timeline|bench KEY...
#                                   before make demo / check / timeline / bench: as root,
#                                   install what is missing (one apt-get line);
#                                   as a user, stop with the command to run
#   deps.sh doctor                  for every kernel key: its packages, its cache
#                                   entry, the disk space; exit 1 if the default
#                                   make check cannot run
#
# A package is needed by "vm" (every VM run), "check" (make check's lint and
# static tests), "timeline" (make timeline), "bench" (make bench) or a
# kernel key. A package
# marked "?" may be missing from the host's archive (linux-source-6.1 is Debian 12's): the tests that need it are
# then skipped, and say why.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib/config.sh
. "$top/scripts/lib/config.sh"

# package   probe (cmd:NAME, file:PATH, hdr:HEADER or static-busybox)   needed by
table() {
	cat <<'EOF'
make                    cmd:make                                    vm
gcc                     cmd:gcc                                     vm
binutils                cmd:strip                                   vm
libc6-dev               file:/usr/include/stdio.h                   vm
qemu-system-x86         cmd:qemu-system-x86_64                      vm
busybox-static          static-busybox                              vm
cpio                    cmd:cpio                                    vm
gzip                    cmd:gzip                                    vm
util-linux              cmd:flock                                   vm
procps                  cmd:ps                                      vm
dwarves                 cmd:pahole                                  vm
debian-archive-keyring  file:/usr/share/keyrings/debian-archive-keyring.gpg 5.10 6.1 6.12 6.1-rt unstable
gcc-12                  cmd:gcc-12                                  5.10 6.1 6.12 6.1-rt
debootstrap             cmd:debootstrap                             unstable
mount                   cmd:mount                                   unstable
sparse                  cmd:sparse                                  check
shellcheck              cmd:shellcheck                              check
bats                    cmd:bats                                    check
bats-assert             file:/usr/lib/bats/bats-assert/load.bash    check
bats-support            file:/usr/lib/bats/bats-support/load.bash   check
tmux                    cmd:tmux                                    check
trace-cmd               cmd:trace-cmd                               check timeline
python3                 cmd:python3                                 check timeline bench
gcovr                   cmd:gcovr                                   check
npm                     cmd:npm                                     check
perl                    cmd:perl                                    check debug kcsan
linux-source-6.1?       file:/usr/src/linux-source-6.1.tar.xz       check debug kcsan
libelf-dev              hdr:libelf.h                                check debug kcsan
libssl-dev              hdr:openssl/opensslv.h                      check debug kcsan
bc                      cmd:bc                                      check debug kcsan
bison                   cmd:bison                                   check debug kcsan
flex                    cmd:flex                                    check debug kcsan
xz-utils                cmd:xz                                      vm
zstd                    cmd:zstd                                    vm
patch                   cmd:patch                                   debug kcsan
EOF
}

PROG=deps.sh
note() {
	echo "$PROG: $*" >&2
}

# present PROBE: is what the probe names on this machine?
present() {
	case $1 in
	cmd:*) command -v "${1#cmd:}" >/dev/null ;;
	file:*) [ -e "${1#file:}" ] ;;
	hdr:*) printf '#include <%s>\n' "${1#hdr:}" | gcc -E -x c - >/dev/null 2>&1 ;;
	static-busybox)
		local b
		b=$(command -v busybox) || return 1
		! ldd "$b" >/dev/null 2>&1
		;;
	*) die "bad probe $1" ;;
	esac
}

# installable PACKAGE: does the host's archive have it?
installable() {
	# Its own entry: apt takes a name with a dot for a pattern too, and
	# would answer for linux-source-6.12 when asked for linux-source-6.1.
	apt-cache policy "$1" 2>/dev/null | awk -v p="$1:" '$0 == p { on = 1; next }
		/^[^ ]/ { on = 0 } on && /Candidate: [^(]/ { found = 1 } END { exit !found }'
}

# needs TAG...: the table's lines needed by any of the tags.
needs() {
	table | awk -v tags=" $* " '{ for (i = 3; i <= NF; i++) if (index(tags, " " $i " ")) { print; next } }'
}

# missing TAG...: "PACKAGE" lines of what is needed but not present
# (an optional package keeps its "?").
missing() {
	local pkg probe rest
	while read -r pkg probe rest; do
		present "$probe" || echo "$pkg"
	done < <(needs "$@")
}

# wanted PACKAGE...: the packages to install, one a line; an optional one
# ("?") that the archive lacks is left out, with a note.
wanted() {
	local p
	for p in "$@"; do
		if [ "${p%\?}" != "$p" ] && ! installable "${p%\?}"; then
			note "${p%\?} is not in this machine's archive: the tests that need it will be skipped"
			continue
		fi
		echo "${p%\?}"
	done
}

# apt_install PACKAGE...: install, as root, in one visible apt-get line.
apt_install() {
	local want
	[ $# -gt 0 ] || return 0
	export DEBIAN_FRONTEND=noninteractive
	note "apt-get update"
	apt-get update -q >/dev/null || die "apt-get update failed"
	mapfile -t want < <(wanted "$@")
	[ ${#want[@]} -gt 0 ] || return 0
	echo "$PROG: apt-get install -y --no-install-recommends ${want[*]}" >&2
	apt-get install -y -q --no-install-recommends "${want[@]}" >&2 ||
		die "apt-get install failed"
}

# tags_for WHAT KEY...: the tags a run needs.
tags_for() {
	local what=$1
	shift
	if [ "$what" = check ] || [ "$what" = timeline ] || [ "$what" = bench ]; then
		echo vm "$what" "$@"
	else
		echo vm "$@"
	fi
}

# pkg_state TAG: one line on what the tag needs; false if a package that
# could be installed is missing.
pkg_state() {
	local p bad=() skip=()
	while read -r p; do
		if [ "${p%\?}" != "$p" ] && ! installable "${p%\?}"; then
			skip+=("${p%\?}")
		else
			bad+=("${p%\?}")
		fi
	done < <(missing "$1")
	if [ ${#bad[@]} -gt 0 ]; then
		printf 'missing %s' "${bad[*]}"
	else
		printf 'packages ok'
	fi
	[ ${#skip[@]} -eq 0 ] || printf ' (not in this archive: %s, its tests skip)' "${skip[*]}"
	[ ${#bad[@]} -eq 0 ]
}

# doctor: what each kernel key needs, what is here and what is missing.
doctor() {
	local cache k line state rc=0 defaults free_mb d uris
	cache=$CK_CACHE
	defaults=$(ck_default_kernels quick)
	uris=$(ck_debian_uris)
	# shellcheck source=/dev/null
	echo "host:    $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}"), as $(id -un), $(nproc) cores"
	if [ -n "$uris" ]; then
		echo "archive: Debian keys from $(echo "$uris" | awk '{ printf "%s%s", sep, $2; sep = " and " }')"
	else
		echo "archive: the host's apt sources name no Debian archive: the default kernel is 'distro'" \
			"(set CK_DEBIAN_MIRROR=<Debian archive URI> for the Debian keys)"
	fi
	d=$cache
	while [ ! -d "$d" ]; do d=$(dirname "$d"); done
	free_mb=$(df -Pm "$d" | awk 'NR == 2 { print $4 }')
	echo "cache:   $cache ($(du -sh "$cache" 2>/dev/null | cut -f1 || echo empty); $((free_mb / 1024)) GB free)"
	if [ "$free_mb" -lt 4096 ]; then
		echo "         less than 4 GB free: make check needs about 3 GB"
		rc=1
	fi
	if [ -w /dev/kvm ]; then
		echo "accel:   /dev/kvm is writable: KVM if a probe boot works, TCG otherwise"
	else
		echo "accel:   TCG (no writable /dev/kvm): slower, but works"
	fi
	state=$(pkg_state vm) || rc=1
	echo "vm:      $state (make demo, make check)"
	state=$(pkg_state check) || rc=1
	echo "check:   $state (lint, static tests)"
	for k in $CK_KERNELS_KNOWN; do
		line="kernel $k:"
		case " $defaults " in *" $k "*) line="$line [make check]" ;; esac
		if state=$(pkg_state "$k"); then
			line="$line $state"
		else
			line="$line $state"
			case " $defaults " in *" $k "*) rc=1 ;; esac
		fi
		if [ -f "$cache/kernels/$k/.stamp" ] && [ -s "$cache/kernels/$k/release" ]; then
			line="$line; cached: $(cat "$cache/kernels/$k/release") ($(du -sh "$cache/kernels/$k" | cut -f1))"
		else
			line="$line; not cached yet"
		fi
		case $k in
		unstable) [ "$(id -u)" = 0 ] || line="$line; needs root (skipped as a user)" ;;
		distro) [ -n "$uris" ] || line="$line; from $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)" ;;
		*) [ -n "$uris" ] || [ "$k" = debug ] || [ "$k" = kcsan ] || line="$line; no Debian archive" ;;
		esac
		echo "$line"
	done
	if [ "$rc" = 0 ]; then
		echo "verdict: make check ($defaults) can run"
	else
		echo "verdict: make check ($defaults) cannot run yet: sudo scripts/install-deps.sh"
	fi
	return "$rc"
}

cmd=${1:-}
[ $# -eq 0 ] || shift
case $cmd in
install)
	[ "$(id -u)" = 0 ] || die "run as root: sudo $0 install"
	command -v apt-get >/dev/null || die "needs apt-get (Debian or Ubuntu)"
	what=check
	case ${1:-} in demo | check | timeline | bench) what=$1 && shift ;; esac
	if [ $# -eq 0 ]; then
		read -ra keys <<<"$CK_KERNELS_KNOWN"
		set -- "${keys[@]}"
	fi
	for k in "$@"; do ck_known_kernel "$k" || die "unknown kernel $k (known: $CK_KERNELS_KNOWN)"; done
	read -ra tags <<<"$(tags_for "$what" "$@")"
	mapfile -t miss < <(missing "${tags[@]}")
	if [ ${#miss[@]} -eq 0 ]; then
		note "everything is installed"
	else
		apt_install "${miss[@]}"
	fi
	;;
preflight)
	what=${1:-}
	case $what in demo | check | timeline | bench) ;; *) die "usage: $PROG preflight demo|check|timeline|bench KEY..." ;; esac
	shift
	read -ra tags <<<"$(tags_for "$what" "$@")"
	mapfile -t miss < <(missing "${tags[@]}")
	[ ${#miss[@]} -gt 0 ] || exit 0
	if [ "$(id -u)" = 0 ]; then
		command -v apt-get >/dev/null ||
			die "missing: ${miss[*]}, and no apt-get to install them with"
		apt_install "${miss[@]}"
		exit 0
	fi
	# As a user: an optional package the archive lacks only means skips.
	mapfile -t need < <(wanted "${miss[@]}")
	[ ${#need[@]} -gt 0 ] || exit 0
	echo "$PROG: make $what needs packages that are not installed: ${need[*]}" >&2
	echo "$PROG: install them once with:  sudo scripts/install-deps.sh $what $*" >&2
	exit 1
	;;
doctor)
	doctor
	;;
*)
	sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
	;;
esac
