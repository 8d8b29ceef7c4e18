# base: declare_completion
# expect: log-diff errors
# The waiter does not wait: it reports the job at once, so what it reports
# is not what the signaller handed over: "result 0 after 0 rounds". Its
# words ("woken: the job is done") are right; only the values the hand-off
# carries give it away.
/^\tif (WARN_ON_ONCE(wait_for_completion_interruptible(&done)))$/,/^\t\twait_for_completion(&done);$/d
