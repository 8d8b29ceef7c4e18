# SPDX-License-Identifier: GPL-2.0
#
# completion-kthreads: build all five modules against one kernel.
#
#   make                      build against the running kernel's headers
#   make KDIR=/path/to/build  build against another kernel's build tree
#   make W=1 / make C=2       Kbuild's extra warnings / sparse, passed through
#   make clean
#   sudo make install         modules_install into /lib/modules/<release>/extra

KDIR ?= /lib/modules/$(shell uname -r)/build

MODULES := declare_completion init_completion completion_initializer \
	   completion_initializer_onstack declare_completion_onstack

all: modules

# One clear line, not a page of Kbuild errors, when the headers are missing.
need_kdir = $(if $(wildcard $(KDIR)/Makefile),,$(error no kernel build tree in $(KDIR): \
	install the headers (Debian/Ubuntu: apt-get install linux-headers-$(shell uname -r)) \
	or set KDIR=/path/to/kernel/build))

modules clean:
	$(need_kdir)
	$(MAKE) -C $(KDIR) M=$(CURDIR) $@

install:
	$(need_kdir)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install INSTALL_MOD_DIR=extra

.PHONY: all modules clean install
