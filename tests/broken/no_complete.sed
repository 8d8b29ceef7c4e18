# base: declare_completion
# expect: log-diff
# complete() forgotten, but the wait is interruptible: no hang, yet the waiter
# reports that it was stopped before the signal.
s/^\tcomplete(&done);$/\t\/* complete() forgotten *\//
