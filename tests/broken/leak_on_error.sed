# base: declare_completion
# expect: errors
# When the signaller fails to start, init returns the error but forgets to
# stop the waiter: a thread is left running without its module.
/^\t\tkthread_stop(waiter);$/d
