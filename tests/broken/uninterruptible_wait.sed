# base: declare_completion
# expect: soak
# demo: rounds=5 period_ms=2000
# The seed's wait: wait_for_completion(), uninterruptible. The job of the
# short cycles ends long before the hung-task detector looks, so of the
# tests only the soak, with its 60 s rounds, holds the waiter in state D
# long enough to be reported ("INFO: task dc-waiter:... blocked for more
# than 2 seconds"). make demo's show does too, with 2 s rounds.
/^\tif (WARN_ON_ONCE(wait_for_completion_interruptible(&done)))$/d
