#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""timeline.py - draw a module's hand-off from a kernel trace, as SVG.

    timeline.py [--emulated] --kernel REL --module NAME REPORT.txt OUT.svg
    timeline.py --structure FILE.svg

REPORT.txt is `trace-cmd report -l` of the trace that scripts/guest/timeline-vm.sh
records (sched_switch, sched_waking, sched_wakeup(_new), sched_process_exit,
printk's console event, kprobes on complete(), wait_for_completion_interruptible()
and kthread_stop(), and a trace_marker line with the module's text address).

The picture has one lane per task: insmod, the signaller, the waiter, rmmod.
A lane shows when its task runs, sleeps (S: interruptible, D: uninterruptible)
or waits for a CPU after a wake-up; arrows show who woke whom and why
(complete(), kthread_stop(), ...), with the time from the call to the woken
task running. The time axis is compressed: every gap between two events is
drawn with a width that grows with the log of its length, and gaps over 2 ms
carry their length. So a 100 ms sleep and a 50 us wake-up both fit.

Each drawn element carries data-* attributes; --structure reads them back and
prints the picture's structure (lanes, each lane's sleeps, states, wake-ups,
calls, log lines and exit in order, and the wake-up arrows), without times:
two runs of a correct module print the same structure.

Python's standard library only: no plotting package is needed to draw lanes,
boxes and arrows, and the SVG stays small and diffable.
"""

import argparse
import math
import re
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

LINE = re.compile(r'^\s*(?P<comm>.*?)-(?P<pid>\d+)\s+(?P<cpu>\d+)(?P<flags>\S+)\s+'
                  r'(?P<ts>\d+\.\d+):\s+(?P<event>\w+):\s+(?P<rest>.*)$')
SWITCH = re.compile(r'^(?P<pcomm>.*):(?P<ppid>\d+) \[\d+\] (?P<pstate>\S+) ==> '
                    r'(?P<ncomm>.*):(?P<npid>\d+) \[\d+\]')
WAKING = re.compile(r'comm=(?P<comm>.*) pid=(?P<pid>\d+) ')
CALLER = re.compile(r'caller=0x(?P<addr>[0-9a-f]+)')
MARKER = re.compile(r'ck: module (?P<name>\S+) text 0x(?P<text>[0-9a-f]+) size (?P<size>\d+)')

ROLES = ('insmod', 'signaller', 'waiter', 'rmmod')
COLOURS = {'run': '#2e7d32', 'S': '#90caf9', 'D': '#ef6c00', 'wait-cpu': '#fdd835',
           'R': '#fdd835'}
STATE_WORDS = {'run': 'running', 'S': 'sleeping, interruptible (S)',
               'D': 'sleeping, uninterruptible (D)',
               'wait-cpu': 'runnable: woken or preempted, waiting for a CPU'}


class Event:
    def __init__(self, m):
        self.comm = m['comm'].strip()
        self.pid = int(m['pid'])
        self.flags = m['flags']
        self.t = float(m['ts'])
        self.event = m['event']
        self.rest = m['rest']

    @property
    def in_irq(self):
        # trace-cmd report -l (libtraceevent): irqs-off, need-resched,
        # then h, s or H for hard or soft interrupt context
        return len(self.flags) > 2 and self.flags[2] in 'hsH'


def parse(path):
    events = []
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            m = LINE.match(line.rstrip('\n'))
            if m:
                events.append(Event(m))
    return events


class Model:
    """The lanes and their events, from the trace of one module's run."""

    def __init__(self, events, module):
        self.module = module
        self.events = events
        self.text = None
        for e in events:
            if e.event == 'print':
                m = MARKER.search(e.rest)
                if m and m['name'] == module:
                    self.text = (int(m['text'], 16), int(m['text'], 16) + int(m['size']))
        # The tasks, by the names the scheduler gives them: insmod, rmmod
        # and the module's two threads (PREFIX-signaller, PREFIX-waiter).
        self.pids = {}
        for e in events:
            if e.event == 'sched_switch':
                m = SWITCH.match(e.rest)
                for comm, pid in ((m['pcomm'], m['ppid']), (m['ncomm'], m['npid'])) if m else ():
                    role = comm if comm in ('insmod', 'rmmod') else comm.rsplit('-', 1)[-1]
                    if role in ROLES:
                        self.pids.setdefault(role, int(pid))
        missing = [r for r in ROLES if r not in self.pids]
        if missing:
            raise SystemExit(f'timeline.py: {module}: no task of {", ".join(missing)} in the trace')
        # The module's log, each line on the lane its words name. On 5.10
        # the console event comes as the line reaches the console, from
        # whichever task prints it then, with printk's timestamp.
        prefix = module + ': '
        self.logs = []
        for e in events:
            if e.event != 'console':
                continue
            # On 5.10 the console's text starts with printk's own
            # timestamp (local_clock(), nearly the trace's clock): the
            # time of the printk
            m = re.match(r'\[\s*(\d+\.\d+)\] ', e.rest)
            if m:
                e.rest = e.rest[m.end():]
                e.t = float(m.group(1))
            if e.rest.startswith(prefix):
                text = e.rest[len(prefix):].strip()
                role = text.split(':', 1)[0]
                role = {'init': 'insmod', 'exit': 'rmmod'}.get(role, role)
                if role in ROLES:
                    self.logs.append((e.t, role, text))
        if not any(r == 'insmod' for _, r, _ in self.logs) or not any(r == 'rmmod' for _, r, _ in self.logs):
            raise SystemExit(f'timeline.py: {module}: no init or exit line of the module in the trace')
        self.role_of = {pid: role for role, pid in self.pids.items()}
        self.names = {}
        self.t0 = min(t for t, r, _ in self.logs if r == 'insmod')
        self.t1 = max(t for t, r, _ in self.logs if r == 'rmmod')
        self.build()

    def is_module_caller(self, e):
        m = CALLER.search(e.rest)
        return bool(m and self.text and self.text[0] <= int(m['addr'], 16) < self.text[1])

    def build(self):
        """Segments (role, start, end, state) and items (time-ordered marks)."""
        state = {}      # role -> (state, since)
        self.segments = []
        self.items = []  # dicts: t, role, kind, ...
        self.arrows = []
        pending = {}    # woken role -> arrow waiting for its switch-in
        last_call = {}  # pid -> (kind, t) of the last kprobe hit
        exited = set()

        def close(role, t, new):
            old, since = state.get(role, (None, None))
            if old is not None and t > since:
                self.segments.append((role, since, t, old))
            state[role] = (new, t)

        for e in self.events:
            if e.t > self.t1 + 0.002:
                break
            if e.event == 'sched_switch':
                m = SWITCH.match(e.rest)
                if not m:
                    continue
                prole = self.role_of.get(int(m['ppid']))
                nrole = self.role_of.get(int(m['npid']))
                last_call.pop(int(m['ppid']), None)
                if prole:
                    # The letters of libtraceevent's sched_switch plugin
                    # (trace-cmd report), not the kernel's own: R for a
                    # preempted task (no "+"), W for TASK_IDLE (the kernel's
                    # I: uninterruptible, but not counted by the hung-task
                    # detector), x parked, Z and X gone
                    s = m['pstate'].rstrip('+')
                    s = {'R': 'wait-cpu', 'S': 'S', 'D': 'D', 'W': 'D', 'I': 'D', 'x': 'D'}.get(s, 'gone')
                    close(prole, e.t, None if s == 'gone' else s)
                    if s in ('S', 'D') and self.t0 <= e.t:
                        self.items.append(dict(t=e.t, role=prole, kind='sleep', state=s))
                if nrole:
                    self.names[nrole] = m['ncomm'] if nrole not in ('insmod', 'rmmod') else nrole
                    close(nrole, e.t, 'run')
                    a = pending.pop(nrole, None)
                    if a:
                        a['t_run'] = e.t
                        self.arrows.append(a)
            elif e.event in ('sched_waking', 'sched_wakeup_new'):
                if e.event == 'sched_waking':
                    m = WAKING.search(e.rest)
                    target = int(m['pid']) if m else None
                else:
                    m = re.search(r':(\d+) \[', e.rest)
                    target = int(m.group(1)) if m else None
                trole = self.role_of.get(target)
                # the call (complete(), kthread_stop()) that this wake-up is
                # part of: the waker's last one, if it has woken no one since
                call = None if e.in_irq else last_call.pop(e.pid, None)
                if not trole:
                    continue
                cur = state.get(trole, (None, None))[0]
                if cur == 'run' or (cur == 'wait-cpu' and e.event == 'sched_waking'):
                    continue    # already running or runnable: no wake-up to draw
                close(trole, e.t, 'wait-cpu')
                wrole = self.role_of.get(e.pid)
                if e.in_irq:
                    # A softirq here is the timer of schedule_timeout()
                    by = why = 'timer' if e.flags[2] == 's' else 'interrupt'
                elif e.event == 'sched_wakeup_new':
                    # kthreadd forks the kthreads, the VM's shell insmod and rmmod
                    by, why = ('fork', 'created') if trole in ('insmod', 'rmmod') else ('kthreadd', 'created')
                elif wrole:
                    by = wrole
                    if call:
                        why = call[0]
                    elif any(i['role'] == trole and i['kind'] == 'log' for i in self.items):
                        why = 'wake_up()'
                    else:
                        why = 'wake_up_process()'   # kthread_run() starts the new thread
                else:
                    by, why = 'other', 'other'
                a = dict(t=e.t, t_call=call[1] if call else e.t, src=by, dst=trole, why=why)
                pending[trole] = a
                if e.t >= self.t0 - 0.0005:
                    self.items.append(dict(t=e.t, role=trole, kind='woken', by=by, why=why))
            elif e.event in ('complete', 'wait', 'kthread_stop'):
                role = self.role_of.get(e.pid)
                if e.event == 'complete' and e.in_irq:
                    continue    # an interrupt's (RCU's, say), not the task's
                if e.event == 'complete':
                    if self.is_module_caller(e):
                        kind = 'complete()'
                    elif role not in ('signaller', 'waiter'):
                        # the module loader's own, or RCU's: not the lesson
                        kind = 'complete() in the kernel'
                    elif any(i['role'] == role and i['kind'] == 'log' for i in self.items):
                        kind = 'complete(&kthread->exited)'
                    else:
                        kind = 'complete(&create->done)'
                else:
                    kind = {'wait': 'wait_for_completion_interruptible()',
                            'kthread_stop': 'kthread_stop()'}[e.event]
                last_call[e.pid] = (kind, e.t)
                if role:
                    self.items.append(dict(t=e.t, role=role, kind='call', call=kind))
            elif e.event == 'console':
                for t, r, text in self.logs:
                    if t == e.t and e.rest.endswith(text):
                        self.items.append(dict(t=e.t, role=r, kind='log', text=text))
            elif e.event == 'sched_process_exit':
                role = self.role_of.get(e.pid)
                if role and role not in exited:
                    exited.add(role)
                    self.items.append(dict(t=e.t, role=role, kind='exit'))
        for role, (s, since) in state.items():
            if s is not None and since < self.t1:
                self.segments.append((role, since, self.t1 + 0.0005, s))
        for role in ROLES:
            self.names.setdefault(role, role)
        self.items.sort(key=lambda i: i['t'])
        self.arrows = [a for a in self.arrows if a['src'] in ROLES and a['t'] >= self.t0 - 0.0005]


class Axis:
    """Compressed time: each gap between event times gets log-scaled width."""

    def __init__(self, times, x0, width):
        ts = sorted(set(times))
        self.ts = ts
        raw = [self.gap(b - a) for a, b in zip(ts, ts[1:])]
        scale = width / max(sum(raw), 1e-9)
        self.xs = [x0]
        for w in raw:
            self.xs.append(self.xs[-1] + w * scale)

    @staticmethod
    def gap(dt):
        return 4 + 12 * math.log10(1 + dt / 10e-6)

    def x(self, t):
        ts, xs = self.ts, self.xs
        if t <= ts[0]:
            return xs[0]
        if t >= ts[-1]:
            return xs[-1]
        lo, hi = 0, len(ts) - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if ts[mid] <= t:
                lo = mid
            else:
                hi = mid
        f = (t - ts[lo]) / (ts[hi] - ts[lo]) if ts[hi] > ts[lo] else 0
        return xs[lo] + f * (xs[hi] - xs[lo])

    def breaks(self, min_gap=0.002):
        for a, b, xa, xb in zip(self.ts, self.ts[1:], self.xs, self.xs[1:]):
            if b - a >= min_gap:
                yield a, b, xa, xb


def fmt_us(dt):
    us = dt * 1e6
    return f'{us:.0f} µs' if us < 1000 else f'{us / 1000:.2f} ms'


def draw(model, kernel, emulated, out):
    W, left, right = 1500, 190, 170
    lane_h, top = 64, 96
    lanes = {r: top + i * lane_h for i, r in enumerate(ROLES)}
    times = [model.t0, model.t1 + 0.0005]
    times += [s for _, s, _, _ in model.segments] + [e for _, _, e, _ in model.segments]
    times += [i['t'] for i in model.items] + [a['t_run'] for a in model.arrows]
    times = [t for t in times if model.t0 - 0.001 <= t <= model.t1 + 0.001]
    ax = Axis(times, left, W - left - right)
    logs = [i for i in model.items if i['kind'] == 'log']
    legend_y = top + len(ROLES) * lane_h + 60
    H = legend_y + 26 + 18 * len(logs) + 20
    o = []
    add = o.append
    add(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="12">')
    how = ('TCG: an emulated CPU, latencies emulated, not those of real hardware'
           if emulated else 'KVM')
    add(f'<title>{escape(model.module)}: the hand-off, traced on {escape(kernel)}</title>')
    add(f'<desc data-module={quoteattr(model.module)} data-kernel={quoteattr(kernel)}>'
        f'Drawn by tools/timeline.py (make timeline) from a tracefs trace of one run in QEMU ({escape(how)}).</desc>')
    add(f'<rect width="{W}" height="{H}" fill="white"/>')
    add('<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">'
        '<path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker></defs>')
    add(f'<text x="20" y="26" font-size="17" font-weight="bold">{escape(model.module)}: '
        f'the hand-off, traced on {escape(kernel)}</text>')
    add(f'<text x="20" y="46" fill="#444">insmod, a job of {count_rounds(model)} rounds, '
        f'rmmod once the waiter is woken. Times from the kernel\'s trace clock; '
        f'{escape(how)}.</text>')
    add('<text x="20" y="64" fill="#444">The time axis is compressed (each gap drawn by the log of its '
        'length): read the labels, not the distances.</text>')
    # legend of states
    lx = 20
    for key in ('run', 'S', 'D', 'wait-cpu'):
        add(f'<rect x="{lx}" y="74" width="14" height="10" fill="{COLOURS[key]}"/>')
        add(f'<text x="{lx + 18}" y="83" font-size="11">{escape(STATE_WORDS[key])}</text>')
        lx += 30 + 6.2 * len(STATE_WORDS[key])
    # gaps
    last_label = -1e9
    for a, b, xa, xb in ax.breaks():
        xm = (xa + xb) / 2
        add(f'<g class="gap"><rect x="{xm - 5:.1f}" y="{top - 8}" width="10" '
            f'height="{len(ROLES) * lane_h}" fill="#f4f4f4"/>')
        if xm - last_label > 56:    # no label over another
            last_label = xm
            add(f'<text x="{xm:.1f}" y="{top + len(ROLES) * lane_h + 8}" text-anchor="middle" '
                f'font-size="10" fill="#666">{fmt_us(b - a)}</text>')
        add('</g>')
    for role in ROLES:
        y = lanes[role]
        label = model.names.get(role, role)
        add(f'<g class="lane" data-role="{role}"><line x1="{left}" y1="{y + 20}" x2="{W - right}" '
            f'y2="{y + 20}" stroke="#ddd"/><text x="20" y="{y + 16}" font-weight="bold">'
            f'{escape(label)}</text><text x="20" y="{y + 31}" font-size="11" fill="#555">'
            f'{escape(role_words(role))}</text></g>')
    for role, s, e, st in sorted(model.segments, key=lambda x: x[1]):
        if e < model.t0 - 0.001:
            continue
        x1, x2 = ax.x(max(s, model.t0 - 0.001)), ax.x(e)
        if x2 - x1 < 0.5:
            x2 = x1 + 0.5
        hgt = 16 if st == 'run' else 10
        add(f'<rect class="state" data-role="{role}" data-state="{st}" x="{x1:.1f}" '
            f'y="{lanes[role] + 20 - hgt / 2}" width="{x2 - x1:.1f}" height="{hgt}" '
            f'fill="{COLOURS[st]}"><title>{escape(STATE_WORDS[st])}: {fmt_us(e - s)}</title></rect>')
    n = 0
    label_end = {}  # (role, row) -> x where the last label there ends

    def label_row(role, x, text):
        row = 0
        while label_end.get((role, row), -1e9) > x:
            row += 1
        label_end[(role, row)] = x + 5.6 * len(text) + 6
        return row

    for i in model.items:
        x, y = ax.x(i['t']), lanes[i['role']] + 20
        if i['kind'] == 'log':
            n += 1
            i['n'] = n
            add(f'<g class="log" data-role="{i["role"]}" data-text={quoteattr(i["text"])}>'
                f'<circle cx="{x:.1f}" cy="{y - 19}" r="7" fill="white" stroke="#333"/>'
                f'<text x="{x:.1f}" y="{y - 15}" text-anchor="middle" font-size="9">{n}</text></g>')
        elif i['kind'] == 'call':
            row = label_row(i['role'], x, i['call'])
            add(f'<g class="call" data-role="{i["role"]}" data-call={quoteattr(i["call"])}>'
                f'<line x1="{x:.1f}" y1="{y - 11}" x2="{x:.1f}" y2="{y + 11 + 11 * row}" stroke="#6a1b9a" '
                f'stroke-width="1.5"/><text x="{x + 2:.1f}" y="{y + 21 + 11 * row}" font-size="10" '
                f'fill="#6a1b9a">{escape(i["call"])}</text></g>')
        elif i['kind'] == 'exit':
            add(f'<g class="exit" data-role="{i["role"]}"><text x="{x:.1f}" y="{y + 5}" '
                f'text-anchor="middle" font-size="15" fill="#b71c1c">✕</text>'
                f'<text x="{x + 8:.1f}" y="{y - 6}" font-size="10" fill="#b71c1c">exits</text></g>')
        elif i['kind'] == 'sleep':
            add(f'<g class="sleep" data-role="{i["role"]}" data-state="{i["state"]}"/>')
        elif i['kind'] == 'woken':
            add(f'<g class="woken" data-role="{i["role"]}" data-by="{i["by"]}" '
                f'data-why={quoteattr(i["why"])}>')
            if i['by'] not in ROLES:
                add(f'<path d="M{x:.1f},{y - 22} L{x:.1f},{y - 10}" stroke="#777" '
                    f'marker-end="url(#arrow)"/><text x="{x:.1f}" y="{y - 24}" text-anchor="middle" '
                    f'font-size="9" fill="#777">{escape(i["by"])}</text>')
            add('</g>')
    latencies = []
    for a in model.arrows:
        x1, y1 = ax.x(a['t_call']), lanes[a['src']] + 20
        x2, y2 = ax.x(a['t_run']), lanes[a['dst']] + 20
        y2 += -8 if y2 > y1 else 8
        add(f'<g class="wake" data-from="{a["src"]}" data-to="{a["dst"]}" data-why={quoteattr(a["why"])}>'
            f'<path d="M{x1:.1f},{y1} L{x2:.1f},{y2}" stroke="#333" stroke-width="1.2" '
            f'fill="none" marker-end="url(#arrow)"/>'
            f'<title>{escape(a["why"])}: {a["src"]} wakes {a["dst"]}, which runs '
            f'{fmt_us(a["t_run"] - a["t_call"])} later</title>')
        # The latency of the hand-off itself, and of each kthread_stop():
        # a letter on the arrow, the figure in the list below
        if a['why'] in ('complete()', 'kthread_stop()'):
            letter = chr(ord('a') + len(latencies))
            latencies.append((letter, f'{a["why"]} in {model.names[a["src"]]} → {model.names[a["dst"]]} '
                              f'runs: {fmt_us(a["t_run"] - a["t_call"])}{" (emulated)" if emulated else ""}'))
            xm, ym = (x1 + x2) / 2, (y1 + y2) / 2
            add(f'<circle cx="{xm:.1f}" cy="{ym:.1f}" r="7" fill="#fff8e1" stroke="#333"/>'
                f'<text x="{xm:.1f}" y="{ym + 4:.1f}" text-anchor="middle" font-size="10" '
                f'font-weight="bold">{letter}</text>')
        add('</g>')
    add(f'<text x="20" y="{legend_y}" font-weight="bold">The module\'s log, from the same trace '
        f'(printk\'s console event), with each line\'s time after insmod\'s first:</text>')
    for i in logs:
        y = legend_y + 8 + 18 * i['n']
        add(f'<text x="30" y="{y}" font-family="DejaVu Sans Mono, monospace" font-size="11">'
            f'{i["n"]:>2}  +{(i["t"] - model.t0) * 1000:8.3f} ms  {escape(model.module)}: '
            f'{escape(i["text"])}</text>')
    add(f'<text x="{W - 560}" y="{legend_y}" font-weight="bold">From the call to the woken task '
        f'running:</text>')
    for k, (letter, text) in enumerate(latencies):
        add(f'<text x="{W - 550}" y="{legend_y + 26 + 18 * k}" font-size="11">{letter}  {escape(text)}</text>')
    add('</svg>')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('\n'.join(o) + '\n')


def count_rounds(model):
    return sum(1 for _, r, t in model.logs if r == 'signaller' and t.startswith('signaller: round '))


def role_words(role):
    return {'insmod': 'loads: init starts both', 'signaller': "works the job, complete()",
            'waiter': 'waits for the completion', 'rmmod': 'unloads: kthread_stop() each'}[role]


def structure(path):
    """The picture's structure: what --structure prints. Only what every run
    of a correct module draws: for the signaller and the waiter, all from
    their first log line on (sleeps and their states, who woke them and why,
    calls, log lines, exit); for insmod and rmmod, their log lines, calls and
    exit (they also sleep in the module loader, for RCU or a workqueue, as
    it happens); the wake-ups between lanes but those of insmod and rmmod
    (they are asleep for them, or not yet, as it happens) and kthread_run()'s
    wake_up_process() of the new thread. Numbers in log
    lines are left out, and all times."""
    root = ET.parse(path).getroot()
    ns = '{http://www.w3.org/2000/svg}'
    lines = []
    lanes = [g.get('data-role') for g in root.iter(ns + 'g') if g.get('class') == 'lane']
    lines.append('lanes: ' + ' '.join(lanes))
    per = {r: [] for r in lanes}
    started = set()
    wakes = []
    for el in root.iter():
        c = el.get('class')
        role = el.get('data-role')
        if c == 'wake':
            # kthread_run()'s own hand-shake with the new thread is left
            # out: the thread may or may not be off the CPU by then
            if el.get('data-to') not in ('insmod', 'rmmod') and el.get('data-why') != 'wake_up_process()':
                wakes.append(f'{el.get("data-from")} -> {el.get("data-to")}: {el.get("data-why")}')
        elif c == 'log':
            started.add(role)
            per[role].append('log: ' + re.sub(r'\d+', 'N', el.get('data-text')))
        elif c == 'call' and el.get('data-call') == 'complete() in the kernel':
            continue    # insmod's or rmmod's, in the loader: as it happens
        elif c == 'call' and role in started | {'insmod', 'rmmod'}:
            per[role].append('calls ' + el.get('data-call'))
        elif c == 'exit':
            per[role].append('exits')
        elif role in ('insmod', 'rmmod') or role not in started:
            continue
        elif c == 'sleep':
            per[role].append(f'sleeps ({el.get("data-state")})')
        elif c == 'woken':
            by, why = el.get('data-by'), el.get('data-why')
            per[role].append(f'woken by {by}' + (f': {why}' if why != by else ''))
    for r in lanes:
        lines.append(f'{r}:')
        lines += ['  ' + s for s in per[r]]
    lines.append('wake-ups between lanes:')
    lines += ['  ' + w for w in wakes]
    return '\n'.join(lines) + '\n'


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--structure', metavar='SVG')
    p.add_argument('--emulated', action='store_true')
    p.add_argument('--kernel', default='?')
    p.add_argument('--module')
    p.add_argument('report', nargs='?')
    p.add_argument('out', nargs='?')
    a = p.parse_args()
    if a.structure:
        sys.stdout.write(structure(a.structure))
        return
    if not (a.module and a.report and a.out):
        p.error('--module, REPORT and OUT are needed')
    draw(Model(parse(a.report), a.module), a.kernel, a.emulated, a.out)


if __name__ == '__main__':
    main()
