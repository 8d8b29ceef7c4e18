# file: scripts/lib/report-blocks.awk
# A report ends at its "Call Trace:" line: the frames are not shown.
s/^\t\t\tinblock = 2$/\t\t\tinblock = 0/
