# base: declare_completion_onstack
# expect: kernel-report debug-locks
# kernels: debug
# A completion on the stack set up with plain DECLARE_COMPLETION(): its static
# initialiser gives lockdep a key that is not in static storage. Only a kernel
# with lockdep (the debug kernel) can tell; elsewhere this variant works.
# Lockdep reports it ("trying to register non-static key") and turns itself
# off (debug_locks 0).
s/^\tDECLARE_COMPLETION_ONSTACK(done);$/\tDECLARE_COMPLETION(done);/
