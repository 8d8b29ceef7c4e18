#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# make coverage's figures (tools/coverage.py --report): a gcovr JSON report
# of a small source file, against its goals, with tests/coverage/exclusions'
# rules: a line, its branches, or one branch of it taken out, with a reason.

load common

setup() {
	common_setup
	b=$BATS_TEST_TMPDIR/build
	mkdir -p "$b/m"
	printf '%s\n' 'int f(int a)' '{' '	if (a > 0 || a < -5)' '		return refused(a);' \
		'	return wait_for(a) ? 1 : 0;' '}' >"$b/m/m.c"
	# Line 3: 4 branches, one never taken; line 4 never run; line 5: two
	# branches, the first never taken.
	cat >"$BATS_TEST_TMPDIR/report.json" <<'JSON'
{"files": [{"file": "m/m.c", "lines": [
 {"line_number": 1, "count": 3, "branches": []},
 {"line_number": 2, "count": 0, "branches": [], "gcovr/noncode": true},
 {"line_number": 3, "count": 3, "branches": [{"count": 3}, {"count": 0}, {"count": 3}, {"count": 3}]},
 {"line_number": 4, "count": 0, "branches": []},
 {"line_number": 5, "count": 3, "branches": [{"count": 0}, {"count": 3}]}
]}]}
JSON
	ex=$BATS_TEST_TMPDIR/exclusions
}

figures() {
	python3 "$CK_UNIT_TOP/tools/coverage.py" --build "$b" --report "$BATS_TEST_TMPDIR/report.json" \
		--out "$BATS_TEST_TMPDIR/out" --exclusions "$ex" -- m
}

@test "without exclusions every line and branch counts: below the goal, each miss named" {
	: >"$ex"
	run figures
	assert_failure 1
	assert_line --partial "FAIL: m: lines 3/4 (75.0 %), branches 4/6 (66.7 %)"
	assert_line --partial "m.c:4: line not run: return refused(a);"
	assert_line --partial "m.c:3: branch 1 not taken"
	assert_line --partial "m.c:5: branch 0 not taken"
	run cat "$BATS_TEST_TMPDIR/out/summary.tsv"
	assert_line --index 1 "$(printf 'm\t3\t4\t4\t6')"
}

@test "a line, a line's branches and one branch taken out: the goal is met" {
	printf '%s\t%s\t%s\t%s\n' '*' 'a > 0 || a < -5' branches 'why' '*' 'return refused(' line 'why' \
		'*' 'wait_for(a) ?' 'branch:0' 'why' >"$ex"
	run figures
	assert_success
	assert_line --partial "ok: m: lines 3/3 (100.0 %), branches 1/1 (100.0 %)"
}

@test "an exclusion that matches no line fails, as does a module not in the report" {
	printf '%s\t%s\t%s\t%s\n' '*' 'no such text' line 'why' >"$ex"
	run figures
	assert_failure 1
	assert_line --partial "'no such text' matches no line of *: stale"
	: >"$ex"
	run python3 "$CK_UNIT_TOP/tools/coverage.py" --build "$b" --report "$BATS_TEST_TMPDIR/report.json" \
		--out "$BATS_TEST_TMPDIR/out" --exclusions "$ex" -- m other
	assert_failure 1
	assert_line "FAIL: other: not in gcovr's report"
}
