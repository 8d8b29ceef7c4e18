# base: declare_completion
# expect: threads-left
# The exit function forgets to stop the waiter: the thread outlives the module.
/^\tkthread_stop(waiter);$/d
