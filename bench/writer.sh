#!/usr/bin/env bash
# The writer's loop on a generated repository of 10,000 incidents:
# `hindsight serve` from a one-file edit to the page showing it (target
# under 300 ms) and `hindsight lsp` from a didChange to its diagnostics
# (target under 50 ms), next to a full `lint` and `build` in the same run.
# Prints a Markdown table (bench/writer.py does the measuring).
#
#   bench/writer.sh
#   CORPUS=/tmp/corpus-10000 bench/writer.sh     # reuse a corpus (it is edited and restored)
#   RUNS=3 INCIDENTS=1000 bench/writer.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
gen="$here/gen_corpus.py"
incidents="${INCIDENTS:-10000}"
runs="${RUNS:-5}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus="${CORPUS:-$work/corpus-$incidents}"
if [ ! -d "$corpus" ]; then
  python3 "$gen" "$corpus" --incidents "$incidents" >/dev/null
fi

cargo build --release --quiet --manifest-path "$root/Cargo.toml" 2>/dev/null ||
  cargo build --release --manifest-path "$root/Cargo.toml"
python3 "$here/writer.py" "${CARGO_TARGET_DIR:-$root/target}/release/hindsight" "$corpus" "$runs"
