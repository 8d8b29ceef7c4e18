# base: declare_completion
# expect: errors
# When the waiter fails to start, init returns the error but forgets to
# stop the signaller: a thread is left running without its module.
/^\t\tkthread_stop(signaller);$/d
