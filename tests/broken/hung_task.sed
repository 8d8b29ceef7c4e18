# base: declare_completion
# expect: kernel-report stress
# The signaller starts with a 6 s uninterruptible msleep(): the hung-task
# detector (hung_task_timeout_secs=2 in the VM) reports it, and in the
# stress cycles rmmod waits for the msleep() to end.
s/^\tpr_info("signaller: started\\n");$/&\n\tmsleep(6000);/
s/^#include <linux\/completion.h>$/&\n#include <linux\/delay.h>/
