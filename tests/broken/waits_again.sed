# base: declare_completion
# expect: rmmod-timeout kernel-report
# The tutorial's real hazard: after its report the waiter loops back into
# wait_for_completion(), uninterruptible, and no second complete() comes, so
# kthread_stop(waiter) never returns and rmmod hangs, reported as a hung
# task.
s/^\tpr_info("waiter: stopped\\n");$/\twait_for_completion(\&done);\n&/
