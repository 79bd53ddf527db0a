#!/usr/bin/env bash
# What the privacy rules cost: `hindsight lint` on 10,000 generated
# incidents with the credential and personal-data rules on (the default)
# and with them off (`privacy.secrets: false`, `privacy.personal_data:
# off`), on the same documents.
#
#   bench/privacy.sh                      # 10,000 incidents, 11 runs a side
#   INCIDENTS=2000 RUNS=5 bench/privacy.sh
#
# Generates one repository (bench/gen_corpus.py) and a copy whose
# hindsight.yaml turns the rules off, builds hindsight in release mode,
# then runs lint RUNS times on each, interleaved (the side that goes
# first alternates) so that the shared machine's noise falls on both
# alike. Prints each side's median, fastest and slowest wall time; the
# ratio of the medians (on / off); and the ratio of each run's pair, as
# its median and its spread (fastest to slowest pair) over all runs.
# Exits 1 when the ratio of the medians is above 1.15 (the target).
# Needs python3.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
incidents=${INCIDENTS:-10000}

python3 "$here/bench/gen_corpus.py" "$work/on" --incidents "$incidents" >/dev/null
cp -R "$work/on" "$work/off"
printf 'privacy:\n  secrets: false\n  personal_data: off\n' >> "$work/off/hindsight.yaml"

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$here/target}/release/hindsight"

python3 - "$bin" "$work" "${RUNS:-11}" "$incidents" <<'PY'
import statistics, subprocess, sys, time
bin, work, runs, incidents = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
sides = {"rules on": f"{work}/on", "rules off": f"{work}/off"}
times = {name: [] for name in sides}
for n in range(runs + 1):
    order = list(sides.items()) if n % 2 == 0 else list(reversed(sides.items()))
    for name, repo in order:
        start = time.perf_counter()
        done = subprocess.run([bin, "-C", repo, "lint", "--format", "json"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        took = time.perf_counter() - start
        # The corpus is clean: lint exits 0 on both sides, or it did not
        # do the work being timed.
        if done.returncode != 0:
            sys.exit(f"lint with the {name} failed: {done.stderr.decode()}")
        # The first round warms the page cache and is not counted.
        if n > 0:
            times[name].append(took)
on, off = times["rules on"], times["rules off"]
print(f"lint of {incidents} incidents, privacy rules on and off; {runs} interleaved runs a side")
print(f"{'side':10} {'median s':>9} {'fastest':>8} {'slowest':>8}")
for name, t in times.items():
    print(f"{name:10} {statistics.median(t):9.3f} {min(t):8.3f} {max(t):8.3f}")
ratio = statistics.median(on) / statistics.median(off)
pairs = sorted(a / b for a, b in zip(on, off))
print(f"on / off: ratio of medians {ratio:.3f}; per run: median {statistics.median(pairs):.3f}, "
      f"spread {pairs[0]:.3f} to {pairs[-1]:.3f} over {len(pairs)} runs")
if ratio > 1.15:
    sys.exit("lint is more than 15 % slower with the privacy rules")
PY
