# The solution of labs/onstack_job: sed -f this on onstack_job.c (make grade
# SOLUTION=1 and make check-all do). Delete this folder to hand the lab out
# without it.
s/^\t \* TODO: DECLARE_COMPLETION() is for a completion in static storage\.$/\t * The lesson of this module: DECLARE_COMPLETION_ONSTACK() defines and\n\t * initialises a completion in a function's stack frame, here the\n\t * waiter's. The job that carries it to the signaller is on the stack\n\t * too./
/^\t \* This one is in the waiter's stack frame: lockdep needs to know$/d
/^\t \* (Documentation\/scheduler\/completion.rst, "on-stack")\.$/d
s/^\tDECLARE_COMPLETION(done);$/\tDECLARE_COMPLETION_ONSTACK(done);/
