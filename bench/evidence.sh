#!/usr/bin/env bash
# Times `actions --format json`, which reads every commit of the history
# for Action-Item trailers (SPEC section 12), next to `lint` on the same
# repository: 10,000 incidents and a history of 20,000 commits, a quarter
# of them with trailers (bench/gen_history.py). Target: actions within 2x
# lint. The two commands take turns, RUNS times each; prints the median
# and the spread (fastest to slowest) of each, and the ratio of medians.
#
#   bench/evidence.sh
#   CORPUS=/tmp/evidence-repo bench/evidence.sh     # reuse (or keep) a repository
#   RUNS=11 INCIDENTS=1000 COMMITS=2000 bench/evidence.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
incidents="${INCIDENTS:-10000}"
commits="${COMMITS:-20000}"
runs="${RUNS:-7}"
target=2.0
today=2026-11-22

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus="${CORPUS:-$work/repo-$incidents-$commits}"
if [ ! -d "$corpus" ]; then
  python3 "$here/gen_history.py" "$corpus" --incidents "$incidents" --commits "$commits"
fi

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/hindsight"

# A command that fails would time an error message, not the work.
for cmd in "lint" "actions --format json --today $today"; do
  # shellcheck disable=SC2086
  if ! "$bin" -C "$corpus" $cmd > "$work/out" 2> "$work/err"; then
    echo "hindsight $cmd failed on $corpus:" >&2
    cat "$work/err" >&2
    exit 1
  fi
done
items=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); i=d["items"]; print(len(i), sum(1 for x in i if x["evidence"]), sum(1 for x in i if x["unverified"]))' "$work/out")
read -r n_items n_evidence n_unverified <<< "$items"

seconds() {
  local start end
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  "$bin" -C "$corpus" $1 > /dev/null 2>&1
  end=$(date +%s%N)
  echo $((end - start))
}

: > "$work/lint"
: > "$work/actions"
for _ in $(seq "$runs"); do
  seconds "lint" >> "$work/lint"
  seconds "actions --format json --today $today" >> "$work/actions"
done

python3 - "$work/lint" "$work/actions" "$target" "$runs" "$incidents" "$commits" \
  "$n_items" "$n_evidence" "$n_unverified" <<'EOF'
import statistics, sys
lint = [int(x) / 1e9 for x in open(sys.argv[1])]
actions = [int(x) / 1e9 for x in open(sys.argv[2])]
target, runs, incidents, commits = float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
items, evidence, unverified = sys.argv[7:10]
ml, ma = statistics.median(lint), statistics.median(actions)
print(f"{incidents} incidents, {commits} commits; {items} action items, "
      f"{evidence} with evidence, {unverified} unverified; {runs} runs each, taking turns\n")
print("| command | median | fastest | slowest |")
print("|---|---|---|---|")
print(f"| lint | {ml:.3f} s | {min(lint):.3f} s | {max(lint):.3f} s |")
print(f"| actions --format json | {ma:.3f} s | {min(actions):.3f} s | {max(actions):.3f} s |")
ratio = ma / ml
print(f"\nactions / lint (medians): {ratio:.2f}x (target: within {target:.0f}x)")
sys.exit(0 if ratio <= target else 1)
EOF
