#!/usr/bin/env python3
"""Time `hindsight lint` and `hindsight build` on two repositories of the
same incidents, one without and one with something more (drills, teams),
in interleaved runs, and compare the medians against a target.

    bench/beside.py BIN PLAIN OTHER WHAT RUNS TARGET INCIDENTS COUNT

WHAT names what OTHER adds ("drills"); TARGET is the highest ratio of
the medians (with / without) allowed, such as 1.10. Prints each side's
median, fastest and slowest wall time and the ratios; exits 1 when a
command's ratio of the medians is above TARGET. Every build starts from
an empty output folder; the side that goes first alternates.
"""
import shutil
import statistics
import subprocess
import sys
import time

bin, plain, other, what = sys.argv[1:5]
runs, target, incidents, count = int(sys.argv[5]), float(sys.argv[6]), sys.argv[7], sys.argv[8]
without, with_ = f"without {what}", f"with {what}"
repos = {without: plain, with_: other}
commands = {
    "lint": lambda repo: [bin, "-C", repo, "lint", "--format", "json"],
    "build": lambda repo: [bin, "-C", repo, "build", "--today", "2026-11-22", "--out", f"{repo}-site"],
}
times = {(c, r): [] for c in commands for r in repos}
for n in range(runs):
    order = list(repos.items()) if n % 2 == 0 else list(reversed(repos.items()))
    for command, argv in commands.items():
        for name, repo in order:
            shutil.rmtree(f"{repo}-site", ignore_errors=True)
            start = time.perf_counter()
            done = subprocess.run(argv(repo), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            took = time.perf_counter() - start
            # lint exits 1 only when it finds problems; the corpora are clean.
            if done.returncode != 0:
                sys.exit(f"{command} on {name} failed: {done.stderr.decode()}")
            times[(command, name)].append(took)
print(f"{incidents} incidents, with and without {count} {what}; {runs} interleaved runs each")
print(f"{'command':8} {'side':16} {'median s':>9} {'fastest':>8} {'slowest':>8}")
for command in commands:
    for name in repos:
        t = times[(command, name)]
        print(f"{command:8} {name:16} {statistics.median(t):9.2f} {min(t):8.2f} {max(t):8.2f}")
over = []
for command in commands:
    a, b = times[(command, without)], times[(command, with_)]
    ratio = statistics.median(b) / statistics.median(a)
    print(f"{command}: {with_} / without = {ratio:.3f} (fastest runs {min(b) / min(a):.3f}, slowest runs {max(b) / max(a):.3f})")
    if ratio > target:
        over.append(command)
if over:
    sys.exit(f"more than {round((target - 1) * 100)} % slower {with_}: {', '.join(over)}")
