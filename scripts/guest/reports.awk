# SPDX-License-Identifier: GPL-2.0
#
# reports.awk - charge each kernel report in a kernel log to the test whose
# window it falls in, or whose thread or module it names (run-tests.sh).
#
#   awk -v re=REPORTS -v map=MAP [-v owner=TEST] -f reports.awk KERNEL-LOG
#
# REPORTS: what a report line looks like (ck-lib.sh's $reports, an ERE).
# MAP: "THREAD:=MODULE [MODULE]=MODULE ..." pairs, a thread's name as a
# task is shown ("dc-waiter:123") and a module's name as a call trace
# shows it. The windows are the runner's marks in the log ("ck-run: begin
# NAME", "stress NAME", "refuse|normal NAME", "soak PIDS begin", "idle",
# "kmemleak scan|clear"). Output: one "TEST CHECK LINE" row a report line;
# TEST "kernel" (CHECK "console") for a line outside every window. OWNER:
# the test of a line before the first window (api-tests.sh: its module).
#
# A KCSAN report ("BUG: KCSAN: data-race in A / B", the two accesses'
# stacks, a line of "=" at its end) is one row, its first line: CHECK
# "data-race", charged to the module that one of its stacks' frames
# names ("[NAME]"), whatever window it falls in; if none does, the race is
# the core kernel's: TEST "kernel", CHECK "listed", to be shown, not
# charged. The frames below an interrupt's entry (asm_sysvec_...) in an
# access's stack are the code the interrupt cut into, not the race's.

# map: "dc-waiter:=declare_completion [declare_completion]=...":
# a thread name as a task is shown ("dc-waiter:123"), a module
# name as a call trace shows it.
BEGIN { n = split(map, kv, " "); for (i = 1; i <= n; i++) {
	split(kv[i], p, "="); mod[p[1]] = p[2] }
	check = "kernel-report" }
/BUG: KCSAN: / { kcsan = 1; khead = $0; kwho = ""; kframes($0); next }
kcsan {
	# An access's stack, after an interrupt's entry frame (asm_...), is
	# the interrupted code's: not the race's.
	if ($0 ~ / to 0x[0-9a-f]+ of [0-9]+ bytes by /)
		kirq = 0
	else if ($0 ~ /\] +asm_[a-z_0-9]+\+0x/)
		kirq = 1
	if (!kirq)
		kframes($0)
	if ($0 ~ /=================/) kdone()
	next
}
END { if (kcsan) kdone() }
# Window marks: ck-run: begin|stress NAME, refuse|normal NAME,
# soak PID begin, idle.
/ ck-run: begin / { s = $0; sub(/.* ck-run: [a-z]+ /, "", s); split(s, w, " ")
	owner = w[1]; check = "kernel-report"; soak = 0; next }
/ ck-run: stress / { s = $0; sub(/.* ck-run: [a-z]+ /, "", s); split(s, w, " ")
	owner = w[1]; check = "stress"; soak = 0; next }
/ ck-run: (refuse|normal) / { s = $0; sub(/.* ck-run: [a-z]+ /, "", s); split(s, w, " ")
	owner = w[1] "-errors"; check = "kernel-report"; soak = 0; next }
/ ck-run: soak [0-9]+ begin/ { s = $0; sub(/.* begin ?/, "", s); owner = "soak " s
	check = "soak"; soak = 1; next }
/ ck-run: idle$/ { owner = ""; check = "kernel-report"; soak = 0; next }
# The kmemleak test's scans print their own "suspected memory
# leaks" line: that test reports them already.
/ ck-run: kmemleak scan$/ { owner = "kmemleak"; check = "kmemleak"; soak = 0; next }
# Its first scan, before the modules, finds what is not theirs.
/ ck-run: kmemleak clear$/ { owner = "-"; soak = 0; next }
$0 ~ re {
	# A line that names a thread or a module of ours is charged
	# to that module.
	who = ""
	for (t in mod)
		if (index($0, t) || (t ~ /:$/ && index($0, "Comm: " substr(t, 1, length(t) - 1) " ")))
			who = mod[t]
	# A call trace belongs to the report it follows.
	if ($0 ~ /[Cc]all [Tt]race/) {
		if (who == "")
			who = last
	} else {
		last = who
	}
	if (who == "")
		who = owner
	if (who == "-")
		next
	if (who == "") {
		print "kernel console " $0
		next
	}
	# In the soak, a line that names none of its modules is
	# charged to them all.
	if (who ~ /^soak /) {
		n = split(substr(who, 6), w, " ")
		for (i = 1; i <= n; i++)
			print w[i] " soak " $0
		next
	}
	print who " " (soak ? "soak" : check) " " $0
}

# kframes LINE: note in kwho a module of ours whose frame LINE names.
function kframes(line,    t) {
	for (t in mod)
		if (t ~ /^\[/ && index(line, t))
			kwho = mod[t]
}
function kdone() {
	kcsan = 0
	print (kwho == "" ? "kernel listed" : kwho " data-race") " " khead
}
