# SPDX-License-Identifier: GPL-2.0
#
# report-blocks.awk - the kernel's reports in a VM's console, each whole:
# from its first line to the end of its call trace (make grade prints them).
#
#   awk -v re=REPORTS [-v max=2] [-v lines=60] -f report-blocks.awk CONSOLE
#
# REPORTS: what a report's first line looks like (ck-lib.sh's $reports, an
# ERE); an oops's own first lines ("invalid opcode:", "kernel BUG at",
# "list_del corruption", ...) start one too, so that its registers come
# with its call trace. Only the kernel log the console holds between
# "ck-vm: dmesg begin" and "ck-vm: dmesg end" is read, or, without one,
# every line but the runner's ("# ...", skipped). A block ends after its
# call trace: at "</TASK>", "---[ end trace", or the first line that is no
# frame of it; one without a call trace after LINES lines. The first MAX
# blocks are printed, each after "console line N:", cut at LINES lines;
# then "N more report(s) from console line N" if there are more.

BEGIN { if (max == "") max = 2; if (lines == "") lines = 60
	oops = "(invalid opcode|divide error|stack segment|double fault): |kernel BUG at |list_(add|del) corruption" }
{ sub(/\r$/, "") }
/^ck-vm: dmesg begin$/ { section = 1; inside = 1; next }
/^ck-vm: dmesg end$/ { inside = 0; inblock = 0; next }
# Without a dmesg section: the kernel's lines are those not the runner's.
# A block goes on across them: they come between the kernel's lines.
!section && /^(# |ok |not ok |KTAP |1\.\.|ck-vm: |ck-run: )/ { next }
section && !inside { next }
{
	text = $0
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", text)
	if (inblock == 1) {
		# The report's own lines, up to its call trace.
		add($0)
		if (text ~ /[Cc]all [Tt]race/)
			inblock = 2
		else if (text ~ /^---\[ end trace/ || n_in >= lines)
			inblock = 0
		next
	}
	if (inblock == 2) {
		# The call trace: frames (" func+0x1/0x2", " ? ...", " <TASK>"),
		# and the registers of one from user space.
		if (text ~ /^ / || text ~ /^(RIP|RSP|RAX|RDX|RBP|R8|R10|R13|Code): /) {
			add($0)
			if (text ~ /^ *<\/TASK>$/)
				inblock = 3
			next
		}
		inblock = 3
	}
	if (inblock == 3) {
		# After the trace, its "---[ end trace ... ]---" if any.
		inblock = 0
		if (text ~ /^---\[ end trace/) {
			add($0)
			next
		}
	}
	if ($0 ~ re || text ~ oops) {
		nblocks++
		if (nblocks == max + 1)
			first_more = NR
		inblock = text ~ /[Cc]all [Tt]race/ ? 2 : 1
		n_in = 0
		start = NR
		add($0)
	}
}
END {
	if (nblocks > max)
		printf "%d more report(s) from console line %d\n", nblocks - max, first_more
}
function add(l) {
	n_in++
	if (nblocks > max)
		return
	if (n_in == 1)
		printf "console line %d:\n", start
	if (n_in <= lines)
		print l
	else if (n_in == lines + 1)
		printf "(cut at %d lines: the rest from console line %d)\n", lines, NR
}
