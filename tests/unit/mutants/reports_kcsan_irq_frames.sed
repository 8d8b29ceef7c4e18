# file: scripts/guest/reports.awk
# The frames below an interrupt's entry count: a race of the timer
# interrupt that cut into a module's thread is charged to the module.
s/^\t\tkirq = 1$/\t\tkirq = 0/
