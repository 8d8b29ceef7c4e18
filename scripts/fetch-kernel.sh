#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fetch-kernel.sh - fetch a Debian kernel image + headers into a private cache.
#
# Usage: scripts/fetch-kernel.sh KERNEL        (KERNEL: 6.1 | 6.1-rt | 6.12)
#
#   6.1     linux-image-amd64 / linux-headers-amd64 from <codename> (plus the
#           -updates / -security suites if the host's apt sources use them)
#   6.1-rt  linux-image-rt-amd64 / linux-headers-rt-amd64 (PREEMPT_RT), same suites
#   6.12    linux-image-amd64 / linux-headers-amd64 from <codename>-backports
#
# <codename> is VERSION_CODENAME from /etc/os-release (override:
# CK_DEBIAN_CODENAME).  The Debian mirror URI is taken from the host's own apt
# configuration (override: CK_DEBIAN_MIRROR, for a host that names none)
# configuration (deb822 *.sources and one-line *.list are both understood);
# nothing under /etc/apt is modified: a private apt configuration (own
# sources.list, state and cache dirs) lives in the cache.  Nothing is installed
# system-wide; the .debs are unpacked with dpkg-deb -x.
#
# Cache layout ($CK_CACHE defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/completion-kthreads):
#   $CK_CACHE/kernels/<KERNEL>/
#     vmlinuz     -> root/boot/vmlinuz-<release>
#     build       -> root/usr/src/linux-headers-<release>   (use as KDIR)
#     modules     -> root/lib/modules/<release>             (in-tree modules)
#     config      -> root/boot/config-<release>
#     System.map  -> root/boot/System.map-<release>
#     release        uname -r of that kernel
#     packages       the exact package=version list that was unpacked
#     .stamp         written last; its presence makes later calls offline no-ops
#     root/ apt/     unpacked packages / private apt configuration
#
# stdout: exactly one line, the absolute path of $CK_CACHE/kernels/<KERNEL>.
# Everything else goes to stderr.  Set CK_REFRESH=1 to force a re-fetch and
# CK_KEEP_DEBS=1 to keep the downloaded .deb files.
set -euo pipefail

PROG=${0##*/}
STAMP_FORMAT=1

# shellcheck source=scripts/kcache-lib.sh
. "$(dirname "$0")/kcache-lib.sh"

usage() {
	cat >&2 <<EOF
usage: $PROG KERNEL

Fetch a Debian kernel image and headers into the completion-kthreads cache
and print the per-kernel cache directory.

KERNEL:
  6.1     linux-image-amd64 / linux-headers-amd64 from Debian <codename>
  6.1-rt  linux-image-rt-amd64 / linux-headers-rt-amd64 (PREEMPT_RT) from <codename>
  6.12    linux-image-amd64 / linux-headers-amd64 from <codename>-backports

Environment: CK_CACHE, CK_DEBIAN_CODENAME, CK_REFRESH=1, CK_KEEP_DEBS=1
EOF
	exit 2
}

[[ $# -eq 1 ]] || usage
KERNEL=$1
case $KERNEL in
	6.1 | 6.1-rt | 6.12) ;;
	-h | --help) usage ;;
	*) log "unknown KERNEL '$KERNEL'"; usage ;;
esac

# ---------------------------------------------------------------- paths, lock
kcache_lock "$KERNEL"
ROOT=$KDIR/root
APTDIR=$KDIR/apt
DEBDIR=$KDIR/debs

# ---------------------------------------------------------------- fast path
stamp_ok() {
	[[ -f $KDIR/.stamp && -s $KDIR/release && -e $KDIR/vmlinuz &&
		-f $KDIR/build/Makefile ]] || return 1
	grep -qxF "format=$STAMP_FORMAT" "$KDIR/.stamp" &&
		grep -qxF "root=$ROOT" "$KDIR/.stamp" &&
		grep -qxF "release=$(<"$KDIR/release")" "$KDIR/.stamp"
}

if [[ ${CK_REFRESH:-0} != 1 ]] && stamp_ok; then
	log "kernel $KERNEL ($(<"$KDIR/release")) already in cache"
	printf '%s\n' "$KDIR"
	exit 0
fi

# ---------------------------------------------------------------- tools
for tool in apt-get dpkg-deb; do
	command -v "$tool" >/dev/null ||
		die "'$tool' not found: this script needs Debian's apt and dpkg tools"
done
for tool in sed find realpath grep awk; do
	command -v "$tool" >/dev/null || die "'$tool' not found"
done

# ---------------------------------------------------------------- suites
host_codename=
if [[ -r /etc/os-release ]]; then
	# shellcheck source=/dev/null
	host_codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
fi
target_codename=${CK_DEBIAN_CODENAME:-$host_codename}
[[ -n $target_codename ]] ||
	die "cannot determine the Debian codename (no VERSION_CODENAME in /etc/os-release); set CK_DEBIAN_CODENAME"
[[ -n $host_codename ]] || host_codename=$target_codename

# Mirror discovery.  Prints "<kind> <uri>" lines, kind in main|updates|security,
# for the host's own suites <host_codename>[-updates|-security] (component main).
# Primary source: apt's own parser (apt-get indextargets reads both the one-line
# and the deb822 format, without needing downloaded lists).
mirrors_from_apt() {
	# shellcheck disable=SC2016 # $(...) are apt format fields, not shell
	apt-get indextargets --no-release-info \
		--format '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT)' 2>/dev/null |
		awk -v c="$host_codename" '$1 == "deb" && $4 == "main" {
			if ($3 == c) print "main", $2
			else if ($3 == c "-updates") print "updates", $2
			else if ($3 == c "-security") print "security", $2
		}'
}

# Fallback: parse the source files directly (one-line *.list, deb822 *.sources).
mirrors_from_files() {
	local f files=()
	[[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
	for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] && files+=("$f")
	done
	((${#files[@]})) || return 0
	awk -v c="$host_codename" '
	function emit(types, uris, suites, comps, enabled,   t, u, s, n, i, j, k, T, U, S) {
		if (enabled ~ /^[Nn][Oo]$/ || types !~ /(^|[ \t])deb([ \t]|$)/) return
		if (comps !~ /(^|[ \t])main([ \t]|$)/) return
		n = split(uris, U, /[ \t]+/); k = split(suites, S, /[ \t]+/)
		for (i = 1; i <= n; i++) for (j = 1; j <= k; j++) {
			u = U[i]; s = S[j]; if (u == "") continue
			if (s == c) print "main", u
			else if (s == c "-updates") print "updates", u
			else if (s == c "-security") print "security", u
		}
	}
	function flush() { if (inpara) emit(ty, ur, su, co, en); inpara = 0; ty = ur = su = co = en = "" }
	FNR == 1 { flush(); deb822 = (FILENAME ~ /\.sources$/) }
	!deb822 {
		line = $0; sub(/#.*/, "", line)
		if (line !~ /^[ \t]*deb[ \t]/) next
		sub(/^[ \t]*deb[ \t]+/, "", line)
		if (line ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "", line)
		n = split(line, F, /[ \t]+/)
		comps = ""; for (i = 3; i <= n; i++) comps = comps " " F[i]
		emit("deb", F[1], F[2], comps, "")
		next
	}
	deb822 {
		if ($0 ~ /^[ \t]*$/) { flush(); next }
		if ($0 ~ /^#/) next
		if ($0 ~ /^[ \t]/) next               # continuation lines (e.g. Signed-By key blocks)
		key = tolower($0); sub(/:.*/, "", key)
		val = $0; sub(/^[^:]*:[ \t]*/, "", val)
		inpara = 1
		if (key == "types") ty = val; else if (key == "uris") ur = val
		else if (key == "suites") su = val; else if (key == "components") co = val
		else if (key == "enabled") en = val
	}
	END { flush() }' "${files[@]}"
}

# On a machine whose apt sources name no Debian mirror (an Ubuntu runner),
# CK_DEBIAN_MIRROR names one (with CK_DEBIAN_CODENAME, e.g. bookworm).
if [[ -n ${CK_DEBIAN_MIRROR:-} ]]; then
	mirror_lines="main $CK_DEBIAN_MIRROR"
	host_codename=$target_codename
else
	mirror_lines=$(mirrors_from_apt || true)
	[[ -n $mirror_lines ]] || mirror_lines=$(mirrors_from_files)
fi
mirror_of() { awk -v k="$1" '$1 == k { print $2; exit }' <<<"$mirror_lines"; }
main_uri=$(mirror_of main)
updates_uri=$(mirror_of updates)
security_uri=$(mirror_of security)
[[ -n $main_uri ]] ||
	die "no Debian mirror for suite '$host_codename' (component main) found in the host's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d/); on a non-Debian host set CK_DEBIAN_MIRROR and CK_DEBIAN_CODENAME"
[[ -n $updates_uri ]] || updates_uri=$main_uri

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

case $KERNEL in
	6.1 | 6.1-rt)
		suites="$target_codename"
		src_lines="deb [$opts] $main_uri $target_codename main"
		if grep -q '^updates ' <<<"$mirror_lines"; then
			suites+=" $target_codename-updates"
			src_lines+=$'\n'"deb [$opts] $updates_uri $target_codename-updates main"
		fi
		if [[ -n $security_uri ]]; then
			suites+=" $target_codename-security"
			src_lines+=$'\n'"deb [$opts] $security_uri $target_codename-security main"
		fi
		;;
	6.12)
		suites="$target_codename-backports"
		src_lines="deb [$opts] $main_uri $target_codename-backports main"
		;;
esac
log "kernel $KERNEL: fetching from suite(s) $suites"

# ---------------------------------------------------------------- private apt
rm -rf "$APTDIR/sources.list.d" "$APTDIR/preferences.d"
mkdir -p "$APTDIR/sources.list.d" "$APTDIR/preferences.d" \
	"$APTDIR/state/lists/partial" "$APTDIR/cache/archives/partial"
: >"$APTDIR/state/status"
printf '%s\n' "$src_lines" >"$APTDIR/sources.list"
sandbox_user=
[[ $(id -u) -eq 0 ]] && sandbox_user='APT::Sandbox::User "root";'
# Read after the host's apt.conf(.d), so network settings (proxies) there still
# apply, but sources, pinning, state, cache and hooks are all private.
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
	"$version".*-"$flavour") ;;
	*) die "suite(s) '$suites' provide kernel $release, not a $KERNEL kernel (set CK_DEBIAN_CODENAME?)" ;;
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
common_spec=$(need_dep "$headers_deb" '^linux-headers-.*-common(-rt)?$')
kbuild_spec=$(need_dep "$headers_deb" '^linux-kbuild-')
common_deb=$(download "$common_spec") || die "cannot download $common_spec"
kbuild_deb=$(download "$kbuild_spec") || die "cannot download $kbuild_spec"

image_pkg=$(dpkg-deb -f "$image_deb" Package)
headers_pkg=$(dpkg-deb -f "$headers_deb" Package)
[[ $headers_pkg == "linux-headers-$release" && ${image_pkg%-unsigned} == "linux-image-$release" ]] ||
	die "packages $image_pkg / $headers_pkg do not match release $release"

# ---------------------------------------------------------------- unpack
rm -f "$KDIR/.stamp"
rm -rf "$ROOT"
mkdir -p "$ROOT"
pkg_list=
for deb in "$image_deb" "$headers_deb" "$common_deb" "$kbuild_deb"; do
	log "unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$ROOT" || die "dpkg-deb -x $deb failed"
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

# modules.dep & co. are normally generated by the image's postinst; generate
# them for the unpacked tree so the in-tree modules can be modprobe'd in a guest.
depmod_bin=$(PATH=$PATH:/usr/sbin:/sbin command -v depmod || true)
if [[ -n $depmod_bin ]]; then
	"$depmod_bin" -b "$ROOT" -F "$ROOT/boot/System.map-$release" "$release" ||
		log "warning: depmod failed; $ROOT/lib/modules/$release has no modules.dep"
else
	log "warning: depmod (kmod) not found; $ROOT/lib/modules/$release has no modules.dep"
fi

# ---------------------------------------------------------------- publish
ln -sfn "root/boot/vmlinuz-$release" "$KDIR/vmlinuz"
ln -sfn "root/usr/src/linux-headers-$release" "$KDIR/build"
ln -sfn "root/lib/modules/$release" "$KDIR/modules"
[[ -e $ROOT/boot/config-$release ]] && ln -sfn "root/boot/config-$release" "$KDIR/config"
[[ -e $ROOT/boot/System.map-$release ]] && ln -sfn "root/boot/System.map-$release" "$KDIR/System.map"
printf '%s\n' "$release" >"$KDIR/release"
printf '%s' "$pkg_list" >"$KDIR/packages"
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
