# base: declare_completion_onstack
# expect: kernel-report
# kernels: debug
# A completion on the stack set up with plain DECLARE_COMPLETION(): its static
# initialiser gives lockdep a key that is not in static storage. Only a kernel
# with lockdep (the debug kernel) can tell; elsewhere this variant works.
s/^\tDECLARE_COMPLETION_ONSTACK(done);$/\tDECLARE_COMPLETION(done);/
