#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# interrupt-test.sh - Ctrl-C, typed as a person types it, in make TARGET:
# tmux runs the target in a terminal, and once its work is under way (a
# QEMU of this tree runs, or, for make lint, a check does) send-keys types
# Ctrl-C. Within 20 s make must end with a non-zero status, no process of
# the run may be left (no QEMU, no build, no check: none that inherited its
# TMPDIR, a fresh folder) and that folder must be empty. Each run has a
# build folder of its own (CK_BUILD) and one kernel (KERNELS=6.1).
#
#   scripts/interrupt-test.sh [TARGET...]   (default: lint check check-harness check-all)
#
# Exit status 0 if every target ended clean, 1 if not (what was left is
# printed), 3 if tmux is missing.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
sess=ck-int-$$
work=$(mktemp -d)
command -v tmux >/dev/null || { echo "tmux not found: apt-get install tmux"; exit 3; }
trap 'tmux kill-session -t "$sess" 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# leftovers DIR: the processes of the run whose TMPDIR is DIR (make and all
# it started inherit it), as "PID COMMAND LINE".
leftovers() {
	local f p
	for f in $(grep -lzx "TMPDIR=$1" /proc/[0-9]*/environ 2>/dev/null); do
		p=${f#/proc/}
		p=${p%/environ}
		echo "$p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
	done
}
# under_way TARGET DIR: a QEMU of the run boots (make lint: a check runs).
under_way() {
	if [ "$1" = lint ]; then
		leftovers "$2" | grep -qE 'lint.sh (checkpatch|shellcheck|docs|range|workflow|lockdep)'
	else
		leftovers "$2" | grep -q ' qemu-system'
	fi
}

rc=0
for target in "${@:-lint check check-harness check-all}"; do
	for t in $target; do
		tmpd=$work/$t
		mkdir -p "$tmpd"
		# In a build folder of its own (CK_BUILD), on one kernel, with one
		# fixture; make lint runs its checks anew (CK_LINT_CACHE=0), so that
		# there is work to interrupt.
		tmux new-session -d -s "$sess" -x 160 -y 50 \
			"cd '$top' && TMPDIR='$tmpd' CK_BUILD='$work/build' CK_LINT_CACHE=0 KERNELS=6.1 FIXTURES=no_wait LABS= make $t; echo make-status=\$?; sleep 600"
		i=0
		until under_way "$t" "$tmpd"; do
			i=$((i + 1))
			[ "$i" -lt 600 ] || { echo "make $t: nothing under way after 300 s"; rc=1; break; }
			sleep 0.5
		done
		sleep 2
		tmux send-keys -t "$sess" C-c
		i=0
		until tmux capture-pane -p -t "$sess" | grep -q 'make-status='; do
			i=$((i + 1))
			[ "$i" -lt 40 ] || break
			sleep 0.5
		done
		status=$(tmux capture-pane -p -t "$sess" | sed -n 's/^make-status=//p')
		sleep 1
		left=$(leftovers "$tmpd")
		tmux kill-session -t "$sess" 2>/dev/null || true
		if [ -z "$status" ]; then
			echo "make $t: still running 20 s after Ctrl-C"
			rc=1
		elif [ "$status" = 0 ]; then
			echo "make $t: Ctrl-C, and it ended with status 0"
			rc=1
		elif [ -n "$left" ]; then
			echo "make $t: Ctrl-C left these running:"
			echo "$left" | sed 's/^/  /'
			echo "$left" | awk '{ print $1 }' | xargs -r kill 2>/dev/null || true
			rc=1
		elif [ -n "$(ls -A "$tmpd")" ]; then
			echo "make $t: Ctrl-C left files in its TMPDIR: $(ls -A "$tmpd" | head -5 | tr '\n' ' ')"
			rc=1
		else
			echo "make $t: Ctrl-C ended it (status $status), nothing left running, its TMPDIR empty"
		fi
	done
done
exit "$rc"
