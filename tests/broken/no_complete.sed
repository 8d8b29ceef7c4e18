# base: declare_completion
# expect: no-wakeup
# complete() forgotten: the waiter never wakes while the module is loaded.
# (At rmmod, 6.1's kthread_stop() cuts the interruptible wait short, which
# the waiter takes for a bug; 5.10's never returns.)
s/^\tcomplete(&done);$/\t\/* complete() forgotten *\//
