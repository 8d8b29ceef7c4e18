# base: declare_completion
# expect: threads
# The waiter runs under another name than the expected log's "threads:"
# line.
s/"dc-waiter"/"dc-waiting"/
