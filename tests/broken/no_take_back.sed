# base: declare_completion_onstack
# expect: stress [taint]
# not-kernels: 6.1-rt
# exit ignores kthread_stop()'s -EINTR: when the signaller is stopped before
# it ever ran, nobody completes the job the waiter submitted, and rmmod hangs
# in kthread_stop(waiter) (hung-task reports follow). Only the stress cycles
# stop the signaller before it ran. Since 6.1 kthread_stop() also interrupts
# the waiter's wait, whose WARN_ON_ONCE() taints the kernel (W); 5.10's
# does not.
# Not on PREEMPT_RT: there the runner cannot keep the signaller from
# running before rmmod (its stress cycles end in stress:both and
# stress:signaller only), so this path is not reached.
s/^\tif (kthread_stop(signaller) == -EINTR) {$/\tkthread_stop(signaller);\n\tif (false) {/
