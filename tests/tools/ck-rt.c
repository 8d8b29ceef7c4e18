// SPDX-License-Identifier: GPL-2.0
/*
 * ck-rt.c - set the scheduling policy of tasks: the VM's busybox has no chrt.
 *
 *   ck-rt fifo PID...	SCHED_FIFO, priority 50
 *   ck-rt fifo-low PID...	SCHED_FIFO, priority 10
 *   ck-rt other PID...	back to SCHED_OTHER
 *   ck-rt insmod FILE [PARAM...]	load a module with one finit_module()
 *   ck-rt read FILE 0|bad	one read() of FILE: of 0 bytes, or of 64 bytes
 *				into a page the process cannot write; prints
 *				what read() returned, or its error
 *
 * run-tests.sh's stress cycles use it in the VM, with one CPU online: a
 * SCHED_FIFO shell runs insmod and rmmod without letting the module's
 * threads (SCHED_OTHER) run in between, so kthread_stop() finds threads
 * that never ran; a thread made fifo-low runs before the other one, and
 * only when the shell sleeps. Built static (gcc -static): the VM has no
 * libc.
 *
 * Its error tests load modules that must fail: busybox's insmod, when
 * finit_module() fails, tries again with init_module(), so each failing
 * insmod ran the module's init twice. "ck-rt insmod" tries once, and
 * fails as insmod does: "insmod: can't insert 'FILE': ERROR".
 *
 * completion_api's tests read its files in the two ways a shell cannot:
 * with a length of 0, and into a buffer the kernel must refuse to write.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int load_module(int argc, char **argv)
{
	char params[4096] = "";
	size_t len = 0;
	int fd, i;

	for (i = 1; i < argc; i++) {
		int n = snprintf(params + len, sizeof(params) - len, "%s%s",
				 i > 1 ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(params) - len) {
			fputs("insmod: parameters too long\n", stderr);
			return 1;
		}
		len += n;
	}
	fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		fprintf(stderr, "insmod: can't insert '%s': %s\n", argv[0],
			strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

static int read_once(const char *file, const char *how)
{
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!strcmp(how, "bad")) {
		/* A page mapped read-only: the kernel's write into it faults. */
		buf = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		len = 64;
	} else if (strcmp(how, "0")) {
		fputs("ck-rt read: the length is 0 or bad\n", stderr);
		return 2;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(file);
		return 1;
	}
	n = read(fd, buf, len);
	if (n < 0)
		printf("%s\n", strerror(errno));
	else
		printf("%zd\n", n);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct sched_param sp = { .sched_priority = 0 };
	int policy, i, rc = 0;

	if (argc < 3)
		goto usage;
	if (!strcmp(argv[1], "insmod"))
		return load_module(argc - 2, argv + 2);
	if (!strcmp(argv[1], "read") && argc == 4)
		return read_once(argv[2], argv[3]);
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
	fputs("usage: ck-rt fifo|fifo-low|other PID... | insmod FILE [PARAM...]\n"
	      "       ck-rt read FILE 0|bad\n", stderr);
	return 2;
}
