# base: completion_bench
# expect: report
# insmod waits for the two threads in wait_for_completion(), state D, for
# as long as the run takes: the hung-task detector reports it (after 2 s
# in the VM). The killable wait it replaces is a D state the detector
# leaves alone, since a fatal signal can end it.
s/ret = wait_for_completion_killable(&\([ab]\)->finished);/wait_for_completion(\&\1->finished), ret = 0;/
