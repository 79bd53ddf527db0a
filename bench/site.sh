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
# best of RUNS (default 3), and what each wrote. Needs python3, hugo (apt-get install -y hugo)
# and GNU time (/usr/bin/time).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

corpus=${CORPUS:-}
if [ -z "$corpus" ]; then
  corpus="$work/corpus"
  python3 "$here/bench/gen_corpus.py" "$corpus" --incidents "${INCIDENTS:-10000}" >/dev/null
fi
count=$(find "$corpus/incidents" -name '*.md' ! -name '_*' ! -name README.md | wc -l)

cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$here/target}/release/hindsight"

# The Hugo site: the same files under content/, and a theme that makes
# what hindsight makes where Hugo can: a page per incident with its badges,
# stats, timeline, whys, action items, runbooks used, body with heading
# anchors and a table of contents, related incidents and previous/next; the
# incident index newest first; runbook pages; and, in place of the
# client-side filters, taxonomy pages per severity, service, tag and status.
# (The monthly and quarterly reviews have no Hugo counterpart.)
hugo_site="$work/hugo"
mkdir -p "$hugo_site/content" "$hugo_site/layouts/_default" "$hugo_site/layouts/partials"
cp -r "$corpus/incidents" "$hugo_site/content/incidents"
cp -r "$corpus/runbooks" "$hugo_site/content/runbooks" 2>/dev/null || true
cat > "$hugo_site/config.toml" <<'TOML'
baseURL = "https://example.com/"
title = "Incident reviews"
relativeURLs = true
[taxonomies]
tag = "tags"
service = "services"
severity = "severity"
status = "status"
[markup.goldmark.renderer]
unsafe = false
[markup.tableOfContents]
startLevel = 2
endLevel = 3
TOML
cat > "$hugo_site/layouts/partials/head.html" <<'HTML'
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ .Title }} · {{ .Site.Title }}</title>
HTML
cat > "$hugo_site/layouts/partials/nav.html" <<'HTML'
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> <nav><a href="{{ "/incidents/" | relURL }}">Incidents</a> <a href="{{ "/runbooks/" | relURL }}">Runbooks</a> <a href="{{ "/tags/" | relURL }}">Tags</a> <a href="{{ "/services/" | relURL }}">Services</a></nav></header>
HTML
cat > "$hugo_site/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head>{{ partial "head.html" . }}</head>
<body>{{ partial "nav.html" . }}<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
HTML
cat > "$hugo_site/layouts/_default/single.html" <<'HTML'
{{ define "main" }}
<p><span class="sev">{{ .Params.severity }}</span> <span>{{ .Params.status }}</span>{{ range .Params.tags }} <a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">#{{ . }}</a>{{ end }}</p>
<h1>{{ .Title }}</h1>
<dl><dt>Owner</dt><dd>{{ .Params.owner }}</dd><dt>Services</dt><dd>{{ range .Params.services }}<a href="{{ "/services/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</dd>
{{ with .Params.started_at }}<dt>Started</dt><dd>{{ time.Format "2 Jan 2006, 15:04 MST" (time .) }}</dd>{{ end }}
{{ with .Params.resolved_at }}<dt>Resolved</dt><dd>{{ time.Format "2 Jan 2006, 15:04 MST" (time .) }}</dd>{{ end }}</dl>
{{ with .Params.impact }}<p>Users affected: {{ lang.FormatNumber 0 (.users_affected | default 0) }}</p>{{ end }}
{{ if and .Params.started_at .Params.detected_at }}<p>Time to detect: {{ ((time .Params.detected_at).Sub (time .Params.started_at)).Minutes }} min</p>{{ end }}
{{ if and .Params.detected_at .Params.resolved_at }}<p>Time to resolve: {{ ((time .Params.resolved_at).Sub (time .Params.detected_at)).Minutes }} min</p>{{ end }}
<h2>Timeline</h2><ol>{{ range .Params.timeline }}<li><time>{{ time.Format "15:04" (time .at) }}</time> {{ .event }}</li>{{ end }}</ol>
<h2>5 whys</h2><ol>{{ range .Params.whys }}<li>{{ . }}</li>{{ end }}</ol>
{{ with .Params.root_cause }}<p><strong>Root cause</strong> {{ . }}</p>{{ end }}
<h2>Action items</h2><table>{{ range .Params.action_items }}<tr><td>{{ .title }}</td><td>{{ .owner }}</td><td>{{ .due }}</td><td>{{ .status }}{{ if and (eq .status "open") (lt .due (now.Format "2006-01-02")) }} overdue{{ end }}</td><td>{{ with .link }}<a href="{{ . }}">ticket</a>{{ end }}</td></tr>{{ end }}</table>
{{ with .Params.runbooks }}<h2>Runbooks used</h2><ul>{{ range . }}{{ with site.GetPage (printf "/runbooks/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ else }}<li>{{ . }}</li>{{ end }}{{ end }}</ul>{{ end }}
<nav>{{ .TableOfContents }}</nav>
{{ .Content }}
{{ with .Params.related }}<h2>Related</h2><ul>{{ range where site.RegularPages "Params.id" "in" . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ end }}
HTML
cat > "$hugo_site/layouts/_default/list.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<table>{{ range .Pages.ByDate.Reverse }}<tr><td>{{ .Params.severity }}</td><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ delimit (.Params.services | default slice) ", " }}</td><td>{{ .Params.status }}</td></tr>{{ end }}</table>
{{ end }}
HTML
cat > "$hugo_site/layouts/_default/terms.html" <<'HTML'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>
{{ end }}
HTML
cat > "$hugo_site/layouts/index.html" <<'HTML'
{{ define "main" }}
<h1>Incidents</h1>
<table>{{ range (where .Site.RegularPages "Section" "incidents").ByDate.Reverse }}<tr data-severity="{{ .Params.severity }}" data-status="{{ .Params.status }}"><td>{{ .Params.severity }}</td><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ delimit (.Params.services | default slice) ", " }}</td><td>{{ .Params.status }}</td><td>{{ .Params.root_cause }}</td></tr>{{ end }}</table>
{{ end }}
HTML

# Each run goes into a new empty folder, and nothing is deleted until the
# end: ext4 without a journal (as on these VMs) skips inodes freed in the
# last 30 s when it allocates new ones, which makes creating thousands of
# files right after deleting thousands several times slower. GNU time runs
# the binary itself, so the memory is the tool's.
# One timed run: "seconds KiB". `sync` first, so that neither tool pays
# for writing back the other's files (the kernel flushes them in the
# background, on the same two cores, while the next run goes).
run_once() {
  local dest=$1; shift
  sync
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" "$dest" >/dev/null 2>&1
  tail -1 "$work/time"
}

# The smaller of two "seconds KiB" by seconds.
best_of() {
  if [ -z "$1" ] || awk -v a="${2%% *}" -v b="${1%% *}" 'BEGIN{exit !(a<b)}'; then echo "$2"; else echo "$1"; fi
}

# Both must build without errors before they are timed.
"$bin" -C "$corpus" build --today 2026-11-22 --out "$work/check-hindsight" >/dev/null
hugo --quiet --source "$hugo_site" --destination "$work/check-hugo" >/dev/null

# The two tools take turns, so that both meet the disk in the same state.
h_best="" g_best="" ratios=""
for n in $(seq "$runs"); do
  h=$(run_once "$work/hindsight-$n" "$bin" -C "$corpus" build --today 2026-11-22 --out)
  g=$(run_once "$work/hugo-$n" hugo --quiet --source "$hugo_site" --destination)
  h_best=$(best_of "$h_best" "$h")
  g_best=$(best_of "$g_best" "$g")
  ratios="$ratios $(awk -v a="${h%% *}" -v b="${g%% *}" 'BEGIN { printf "%.1f", b / a }')"
done
read -r h_s h_kb <<<"$h_best"
read -r g_s g_kb <<<"$g_best"
pages=$(find "$work/hindsight-1" -name '*.html' | wc -l)
hugo_pages=$(find "$work/hugo-1" -name '*.html' | wc -l)

# What a build writes: the bytes of its files (folders not counted) and
# the number of files.
written() { find "$1" -type f -printf '%s\n' | awk '{ s += $1; n++ } END { printf "%.1f MB in %d files", s / 1e6, n }'; }

printf '%s incidents, %s cores, best of %s runs from an empty output folder\n' "$count" "$(nproc)" "$runs"
printf '%-10s %8s s %8s MiB %8s pages   %s\n' hindsight "$h_s" "$((h_kb / 1024))" "$pages" "$(written "$work/hindsight-1")"
printf '%-10s %8s s %8s MiB %8s pages   %s\n' hugo "$g_s" "$((g_kb / 1024))" "$hugo_pages" "$(written "$work/hugo-1")"
awk -v a="$h_s" -v b="$g_s" 'BEGIN { if (a > 0) printf "hindsight is %.1fx faster than hugo\n", b / a }'
echo "hugo's time over hindsight's, run by run:$ratios"
