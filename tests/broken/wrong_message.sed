# base: declare_completion
# expect: log-diff
# One message differs from the expected log by one word.
s/waiter: woken: the job is done/waiter: woken: the job is finished/
