# base: declare_completion
# expect: data-race [log-order] [log-diff] [errors]
# kernels: kcsan
# The waiter polls the job's result, a plain variable that the signaller
# writes each round, in place of its wait on the completion: a data race,
# and a CPU burnt while the job lasts. Only KCSAN sees the race (check
# data-race); the log may say no more than that the waiter reported
# before the signaller said it completed (errors: in a forced path too,
# when the poll sees the cancel before the signaller has logged it).
s/^\tif (WARN_ON_ONCE(wait_for_completion_interruptible(&done)))$/\twhile (!job.cancelled \&\& job.result < rounds.val * (rounds.val + 1) \/ 2)/
s/^\t\twait_for_completion(&done);$/\t\tcpu_relax();/
