#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo-vm.sh - the class demo, run by the VM's /init (make demo).
#
#   demo-vm.sh MODDIR...
#
# For each module: show the insmod, its two threads in ps, its kernel log
# live for DWELL_S seconds (timestamps kept), the rmmod and how long it took,
# and the log of the unload. ROUNDS and PERIOD_MS set the signaller's job:
# with the defaults (5 rounds of 500 ms, 4 s of live log) the waiter wakes
# while the class watches.

set -eu

ROUNDS=${ROUNDS:-5}
PERIOD_MS=${PERIOD_MS:-500}
DWELL_S=${DWELL_S:-4}
here=$(cd "$(dirname "$0")" && pwd)
tmp=/tmp/ck-demo
# shellcheck source=scripts/ck-lib.sh
. "$here/ck-lib.sh"
mkdir -p "$tmp"
trap log_close EXIT
log_open "$tmp/kernel.raw"

say() {
	printf '\n%s\n' "$*"
}

# Print the module's log lines since mark $1 that are not printed yet;
# $tmp/shown counts those already printed.
show_new() {
	log_since "$1" | grep "] $name: " |
		grep -v 'module verification failed\|loading out-of-tree module' >"$tmp/now" || true
	shown=$(cat "$tmp/shown")
	total=$(wc -l <"$tmp/now")
	if [ "$total" -gt "$shown" ]; then
		tail -n "$((total - shown))" "$tmp/now"
		echo "$total" >"$tmp/shown"
	fi
}

n=0
for dir in "$@"; do
	n=$((n + 1))
	dir=${dir%/}
	name=$(basename "$dir")
	threads=$(awk -v mode=threads -f "$here/logcheck.awk" "$dir/$name.expected")
	say "=== $n/$# $name: $(strings "$dir/$name.ko" | sed -n 's/^description=//p') ==="
	mark="demo $name $$"
	kmsg "$mark"
	echo 0 >"$tmp/shown"

	say "# insmod $name.ko rounds=$ROUNDS period_ms=$PERIOD_MS"
	insmod "$dir/$name.ko" rounds="$ROUNDS" period_ms="$PERIOD_MS"
	sleep 0.2
	show_new "$mark"

	pattern=$(echo "$threads" | awk '{ $1 = $1; gsub(/ /, "|"); print }')
	say "# ps | grep -E '$pattern'"
	# ps, as a learner would type it, rather than pgrep.
	# shellcheck disable=SC2009
	ps | grep -E "$pattern" | grep -v grep || true

	say "# (the kernel log, live, for ${DWELL_S} s)"
	i=0
	while [ "$i" -lt "$(awk -v s="$DWELL_S" 'BEGIN { print int(s * 5) }')" ]; do
		sleep 0.2
		show_new "$mark"
		i=$((i + 1))
	done

	show_new "$mark"
	say "# rmmod $name"
	if timed_rmmod "$name" "demo.$n" 15 "$tmp"; then
		show_new "$mark"
		echo "rmmod took $(cat "$tmp/rmmod_ms") ms"
	else
		echo "rmmod failed or hung"
	fi
	left=""
	for t in $threads; do
		[ -z "$(pids_named "$t")" ] || left="$left $t"
	done
	echo "threads left: ${left:-none}"
done
say "=== demo done ==="
