// SPDX-License-Identifier: GPL-2.0
/*
 * completion_initializer_onstack.c - a kthread submits a job to another and
 * waits for it through a completion that COMPLETION_INITIALIZER_ONSTACK()
 * initialises as a member of the job, in the waiter's stack frame.
 *
 * The waiter submits a job that lives in its own stack frame, with the
 * completion, as flush_work() and kthread_flush_worker() do. The signaller
 * takes the job and works @rounds rounds, one every @period_ms: each round
 * adds its number to the job's result. When the job is done, the signaller
 * completes the completion. The waiter, blocked on it, wakes up and reports
 * the result while the module is still loaded. With @waiter_delay_ms longer
 * than the job, complete() comes before the wait, which then returns at
 * once: a completion remembers.
 *
 * Unloading stops the signaller first. Stopped before the end of the job, it
 * cancels the job and completes the completion all the same. Only then is
 * the waiter stopped, so no kthread_stop() has to interrupt a wait: not
 * every kernel lets it (5.10's only wakes the thread, see waiter_fn()).
 * The waiter's frame, and so the job, lives until the completion is
 * complete, and the signaller does not touch the job after complete().
 *
 * Load:   insmod completion_initializer_onstack.ko rounds=5 period_ms=500
 * Unload: rmmod completion_initializer_onstack
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/wait.h>

/**
 * struct job - the waiter's request to the signaller, in the waiter's frame
 * @done: the completion that the signaller completes
 * @result: the sum of the numbers of the rounds worked
 * @rounds_done: how many rounds were worked
 * @cancelled: true if the unload stopped the job before its end
 *
 * The signaller writes it before complete(), the waiter reads it after its
 * wait returns. Both take the completion's lock, so the waiter sees all that
 * the signaller wrote before complete().
 */
struct job {
	struct completion done;
	unsigned long result;
	unsigned int rounds_done;
	bool cancelled;
};

/*
 * The hand-off: the waiter submits its job through @submitted and wakes the
 * signaller through @job_queue; the signaller takes the job. Once the
 * signaller is stopped without a job, it sets @closed: a waiter that comes
 * later must not wait for a job nobody will take. @submitted and @closed
 * are only changed under @handoff_lock; wait_for_job() reads @submitted
 * without it, so it is written with WRITE_ONCE() and read with READ_ONCE().
 */
static struct job *submitted;
static bool closed;
static DEFINE_SPINLOCK(handoff_lock);
static DECLARE_WAIT_QUEUE_HEAD(job_queue);

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
 * take_job() - take the submitted job; with none, close the hand-off
 *
 * Return: the job, or NULL, and then the hand-off is closed.
 */
static struct job *take_job(void)
{
	struct job *job;

	spin_lock(&handoff_lock);
	job = submitted;
	WRITE_ONCE(submitted, NULL);
	if (!job)
		closed = true;
	spin_unlock(&handoff_lock);
	return job;
}

/**
 * wait_for_job() - sleep until a job is submitted or kthread_stop() is called
 *
 * wait_event_interruptible() tests its condition again after every wake-up,
 * kthread_stop()'s included, so the wait ends on every kernel. The waiter
 * wakes @job_queue, a static object, rather than this task: the task may be
 * gone by then.
 *
 * Return: the job, or NULL if stopped first (see take_job()).
 */
static struct job *wait_for_job(void)
{
	wait_event_interruptible(job_queue,
				 READ_ONCE(submitted) || kthread_should_stop());
	return take_job();
}

/**
 * signaller_fn() - take the waiter's job, work it, then complete it
 * @unused: no data
 *
 * Stopped before the end of the job, the signaller cancels it and completes
 * it all the same: the waiter must never wait for a complete() that will not
 * come, nor leave its frame while the signaller can reach the job. After
 * complete() the job may be gone: the signaller forgets it. A kthread must
 * not return before kthread_stop() is called on it (kthread_stop() needs the
 * task to be there), so after a finished job the signaller sleeps until it
 * is stopped.
 *
 * Return: 0, handed to kthread_stop().
 */
static int signaller_fn(void *unused)
{
	struct job *job;
	unsigned int round;

	pr_info("signaller: started, waiting for a job\n");
	job = wait_for_job();
	if (!job) {
		/*
		 * Stopped, or, should that ever be possible, woken by a signal:
		 * either way the hand-off is closed. Only return once stopped.
		 */
		sleep_until_stopped(MAX_SCHEDULE_TIMEOUT);
		pr_info("signaller: stopped before a job came\n");
		return 0;
	}
	for (round = 1; round <= rounds.val; round++) {
		if (sleep_until_stopped(msecs_to_jiffies(period_ms.val)))
			break;
		job->result += round;
		pr_info("signaller: round %u done\n", round);
	}
	job->rounds_done = round - 1;
	job->cancelled = job->rounds_done < rounds.val;
	if (job->cancelled)
		pr_info("signaller: stopped after %u of %u rounds, completing: job cancelled\n",
			job->rounds_done, rounds.val);
	else
		pr_info("signaller: job done, result %lu, completing\n", job->result);
	complete(&job->done);
	job = NULL;	/* it lives in the waiter's frame, which may be gone now */
	sleep_until_stopped(MAX_SCHEDULE_TIMEOUT);
	pr_info("signaller: stopped\n");
	return 0;
}

/**
 * waiter_fn() - submit a job in this frame, wait until it is complete
 * @unused: no data
 *
 * The wait is interruptible, so a long job is no hung task. Only a pending
 * signal could cut it short, and a kthread has none (see
 * sleep_until_stopped()). Since 6.1 (mainline; a stable kernel may have
 * been given the change) kthread_stop() sets TIF_NOTIFY_SIGNAL: no signal,
 * but signal_pending() sees it, so it ends an interruptible wait. 5.10's
 * kthread_stop() only wakes the thread, and the wait sleeps on. Exit stops
 * the waiter only once the job is complete, so neither can cut this wait.
 * Should a wait ever be cut short all the same, the waiter waits on: it must
 * not leave this frame while the signaller can still reach the job.
 *
 * Return: 0, handed to kthread_stop().
 */
static int waiter_fn(void *unused)
{
	/*
	 * The lesson of this module: COMPLETION_INITIALIZER_ONSTACK()
	 * initialises a completion in a function's stack frame from within an
	 * initialiser, here the @done member of a job on the waiter's stack.
	 */
	struct job job = {
		.done = COMPLETION_INITIALIZER_ONSTACK(job.done),
	};
	bool open;

	spin_lock(&handoff_lock);
	open = !closed;
	if (open)
		WRITE_ONCE(submitted, &job);
	spin_unlock(&handoff_lock);
	if (!open) {
		pr_info("waiter: the signaller is gone, no job submitted\n");
		goto out;
	}
	wake_up(&job_queue);
	if (waiter_delay_ms.val) {
		pr_info("waiter: busy for %u ms before it waits\n", waiter_delay_ms.val);
		sleep_until_stopped(msecs_to_jiffies(waiter_delay_ms.val));
		pr_info("waiter: the completion is %s done\n",
			completion_done(&job.done) ? "already" : "not yet");
	}
	pr_info("waiter: waiting for the job\n");
	if (WARN_ON_ONCE(wait_for_completion_interruptible(&job.done)))
		wait_for_completion(&job.done);
	if (job.cancelled)
		pr_info("waiter: woken: the job was cancelled after %u of %u rounds\n",
			job.rounds_done, rounds.val);
	else
		pr_info("waiter: woken: the job is done, result %lu after %u rounds\n",
			job.result, job.rounds_done);
out:
	sleep_until_stopped(MAX_SCHEDULE_TIMEOUT);
	pr_info("waiter: stopped\n");
	return 0;
}

static int __init handoff_init(void)
{
	pr_info("init: starting the signaller and the waiter: %u rounds of %u ms\n",
		rounds.val, period_ms.val);

	signaller = kthread_run(signaller_fn, NULL, "cio-signaller");
	if (IS_ERR(signaller)) {
		pr_err("init: cannot start the signaller: %pe\n", signaller);
		return PTR_ERR(signaller);
	}

	waiter = kthread_run(waiter_fn, NULL, "cio-waiter");
	if (IS_ERR(waiter)) {
		pr_err("init: cannot start the waiter: %pe\n", waiter);
		kthread_stop(signaller);
		return PTR_ERR(waiter);
	}
	return 0;
}

/*
 * Stop the signaller first: on its way out it has completed the waiter's
 * job, done or cancelled, or closed the hand-off. Then the waiter's wait is
 * over, returns at once or never starts, and the waiter can be stopped in
 * turn. kthread_stop() returns -EINTR for a thread stopped before it ever
 * ran its function: then exit takes the job in the signaller's place.
 */
static void __exit handoff_exit(void)
{
	struct job *job;

	pr_info("exit: stopping the signaller\n");
	if (kthread_stop(signaller) == -EINTR) {
		job = take_job();
		if (job) {
			pr_info("exit: the signaller never ran, completing: job cancelled\n");
			job->cancelled = true;
			complete(&job->done);
		}
	}
	pr_info("exit: stopping the waiter\n");
	kthread_stop(waiter);
	pr_info("exit: done\n");
}

module_init(handoff_init);
module_exit(handoff_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("completion-kthreads authors");
MODULE_DESCRIPTION("A kthread waits for its job through a completion set up by COMPLETION_INITIALIZER_ONSTACK()");
