#!/usr/bin/env bash
# What 500 team response plans cost beside 10,000 incidents: `hindsight lint` and
# `hindsight build` on the same generated incidents with and without teams.
#
#   bench/teams.sh                        # 10,000 incidents, 500 teams
#   INCIDENTS=2000 TEAMS=100 RUNS=5 bench/teams.sh
#
# Generates both repositories with the same seed (the teams repository has
# the same incidents and runbooks, plus the teams), builds hindsight in
# release mode, then times the four commands RUNS times (default 7),
# interleaved so that the shared machine's noise falls on both sides alike.
# Every build starts from an empty output folder. Prints, per command, the
# median wall time with the fastest and slowest run, and the ratio of the
# medians (with teams / without) with its spread: the ratio of the
# fastest runs and of the slowest runs, and exits 1 when a median ratio is
# above 1.10 (the target). Needs python3.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
incidents=${INCIDENTS:-10000}
teams=${TEAMS:-500}

gen="$here/bench/gen_corpus.py"
python3 "$gen" "$work/plain" --incidents "$incidents" >/dev/null
python3 "$gen" "$work/teams" --incidents "$incidents" --teams "$teams" >/dev/null
# The same incidents on both sides, or the comparison means nothing.
diff -r -q "$work/plain/incidents" "$work/teams/incidents" >/dev/null ||
  { echo "the two corpora differ in their incidents" >&2; exit 2; }

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$here/target}/release/hindsight"

python3 - "$bin" "$work" "${RUNS:-7}" "$incidents" "$teams" <<'PY'
import shutil, statistics, subprocess, sys, time
bin, work, runs, incidents, teams = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
repos = {"without teams": f"{work}/plain", "with teams": f"{work}/teams"}
commands = {
    "lint": lambda repo: [bin, "-C", repo, "lint", "--format", "json"],
    "build": lambda repo: [bin, "-C", repo, "build", "--today", "2026-11-22", "--out", f"{repo}-site"],
}
times = {(c, r): [] for c in commands for r in repos}
for n in range(runs):
    # Alternate which side goes first.
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
print(f"{incidents} incidents, with and without {teams} teams; {runs} interleaved runs each")
print(f"{'command':8} {'side':16} {'median s':>9} {'fastest':>8} {'slowest':>8}")
for command in commands:
    for name in repos:
        t = times[(command, name)]
        print(f"{command:8} {name:16} {statistics.median(t):9.2f} {min(t):8.2f} {max(t):8.2f}")
over = []
for command in commands:
    a, b = times[(command, "without teams")], times[(command, "with teams")]
    ratio = statistics.median(b) / statistics.median(a)
    print(f"{command}: with teams / without = {ratio:.3f} (fastest runs {min(b) / min(a):.3f}, slowest runs {max(b) / max(a):.3f})")
    if ratio > 1.10:
        over.append(command)
# The target: with the teams, each command within 10 % (median ratio).
if over:
    sys.exit(f"more than 10 % slower with teams: {', '.join(over)}")
PY
