# file: scripts/guest/reports.awk
# A KCSAN report is charged to the window it falls in, as any report,
# whatever its stacks say: a race of the core kernel fails a module.
s/print (kwho == "" ? "kernel listed" : kwho " data-race") " " khead/print (kwho == "" ? (owner == "" ? "kernel listed" : owner " data-race") : kwho " data-race") " " khead/
