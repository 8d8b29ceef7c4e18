# base: declare_completion
# expect: slow-unload errors
# The signaller sleeps a round in slices of msleep(1700), and looks at
# kthread_should_stop() only between slices. rmmod during the long round
# of the "cancel" cycle waits for the slice to end: more than the 1 s
# bound, never the 2 s the hung-task detector needs, and the thread wakes
# between slices, so no task is reported. The log is as expected. Caught
# only if rmmod comes within 0.7 s of the round's start (seen: 0.1 s).
s/if (sleep_until_stopped(msecs_to_jiffies(period_ms.val)))/if (sleep_in_slices(period_ms.val))/
/^static bool sleep_until_stopped(long timeout)$/,/^}$/{
/^}$/a\
\
static bool sleep_in_slices(unsigned int ms)\
{\
	while (ms && !kthread_should_stop()) {\
		unsigned int slice = min(ms, 1700U);\
\
		msleep(slice);\
		ms -= slice;\
	}\
	return kthread_should_stop();\
}
}
s/^#include <linux\/completion.h>$/&\n#include <linux\/delay.h>/
