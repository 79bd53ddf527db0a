#!/usr/bin/env bash
# The scale curve of SPEC section 13: `hindsight lint` and `hindsight build`
# of generated repositories of 10,000, 30,000 and 100,000 incidents, with
# the wall time and peak memory of each, and the size of each site (bytes
# and files) beside the limits static hosts hold (1 GB, 200,000 files).
#
#   bench/scale.sh                    # 10,000, 30,000 and 100,000
#   SIZES="10000 30000" RUNS=3 bench/scale.sh
#
# Generates the repositories (bench/gen_corpus.py, 50 runbooks each),
# builds hindsight in release mode, then runs each command RUNS times
# (default 3) per size, into a new output folder each time, and prints
# per size and command the median wall time with the fastest and slowest
# run and the highest peak resident memory (GNU time), then the site's
# bytes and files, and its incident pages' bytes and bytes a page. A figure is compared with the section's limits
# (100,000 incidents: lint < 4 s and < 500 MB, build < 40 s and < 1.5 GB)
# and marked `over` when its median passes them. Needs python3 and
# /usr/bin/time.
#
# Every site stays until the end, and is removed then: ext4 without a
# journal (as on the machines this is measured on) skips inodes freed in
# the last 60 to 360 seconds when it allocates new ones, so a build right
# after 100,000 files were removed spends its time in the kernel looking
# for free inodes (1.6 to 1.9 times the wall time at 100,000, measured).
# Needs room for every site (RUNS × 1.4 GB at 100,000).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
sizes=${SIZES:-"10000 30000 100000"}

for n in $sizes; do
  python3 "$here/bench/gen_corpus.py" "$work/c$n" --incidents "$n" >/dev/null
done
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$here/target}/release/hindsight"

python3 - "$bin" "$work" "${RUNS:-3}" $sizes <<'PY'
import os, shutil, statistics, subprocess, sys, time
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
sizes = [int(s) for s in sys.argv[4:]]
# SPEC section 13's limits at 100,000 incidents: seconds, MB.
limits = {"lint": (4.0, 500), "build": (40.0, 1500)}

def run(argv):
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{done.stderr}")
    kib = int(done.stderr.strip().splitlines()[-1])
    return took, kib / 1024

print(f"{'incidents':>9} {'command':7} {'median s':>9} {'fastest':>8} {'slowest':>8} {'peak MB':>8}  verdict")
sites = {}
for n in sizes:
    repo = f"{work}/c{n}"
    for command in ("lint", "build"):
        walls, peaks = [], []
        for r in range(runs):
            out = f"{work}/site{n}-{r}"
            argv = [bin, "-C", repo, "lint"] if command == "lint" else \
                   [bin, "-C", repo, "build", "--today", "2026-11-22", "--out", out]
            wall, peak = run(argv)
            walls.append(wall)
            peaks.append(peak)
        med, peak = statistics.median(walls), max(peaks)
        verdict = ""
        if n == 100_000:
            secs, mb = limits[command]
            verdict = "ok" if med < secs and peak * 1.048576 < mb else "over"
        print(f"{n:>9} {command:7} {med:9.2f} {min(walls):8.2f} {max(walls):8.2f} {peak * 1.048576:8.0f}  {verdict}")
    files, size, pages, page_bytes = 0, 0, 0, 0
    for root, _, names in os.walk(out):
        for name in names:
            files += 1
            bytes = os.path.getsize(os.path.join(root, name))
            size += bytes
            if os.path.relpath(root, out).startswith("incidents" + os.sep):
                pages += 1
                page_bytes += bytes
    sites[n] = (size, files, page_bytes, pages)
print()
print(f"{'incidents':>9} {'site MB':>8} {'files':>8} {'pages MB':>8} {'B/page':>7}"
      "  (static hosts: < 1,000 MB, < 200,000 files)")
for n, (size, files, page_bytes, pages) in sites.items():
    print(f"{n:>9} {size / 1e6:8.0f} {files:8} {page_bytes / 1e6:8.0f} {page_bytes / max(pages, 1):7.0f}")
PY
