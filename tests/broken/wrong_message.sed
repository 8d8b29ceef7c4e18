# base: declare_completion
# expect: log-diff
# One message differs from the expected log by one word.
s/waiter: woken by the signaller/waiter: woken up by the signaller/
