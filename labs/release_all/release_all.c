// SPDX-License-Identifier: GPL-2.0
/*
 * release_all.c - lab: release every waiter at once
 *
 * Processes wait in the completion by reading the wait files; writing
 * "complete" to ctl releases one of them. "complete_all" must release them
 * all, and every wait after it must return at once until "reinit". Find
 * the TODO, read labs/release_all/README.md.
 *
 * The files are completion_api's (docs/completion_api.md), in
 * /sys/kernel/debug/release_all/.
 *
 * Load:   insmod release_all.ko
 * Grade:  make grade LAB=release_all   (from the top of the repository)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>

/* The one completion every file works on. */
static DECLARE_COMPLETION(api_done);

/**
 * enum api_call - the call a file's reader waits in
 * @API_WAIT: wait_for_completion(), uninterruptible
 * @API_INTERRUPTIBLE: wait_for_completion_interruptible(), any signal ends it
 * @API_KILLABLE: wait_for_completion_killable(), only a fatal signal ends it
 * @API_TIMEOUT: wait_for_completion_timeout(), uninterruptible, @timeout_ms
 * @API_TRY: try_wait_for_completion(), takes a complete() if there is one
 */
enum api_call {
	API_WAIT,
	API_INTERRUPTIBLE,
	API_KILLABLE,
	API_TIMEOUT,
	API_TRY,
};

/**
 * struct api_file - one file of the folder and the call its reader makes
 * @name: the file's name
 * @call: the call, as the kernel log and the state file name it
 * @how: which call
 */
struct api_file {
	const char *name;
	const char *call;
	enum api_call how;
};

static const struct api_file api_files[] = {
	{ "wait", "wait_for_completion", API_WAIT },
	{ "wait_interruptible", "wait_for_completion_interruptible", API_INTERRUPTIBLE },
	{ "wait_killable", "wait_for_completion_killable", API_KILLABLE },
	{ "wait_timeout", "wait_for_completion_timeout", API_TIMEOUT },
	{ "try_wait", "try_wait_for_completion", API_TRY },
};

/**
 * struct api_waiter - the module's record of one reader in a wait
 * @node: in @api_waiters
 * @file: the file it reads
 * @pid: its process ID
 * @comm: its command name
 * @since: jiffies when it started to wait
 *
 * It lives on the reader's own kernel stack: the reader takes it off the
 * list before its read() returns, whatever ended the wait.
 */
struct api_waiter {
	struct list_head node;
	const struct api_file *file;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	unsigned long since;
};

static LIST_HEAD(api_waiters);
static DEFINE_SPINLOCK(api_waiters_lock);

/*
 * ctl's writers, one at a time: reinit_completion() only sets the count to
 * zero, without the completion's lock, so it must not race with complete().
 * The mutex does not make reinit safe for the waiters: one that
 * complete_all() has woken, but that has not run yet, finds the count at
 * zero again when it does, and goes back to sleep. reinit_completion() is
 * for a completion that nobody waits on any more (docs/completion_api.md
 * shows what happens otherwise).
 */
static DEFINE_MUTEX(api_ctl_lock);
static unsigned long api_completes, api_complete_alls, api_reinits;

static struct dentry *api_dir;

static unsigned int timeout_ms = 1000;

static int timeout_ms_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < 1 || n > 60000) {
		pr_err("timeout_ms=%s rejected: give a number from 1 to 60000\n", val);
		return -EINVAL;
	}
	WRITE_ONCE(timeout_ms, n);
	return 0;
}

static const struct kernel_param_ops timeout_ms_ops = {
	.set = timeout_ms_set,
	.get = param_get_uint,
};

module_param_cb(timeout_ms, &timeout_ms_ops, &timeout_ms, 0644);
MODULE_PARM_DESC(timeout_ms, "how long a reader of wait_timeout waits (1..60000 ms, default 1000)");

static void waiter_add(struct api_waiter *w, const struct api_file *f)
{
	w->file = f;
	w->pid = task_pid_nr(current);
	get_task_comm(w->comm, current);
	w->since = jiffies;
	spin_lock(&api_waiters_lock);
	list_add_tail(&w->node, &api_waiters);
	spin_unlock(&api_waiters_lock);
	pr_info("pid %d (%s) waits in %s()\n", w->pid, w->comm, f->call);
}

static void waiter_del(struct api_waiter *w)
{
	spin_lock(&api_waiters_lock);
	list_del(&w->node);
	spin_unlock(&api_waiters_lock);
}

/**
 * api_wait_read() - wait in the file's call, then say how the wait ended
 * @file: the open file; ->private_data is its struct api_file
 * @buf: the reader's buffer
 * @len: its size
 * @ppos: the position: one wait at position 0, end of file after it
 *
 * The wait holds no lock: a reader may sleep here for as long as it likes.
 *
 * Return: the bytes of the line read, 0 at end of file or for a read of 0
 * bytes, -EFAULT for a buffer the reader cannot write, or -ERESTARTSYS
 * when a signal ended the wait. The reader never sees -ERESTARTSYS: it
 * dies of the signal, or its handler runs and read() fails with EINTR, or
 * (a stop, or a handler with SA_RESTART) the kernel restarts the read().
 */
static ssize_t api_wait_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	const struct api_file *f = file->private_data;
	struct api_waiter w;
	bool timed_out = false;
	char line[64];
	long ret = 0;
	int n;

	if (*ppos)
		return 0;
	/*
	 * A wait takes a complete(), and so does try_wait_for_completion():
	 * only for a reader that can be given the line. A read of 0 bytes ends
	 * here, and a buffer the reader cannot write gets -EFAULT before any
	 * wait: its first byte is written now (the line overwrites it).
	 */
	if (!len)
		return 0;
	if (put_user('\0', buf))
		return -EFAULT;

	if (f->how == API_TRY) {
		n = scnprintf(line, sizeof(line), "%s\n",
			      try_wait_for_completion(&api_done) ? "yes" : "no");
		return simple_read_from_buffer(buf, len, ppos, line, n);
	}

	waiter_add(&w, f);
	switch (f->how) {
	case API_WAIT:
		wait_for_completion(&api_done);
		break;
	case API_INTERRUPTIBLE:
		ret = wait_for_completion_interruptible(&api_done);
		break;
	case API_KILLABLE:
		ret = wait_for_completion_killable(&api_done);
		break;
	default:
		/* 0 when the time ran out, else the jiffies left (at least 1). */
		timed_out = !wait_for_completion_timeout(&api_done,
							 msecs_to_jiffies(READ_ONCE(timeout_ms)));
		break;
	}
	waiter_del(&w);

	if (ret) {
		pr_info("pid %d (%s): %s() returned %ld (-ERESTARTSYS): a signal ended the wait\n",
			w.pid, w.comm, f->call, ret);
		return ret;
	}
	if (timed_out)
		n = scnprintf(line, sizeof(line), "timed out after %u ms\n",
			      jiffies_to_msecs(jiffies - w.since));
	else
		n = scnprintf(line, sizeof(line), "completed\n");
	pr_info("pid %d (%s): %s() returned: %s", w.pid, w.comm, f->call, line);
	return simple_read_from_buffer(buf, len, ppos, line, n);
}

/*
 * .owner: debugfs takes a reference on the module when a file is opened and
 * drops it when the file is closed. Without it rmmod would go ahead with a
 * file open, and the close would then call through these file_operations,
 * freed with the module (debugfs reads ->release at close even after the
 * file's removal): a use after free, not only a refused rmmod.
 */
static const struct file_operations api_wait_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = api_wait_read,
};

/**
 * api_ctl_write() - complete, complete_all or reinit, as the writer says
 * @file: the open file
 * @ubuf: the writer's bytes: one command, a trailing newline allowed
 * @len: how many
 * @ppos: unused: each write() is one command
 *
 * Return: @len, or -EINVAL (with a line in the kernel log) for anything
 * but one of the three commands, -EFAULT for a bad buffer.
 */
static ssize_t api_ctl_write(struct file *file, const char __user *ubuf, size_t len,
			     loff_t *ppos)
{
	char cmd[16];

	if (!len || len >= sizeof(cmd)) {
		pr_warn_ratelimited("ctl: a write of %zu bytes is no command: write complete, complete_all or reinit\n",
				    len);
		return -EINVAL;
	}
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	if (strlen(cmd) != len) {
		pr_warn_ratelimited("ctl: a command holds no NUL byte: write complete, complete_all or reinit\n");
		return -EINVAL;
	}

	mutex_lock(&api_ctl_lock);
	if (sysfs_streq(cmd, "complete")) {
		complete(&api_done);
		api_completes++;
	} else if (sysfs_streq(cmd, "complete_all")) {
		/*
		 * TODO: this releases one waiter, as "complete" does. Release
		 * every waiter, now and until "reinit" (completion.rst).
		 */
		complete(&api_done);
		api_complete_alls++;
	} else if (sysfs_streq(cmd, "reinit")) {
		reinit_completion(&api_done);
		api_reinits++;
	} else {
		mutex_unlock(&api_ctl_lock);
		pr_warn_ratelimited("ctl: unknown command \"%*pE\": write complete, complete_all or reinit\n",
				    (int)len, cmd);
		return -EINVAL;
	}
	mutex_unlock(&api_ctl_lock);
	pr_info_ratelimited("ctl: %s by pid %d (%s)\n", strim(cmd), task_pid_nr(current),
			    current->comm);
	return len;
}

static const struct file_operations api_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = api_ctl_write,
};

/**
 * state_show() - the completion's count, its waiters, what ctl has done
 * @m: the seq_file
 * @unused: no data
 *
 * The count is the completion's own field, read without its lock: a
 * snapshot. complete() adds one, a wait that returns takes one, and
 * complete_all() sets it to UINT_MAX, which no wait takes from.
 *
 * Return: 0.
 */
static int state_show(struct seq_file *m, void *unused)
{
	unsigned int done = READ_ONCE(api_done.done);
	struct api_waiter *w;

	if (done == UINT_MAX)
		seq_puts(m, "done: all (complete_all)\n");
	else
		seq_printf(m, "done: %u\n", done);

	spin_lock(&api_waiters_lock);
	list_for_each_entry(w, &api_waiters, node)
		seq_printf(m, "waiter: pid %d (%s) in %s() for %u ms\n", w->pid, w->comm,
			   w->file->call, jiffies_to_msecs(jiffies - w->since));
	spin_unlock(&api_waiters_lock);

	mutex_lock(&api_ctl_lock);
	seq_printf(m, "ctl: complete %lu, complete_all %lu, reinit %lu\n",
		   api_completes, api_complete_alls, api_reinits);
	mutex_unlock(&api_ctl_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

static int __init api_init(void)
{
	size_t i;

	api_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(api_dir)) {
		pr_err("init: no debugfs folder (%pe): is debugfs on (CONFIG_DEBUG_FS, debugfs= on the command line)?\n",
		       api_dir);
		return PTR_ERR(api_dir);
	}
	/*
	 * debugfs_create_file() can fail on its own (out of memory, a name
	 * taken), but the debugfs API asks its callers not to check: debugfs
	 * is a debugging aid, every debugfs call accepts the error pointer it
	 * returns, and a file that is missing fails no more than its own use.
	 * The folder is checked: without it there is nothing to drive.
	 */
	for (i = 0; i < ARRAY_SIZE(api_files); i++)
		debugfs_create_file(api_files[i].name, 0400, api_dir, (void *)&api_files[i],
				    &api_wait_fops);
	debugfs_create_file("ctl", 0200, api_dir, NULL, &api_ctl_fops);
	debugfs_create_file("state", 0400, api_dir, NULL, &state_fops);
	pr_info("init: ready in /sys/kernel/debug/%s\n", KBUILD_MODNAME);
	return 0;
}

/*
 * No reader can be in a wait here: each open file holds a reference on the
 * module, and rmmod refuses while one does.
 */
static void __exit api_exit(void)
{
	debugfs_remove_recursive(api_dir);
	pr_info("exit: done\n");
}

module_init(api_init);
module_exit(api_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("completion-kthreads authors");
MODULE_DESCRIPTION("Lab: release every waiter at once");
