# file: scripts/lib/config.sh
# A kernel key known when it is a part of the list ("6.1 6.12").
/^ck_known_kernel() {/,/^}/{/case \$1 in "" | \*" "\*) return 1 ;; esac/d
}
