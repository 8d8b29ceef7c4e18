#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-deps.sh - install, from Debian's (or Ubuntu's) archive, everything
# that make check needs: the compiler and tools that build modules against
# the fetched kernel headers, QEMU, a static busybox for the VM, sparse,
# the shellcheck and kernel source (for checkpatch.pl) of the style test.
# Run as root. Kernel images and headers are not installed: check.sh fetches
# them into a cache (scripts/fetch-kernel.sh).

set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "install-deps.sh: run as root (sudo $0)" >&2; exit 1; }
command -v apt-get >/dev/null || { echo "install-deps.sh: needs apt-get (Debian/Ubuntu)" >&2; exit 1; }

packages=(
	make gcc gcc-12 libc6-dev bc bison flex libelf1 libssl3 kmod
	dwarves sparse shellcheck perl linux-source-6.1
	qemu-system-x86 busybox-static cpio gzip xz-utils zstd util-linux
)
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
