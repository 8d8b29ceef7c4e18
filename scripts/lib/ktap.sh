# SPDX-License-Identifier: GPL-2.0
#
# ktap.sh - the KTAP that make check, check-harness, check-all and lint
# print (Documentation/dev-tools/ktap.rst), and their closing count line.
# POSIX sh, sourced. A nested test is indented by four spaces and begins
# with "KTAP version 1", then "# Subtest: NAME", then its plan: the order
# the kernel's parser (tools/testing/kunit/kunit.py) reads.
#
# The counts are of test cases (the leaves), as kunit.py counts them: a
# subtest's own result line is not counted. They are in ktap_passed,
# ktap_failed and ktap_skipped.

ktap_passed=0
ktap_failed=0
ktap_skipped=0

# ktap_header PLAN [INDENT NAME]: the header of the whole run, or with
# INDENT (spaces) and NAME that of a subtest, with its plan 1..PLAN.
ktap_header() {
	printf '%sKTAP version 1\n' "${2:-}"
	[ -z "${3:-}" ] || printf '%s# Subtest: %s\n' "$2" "$3"
	printf '%s1..%s\n' "${2:-}" "$1"
}

# ktap_case INDENT NUM NAME pass|fail|skip [REASON]: the result line of a
# test case (a skip with its REASON), counted.
ktap_case() {
	case $4 in
	pass)
		printf '%sok %s %s\n' "$1" "$2" "$3"
		ktap_passed=$((ktap_passed + 1))
		;;
	skip)
		printf '%sok %s %s # SKIP %s\n' "$1" "$2" "$3" "${5:-}"
		ktap_skipped=$((ktap_skipped + 1))
		;;
	*)
		printf '%snot ok %s %s\n' "$1" "$2" "$3"
		ktap_failed=$((ktap_failed + 1))
		;;
	esac
}

# ktap_suite INDENT NUM NAME FAILED: the result line of a subtest, whose
# cases are counted already: "not ok" if FAILED is not 0.
ktap_suite() {
	if [ "$4" = 0 ]; then
		printf '%sok %s %s\n' "$1" "$2" "$3"
	else
		printf '%snot ok %s %s\n' "$1" "$2" "$3"
	fi
}

# ktap_summary: the closing line, "N passed, N failed" (and ", N skipped"
# if any were); status 1 if any case failed.
ktap_summary() {
	if [ "$ktap_skipped" -gt 0 ]; then
		echo "$ktap_passed passed, $ktap_failed failed, $ktap_skipped skipped"
	else
		echo "$ktap_passed passed, $ktap_failed failed"
	fi
	[ "$ktap_failed" = 0 ]
}
