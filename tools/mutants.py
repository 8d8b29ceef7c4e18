#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mutants.py - variants of a module, each one small change, made mechanically.

  mutants.py list  [--limit N] MODULE.c...
  mutants.py write --out DIR [--limit N] [--equivalent FILE] MODULE.c...

A mutant is the module with one change made by a general operator, as a
mutation-testing tool (mull, for C) makes them, never by hand:

  delete   a statement removed (one that may span lines)
  call     a call replaced by another of its family (complete by
           complete_all, wait_for_completion by its interruptible and
           killable forms, msleep by msleep_interruptible, ...)
  const    a number changed: N to N+1, N-1 (N > 0), 0 (N > 1), 1 (N = 0)
  arith    a binary operator replaced: + -, * /, < <=, > >=, == !=, && ||
  cond     an if or while condition negated, or one operand of its && or
           || dropped
  swap     two adjacent statements of a block exchanged

Only code is changed: never a comment, a string, an #include, pr_fmt or a
MODULE_*() line. The statements of function bodies (from a line "{" to
its "}") are deleted and swapped; numbers and operators are changed
anywhere else too (a parameter's bounds are file-scope numbers).

Each mutant has a stable name, MODULE:OPERATOR:HASH, the hash of the
module, the operator and the lines before and after (not their line
number: the name survives an edit elsewhere in the file). --equivalent
FILE: mutants listed there (a name a line, then its reason) are left out.

list: one line a mutant: name, line, and the change.
write: for each mutant, DIR/mut_MODULE_HASH.sed, a fixture as
tests/broken/'s are (the header "# base: MODULE", "# expect: any", then
a sed script of line addresses; applying it must give the mutant, or the
mutant is dropped with a message), and DIR/mut_MODULE_HASH.diff, the
change as a unified diff; the list on standard output.
--limit N: a fixed sample of N mutants a module, spread evenly over its
list (the same N, the same sample).
"""

import argparse
import difflib
import hashlib
import os
import re
import subprocess
import sys
import tempfile

# A call's family: each name may become any other of its line.
FAMILIES = [
    ["complete", "complete_all"],
    ["wait_for_completion", "wait_for_completion_interruptible",
     "wait_for_completion_killable"],
    ["init_completion", "reinit_completion"],
    ["msleep", "msleep_interruptible"],
    ["schedule_timeout", "schedule_timeout_interruptible",
     "schedule_timeout_uninterruptible"],
    ["set_current_state", "__set_current_state"],
    ["kthread_should_stop", "kthread_should_park"],
    ["TASK_INTERRUPTIBLE", "TASK_UNINTERRUPTIBLE", "TASK_KILLABLE"],
    ["READ_ONCE", "data_race"],
    ["pr_info", "pr_debug"],
]
BINOPS = [(" + ", " - "), (" * ", " / "), (" < ", " <= "), (" > ", " >= "),
          (" == ", " != "), (" && ", " || ")]
# Lines never changed: what is no code of the module's behaviour.
SKIP_LINE = re.compile(r"^\s*(#\s*include|#define pr_fmt|MODULE_[A-Z_]+\(|module_param)")
DECL = re.compile(r"^\s*(static\s+|const\s+|struct\s+\w+\s*[*\w]|unsigned\s|int\s|long\s|bool\s|"
                  r"char\s|u\d+\s|s\d+\s|ktime_t\s|size_t\s|ssize_t\s|loff_t\s|"
                  r"DECLARE_\w+\(|\w+_t\s+\w)")


def code_mask(src):
    """For each character of src: True if it is code (not in a comment, a
    string or a character constant)."""
    mask = [True] * len(src)
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            mask[i:j] = [False] * (j - i)
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            mask[i:j] = [False] * (j - i)
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
            mask[i:j] = [False] * (j - i)
            i = j
        else:
            i += 1
    return mask


class Source:
    def __init__(self, path):
        self.path = path
        self.module = os.path.splitext(os.path.basename(path))[0]
        with open(path) as f:
            self.text = f.read()
        self.lines = self.text.split("\n")
        mask = code_mask(self.text)
        # Per line: the mask of its characters.
        self.masks = []
        pos = 0
        for line in self.lines:
            self.masks.append(mask[pos:pos + len(line)])
            pos += len(line) + 1
        # Function bodies: from a line "{" to the next line "}".
        self.body = [False] * len(self.lines)
        inside = False
        for i, line in enumerate(self.lines):
            if line == "{":
                inside = True
            elif line == "}":
                inside = False
            elif inside:
                self.body[i] = True

    def code(self, i):
        """Line i with everything that is not code blanked out."""
        return "".join(ch if m else " " for ch, m in zip(self.lines[i], self.masks[i]))

    def changeable(self, i):
        return not SKIP_LINE.match(self.lines[i])

    def statements(self):
        """(first, last, indent) of each statement of a function body:
        lines that end in ';' once their parentheses balance, not a
        declaration."""
        out = []
        i = 0
        while i < len(self.lines):
            if not self.body[i] or not self.code(i).strip():
                i += 1
                continue
            first = i
            depth = 0
            text = ""
            while i < len(self.lines) and self.body[i]:
                c = self.code(i)
                depth += c.count("(") - c.count(")")
                text += c
                if depth <= 0:
                    break
                i += 1
            last = i
            i += 1
            t = text.strip()
            line0 = self.lines[first]
            if (depth == 0 and t.endswith(";") and not t.startswith(("for ", "for(", "}"))
                    and not DECL.match(line0) and "{" not in t and "}" not in t):
                out.append((first, last, len(line0) - len(line0.lstrip("\t"))))
        return out


def mutants_of(src):
    """Every mutant of src: (operator, first, last, new_lines)."""
    out = []
    stmts = src.statements()
    for first, last, _ in stmts:
        out.append(("delete", first, last, []))
    for (a0, a1, ia), (b0, b1, ib) in zip(stmts, stmts[1:]):
        if a1 + 1 == b0 and ia == ib:
            out.append(("swap", a0, b1, src.lines[b0:b1 + 1] + src.lines[a0:a1 + 1]))
    for i, line in enumerate(src.lines):
        if not src.changeable(i):
            continue
        code = src.code(i)
        # call: a whole word of a family, replaced by each other member.
        for fam in FAMILIES:
            for name in fam:
                for m in re.finditer(r"\b%s\b" % re.escape(name), code):
                    for other in fam:
                        if other != name:
                            out.append(("call", i, i, [line[:m.start()] + other + line[m.end():]]))
        # const: a decimal number that is a token of its own.
        for m in re.finditer(r"(?<![\w.])(\d+)(?![\w.])", code):
            n = int(m.group(1))
            for v in sorted({n + 1, n - 1 if n > 0 else None, 0 if n > 1 else None,
                             1 if n == 0 else None} - {None, n}):
                out.append(("const", i, i, [line[:m.start()] + str(v) + line[m.end():]]))
        # arith: a binary operator between spaces.
        for a, b in BINOPS:
            for x, y in ((a, b), (b, a)):
                for m in re.finditer(re.escape(x), code):
                    out.append(("arith", i, i, [line[:m.start()] + y + line[m.end():]]))
        # cond: "if (C)" or "while (C)" on one line: !(C), and C's operands.
        for m in re.finditer(r"\b(if|while) \(", code):
            start = m.end()
            depth, j = 1, start
            while j < len(code) and depth:
                depth += {"(": 1, ")": -1}.get(code[j], 0)
                j += 1
            if depth:
                continue
            cond = line[start:j - 1]
            ccode = code[start:j - 1]
            out.append(("cond", i, i, [line[:start] + "!(" + cond + ")" + line[j - 1:]]))
            # Top-level && / || operands.
            parts, d, k0 = [], 0, 0
            for k, ch in enumerate(ccode):
                d += {"(": 1, ")": -1}.get(ch, 0)
                if d == 0 and ccode.startswith((" && ", " || "), k):
                    parts.append((k0, k))
                    k0 = k + 4
            if parts:
                parts.append((k0, len(ccode)))
                for p, (s, e) in enumerate(parts):
                    rest = [cond[s2:e2] for q, (s2, e2) in enumerate(parts) if q != p]
                    ops = [ccode[e2:e2 + 4] for (s2, e2) in parts[:-1]]
                    # Keep the operators that joined the remaining operands.
                    kept = [ops[q] for q in range(len(ops)) if q != (p if p < len(ops) else p - 1)]
                    new = rest[0]
                    for op, r in zip(kept, rest[1:]):
                        new += op + r
                    out.append(("cond", i, i, [line[:start] + new + line[j - 1:]]))
    return out


def name_of(module, op, before, after):
    h = hashlib.sha1(("%s\0%s\0%s\0%s" % (module, op, "\n".join(before), "\n".join(after))).encode())
    return "%s:%s:%s" % (module, op, h.hexdigest()[:8])


def sed_text(lines):
    """Lines as the text of sed's c command (GNU sed): backslashes doubled,
    a leading blank kept by a backslash, every line but the last ending in
    a backslash."""
    out = []
    for line in lines:
        t = line.replace("\\", "\\\\")
        if t[:1] in (" ", "\t"):
            t = "\\" + t
        out.append(t)
    return "\\\n".join(out)


def sed_script(first, last, new):
    a = "%d,%d" % (first + 1, last + 1) if last > first else "%d" % (first + 1)
    if not new:
        return "%sd\n" % a
    return "%sc\\\n%s\n" % (a, sed_text(new))


def load_equivalent(path):
    names = {}
    if not path:
        return names
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(" ")
                if not reason.strip():
                    sys.exit("%s: %s: an equivalent mutant needs its reason" % (path, name))
                names[name] = reason.strip()
    return names


def sample(items, limit):
    if not limit or limit >= len(items):
        return items
    step = len(items) / limit
    return [items[int(k * step)] for k in range(limit)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["list", "write"])
    ap.add_argument("sources", nargs="+")
    ap.add_argument("--out")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--equivalent")
    args = ap.parse_args()
    if args.what == "write" and not args.out:
        ap.error("write needs --out DIR")
    equivalent = load_equivalent(args.equivalent)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    rc = 0
    for path in args.sources:
        src = Source(path)
        seen = {}
        for op, first, last, new in mutants_of(src):
            before = src.lines[first:last + 1]
            if new == before:
                continue
            name = name_of(src.module, op, before, new)
            if name in seen or name in equivalent:
                continue
            seen[name] = (op, first, last, new)
        for name in sample(list(seen), args.limit):
            op, first, last, new = seen[name]
            mutated = src.lines[:first] + new + src.lines[last + 1:]
            change = "%s -> %s" % (" / ".join(l.strip() for l in src.lines[first:last + 1]),
                                   " / ".join(l.strip() for l in new) or "(deleted)")
            print("%s\t%d\t%s" % (name, first + 1, change))
            if args.what != "write":
                continue
            fid = "mut_%s_%s" % (src.module, name.rsplit(":", 1)[1])
            script = sed_script(first, last, new)
            with tempfile.NamedTemporaryFile("w", suffix=".sed", delete=False) as t:
                t.write(script)
            got = subprocess.run(["sed", "-f", t.name, path], capture_output=True, text=True).stdout
            os.unlink(t.name)
            if got != "\n".join(mutated):
                print("mutants.py: %s: its sed script does not give the mutant: left out" % name,
                      file=sys.stderr)
                rc = 1
                continue
            with open(os.path.join(args.out, fid + ".sed"), "w") as f:
                f.write("# base: %s\n# expect: any\n# mutant: %s (line %d)\n%s"
                        % (src.module, name, first + 1, script))
            with open(os.path.join(args.out, fid + ".diff"), "w") as f:
                f.writelines(difflib.unified_diff(
                    [l + "\n" for l in src.lines], [l + "\n" for l in mutated],
                    "a/%s/%s.c" % (src.module, src.module), "b/%s/%s.c" % (src.module, src.module)))
    return rc


if __name__ == "__main__":
    sys.exit(main())
