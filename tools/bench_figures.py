#!/usr/bin/env python3
"""Failover figures of two sets of runs, side by side, for the benchmark
scripts (tools/bench_beside.sh, tools/jobs_bench.sh).

  bench_figures.py LABEL_A DIR_A LABEL_B DIR_B [WALL_MS_A WALL_MS_B]

Every result.json below DIR_A and DIR_B is one run. Prints, for each set,
the failover_time median (min to max), how many runs met every target and
the wall time when given, then the difference of the medians; and a line
for each run that missed a target, saying which. Prints, asserts nothing.
"""
import json
import os
import statistics
import sys


def runs(label, base):
    times, passed, total = [], 0, 0
    for root, _, files in sorted(os.walk(base)):
        if "result.json" not in files:
            continue
        with open(os.path.join(root, "result.json")) as f:
            r = json.load(f)
        total += 1
        t = r.get("measurements", {}).get("failover_time_s")
        if t is not None:
            times.append(t)
        missed = [f'{v.get("target", "?")}: {v.get("measured_text", "")} {v["status"]} {v.get("reason", "")}'.strip()
                  for v in r.get("verdicts", []) if v.get("status") != "pass"]
        if missed:
            print(f"{label} {os.path.relpath(root, base)}: " + "; ".join(missed))
        else:
            passed += 1
    return times, passed, total


def main(argv):
    if len(argv) not in (4, 6):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sets = [(argv[0], argv[1]), (argv[2], argv[3])]
    walls = [int(w) / 1000 for w in argv[4:6]] if len(argv) == 6 else [None, None]
    figures = [runs(label, base) for label, base in sets]
    if not figures[0][0] or not figures[1][0]:
        print("no failover figures (see the logs)")
        return 0
    print(f"{'':10} {'failover: median (min-max)':28} {'verdicts':16} {'wall' if walls[0] else ''}")
    for (label, _), (times, passed, total), wall in zip(sets, figures, walls):
        median = f"{statistics.median(times):.2f} s ({min(times):.2f}-{max(times):.2f})"
        print(f"{label:10} {median:28} {f'{passed}/{total} pass':16} {f'{wall:.0f} s' if wall else ''}")
    d = statistics.median(figures[1][0]) - statistics.median(figures[0][0])
    print(f"difference of the medians: {d:+.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
