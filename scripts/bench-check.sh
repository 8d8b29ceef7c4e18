#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-check.sh - a benchmark, not a test: where make check's time goes.
#
#   scripts/bench-check.sh [RUNS]      (default 5; make bench-check)
#
# Runs make check (TIER=quick scripts/check.sh) RUNS times with the same
# environment (KERNELS, MODULES... as make check takes them; warm the
# cache with one make check first), each after touching TOUCH
# (declare_completion/declare_completion.c: its build is not skipped), and
# prints the min, median and max seconds of each line of
# build/results/kernel-times (per kernel: fetch, build, its boots' wall
# and host CPU seconds added up, the guest's seconds to /init, W=1/sparse;
# the static checks; the preparation, the pool of boots and the whole
# run). Each run's verdict line is kept: a benchmark of failing runs says
# so. Writes the table to build/bench-check/check.tsv too (not
# build/bench/: make bench's).

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }
bench=$top/build/bench-check
rm -rf "$bench"
mkdir -p "$bench"

touch=${TOUCH:-declare_completion/declare_completion.c}
[ -f "$top/$touch" ] || { echo "$0: no $touch to touch" >&2; exit 2; }
for i in $(seq "$runs"); do
	touch "$top/$touch"
	t0=$(date +%s.%N)
	rc=0
	TIER=${TIER:-quick} "$top/scripts/check.sh" >"$bench/run$i.log" 2>&1 || rc=$?
	t1=$(date +%s.%N)
	cp "$top/build/results/kernel-times" "$bench/times$i"
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "make check %.1f\n", b - a }' >>"$bench/times$i"
	echo "run $i: $(tail -n 1 "$bench/run$i.log" | grep -E '^[0-9]+ passed' || echo "no verdict line") (exit $rc)"
done

# One row per kernel and phase, "KEY PHASE SECONDS", from every run.
cat "$bench"/times* >"$bench/rows"
printf 'what\tphase\truns\tmin_s\tmedian_s\tmax_s\n' >"$bench/check.tsv"
# In the order of the first run, min/median/max of each (key, phase).
awk '{ k = $1 " " $2; if (!(k in n)) order[++m] = k; v[k, ++n[k]] = $3 }
	END { for (j = 1; j <= m; j++) { k = order[j]; c = n[k]
		for (a = 1; a <= c; a++) s[a] = v[k, a]
		for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (s[b] + 0 < s[a] + 0) { t = s[a]; s[a] = s[b]; s[b] = t }
		split(k, p, " ")
		med = c % 2 ? s[(c + 1) / 2] : (s[c / 2] + s[c / 2 + 1]) / 2
		printf "%s\t%s\t%d\t%.1f\t%.1f\t%.1f\n", p[1], p[2], c, s[1], med, s[c] } }' \
	"$bench/rows" >>"$bench/check.tsv"
awk -F '\t' '{ printf "%-8s %-11s %5s %8s %9s %8s\n", $1, $2, $3, $4, $5, $6 }' "$bench/check.tsv"
echo "(table in $bench/check.tsv, logs in $bench/run*.log)"
