// SPDX-License-Identifier: GPL-2.0
/*
 * init_completion.c - two kthreads hand off through a completion that
 * init_completion() initialises at run time, before the threads start.
 *
 * The signaller works in a loop, one round every period_ms. The waiter
 * blocks on the completion until the signaller completes it, which the
 * signaller does on its way out, when the module is unloaded.
 *
 * Load:   insmod init_completion.ko period_ms=500
 * Unload: rmmod init_completion
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>

/*
 * The lesson of this module: a completion can be defined without an
 * initialiser and set up at run time with init_completion(), as one must for
 * a completion inside memory allocated at run time. handoff_init()
 * calls it before any thread can touch @done.
 */
static struct completion done;

static unsigned int period_ms = 1000;

static struct task_struct *waiter;
static struct task_struct *signaller;

/**
 * period_ms_set() - accept a new period only within 1..60000 ms
 * @val: the text given on the insmod command line
 * @kp: the parameter, whose ->arg points at period_ms
 *
 * Return: 0, or -EINVAL, which makes insmod fail before init runs.
 */
static int period_ms_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_uint_minmax(val, kp, 1, 60000);

	if (ret)
		pr_err("period_ms=%s rejected: give a number of ms from 1 to 60000\n", val);
	return ret;
}

static const struct kernel_param_ops period_ms_ops = {
	.set = period_ms_set,
	.get = param_get_uint,
};

module_param_cb(period_ms, &period_ms_ops, &period_ms, 0444);
MODULE_PARM_DESC(period_ms, "ms between two rounds of the signaller's work (1..60000, default 1000)");

/**
 * wait_for_stop() - sleep until kthread_stop() is called on this thread
 *
 * A kthread must not return before kthread_stop() is called on it:
 * kthread_stop() needs the task to still be there. Sleeping
 * interruptibly keeps the hung-task detector quiet.
 */
static void wait_for_stop(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
}

/**
 * signaller_fn() - work in rounds until stopped, then signal the waiter
 * @unused: no data
 *
 * msleep_interruptible() returns early when kthread_stop() is called, so
 * rmmod does not wait for the end of the current period.
 *
 * Return: 0, handed to kthread_stop().
 */
static int signaller_fn(void *unused)
{
	unsigned int round = 0;

	pr_info("signaller: started\n");
	while (!kthread_should_stop()) {
		pr_info("signaller: working %u\n", ++round);
		msleep_interruptible(period_ms);
	}
	pr_info("signaller: stop requested, signalling\n");
	complete(&done);
	pr_info("signaller: stopped\n");
	return 0;
}

/**
 * waiter_fn() - wait until the signaller completes @done
 * @unused: no data
 *
 * The wait is interruptible: it does not count as a hung task however long
 * it lasts, and kthread_stop() cuts it short should the waiter ever be
 * stopped before it is signalled.
 *
 * Return: 0, handed to kthread_stop().
 */
static int waiter_fn(void *unused)
{
	pr_info("waiter: started, waiting for the signaller\n");
	if (wait_for_completion_interruptible(&done))
		pr_info("waiter: stopped before the signal\n");
	else
		pr_info("waiter: woken by the signaller\n");
	wait_for_stop();
	pr_info("waiter: stopped\n");
	return 0;
}

static int __init handoff_init(void)
{
	pr_info("init: starting the waiter and the signaller, period_ms=%u\n", period_ms);

	init_completion(&done);

	waiter = kthread_run(waiter_fn, NULL, "ic-waiter");
	if (IS_ERR(waiter)) {
		pr_err("init: cannot start the waiter: %pe\n", waiter);
		return PTR_ERR(waiter);
	}

	signaller = kthread_run(signaller_fn, NULL, "ic-signaller");
	if (IS_ERR(signaller)) {
		pr_err("init: cannot start the signaller: %pe\n", signaller);
		kthread_stop(waiter);
		return PTR_ERR(signaller);
	}
	return 0;
}

/*
 * Stop the signaller first: it completes @done on its way out, so the waiter
 * is woken before it is stopped in turn.
 */
static void __exit handoff_exit(void)
{
	pr_info("exit: stopping the signaller\n");
	kthread_stop(signaller);
	pr_info("exit: stopping the waiter\n");
	kthread_stop(waiter);
	pr_info("exit: done\n");
}

module_init(handoff_init);
module_exit(handoff_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("completion-kthreads authors");
MODULE_DESCRIPTION("Two kthreads hand off through a completion set up by init_completion()");
