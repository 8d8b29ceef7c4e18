# base: declare_completion
# expect: pass
# Not broken, only slow, as in the seed: the signaller sleeps with msleep(1000),
# which kthread_stop() cannot cut short, so rmmod waits for the rest of the
# second. It must pass every check; its rmmod_ms in summary.tsv shows the cost.
s/msleep_interruptible(period_ms);/msleep(1000);/
