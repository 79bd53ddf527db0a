#!/usr/bin/env python3
"""Where the bytes of a built site's incident pages go.

    bench/page_bytes.py SITE [--sample N]

Reads every incident page of SITE (a folder `hindsight build` wrote), or
every Nth one with --sample, and prints the average bytes a page, then
per part of the page (head and masthead, each section of the article,
the footer) its bytes, the visible text in them and the markup, as
averages over the pages read. The parts are found by the landmarks the
templates give them (ids and classes), so a page of a user's own
templates may show fewer parts.
"""
import argparse
import collections
import glob
import html
import os
import re
import sys

PARTS = [
    ("breadcrumb", '<nav class="crumbs"'),
    ("heading and facts", '<header class="doc-head"'),
    ("stats", '<dl class="stats"'),
    ("learning", 'id="hs-learning"'),
    ("timeline", 'id="hs-timeline"'),
    ("5 whys", 'id="hs-whys"'),
    ("action items", 'id="hs-action-items"'),
    ("runbooks", 'id="hs-runbooks"'),
    ("postmortem body", 'id="hs-postmortem"'),
    ("related", 'id="hs-related"'),
    ("source and edit link", '<footer class="doc-foot"'),
    ("older and newer", '<nav class="prev-next"'),
]


def text_bytes(markup):
    return len(html.unescape(re.sub(r"<[^>]+>", "", markup)).encode())


def parts(page):
    """(name, bytes, text bytes) of each part of one page."""
    main, end = page.find("<main"), page.find("</main>")
    if main < 0 or end < 0:
        return [("whole page", len(page.encode()), text_bytes(page))]
    head = page[:main]
    title = re.search(r"<title>(.*?)</title>", head, re.S)
    body_start = head.find("<body")
    out = [("head and masthead", len(head.encode()),
            text_bytes(head[body_start:]) + (len(title.group(1).encode()) if title else 0))]
    inner = page[main:end]
    starts = []
    for name, landmark in PARTS:
        at = inner.find(landmark)
        if at >= 0:
            # The start of the element that carries the landmark.
            starts.append((inner.rfind("<", 0, at + 1), name))
    starts = [(0, "main")] + sorted(starts) + [(len(inner), None)]
    for (a, name), (b, _) in zip(starts, starts[1:]):
        out.append((name, len(inner[a:b].encode()), text_bytes(inner[a:b])))
    out.append(("footer", len(page[end:].encode()), text_bytes(page[end:])))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site")
    ap.add_argument("--sample", type=int, default=1, help="read every Nth page")
    args = ap.parse_args()
    pages = sorted(glob.glob(os.path.join(args.site, "incidents", "*", "index.html")))
    if not pages:
        sys.exit(f"no incident pages under {args.site}/incidents")
    pages = pages[:: max(args.sample, 1)]
    size = collections.Counter()
    text = collections.Counter()
    total = 0
    for path in pages:
        with open(path, encoding="utf-8") as f:
            page = f.read()
        total += len(page.encode())
        for name, b, t in parts(page):
            size[name] += b
            text[name] += t
    n = len(pages)
    print(f"{n} incident pages, {total / n:,.0f} bytes a page on average")
    print(f"{'part':22} {'bytes':>7} {'text':>7} {'markup':>7}")
    for name, b in size.most_common():
        print(f"{name:22} {b / n:7.0f} {text[name] / n:7.0f} {(b - text[name]) / n:7.0f}")
    markup = sum(size.values()) - sum(text.values())
    print(f"{'all':22} {sum(size.values()) / n:7.0f} {sum(text.values()) / n:7.0f} {markup / n:7.0f}")


if __name__ == "__main__":
    main()
