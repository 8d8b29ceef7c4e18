// SPDX-License-Identifier: GPL-2.0
/*
 * onstack_at_file_scope.c - the seed tutorial's mistake, reduced: an _ONSTACK
 * completion at file scope. It builds on a kernel without lockdep, where the
 * macro falls back to DECLARE_COMPLETION(), and must fail to build with
 * CONFIG_LOCKDEP=y, where it is a statement expression. scripts/lint.sh
 * lockdep checks that it does fail. Not a module to load.
 */

#include <linux/completion.h>
#include <linux/module.h>

static DECLARE_COMPLETION_ONSTACK(done);

static int __init onstack_at_file_scope_init(void)
{
	complete(&done);
	return 0;
}

static void __exit onstack_at_file_scope_exit(void)
{
}

module_init(onstack_at_file_scope_init);
module_exit(onstack_at_file_scope_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Must not build with CONFIG_LOCKDEP: DECLARE_COMPLETION_ONSTACK at file scope");
