# base: declare_completion
# expect: errors
# The range check lets period_ms=0 through: insmod period_ms=0 succeeds,
# where the module's own parameter description promises 1..60000. Every
# load with good values behaves.
s/^static struct bounded_uint period_ms = { 500, 1, 60000 };$/static struct bounded_uint period_ms = { 500, 0, 60000 };/
