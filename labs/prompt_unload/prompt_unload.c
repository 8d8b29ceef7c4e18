// SPDX-License-Identifier: GPL-2.0
/*
 * prompt_unload.c - lab: an unload that does not wait for the end of a round
 *
 * The signaller works a job of @rounds rounds, one every @period_ms, then
 * completes @done; the waiter waits for it and reports the result. The
 * module works, but rmmod in the middle of a long round waits for the
 * round's end. Find the TODO, read labs/prompt_unload/README.md.
 *
 * Load:   insmod prompt_unload.ko rounds=5 period_ms=500
 * Unload: rmmod prompt_unload
 * Grade:  make grade LAB=prompt_unload   (from the top of the repository)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sysfs.h>

/*
 * The lesson of this module: DECLARE_COMPLETION() defines a completion and
 * initialises it at compile time, for a completion with static storage.
 */
static DECLARE_COMPLETION(done);

/**
 * struct job - the signaller's work, which the completion hands over
 * @result: the sum of the numbers of the rounds worked
 * @rounds_done: how many rounds were worked
 * @cancelled: true if the unload stopped the job before its end
 *
 * The signaller writes it before complete(&done), the waiter reads it after
 * its wait returns. Both take the completion's lock, so the waiter sees all
 * that the signaller wrote before complete().
 */
struct job {
	unsigned long result;
	unsigned int rounds_done;
	bool cancelled;
};

static struct job job;

/**
 * struct bounded_uint - an unsigned int module parameter and its range
 * @val: the value
 * @min: the smallest value accepted
 * @max: the largest value accepted
 */
struct bounded_uint {
	unsigned int val;
	unsigned int min;
	unsigned int max;
};

static struct bounded_uint rounds = { 5, 1, 1000 };
static struct bounded_uint period_ms = { 500, 1, 60000 };
static struct bounded_uint waiter_delay_ms = { 0, 0, 60000 };

static struct task_struct *waiter;
static struct task_struct *signaller;

/**
 * bounded_uint_set() - accept a new value only within its range
 * @val: the text given on the insmod command line
 * @kp: the parameter, whose ->arg points at its struct bounded_uint
 *
 * Return: 0, or -EINVAL, which makes insmod fail before init runs.
 */
static int bounded_uint_set(const char *val, const struct kernel_param *kp)
{
	struct bounded_uint *p = kp->arg;
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < p->min || n > p->max) {
		pr_err("%s=%s rejected: give a number from %u to %u\n",
		       kp->name, val, p->min, p->max);
		return -EINVAL;
	}
	p->val = n;
	return 0;
}

static int bounded_uint_get(char *buffer, const struct kernel_param *kp)
{
	const struct bounded_uint *p = kp->arg;

	return sysfs_emit(buffer, "%u\n", p->val);
}

static const struct kernel_param_ops bounded_uint_ops = {
	.set = bounded_uint_set,
	.get = bounded_uint_get,
};

module_param_cb(rounds, &bounded_uint_ops, &rounds, 0444);
MODULE_PARM_DESC(rounds, "rounds of the signaller's job (1..1000, default 5)");
module_param_cb(period_ms, &bounded_uint_ops, &period_ms, 0444);
MODULE_PARM_DESC(period_ms, "ms a round takes (1..60000, default 500)");
module_param_cb(waiter_delay_ms, &bounded_uint_ops, &waiter_delay_ms, 0444);
MODULE_PARM_DESC(waiter_delay_ms, "ms the waiter is busy before it waits (0..60000, default 0)");

/**
 * sleep_until_stopped() - sleep for @timeout jiffies, or until kthread_stop()
 * @timeout: how long, MAX_SCHEDULE_TIMEOUT for as long as it takes
 *
 * kthread_stop() sets the thread's "should stop" flag, then wakes the thread.
 * The task state is set before the flag is tested, so a wake-up that comes
 * between the test and schedule_timeout() is not lost: the thread is running
 * again and schedule_timeout() returns at once. This ends the sleep on every
 * kernel, where msleep_interruptible() sleeps on in 5.10 (see waiter_fn()).
 * An interruptible sleep is no hung task.
 *
 * A pending signal would make schedule_timeout() return at once, again and
 * again: the loop would spin. None can be pending: a kthread ignores every
 * signal (kthreadd calls ignore_signals() and its children inherit that),
 * and a signal that is ignored is dropped when it is sent, even SIGKILL.
 * The one flag that signal_pending() also sees, TIF_NOTIFY_SIGNAL, is set
 * here only by kthread_stop(), which ends the loop.
 *
 * Return: true if kthread_stop() has been called on this thread.
 */
static bool sleep_until_stopped(long timeout)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop() || !timeout)
			break;
		timeout = schedule_timeout(timeout);
	}
	__set_current_state(TASK_RUNNING);
	return kthread_should_stop();
}

/**
 * signaller_fn() - work the job, then complete @done
 * @unused: no data
 *
 * Stopped before the end of the job, the signaller cancels it and completes
 * @done all the same: the waiter must never wait for a complete() that will
 * not come. A kthread must not return before kthread_stop() is called on it
 * (kthread_stop() needs the task to be there), so after a finished job the
 * signaller sleeps until it is stopped.
 *
 * Return: 0, handed to kthread_stop().
 */
static int signaller_fn(void *unused)
{
	unsigned int round;

	pr_info("signaller: started\n");
	for (round = 1; round <= rounds.val; round++) {
		/*
		 * TODO: kthread_stop() cannot cut msleep() short: an unload
		 * in the middle of this round waits for its end, in state D.
		 * Sleep so that kthread_stop() ends the sleep at once (this
		 * file already has a sleep that does, for another use).
		 */
		msleep(period_ms.val);
		if (kthread_should_stop())
			break;
		job.result += round;
		pr_info("signaller: round %u done\n", round);
	}
	job.rounds_done = round - 1;
	job.cancelled = job.rounds_done < rounds.val;
	if (job.cancelled)
		pr_info("signaller: stopped after %u of %u rounds, completing: job cancelled\n",
			job.rounds_done, rounds.val);
	else
		pr_info("signaller: job done, result %lu, completing\n", job.result);
	complete(&done);
	sleep_until_stopped(MAX_SCHEDULE_TIMEOUT);
	pr_info("signaller: stopped\n");
	return 0;
}

/**
 * waiter_fn() - wait until the signaller completes @done, report the job
 * @unused: no data
 *
 * The wait is interruptible, so a long job is no hung task. Only a pending
 * signal could cut it short, and a kthread has none (see
 * sleep_until_stopped()). Since 6.1 (mainline; a stable kernel may have
 * been given the change) kthread_stop() sets TIF_NOTIFY_SIGNAL: no signal,
 * but signal_pending() sees it, so it ends an interruptible wait. 5.10's
 * kthread_stop() only wakes the thread, and the wait sleeps on. Exit stops
 * the waiter only once @done is complete, so neither can cut this wait.
 *
 * Return: 0, handed to kthread_stop().
 */
static int waiter_fn(void *unused)
{
	if (waiter_delay_ms.val) {
		pr_info("waiter: busy for %u ms before it waits\n", waiter_delay_ms.val);
		sleep_until_stopped(msecs_to_jiffies(waiter_delay_ms.val));
		pr_info("waiter: the completion is %s done\n",
			completion_done(&done) ? "already" : "not yet");
	}
	pr_info("waiter: waiting for the job\n");
	if (WARN_ON_ONCE(wait_for_completion_interruptible(&done)))
		wait_for_completion(&done);
	if (job.cancelled)
		pr_info("waiter: woken: the job was cancelled after %u of %u rounds\n",
			job.rounds_done, rounds.val);
	else
		pr_info("waiter: woken: the job is done, result %lu after %u rounds\n",
			job.result, job.rounds_done);
	sleep_until_stopped(MAX_SCHEDULE_TIMEOUT);
	pr_info("waiter: stopped\n");
	return 0;
}

static int __init handoff_init(void)
{
	pr_info("init: starting the signaller and the waiter: %u rounds of %u ms\n",
		rounds.val, period_ms.val);

	signaller = kthread_run(signaller_fn, NULL, "pu-signaller");
	if (IS_ERR(signaller)) {
		pr_err("init: cannot start the signaller: %pe\n", signaller);
		return PTR_ERR(signaller);
	}

	waiter = kthread_run(waiter_fn, NULL, "pu-waiter");
	if (IS_ERR(waiter)) {
		pr_err("init: cannot start the waiter: %pe\n", waiter);
		kthread_stop(signaller);
		return PTR_ERR(waiter);
	}
	return 0;
}

/*
 * Stop the signaller first: on its way out it has completed @done, the job
 * done or cancelled. Then the waiter's wait is over, or returns at once, and
 * the waiter can be stopped in turn. kthread_stop() returns what the
 * thread function returned, or -EINTR for a thread stopped before it ever
 * ran its function. Both functions here return 0, so -EINTR can only mean
 * "never ran": then exit completes @done in the signaller's place.
 */
static void __exit handoff_exit(void)
{
	pr_info("exit: stopping the signaller\n");
	if (kthread_stop(signaller) == -EINTR) {
		pr_info("exit: the signaller never ran, completing: job cancelled\n");
		job.cancelled = true;
		complete(&done);
	}
	pr_info("exit: stopping the waiter\n");
	kthread_stop(waiter);
	pr_info("exit: done\n");
}

module_init(handoff_init);
module_exit(handoff_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("completion-kthreads authors");
MODULE_DESCRIPTION("Lab: an unload that does not wait for the end of a round");
