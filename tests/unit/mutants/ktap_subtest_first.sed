# file: scripts/lib/ktap.sh
# The nested "# Subtest:" line before "KTAP version 1", the order kunit.py rejects.
/^ktap_header() {/,/^}/{
/KTAP version 1/d
s|^\t\[ -z "\${3:-}" \] .*|&\n\tprintf '%sKTAP version 1\\n' "${2:-}"|
}
