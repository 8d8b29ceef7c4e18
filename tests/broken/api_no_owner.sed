# base: completion_api
# expect: rmmod-busy [kernel-report]
# kernels: 6.1
# The wait files' file_operations lose .owner = THIS_MODULE, so an open
# file no longer holds the module: rmmod goes ahead with a reader in its
# wait, and debugfs's removal of the file waits for that read() to end.
# rmmod hangs until the reader is killed. (The hung-task detector, at 30 s
# during this test, may report it.)
/^static const struct file_operations api_wait_fops = {$/,/^};$/{/\.owner = THIS_MODULE,/d}
