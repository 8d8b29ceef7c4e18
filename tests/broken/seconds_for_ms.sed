# base: declare_completion
# expect: no-wakeup
# A unit slip: the signaller sleeps period_ms seconds a round, not
# milliseconds. The "done" cycle's job (3 rounds of 50 ms) would take
# 150 s: the waiter's "woken" line is not there when the test stops
# waiting (WAIT_S, 10 s for a fixture), so the cycle fails, its log shown
# but not compared. rmmod then cancels the job at once; the error tests'
# load (1 round of 1 ms, so 1 s) wakes in time.
s/if (sleep_until_stopped(msecs_to_jiffies(period_ms.val)))/if (sleep_until_stopped(msecs_to_jiffies(period_ms.val * MSEC_PER_SEC)))/
