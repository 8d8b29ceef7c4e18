# file: scripts/lib/ktap.sh
# A subtest's own result line counted as a test case.
/^ktap_suite() {/,/^}/s|^\t\tprintf '%sok %s %s\\n' "\$1" "\$2" "\$3"$|&\n\t\tktap_passed=$((ktap_passed + 1))|
