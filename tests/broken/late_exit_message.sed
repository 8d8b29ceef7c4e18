# base: declare_completion
# expect: log-order errors
# exit says "stopping the signaller" only after kthread_stop() has returned:
# exit's own lines are still in order, only the edge
# "exit: stopping the signaller < signaller: stopped" is broken.
/^\tpr_info("exit: stopping the signaller\\n");$/d
s/^\tpr_info("exit: stopping the waiter\\n");$/\tpr_info("exit: stopping the signaller\\n");\n&/
