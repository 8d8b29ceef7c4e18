// SPDX-License-Identifier: GPL-2.0
/*
 * ck_floor.c - a module without threads. The test runner times its rmmod as
 * the floor that the completion modules' rmmod times are read against.
 */

#include <linux/init.h>
#include <linux/module.h>

static int __init ck_floor_init(void)
{
	return 0;
}

static void __exit ck_floor_exit(void)
{
}

module_init(ck_floor_init);
module_exit(ck_floor_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test floor: a module without threads, for timing rmmod");
