# The solution of labs/hung_waiter: sed -f this on hung_waiter.c (make grade
# SOLUTION=1 and make check-all do). Delete this folder to hand the lab out
# without it.
/^\t*\/\*$/{N;/\n\t* \* TODO: /{:a;/\*\/$/!{N;ba};d}}
s/^ \* How it waits is this lab's question: see the TODO below\.$/ * The wait is interruptible, so a long job is no hung task. Only a signal\n * could cut it short: a kthread takes none but the one that kthread_stop()\n * sends since 6.1, and exit stops the waiter only once @done is complete./
s/^\twait_for_completion(&done);$/\tif (WARN_ON_ONCE(wait_for_completion_interruptible(\&done)))\n\t\twait_for_completion(\&done);/
