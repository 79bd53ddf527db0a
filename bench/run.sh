#!/usr/bin/env bash
# Benchmarks hindsight on generated repositories of 1,000 and 10,000
# incidents (bench/gen_corpus.py), next to the Python check a
# team would otherwise write. Prints a Markdown table.
#
#   bench/run.sh            # lint, 1k and 10k incidents
#   SIZES="10000" bench/run.sh
#
# Other benchmarks: bench/follow_through.sh (actions, runbooks, report),
# bench/site.sh (build, next to Hugo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
gen="$here/gen_corpus.py"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
sizes="${SIZES:-1000 10000}"
runs="${RUNS:-5}"

cargo build --release --quiet --manifest-path "$root/Cargo.toml" 2>/dev/null || cargo build --release --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/hindsight"

if ! python3 -c 'import yaml, jsonschema' 2>/dev/null; then
  python3 -m pip install --quiet pyyaml jsonschema
fi
"$bin" schema incident > "$work/incident.schema.json"

# Best wall time of N runs and the peak memory of the last.
measure() {
  local best="" mem="" t
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    read -r t mem < "$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best $mem"
}

echo "| incidents | hindsight lint | peak memory | python check | speed-up |"
echo "|---:|---:|---:|---:|---:|"
for n in $sizes; do
  corpus="$work/corpus-$n"
  [ -d "$corpus" ] || python3 "$gen" "$corpus" --incidents "$n" >/dev/null
  "$bin" -C "$corpus" lint >/dev/null 2>&1 || { echo "lint found errors in the generated corpus" >&2; exit 1; }
  read -r hs mem <<<"$(measure "$bin" -C "$corpus" lint)"
  runs_saved=$runs; runs=1
  read -r py _ <<<"$(measure python3 "$here/python_check.py" "$corpus" "$work/incident.schema.json")"
  runs=$runs_saved
  ratio=$(awk "BEGIN{printf \"%.0f\", $py / ($hs > 0 ? $hs : 0.001)}")
  printf "| %s | %.2f s | %d MiB | %.1f s | %sx |\n" "$n" "$hs" $((mem / 1024)) "$py" "$ratio"
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
