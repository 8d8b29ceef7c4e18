#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install-deps.sh - install, as root, every package that make demo and
# make check need, for every kernel key; or what one target needs (the
# command a preflight prints), for the keys given:
#   sudo scripts/install-deps.sh [demo|check|timeline|bench] [KEY...]
# The list lives in scripts/lib/deps.sh. Kernel images and headers are not
# installed: they are fetched into a cache on first use.
set -euo pipefail
exec "$(dirname "$0")/lib/deps.sh" install "$@"
