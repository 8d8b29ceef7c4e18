# file: scripts/kernels/kcache-lib.sh
# The stamp's lines are not read: a stale cache is taken as it is.
/^kcache_cached() {/,/^}/s/^\t\t\[\[ -z \$l \]\] || grep -qxF "\$l" "\$KDIR\/.stamp" || return 0$/\t\t:/
