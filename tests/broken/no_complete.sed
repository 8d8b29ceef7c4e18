# base: declare_completion
# expect: no-wakeup rmmod-timeout kernel-report [taint]
# complete() forgotten: the waiter never wakes while the module is loaded.
# At rmmod, 6.1's kthread_stop() cuts the interruptible wait short, which
# the waiter takes for a bug (WARN_ON_ONCE, taint W) before it waits on,
# uninterruptibly; 5.10's does not. Either way rmmod hangs, and the
# hung-task detector reports it.
s/^\tcomplete(&done);$/\t\/* complete() forgotten *\//
