# SPDX-License-Identifier: GPL-2.0
#
# logcheck.awk - compare one module's kernel log with its expected log.
#
#   awk -v mode=canon -f logcheck.awk EXPECTED ACTUAL   canonical form of ACTUAL
#   awk -v mode=body  -f logcheck.awk EXPECTED          EXPECTED without directives
#   awk -v mode=order -f logcheck.awk EXPECTED ACTUAL   broken "order:" edges
#   awk -v mode=threads -f logcheck.awk EXPECTED        the "threads:" names
#   awk -v mode=endings -v scenario=F -f logcheck.awk EXPECTED
#                                       the endings "F:NAME" of family F
#                                       (its "endings:" line)
#   awk -v mode=match -v scenario=F -f logcheck.awk EXPECTED ACTUAL
#                                       the ending of family F that ACTUAL
#                                       is, edges included; none: nothing
#
# -v scenario=NAME picks the lines of one scenario (default "done"): a line
# that starts with "@a,b " belongs to scenarios a and b only; "@a*" to every
# scenario whose name starts with "a". An ending ("stress:both", a name with
# a colon: one legitimate log of a racy case) takes only the lines written
# for it, none of the unprefixed ones. -v vars="k=v ..." puts
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

# Does the "@" list l (without its "@") name scenario s?
function names(l, s,    n, i, w)
{
	n = split(l, w, ",")
	for (i = 1; i <= n; i++)
		if (w[i] == s || (w[i] ~ /\*$/ && index(s, substr(w[i], 1, length(w[i]) - 1)) == 1))
			return 1
	return 0
}

BEGIN {
	if (scenario == "")
		scenario = "done"
}

# The expected file, kept whole: load() picks a scenario's lines from it.
FNR == NR {
	if ($0 ~ /^#/ || $0 ~ /^[ \t]*$/)
		next
	raw[++nraw] = $0
	next
}

{
	nact++
	act[nact] = $0
}

# Load the lines, edges and thread order of scenario sc (or an ending).
function load(sc,    i, l, e, t, w)
{
	npat = nedge = ntag = 0
	split("", rank)
	threads = ""
	for (i = 1; i <= nraw; i++) {
		l = raw[i]
		if (l ~ /^endings:/)
			continue
		if (l ~ /^@/) {
			split(l, w, " ")
			if (!names(substr(w[1], 2), sc))
				continue
			sub(/^@[^ ]* /, "", l)
		} else if (index(sc, ":") && l !~ /^threads:/) {
			continue
		}
		l = subst(l)
		if (l ~ /^threads:/) {
			threads = substr(l, 9)
			sub(/^ +/, "", threads)
			continue
		}
		if (l ~ /^order:/) {
			e = substr(l, 8)
			nedge++
			before[nedge] = substr(e, 1, index(e, " < ") - 1)
			after[nedge] = substr(e, index(e, " < ") + 3)
			continue
		}
		pat[++npat] = l
		t = tag(l)
		if (!(t in rank)) {
			rank[t] = ++ntag
			tags[ntag] = t
		}
	}
}

# The expected lines of the loaded scenario, one per line.
function body(    i, out)
{
	out = ""
	for (i = 1; i <= npat; i++)
		out = out pat[i] "\n"
	return out
}

# The broken "order:" edges of the loaded scenario in the actual log.
function broken_edges(    e, i, first_b, first_a, out)
{
	out = ""
	for (e = 1; e <= nedge; e++) {
		first_b = first_a = 0
		for (i = 1; i <= nact; i++) {
			if (!first_b && matches(act[i], before[e]))
				first_b = i
			if (!first_a && matches(act[i], after[e]))
				first_a = i
		}
		if (first_b && first_a && first_b > first_a)
			out = out sprintf("order broken: \"%s\" came after \"%s\"\n", before[e], after[e])
	}
	return out
}

# The actual log in canonical form (see the top): threads unknown to the
# expected file come last, as they appear.
function canon(    i, k, c, t, prev, out, cl)
{
	for (i = 1; i <= nact; i++) {
		c = expected_for(act[i])
		cl[i] = c == "" ? act[i] : c
		t = tag(act[i])
		if (!(t in rank)) {
			rank[t] = ++ntag
			tags[ntag] = t
		}
	}
	out = ""
	for (k = 1; k <= ntag; k++) {
		prev = ""
		for (i = 1; i <= nact; i++) {
			if (tag(act[i]) != tags[k])
				continue
			if (cl[i] == prev && cl[i] ~ / \+$/)
				continue
			out = out cl[i] "\n"
			prev = cl[i]
		}
	}
	return out
}

END {
	if (mode == "endings") {
		for (i = 1; i <= nraw; i++)
			if (raw[i] ~ /^endings:/) {
				n = split(raw[i], w, " ")
				for (j = 2; j <= n; j++)
					if (index(w[j], scenario ":") == 1)
						print w[j]
			}
		exit 0
	}
	if (mode == "match") {
		# The first ending of family "scenario" that the log is.
		for (i = 1; i <= nraw; i++)
			if (raw[i] ~ /^endings:/) {
				n = split(raw[i], w, " ")
				for (j = 2; j <= n; j++) {
					if (index(w[j], scenario ":") != 1)
						continue
					load(w[j])
					if (body() == canon() && broken_edges() == "") {
						print w[j]
						exit 0
					}
				}
			}
		exit 0
	}
	load(scenario)
	if (mode == "body")
		printf "%s", body()
	else if (mode == "threads")
		print threads
	else if (mode == "order")
		printf "%s", broken_edges()
	else
		printf "%s", canon()
}
