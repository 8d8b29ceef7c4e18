#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench-run.sh - one run of completion_bench: in the VM (make bench, from
# vm-init.sh) or on the running kernel (sudo make bench-host, bench.sh).
#
#   bench-run.sh KO OUTDIR
#
# Loads KO (with rounds=ROUNDS if set; insmod returns when the module has
# timed its hand-offs), copies its debugfs samples file to
# OUTDIR/samples.tsv and its kernel log lines to OUTDIR/log.txt, and
# unloads it. Exit 1, with the reason, if the load or the unload fails,
# the samples cannot be read, or the kernel reports a problem (a WARNING,
# BUG, hung task, ...) meanwhile. The module is never left loaded.

set -eu

ROUNDS=${ROUNDS:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/ck-lib.sh
. "$here/ck-lib.sh"

fail() {
	echo "bench-run.sh: $*" >&2
	exit 1
}

[ $# = 2 ] || fail "usage: bench-run.sh KO OUTDIR"
ko=$1
out=$2
name=$(basename "$ko" .ko)
dbg=/sys/kernel/debug
[ -f "$ko" ] || fail "$ko not found"
! is_loaded "$name" || fail "$name is loaded already: rmmod $name first"
[ -d "$dbg/$name" ] || grep -q " $dbg debugfs " /proc/mounts ||
	mount -t debugfs debugfs "$dbg" || fail "debugfs is not mounted at $dbg and cannot be"
mkdir -p "$out"
log_open "$out/kernel.raw"
trap 'is_loaded "$name" && rmmod "$name"; log_close' EXIT
mark="bench $name $$"
kmsg "$mark"
insmod "$ko" ${ROUNDS:+rounds="$ROUNDS"} || fail "insmod $ko ${ROUNDS:+rounds=$ROUNDS }failed (the kernel log: dmesg)"
cat "$dbg/$name/samples" >"$out/samples.tsv" || fail "cannot read $dbg/$name/samples"
rmmod "$name" || fail "rmmod $name failed"
log_since "$mark" >"$out/log.txt"
rm -f "$out/kernel.raw" "$out/kernel.raw.marks" "$out/kernel.raw.nap"
if grep -E "$reports" "$out/log.txt" >&2; then
	fail "the kernel reported a problem during the run: $out/log.txt"
fi
grep -q "$name: completion: median" "$out/log.txt" || fail "no summary from $name in the kernel log: $out/log.txt"
echo "bench-run.sh: $name: $(($(wc -l <"$out/samples.tsv") - 1)) hand-offs timed, in $out"
