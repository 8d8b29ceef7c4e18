# The solution of labs/hung_waiter: sed -f this on hung_waiter.c (make grade
# SOLUTION=1 and make check-all do). Delete this folder to hand the lab out
# without it.
/^\t*\/\*$/{N;/\n\t* \* TODO: /{:a;/\*\/$/!{N;ba};d}}
s/^ \* How it waits is this lab's question: see the TODO below\.$/ * The wait is interruptible, so a long job is no hung task. Only a pending\n * signal could cut it short, and a kthread has none (see\n * sleep_until_stopped()). Since 6.1 (mainline; a stable kernel may have\n * been given the change) kthread_stop() sets TIF_NOTIFY_SIGNAL: no signal,\n * but signal_pending() sees it, so it ends an interruptible wait. 5.10's\n * kthread_stop() only wakes the thread, and the wait sleeps on. Exit stops\n * the waiter only once @done is complete, so neither can cut this wait./
s/^\twait_for_completion(&done);$/\tif (WARN_ON_ONCE(wait_for_completion_interruptible(\&done)))\n\t\twait_for_completion(\&done);/
