# base: completion_api
# expect: complete-one complete-counts complete-all reinit-waiting reinit-after-all signals stop
# kernels: 6.1
# wait_interruptible waits in wait_for_completion_killable(): its readers
# sleep in D, not S, and a stop signal no longer ends their wait. Only the
# process state in /proc tells; the reads still return "completed".
/^\tcase API_INTERRUPTIBLE:$/,/^\t\tbreak;$/s/wait_for_completion_interruptible(/wait_for_completion_killable(/
