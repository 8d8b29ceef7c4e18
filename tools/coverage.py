#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""coverage.py - which lines and branches of the modules the tests ran.

  coverage.py --build DIR --kdir DIR --out DIR --exclusions FILE CONSOLE... -- MODULE...
  coverage.py --build DIR --report JSON --out DIR --exclusions FILE -- MODULE...

The debug kernel's boots of make check-all and make coverage load the
modules built with gcov (GCOV_PROFILE := y, CONFIG_GCOV_KERNEL) and print,
after their tests, the kernel's counts of every module loaded since boot
(/sys/kernel/debug/gcov, a gzipped tar in base64 on the serial console:
scripts/vm/vm-init.sh). This script:

  1. takes each CONSOLE's counts (the .gcda files) and puts each beside the
     .gcno file that the build of that module left under --build (the path
     in the guest is the build's own);
  2. runs gcovr on them (the compiler ran in --kdir, the kernel's build
     tree: the headers' paths are relative to it), as
     gcovr --exclude-unreachable-branches counts:
     --out/coverage.json and the pages --out/html/index.html;
  3. takes out the lines and branches that the exclusions FILE lists, each
     with its reason (they cannot run by construction, see the file); a
     line's branches are numbered from 0, as gcovr numbers them;
  4. writes --out/summary.tsv, one line a module: module, lines_hit,
     lines_total, branches_hit, branches_total (tab-separated), and prints
     each module's figures and every line and branch not run.

--report: steps 3 and 4 alone, on a gcovr JSON report (the unit tests).

Goals: 100 % of the lines and branches of each of the five modules, 95 % of
completion_api's lines. Exit status 1 if a module is below its goal, if an
exclusion matches no line (a stale one), or if a module has no counts.
"""

import argparse
import base64
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

# The goals, in percent: (lines, branches); None: no goal.
GOALS = {"completion_api": (95, None)}
DEFAULT_GOAL = (100, 100)


def counts_from(console, build):
    """Unpack the gcov tar of CONSOLE; put each .gcda under BUILD."""
    with open(console, "rb") as f:
        text = f.read().decode("latin-1").replace("\r", "")
    begin, end = "ck-vm: gcov.tgz begin\n", "ck-vm: gcov.tgz end"
    if begin not in text:
        sys.exit(f"coverage.py: {console}: no gcov data (no '{begin.strip()}' line)")
    data = text.split(begin, 1)[1].split(end, 1)[0]
    blob = base64.b64decode("".join(data.split()))
    placed = []
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(blob)), mode="r:") as tar:
        for m in tar.getmembers():
            if not m.isfile() or not m.name.endswith(".gcda"):
                continue
            # The guest's path is the build's: ./<absolute path on the host>.
            dest = os.path.normpath("/" + m.name.lstrip("./"))
            if not dest.startswith(build + os.sep):
                continue
            if not os.path.exists(dest[:-5] + ".gcno"):
                continue
            with tar.extractfile(m) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
            placed.append(dest)
    return placed


def read_exclusions(path):
    """The exclusions: (modules, text, what, reason, line number)."""
    rules = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            parts = [p for p in parts if p != ""]
            what = parts[2] if len(parts) == 4 else ""
            if what.startswith("branch:"):
                try:
                    what = frozenset(int(x) for x in what[7:].split(","))
                except ValueError:
                    what = ""
            if len(parts) != 4 or not (what in ("line", "branches") or isinstance(what, frozenset)):
                sys.exit(f"coverage.py: {path}:{n}: want MODULES<TAB>TEXT<TAB>line|branches|branch:N,...<TAB>REASON")
            rules.append((parts[0].split(","), parts[1], what, parts[3], n))
    return rules


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--kdir")
    ap.add_argument("--report")
    ap.add_argument("--out", required=True)
    ap.add_argument("--exclusions", required=True)
    ap.add_argument("consoles", nargs="*")
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("coverage.py: name the modules after --")
    i = argv.index("--")
    args = ap.parse_args(argv[:i])
    modules = argv[i + 1:]
    if not modules:
        sys.exit("coverage.py: no module named after --")
    build = os.path.realpath(args.build)
    out = os.path.abspath(args.out)
    rc = 0
    if args.report:
        os.makedirs(out, exist_ok=True)
        with open(args.report) as f:
            report = json.load(f)
    else:
        if not args.consoles or not args.kdir:
            sys.exit("coverage.py: name --kdir and the consoles (or --report)")
        report, rc = measure(args, build, out, modules)
    return summarize(args, build, out, modules, report) or rc


def measure(args, build, out, modules):
    """Steps 1 and 2: the counts from the consoles, then gcovr's report."""
    if shutil.which("gcovr") is None:
        sys.exit("coverage.py: gcovr not found: apt-get install gcovr")

    # 1. The counts, beside their notes files. Old counts go first.
    for root, _, files in os.walk(build):
        for f in files:
            if f.endswith(".gcda"):
                os.remove(os.path.join(root, f))
    placed = []
    for c in args.consoles:
        placed += counts_from(c, build)
    have = {os.path.basename(p)[:-5] for p in placed}
    rc = 0
    for m in modules:
        if m not in have:
            print(f"coverage.py: {m}: no counts in the consoles (not built with gcov, or never loaded)")
            rc = 1

    # 2. gcovr, as --exclude-unreachable-branches counts.
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "html"))
    js = os.path.join(out, "coverage.json")
    cmd = ["gcovr", "--root", build, "--object-directory", args.kdir,
           "--exclude-unreachable-branches",
           "--json", js, "--json-pretty",
           "--html-details", os.path.join(out, "html", "index.html"),
           "--html-title", "completion-kthreads: the modules' lines and branches run by the tests",
           build]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        sys.stderr.write(r.stdout + r.stderr)
        sys.exit(f"coverage.py: gcovr failed ({r.returncode})")
    with open(js) as f:
        return json.load(f), rc


def summarize(args, build, out, modules, report):
    """Steps 3 and 4: the exclusions, then the figures against the goals."""
    rc = 0
    rules = read_exclusions(args.exclusions)
    used = set()
    rows = []
    for fe in report["files"]:
        m = os.path.basename(fe["file"])[:-2]
        if m not in modules or not fe["file"].endswith(".c"):
            continue
        with open(os.path.join(build, fe["file"])) as f:
            src = f.read().split("\n")
        lh = lt = bh = bt = 0
        excluded = 0
        missed = []
        for ln in fe["lines"]:
            if ln.get("gcovr/noncode"):
                continue
            no = ln["line_number"]
            text = src[no - 1] if no <= len(src) else ""
            what = None
            for i, (mods, needle, kind, _, _) in enumerate(rules):
                if ("*" in mods or m in mods) and needle in text:
                    what = kind
                    used.add(i)
                    break
            skip = set()
            if isinstance(what, frozenset):
                skip = what
                what = None
            if what == "line":
                excluded += 1
                continue
            lt += 1
            if ln["count"] > 0:
                lh += 1
            else:
                missed.append(f"{m}.c:{no}: line not run: {text.strip()}")
            if what == "branches":
                excluded += 1
                continue
            for bi, b in enumerate(ln["branches"]):
                if bi in skip:
                    excluded += 1
                    continue
                bt += 1
                if b["count"] > 0:
                    bh += 1
                else:
                    missed.append(f"{m}.c:{no}: branch {bi} not taken: {text.strip()}")
        rows.append((m, lh, lt, bh, bt, excluded, missed))

    for i, (mods, needle, _, _, n) in enumerate(rules):
        if i not in used and any(mm == "*" or mm in modules for mm in mods):
            print(f"coverage.py: {args.exclusions}:{n}: '{needle}' matches no line of {','.join(mods)}: stale")
            rc = 1
    for m in modules:
        if m not in {r[0] for r in rows}:
            print(f"FAIL: {m}: not in gcovr's report")
            rc = 1
    with open(os.path.join(out, "summary.tsv"), "w") as f:
        f.write("module\tlines_hit\tlines_total\tbranches_hit\tbranches_total\n")
        for m, lh, lt, bh, bt, _, _ in sorted(rows):
            f.write(f"{m}\t{lh}\t{lt}\t{bh}\t{bt}\n")

    def pct(a, b):
        return 100.0 * a / b if b else 100.0

    for m, lh, lt, bh, bt, excluded, missed in sorted(rows, key=lambda r: modules.index(r[0])):
        gl, gb = GOALS.get(m, DEFAULT_GOAL)
        ok = (gl is None or pct(lh, lt) >= gl) and (gb is None or pct(bh, bt) >= gb)
        goal = " and ".join(g for g in (f"{gl} % of lines" if gl else "", f"{gb} % of branches" if gb else "") if g)
        print(f"{'ok' if ok else 'FAIL'}: {m}: lines {lh}/{lt} ({pct(lh, lt):.1f} %), "
              f"branches {bh}/{bt} ({pct(bh, bt):.1f} %), {excluded} excluded line(s) or branch(es); goal {goal}")
        for x in missed:
            print(f"    {x}")
        if not ok:
            rc = 1
    print(f"coverage.py: {len(rules)} exclusions ({args.exclusions}); "
          f"{out}/summary.tsv, {out}/html/index.html (gcovr's, before the exclusions)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
