#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fetch-unstable.sh - Debian unstable's current kernel, ready to build our
# external modules against and to boot in QEMU.
#
# Usage: scripts/kernels/fetch-unstable.sh          (as root)
#
# sid's headers need a newer gcc than the host has, so the modules are built in
# a Debian sid chroot (debootstrap --variant=minbase) holding linux-headers-amd64
# and the gcc it depends on.  The kernel image (the versioned package behind
# sid's linux-image-amd64, or the linux-binary-* package holding the bzImage
# when that is only a wrapper) is downloaded with apt inside the chroot and only
# its vmlinuz and config are unpacked; it is not installed.
#
# Cache layout ($CK_CACHE defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/completion-kthreads):
#   $CK_CACHE/kernels/unstable/
#     vmlinuz      bzImage of sid's linux-image-<release> (or of the
#                  linux-binary-<release> package it depends on, when the
#                  image package is only a wrapper)
#     config       that kernel's configuration (/boot/config-<release>)
#     release      uname -r of that kernel
#     kmake        wrapper: "kmake M=/abs/dir [make args...]" runs, as root,
#                  make -C /usr/src/linux-headers-<release> <args> inside the
#                  chroot, with the M= folder bind-mounted at the same path
#     packages     the headers/image/gcc package=version list
#     chroot/      the sid chroot
#     .stamp       written last; its presence makes later calls offline no-ops
#
# The Debian archive is the one the host's apt sources name (ck_debian_uris in
# scripts/lib/config.sh); override: CK_DEBIAN_MIRROR.
# Needs root and debootstrap (apt-get install debootstrap).
#
# stdout: exactly one line, the absolute path of $CK_CACHE/kernels/unstable.
# Everything else goes to stderr.  CK_REFRESH=1 updates the chroot (apt-get
# update + upgrade) and fetches sid's kernel again.
set -euo pipefail

PROG=${0##*/}
STAMP_FORMAT=1
SUITE=sid
HEADERS_META=linux-headers-amd64
IMAGE_META=linux-image-amd64
# make for Kbuild, sparse for "make C=2" (lint.sh); the headers pull gcc-N.
CHROOT_PKGS="$HEADERS_META make sparse"

# shellcheck source=scripts/kernels/kcache-lib.sh
. "$(dirname "$0")/kcache-lib.sh"

no_args_or_help "$@"

[[ $(id -u) -eq 0 ]] ||
	die "must run as root (debootstrap, chroot and mount need it): sudo $0"

# ---------------------------------------------------------------- paths, lock
kcache_lock "unstable"
CHROOT=$KDIR/chroot

# ---------------------------------------------------------------- fast path
kcache_cached "Debian $SUITE kernel" vmlinuz kmake "$CHROOT/usr/src/linux-headers-RELEASE/Makefile" -- "chroot=$CHROOT"

# ---------------------------------------------------------------- tools
command -v debootstrap >/dev/null ||
	die "debootstrap not found: apt-get install debootstrap"
for tool in apt-get chroot mount umount mountpoint findmnt dpkg-deb tar awk sed; do
	command -v "$tool" >/dev/null || die "'$tool' not found"
done
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -r $keyring ]] ||
	die "$keyring not found (apt-get install debian-archive-keyring): cannot verify $SUITE"

# ---------------------------------------------------------------- mirror
# The Debian archive the host's apt sources name (ck_debian_uris).
mirror=$(ck_debian_uris | awk '$1 == "main" { print $2; exit }')
[[ -n $mirror ]] ||
	die "no Debian archive in the host's apt sources; set CK_DEBIAN_MIRROR (a Debian archive URI)"
mirror=${mirror%/}
log "Debian mirror: $mirror"

# ---------------------------------------------------------------- mounts
# Mount points under $CHROOT set up by this run, unmounted in reverse order on
# exit.  (kmake holds the lock shared, so none of its mounts exists meanwhile.)
MOUNTS=()
cleanup() {
	local i
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null ||
			log "warning: could not unmount ${MOUNTS[i]}"
	done
	MOUNTS=()
	# Whatever else is left below the chroot (an interrupted debootstrap's
	# /proc, say): nothing else uses it while we hold the lock.
	local m
	while IFS= read -r m; do
		[[ -n $m ]] || continue
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "warning: could not unmount $m"
	done < <(mounts_below 2>/dev/null)
	[[ -n ${tmpdir:-} ]] && rm -rf "$tmpdir"
	return 0
}
tmpdir=
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Every mount point at or below $CHROOT (deepest first).
mounts_below() {
	findmnt -rn -o TARGET | awk -v r="$CHROOT" 'index($0, r "/") == 1 || $0 == r' | sort -r
}

# Leftover mounts (a killed kmake or run) must go before the chroot is touched:
# rm -rf through a bind mount would delete host files.
unmount_leftovers() {
	local m
	while IFS= read -r m; do
		[[ -n $m ]] || continue
		log "unmounting leftover $m"
		umount "$m" 2>/dev/null || umount -l "$m" || true
	done < <(mounts_below)
	[[ -z $(mounts_below) ]] || die "mounts remain below $CHROOT: $(mounts_below | tr '\n' ' ')"
}

in_chroot() {
	chroot "$CHROOT" /usr/bin/env -i \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
		${http_proxy:+http_proxy="$http_proxy"} ${https_proxy:+https_proxy="$https_proxy"} \
		"$@"
}
capt() { in_chroot apt-get -q -o Acquire::Languages=none -o Dpkg::Use-Pty=0 "$@"; }

# ---------------------------------------------------------------- debootstrap
rm -f "$KDIR/.stamp"
unmount_leftovers
if [[ ! -f $CHROOT/.ck-bootstrapped ]]; then
	if [[ -e $CHROOT ]]; then
		log "removing incomplete chroot $CHROOT"
		rm -rf --one-file-system "$CHROOT"
	fi
	log "debootstrap --variant=minbase $SUITE $CHROOT $mirror (a few minutes) ..."
	debootstrap --variant=minbase --arch=amd64 --keyring="$keyring" \
		"$SUITE" "$CHROOT" "$mirror" >&2 ||
		die "debootstrap of $SUITE failed (log: $CHROOT/debootstrap/debootstrap.log)"
	: >"$CHROOT/.ck-bootstrapped"
fi

# No daemons started by package scripts; the host's name resolution for apt.
printf '#!/bin/sh\nexit 101\n' >"$CHROOT/usr/sbin/policy-rc.d"
chmod 755 "$CHROOT/usr/sbin/policy-rc.d"
rm -f "$CHROOT/etc/resolv.conf"
cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || : >"$CHROOT/etc/resolv.conf"
# The chroot keeps no docs, man pages or translations: smaller, faster apt.
cat >"$CHROOT/etc/dpkg/dpkg.cfg.d/ck-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
printf 'deb %s %s main\n' "$mirror" "$SUITE" >"$CHROOT/etc/apt/sources.list"
# The host's apt network settings (proxies, and Check-Valid-Until/Check-Date
# when the host's mirror is a frozen snapshot whose Release files have expired)
# apply in the chroot as well.
ck_apt_network_conf >"$CHROOT/etc/apt/apt.conf.d/00ck-host-network"

mountpoint -q "$CHROOT/proc" || {
	mount -t proc proc "$CHROOT/proc"
	MOUNTS+=("$CHROOT/proc")
}

# ---------------------------------------------------------------- headers + gcc
log "apt-get update in the chroot ..."
capt update >&2 || die "apt-get update failed in the $SUITE chroot"
if [[ ${CK_REFRESH:-0} == 1 ]]; then
	log "apt-get upgrade in the chroot ..."
	capt -y upgrade >&2 || die "apt-get upgrade failed in the $SUITE chroot"
fi
# A run killed during an install leaves dpkg half done: finish it first.
in_chroot dpkg --configure -a >&2 || die "dpkg --configure -a failed in the $SUITE chroot"
# shellcheck disable=SC2086 # word splitting of the package list is intended
capt install -y --no-install-recommends $CHROOT_PKGS >&2 ||
	die "apt-get install $CHROOT_PKGS failed in the $SUITE chroot"
# Headers of an older release (after CK_REFRESH) were auto-installed: drop them.
capt autoremove -y --purge >&2 || log "warning: apt-get autoremove failed"

# The versioned headers package behind the metapackage, e.g. linux-headers-6.16.9+deb14-amd64.
# shellcheck disable=SC2016 # dpkg-query/apt format fields, not shell
headers_pkg=$(in_chroot dpkg-query -W -f '${Depends}' "$HEADERS_META" | sed 's/[,|]/\n/g' |
	awk '{ sub(/^[ \t]+/, "") } $1 ~ /^linux-headers-[0-9]/ { print $1; exit }')
[[ -n $headers_pkg ]] || die "cannot find the versioned package in $HEADERS_META's Depends"
release=${headers_pkg#linux-headers-}
# shellcheck disable=SC2016
headers_ver=$(in_chroot dpkg-query -W -f '${Version}' "$headers_pkg")
hdr=/usr/src/linux-headers-$release
[[ -f $CHROOT$hdr/Makefile ]] || die "$headers_pkg is installed but $hdr/Makefile is missing"
mapfile -t hdr_dirs < <(cd "$CHROOT/usr/src" && ls -d linux-headers-*-amd64 2>/dev/null)
[[ " ${hdr_dirs[*]} " == *" linux-headers-$release "* ]] ||
	die "no /usr/src/linux-headers-$release in the chroot (found: ${hdr_dirs[*]:-none})"
uts=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$CHROOT$hdr/include/generated/utsrelease.h" 2>/dev/null || true)
[[ -z $uts || $uts == "$release" ]] || die "$hdr: UTS_RELEASE '$uts' is not '$release'"

# Debian's linux-kbuild-<version> may lack scripts/checker-valid.sh, which the
# kernel's Makefile runs to validate sparse before C=1/C=2 ("C=2 specified, but
# sparse is not available or not up to date", and no file gets checked): put
# the upstream check in its place.
kscripts=$(readlink -f "$CHROOT$hdr/scripts")
common_mk=$(awk '$1 == "include" && $2 ~ /^\// { print $2; exit }' "$CHROOT$hdr/Makefile")
if [[ $kscripts == "$CHROOT"/* && -d $kscripts && ! -e $kscripts/checker-valid.sh ]] &&
	grep -qs 'scripts/checker-valid.sh' "$CHROOT$hdr/Makefile" "$CHROOT${common_mk:-/nonexistent}"; then
	log "adding the missing ${kscripts#"$CHROOT"}/checker-valid.sh (for make C=1/C=2)"
	cat >"$kscripts/checker-valid.sh" <<'SHIM'
#!/bin/sh -eu
# SPDX-License-Identifier: GPL-2.0
# Added by completion-kthreads' scripts/kernels/fetch-unstable.sh: Debian's linux-kbuild
# package lacks the kernel's scripts/checker-valid.sh.  Prints 1 if the checker
# ($1, sparse) exists and understands __typeof_unqual__, 0 otherwise.
[ ! -x "$(command -v "$1")" ] && exit 1
tmp_file=$(mktemp)
trap 'rm -f "$tmp_file"' EXIT
cat <<EOF >"$tmp_file"
static inline int u(const int *q)
{
	__typeof_unqual__(*q) v = *q;
	return v;
}
EOF
"$@" "$tmp_file" 2>&1 | awk -v c=1 '/error/{c=0}END{print c}'
SHIM
	chmod 755 "$kscripts/checker-valid.sh"
fi

# The compiler the headers were configured with (CONFIG_CC_VERSION_TEXT, e.g.
# "x86_64-linux-gnu-gcc-16 (Debian 16.2.0-4) 16.2.0") must be in the chroot.
cc_text=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$CHROOT$hdr/.config" 2>/dev/null || true)
cc_bin=${cc_text%% *}
[[ $cc_bin == *gcc* ]] || cc_bin=gcc
cc_have=$(in_chroot "$cc_bin" --version 2>/dev/null | head -n1 || true)
[[ -n $cc_have ]] || die "the headers' compiler '$cc_bin' is not in the chroot"
log "headers: $headers_pkg $headers_ver, compiler: $cc_have"
[[ -z $cc_text || $cc_text == "$cc_have" ]] ||
	log "note: kernel was built with '$cc_text', the chroot has '$cc_have'"

# ---------------------------------------------------------------- image
image_pkg=$(in_chroot apt-cache show --no-all-versions "$IMAGE_META" |
	sed -n 's/^Depends: *//p' | head -n1 | sed 's/[,|]/\n/g' |
	awk '{ sub(/^[ \t]+/, "") } $1 ~ /^linux-image-[0-9]/ { print $1; exit }')
[[ -n $image_pkg ]] || die "cannot find the versioned package in $IMAGE_META's Depends"
image_rel=${image_pkg#linux-image-}
image_rel=${image_rel%-unsigned}
[[ $image_rel == "$release" ]] ||
	die "$SUITE is mid-transition: $IMAGE_META depends on $image_pkg but $HEADERS_META on $headers_pkg (release $release); try again later (the signed image usually follows the headers within a day or two)"

dl=/var/cache/ck-image
rm -rf "$CHROOT$dl"
mkdir -p "$CHROOT$dl"
chmod 777 "$CHROOT$dl" # apt downloads as the _apt user
# Depends of PKG's candidate version, one package name a line.
deps_of() {
	in_chroot apt-cache show --no-all-versions "$1" 2>/dev/null |
		sed -n 's/^\(Pre-\)\{0,1\}Depends: *//p' | sed 's/[,|]/\n/g' |
		awk '{ sub(/^[ \t]+/, ""); print $1 }'
}

# Where the bzImage is: the versioned image package itself (classic layout),
# or, when that is only a wrapper, the linux-binary-<release> package it depends
# on (split layout); the unsigned twins as a fallback.
candidates=("$image_pkg")
while IFS= read -r dep; do
	case $dep in
		linux-binary-"$release" | linux-binary-unsigned-"$release" | \
			linux-image-"$release" | linux-image-"$release"-unsigned)
			candidates+=("$dep") ;;
	esac
done < <(deps_of "$image_pkg")
candidates+=("linux-binary-unsigned-$release" "linux-image-$release-unsigned")

tmpdir=$(mktemp -d "$KDIR/.unpack.XXXXXX")
image_deb=
tried=
vmlinuz=
for pkg in "${candidates[@]}"; do
	[[ " $tried " != *" $pkg "* ]] || continue
	tried+=" $pkg"
	in_chroot apt-cache show --no-all-versions "$pkg" >/dev/null 2>&1 || continue
	log "downloading $pkg in the chroot ..."
	# shellcheck disable=SC2016 # expanded by the inner sh
	in_chroot sh -c 'cd "$1" && apt-get -q download "$2"' sh "$dl" "$pkg" >&2 ||
		die "apt-get download $pkg failed in the chroot"
	image_deb=$(find "$CHROOT$dl" -maxdepth 1 -name "${pkg}_*.deb" | head -n1)
	[[ -n $image_deb ]] || die "apt-get download $pkg left no .deb in $CHROOT$dl"
	rm -rf "${tmpdir:?}"/*
	# Only the image and its config; a wrapper package has neither, so tar
	# fails on the missing members and the test below decides.
	dpkg-deb --fsys-tarfile "$image_deb" |
		tar -x -C "$tmpdir" --wildcards './boot/vmlinuz-*' './boot/config-*' \
			'./usr/lib/modules/*/vmlinuz' './usr/lib/modules/*/config' \
			'./lib/modules/*/vmlinuz' './lib/modules/*/config' 2>/dev/null || true
	vmlinuz=$(find "$tmpdir" -type f \( -path "$tmpdir/boot/vmlinuz-*" -o -path "$tmpdir/*/modules/*/vmlinuz" \) |
		head -n1)
	[[ -n $vmlinuz ]] && break
	log "$pkg has no kernel image (a wrapper package)"
	image_deb=
done
[[ -n $image_deb ]] ||
	die "none of$tried ships a kernel image (/boot/vmlinuz-* or /usr/lib/modules/*/vmlinuz)"
image_name=$(dpkg-deb -f "$image_deb" Package)
image_ver=$(dpkg-deb -f "$image_deb" Version)
[[ $image_ver == "$headers_ver" ]] ||
	log "note: image $image_name $image_ver, headers $headers_pkg $headers_ver (same release $release)"

# The image's own release: /boot/vmlinuz-<release> (classic layout) or
# /usr/lib/modules/<release>/vmlinuz (the split layout of linux-binary-*).
vm_dir=$(dirname "$vmlinuz")
if [[ $vm_dir == "$tmpdir/boot" ]]; then
	vm_rel=$(basename "$vmlinuz")
	vm_rel=${vm_rel#vmlinuz-}
	vm_config=$vm_dir/config-$vm_rel
else
	vm_rel=$(basename "$vm_dir")
	vm_config=$vm_dir/config
fi
log "kernel image: $image_name $image_ver: ${vmlinuz#"$tmpdir"}"
[[ $vm_rel == "$release" ]] ||
	die "$SUITE is mid-transition: the image $image_name is release '$vm_rel' but the headers $headers_pkg are '$release'; try again later"
install -m 644 "$vmlinuz" "$KDIR/vmlinuz"
if [[ -f $vm_config ]]; then
	install -m 644 "$vm_config" "$KDIR/config"
else # the same configuration, from the headers
	install -m 644 "$CHROOT$hdr/.config" "$KDIR/config"
fi
rm -rf "$CHROOT$dl"
capt clean >&2 || true

cleanup # unmount proc now; the chroot is ready
printf '%s\n' "$release" >"$KDIR/release"
# shellcheck disable=SC2016
{
	printf '%s=%s\n' "$image_name" "$image_ver" "$headers_pkg" "$headers_ver"
	in_chroot dpkg-query -W -f '${db:Status-Abbrev} ${Package}=${Version}\n' \
		"gcc-[0-9]*" "linux-kbuild-*" make sparse 2>/dev/null | awk '$1 == "ii" { print $2 }' || true
} >"$KDIR/packages"

# ---------------------------------------------------------------- kmake
cat >"$KDIR/kmake.new" <<'KMAKE'
#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kmake - make in this kernel's headers, inside the Debian sid chroot beside
# this script (written by scripts/kernels/fetch-unstable.sh).
#
# Usage (as root): kmake M=/path/to/module [make args...]
#   runs make -C /usr/src/linux-headers-<release> <args> in the chroot, the M=
#   folder bind-mounted at the same absolute path (and unmounted afterwards).
#   Build results belong to root.
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd -P)
chroot_dir=$here/chroot
release=$(<"$here/release")
hdr=/usr/src/linux-headers-$release
die() { printf 'kmake: error: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (chroot and mount)"
[[ -f $chroot_dir$hdr/Makefile ]] || die "no $hdr in $chroot_dir: run scripts/kernels/fetch-unstable.sh"

# Make the M= folder absolute (the build runs with -C elsewhere).
args=() ext=
for a in "$@"; do
	if [[ $a == M=* ]]; then
		ext=${a#M=}
		[[ -d $ext ]] || die "M=$ext: no such directory"
		ext=$(cd "$ext" && pwd -P)
		a=M=$ext
	fi
	args+=("$a")
done

# A private mount namespace if possible: the mounts vanish with the process
# even if it is killed.  The trap below unmounts them in any case.
if [[ -z ${CK_KMAKE_NS:-} ]] && command -v unshare >/dev/null &&
	unshare --mount --propagation private true 2>/dev/null; then
	CK_KMAKE_NS=1 exec unshare --mount --propagation private "$(readlink -f "$0")" "$@"
fi

# fetch-unstable.sh holds this lock exclusively while it changes the chroot.
exec 9<"$here/.lock"
flock -s 9 || die "cannot lock $here/.lock"

mounts=()
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	local i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" ||
			printf 'kmake: warning: could not unmount %s\n' "${mounts[i]}" >&2
	done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

mount -t proc proc "$chroot_dir/proc"
mounts+=("$chroot_dir/proc")

if [[ -n $ext ]]; then
	[[ $ext != / ]] || die "M=/ cannot be bind-mounted"
	target=$chroot_dir$ext
	# Create the missing components one by one (left in place: removing them
	# could pull the rug from under a concurrent kmake) and refuse a path that
	# could leave the chroot through a symlink inside it.
	p=$chroot_dir
	IFS=/ read -r -a parts <<<"${ext#/}"
	for c in "${parts[@]}"; do
		p+=/$c
		[[ ! -L $p ]] || die "$p is a symlink: M= must not go through one inside the chroot"
		[[ -e $p ]] || mkdir "$p"
	done
	[[ $(readlink -f "$target") == "$target" && -d $target ]] ||
		die "$target is not a plain directory inside the chroot (symlink?)"
	mount --bind "$ext" "$target"
	mounts+=("$target")
fi

# The caller's environment (KCFLAGS, MAKEFLAGS, ...) except PATH, the locale
# and TMPDIR: the chroot has no locales but C.UTF-8 (perl would warn about
# any other), and not the caller's temporary folder.
rc=0
chroot "$chroot_dir" /usr/bin/env -u LANGUAGE -u TMPDIR PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root LC_ALL=C.UTF-8 make -C "$hdr" "${args[@]}" || rc=$?
exit "$rc"
KMAKE
chmod 755 "$KDIR/kmake.new"
mv -f "$KDIR/kmake.new" "$KDIR/kmake"

# ---------------------------------------------------------------- publish
[[ -z $(mounts_below) ]] || die "mounts remain below $CHROOT: $(mounts_below | tr '\n' ' ')"
{
	printf 'format=%s\n' "$STAMP_FORMAT"
	printf 'chroot=%s\n' "$CHROOT"
	printf 'release=%s\n' "$release"
	printf 'mirror=%s\n' "$mirror"
	printf 'date=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$KDIR/.stamp.new"
mv -f "$KDIR/.stamp.new" "$KDIR/.stamp"
log "Debian $SUITE kernel $release ready ($(du -sh --one-file-system "$CHROOT" | cut -f1) chroot)"
printf '%s\n' "$KDIR"
