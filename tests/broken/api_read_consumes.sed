# base: completion_api
# expect: read-args
# kernels: 6.1
# A read of 0 bytes, or into a page the reader cannot write, waits and
# takes a complete() all the same: the one it was for is lost, as is the
# line that would have said so.
/^\tif (!len)$/,/^\t\treturn -EFAULT;$/d
