# SPDX-License-Identifier: GPL-2.0
#
# common.bash - what the unit tests share: bats-support and bats-assert,
# and where the subjects are. CK_UNIT_TOP is the tree whose scripts are
# tested (run.sh points it at a copy with a seeded defect).

common_setup() {
	load /usr/lib/bats/bats-support/load
	load /usr/lib/bats/bats-assert/load
	CK_UNIT_TOP=${CK_UNIT_TOP:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
	LOGCHECK=$CK_UNIT_TOP/scripts/guest/logcheck.awk
	CHARGER=$CK_UNIT_TOP/scripts/guest/reports.awk
}
