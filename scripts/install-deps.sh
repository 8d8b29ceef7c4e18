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
	make gcc libc6-dev bc bison flex kmod dwarves sparse shellcheck perl debootstrap
	qemu-system-x86 busybox-static cpio gzip xz-utils zstd util-linux
)
# Debian's kernels 6.1 and 6.12 are built with gcc-12; linux-source-6.1 gives
# checkpatch.pl and the lockdep tree; the keyring checks Debian's archive.
# Ubuntu may lack some: make check then skips what needs them.
optional=(gcc-12 linux-source-6.1 debian-archive-keyring libelf1 libssl3)
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
for p in "${optional[@]}"; do
	if apt-cache show "$p" >/dev/null 2>&1; then
		packages+=("$p")
	else
		echo "install-deps.sh: $p is not in this machine's archive: skipped" >&2
	fi
done
apt-get install -y -q --no-install-recommends "${packages[@]}"
