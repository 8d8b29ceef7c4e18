# base: declare_completion
# expect: rmmod-timeout
# The seed's hang: the waiter sleeps in an uninterruptible wait_for_completion()
# and nobody calls complete(), so kthread_stop(waiter) never returns.
s/^\tcomplete(&done);$/\t\/* complete() forgotten *\//
s/wait_for_completion_interruptible(&done)/(wait_for_completion(\&done), 0)/
