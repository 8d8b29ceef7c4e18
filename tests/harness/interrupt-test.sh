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
#   tests/harness/interrupt-test.sh [TARGET...]   (default: lint check check-harness check-all)
#
# Exit status 0 if every target ended clean, 1 if not (what was left is
# printed), 3 if tmux is missing.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
sess=ck-int-$$
work=$(mktemp -d)
command -v tmux >/dev/null || { echo "tmux not found: apt-get install tmux"; exit 3; }
trap 'tmux kill-session -t "$sess" 2>/dev/null || true; rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# leftovers DIR: the processes of the run whose TMPDIR is DIR or a folder
# in it (make and all it started inherit it; the scripts make their own
# folder in it), as "PID COMMAND LINE".
leftovers() {
	local f p
	# (grep fails on the files of processes that end meanwhile.)
	{ grep -lzxF -e "TMPDIR=$1" /proc/[0-9]*/environ 2>/dev/null || true
	  grep -lzF -e "TMPDIR=$1/" /proc/[0-9]*/environ 2>/dev/null || true; } | sort -u | while read -r f; do
		p=${f#/proc/}
		p=${p%/environ}
		echo "$p $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")"
	done
}
# under_way TARGET DIR: a QEMU of the run boots (make lint: a check runs).
under_way() {
	if [ "$1" = lint ]; then
		leftovers "$2" | grep -E 'lint.sh (checkpatch|shellcheck|docs|range|workflow|lockdep)' >/dev/null
	else
		leftovers "$2" | grep ' qemu-system' >/dev/null
	fi
}

# interrupt TARGET: the test of one target; 1 if something was left.
interrupt() {
	local t=$1 tmpd=$work/$1 i status left
	rm -rf "$tmpd"
	mkdir -p "$tmpd"
	# In a build folder of its own (CK_BUILD), on one kernel, with one
	# fixture; make lint runs its checks anew (CK_LINT_CACHE=0), so that
	# there is work to interrupt. The terminal's shell traps Ctrl-C, so
	# that it lives on to say make's status.
	tmux new-session -d -s "$sess" -x 160 -y 50 \
		"trap 'echo Ctrl-C' INT; cd '$top' && ${CK_INTERRUPT_TRAPS:+CK_INTERRUPT_TRAPS=$CK_INTERRUPT_TRAPS }TMPDIR='$tmpd' CK_BUILD='$work/build' CK_LINT_CACHE=0 KERNELS=6.1 FIXTURES=no_wait LABS= make $t; echo make-status=\$?; sleep 600"
	i=$SECONDS
	until under_way "$t" "$tmpd"; do
		if [ $((SECONDS - i)) -ge 300 ]; then
			echo "make $t: nothing under way after 300 s"
			tmux kill-session -t "$sess" 2>/dev/null || true
			return 1
		fi
		sleep 0.5
	done
	sleep 2
	tmux send-keys -t "$sess" C-c
	i=$SECONDS
	until tmux capture-pane -p -t "$sess" 2>/dev/null | grep 'make-status=' >/dev/null; do
		[ $((SECONDS - i)) -lt 20 ] || break
		sleep 0.5
	done
	status=$(tmux capture-pane -p -t "$sess" 2>/dev/null | sed -n 's/^make-status=//p' || true)
	sleep 1
	left=$(leftovers "$tmpd" || true)
	tmux kill-session -t "$sess" 2>/dev/null || true
	if [ -z "$status" ]; then
		echo "make $t: still running 20 s after Ctrl-C"
		return 1
	elif [ "$status" = 0 ]; then
		echo "make $t: Ctrl-C, and it ended with status 0"
		return 1
	elif [ -n "$left" ]; then
		echo "make $t: Ctrl-C left these running:"
		printf '%s\n' "$left" | sed 's/^/  /'
		echo "$left" | awk '{ print $1 }' | xargs -r kill 2>/dev/null || true
		return 1
	elif [ -n "$(find "$tmpd" -mindepth 1 -print -quit)" ]; then
		echo "make $t: Ctrl-C left files in its TMPDIR: $(find "$tmpd" -mindepth 1 | head -5 | tr '\n' ' ')"
		return 1
	else
		echo "make $t: Ctrl-C ended it (status $status), nothing left running, its TMPDIR empty"
	fi
}

rc=0
for target in "${@:-lint check check-harness check-all}"; do
	for t in $target; do
		interrupt "$t" || rc=1
	done
done
# And the test can fail: without its traps, make check leaves its VM.
if [ "$rc" = 0 ]; then
	if CK_INTERRUPT_TRAPS=0 interrupt check >"$work/no-traps.out"; then
		echo "without its traps (CK_INTERRUPT_TRAPS=0) make check left nothing either: the test cannot tell"
		rc=1
	else
		echo "without its traps (CK_INTERRUPT_TRAPS=0): $(head -n 1 "$work/no-traps.out") (as it must)"
	fi
fi
exit "$rc"
