#!/usr/bin/env bash
# Times `postmortems` and `report`, which walk the git history for the day
# each postmortem was published, next to `lint` on the same repository: a
# generated repository of 10,000 incidents with about 19,000 dated commits,
# response targets and contributing factors (gen_corpus.py --history
# --learning). Target: each within 2x of lint. Prints a Markdown table.
#
#   bench/learning.sh
#   CORPUS=/tmp/learning-10000 bench/learning.sh   # reuse a corpus
#   RUNS=5 INCIDENTS=1000 bench/learning.sh
#
# The commands take turns within each run, so a burst of other work on the
# shared machine slows all of them rather than one. Each run gives every
# command's time and its ratio to lint's time in the same run; the table
# shows the median over RUNS (default 9) runs with the lowest and highest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
gen="$here/gen_corpus.py"
incidents="${INCIDENTS:-10000}"
runs="${RUNS:-9}"
today=2026-11-22
target=2.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus="${CORPUS:-$work/learning-$incidents}"
if [ ! -d "$corpus" ]; then
  python3 "$gen" "$corpus" --incidents "$incidents" --history --learning >/dev/null
fi

cargo build --release --quiet --manifest-path "$root/Cargo.toml" 2>/dev/null ||
  cargo build --release --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/hindsight"

commands=(
  "lint" # first: the others are measured against it
  "postmortems --format json --today $today"
  "report --quarter 2025-Q3 --format json --today $today"
)

for c in "${commands[@]}"; do
  read -r -a args <<<"$c"
  # lint exits 0 on this corpus; anything else would time an error message.
  if ! "$bin" -C "$corpus" "${args[@]}" >/dev/null 2>"$work/err"; then
    echo "hindsight $c failed on $corpus:" >&2
    cat "$work/err" >&2
    exit 1
  fi
done
# The history really is walked: published postmortems get their day.
dated=$("$bin" -C "$corpus" postmortems --format json --today $today |
  python3 -c 'import json,sys; print(sum(p["published_on"] is not None for p in json.load(sys.stdin)["postmortems"]))')
commits=$(git -C "$corpus" rev-list --count HEAD)

declare -A times ratios
for _ in $(seq "$runs"); do
  lint_t=""
  for c in "${commands[@]}"; do
    read -r -a args <<<"$c"
    /usr/bin/time -f "%e" -o "$work/time" "$bin" -C "$corpus" "${args[@]}" >/dev/null 2>&1
    t=$(tail -n 1 "$work/time")
    [ -z "$lint_t" ] && lint_t=$t
    times[$c]+="$t "
    ratios[$c]+="$(awk "BEGIN{printf \"%.3f\", $t / ($lint_t > 0 ? $lint_t : 0.01)}") "
  done
done

# median, lowest and highest of a list of numbers
stats() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END{m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%s %s %s", m, v[1], v[NR]}'; }

echo "$incidents incidents, $commits commits, $dated postmortems dated from the history; $runs runs, commands taking turns"
echo "target: each within ${target}x of lint (median ratio)"
echo
echo "| command | time, median (min-max) | vs lint in the same run, median (min-max) |"
echo "|---|---:|---:|"
slow=0
for c in "${commands[@]}"; do
  read -r tm tlo thi <<<"$(echo "${times[$c]}" | stats)"
  read -r rm rlo rhi <<<"$(echo "${ratios[$c]}" | stats)"
  if awk "BEGIN{exit !($rm > $target)}"; then slow=1; fi
  printf "| \`%s\` | %.2f s (%.2f-%.2f) | %.2fx (%.2f-%.2f) |\n" "${c% --today*}" "$tm" "$tlo" "$thi" "$rm" "$rlo" "$rhi"
done
if [ "$slow" = 1 ]; then
  echo
  echo "a command took more than ${target}x the time of lint" >&2
  exit 1
fi
