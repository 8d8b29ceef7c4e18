# base: declare_completion
# expect: taint
# The module says it comes from drivers/staging: loading it taints the
# kernel (flag C) with a notice, not a report. Its threads and log are as
# they should be; only the taint check sees it. (The same check sees a
# WARN, flag W, or an oops, flag D, whatever the log shows.)
s/^MODULE_LICENSE("GPL");$/&\nMODULE_INFO(staging, "Y");/
