# base: declare_completion
# expect: stress
# When the signaller never ran, exit completes in its place but forgets to
# mark the job cancelled: the waiter reports "the job is done, result 0
# after 0 rounds". Only the stress cycles stop the signaller before it ran;
# the log is then none of the legitimate endings.
/^\t\tjob.cancelled = true;$/d
