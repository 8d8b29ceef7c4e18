#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lesson-diff.sh A B - `make diff A=... B=...`: the lines of code in which
# module A's source differs from module B's, beyond the names: the hunks of
# diff -U0 that still differ once comments, MODULE_DESCRIPTION and each
# module's own name and thread prefix ("dc-") are set aside. For the three
# static set-ups, the lesson: the definition and its set-up.
#
#   tools/lesson-diff.sh declare_completion init_completion
#
# Exit status 0 (differences or not), 2 if a module is unknown.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/config.sh
. "$top/scripts/lib/config.sh"
[ $# = 2 ] || die "usage: make diff A=MODULE B=MODULE (modules: $CK_MODULES)"
for m in "$1" "$2"; do
	ck_known_module "$m" || die "unknown module $m (modules: $CK_MODULES)"
done
# prefix MODULE: its threads' prefix, "dc" of "dc-signaller".
prefix() {
	sed -n 's/.*"\([a-z]*\)-signaller".*/\1/p' "$top/$1/$1.c" | head -n 1
}
a=$1/$1.c
b=$2/$2.c
echo "# make diff: $a -> $b, the lines of code that differ beyond names and comments"
cd "$top"
# (diff's status 1, "they differ", is what is expected.)
{ diff -U0 --label "$a" --label "$b" "$a" "$b" || [ $? = 1 ]; } | awk -v na="$1" -v nb="$2" -v pa="$(prefix "$1")-" -v pb="$(prefix "$2")-" '
	# norm LINE: LINE with the module names and prefixes made one, or ""
	# for a comment or a module description.
	function norm(l) {
		if (l ~ /^[ \t]*(\/?\*|\/\/)/ || l ~ /\*\/[ \t]*$/ || l ~ /MODULE_DESCRIPTION/)
			return ""
		gsub(na, "MODULE", l); gsub(nb, "MODULE", l)
		gsub(pa, "P-", l); gsub(pb, "P-", l)
		return l
	}
	function flush(   i, keep) {
		if (h == "") return
		keep = (old != new)
		if (keep) { print h; for (i = 1; i <= n; i++) print body[i] }
		h = ""; n = 0; old = ""; new = ""
	}
	/^(---|\+\+\+) / { print; next }
	/^@@/ { flush(); h = $0; next }
	{
		body[++n] = $0
		l = norm(substr($0, 2))
		if (l == "") next
		if (substr($0, 1, 1) == "-") old = old "\n" l; else new = new "\n" l
	}
	END { flush() }'
