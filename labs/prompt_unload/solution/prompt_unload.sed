# The solution of labs/prompt_unload: sed -f this on prompt_unload.c (make
# grade SOLUTION=1 and make check-all do). Delete this folder to hand the
# lab out without it.
/^\t*\/\*$/{N;/\n\t* \* TODO: /{:a;/\*\/$/!{N;ba};d}}
/^#include <linux\/delay.h>$/d
/^\t\tmsleep(period_ms.val);$/{N;s/.*\n\t\tif (kthread_should_stop())$/\t\tif (sleep_until_stopped(msecs_to_jiffies(period_ms.val)))/}
