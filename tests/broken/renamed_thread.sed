# base: declare_completion
# expect: threads errors
# The waiter runs under another name than the expected log's "threads:"
# line; the error tests look for it by that name too.
s/"dc-waiter"/"dc-waiting"/
