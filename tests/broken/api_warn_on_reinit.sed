# base: completion_api
# expect: kernel-report taint
# kernels: 6.1
# A WARN_ON(1) left in the reinit path: every "echo reinit > ctl" prints a
# warning with a call trace and taints the kernel (W). The readers see
# nothing wrong; only the kernel log and /proc/sys/kernel/tainted tell.
s/^\t\treinit_completion(&api_done);$/&\n\t\tWARN_ON(1);/
