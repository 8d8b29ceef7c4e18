// SPDX-License-Identifier: GPL-2.0
/*
 * completion_bench.c - what one hand-off through a completion costs.
 *
 * Two kthreads, pinned to two CPUs, play ping-pong: each wakes the other,
 * then sleeps until the other wakes it back. One hand-off is timed from
 * just before the signaller's call (complete(), wake_up(), ...) to the
 * moment the woken waiter runs again. The signaller first waits until the
 * waiter is really asleep, off its run queue and off its CPU (for at most
 * BENCH_ASLEEP_MS; the log counts the hand-offs that found it awake). The
 * same ping-pong runs through five mechanisms:
 *
 *   wake_up_process  the floor: a flag, then wake_up_process() on the thread
 *   completion       complete() / wait_for_completion()
 *   wait_event       wake_up() / wait_event() on a wait queue
 *   swait            swake_up_one() / swait_event_exclusive()
 *   semaphore        up() / down()
 *
 * The threads take the mechanisms in turn, BENCH_SEGMENT rounds each, in a
 * new order each cycle, so that whatever else the machine does falls on
 * every mechanism alike; a segment's first BENCH_WARMUP rounds are not
 * counted. The kernel log gets the median,
 * 99th percentile and maximum of each mechanism and its median as a ratio
 * to the floor's; debugfs has every hand-off's latency, sorted:
 *
 *   /sys/kernel/debug/completion_bench/samples   mechanism<TAB>latency_ns
 *
 * Load:   insmod completion_bench.ko [rounds=5000] (returns when done;
 *         kill -9 stops it at the next round)
 * Read:   dmesg; cat /sys/kernel/debug/completion_bench/samples
 * Unload: rmmod completion_bench
 *
 * Under QEMU's TCG the CPUs are emulated: its figures show the shape of
 * the costs, not what real hardware takes.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/semaphore.h>
#include <linux/seq_file.h>
#include <linux/sort.h>
#include <linux/swait.h>
#include <linux/wait.h>

/* task_is_running() came with 5.14's rename of task_struct's state. */
#ifndef task_is_running
#define task_is_running(t) (READ_ONCE((t)->state) == TASK_RUNNING)
#endif

#define BENCH_SEGMENT	50	/* rounds a mechanism runs before the next */
#define BENCH_WARMUP	2	/* rounds a segment runs before it counts */
#define BENCH_ASLEEP_MS	100	/* longest wait for the peer to sleep */

static unsigned int rounds = 5000;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "ping-pong rounds a mechanism, two hand-offs each (100..1000000, default 5000)");

struct bench_side;

/**
 * struct bench_mech - one way for a thread to sleep until the other wakes it
 * @name: how the log and the samples file name it
 * @signal: wake @to, which sleeps (or is about to sleep) in @wait
 * @wait: sleep until the other thread's @signal
 */
struct bench_mech {
	const char *name;
	void (*signal)(struct bench_side *to);
	void (*wait)(struct bench_side *me);
};

/**
 * struct bench_side - one of the two threads, and what it is woken through
 * @task: the thread
 * @peer: the other side
 * @leads: this side signals first in each round
 * @done: completion's hand-off
 * @wq: wait_event's hand-off
 * @swq: swait's hand-off
 * @sem: semaphore's hand-off
 * @flag: set by the signaller for the floor, wait_event and swait
 * @t0: ktime_get_ns() just before the signaller's call
 * @finished: completed when the thread has run all its rounds
 * @half: where this side's hand-offs go in each mechanism's samples
 * @cpu: the CPU the thread is bound to
 * @quit: set by the leading side, before it wakes this one, to stop
 *
 * Each side has cache lines of its own: the other's writes do not slow it.
 */
struct bench_side {
	struct task_struct *task;
	struct bench_side *peer;
	bool leads;
	struct completion done;
	wait_queue_head_t wq;
	struct swait_queue_head swq;
	struct semaphore sem;
	bool flag;
	u64 t0;
	struct completion finished;
	unsigned int half;
	unsigned int cpu;
	bool quit;
} ____cacheline_aligned_in_smp;

/*
 * The floor: the least a hand-off can do. The waiter sleeps by hand (state,
 * check, schedule()) and the signaller wakes that one task.
 */
static void floor_signal(struct bench_side *to)
{
	/* Release: the waiter that sees the flag sees @t0 too. */
	smp_store_release(&to->flag, true);
	wake_up_process(to->task);
}

static void floor_wait(struct bench_side *me)
{
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		/* Acquire: pairs with the signaller's release. */
		if (smp_load_acquire(&me->flag))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(me->flag, false);
}

static void completion_signal(struct bench_side *to)
{
	complete(&to->done);
}

static void completion_wait(struct bench_side *me)
{
	wait_for_completion(&me->done);
}

static void wq_signal(struct bench_side *to)
{
	/* Release, as floor_signal(). */
	smp_store_release(&to->flag, true);
	wake_up(&to->wq);
}

static void wq_wait(struct bench_side *me)
{
	/* Acquire, as floor_wait(). */
	wait_event(me->wq, smp_load_acquire(&me->flag));
	WRITE_ONCE(me->flag, false);
}

static void swait_signal(struct bench_side *to)
{
	/* Release, as floor_signal(). */
	smp_store_release(&to->flag, true);
	swake_up_one(&to->swq);
}

static void swait_wait(struct bench_side *me)
{
	/* Acquire, as floor_wait(). */
	swait_event_exclusive(me->swq, smp_load_acquire(&me->flag));
	WRITE_ONCE(me->flag, false);
}

/*
 * A semaphore that starts locked, count 0, is the completion's ancestor:
 * checkpatch answers sema_init(sem, 0) with "consider using a completion".
 * Here it is what a completion is compared with, so the 0 has a name.
 */
#define BENCH_SEM_LOCKED 0

static void sem_signal(struct bench_side *to)
{
	up(&to->sem);
}

static void sem_wait(struct bench_side *me)
{
	down(&me->sem);
}

/* The floor first: the log's ratios are to it. */
static const struct bench_mech bench_mechs[] = {
	{ "wake_up_process", floor_signal, floor_wait },
	{ "completion", completion_signal, completion_wait },
	{ "wait_event", wq_signal, wq_wait },
	{ "swait", swait_signal, swait_wait },
	{ "semaphore", sem_signal, sem_wait },
};

#define BENCH_MECHS ARRAY_SIZE(bench_mechs)

static struct bench_side bench_sides[2];
static bool bench_abort;		/* stop at the next round */
static bool bench_moved;		/* a thread ran off its CPU: stop */
static unsigned int bench_segments;	/* segments a mechanism */
static unsigned int bench_count;	/* samples a mechanism */
static u32 *bench_samples;		/* BENCH_MECHS * bench_count */
/*
 * Per side and mechanism: hand-offs whose waiter, the side's peer, was
 * still awake after BENCH_ASLEEP_MS.
 */
static unsigned int bench_busy[2][BENCH_MECHS];
static struct dentry *bench_dir;

/**
 * bench_asleep() - has this thread really gone to sleep?
 * @t: the thread
 *
 * A thread that has set its state and not yet called schedule(), or whose
 * schedule() has not yet switched away from it, is still awake: waking it
 * costs almost nothing. Only a thread that schedule() has taken off its
 * CPU in a sleeping state has to be woken for real, the hand-off this
 * module times. A thread preempted after it set its state is off its CPU
 * too, but still on its run queue: not asleep.
 *
 * Up to 6.11, schedule() takes a sleeping thread off its run queue at once
 * (->on_rq 0). Since 6.12, EEVDF's delayed dequeue (kernel/sched/fair.c)
 * leaves a sleeping thread that has run more than its share queued, marked
 * ->se.sched_delayed, until it is picked again or woken: it sleeps all the
 * same, and task_is_runnable() (include/linux/sched.h, 6.12) is false for
 * it, as for any thread off its run queue. The Kbuild file looks for
 * task_is_runnable() in the kernel's headers (CK_HAVE_TASK_IS_RUNNABLE).
 *
 * Return: true if @t sleeps.
 */
static bool bench_asleep(struct task_struct *t)
{
#ifdef CONFIG_SMP
	if (READ_ONCE(t->on_cpu))
		return false;
#endif
	if (task_is_running(t))
		return false;
#ifdef CK_HAVE_TASK_IS_RUNNABLE
	return !task_is_runnable(t);
#else
	return !READ_ONCE(t->on_rq);
#endif
}

/* Wake the peer through mechanism @m once it sleeps, noting when. */
static void bench_signal(struct bench_side *me, unsigned int m)
{
	struct bench_side *to = me->peer;
	u64 start = ktime_get_ns();

	while (!bench_asleep(to->task)) {
		if (ktime_get_ns() - start > BENCH_ASLEEP_MS * NSEC_PER_MSEC) {
			bench_busy[me - bench_sides][m]++;
			break;
		}
		cpu_relax();
	}
	WRITE_ONCE(to->t0, ktime_get_ns());
	bench_mechs[m].signal(to);
}

/* Sleep in mechanism @m until the peer wakes this side: the latency. */
static u32 bench_wait(struct bench_side *me, unsigned int m)
{
	s64 ns;

	bench_mechs[m].wait(me);
	ns = ktime_get_ns() - READ_ONCE(me->t0);
	/* Its CPU went offline: the thread now shares another. */
	if (raw_smp_processor_id() != me->cpu)
		WRITE_ONCE(bench_moved, true);
	return clamp_t(s64, ns, 0, U32_MAX);
}

/**
 * bench_thread() - one side's rounds of ping-pong
 * @data: its struct bench_side
 *
 * The leading side wakes its peer and sleeps, the other sleeps first and
 * then wakes its peer back. Both take the same mechanisms in the same order
 * (segment g of cycle c is mechanism (g + c) % BENCH_MECHS), so each
 * wakes the other through the mechanism the other sleeps in. Once done,
 * or told to stop by bench_abort or bench_moved (the leading side reads
 * them, and tells its peer through the hand-off itself), the thread says so
 * through its side's
 * finished and waits for kthread_stop().
 *
 * Return: 0.
 */
static int bench_thread(void *data)
{
	struct bench_side *me = data;
	unsigned int g, r;

	for (g = 0; g < bench_segments * BENCH_MECHS; g++) {
		unsigned int c = g / BENCH_MECHS, m = (g + c) % BENCH_MECHS;
		u32 *slot = bench_samples + m * bench_count + me->half + c * BENCH_SEGMENT;

		for (r = 0; r < BENCH_WARMUP + BENCH_SEGMENT; r++) {
			u32 ns;

			if (me->leads) {
				bool quit = READ_ONCE(bench_abort) || READ_ONCE(bench_moved);

				if (quit)
					WRITE_ONCE(me->peer->quit, true);
				bench_signal(me, m);
				if (quit)
					goto out;
				ns = bench_wait(me, m);
			} else {
				ns = bench_wait(me, m);
				if (READ_ONCE(me->quit))
					goto out;
				bench_signal(me, m);
			}
			if (r >= BENCH_WARMUP)
				slot[r - BENCH_WARMUP] = ns;
		}
	}
out:
	complete(&me->finished);

	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/**
 * bench_run() - the whole ping-pong, its threads on two online CPUs
 * @cpu: where the CPUs chosen go
 *
 * The CPU hotplug lock is held only while the CPUs are chosen and the
 * threads bound and woken: no CPU goes offline under a thread that is bound
 * to it and not yet running. A reader of that lock held for the whole run
 * would block any CPU's hotplug until the end of the run, and with it every
 * other cpus_read_lock() in the kernel (the lock favours a waiting writer).
 * Once running, a thread whose CPU goes offline is moved to another CPU by
 * the scheduler: the run stops then, since its figures would be void.
 *
 * Return: 0, -ENODEV without two online CPUs, -EINTR if a fatal signal
 * stopped it, -EAGAIN if a CPU went offline, or kthread_create()'s error.
 */
static int bench_run(unsigned int cpu[2])
{
	struct bench_side *a = &bench_sides[0], *b = &bench_sides[1];
	int i, ret;

	cpus_read_lock();
	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	if (cpu[1] >= nr_cpu_ids) {
		cpus_read_unlock();
		pr_err("needs two online CPUs, one for each thread\n");
		return -ENODEV;
	}
	for (i = 0; i < 2; i++) {
		struct bench_side *s = &bench_sides[i];

		init_completion(&s->done);
		init_waitqueue_head(&s->wq);
		init_swait_queue_head(&s->swq);
		sema_init(&s->sem, BENCH_SEM_LOCKED);
		init_completion(&s->finished);
		s->quit = false;
		s->peer = &bench_sides[!i];
		s->leads = i == 0;
		/* The hand-offs that woke this side: its half of the samples. */
		s->half = i * (bench_count / 2);
		s->cpu = cpu[i];
		s->task = kthread_create(bench_thread, s, "ck_bench_%c", 'a' + i);
		if (IS_ERR(s->task)) {
			ret = PTR_ERR(s->task);
			if (i)
				kthread_stop(a->task);
			cpus_read_unlock();
			return ret;
		}
		kthread_bind(s->task, cpu[i]);
	}
	WRITE_ONCE(bench_abort, false);
	WRITE_ONCE(bench_moved, false);
	wake_up_process(b->task);
	wake_up_process(a->task);
	cpus_read_unlock();

	/*
	 * Killable: the hung-task detector leaves this D state alone, since
	 * a fatal signal ends it. Then the threads are told to stop at their
	 * next round, and kthread_stop() waits for them.
	 */
	ret = wait_for_completion_killable(&a->finished);
	if (!ret)
		ret = wait_for_completion_killable(&b->finished);
	if (ret)
		WRITE_ONCE(bench_abort, true);
	kthread_stop(a->task);
	kthread_stop(b->task);
	if (ret)
		return -EINTR;
	if (READ_ONCE(bench_moved)) {
		pr_err("a CPU went offline during the run: no figures\n");
		return -EAGAIN;
	}
	return 0;
}

static int bench_cmp(const void *x, const void *y)
{
	u32 a = *(const u32 *)x, b = *(const u32 *)y;

	return a < b ? -1 : a > b;
}

/* The sorted samples of mechanism @m. */
static u32 *bench_of(unsigned int m)
{
	return bench_samples + m * bench_count;
}

/* A quantile of the sorted samples of @m: @pct percent are at or below. */
static u32 bench_quantile(unsigned int m, unsigned int pct)
{
	return bench_of(m)[min(bench_count * pct / 100, bench_count - 1)];
}

static void bench_report(const unsigned int cpu[2])
{
	unsigned int m;
	u32 floor;

	for (m = 0; m < BENCH_MECHS; m++)
		sort(bench_of(m), bench_count, sizeof(u32), bench_cmp, NULL);
	floor = bench_quantile(0, 50);
	pr_info("%u hand-offs a mechanism between CPUs %u and %u: %u rounds there and back in segments of %u, after %u warm-up rounds a segment\n",
		bench_count, cpu[0], cpu[1], bench_count / 2, BENCH_SEGMENT, BENCH_WARMUP);
	for (m = 0; m < BENCH_MECHS; m++) {
		unsigned int busy = bench_busy[0][m] + bench_busy[1][m];
		u32 med = bench_quantile(m, 50);
		/* The median over the floor's, in hundredths, rounded. */
		u64 r100 = floor ? div_u64((u64)med * 100 + floor / 2, floor) : 0;
		u32 ratio = min_t(u64, r100, U32_MAX);

		if (m)
			pr_info("%s: median %u ns, p99 %u ns, max %u ns: median %u.%02u x the floor's\n",
				bench_mechs[m].name, med, bench_quantile(m, 99),
				bench_of(m)[bench_count - 1], ratio / 100, ratio % 100);
		else
			pr_info("%s: median %u ns, p99 %u ns, max %u ns: the floor\n",
				bench_mechs[m].name, med, bench_quantile(m, 99),
				bench_of(m)[bench_count - 1]);
		if (busy)
			pr_warn("%s: %u hand-offs found their waiter still awake after %d ms\n",
				bench_mechs[m].name, busy, BENCH_ASLEEP_MS);
	}
}

/* The samples file: one line a hand-off, a mechanism's in order. */
static void *samples_start(struct seq_file *s, loff_t *pos)
{
	if (!*pos)
		seq_puts(s, "mechanism\tlatency_ns\n");
	return *pos < BENCH_MECHS * bench_count ? pos : NULL;
}

static void *samples_next(struct seq_file *s, void *v, loff_t *pos)
{
	++*pos;
	return *pos < BENCH_MECHS * bench_count ? pos : NULL;
}

static void samples_stop(struct seq_file *s, void *v)
{
}

static int samples_show(struct seq_file *s, void *v)
{
	unsigned int i = *(loff_t *)v;	/* < BENCH_MECHS * bench_count */

	seq_printf(s, "%s\t%u\n", bench_mechs[i / bench_count].name, bench_samples[i]);
	return 0;
}

static const struct seq_operations samples_sops = {
	.start = samples_start,
	.next = samples_next,
	.stop = samples_stop,
	.show = samples_show,
};
DEFINE_SEQ_ATTRIBUTE(samples);

static int __init completion_bench_init(void)
{
	unsigned int cpu[2];
	int ret;

	if (rounds < 100 || rounds > 1000000) {
		pr_err("rounds=%u rejected: give a number from 100 to 1000000\n", rounds);
		return -EINVAL;
	}
	bench_segments = DIV_ROUND_UP(rounds, BENCH_SEGMENT);
	bench_count = 2 * bench_segments * BENCH_SEGMENT;
	bench_samples = kvmalloc_array(BENCH_MECHS * bench_count, sizeof(u32), GFP_KERNEL);
	if (!bench_samples)
		return -ENOMEM;

	ret = bench_run(cpu);
	if (ret) {
		pr_err("stopped: %d\n", ret);
		kvfree(bench_samples);
		return ret;
	}
	bench_report(cpu);
	bench_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("samples", 0444, bench_dir, NULL, &samples_fops);
	return 0;
}

static void __exit completion_bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	kvfree(bench_samples);
}

module_init(completion_bench_init);
module_exit(completion_bench_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("completion-kthreads authors");
MODULE_DESCRIPTION("Times a hand-off between two kthreads through a completion and its neighbours");
