# base: completion_api
# expect: rmmod-busy
# kernels: 6.1
# The wait files' file_operations lose .owner = THIS_MODULE, so an open
# file no longer holds the module: rmmod goes ahead with a reader in its
# wait, and debugfs's removal of the file waits for that read() to end.
# rmmod hangs until the reader is killed, about 3 s later: too soon for
# the hung-task detector (30 s during this test) to report it.
/^static const struct file_operations api_wait_fops = {$/,/^};$/{/\.owner = THIS_MODULE,/d}
