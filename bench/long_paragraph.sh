#!/usr/bin/env bash
# Times `lint` on one postmortem whose body is a single 480 KB paragraph on
# one line without a full stop, with a blaming phrase in every kilobyte,
# next to the same paragraph without the phrases. blame-language is linear
# in the text, so the two should be close; when it was quadratic the first
# took more than a minute. Uses hyperfine (mean ± standard deviation).
#
#   bench/long_paragraph.sh
#   RUNS=20 bench/long_paragraph.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs="${RUNS:-10}"

cargo build --release --quiet --manifest-path "$root/Cargo.toml" 2>/dev/null ||
  cargo build --release --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/hindsight"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
filler = "the disk queue grew and the replica fell behind while traffic rose "
head = "---\nid: INC-1\ntitle: Long\nstatus: draft\nseverity: SEV2\nstarted_at: 2026-03-14T09:12:00Z\n---\n\n"
for name, phrase in (("blame", "human error "), ("plain", "human effort ")):
    chunk = filler * (1024 // len(filler)) + phrase
    os.makedirs(f"{work}/{name}/incidents")
    with open(f"{work}/{name}/incidents/long.md", "w") as f:
        f.write(head + chunk * (480 * 1024 // len(chunk)) + "\n")
PY

hyperfine --runs "$runs" --warmup 1 -N -i \
  --command-name "lint, a phrase per KB" "$bin -C $work/blame lint --format json" \
  --command-name "lint, no phrase (peer)" "$bin -C $work/plain lint --format json"
