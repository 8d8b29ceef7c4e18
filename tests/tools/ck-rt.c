// SPDX-License-Identifier: GPL-2.0
/*
 * ck-rt.c - set the scheduling policy of tasks: the VM's busybox has no chrt.
 *
 *   ck-rt fifo PID...	SCHED_FIFO, priority 50
 *   ck-rt fifo-low PID...	SCHED_FIFO, priority 10
 *   ck-rt other PID...	back to SCHED_OTHER
 *
 * run-tests.sh's stress cycles use it in the VM, with one CPU online: a
 * SCHED_FIFO shell runs insmod and rmmod without letting the module's
 * threads (SCHED_OTHER) run in between, so kthread_stop() finds threads
 * that never ran; a thread made fifo-low runs before the other one, and
 * only when the shell sleeps. Built static (gcc -static): the VM has no
 * libc.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct sched_param sp = { .sched_priority = 0 };
	int policy, i, rc = 0;

	if (argc < 3)
		goto usage;
	if (!strcmp(argv[1], "fifo")) {
		policy = SCHED_FIFO;
		sp.sched_priority = 50;
	} else if (!strcmp(argv[1], "fifo-low")) {
		policy = SCHED_FIFO;
		sp.sched_priority = 10;
	} else if (!strcmp(argv[1], "other")) {
		policy = SCHED_OTHER;
	} else {
		goto usage;
	}
	for (i = 2; i < argc; i++) {
		if (sched_setscheduler(atoi(argv[i]), policy, &sp)) {
			perror(argv[i]);
			rc = 1;
		}
	}
	return rc;
usage:
	fputs("usage: ck-rt fifo|fifo-low|other PID...\n", stderr);
	return 2;
}
