#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kdir-hint.sh KDIR - what plain make says when KDIR has no kernel build
# tree: the headers package, if apt has one for the running kernel, and
# what works without headers. Exit status 2.

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib/config.sh
. "$top/scripts/lib/config.sh"
release=$(uname -r)
tree=$CK_CACHE/kernels/6.1/build

echo "make: no kernel build tree in $1."
if apt-cache show "linux-headers-$release" >/dev/null 2>&1; then
	echo "  This kernel's headers:  sudo apt-get install linux-headers-$release"
else
	echo "  apt has no linux-headers-$release: this kernel's headers are not packaged."
fi
echo "  Without headers, in a VM with Debian's 6.1 (no root needed once the tools"
echo "  are installed): make demo, make shell, make grade LAB=hung_waiter."
if [ -f "$tree/Makefile" ]; then
	echo "  Debian's 6.1 build tree is cached: make KDIR=$tree"
else
	echo "  After one of them, make KDIR=$tree builds the five against Debian's 6.1."
fi
exit 2
