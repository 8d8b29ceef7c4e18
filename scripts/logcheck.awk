# SPDX-License-Identifier: GPL-2.0
#
# logcheck.awk - compare one module's kernel log with its expected log.
#
#   awk -v mode=canon -f logcheck.awk EXPECTED ACTUAL   canonical form of ACTUAL
#   awk -v mode=body  -f logcheck.awk EXPECTED          EXPECTED without directives
#   awk -v mode=order -f logcheck.awk EXPECTED ACTUAL   broken "order:" edges
#   awk -v mode=threads -f logcheck.awk EXPECTED        the "threads:" names
#
# -v scenario=NAME picks the lines of one scenario (default "done"): a line
# that starts with "@a,b " belongs to scenarios a and b only. -v vars="k=v ..." puts
# each value in place of "{k}" in the expected lines, so that the log must
# show exactly what the test asked for (rounds, period) and what the
# hand-off must carry (the result).
#
# ACTUAL holds the module's messages with the timestamp and the
# "<module>: " prefix already stripped, in log order. The format of EXPECTED
# is described in docs/testing.md: one block of lines per thread ("tag:"
# before the first ": "), "{n}" standing for any number, a trailing " +"
# for one or more such lines in a row, and "order: A < B" edges.
#
# "canon" replaces each actual line by the expected line it matches, groups
# the lines by thread in the order the threads first appear in EXPECTED and
# collapses runs of a " +" line, so that `diff -u body canon` is empty
# exactly when every thread said what it should, in its own order.

# Does line s match pattern p, where "{n}" in p stands for one or more digits?
function matches(s, p,    i, lit)
{
	for (;;) {
		i = index(p, "{n}")
		if (i == 0)
			return s == p
		lit = substr(p, 1, i - 1)
		if (substr(s, 1, length(lit)) != lit)
			return 0
		s = substr(s, length(lit) + 1)
		if (s !~ /^[0-9]/)
			return 0
		sub(/^[0-9]+/, "", s)
		p = substr(p, i + 3)
	}
}

function bare(p)
{
	sub(/ \+$/, "", p)
	return p
}

function tag(s)
{
	return index(s, ": ") ? substr(s, 1, index(s, ": ") - 1) : s
}

# The expected line that s matches, or "" when none does.
function expected_for(s,    i)
{
	for (i = 1; i <= npat; i++)
		if (matches(s, bare(pat[i])))
			return pat[i]
	return ""
}

# Line s with each "{k}" of vars replaced by its value.
function subst(s,    n, i, kv, k, v, at, out)
{
	n = split(vars, kv, " ")
	for (i = 1; i <= n; i++) {
		k = "{" substr(kv[i], 1, index(kv[i], "=") - 1) "}"
		v = substr(kv[i], index(kv[i], "=") + 1)
		while ((at = index(s, k)) > 0)
			s = substr(s, 1, at - 1) v substr(s, at + length(k))
	}
	# A value not given (the docs' logs are checked without any) is any number.
	out = ""
	while (match(s, /\{[a-z_]+\}/)) {
		out = out substr(s, 1, RSTART - 1) "{n}"
		s = substr(s, RSTART + RLENGTH)
	}
	return out s
}

BEGIN {
	if (scenario == "")
		scenario = "done"
}

FNR == NR {
	if ($0 ~ /^#/ || $0 ~ /^[ \t]*$/)
		next
	if ($0 ~ /^@/) {
		if (index("," substr($1, 2) ",", "," scenario ",") == 0)
			next
		sub(/^@[^ ]* /, "")
	}
	$0 = subst($0)
	if ($0 ~ /^threads:/) {
		threads = substr($0, 9)
		next
	}
	if ($0 ~ /^order:/) {
		e = substr($0, 8)
		i = index(e, " < ")
		nedge++
		before[nedge] = substr(e, 1, i - 1)
		after[nedge] = substr(e, i + 3)
		next
	}
	pat[++npat] = $0
	t = tag($0)
	if (!(t in rank)) {
		rank[t] = ++ntag
		tags[ntag] = t
	}
	next
}

{
	nact++
	act[nact] = $0
}

END {
	if (mode == "body") {
		for (i = 1; i <= npat; i++)
			print pat[i]
		exit 0
	}
	if (mode == "threads") {
		print threads
		exit 0
	}
	if (mode == "order") {
		for (e = 1; e <= nedge; e++) {
			first_b = first_a = 0
			for (i = 1; i <= nact; i++) {
				if (!first_b && matches(act[i], before[e]))
					first_b = i
				if (!first_a && matches(act[i], after[e]))
					first_a = i
			}
			if (first_b && first_a && first_b > first_a)
				printf "order broken: \"%s\" came after \"%s\"\n", before[e], after[e]
		}
		exit 0
	}
	# mode == "canon": threads unknown to EXPECTED come last, as they appear.
	for (i = 1; i <= nact; i++) {
		c = expected_for(act[i])
		canon[i] = c == "" ? act[i] : c
		t = tag(act[i])
		if (!(t in rank)) {
			rank[t] = ++ntag
			tags[ntag] = t
		}
	}
	for (k = 1; k <= ntag; k++) {
		prev = ""
		for (i = 1; i <= nact; i++) {
			if (tag(act[i]) != tags[k])
				continue
			if (canon[i] == prev && canon[i] ~ / \+$/)
				continue
			print canon[i]
			prev = canon[i]
		}
	}
}
