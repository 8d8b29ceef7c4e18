# base: declare_completion
# expect: params
# A parameter reads back wrong in /sys/module/NAME/parameters/: its get
# prints the lowest value allowed, not the value the module took.
s/return sysfs_emit(buffer, "%u\\n", p->val);/return sysfs_emit(buffer, "%u\\n", p->min);/
