# base: prompt_unload
# expect: slow-unload kernel-report errors
# kernels: 5.10
# A wrong answer to the prompt_unload lab, the one its README warns of: the
# round sleeps in msleep_interruptible(). From 6.1 on kthread_stop() sets
# TIF_NOTIFY_SIGNAL, which ends that sleep, and the answer passes there. On
# 5.10 kthread_stop() only wakes the thread, no signal is pending, and the
# sleep goes on to the end of the round: rmmod waits for it in state D, as
# with the skeleton. make grade LAB=prompt_unload must fail it on 5.10:
#   sed -f tests/broken/prompt_unload_msleep_interruptible.sed \
#     labs/prompt_unload/prompt_unload.c >build/wrong.c
#   make grade LAB=prompt_unload ANSWER=build/wrong.c
/^\t*\/\*$/{N;/\n\t* \* TODO: /{:a;/\*\/$/!{N;ba};d}}
s/^\t\tmsleep(period_ms\.val);$/\t\tmsleep_interruptible(period_ms.val);/
