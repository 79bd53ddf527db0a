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

python3 "$here/bench/beside.py" "$bin" "$work/plain" "$work/teams" teams "${RUNS:-7}" 1.10 "$incidents" "$teams"
