# base: declare_completion
# expect: stress
# not-kernels: 6.1-rt
# When the signaller never ran, exit completes in its place but forgets to
# mark the job cancelled: the waiter reports "the job is done, result 0
# after 0 rounds". Only the stress cycles stop the signaller before it ran;
# the log is then none of the legitimate endings.
# Not on PREEMPT_RT: there the runner cannot keep the signaller from
# running before rmmod (its stress cycles end in stress:both and
# stress:signaller only), so this path is not reached.
/^\t\tjob.cancelled = true;$/d
