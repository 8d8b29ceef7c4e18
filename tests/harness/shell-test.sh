#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shell-test.sh - `make shell` as a class uses it, typed into a terminal:
# tmux runs make shell in a detached session, send-keys types and
# capture-pane reads the screen. The session loads MODULE (declare_completion),
# waits for its waiter to be woken (read in the VM's kernel log), unloads
# it and leaves the shell, which must power the VM off and end make shell
# with status 0.
#
#   tests/harness/shell-test.sh [KERNEL]     (default: make demo's kernel)
#
# MODULE=broken_no_wait (a fixture of tests/broken/, which make shell then
# gets as BROKEN=no_wait) runs the same session on a broken variant: the
# way to see this test fail (its waiter reports "result 0").
#
# Exit status 0 if the session went as it should, 1 if not (the screen is
# printed), 3 if tmux is missing.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${1:-}
MODULE=${MODULE:-declare_completion}
broken=""
[ "${MODULE#broken_}" = "$MODULE" ] || broken="BROKEN=${MODULE#broken_} "
sess=ck-shell-$$
screen=$top/build/demo/shell-test.screen
# Seconds to wait for the prompt after a boot (fetching and building
# included) and after a command.
BOOT_WAIT_S=${BOOT_WAIT_S:-600}
CMD_WAIT_S=${CMD_WAIT_S:-60}

command -v tmux >/dev/null || { echo "tmux not found: apt-get install tmux"; exit 3; }
mkdir -p "$top/build/demo"
trap 'tmux kill-session -t "$sess" 2>/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "shell-test.sh: $*"
	echo "the screen:"
	sed 's/^/  | /' "$screen"
	exit 1
}

# wait_for TEXT SECONDS: until the screen shows TEXT, or fail.
wait_for() {
	local i=0
	while :; do
		tmux capture-pane -p -t "$sess" -S -200 >"$screen" 2>/dev/null || true
		grep -qF -- "$1" "$screen" && return 0
		# make shell ended before it showed TEXT: no use waiting.
		[ "$1" = make-shell-status= ] || ! grep -q '^make-shell-status=' "$screen" ||
			fail "make shell ended before \"$1\" was on the screen"
		[ "$i" -lt "$2" ] || fail "no \"$1\" on the screen after $2 s"
		sleep 1
		i=$((i + 1))
	done
}

# type LINE: type LINE and Enter into the VM's shell.
type_line() {
	tmux send-keys -t "$sess" -l -- "$1"
	tmux send-keys -t "$sess" Enter
}

t0=$(date +%s)
tmux new-session -d -s "$sess" -x 160 -y 50 \
	"cd '$top' && ${kernel:+KERNEL=$kernel }${broken}make shell; echo make-shell-status=\$?; sleep 600"
# capture-pane drops the prompt's trailing space.
wait_for 'ck-vm:/ck/mods#' "$BOOT_WAIT_S"
type_line "insmod $MODULE/$MODULE.ko rounds=3 period_ms=50"
# What the VM prints differs from what is typed ($((6 * 7)) prints 42):
# the screen shows both.
# shellcheck disable=SC2016 # expanded by the VM's shell
type_line 'sleep 1; dmesg | grep "'"$MODULE"': waiter: woken: the job is done, result 6" && echo "woken-$((6 * 7))"'
wait_for woken-42 "$CMD_WAIT_S"
# shellcheck disable=SC2016 # the same
type_line 'rmmod '"$MODULE"'; echo "rmmod-status=$?"; grep -q "^'"$MODULE"' " /proc/modules || echo "unloaded-$((6 * 7))"'
wait_for unloaded-42 "$CMD_WAIT_S"
grep -q 'rmmod-status=0' "$screen" || fail "rmmod $MODULE failed"
type_line exit
wait_for make-shell-status= "$CMD_WAIT_S"
grep -q 'make-shell-status=0' "$screen" || fail "make shell did not end with status 0"
echo "make shell under tmux: loaded, woken, unloaded, exited (status 0) in $(($(date +%s) - t0)) s"
