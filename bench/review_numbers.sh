#!/usr/bin/env bash
# Times `hindsight report` (JSON, Markdown and HTML, with --compare) on a
# generated repository of 10,000 incidents, against the same command of a
# baseline build: the distributions, the Mann-Whitney test, near misses and
# recurrences (SPEC section 14) should keep the report within 1.2 times
# the baseline's time. Runs alternate (baseline, then this build) so both
# see the same machine; prints the median and the spread of each.
#
#   GEN_CORPUS=bench/gen_corpus.py bench/review_numbers.sh
#   BASE_REV=232e590 RUNS=11 bench/review_numbers.sh
#   LEARNING=1 bench/review_numbers.sh   # factors and prevent items too
#
# The corpus generator is read from GEN_CORPUS (default
# bench/gen_corpus.py). BASE_REV is the commit the baseline is built from
# (default: the merge base with main), in a temporary git worktree; both
# builds are release builds under CARGO_TARGET_DIR (default target/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
gen="${GEN_CORPUS:-$root/bench/gen_corpus.py}"
incidents="${INCIDENTS:-10000}"
runs="${RUNS:-11}"
today=2026-11-22
target=1.2
targets="${CARGO_TARGET_DIR:-$root/target}"
base_rev="${BASE_REV:-$(git -C "$root" merge-base HEAD main)}"

if [ ! -f "$gen" ]; then
  echo "no corpus generator at $gen: set GEN_CORPUS to gen_corpus.py" >&2
  exit 2
fi
work=$(mktemp -d)
cleanup() {
  git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

corpus="${CORPUS:-$work/corpus-$incidents}"
if [ ! -d "$corpus" ]; then
  python3 "$gen" "$corpus" --incidents "$incidents" ${LEARNING:+--learning} >/dev/null
fi

git -C "$root" worktree add --quiet --detach "$work/base" "$base_rev"
CARGO_TARGET_DIR="$targets/bench-base" cargo build --release --quiet --manifest-path "$work/base/Cargo.toml"
CARGO_TARGET_DIR="$targets" cargo build --release --quiet --manifest-path "$root/Cargo.toml"
base="$targets/bench-base/release/hindsight"
new="$targets/release/hindsight"

# The generator spreads incidents evenly over 2023-2026: any quarter
# holds about a sixteenth of them (and --compare reads the one before).
quarter="${QUARTER:-2024-Q2}"

# Wall seconds of one run.
once() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  awk "BEGIN{printf \"%.4f\\n\", ($end - $start) / 1e9}"
}

echo "| report | baseline median | this build median | spread (baseline / this) | ratio |"
echo "|---|---:|---:|---:|---:|"
for format in json md html; do
  args=(report --quarter "$quarter" --compare --format "$format" --today "$today")
  for bin in "$base" "$new"; do
    "$bin" -C "$corpus" "${args[@]}" >/dev/null 2>&1 || {
      echo "$bin ${args[*]} failed on $corpus" >&2
      exit 1
    }
  done
  : >"$work/base.times"
  : >"$work/new.times"
  for _ in $(seq "$runs"); do
    once "$base" -C "$corpus" "${args[@]}" >>"$work/base.times"
    once "$new" -C "$corpus" "${args[@]}" >>"$work/new.times"
  done
  python3 - "$format" "$work/base.times" "$work/new.times" "$target" >>"$work/rows" <<'EOF'
import statistics, sys
fmt, base, new, target = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
b = sorted(float(x) for x in open(base))
n = sorted(float(x) for x in open(new))
mb, mn = statistics.median(b), statistics.median(n)
ratio = mn / mb
print(f"| {fmt} | {mb:.3f} s | {mn:.3f} s | {b[0]:.3f}-{b[-1]:.3f} / {n[0]:.3f}-{n[-1]:.3f} s | {ratio:.2f}x |")
print(f"#ratio {ratio}", file=sys.stderr)
EOF
done 2>"$work/ratios"
cat "$work/rows"
worst=$(sed -n 's/^#ratio //p' "$work/ratios" | sort -g | tail -1)
echo
echo "$incidents incidents, quarter $quarter, $runs alternating runs each; worst ratio ${worst}x (target ${target}x)"
awk "BEGIN{exit !($worst <= $target)}" || { echo "slower than ${target}x the baseline" >&2; exit 1; }
