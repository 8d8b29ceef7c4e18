# base: completion_bench
# expect: kill
# A fatal signal ends insmod's wait, but nobody tells the threads: they run
# all their rounds, seconds of them, while insmod waits in kthread_stop()
# and the killed process lingers.
s/WRITE_ONCE(bench_abort, true);/pr_debug("killed: the threads run on\\n");/
