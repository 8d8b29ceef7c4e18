# base: declare_completion
# expect: threads-left log-diff errors
# The exit function forgets to stop the waiter: the thread outlives the
# module. Its log lacks "waiter: stopped", and the error tests, which look
# for threads by name, find it still there.
/^\tkthread_stop(waiter);$/d
