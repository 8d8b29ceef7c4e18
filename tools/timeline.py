#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""timeline.py - draw a module's hand-off from a kernel trace, as SVG.

    timeline.py [--emulated] --kernel NAME --module NAME REPORT.txt OUT.svg
    timeline.py --structure FILE.svg

REPORT.txt is `trace-cmd report -l` of the trace that scripts/guest/timeline-vm.sh
records (sched_switch, sched_waking, sched_wakeup(_new), sched_process_exit,
printk's console event, kprobes on complete(), wait_for_completion_interruptible()
and kthread_stop(), and trace_marker lines with the module's text address and
its static objects' addresses). --kernel is the kernel's name as the picture
gives it ("Debian 6.1": no build number, which goes stale).

The picture has one lane per task: insmod, the signaller, the waiter, rmmod.
A lane shows when its task runs, sleeps (S: interruptible, D: uninterruptible)
or waits for a CPU after a wake-up, each state with its own height and
pattern as well as its colour (Okabe and Ito's, which colour-blind viewers
tell apart); arrows show who woke whom and why (complete(), kthread_stop(),
...), with the time from the call to the woken task running. The header says
where the completion lives, from the addresses that complete() and the wait
take: in a task's stack frame (just above its stack pointer) or static (a
symbol of the module's).

The time axis is compressed: every gap between two events is drawn with a
width that grows with the log of its length, so a 100 ms sleep and a 50 us
wake-up both fit. A gap over 2 ms is a cut, marked // on the axis, with its
length on the lane that sleeps through it; the axis's ticks give the time
after the module's first log line.

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
# the completion's address (the first argument) and the stack pointer
ARGS = re.compile(r'obj=0x(?P<obj>[0-9a-f]+) sp=0x(?P<sp>[0-9a-f]+)')
MARKER = re.compile(r'ck: module (?P<name>\S+) text 0x(?P<text>[0-9a-f]+) size (?P<size>\d+)')
SYMBOL = re.compile(r'ck: symbol (?P<module>\S+) (?P<name>\S+) 0x(?P<addr>[0-9a-f]+) (?P<type>\w)\b')
# A completion is in a task's stack frame if its address is that far or
# less above the task's stack pointer at a call: a kernel stack is 16 KiB
# on x86-64 (32 KiB with KASAN), and the caller's frame is just above.
STACK_REACH = 16384
SECTIONS = {'d': '.data', 'b': '.bss'}

ROLES = ('insmod', 'signaller', 'waiter', 'rmmod')
STATE_WORDS = {'run': 'running', 'S': 'asleep, interruptible (S)',
               'D': 'asleep, uninterruptible (D)',
               'wait-cpu': 'runnable: waiting for a CPU (woken or preempted)'}


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
        # The module's static objects, from /proc/kallsyms: where a static
        # completion is
        self.symbols = {}
        for e in events:
            m = SYMBOL.search(e.rest) if e.event == 'print' else None
            if m and m['module'] == module:
                self.symbols[int(m['addr'], 16)] = (m['name'], m['type'])
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
        self.objs = []  # (role, call, completion's address, stack pointer): the module's calls
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
                args = ARGS.search(e.rest)
                if role and args and e.event != 'kthread_stop' and self.is_module_caller(e):
                    self.objs.append((role, kind, int(args['obj'], 16), int(args['sp'], 16)))
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


    def completion(self):
        """Where the completion that the module's complete() and wait take
        lives, from their first argument: in a task's stack frame (just above
        its stack pointer at one of these calls), or static (at a symbol of
        the module's in /proc/kallsyms). None if the trace has no addresses."""
        if not self.objs:
            return None
        takers = [(role, call) for role, call, _, _ in self.objs]
        addrs = sorted({obj for _, _, obj, _ in self.objs})
        c = dict(addr=addrs[0], takers=takers, where='unknown')
        if len(addrs) > 1:
            c['where'] = 'several'
            return c
        addr = addrs[0]
        for role, call, _, sp in self.objs:
            if 0 <= addr - sp < STACK_REACH:
                c.update(where='stack', owner=role, call=call, offset=addr - sp)
                return c
        below = [a for a in self.symbols if a <= addr]
        if below and addr - max(below) < 256:
            name, kind = self.symbols[max(below)]
            off = addr - max(below)
            c.update(where='static', symbol=name + (f'+{off}' if off else ''),
                     section=SECTIONS.get(kind.lower(), kind))
        return c


class Axis:
    """Compressed time: each gap between event times gets a width that grows
    with the log of its length. A cut, a gap of CUT or more in which nothing
    happens, gets cut_px at least: room for its length."""

    CUT = 0.002

    def __init__(self, times, x0, width, cut_px):
        ts = sorted(set(times))
        self.ts = ts
        raw = [self.gap(b - a) for a, b in zip(ts, ts[1:])]
        cut = [b - a >= self.CUT for a, b in zip(ts, ts[1:])]
        fixed = [False] * len(raw)  # the cuts widened to cut_px
        while True:
            free = sum(w for w, f in zip(raw, fixed) if not f)
            scale = (width - cut_px * sum(fixed)) / max(free, 1e-9)
            narrow = [k for k, w in enumerate(raw) if cut[k] and not fixed[k] and w * scale < cut_px]
            if not narrow:
                break
            for k in narrow:
                fixed[k] = True
        self.xs = [x0]
        for w, f in zip(raw, fixed):
            self.xs.append(self.xs[-1] + (cut_px if f else w * scale))

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

    def cuts(self):
        for a, b, xa, xb in zip(self.ts, self.ts[1:], self.xs, self.xs[1:]):
            if b - a >= self.CUT:
                yield a, b, xa, xb


def fmt_us(dt):
    us = dt * 1e6
    return f'{us:.0f} µs' if us < 1000 else f'{us / 1000:.2f} ms'


def fmt_cut(dt):
    """A cut's length in three figures: 3.86 ms, 33.9 ms, 104 ms."""
    ms = dt * 1000
    return f'{ms:.3g} ms' if ms < 100 else f'{ms:.0f} ms'


# The picture is 1200 px wide, its text 15 px and more: read from the back
# of a classroom, on a projector.
W, LEFT, RIGHT = 1200, 200, 40
BIG, FONT, SMALL = 26, 17, 15
# Okabe and Ito's colours, which colour-blind viewers tell apart; the states
# differ by height and pattern too, not by colour alone
STYLE = {'run': ('#0072B2', 22), 'S': ('#56B4E9', 12), 'D': ('url(#hatch)', 12),
         'wait-cpu': ('url(#dots)', 12)}
PATTERNS = ('<pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="8" height="8" fill="#D55E00"/>'
            '<rect width="3" height="8" fill="white"/></pattern>'
            '<pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse">'
            '<rect width="6" height="6" fill="#F0E442"/><circle cx="3" cy="3" r="1.4" fill="black"/></pattern>')
CALL_INK, GREY = '#5e3c99', '#444'


def text_width(s, size, mono=False):
    """About how wide a text is drawn, in px (DejaVu Sans: 0.58 em a character)."""
    return len(s) * size * (0.61 if mono else 0.58)


def wrap(s, size, width):
    lines, line = [], ''
    for word in s.split(' '):
        if line and text_width(f'{line} {word}', size) > width:
            lines.append(line)
            line = word
        else:
            line = f'{line} {word}' if line else word
    return lines + [line]


def text(x, y, s, size=FONT, **attrs):
    more = ''.join(f' {k.replace("_", "-")}={quoteattr(str(v))}' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{more}>{escape(s)}</text>'


def pill(x, y, s, size=SMALL, anchor='middle'):
    """A label on a white ground, over what is drawn there."""
    w = text_width(s, size) + 12
    x0 = {'middle': x - w / 2, 'start': x, 'end': x - w}[anchor]
    return (f'<rect x="{x0:.1f}" y="{y - size * 0.75 - 4:.1f}" width="{w:.1f}" height="{size + 6}" '
            f'rx="4" fill="white" stroke="#777"/>' + text(x0 + w / 2, y + 1, s, size, text_anchor='middle'))


def completion_words(c, names):
    """The completion's place, as the header says it: a headline and the
    evidence (the addresses the trace holds)."""
    if c is None:
        return 'The completion: no address of it in this trace', ''
    takers = ' and '.join(f"{names[r]}'s {call}" for r, call in c['takers'])
    if c['where'] == 'stack':
        owner = names[c['owner']]
        others = [f"{names[r]}'s {call}" for r, call in c['takers'] if (r, call) != (c['owner'], c['call'])]
        return (f"The completion: in {owner}'s stack frame",
                f"{c['addr']:#x}, {c['offset']} bytes above {owner}'s stack pointer at its {c['call']}"
                + (f"; {' and '.join(others)} {'takes' if len(others) == 1 else 'take'} the same address."
                   if others else '.'))
    if c['where'] == 'static':
        return (f"The completion: static, {c['symbol']} in the module's {c['section']}",
                f"{c['addr']:#x}, the address of {c['symbol']} in /proc/kallsyms: {takers} take it.")
    if c['where'] == 'several':
        return ("The completion: the module's calls take different addresses",
                '; '.join(f"{names[r]}'s {call}" for r, call in c['takers']) + '.')
    return (f"The completion: at {c['addr']:#x}, neither in a stack frame nor static",
            f'{takers} take this address.')


def draw(model, kernel, emulated, out):
    times = [model.t0, model.t1 + 0.0005]
    times += [s for _, s, _, _ in model.segments] + [e for _, _, e, _ in model.segments]
    times += [i['t'] for i in model.items] + [a['t_run'] for a in model.arrows]
    times = [t for t in times if model.t0 - 0.001 <= t <= model.t1 + 0.001]
    ax = Axis(times, LEFT, W - LEFT - RIGHT, cut_px=text_width('000 ms', SMALL) + 24)
    X = ax.x
    o = []
    add = o.append
    how = ('TCG: an emulated CPU, so the times are emulated, not those of real hardware'
           if emulated else 'KVM')

    # The header: what ran, where the completion is, the states' legend
    add(text(20, 36, f'{model.module}: the hand-off, traced on {kernel}', BIG, font_weight='bold'))
    y = 36
    for line in wrap(f'insmod, a job of {count_rounds(model)} rounds, rmmod once the waiter is woken. '
                     f"One run in QEMU ({how}); times from the kernel's trace clock.", FONT, W - 40):
        y += 24
        add(text(20, y, line, FONT, fill=GREY))
    c = model.completion()
    headline, evidence = completion_words(c, model.names)
    y += 34
    if c:
        place = {'stack': f"the {c.get('owner')}'s stack", 'static': f"{c.get('symbol')} in {c.get('section')}"}
        add(f'<g class="completion" data-where={quoteattr(c["where"])} '
            f'data-place={quoteattr(place.get(c["where"], ""))} '
            f'data-takers={quoteattr(", ".join(f"{r} {call}" for r, call in c["takers"]))}>')
    else:
        add('<g class="completion">')
    add(text(20, y, headline, FONT + 2, font_weight='bold'))
    for line in wrap(evidence, SMALL, W - 40) if evidence else ():
        y += 21
        add(text(20, y, line, SMALL, fill=GREY))
    add('</g>')
    y += 34
    # the legend: the states, then the marks
    keys = [(STATE_WORDS[k], f'<rect x="{{x}}" y="{{y0}}" width="30" height="{STYLE[k][1]}" '
             f'fill="{STYLE[k][0]}"/>', 11 - STYLE[k][1] / 2) for k in ('run', 'S', 'D', 'wait-cpu')]
    keys += [('a call, caught by a kprobe', f'<line x1="{{x15}}" y1="{{y0}}" x2="{{x15}}" y2="{{y22}}" '
              f'stroke="{CALL_INK}" stroke-width="2"/>', 0),
             ('a log line, listed below', '<circle cx="{x15}" cy="{y11}" r="10" fill="white" stroke="black"/>', 0),
             ('wakes', '<path d="M{x},{y11} L{x30},{y11}" stroke="black" stroke-width="1.5" '
              'marker-end="url(#arrow)"/>', 0)]
    lx = 20
    for words, mark, dy in keys:
        if lx + 40 + text_width(words, SMALL) > W - 20:
            lx, y = 20, y + 28
        top = y - 16 + dy
        add(mark.format(x=lx, x15=lx + 15, x30=lx + 30, y0=top, y11=y - 5, y22=top + 22))
        add(text(lx + 36, y, words, SMALL))
        lx += 36 + text_width(words, SMALL) + 30

    # The calls' labels, under their lane, in as many rows as they need
    labels = {}     # id of the call's item -> (x, row, anchor)
    taken = {}      # (role, row) -> [(x0, x1)] of its labels
    for i in model.items:
        if i['kind'] != 'call':
            continue
        x, w = X(i['t']), text_width(i['call'], SMALL)
        x0, anchor = (x + 3, 'start') if x + 3 + w < W - 10 else (x - 3 - w, 'end')
        row = 0
        while any(a < x0 + w + 8 and x0 < b + 8 for a, b in taken.get((i['role'], row), ())):
            row += 1
        taken.setdefault((i['role'], row), []).append((x0, x0 + w))
        labels[id(i)] = (x, row, anchor)
    lanes = {}      # role -> y of its line
    y += 30
    lanes_top = y
    for role in ROLES:
        rows = max([r + 1 for (lr, r) in taken if lr == role], default=0)
        lanes[role] = y + 50
        y = lanes[role] + max(50, 30 + 19 * rows)
    axis_y = y + 10

    # The cuts: a grey band through the lanes, the cut's length on the lane
    # that sleeps through it (the one whose event ends it)
    cuts = list(ax.cuts())
    for a, b, xa, xb in cuts:
        xm = (xa + xb) / 2
        add(f'<rect x="{xm - 6:.1f}" y="{lanes_top}" width="12" height="{axis_y - lanes_top}" fill="#e4e4e4"/>')
    for role in ROLES:
        y = lanes[role]
        add(f'<g class="lane" data-role="{role}"><line x1="{LEFT}" y1="{y}" x2="{W - RIGHT}" y2="{y}" '
            f'stroke="#bbb"/>' + text(20, y - 4, model.names.get(role, role), FONT + 1, font_weight='bold'))
        for k, line in enumerate(role_words(role)):
            add(text(20, y + 18 + 18 * k, line, SMALL, fill=GREY))
        add('</g>')
    for role, s, e, st in sorted(model.segments, key=lambda x: x[1]):
        if e < model.t0 - 0.001:
            continue
        x1, x2 = X(max(s, model.t0 - 0.001)), X(e)
        if x2 - x1 < 0.5:
            x2 = x1 + 0.5
        fill, h = STYLE[st]
        add(f'<rect class="state" data-role="{role}" data-state="{st}" x="{x1:.1f}" '
            f'y="{lanes[role] - h / 2}" width="{x2 - x1:.1f}" height="{h}" '
            f'fill="{fill}"><title>{escape(STATE_WORDS[st])}: {fmt_us(e - s)}</title></rect>')

    # Log lines, calls, exits, sleeps and wake-ups, lane by lane
    boxes = []      # x, y, width, height of the calls' labels: no letter on them
    n = 0
    circle_x = {}   # role -> x of its last log line's circle
    for i in model.items:
        x, y = X(i['t']), lanes[i['role']]
        if i['kind'] == 'log':
            n += 1
            i['n'] = n
            # a circle that would cover the one before goes to its right,
            # a line down to its time
            cx = max(x, circle_x.get(i['role'], -1e9) + 24)
            circle_x[i['role']] = cx
            lead = f'<path d="M{cx:.1f},{y - 16} L{x:.1f},{y - 11}" stroke="black"/>' if cx > x else ''
            add(f'<g class="log" data-role="{i["role"]}" data-text={quoteattr(i["text"])}>{lead}'
                f'<circle cx="{cx:.1f}" cy="{y - 27}" r="11" fill="white" stroke="black"/>'
                + text(cx, y - 22, str(n), 14, text_anchor='middle') + '</g>')
        elif i['kind'] == 'call':
            x, row, anchor = labels[id(i)]
            ly = y + 30 + 19 * row
            w = text_width(i['call'], SMALL)
            boxes.append((x + 3 if anchor == 'start' else x - 3 - w, ly - 13, w, 17))
            add(f'<g class="call" data-role="{i["role"]}" data-call={quoteattr(i["call"])}>'
                f'<line x1="{x:.1f}" y1="{y - 13}" x2="{x:.1f}" y2="{ly - 12}" stroke="{CALL_INK}" '
                f'stroke-width="2"/>' + text(x + (3 if anchor == 'start' else -3), ly, i['call'], SMALL,
                                             fill=CALL_INK, text_anchor=anchor) + '</g>')
        elif i['kind'] == 'exit':
            add(f'<g class="exit" data-role="{i["role"]}">' + text(x, y + 7, '✕', 22, text_anchor='middle')
                + text(x + 10, y - 10, 'exits', SMALL) + '</g>')
        elif i['kind'] == 'sleep':
            add(f'<g class="sleep" data-role="{i["role"]}" data-state="{i["state"]}"/>')
        elif i['kind'] == 'woken':
            add(f'<g class="woken" data-role="{i["role"]}" data-by="{i["by"]}" '
                f'data-why={quoteattr(i["why"])}>')
            if i['by'] not in ROLES:
                # from outside the lanes: a timer, kthreadd, a fork
                add(f'<path d="M{x:.1f},{y - 36} L{x:.1f},{y - 13}" stroke="{GREY}" stroke-width="1.5" '
                    f'marker-end="url(#arrow)"/>' + text(x - 4, y - 26, i['by'], 14, fill=GREY,
                                                         text_anchor='end'))
            add('</g>')

    # Who woke whom: an arrow from the call to the woken task running
    latencies = []
    for a in model.arrows:
        x1, y1 = X(a['t_call']), lanes[a['src']]
        x2, y2 = X(a['t_run']), lanes[a['dst']]
        y2 += -12 if y2 > y1 else 12
        add(f'<g class="wake" data-from="{a["src"]}" data-to="{a["dst"]}" data-why={quoteattr(a["why"])}>'
            f'<path d="M{x1:.1f},{y1} L{x2:.1f},{y2}" stroke="black" stroke-width="1.5" '
            f'fill="none" marker-end="url(#arrow)"/>'
            f'<title>{escape(a["why"])}: {a["src"]} wakes {a["dst"]}, which runs '
            f'{fmt_us(a["t_run"] - a["t_call"])} later</title>')
        # a point on the arrow, near its middle, off the calls' labels
        for f in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.5):
            xm, ym = x1 + f * (x2 - x1), y1 + f * (y2 - y1)
            if not any(bx - 12 < xm < bx + bw + 12 and by - 12 < ym < by + bh + 12 for bx, by, bw, bh in boxes):
                break
        # The latency of the hand-off itself, and of each kthread_stop():
        # a letter on the arrow, the figure in the list below
        if a['why'] in ('complete()', 'kthread_stop()'):
            letter = chr(ord('a') + len(latencies))
            latencies.append((letter, f'{a["why"]} in {model.names[a["src"]]} → {model.names[a["dst"]]} '
                              f'runs: {fmt_us(a["t_run"] - a["t_call"])}{" (emulated)" if emulated else ""}'))
            add(f'<circle cx="{xm:.1f}" cy="{ym:.1f}" r="11" fill="white" stroke="black"/>'
                + text(xm, ym + 5, letter, SMALL, text_anchor='middle', font_weight='bold'))
        elif {a['src'], a['dst']} == {'signaller', 'waiter'}:
            # a wake-up between the two threads that is not the hand-off:
            # the waiter handing its job (and so its completion) over
            words = a['why']
            if c and c['where'] == 'stack' and c['owner'] == a['src'] and (a['dst'], 'complete()') in c['takers']:
                words = f'hands its job over: {words}'
            add(pill(xm + 10, ym + 5, words, anchor='start'))
        add('</g>')

    for a, b, xa, xb in cuts:
        ends = [i['role'] for i in model.items if i['t'] == b] + [r for r, s, _, _ in model.segments if s == b]
        add(f'<g class="gap">{pill((xa + xb) / 2, lanes[ends[0] if ends else "signaller"] + 5, fmt_cut(b - a))}</g>')

    # The time axis: the time after log line 1, the cuts marked on it
    add(f'<line x1="{LEFT}" y1="{axis_y}" x2="{W - RIGHT}" y2="{axis_y}" stroke="black" stroke-width="2"/>')
    add(text(20, axis_y + 6, 'time →', FONT + 1, font_weight='bold'))
    for a, b, xa, xb in cuts:
        xm = (xa + xb) / 2
        add(f'<rect x="{xm - 5:.1f}" y="{axis_y - 9}" width="10" height="18" fill="white"/>'
            f'<path d="M{xm - 8:.1f},{axis_y + 8} L{xm - 2:.1f},{axis_y - 8} M{xm + 2:.1f},{axis_y + 8} '
            f'L{xm + 8:.1f},{axis_y - 8}" stroke="black" stroke-width="2"/>')
    # a tick where the axis starts and after each cut; a label that would
    # cover the one before goes on a second row
    last = [-1e9, -1e9]
    for t in [model.t0] + [b for _, b, _, _ in cuts]:
        x, words = X(t), f'+{(t - model.t0) * 1000:.1f} ms' if t > model.t0 else '0 ms'
        w = text_width(words, SMALL)
        row = next((r for r in (0, 1) if x - w / 2 > last[r] + 10), None)
        if row is None:
            continue
        last[row] = x + w / 2
        add(f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 7 + 19 * row}" stroke="black" '
            f'stroke-width="{2 - row}"/>' + text(x, axis_y + 25 + 19 * row, words, SMALL, text_anchor='middle'))
    y = axis_y + 44
    for line in wrap('The time after log line 1, on a compressed axis: each gap between two events is drawn '
                     'by the log of its length, and each // cuts out a stretch where nothing happens, with its '
                     'length on the lane that sleeps through it. Read the labels, not the distances.',
                     SMALL, W - 40):
        y += 22
        add(text(20, y, line, SMALL, fill=GREY))

    # The log and the latencies, under the picture
    y += 40
    add(text(20, y, "The module's log, from the same trace (printk's console event), with each line's "
             "time after line 1:", FONT, font_weight='bold'))
    y += 6
    for i in model.items:
        if i['kind'] == 'log':
            y += 22
            add(text(28, y, f'{i["n"]:>2}  +{(i["t"] - model.t0) * 1000:8.3f} ms  {model.module}: {i["text"]}',
                     SMALL, font_family='DejaVu Sans Mono, monospace', **{'xml:space': 'preserve'}))
    y += 40
    add(text(20, y, 'From the call to the woken task running:', FONT, font_weight='bold'))
    y += 4
    for letter, words in latencies:
        y += 24
        add(text(28, y, f'{letter}   {words}', SMALL + 1))
    H = y + 24
    with open(out, 'w', encoding='utf-8') as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
                f'font-family="DejaVu Sans, Verdana, sans-serif">\n')
        f.write(f'<title>{escape(model.module)}: the hand-off, traced on {escape(kernel)}</title>\n')
        f.write(f'<desc data-module={quoteattr(model.module)} data-kernel={quoteattr(kernel)}>Drawn by '
                f'tools/timeline.py (make timeline) from a tracefs trace of one run in QEMU ({escape(how)}).'
                '</desc>\n')
        f.write(f'<rect width="{W}" height="{H}" fill="white"/>\n')
        f.write(f'<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" '
                f'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="black"/></marker>{PATTERNS}</defs>\n')
        f.write('\n'.join(o) + '\n</svg>\n')


def count_rounds(model):
    return sum(1 for _, r, t in model.logs if r == 'signaller' and t.startswith('signaller: round '))


def role_words(role):
    return {'insmod': ('loads: init', 'starts both'), 'signaller': ('works the job,', 'complete()'),
            'waiter': ('waits for the', 'completion'), 'rmmod': ('unloads:', 'kthread_stop() each')}[role]


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
    # where the completion is: a stack (whose), or static (which symbol)
    c = next((g for g in root.iter(ns + 'g') if g.get('class') == 'completion'), None)
    if c is None or c.get('data-where') is None:
        lines.append('completion: no address')
    else:
        lines.append(f'completion: {c.get("data-where")}: {c.get("data-place")}')
        lines.append(f'  taken by: {c.get("data-takers")}')
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
