#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fresh-root-test.sh - try README.md's quick start as a new user would, on a
# clean Debian root made with mmdebstrap, not on this machine (where something
# installed by hand can hide a missing install step).
#
#   sudo scripts/fresh-root-test.sh [RELEASE...]    (default: bookworm trixie)
#   sudo scripts/fresh-root-test.sh --ci [RELEASE]  (default: bookworm)
#
# For each release: mmdebstrap a minimal root (apt, plus git, make and sudo:
# what a learner has before README.md; passwd for useradd), clone this repository's committed
# HEAD into the home of a user "learner", and in the chroot, as that user:
#   1. make demo                     must stop at once, naming the command
#                                    that installs what is missing
#   2. that command                  (sudo scripts/install-deps.sh demo 6.1)
#   3. README.md's command blocks, typed as the page says, one after
#      another (tests/harness/doc-test.sh README.md, DOC_JOBS=1): make
#      demo, make shell and the lines typed into it, make grade, ...; each
#      line's seconds in the step's log. (tmux, which types them, is
#      installed first: the test's tool, not the learner's.)
#   4. make check                    must stop at once, naming the command
#                                    that installs what it needs beyond
#   5. that command                  make demo's
#   6. make check                    must pass ("N passed, 0 failed")
# Every step is timed (appended to CK_FRESH_DIR/fresh-root.tsv). The kernel
# cache is the learner's own: cold.
# With --ci, CI on a brand-new machine instead: a root with apt, git and
# the CA certificates only (no make), the clone in /root, and as root
#   1. bash .ci/run                  must pass, within CI's 90 minutes
#
# Settings: CK_FRESH_DIR (default /var/tmp/ck-fresh-root: a root and its
# cache take about 3 GB), CK_FRESH_KEEP=1 keeps the roots afterwards.
# Output: KTAP, ending in "N passed, N failed"; each step's output in
# CK_FRESH_DIR/<release>.step-N.log.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/config.sh
. "$top/scripts/lib/config.sh"


[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap, chroot): sudo $0"
command -v mmdebstrap >/dev/null || die "mmdebstrap not found: apt-get install mmdebstrap"
command -v unshare >/dev/null || die "unshare not found: apt-get install util-linux"
ci=0
if [ "${1:-}" = --ci ]; then
	ci=1
	shift
	[ $# -gt 0 ] || set -- bookworm
fi
[ $# -gt 0 ] || set -- bookworm trixie
base=${CK_FRESH_DIR:-/var/tmp/ck-fresh-root}
uris=$(ck_debian_uris)
main_uri=$(awk '$1 == "main" { print $2 }' <<<"$uris")
security_uri=$(awk '$1 == "security" { print $2 }' <<<"$uris")
[ -n "$main_uri" ] || die "no Debian archive in this host's apt sources (set CK_DEBIAN_MIRROR)"
mkdir -p "$base"
tsv=$base/fresh-root.tsv
[ -f "$tsv" ] || printf 'release\tstep\tresult\tseconds\tdate\n' >"$tsv"

passed=0
failed=0
skipped=0
num=0

# in_root DIR USER COMMAND: run COMMAND with bash -lc in the chroot DIR as
# USER, in a mount namespace of its own (proc, sys and dev vanish with it).
in_root() {
	local dir=$1 user=$2 cmd=$3 home=/home/$2
	[ "$user" != root ] || home=/root
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --mount --propagation private -- /bin/sh -eu -c '
		mount -t proc proc "$1/proc"
		mount --rbind /sys "$1/sys"
		mount --rbind /dev "$1/dev"
		exec chroot "$1" /usr/sbin/runuser -u "$2" -- /usr/bin/env -i \
			HOME="$3" USER="$2" LANG=C.UTF-8 ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"} \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			/bin/bash -lc "$4"' sh "$dir" "$user" "$home" "$cmd"
}

# step RELEASE DIR NAME WANT COMMAND: one timed step as the learner; WANT is
# "pass" or "fail:PATTERN" (must fail, and print PATTERN).
step() {
	local rel=$1 dir=$2 name=$3 want=$4 cmd=$5 log rc=0 t0 t1 secs res user=learner
	[ "$ci" = 0 ] || user=root
	num=$((num + 1))
	log=$dir.step-$num.log
	echo "# $rel: $name: $cmd" >&2
	t0=$(date +%s)
	in_root "$dir" "$user" "cd ~/completion-kthreads && $cmd" >"$log" 2>&1 || rc=$?
	t1=$(date +%s)
	secs=$((t1 - t0))
	case $want in
	pass) [ "$rc" = 0 ] && res=ok || res=fail ;;
	# (Stopped, and cleanly: no tool of ours missing on the way out.)
	fail:*) [ "$rc" != 0 ] && grep -qF -- "${want#fail:}" "$log" && ! grep -q 'command not found' "$log" && res=ok || res=fail ;;
	esac
	printf '%s\t%s\t%s\t%s\t%s\n' "$rel" "$name" "$res" "$secs" "$(date -u +%FT%TZ)" >>"$tsv"
	# What make check said, kept in the output: its summary and its skips.
	grep -E '^[0-9]+ passed, [0-9]+ failed|# SKIP|^# wall time|^# [^ ]+: [0-9]+ s in all|^ok host|^FAIL|^doc-test:|^# the make shell session' "$log" |
		sed "s/^/    # /" || true
	if [ "$res" = ok ]; then
		passed=$((passed + 1))
		echo "ok $num $rel: $name ($secs s)"
	else
		failed=$((failed + 1))
		echo "    # rc=$rc, wanted $want; last lines of $log:"
		tail -n 25 "$log" | sed 's/^/    #   /'
		echo "not ok $num $rel: $name ($secs s)"
	fi
	[ "$res" = ok ]
}

# The tests of a release: mmdebstrap and its steps.
per=7
[ "$ci" = 0 ] || per=2
# skip_rest RELEASE: the release's remaining tests as skips.
skip_rest() {
	while [ $((num % per)) != 0 ]; do
		num=$((num + 1))
		echo "ok $num $1: not run # SKIP an earlier step failed"
		skipped=$((skipped + 1))
	done
}

echo "KTAP version 1"
echo "1..$((per * $#))"
for rel in "$@"; do
	dir=$base/$rel
	rm -rf --one-file-system "$dir"
	# The same archive as this host's, the release's own suites.
	sources=("deb $main_uri $rel main" "deb $main_uri $rel-updates main")
	[ -z "$security_uri" ] || sources+=("deb $security_uri $rel-security main")
	aptopts=()
	while IFS= read -r line; do
		[ -z "$line" ] || aptopts+=(--aptopt="$line")
	done < <(ck_apt_network_conf)
	num=$((num + 1))
	t0=$(date +%s)
	include=git,make,sudo,passwd,ca-certificates
	[ "$ci" = 0 ] || include=git,ca-certificates
	if mmdebstrap --quiet --variant=apt --include="$include" \
		"${aptopts[@]}" "$rel" "$dir" "${sources[@]}" >"$dir.mmdebstrap.log" 2>&1; then
		secs=$(($(date +%s) - t0))
		echo "ok $num $rel: mmdebstrap ($secs s)"
		passed=$((passed + 1))
		printf '%s\tmmdebstrap\tok\t%s\t%s\n' "$rel" "$secs" "$(date -u +%FT%TZ)" >>"$tsv"
	else
		tail -n 20 "$dir.mmdebstrap.log" | sed 's/^/# /'
		echo "not ok $num $rel: mmdebstrap"
		failed=$((failed + 1))
		skip_rest "$rel"
		continue
	fi
	# The host's network, as for apt: its name servers and the local
	# certificate authorities it trusts (a proxy's, say), which npm needs.
	cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
	if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
		cp /usr/local/share/ca-certificates/*.crt "$dir/usr/local/share/ca-certificates/"
		chroot "$dir" update-ca-certificates >/dev/null
	fi
	if [ "$ci" = 1 ]; then
		git clone -q "$top" "$dir/root/completion-kthreads"
		step "$rel" "$dir" "bash .ci/run on a brand-new machine" pass "bash .ci/run" || true
	else
		chroot "$dir" useradd -m -s /bin/bash learner
		echo 'learner ALL=(ALL) NOPASSWD: ALL' >"$dir/etc/sudoers.d/learner"
		git clone -q "$top" "$dir/home/learner/completion-kthreads"
		chroot "$dir" chown -R learner:learner /home/learner/completion-kthreads
	fi

	# README.md's start; the first time, the preflight stops.
	if [ "$ci" = 1 ]; then
		:
	elif step "$rel" "$dir" "make demo before install-deps: stops with the command" \
		"fail:sudo scripts/install-deps.sh" "make demo" &&
		install=$(sed -n 's/^deps.sh: install them once with: *//p' "$dir.step-$num.log") &&
		step "$rel" "$dir" "$install" pass "$install" &&
		in_root "$dir" root "apt-get install -y -q tmux" >"$dir.tmux.log" 2>&1 &&
		step "$rel" "$dir" "README.md's commands (tests/harness/doc-test.sh README.md)" pass \
			"DOC_JOBS=1 tests/harness/doc-test.sh README.md"; then
		if step "$rel" "$dir" "make check before its packages: stops with the command" \
			"fail:sudo scripts/install-deps.sh check" "make check" &&
			install=$(sed -n 's/^deps.sh: install them once with: *//p' "$dir.step-$num.log") &&
			step "$rel" "$dir" "$install" pass "$install"; then
			step "$rel" "$dir" "make check" pass "make check" || true
		else
			skip_rest "$rel"
		fi
	else
		skip_rest "$rel"
	fi
	[ "${CK_FRESH_KEEP:-0}" = 1 ] || rm -rf --one-file-system "$dir"
done
echo "$passed passed, $failed failed$([ "$skipped" = 0 ] || echo ", $skipped skipped")"
[ "$failed" = 0 ]
