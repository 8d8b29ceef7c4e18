# base: declare_completion
# expect: slow-unload kernel-report errors
# The seed's sleep: msleep() for the whole round, which kthread_stop() cannot
# cut short, so rmmod during a long round waits for its end. The second
# cycle (the "cancel" scenario) unloads during a 10 s round; rmmod, in
# state D meanwhile, is reported as a hung task.
s/if (sleep_until_stopped(msecs_to_jiffies(period_ms.val)))/if (msleep(period_ms.val), kthread_should_stop())/
s/^#include <linux\/completion.h>$/&\n#include <linux\/delay.h>/
