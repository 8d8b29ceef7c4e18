/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inject.h - test-only fault injection for the completion modules.
 *
 * scripts/check.sh builds a second copy of each module with
 * "-include tests/inject/inject.h", so that the modules' own source stays free
 * of test hooks. The copy has one more parameter: fail_kthread_run=N makes
 * the Nth kthread_run() of the module fail with -ENOMEM, as it would when
 * the kernel is out of memory, so that the error path of init runs.
 */
#ifndef CK_INJECT_H
#define CK_INJECT_H

/* The same pr_fmt as the module's own: its later #define is then no change. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>

static unsigned int fail_kthread_run;
module_param(fail_kthread_run, uint, 0444);
MODULE_PARM_DESC(fail_kthread_run, "test only: the Nth kthread_run() fails with -ENOMEM");

static unsigned int kthread_run_calls;

#undef kthread_run
#define kthread_run(threadfn, data, namefmt, ...)				\
({										\
	struct task_struct *__k;						\
										\
	if (++kthread_run_calls == fail_kthread_run)				\
		__k = ERR_PTR(-ENOMEM);						\
	else									\
		__k = kthread_create(threadfn, data, namefmt, ##__VA_ARGS__);	\
	if (!IS_ERR(__k))							\
		wake_up_process(__k);						\
	__k;									\
})

#endif /* CK_INJECT_H */
