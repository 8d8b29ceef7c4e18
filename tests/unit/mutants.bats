#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# make mutants' generator (tools/mutants.py) on a small module: which
# mutants it makes, that each fixture's sed script gives its mutant, that
# comments and strings are never changed, that a mutant's name survives an
# edit elsewhere, and the sample and the equivalent list.

load common

setup() {
	common_setup
	d=$BATS_TEST_TMPDIR/m
	mkdir -p "$d"
	cat >"$d/m.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>

static int limit = { 5 };

static int f(int a)
{
	/* 7 rounds, complete(&x) */
	if (a > 3 && a < limit)
		complete(&x);
	pr_info("round %u of 9\n",
		a + 1);
	a = a * 2;
	return a;
}
MODULE_LICENSE("GPL");
EOF
}

mutants() {
	python3 "$CK_UNIT_TOP/tools/mutants.py" "$@"
}

@test "each operator makes its mutants; comments, strings and MODULE_ lines stay" {
	run mutants list "$d/m.c"
	assert_success
	# delete: the four statements, the one over two lines as one.
	[ "$(echo "$output" | grep -c ':delete:')" = 4 ]
	assert_line --regexp $'^m:delete:[0-9a-f]{8}\t10\tcomplete\\(&x\\); -> \\(deleted\\)$'
	assert_line --regexp $'^m:delete:[0-9a-f]{8}\t11\tpr_info\\("round %u of 9\\\\n", / a \\+ 1\\); -> \\(deleted\\)$'
	assert_line --regexp $'\tcomplete\\(&x\\); -> complete_all\\(&x\\);$'
	assert_line --regexp $'\tstatic int limit = \\{ 5 \\}; -> static int limit = \\{ 6 \\};$'
	assert_line --regexp $'\tif \\(a > 3 && a < limit\\) -> if \\(a >= 3 && a < limit\\)$'
	assert_line --regexp $'\tif \\(a > 3 && a < limit\\) -> if \\(a > 3 \\|\\| a < limit\\)$'
	assert_line --regexp $'\tif \\(a > 3 && a < limit\\) -> if \\(!\\(a > 3 && a < limit\\)\\)$'
	assert_line --regexp $'\tif \\(a > 3 && a < limit\\) -> if \\(a < limit\\)$'
	assert_line --regexp $'\tif \\(a > 3 && a < limit\\) -> if \\(a > 3\\)$'
	assert_line --regexp $'^m:swap:.*a = a \\* 2; / return a; -> return a; / a = a \\* 2;$'
	assert_line --regexp $'\ta = a \\* 2; -> a = a / 2;$'
	refute_output --partial "7 rounds, complete_all"
	refute_output --partial "of 10"
	refute_output --partial "MODULE_LICENSE"
	refute_output --partial "linux/module"
}

@test "each fixture's sed script gives its mutant, and its diff says the same" {
	run mutants write --out "$BATS_TEST_TMPDIR/out" "$d/m.c"
	assert_success
	n=$(find "$BATS_TEST_TMPDIR/out" -name "*.sed" | wc -l)
	[ "$n" -gt 20 ]
	for s in "$BATS_TEST_TMPDIR"/out/*.sed; do
		head -n 2 "$s" | grep -qx '# base: m'
		sed -n 2p "$s" | grep -qx '# expect: any'
		sed -f "$s" "$d/m.c" >"$BATS_TEST_TMPDIR/mutant.c"
		! cmp -s "$d/m.c" "$BATS_TEST_TMPDIR/mutant.c"
		# The diff, applied to the original, gives the same file.
		cp "$d/m.c" "$BATS_TEST_TMPDIR/p.c"
		patch -s "$BATS_TEST_TMPDIR/p.c" <"${s%.sed}.diff"
		cmp "$BATS_TEST_TMPDIR/p.c" "$BATS_TEST_TMPDIR/mutant.c"
	done
}

@test "a mutant's name survives an edit elsewhere in the file" {
	run mutants list "$d/m.c"
	before=$(echo "$output" | grep 'complete_all' | cut -f1)
	sed -i '3a static int unrelated;' "$d/m.c"
	run mutants list "$d/m.c"
	after=$(echo "$output" | grep 'complete_all' | cut -f1)
	[ -n "$before" ]
	[ "$before" = "$after" ]
}

@test "LIMIT's sample is fixed and spread; the equivalent list leaves mutants out, each with its reason" {
	run mutants list --limit 4 "$d/m.c"
	assert_success
	[ "${#lines[@]}" = 4 ]
	first=$output
	run mutants list --limit 4 "$d/m.c"
	[ "$output" = "$first" ]
	all=$(mutants list "$d/m.c" | wc -l)
	name=$(mutants list "$d/m.c" | grep 'complete_all' | cut -f1)
	echo "$name pr_info and complete_all: the same here" >"$BATS_TEST_TMPDIR/eq"
	run mutants list --equivalent "$BATS_TEST_TMPDIR/eq" "$d/m.c"
	[ "${#lines[@]}" = $((all - 1)) ]
	refute_output --partial "$name"
	echo "$name" >"$BATS_TEST_TMPDIR/eq"
	run mutants list --equivalent "$BATS_TEST_TMPDIR/eq" "$d/m.c"
	assert_failure
	assert_output --partial "needs its reason"
}
