#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# doc-test.sh - every command block that README.md, docs/ and labs/ tell a
# reader to type, typed where the page says it runs. A block is marked in
# the page's source by the comment on the line before its fence:
#
#   <!-- doc-test: host -->     the block's lines run on the host, one after
#                               another in a copy of the tree of their own
#                               (make demo, make grade, ...); "host exit=N
#                               prints=TEXT": each must end with status N
#                               and print TEXT (a grader's FAIL on a lab's
#                               starting file: make's status 2, "FAIL: ")
#   <!-- doc-test: vm -->       each line typed into make shell, as written
#   <!-- doc-test: machine -->  a session on the reader's own machine: make
#                               lines on the host (KDIR: the cached 6.1
#                               tree), apt-get lines not run (installs), the
#                               others in make shell without their leading
#                               "sudo " (the VM's shell is root)
#   <!-- doc-test: skip REASON -->  not run: installs (packages, make
#                               install, dkms), hardware (what the VM lacks:
#                               Secure Boot, real timings), suite (starts the
#                               suite itself)
#
# A block with no mark whose first line starts with a command fails, and so
# does every line that ends non-zero or prints "invalid option", "bad -o
# argument", "not found" or "unrecognized option". The lines make shell's
# banner offers ("Try: ...") are typed too.
#
#   tests/harness/doc-test.sh [--list] [PAGE...]    (default: every page)
#
# --list: the blocks and where each line runs, without running them.
# DOC_TEST_FILES=FILE...: run on these pages instead (the check of this
# test: tests/harness/doc-test-broken.md must fail).
# Exit status 0 if every line ran as it should, 1 if not, 3 if tmux is
# missing.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/vm/vm-lib.sh
. "$top/scripts/vm/vm-lib.sh"
list=0
[ "${1:-}" != --list ] || { list=1 && shift; }
if [ $# -eq 0 ]; then
	# shellcheck disable=SC2206 # page names have no spaces
	pages=(${DOC_TEST_FILES:-README.md docs/*.md labs/README.md labs/*/README.md})
else
	pages=("$@")
fi
CMD_WAIT_S=${CMD_WAIT_S:-120}
HOST_WAIT_S=${HOST_WAIT_S:-900}
BOOT_WAIT_S=${BOOT_WAIT_S:-600}
kdir=$CK_CACHE/kernels/6.1/build
# What a command prints when it was typed wrong, or is missing.
bad_output='invalid option|bad -o argument|not found|unrecognized option'

# blocks PAGE...: "N<TAB>PAGE:LINE<TAB>WHERE<TAB>TEXT", a line for each line
# of a marked block (N: the block), WHERE host, host-kdir, vm or
# skip-REASON; "-<TAB>PAGE:LINE<TAB>unmarked<TAB>TEXT" for a block that
# starts with a command and has no mark.
blocks() {
	awk '
	FNR == 1 { mark = ""; inb = 0 }
	/^```/ {
		if (inb) { inb = 0; mark = ""; next }
		inb = 1; n++; first = 1
		where = mark; lang = substr($0, 4)
		next
	}
	!inb {
		if ($0 ~ /^<!-- doc-test: .* -->$/) {
			mark = $0
			sub(/^<!-- doc-test: /, "", mark)
			sub(/ -->$/, "", mark)
		} else if ($0 != "")
			mark = ""
		next
	}
	{
		line = $0
		if (first && where == "" && lang == "" &&
		    line ~ /^(sudo|make|insmod|rmmod|dmesg|ps|cd|cat|echo|git|apt-get|scripts\/)( |$)/)
			printf "-\t%s:%d\tunmarked\t%s\n", FILENAME, FNR, line
		first = 0
		if (where == "" || line ~ /^[ \t]*(#|$)/)
			next
		w = where
		if (where == "machine") {
			if (line ~ /^(sudo )?apt-get /) w = "skip-installs"
			else if (line ~ /^make( |$)/) w = "host-kdir"
			else { w = "vm"; sub(/^sudo /, "", line) }
		} else if (where ~ /^(skip|host) /) {
			w = where; sub(/ /, "-", w)
		}
		printf "%d\t%s:%d\t%s\t%s\n", n, FILENAME, FNR, w, line
	}' "$@"
}

cd "$top"
blocks "${pages[@]}" >"${TMPDIR:-/tmp}/doc-test.$$"
mapfile -t lines <"${TMPDIR:-/tmp}/doc-test.$$"
rm -f "${TMPDIR:-/tmp}/doc-test.$$"
if [ "$list" = 1 ]; then
	printf '%s\n' "${lines[@]}"
	exit 0
fi

command -v tmux >/dev/null || { echo "tmux not found: apt-get install tmux"; exit 3; }
# At the exit, the terminals and every line still running end.
# shellcheck disable=SC2016 # at the exit
ck_private_tmp 'tmux -L "$sock" kill-server 2>/dev/null || true; kill_below $$'
work=$ck_tmp
sock=ck-doc-$$
rc=0
declare -A skipped=()

for l in "${lines[@]}"; do
	IFS=$'\t' read -r _ at where text <<<"$l"
	case $where in
	unmarked)
		echo "FAIL: $at: a command block without a <!-- doc-test: ... --> mark: $text"
		rc=1
		;;
	skip-*) skipped[${where#skip-}]=$((${skipped[${where#skip-}]:-0} + 1)) ;;
	host | host-kdir | host-exit=* | vm) ;;
	*)
		echo "FAIL: $at: unknown mark '$where'"
		rc=1
		;;
	esac
done

# copy DIR: a copy of the tree in DIR, as a reader's clone has it (with
# this tree's changes): what a line builds or boots there leaves this
# tree's build/ alone.
copy() {
	mkdir -p "$1"
	git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$1"
}

# The terminals: tmux on a private server, its history kept whole.
printf 'set -g history-limit 100000\n' >"$work/tmux.conf"
tmux_run() {
	tmux -L "$sock" -f "$work/tmux.conf" new-session -d -s "$1" -x 200 -y 50 "$2"
}
# screen NAME: what session NAME has shown, history included, without the
# empty lines below the last one written.
screen() {
	tmux -L "$sock" capture-pane -p -J -t "$1" -S - 2>/dev/null |
		awk '{ l[NR] = $0 } END { n = NR; while (n > 0 && l[n] == "") n--; for (i = 1; i <= n; i++) print l[i] }'
}
# wait_screen NAME TEXT SECONDS: until session NAME shows TEXT; 1 if not.
wait_screen() {
	local i=0
	while ! screen "$1" | grep -qF -- "$2"; do
		[ "$i" -lt "$3" ] || return 1
		sleep 1
		i=$((i + 1))
	done
}
# type_line NAME LINE: LINE and Enter, typed into session NAME.
type_line() {
	tmux -L "$sock" send-keys -t "$1" -l -- "$2"
	tmux -L "$sock" send-keys -t "$1" Enter
}

# host_line N LINE "WANT [prints=TEXT]" [KDIR]: LINE run by bash in the
# tree $work/tree.N; it must end with status WANT (and print TEXT). make
# shell runs in a terminal and is left with exit at its prompt. 1 if it
# failed.
host_line() {
	local n=$1 line=$2 want=${3%% *} prints="" tree=$work/tree.$1 out=$work/host.$1 status=0 t0
	case $3 in *" prints="*) prints=${3#* prints=} ;; esac
	t0=$(date +%s)
	case $line in
	"make shell"*)
		tmux_run "host-$n" "cd '$tree' && $line; echo make-shell-status=\$?; sleep 600"
		if wait_screen "host-$n" 'ck-vm:/ck/mods#' "$BOOT_WAIT_S"; then
			type_line "host-$n" exit
			wait_screen "host-$n" make-shell-status= "$CMD_WAIT_S" || true
		fi
		screen "host-$n" >"$out"
		tmux -L "$sock" kill-session -t "host-$n" 2>/dev/null || true
		status=$(sed -n 's/^make-shell-status=//p' "$out" | tail -n 1)
		;;
	*)
		(cd "$tree" && ${4:+env KDIR="$4"} timeout "$HOST_WAIT_S" bash -c "$line") >"$out" 2>&1 </dev/null || status=$?
		;;
	esac
	if [ "${status:-none}" != "$want" ] || grep -qE "$bad_output" "$out" ||
		{ [ -n "$prints" ] && ! grep -qF -- "$prints" "$out"; }; then
		echo "FAIL: host: $line: status ${status:-none}, wanted $want${prints:+ and \"$prints\" printed}"
		grep -E "$bad_output" "$out" | head -n 5 | sed 's/^/  | /' || true
		tail -n 5 "$out" | sed 's/^/  | /'
		return 1
	fi
	echo "ok host: $line ($(($(date +%s) - t0)) s)"
}
# host N WANT [KDIR]: the lines of $work/unit.N, a block of a page, one
# after another in a copy of the tree of their own (a line may use what
# the one before made), up to the first that fails.
host() {
	local n=$1 t0 line
	t0=$(date +%s)
	copy "$work/tree.$n"
	while IFS= read -r line; do
		host_line "$n" "$line" "$2" "${3:-}" || break
	done <"$work/unit.$n"
	rm -rf "$work/tree.$n"
	echo "$(($(date +%s) - t0))" >"$work/seconds.$n"
}

# The VM's lines: one make shell session, a page after another; what a
# page leaves (jobs, modules, the folder) is cleared before the next.
vm_n=0
vm_line() {
	local at=$1 text=$2 before after status
	vm_n=$((vm_n + 1))
	before=$(screen vm | wc -l)
	type_line vm "$text"
	# A job sent to the background may complain a moment later.
	case $text in *"&" | *"& "*) sleep 2 ;; esac
	# shellcheck disable=SC2016 # expanded by the VM's shell
	type_line vm 'ck_rc=$?; echo "ck-doc-$((0 + '"$vm_n"'))-rc=$ck_rc"'
	if ! wait_screen vm "ck-doc-$vm_n-rc=" "$CMD_WAIT_S"; then
		echo "FAIL: vm: $at: $text: no prompt after $CMD_WAIT_S s"
		screen vm | tail -n 10 | sed 's/^/  | /'
		return 1
	fi
	after=$(screen vm | tail -n +"$((before + 1))")
	status=$(echo "$after" | sed -n "s/^ck-doc-$vm_n-rc=//p" | tail -n 1)
	if [ "$status" != 0 ] || echo "$after" | grep -v 'ck_rc=' | grep -qE "$bad_output"; then
		echo "FAIL: vm: $at: $text: status $status"
		echo "$after" | grep -v 'ck_rc=' | head -n 15 | sed 's/^/  | /'
		return 0
	fi
	echo "ok vm: $text"
}
vm_clean() {
	# shellcheck disable=SC2016 # expanded by the VM's shell
	type_line vm 'kill $(jobs -p) 2>/dev/null; sleep 1; for m in $(cut -d" " -f1 /proc/modules); do rmmod "$m"; done; cd /ck/mods; echo "ck-doc-clean-$((0 + '"$vm_n"'))"'
	wait_screen vm "ck-doc-clean-$vm_n" "$CMD_WAIT_S" || {
		echo "FAIL: vm: the clean-up after line $vm_n did not end"
		return 1
	}
}
# vm_session: make shell's banner lines, then each "vm" line, by block.
vm_session() {
	local tree=$work/tree.vm t0
	t0=$(date +%s)
	vm_session_lines "$tree"
	echo "$(($(date +%s) - t0))" >"$work/seconds.vm"
	echo "# the make shell session: $(cat "$work/seconds.vm") s"
}
vm_session_lines() {
	local l n at where text page="" tree=$1
	copy "$tree"
	tmux_run vm "cd '$tree' && make shell; echo make-shell-status=\$?; sleep 600"
	if ! wait_screen vm 'ck-vm:/ck/mods#' "$BOOT_WAIT_S"; then
		echo "FAIL: make shell: no prompt after $BOOT_WAIT_S s"
		screen vm | tail -n 20 | sed 's/^/  | /'
		return
	fi
	# The banner's "Try:" lines, typed as shown.
	while read -r l; do
		echo banner >>"$work/vm.banner"
		vm_line banner "$l" || return
	done < <(screen vm | sed -n '/^Try:/,/^exit (or Ctrl-D)/p' | sed '$d; s/^Try://; s/^ *//')
	for l in "${lines[@]}"; do
		IFS=$'\t' read -r n at where text <<<"$l"
		[ "$where" = vm ] || continue
		# A page's blocks are one session (one may load what the next uses).
		if [ "${at%:*}" != "$page" ]; then
			vm_clean || return
			page=${at%:*}
		fi
		vm_line "$at" "$text" || return
	done
	vm_clean || return
	type_line vm exit
	if ! wait_screen vm make-shell-status= "$CMD_WAIT_S" || ! screen vm | grep -q '^make-shell-status=0'; then
		echo "FAIL: make shell did not end with status 0 at exit"
	fi
}

# The units: each block of host lines, and the VM session where its first
# line stands. A line that stands in several places (make, make shell)
# runs once: the same words without a comment, under the same mark. A
# unit is "N<TAB>WHERE<TAB>TEXT" (the session's N is vm), its lines in
# $work/unit.N.
units=()
nvm=0
declare -A seen=()
for l in "${lines[@]}"; do
	IFS=$'\t' read -r n at where text <<<"$l"
	case $where in
	host | host-kdir | host-exit=*)
		text=${text%% #*}
		text=${text%"${text##*[![:space:]]}"}
		if [ -n "${seen[$where $text]:-}" ]; then
			ran_again=$((${ran_again:-0} + 1))
			continue
		fi
		seen[$where $text]=1
		if [ ! -f "$work/unit.$n" ]; then
			units+=("$n"$'\t'"$where"$'\t'"$text")
		fi
		echo "$text" >>"$work/unit.$n"
		;;
	vm)
		nvm=$((nvm + 1))
		[ "$nvm" != 1 ] || units+=("vm"$'\t'"vm"$'\t'"make shell session")
		;;
	esac
done

# DOC_JOBS (the cores) at a time, each unit's report in $work/report.N,
# shown in the pages' order. The longest first, by the seconds of the last
# run (build/doc-test.seconds), so that the last to end is a short one;
# DOC_JOBS=1: in the pages' order, each taking what a reader waits for it.
jobs_max=${DOC_JOBS:-$(nproc)}
times=$top/${CK_BUILD:-build}/doc-test.seconds
order=("${units[@]}")
if [ "$jobs_max" -gt 1 ] && [ -f "$times" ]; then
	mapfile -t order < <(for u in "${units[@]}"; do
		IFS=$'\t' read -r _ where text <<<"$u"
		secs=$(awk -F '\t' -v k="$where"$'\t'"$text" '$2 "\t" $3 == k { s = $1 } END { print s + 0 }' "$times")
		printf '%s\t%s\n' "$secs" "$u"
	done | sort -t $'\t' -k1,1nr | cut -f 2-)
fi
running=0
for u in "${order[@]}"; do
	IFS=$'\t' read -r n where text <<<"$u"
	if [ "$running" -ge "$jobs_max" ]; then
		wait -n || true
		running=$((running - 1))
	fi
	case $where in
	vm) vm_session >"$work/report.vm" 2>&1 & ;;
	host) host "$n" 0 >"$work/report.$n" 2>&1 & ;;
	host-exit=*) host "$n" "${where#host-exit=}" >"$work/report.$n" 2>&1 & ;;
	host-kdir) host "$n" 0 "$kdir" >"$work/report.$n" 2>&1 & ;;
	esac
	running=$((running + 1))
done
wait
ran=0
for u in "${units[@]}"; do
	IFS=$'\t' read -r n _ <<<"$u"
	cat "$work/report.$n"
	! grep -q '^FAIL' "$work/report.$n" || rc=1
	ran=$((ran + $(grep -c '^\(ok\|FAIL\)' "$work/report.$n" || true)))
done
# This run's seconds replace the last run's for the same units.
mkdir -p "${times%/*}"
touch "$times"
for u in "${units[@]}"; do
	IFS=$'\t' read -r n where text <<<"$u"
	[ ! -f "$work/seconds.$n" ] || printf '%s\t%s\t%s\n' "$(cat "$work/seconds.$n")" "$where" "$text"
done | awk -F '\t' 'NR == FNR { new[$2 "\t" $3] = 1; print; next } !(($2 "\t" $3) in new)' - "$times" >"$times.new"
mv "$times.new" "$times"
nskip=0
why=""
for r in "${!skipped[@]}"; do
	nskip=$((nskip + skipped[$r]))
	why="$why, ${skipped[$r]} $r"
done
nbanner=0
[ ! -f "$work/vm.banner" ] || nbanner=$(wc -l <"$work/vm.banner")
echo "doc-test: ${#pages[@]} pages: $ran lines run ($nvm in make shell, and $nbanner from its banner; ${ran_again:-0} more host lines the same as one run), $nskip not run${why:+ (${why#, })}"
exit "$rc"
