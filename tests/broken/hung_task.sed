# base: declare_completion
# expect: kernel-report
# The signaller starts with a 6 s uninterruptible msleep(): the hung-task
# detector (hung_task_timeout_secs=2 in the VM) reports it.
s/^\tpr_info("signaller: started\\n");$/&\n\tmsleep(6000);/
s/^#include <linux\/completion.h>$/&\n#include <linux\/delay.h>/
