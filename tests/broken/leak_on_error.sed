# base: declare_completion
# expect: kernel-report taint
# demo: inject fail_kthread_run=2 rounds=3 period_ms=500
# When the waiter fails to start, init returns the error but forgets to
# stop the signaller: a thread is left running without its module. When
# its round ends it runs freed code: an oops (taint D).
/^\t\tkthread_stop(signaller);$/d
