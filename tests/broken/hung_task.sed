# base: declare_completion
# expect: kernel-report slow-unload errors
# The signaller starts with a 6 s uninterruptible msleep(): the hung-task
# detector (hung_task_timeout_secs=2 in the VM) reports it, and in the
# cancel cycle rmmod waits for the msleep() to end, past the 1 s bound.
s/^\tpr_info("signaller: started\\n");$/&\n\tmsleep(6000);/
s/^#include <linux\/completion.h>$/&\n#include <linux\/delay.h>/
