#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench.py - completion_bench's runs as a table, a TSV and a histogram.

    bench.py --label TEXT [--emulated] DIR

DIR holds run-1/, run-2/, ... each with the module's samples.tsv (one line a
hand-off: mechanism, latency in ns, sorted) and log.txt (its kernel log).
Writes DIR/table.txt (also printed), DIR/bench.tsv and DIR/bench.svg.

The figures are computed here from the samples, the way the module computes
those it logs (the sample at index n * pct / 100 of the sorted n); a run
whose samples disagree with its own log, or lack hand-offs, is an error:
what is drawn is what the kernel measured. Ratios are to the floor,
wake_up_process, of the same run.
"""

import argparse
import glob
import math
import os
import re
import statistics
import sys
from html import escape

FLOOR = 'wake_up_process'
COLOURS = ['#444444', '#1565c0', '#2e7d32', '#ef6c00', '#8e24aa', '#c62828']


def fail(msg):
    print(f'bench.py: {msg}', file=sys.stderr)
    sys.exit(1)


def quantile(s, pct):
    return s[min(len(s) * pct // 100, len(s) - 1)]


def read_run(d):
    """One run: {mechanism: sorted samples}, in the module's order, and the
    log's awake counts; checked against the log's own summary."""
    samples = {}
    with open(os.path.join(d, 'samples.tsv')) as f:
        if f.readline().rstrip('\n') != 'mechanism\tlatency_ns':
            fail(f'{d}/samples.tsv: not a samples file')
        for line in f:
            name, ns = line.split('\t')
            samples.setdefault(name, []).append(int(ns))
    with open(os.path.join(d, 'log.txt')) as f:
        log = f.read()
    m = re.search(r': (\d+) hand-offs a mechanism between CPUs', log)
    if not m:
        fail(f'{d}/log.txt: no summary line')
    count = int(m.group(1))
    logged = {n: tuple(map(int, v)) for n, *v in
              re.findall(r': (\w+): median (\d+) ns, p99 (\d+) ns, max (\d+) ns', log)}
    awake = {n: int(v) for n, v in re.findall(r': (\w+): (\d+) hand-offs found their waiter still awake', log)}
    if list(samples) != list(logged) or FLOOR not in samples:
        fail(f'{d}: the samples name {list(samples)}, the log {list(logged)}')
    for name, s in samples.items():
        if len(s) != count:
            fail(f'{d}: {name}: {len(s)} samples, the log says {count}')
        if s != sorted(s):
            fail(f'{d}: {name}: the samples are not sorted')
        mine = (quantile(s, 50), quantile(s, 99), s[-1])
        if mine != logged[name]:
            fail(f'{d}: {name}: median, p99, max {mine} here, {logged[name]} in the log')
    return samples, awake


def us(ns):
    return f'{ns / 1000:.1f}'


def span(values):
    """'1.04' or, over several runs, '1.04 (1.02-1.06)': the median and range."""
    med = statistics.median(values)
    if len(values) == 1:
        return f'{med:.2f}'
    return f'{med:.2f} ({min(values):.2f}-{max(values):.2f})'


def table(runs, label, emulated):
    names = list(runs[0][0])
    count = len(runs[0][0][FLOOR])
    rows = []
    lines = [f'completion_bench on {label}',
             f'{len(runs)} run{"s" if len(runs) > 1 else ""}, {count} hand-offs a mechanism each; '
             'times in microseconds' + (', the median of the runs\'' if len(runs) > 1 else ''),
             'x floor: the ratio to wake_up_process\'s figure of the same run'
             + (', the median and range of the runs' if len(runs) > 1 else '')]
    if emulated:
        lines.append('emulated CPUs (QEMU TCG): the times are not real hardware\'s; compare the ratios')
    head = f'{"mechanism":<16} {"median":>8} {"p99":>8} {"max":>9}  {"median x floor":<19} {"p99 x floor":<19} awake'
    lines += ['', head]
    for name in names:
        per = []
        for i, (s, awake) in enumerate(runs):
            f = s[FLOOR]
            x = s[name]
            per.append((quantile(x, 50), quantile(x, 99), x[-1],
                        quantile(x, 50) / quantile(f, 50), quantile(x, 99) / quantile(f, 99),
                        awake.get(name, 0)))
            rows.append((i + 1, name, len(x)) + per[-1])
        med = [statistics.median(p[k] for p in per) for k in range(3)]
        lines.append(f'{name:<16} {us(med[0]):>8} {us(med[1]):>8} {us(med[2]):>9}  '
                     f'{span([p[3] for p in per]):<19} {span([p[4] for p in per]):<19} '
                     f'{sum(p[5] for p in per)}')
    return '\n'.join(lines) + '\n', rows


def svg(runs, label, emulated):
    """Each mechanism's hand-offs, every run pooled, over a log time axis."""
    pooled = {n: sorted(v for s, _ in runs for v in s[n]) for n in runs[0][0]}
    lo = max(1, min(s[0] for s in pooled.values()))
    hi = max(s[-1] for s in pooled.values())
    d0 = math.floor(math.log10(lo))
    d1 = max(d0 + 1, math.ceil(math.log10(hi)))
    per_decade = 20
    nbins = (d1 - d0) * per_decade
    hists = {}
    for n, s in pooled.items():
        h = [0] * nbins
        for v in s:
            b = int((math.log10(max(v, 1)) - d0) * per_decade)
            h[min(max(b, 0), nbins - 1)] += 1
        hists[n] = [100 * c / len(s) for c in h]
    # A log scale for the share too, so that the tail's rare hand-offs
    # show: from one hand-off in the pooled count to 100 %.
    n = len(pooled[FLOOR])
    e0 = math.floor(math.log10(100 / n))
    W, H, L, R, T, B = 820, 420, 70, 250, 70, 60
    pw, ph = W - L - R, H - T - B

    def x_of(b):
        return L + pw * b / nbins

    def y_of(p):
        if p <= 0:
            return T + ph
        return T + ph * (1 - (math.log10(p) - e0) / (2 - e0))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
           'font-family="DejaVu Sans, Verdana, sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="20" y="26" font-size="16" font-weight="bold">What a hand-off costs: '
           f'{escape(label)}</text>',
           f'<text x="20" y="46" font-size="11" fill="#555">From the signaller\'s call to the woken '
           f'thread running; {len(runs)} run{"s" if len(runs) > 1 else ""}, '
           f'{len(pooled[FLOOR])} hand-offs a mechanism</text>']
    if emulated:
        out.append('<text x="20" y="60" font-size="11" fill="#b71c1c">Emulated CPUs (QEMU TCG): '
                   'compare the shapes and the ratios, not the times</text>')
    # The axes: a decade's 1, 2 and 5, labelled in ns, µs or ms (only
    # the 1s when the axis spans more than three decades).
    for d in range(d0, d1 + 1):
        for m in (1, 2, 5):
            v = m * 10 ** d
            if v > 10 ** d1:
                break
            x = L + pw * (math.log10(v) - d0) / (d1 - d0)
            out.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{T + ph}" stroke="#eee"/>')
            if m != 1 and d1 - d0 > 3:
                continue
            text = f'{v / 1e6:g} ms' if v >= 10 ** 6 else f'{v / 1000:g} µs' if v >= 1000 else f'{v} ns'
            out.append(f'<text x="{x:.1f}" y="{T + ph + 16}" text-anchor="middle" font-size="10">'
                       f'{escape(text)}</text>')
    out.append(f'<line x1="{L}" y1="{T + ph}" x2="{L + pw}" y2="{T + ph}" stroke="#333"/>'
               f'<line x1="{L}" y1="{T}" x2="{L}" y2="{T + ph}" stroke="#333"/>'
               f'<text x="{L + pw / 2}" y="{H - 18}" text-anchor="middle">latency (log scale)</text>'
               f'<text x="18" y="{T + ph / 2}" text-anchor="middle" '
               f'transform="rotate(-90 18 {T + ph / 2})">% of hand-offs (log scale)</text>')
    for e in range(e0, 3):
        p = 10 ** e
        out.append(f'<line x1="{L}" y1="{y_of(p):.1f}" x2="{L + pw}" y2="{y_of(p):.1f}" stroke="#eee"/>'
                   f'<text x="{L - 6}" y="{y_of(p) + 4:.1f}" text-anchor="end" font-size="10">{p:g}</text>')
    floor_med = quantile(pooled[FLOOR], 50)
    for i, (n, h) in enumerate(hists.items()):
        c = COLOURS[i % len(COLOURS)]
        pts = [f'{x_of(0):.1f},{y_of(0):.1f}']
        for b, p in enumerate(h):
            pts.append(f'{x_of(b):.1f},{y_of(p):.1f} {x_of(b + 1):.1f},{y_of(p):.1f}')
        pts.append(f'{x_of(nbins):.1f},{y_of(0):.1f}')
        out.append(f'<polyline fill="none" stroke="{c}" stroke-width="1.6" points="{" ".join(pts)}"/>')
        med = quantile(pooled[n], 50)
        xm = L + pw * (math.log10(max(med, 1)) - d0) / (d1 - d0)
        out.append(f'<line x1="{xm:.1f}" y1="{T + ph}" x2="{xm:.1f}" y2="{T + ph + 6}" stroke="{c}" stroke-width="2"/>')
        y = T + 10 + 34 * i
        ratio = 'the floor' if n == FLOOR else f'{med / floor_med:.2f} x the floor'
        out.append(f'<line x1="{W - R + 20}" y1="{y}" x2="{W - R + 44}" y2="{y}" stroke="{c}" stroke-width="3"/>'
                   f'<text x="{W - R + 52}" y="{y + 4}" font-weight="bold">{escape(n)}</text>'
                   f'<text x="{W - R + 52}" y="{y + 19}" font-size="11" fill="#555">median {us(med)} µs, '
                   f'{escape(ratio)}</text>')
    out.append(f'<text x="{W - R + 20}" y="{T + ph - 4}" font-size="10" fill="#777">ticks under the axis: '
               'the medians</text>')
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--label', required=True)
    ap.add_argument('--emulated', action='store_true')
    ap.add_argument('dir')
    a = ap.parse_args()
    dirs = sorted(glob.glob(os.path.join(a.dir, 'run-*')), key=lambda d: int(d.rsplit('-', 1)[1]))
    if not dirs:
        fail(f'no run-N folder in {a.dir}')
    runs = [read_run(d) for d in dirs]
    if any(list(s) != list(runs[0][0]) for s, _ in runs):
        fail('the runs do not time the same mechanisms')
    text, rows = table(runs, a.label, a.emulated)
    with open(os.path.join(a.dir, 'table.txt'), 'w') as f:
        f.write(text)
    with open(os.path.join(a.dir, 'bench.tsv'), 'w') as f:
        f.write('label\trun\tmechanism\thand_offs\tmedian_ns\tp99_ns\tmax_ns\t'
                'median_x_floor\tp99_x_floor\tawake\temulated\n')
        for r in rows:
            f.write(f'{a.label}\t{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]}\t{r[5]}\t'
                    f'{r[6]:.3f}\t{r[7]:.3f}\t{r[8]}\t{"yes" if a.emulated else "no"}\n')
    with open(os.path.join(a.dir, 'bench.svg'), 'w') as f:
        f.write(svg(runs, a.label, a.emulated))
    sys.stdout.write(text)
    print(f'bench.py: {a.dir}/table.txt, bench.tsv, bench.svg')


if __name__ == '__main__':
    main()
