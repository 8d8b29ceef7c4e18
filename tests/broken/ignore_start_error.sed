# base: declare_completion
# expect: errors kernel-report taint
# demo: inject fail_kthread_run=2
# The seed's error handling: a thread that fails to start is only reported,
# init returns 0 and exit later calls kthread_stop() on the error pointer:
# an oops (taint D).
/^\t\tkthread_stop(signaller);$/d
s/^\t\treturn PTR_ERR(waiter);$/\t\treturn 0;/
