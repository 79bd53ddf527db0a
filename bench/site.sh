#!/usr/bin/env bash
# Benchmark `hindsight build` against Hugo on the same postmortems.
#
#   bench/site.sh                 # 10,000 generated incidents
#   CORPUS=/path/to/repo bench/site.sh
#   INCIDENTS=2000 bench/site.sh
#
# Builds hindsight in release mode, then times, from an empty output
# folder each time: `hindsight build`, and `hugo` on a minimal site that
# renders the same Markdown files (one page per incident, the list pages,
# RSS and a sitemap). Prints wall seconds and peak memory (MiB) for each,
# best of RUNS (default 3). Needs python3, hugo (apt-get install -y hugo)
# and GNU time (/usr/bin/time).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

corpus=${CORPUS:-}
if [ -z "$corpus" ]; then
  corpus="$work/corpus"
  python3 "$here/../shared/bench/gen_corpus.py" "$corpus" --incidents "${INCIDENTS:-10000}" >/dev/null
fi
count=$(find "$corpus/incidents" -name '*.md' ! -name '_*' ! -name README.md | wc -l)

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/release/hindsight"

# The Hugo site: the same files under content/, a minimal theme.
hugo_site="$work/hugo"
mkdir -p "$hugo_site/content" "$hugo_site/layouts/_default"
cp -r "$corpus/incidents" "$hugo_site/content/incidents"
cp -r "$corpus/runbooks" "$hugo_site/content/runbooks" 2>/dev/null || true
cat > "$hugo_site/config.toml" <<'TOML'
baseURL = "https://example.com/"
title = "Incident reviews"
disableKinds = ["taxonomy", "term"]
[markup.goldmark.renderer]
unsafe = false
TOML
cat > "$hugo_site/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
cat > "$hugo_site/layouts/_default/single.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ .Params.severity }} · {{ .Params.status }} · {{ delimit (.Params.services | default slice) ", " }} · {{ .Params.owner }}</p>
<ol>{{ range .Params.timeline }}<li><time>{{ .at }}</time> {{ .event }}</li>{{ end }}</ol>
<ol>{{ range .Params.whys }}<li>{{ . }}</li>{{ end }}</ol>
<p>{{ .Params.root_cause }}</p>
<table>{{ range .Params.action_items }}<tr><td>{{ .title }}</td><td>{{ .owner }}</td><td>{{ .due }}</td><td>{{ .status }}</td></tr>{{ end }}</table>
{{ .Content }}
{{ end }}
HTML
cat > "$hugo_site/layouts/_default/list.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<table>{{ range .Pages }}<tr><td>{{ .Params.severity }}</td><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ delimit (.Params.services | default slice) ", " }}</td><td>{{ .Params.status }}</td></tr>{{ end }}</table>
{{ end }}
HTML
cat > "$hugo_site/layouts/index.html" <<'HTML'
{{ define "main" }}
<h1>Incidents</h1>
<table>{{ range where .Site.RegularPages "Section" "incidents" }}<tr><td>{{ .Params.severity }}</td><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.status }}</td></tr>{{ end }}</table>
{{ end }}
HTML

# Best of $runs as "seconds KiB", each run into a new empty folder. GNU
# time runs the binary itself, so the memory is the tool's. Nothing is
# deleted until the end: ext4 without a journal (as on these VMs) skips
# inodes freed in the last 30 s when it allocates new ones, which makes
# creating thousands of files right after deleting thousands several times
# slower for whichever tool runs next.
measure() {
  local name=$1; shift
  local best="" out n=0
  for _ in $(seq "$runs"); do
    n=$((n + 1))
    local dest="$work/$name-$n"
    /usr/bin/time -o "$work/time" -f "%e %M" "$@" "$dest" >/dev/null 2>&1
    out=$(tail -1 "$work/time")
    if [ -z "$best" ] || awk -v a="${out%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then
      best=$out
    fi
  done
  echo "$best"
}

read -r h_s h_kb <<<"$(measure hindsight "$bin" -C "$corpus" build --today 2026-11-22 --out)"
read -r g_s g_kb <<<"$(measure hugo hugo --quiet --source "$hugo_site" --destination)"
pages=$(find "$work/hindsight-1" -name '*.html' | wc -l)
hugo_pages=$(find "$work/hugo-1" -name '*.html' | wc -l)

printf '%s incidents, %s cores, best of %s runs from an empty output folder\n' "$count" "$(nproc)" "$runs"
printf '%-10s %8s s %8s MiB %8s pages\n' hindsight "$h_s" "$((h_kb / 1024))" "$pages"
printf '%-10s %8s s %8s MiB %8s pages\n' hugo "$g_s" "$((g_kb / 1024))" "$hugo_pages"
awk -v a="$h_s" -v b="$g_s" 'BEGIN { if (a > 0) printf "hindsight is %.1fx faster than hugo\n", b / a }'
