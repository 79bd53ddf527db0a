#!/usr/bin/env bash
# Timings of the index, the actions page and full-text search on a large
# site, in Debian's headless Chromium from file:// (bench/pages.mjs).
#
#   bench/pages.sh                   # 10,000 generated incidents, 5 runs
#   INCIDENTS=2000 RUNS=3 bench/pages.sh
#   CORPUS=/path/to/repo bench/pages.sh
#
# Needs python3, chromium and `npm ci --prefix tests/browser`.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

corpus=${CORPUS:-}
if [ -z "$corpus" ]; then
  corpus="$work/corpus"
  python3 "$here/bench/gen_corpus.py" "$corpus" --incidents "${INCIDENTS:-10000}" >/dev/null
fi
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
"${CARGO_TARGET_DIR:-$here/target}/release/hindsight" -C "$corpus" build --today 2026-11-22 --out "$work/site" >/dev/null
printf '%s incidents, %s cores\n' "$(find "$corpus/incidents" -name '*.md' | wc -l)" "$(nproc)"
node "$here/bench/pages.mjs" "$work/site" "${RUNS:-5}"
