# base: declare_completion
# expect: kmemleak
# kernels: debug
# init allocates 64 bytes and drops the pointer: only kmemleak can tell.
s/^\tpr_info("init: starting the signaller/\tif (!kmalloc(64, GFP_KERNEL))\n\t\treturn -ENOMEM;\n&/
s/^#include <linux\/sched.h>$/&\n#include <linux\/slab.h>/
