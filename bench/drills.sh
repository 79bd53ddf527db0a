#!/usr/bin/env bash
# What 1,000 drills cost beside 10,000 incidents: `hindsight lint` and
# `hindsight build` on the same generated incidents with and without drills.
#
#   bench/drills.sh                       # 10,000 incidents, 1,000 drills
#   INCIDENTS=2000 DRILLS=200 RUNS=5 bench/drills.sh
#
# Generates both repositories with the same seed (the drills repository has
# the same incidents and runbooks, plus the drills), builds hindsight in
# release mode, then times the four commands RUNS times (default 7),
# interleaved so that the shared machine's noise falls on both sides alike.
# Every build starts from an empty output folder. Prints, per command, the
# median wall time with the fastest and slowest run, and the ratio of the
# medians (with drills / without) with its spread: the ratio of the
# fastest runs and of the slowest runs, and exits 1 when a median ratio is
# above 1.15 (the target). Needs python3.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
incidents=${INCIDENTS:-10000}
drills=${DRILLS:-1000}

gen="$here/bench/gen_corpus.py"
python3 "$gen" "$work/plain" --incidents "$incidents" >/dev/null
python3 "$gen" "$work/drills" --incidents "$incidents" --drills "$drills" >/dev/null
# The same incidents on both sides, or the comparison means nothing.
diff -r -q "$work/plain/incidents" "$work/drills/incidents" >/dev/null ||
  { echo "the two corpora differ in their incidents" >&2; exit 2; }

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$here/target}/release/hindsight"

python3 "$here/bench/beside.py" "$bin" "$work/plain" "$work/drills" drills "${RUNS:-7}" 1.15 "$incidents" "$drills"
