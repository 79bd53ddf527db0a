#!/usr/bin/env bash
# Times the follow-through commands (actions, runbooks, report) on a
# generated repository of 10,000 incidents, next to `lint` on the same
# repository: they read it the same way, so each should take no longer
# than 1.5 times what lint takes. Prints a Markdown table.
#
#   bench/follow_through.sh
#   CORPUS=/tmp/corpus-10000 bench/follow_through.sh   # reuse a corpus
#   RUNS=3 INCIDENTS=1000 bench/follow_through.sh
#
# Best wall time of RUNS (default 5) runs each; peak memory is the highest
# resident size seen over those runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
gen="$here/gen_corpus.py"
incidents="${INCIDENTS:-10000}"
runs="${RUNS:-5}"
today=2026-11-22
target=1.5

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus="${CORPUS:-$work/corpus-$incidents}"
if [ ! -d "$corpus" ]; then
  python3 "$gen" "$corpus" --incidents "$incidents" >/dev/null
fi

cargo build --release --quiet --manifest-path "$root/Cargo.toml" 2>/dev/null ||
  cargo build --release --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/hindsight"

# A command that fails would time an error message, not the work.
check() {
  if ! "$bin" -C "$corpus" "$@" >/dev/null 2>"$work/err"; then
    echo "hindsight $* failed on $corpus:" >&2
    cat "$work/err" >&2
    exit 1
  fi
}

commands=(
  "lint" # first: the others are measured against it
  "actions --format json --today $today"
  "runbooks --format json --today $today"
  "report --quarter 2025-Q3 --format json --today $today"
)

# The commands take turns, run by run, so that a burst of other work on the
# machine slows all of them rather than one.
declare -A best peak
for c in "${commands[@]}"; do
  read -r -a args <<<"$c"
  check "${args[@]}"
  best[$c]=""
  peak[$c]=0
done
for _ in $(seq "$runs"); do
  for c in "${commands[@]}"; do
    read -r -a args <<<"$c"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" -C "$corpus" "${args[@]}" >/dev/null 2>&1
    read -r t mem <"$work/time"
    if [ -z "${best[$c]}" ] || awk "BEGIN{exit !($t < ${best[$c]})}"; then best[$c]=$t; fi
    if [ "$mem" -gt "${peak[$c]}" ]; then peak[$c]=$mem; fi
  done
done

files=$(find "$corpus/incidents" "$corpus/runbooks" -name '*.md' ! -name '_*' ! -name README.md | wc -l)
echo "$incidents incidents, $files documents; best of $runs runs; target: each within ${target}x of lint"
echo
echo "| command | time | peak memory | vs lint |"
echo "|---|---:|---:|---:|"
lint_time=${best[lint]}
slow=0
for c in "${commands[@]}"; do
  t=${best[$c]}
  ratio=$(awk "BEGIN{printf \"%.2f\", $t / ($lint_time > 0 ? $lint_time : 0.01)}")
  if awk "BEGIN{exit !($ratio > $target)}"; then slow=1; fi
  printf "| \`%s\` | %.2f s | %d MiB | %sx |\n" "${c% --today*}" "$t" $((${peak[$c]} / 1024)) "$ratio"
done
if [ "$slow" = 1 ]; then
  echo
  echo "a command took more than ${target}x the time of lint" >&2
  exit 1
fi
