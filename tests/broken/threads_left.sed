# base: declare_completion
# expect: threads-left errors [kernel-report] [taint]
# The exit function logs the waiter's "waiter: stopped" line in its place
# and never stops it: the log is exactly the expected one, but the thread
# outlives the module (asleep for good, in freed code). Only the check that
# reads /proc for the threads' names catches it: a test must rest on what
# the kernel shows, not on what the module says.
s/^\tkthread_stop(waiter);$/\tpr_info("waiter: stopped\\n");/
