# base: declare_completion_onstack
# expect: errors kernel-report [taint] [debug-locks]
# kernels: debug
# The signaller's no-job path returns at once, without waiting to be
# stopped: its task is gone, and freed, when exit calls kthread_stop() on
# it, a use after free that KASAN reports. Only an interruptible wait cut
# short, as a pending signal would cut it, takes that path with a waiter
# still to come: the injection build forces one (interrupt_wait_event=1
# delay_kthread_run=2, run-tests.sh's injected_paths).
/^\t\tsleep_until_stopped(MAX_SCHEDULE_TIMEOUT);$/d
