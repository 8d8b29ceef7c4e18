#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-init.sh - /init of the test VM's busybox initramfs (see scripts/check.sh).
#
# The kernel command line sets, as environment variables:
#   CK_MODS    comma-separated modules under /ck/mods to test
#   CK_PROBE   if set, only say "ck-vm: probe ok" and power off (accel probe)
#   CK_DEMO    if set, run the class demo (demo-vm.sh) instead of the tests;
#              CK_DEMO=broken: the pitfall show of the fixtures in CK_MODS
#   CK_SHELL   if set, an interactive shell on the console (make shell);
#              CK_TTY_SIZE=ROWSxCOLS, the host terminal's size
#   CK_TIMELINE if set, trace the hand-off of each module (make timeline)
#   CK_BENCH   run bench-run.sh RUNS (1) times on /ck/mods/$CK_BENCH (make
#              bench) and print each run's files, gzipped in base64, between
#              "ck-bench: begin RUN FILE" and "ck-bench: end RUN FILE"; then,
#              if BENCH_KILL is set, bench-run.sh --kill, then --hotplug
#   CK_API     run api-tests.sh on /ck/mods/$CK_API (completion_api or a
#              broken copy of it) instead of run-tests.sh
#   CK_DMESG   0: no kernel log on the console after a run that passed
#   CK_GCOV    if set, after the tests, the gcov data of the modules
#              (/sys/kernel/debug/gcov), a gzipped tar in base64 between
#              "ck-vm: gcov.tgz begin" and "ck-vm: gcov.tgz end"
#   FUZZ_S     handed to api-tests.sh; EARLY_DELAY_MS to run-tests.sh
#   CYCLES, STRESS_CYCLES, STRESS_SCHED, ROUNDS, PERIOD_MS, CANCEL_PERIOD_MS, DWELL_S,
#   WAIT_S, RMMOD_TIMEOUT_S, RMMOD_BOUND_MS
#              handed to run-tests.sh (and PERIOD_MS, DWELL_S to demo-vm.sh)
# Everything it prints goes to the serial console, which the host reads.
# Not set -e: /init must reach poweroff whatever fails, or the kernel panics.

set -u
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# For kmemleak, on kernels that have it: scans only when run-tests.sh asks.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ ! -w /sys/kernel/debug/kmemleak ] || echo scan=off >/sys/kernel/debug/kmemleak
mkdir -p /tmp
# busybox's modinfo reads modules.dep before it reads a .ko by its path.
mkdir -p "/lib/modules/$(uname -r)"
: >"/lib/modules/$(uname -r)/modules.dep"

# Keep the console for our output; the log stays readable with dmesg.
dmesg -n 1
# A task blocked in an uninterruptible sleep for 2 s is reported.
echo 2 >/proc/sys/kernel/hung_task_timeout_secs

echo "ck-vm: booted $(uname -r) at $(cut -d' ' -f1 /proc/uptime) s"
if [ -n "${CK_PROBE:-}" ]; then
	echo "ck-vm: probe ok"
	poweroff -f
fi

set --
for m in $(echo "${CK_MODS:-}" | tr ',' ' '); do
	set -- "$@" "/ck/mods/$m"
done
# CK_VM: run-tests.sh reads the kernel log from boot.
CK_VM=1
export CK_VM RUNS FUZZ_S EARLY_DELAY_MS CYCLES STRESS_CYCLES STRESS_SCHED ROUNDS PERIOD_MS CANCEL_PERIOD_MS DWELL_S WAIT_S RMMOD_TIMEOUT_S RMMOD_BOUND_MS
if [ -n "${CK_DEMO:-}" ]; then
	if [ "$CK_DEMO" = broken ]; then
		/ck/scripts/guest/demo-vm.sh -b "$@"
	else
		/ck/scripts/guest/demo-vm.sh "$@"
	fi
	poweroff -f
fi
if [ -n "${CK_TIMELINE:-}" ]; then
	/ck/scripts/guest/timeline-vm.sh "$@"
	echo "ck-vm: timeline rc=$?"
	poweroff -f
fi
if [ -n "${CK_BENCH:-}" ]; then
	rc=0
	n=1
	while [ "$n" -le "${RUNS:-1}" ]; do
		/ck/scripts/guest/bench-run.sh "/ck/mods/$CK_BENCH/$CK_BENCH.ko" "/tmp/bench/$n" || {
			rc=1
			break
		}
		for f in samples.tsv log.txt; do
			echo "ck-bench: begin $n $f"
			gzip -c "/tmp/bench/$n/$f" | base64
			echo "ck-bench: end $n $f"
		done
		n=$((n + 1))
	done
	if [ "$rc" = 0 ] && [ -n "${BENCH_KILL:-}" ]; then
		/ck/scripts/guest/bench-run.sh --kill "/ck/mods/$CK_BENCH/$CK_BENCH.ko" /tmp/bench/kill || rc=1
		[ "$rc" != 0 ] ||
			/ck/scripts/guest/bench-run.sh --hotplug "/ck/mods/$CK_BENCH/$CK_BENCH.ko" /tmp/bench/hotplug || rc=1
	fi
	echo "ck-vm: bench rc=$rc"
	poweroff -f
fi
if [ -n "${CK_SHELL:-}" ]; then
	first=${1:-/ck/mods/declare_completion}
	# Its waiter's name ("dc-waiter"), from the module's strings.
	waiter=$(strings "$first/${first##*/}.ko" | grep -m 1 -E '^[a-z]+-waiter$')
	cat <<EOF

ck-vm: a shell on $(uname -r). The modules, built for this kernel:
$(for m in /ck/mods/*/*.ko; do echo "  $m"; done)
Try:  dmesg -w &
      insmod $first/${first##*/}.ko rounds=5 period_ms=1000
      ps -eo pid,stat,wchan:32,comm | grep -e -waiter -e -signaller
      cat /proc/\$(pidof $waiter)/stack
      rmmod ${first##*/}
exit (or Ctrl-D) powers the VM off; Ctrl-A X kills it.

EOF
	cd /ck/mods || poweroff -f
	# The host terminal's size (make shell passes it), or lines wrap at 80.
	[ -z "${CK_TTY_SIZE:-}" ] || stty rows "${CK_TTY_SIZE%x*}" cols "${CK_TTY_SIZE#*x}"
	# util-linux's dmesg and procps's ps (vm-lib.sh puts them in
	# /usr/local/bin): busybox's sh runs its own applet of a name before
	# any in PATH, but not before a function. The interactive shell reads
	# them from $ENV.
	mkdir -p /etc
	for f in /usr/local/bin/*; do
		[ ! -x "$f" ] || echo "${f##*/}() { $f \"\$@\"; }"
	done >/etc/ck-shrc
	# cttyhack makes the console the shell's terminal: Ctrl-C works.
	ENV=/etc/ck-shrc PS1='ck-vm:\w# ' setsid cttyhack sh
	poweroff -f
fi
if [ -n "${CK_API:-}" ]; then
	# A module that corrupts the completion's wait list can leave a CPU
	# spinning on its lock, and the test stuck for good: 20 s after a
	# kernel BUG or oops, or after 240 s, the log is shown and the VM reset.
	# The watchdog's own timer may be on the spinning CPU: the other one
	# sees the RCU stall (60 s: vm-lib.sh) and the panic resets the VM.
	echo 1 >/proc/sys/kernel/panic_on_rcu_stall
	/ck/scripts/guest/api-tests.sh "/ck/mods/$CK_API" &
	api=$!
	(
		n=0
		bug=""
		while [ "$n" -lt 240 ]; do
			sleep 1
			n=$((n + 1))
			# A KCSAN report (kcsan kernel) is no hang: api-tests.sh
			# charges it (reports.awk); the watch is for the rest.
			[ -n "$bug" ] || ! dmesg | grep -E 'BUG:|kernel BUG|Oops' |
				grep -qv 'BUG: KCSAN: ' || bug=$n
			[ -z "$bug" ] || [ $((n - bug)) -lt 20 ] || break
		done
		echo "ck-vm: api-tests.sh stuck after $n s${bug:+ (a kernel BUG or oops at $bug s)}: given up"
		echo "ck-vm: dmesg begin"
		dmesg
		echo "ck-vm: dmesg end"
		# Not poweroff: it waits for the other CPU, which may spin with
		# interrupts off. sysrq b resets at once; QEMU (-no-reboot) exits.
		echo b >/proc/sysrq-trigger
	) &
	dog=$!
	wait "$api"
	rc=$?
	kill "$dog"
else
	/ck/scripts/guest/run-tests.sh -f /ck/ck_floor.ko "$@"
	rc=$?
fi
echo "ck-vm: end rc=$rc"
# The counts of every module loaded since boot: the kernel keeps those of
# an unloaded module and adds each load's to them. Its files read as empty
# to tar (debugfs gives no size): copied first.
if [ -n "${CK_GCOV:-}" ] && [ -d /sys/kernel/debug/gcov ]; then
	(cd /sys/kernel/debug/gcov && find . -name '*.gcda') | while read -r f; do
		mkdir -p "/tmp/gcov/${f%/*}"
		cat "/sys/kernel/debug/gcov/$f" >"/tmp/gcov/$f"
	done
	echo "ck-vm: gcov.tgz begin"
	tar -czf - -C /tmp/gcov . | base64
	echo "ck-vm: gcov.tgz end"
fi
# The whole log to the console: as text if a test failed; if all passed,
# gzipped in base64 (a fifth of the bytes: the serial console is slow
# under TCG), or not at all with CK_DMESG=0 (the debug kernel: its serial
# console took minutes for it).
if [ "$rc" != 0 ]; then
	echo "ck-vm: dmesg begin"
	dmesg
	echo "ck-vm: dmesg end"
elif [ "${CK_DMESG:-1}" != 0 ]; then
	echo "ck-vm: dmesg.gz begin"
	dmesg | gzip -c | base64
	echo "ck-vm: dmesg.gz end"
fi
poweroff -f
