# base: declare_completion
# expect: log-order
# exit says "stopping the signaller" only after kthread_stop() has returned:
# each thread's own lines are still in order, only the edge
# "exit: stopping the signaller < signaller: stop requested" is broken.
/^\tpr_info("exit: stopping the signaller\\n");$/{N;s/\(.*\)\n\(.*\)/\2\n\1/}
