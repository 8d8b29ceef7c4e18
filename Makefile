# SPDX-License-Identifier: GPL-2.0
#
# completion-kthreads: build all five modules against one kernel.
#
#   make                      build against the running kernel's headers
#   make KDIR=/path/to/build  build against another kernel's build tree
#   make W=1 / make C=2       Kbuild's extra warnings / sparse, passed through
#   make clean
#   sudo make install         modules_install into /lib/modules/<release>/extra
#   sudo make dkms-install    install the sources into DKMS: built for every kernel
#   sudo make dkms-remove     and remove them again (KVER=<release> picks one kernel)
#   make demo                 the five modules, one after another, in a QEMU VM
#   make demo BROKEN=hung_task  a broken variant as a show (the list: below)
#   make shell                a shell in the VM: insmod, ps, dmesg, rmmod by hand
#   make grade LAB=hung_waiter  grade a lab (labs/) in the VM on each stock kernel its lab.conf
#                             names (KERNEL=6.1: 6.1 alone; KERNEL=debug); SOLUTION=1: its solution
#   make diff A=declare_completion B=init_completion
#                             the lesson: the lines of code in which two modules differ
#   make timeline             each hand-off drawn from a kernel trace (docs/img/)
#   make timeline-check       docs/img's pictures against a fresh run's structure
#   make check                the modules' tests in QEMU on Debian's 5.10, 6.1 and 6.12: the
#                             quick tier, to run after every edit (MODULES=init_completion,
#                             MODULES=completion_api: one module; KERNELS=6.1: one kernel)
#   make lint                 the static checks: checkpatch, shellcheck, the docs' logs, ...
#   make unit                 the unit tests of the pieces that judge (no VM, seconds)
#   make check-harness        the tests of the tests: every broken variant of tests/broken must
#                             be caught by make check's checks; make shell, timeline, bench
#   make check-all            all of them on every kernel of the matrix, more cycles (CI runs it)
#   make coverage             the lines and branches of the modules that the tests run (gcov,
#                             on the debug kernel): build/coverage/summary.tsv, html/
#   make mutants              a mutation run over the five modules (MODULES=, LIMIT=N a
#                             module, BUDGET_MIN=): build/mutants/report.tsv, survivors/
#   make bench-check          make check's time: 5 runs after touching a module, per phase
#   make bench                what a hand-off costs, complete() beside its neighbours, in
#                             QEMU on 6.1 and 6.1-rt (emulated CPUs: the ratios count)
#   sudo make bench-host      the same on the running kernel: real hardware's figures
#   make doctor               what each kernel needs, what is here, what is missing
#   sudo make check-host      the test suite on the running kernel
#   make help                 this list

KDIR ?= /lib/modules/$(shell uname -r)/build

# The five modules: the folders the top-level Kbuild names, the one list.
MODULES ?= $(shell sed -n 's|^obj-m += \(.*\)/$$|\1|p' Kbuild)

all: modules

# A few clear lines, not a page of Kbuild errors, when the headers are
# missing: which package has them, if any, and what works without them.
need_kdir = @test -f $(KDIR)/Makefile || scripts/lib/kdir-hint.sh $(KDIR)

modules:
	$(need_kdir)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Without headers, clean removes Kbuild's output by name. It also removes
# build/, where make check keeps its results.
clean:
ifneq ($(wildcard $(KDIR)/Makefile),)
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(if $(wildcard tests/floor),$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/floor clean)
else
	find . -path ./build -prune -o \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name modules.order -o -name Module.symvers \) -type f -print0 | xargs -0 rm -f
endif
	rm -rf build

install:
	$(need_kdir)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install INSTALL_MOD_DIR=extra

# DKMS: the sources go to /usr/src/<name>-<version>, dkms builds and installs
# them for KVER (default: the running kernel) and again on kernel upgrades.
DKMS_NAME := $(shell sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' dkms.conf)
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := /usr/src/$(DKMS_NAME)-$(DKMS_VERSION)
KVER ?= $(shell uname -r)

dkms-install:
	@command -v dkms >/dev/null || { echo "error: dkms not found: apt-get install dkms" >&2; exit 1; }
	@test "$$(id -u)" = 0 || { echo "error: run as root: sudo make dkms-install" >&2; exit 1; }
	mkdir -p $(DKMS_SRC)
	cp -r Makefile Kbuild dkms.conf $(MODULES) $(DKMS_SRC)/
	dkms add -m $(DKMS_NAME) -v $(DKMS_VERSION)
	dkms build -m $(DKMS_NAME) -v $(DKMS_VERSION) -k $(KVER)
	dkms install -m $(DKMS_NAME) -v $(DKMS_VERSION) -k $(KVER)

dkms-remove:
	@command -v dkms >/dev/null || { echo "error: dkms not found" >&2; exit 1; }
	@test "$$(id -u)" = 0 || { echo "error: run as root: sudo make dkms-remove" >&2; exit 1; }
	dkms remove -m $(DKMS_NAME) -v $(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

# The class demo in QEMU: MODULES=..., PERIOD_MS=500, DWELL_S=4, KERNEL=6.1
demo:
	@scripts/demo.sh

# An interactive shell in the VM, with the modules (and BROKEN=... fixtures).
shell:
	@CK_SHELL=1 scripts/demo.sh

# A lab's module through the tests, in the VM: LAB=NAME, KERNEL=<its lab.conf's
# kernels=, but debug>, SOLUTION=1, ANSWER=FILE, V=1 (scripts/grade.sh).
grade:
	@scripts/grade.sh

# The lesson of two modules: their lines of code that differ beyond names.
diff:
	@tools/lesson-diff.sh $(or $(A),declare_completion) $(or $(B),init_completion)

# The tests in QEMU, in three tiers (scripts/check.sh): KERNELS=...,
# MODULES=..., FIXTURES=..., CYCLES=...
check:
	@TIER=quick scripts/check.sh

check-harness:
	@TIER=harness scripts/check.sh

lint:
	@scripts/lint.sh all

unit:
	@tests/unit/run.sh

# Each module's hand-off drawn from a kernel trace of a run in QEMU:
# build/timeline/KERNEL/, and docs/img/ on 6.1. timeline-check compares
# docs/img's pictures with a fresh run's (make check-all runs it).
timeline:
	@scripts/timeline.sh

timeline-check:
	@scripts/timeline.sh --check

check-all:
	@TIER=all scripts/check.sh

# Which lines and branches of the modules the tests run: the debug kernel's
# boots with gcov; build/coverage/summary.tsv and build/coverage/html/.
coverage:
	@TIER=coverage scripts/check.sh

# The suite's mutation run: scripts/mutants.sh (its header: the settings).
mutants:
	@scripts/mutants.sh

# A benchmark, not a test: RUNS=5 runs of make check, min/median/max a phase.
bench-check:
	@scripts/bench-check.sh $(or $(RUNS),5)

# The hand-off benchmark (completion_bench/): KERNELS=, RUNS=3, ROUNDS=5000,
# DOCS=1 (copy the tables and pictures to docs/img/). Results: build/bench/.
bench:
	@scripts/bench.sh

bench-host:
	@scripts/bench.sh --host

doctor:
	@scripts/lib/deps.sh doctor

DEBUG_FIXTURES = $(shell grep -l '^\# kernels: debug$$' tests/broken/*.sed)
API_FIXTURES = $(wildcard tests/broken/api_*.sed tests/broken/bench_*.sed)
help:
	@sed -n '5,/^$$/s/^# \{0,1\}//p' Makefile
	@echo "make demo BROKEN= takes one or more of tests/broken/:"
	@echo "$(basename $(notdir $(filter-out $(DEBUG_FIXTURES) $(API_FIXTURES),$(wildcard tests/broken/*.sed))))" | fold -s -w 76 | sed 's/^/  /'
	@echo "and with KERNEL=debug: $(basename $(notdir $(DEBUG_FIXTURES)))"

# The tests on the running kernel: build against its headers, then load,
# check and unload each module here.
check-host:
	@test "$$(id -u)" = 0 || { echo "error: make check-host loads modules: run it as root (sudo make check-host)" >&2; exit 1; }
	@test -f $(KDIR)/Makefile || { echo "error: no kernel build tree in $(KDIR): install the running kernel's headers (Debian/Ubuntu: apt-get install linux-headers-$$(uname -r))" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/floor modules
	scripts/guest/run-tests.sh -f tests/floor/ck_floor.ko $(MODULES)

.PHONY: all modules clean install dkms-install dkms-remove demo shell grade diff timeline timeline-check check check-harness lint unit check-all coverage mutants bench-check bench bench-host doctor help check-host
