#!/usr/bin/env bash
# Whether two revisions build the same site, byte for byte, from one
# generated corpus: the check a refactoring that must change no output
# passes. Usage: bench/same_site.sh REV_A REV_B [INCIDENTS]
# Each revision is built in release mode in a temporary worktree.
set -euo pipefail
a=${1:?usage: same_site.sh REV_A REV_B [INCIDENTS]}
b=${2:?usage: same_site.sh REV_A REV_B [INCIDENTS]}
n=${3:-10000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$work/a" 2>/dev/null || true; git -C "$here" worktree remove --force "$work/b" 2>/dev/null || true; rm -rf "$work"' EXIT
python3 "$here/bench/gen_corpus.py" --incidents "$n" --runbooks $((n / 20 + 1)) --drills $((n / 50 + 1)) --learning --git "$work/corpus" >/dev/null
for side in a b; do
  rev=${!side}
  git -C "$here" worktree add --detach "$work/$side" "$rev" >/dev/null 2>&1
  cargo build --release --locked --quiet --manifest-path "$work/$side/Cargo.toml" \
    --target-dir "${SAME_SITE_TARGET:-$here/target}/same-site-$side"
  "${SAME_SITE_TARGET:-$here/target}/same-site-$side/release/hindsight" -C "$work/corpus" \
    build --today 2026-11-22 --out "$work/site-$side" >/dev/null 2>&1 || true
  if [ ! -f "$work/site-$side/index.html" ]; then
    echo "$rev built no site from the corpus" >&2
    exit 2
  fi
done
files=$(find "$work/site-a" -type f | wc -l)
if diff -r "$work/site-a" "$work/site-b" >"$work/diff.txt"; then
  echo "same site: $files files, $n incidents, $a and $b"
else
  echo "the sites differ ($n incidents, $a and $b):"
  head -40 "$work/diff.txt"
  exit 1
fi
