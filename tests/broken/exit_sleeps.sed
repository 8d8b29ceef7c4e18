# base: declare_completion
# expect: rmmod-timeout
# The exit function first gives the threads 20 s to end on their own, in
# msleep_interruptible(): rmmod does not return within the test's
# RMMOD_TIMEOUT_S (15 s). It sleeps in state S, which the hung-task
# detector does not watch; nothing else is wrong. The test gives up on the
# module (stuck: its error tests are skipped) and the VM powers off before
# the 20 s are over.
s/^\tpr_info("exit: stopping the signaller\\n");$/\tmsleep_interruptible(20000);\n&/
s/^#include <linux\/completion.h>$/&\n#include <linux\/delay.h>/
