/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inject.h - test-only fault injection for the completion modules.
 *
 * scripts/vm/vm-lib.sh builds a second copy of each kthread module with
 * "-include inject.h", so that the modules' own source stays free of test
 * hooks. The copy has these parameters more, each 0 (off) by default, each
 * forcing a path that the normal build reaches only by bad luck or never:
 *
 *   fail_kthread_run=N    the Nth kthread_run() fails with -ENOMEM, as when
 *                         the kernel is out of memory: init's error paths
 *   hold_kthread_run=MASK kthread_run() number N (bit N-1 of MASK) creates
 *                         its thread but does not wake it: kthread_stop()
 *                         then stops a thread that never ran its function
 *                         and returns -EINTR (kernel/kthread.c), the
 *                         "never ran" path of exit, on every kernel
 *   delay_kthread_run=N   the thread of the Nth kthread_run() is woken
 *                         500 ms late: the threads started before it run
 *                         alone first
 *   late_wake_kthread_run=N
 *                         the thread of the Nth kthread_run() is woken
 *                         only by the next kthread_run(), 500 ms after it
 *                         woke its own: the later thread runs alone first
 *   interrupt_wait_event=N
 *                         the Nth wait_event_interruptible() returns
 *                         -ERESTARTSYS at once, as a pending signal would
 *                         make it (a spurious wake-up cannot: the macro
 *                         tests its condition again)
 *   stop_before_wait_event=N
 *                         the Nth wait_event_interruptible() first waits
 *                         for kthread_stop(): the thread is stopped after
 *                         it started and before it tests the condition
 */
#ifndef CK_INJECT_H
#define CK_INJECT_H

/* The same pr_fmt as the module's own: its later #define is then no change. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/wait.h>

static unsigned int fail_kthread_run;
module_param(fail_kthread_run, uint, 0444);
MODULE_PARM_DESC(fail_kthread_run, "test only: the Nth kthread_run() fails with -ENOMEM");

static unsigned int hold_kthread_run;
module_param(hold_kthread_run, uint, 0444);
MODULE_PARM_DESC(hold_kthread_run, "test only: kthread_run() N (bit N-1) does not wake its thread");

static unsigned int delay_kthread_run;
module_param(delay_kthread_run, uint, 0444);
MODULE_PARM_DESC(delay_kthread_run, "test only: the Nth kthread_run() wakes its thread 500 ms late");

static unsigned int late_wake_kthread_run;
module_param(late_wake_kthread_run, uint, 0444);
MODULE_PARM_DESC(late_wake_kthread_run, "test only: the Nth kthread_run()'s thread is woken by the next, 500 ms late");

static unsigned int interrupt_wait_event;
module_param(interrupt_wait_event, uint, 0444);
MODULE_PARM_DESC(interrupt_wait_event, "test only: the Nth wait_event_interruptible() returns -ERESTARTSYS");


static unsigned int stop_before_wait_event;
module_param(stop_before_wait_event, uint, 0444);
MODULE_PARM_DESC(stop_before_wait_event, "test only: the Nth wait_event_interruptible() first waits for kthread_stop()");

static unsigned int kthread_run_calls;
static struct task_struct *late_task;
static atomic_t wait_event_calls __maybe_unused = ATOMIC_INIT(0);
static atomic_t wait_event_stops __maybe_unused = ATOMIC_INIT(0);

static inline bool ck_inject_nth(atomic_t *calls, unsigned int n)
{
	return atomic_inc_return(calls) == n;
}

/* The Nth call (stop_before_wait_event) sleeps until kthread_stop(). */
static void __maybe_unused ck_wait_event_start(void)
{
	if (!ck_inject_nth(&wait_event_stops, stop_before_wait_event))
		return;
	while (!kthread_should_stop())
		msleep(10);
}

/*
 * Each knob acts in ck_kthread_started(), a function of this header: the
 * call sites in the module get no branch of the test's (gcov counts the
 * module's own lines and branches, make coverage). A thread whose start
 * is to fail is created all the same, then stopped before it ever ran.
 */
static struct task_struct *ck_kthread_started(struct task_struct *k)
{
	unsigned int n = ++kthread_run_calls;

	if (IS_ERR(k))
		return k;
	if (n == fail_kthread_run) {
		kthread_stop(k);
		return ERR_PTR(-ENOMEM);
	}
	if (n == delay_kthread_run)
		msleep(500);
	if (!(hold_kthread_run & (1U << ((n - 1) & 31)))) {
		if (n == late_wake_kthread_run)
			late_task = k;
		else
			wake_up_process(k);
	}
	if (late_task && n > late_wake_kthread_run) {
		msleep(500);
		wake_up_process(late_task);
		late_task = NULL;
	}
	return k;
}

#undef kthread_run
#define kthread_run(threadfn, data, namefmt, ...)				\
	ck_kthread_started(kthread_create(threadfn, data, namefmt, ##__VA_ARGS__))

#undef wait_event_interruptible
#define wait_event_interruptible(wq_head, condition)				\
({										\
	int __ret = 0;								\
										\
	might_sleep();								\
	ck_wait_event_start();							\
	if (ck_inject_nth(&wait_event_calls, interrupt_wait_event))		\
		__ret = -ERESTARTSYS;						\
	else if (!(condition))							\
		__ret = __wait_event_interruptible(wq_head, condition);		\
	__ret;									\
})

#endif /* CK_INJECT_H */
