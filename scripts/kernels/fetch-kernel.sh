#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fetch-kernel.sh - fetch a kernel image + headers into a private cache.
#
# Usage: scripts/kernels/fetch-kernel.sh KERNEL   (KERNEL: 5.10 | 6.1 | 6.1-rt | 6.12 | distro)
#
#   5.10    Debian 11's linux-image-amd64 / linux-headers-amd64 (bullseye,
#           bullseye-updates, bullseye-security)
#   6.1     Debian 12's linux-image-amd64 / linux-headers-amd64 (bookworm,
#           bookworm-updates, bookworm-security)
#   6.1-rt  linux-image-rt-amd64 / linux-headers-rt-amd64 (PREEMPT_RT), same suites
#   6.12    linux-image-amd64 / linux-headers-amd64 from bookworm-backports
#   distro  the host distribution's own kernel (Ubuntu: linux-image-generic,
#           Debian: linux-image-amd64), through the host's own apt configuration
#
# A Debian key is the same kernel on any host: its suites are fixed
# (scripts/lib/config.sh), only the archive's URI comes from the host's apt
# sources (ck_debian_uris in scripts/lib/config.sh; CK_DEBIAN_MIRROR overrides
# it). Nothing under /etc/apt is modified: a Debian key gets a private apt
# configuration (own sources.list, state and cache dirs) in the cache. Nothing
# is installed system-wide: the .debs are unpacked with dpkg-deb, the image's
# /boot only (the VM loads no in-tree module).
#
# Cache layout ($CK_CACHE defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/completion-kthreads):
#   $CK_CACHE/kernels/<KERNEL>/
#     vmlinuz     -> root/boot/vmlinuz-<release>
#     build       -> root/usr/src/linux-headers-<release>   (use as KDIR)
#     config      -> root/boot/config-<release>
#     release        uname -r of that kernel
#     packages       the exact package=version list that was unpacked
#     .stamp         written last; its presence makes later calls offline no-ops
#     root/ apt/     unpacked packages / private apt configuration
#
# stdout: exactly one line, the absolute path of $CK_CACHE/kernels/<KERNEL>.
# Everything else goes to stderr. Set CK_REFRESH=1 to force a re-fetch and
# CK_KEEP_DEBS=1 to keep the downloaded .deb files.
set -euo pipefail

PROG=${0##*/}
STAMP_FORMAT=2

# shellcheck source=scripts/kernels/kcache-lib.sh
. "$(dirname "$0")/kcache-lib.sh"

usage() {
	sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

[[ $# -eq 1 ]] || usage
KERNEL=$1
[[ $KERNEL != -h && $KERNEL != --help ]] || usage
# Every key of config.sh but those with fetchers of their own.
if ! ck_known_kernel "$KERNEL" || [[ $KERNEL == debug || $KERNEL == unstable ]]; then
	log "unknown KERNEL '$KERNEL'"
	usage
fi

# ---------------------------------------------------------------- paths, lock
kcache_lock "$KERNEL"
ROOT=$KDIR/root
APTDIR=$KDIR/apt
DEBDIR=$KDIR/debs

# ---------------------------------------------------------------- fast path
kcache_cached "kernel $KERNEL" vmlinuz build/Makefile -- "root=$ROOT"

# ---------------------------------------------------------------- tools
for tool in apt-get apt-cache dpkg-deb sed find realpath grep awk tar; do
	command -v "$tool" >/dev/null ||
		die "'$tool' not found: this script needs Debian's apt and dpkg tools"
done

if [[ $KERNEL == distro ]]; then
	# ------------------------------------------------------------ host apt
	# The host's own packages: Ubuntu's flavour is "generic", Debian's "amd64".
	distro=$(sed -n 's/^ID=//p' /etc/os-release 2>/dev/null | tr -d '"')
	case $distro in
		ubuntu) flavour=generic ;;
		*) flavour=amd64 ;;
	esac
	version=
	suites="the host's apt sources (${distro:-unknown distribution})"
	papt() { apt-get -q "$@"; }
	apt-cache policy "linux-image-$flavour" 2>/dev/null | grep 'Candidate: [^(]' >/dev/null ||
		die "the host's apt lists know no linux-image-$flavour: run 'sudo apt-get update'"
	log "kernel distro: linux-image-$flavour from $suites"
else
	# ------------------------------------------------------------ suites
	uris=$(ck_debian_uris)
	main_uri=$(awk '$1 == "main" { print $2 }' <<<"$uris")
	security_uri=$(awk '$1 == "security" { print $2 }' <<<"$uris")
	[[ -n $main_uri ]] ||
		die "no Debian archive in the host's apt sources: set CK_DEBIAN_MIRROR=<a Debian archive URI>, or use KERNELS=distro (the host's own kernel)"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	opts="arch=amd64 target=Packages"
	[[ -r $keyring ]] && opts+=" signed-by=$keyring"

	# The metapackages' flavour and the upstream version the release must have.
	flavour=amd64
	version=$KERNEL
	if [[ $KERNEL == *-rt ]]; then
		flavour=rt-amd64
		version=${KERNEL%-rt}
	fi
	suites=$(ck_suites "$KERNEL")
	src_lines=
	for suite in $suites; do
		uri=$main_uri
		if [[ $suite == *-security ]]; then
			[[ -n $security_uri ]] || continue
			uri=$security_uri
		fi
		src_lines+="deb [$opts] $uri $suite main"$'\n'
	done
	log "kernel $KERNEL: fetching from $main_uri${security_uri:+ and $security_uri}, suite(s) $suites"

	# ------------------------------------------------------------ private apt
	rm -rf "$APTDIR/sources.list.d" "$APTDIR/preferences.d"
	mkdir -p "$APTDIR/sources.list.d" "$APTDIR/preferences.d" \
		"$APTDIR/state/lists/partial" "$APTDIR/cache/archives/partial"
	: >"$APTDIR/state/status"
	printf '%s' "$src_lines" >"$APTDIR/sources.list"
	sandbox_user=
	[[ $(id -u) -eq 0 ]] && sandbox_user='APT::Sandbox::User "root";'
	# Read after the host's apt.conf(.d), so network settings (proxies) there
	# still apply, but sources, pinning, state, cache and hooks are private.
	cat >"$APTDIR/apt.conf" <<EOF
Dir::Etc::SourceList "$APTDIR/sources.list";
Dir::Etc::SourceParts "$APTDIR/sources.list.d";
Dir::Etc::Preferences "$APTDIR/preferences";
Dir::Etc::PreferencesParts "$APTDIR/preferences.d";
Dir::State "$APTDIR/state";
Dir::State::Lists "$APTDIR/state/lists";
Dir::State::Status "$APTDIR/state/status";
Dir::State::extended_states "$APTDIR/state/extended_states";
Dir::Cache "$APTDIR/cache";
Dir::Cache::Archives "$APTDIR/cache/archives";
Dir::Log "$APTDIR/log";
APT::Architecture "amd64";
#clear APT::Architectures;
APT::Architectures { "amd64"; };
APT::Default-Release "";
Acquire::Languages "none";
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Pre-Invoke;
#clear DPkg::Post-Invoke;
$sandbox_user
EOF

	papt() { apt-get -q -c "$APTDIR/apt.conf" "$@"; }

	log "updating private apt lists ($APTDIR) ..."
	papt --error-on=any update >&2 ||
		die "apt-get update failed for $suites (sources: $APTDIR/sources.list)"
fi

rm -rf "$DEBDIR"
mkdir -p "$DEBDIR"

# download PKG[=VERSION]; prints the path of the downloaded .deb
download() {
	local spec=$1 name=${1%%=*} deb
	log "downloading $spec"
	(cd "$DEBDIR" && papt download "$spec" >&2) || return 1
	deb=$(find "$DEBDIR" -maxdepth 1 -name "${name}_*.deb" | head -n1)
	[[ -n $deb ]] || return 1
	printf '%s\n' "$deb"
}

# Print "name=version" (or just "name" if the relation is not '=') for the first
# dependency of DEB matching the extended regex PATTERN.
dep_spec() {
	local deb=$1 pattern=$2
	dpkg-deb -f "$deb" Depends | tr ',' '\n' | tr '|' '\n' |
		sed -E 's/^[[:space:]]+//; s/[[:space:]]+$//' |
		awk -v pat="$pattern" '
			{ name = $1; sub(/:.*/, "", name) }
			name ~ pat {
				if ($0 ~ /\(= /) { v = $0; sub(/.*\(= */, "", v); sub(/ *\).*/, "", v); print name "=" v }
				else print name
				exit
			}'
}

need_dep() {
	local spec
	spec=$(dep_spec "$1" "$2")
	[[ -n $spec ]] || die "$(basename "$1"): no dependency matching /$2/ in: $(dpkg-deb -f "$1" Depends)"
	printf '%s\n' "$spec"
}

meta_image=$(download "linux-image-$flavour") || die "cannot download linux-image-$flavour from $suites"
meta_headers=$(download "linux-headers-$flavour") || die "cannot download linux-headers-$flavour from $suites"

image_spec=$(need_dep "$meta_image" '^linux-image-[0-9]')
headers_spec=$(need_dep "$meta_headers" '^linux-headers-[0-9]')

# Check the release before downloading ~100 MB.
release=${headers_spec%%=*}
release=${release#linux-headers-}
image_name=${image_spec%%=*}
[[ ${image_name%-unsigned} == "linux-image-$release" ]] ||
	die "linux-image-$flavour ($image_spec) and linux-headers-$flavour ($headers_spec) disagree on the release"
case $release in
	"${version:+$version.}"*-"$flavour") ;;
	*) die "suite(s) '$suites' provide kernel $release, not a $KERNEL kernel" ;;
esac

if ! image_deb=$(download "$image_spec"); then
	# Fall back to the unsigned flavour of the same image.
	alt=${image_spec%%=*}
	alt=${alt%-unsigned}-unsigned
	[[ $image_spec == *=* ]] && alt+="=${image_spec#*=}"
	log "$image_spec not downloadable, trying $alt"
	image_deb=$(download "$alt") || die "cannot download $image_spec nor $alt"
fi
headers_deb=$(download "$headers_spec") || die "cannot download $headers_spec"
# What the headers need to build a module: Debian's common headers and
# linux-kbuild-*, Ubuntu's linux-headers-<version> without the flavour.
header_debs=("$headers_deb")
while read -r spec; do
	[[ -n $spec ]] || continue
	deb=$(download "$spec") || die "cannot download $spec"
	header_debs+=("$deb")
done < <(dpkg-deb -f "$headers_deb" Depends | sed 's/[,|]/\n/g' |
	sed -E 's/^[[:space:]]+//; s/[[:space:]]+$//' |
	awk '{ name = $1; sub(/:.*/, "", name) }
		name ~ /^linux-(headers|kbuild)-/ {
			if ($0 ~ /\(= /) { v = $0; sub(/.*\(= */, "", v); sub(/ *\).*/, "", v); print name "=" v }
			else print name
		}')

image_pkg=$(dpkg-deb -f "$image_deb" Package)
headers_pkg=$(dpkg-deb -f "$headers_deb" Package)
[[ $headers_pkg == "linux-headers-$release" && ${image_pkg%-unsigned} == "linux-image-$release" ]] ||
	die "packages $image_pkg / $headers_pkg do not match release $release"

# ---------------------------------------------------------------- unpack
rm -f "$KDIR/.stamp"
rm -rf "$ROOT"
mkdir -p "$ROOT"
pkg_list=
# The image: /boot only (its in-tree modules, some 490 MB unpacked for 6.1,
# are never loaded by the VM).
log "unpacking /boot of $(basename "$image_deb")"
dpkg-deb --fsys-tarfile "$image_deb" | tar -x -C "$ROOT" ./boot ||
	die "cannot unpack /boot of $image_deb"
for deb in "$image_deb" "${header_debs[@]}"; do
	if [[ $deb != "$image_deb" ]]; then
		log "unpacking $(basename "$deb")"
		dpkg-deb -x "$deb" "$ROOT" || die "dpkg-deb -x $deb failed"
	fi
	pkg_list+="$(dpkg-deb -f "$deb" Package)=$(dpkg-deb -f "$deb" Version)"$'\n'
done

vmlinuz=$ROOT/boot/vmlinuz-$release
hdr=$ROOT/usr/src/linux-headers-$release
[[ -f $vmlinuz ]] || die "$image_pkg does not contain /boot/vmlinuz-$release"
[[ -f $hdr/Makefile ]] || die "$headers_pkg does not contain /usr/src/linux-headers-$release/Makefile"
uts=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$hdr/include/generated/utsrelease.h" 2>/dev/null || true)
[[ -z $uts || $uts == "$release" ]] ||
	die "headers UTS_RELEASE '$uts' differs from package release '$release'"

# Absolute symlinks (e.g. lib/modules/<rel>/build -> /usr/src/...) would point
# at the host: make them relative links inside $ROOT.
while IFS= read -r -d '' link; do
	target=$(readlink "$link")
	rel=$(realpath -s -m --relative-to="$(dirname "$link")" "$ROOT$target")
	ln -sfn "$rel" "$link"
done < <(find "$ROOT" -type l -lname '/*' -print0)

# The headers' Makefile includes /usr/src/linux-headers-<x>-common/Makefile
# (and may reference the kbuild dir): point those at the unpacked tree.
while IFS= read -r -d '' mk; do
	sed -i -E "s#(^|[[:space:]=])/usr/(src/linux-headers-|lib/linux-kbuild-)#\1$ROOT/usr/\2#g" "$mk"
done < <(find "$hdr" -maxdepth 1 \( -name 'Makefile*' -o -name '.kernelvariables' \) -type f -print0)
if grep -nE '(^|[[:space:]=])/usr/(src/linux-headers-|lib/linux-kbuild-)' "$hdr"/Makefile* >&2; then
	die "unrewritten absolute paths left in $hdr/Makefile"
fi

# Every symlink of the headers/kbuild trees must resolve inside $ROOT.
bad=0
while IFS= read -r -d '' link; do
	if ! dest=$(realpath -e "$link" 2>/dev/null) || [[ $dest != "$ROOT"/* ]]; then
		log "symlink $link -> $(readlink "$link") does not resolve inside $ROOT"
		bad=1
	fi
done < <(find "$ROOT/usr/src" "$ROOT"/usr/lib/linux-kbuild-* "$ROOT/lib/modules/$release" \
	-maxdepth 2 -type l -print0 2>/dev/null)
((bad == 0)) || die "broken symlinks in the unpacked headers"
[[ -e $hdr/scripts/Makefile.build || -e $hdr/scripts/Kbuild.include ]] ||
	die "$hdr/scripts does not lead to the kbuild scripts"

# ---------------------------------------------------------------- publish
ln -sfn "root/boot/vmlinuz-$release" "$KDIR/vmlinuz"
ln -sfn "root/usr/src/linux-headers-$release" "$KDIR/build"
rm -f "$KDIR/modules" "$KDIR/System.map"
[[ -e $ROOT/boot/config-$release ]] && ln -sfn "root/boot/config-$release" "$KDIR/config"
printf '%s\n' "$release" >"$KDIR/release"
printf '%s' "$pkg_list" >"$KDIR/packages"
# Headers whose compiler the host lacks (5.10's gcc-10 on Debian 12) are
# used through a kmake wrapper that names the key's compiler instead
# (ck_cc in scripts/lib/config.sh).
rm -f "$KDIR/kmake"
cc=$(ck_cc "$KERNEL")
if [[ -n $cc ]]; then
	cat >"$KDIR/kmake" <<EOF
#!/bin/sh
# make in this kernel's headers with $cc (written by fetch-kernel.sh)
exec make -C "\$(dirname "\$0")/build" CC=$cc "\$@"
EOF
	chmod 755 "$KDIR/kmake"
fi
[[ ${CK_KEEP_DEBS:-0} == 1 ]] || rm -rf "$DEBDIR"

{
	printf 'format=%s\n' "$STAMP_FORMAT"
	printf 'kernel=%s\n' "$KERNEL"
	printf 'suites=%s\n' "$suites"
	printf 'root=%s\n' "$ROOT"
	printf 'release=%s\n' "$release"
	printf '%s' "$pkg_list"
} >"$KDIR/.stamp.tmp"
mv -f "$KDIR/.stamp.tmp" "$KDIR/.stamp"

log "kernel $KERNEL ready: release $release"
log "  vmlinuz: $KDIR/vmlinuz   KDIR: $KDIR/build"
printf '%s\n' "$KDIR"
