# base: declare_completion
# expect: kernel-report
# The signaller's first round is a 6 s uninterruptible msleep(): the hung-task
# detector (hung_task_timeout_secs=2 in the VM) reports it, and rmmod waits.
s/msleep_interruptible(period_ms);/msleep(round == 1 ? 6000 : period_ms);/
