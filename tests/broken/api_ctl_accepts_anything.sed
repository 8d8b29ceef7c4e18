# base: completion_api
# expect: ctl
# kernels: 6.1
# An unknown command to ctl is logged but not refused: the writer gets no
# error, and cannot tell that nothing happened.
/^\t\tpr_warn_ratelimited("ctl: unknown command/,/^\t\treturn -EINVAL;$/s/return -EINVAL;/return len;/
