# base: completion_bench
# expect: hotplug
# The CPU hotplug lock is held for the whole run, as it once was: taking a
# CPU offline waits for the run's end, and so does every other
# cpus_read_lock() caller behind it.
/^\twake_up_process(a->task);$/{n;/^\tcpus_read_unlock();$/d}
s/^\tkthread_stop(b->task);$/&\n\tcpus_read_unlock();/
