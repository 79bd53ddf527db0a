#!/usr/bin/env python3
"""Checks the links of the user guide and of the top-level Markdown files.

    python3 .ci/check_links.py BOOK_DIR [MARKDOWN ...]

BOOK_DIR is the HTML that `mdbook build docs` wrote: every relative link
(`href`, `src`) in its pages must name a file of the book, and every
`#fragment` an `id` (or `name`) in the page it points at. Each MARKDOWN
file (default: README.md, CONTRIBUTING.md, SECURITY.md, ARCHITECTURE.md
and CHANGELOG.md, those that exist) is read as the repository shows it: a
relative link must name a file or folder of the repository, inside it.
Links with a scheme (`https:`, `mailto:`) are not fetched.

Prints each broken link as `file: link: reason` and exits 1 when there is
one, 2 on bad usage.
"""

import html.parser
import os
import re
import sys
import urllib.parse

DEFAULT_MARKDOWN = ["README.md", "CONTRIBUTING.md", "SECURITY.md", "ARCHITECTURE.md", "CHANGELOG.md"]
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Inline links and images, [text](target "title"), outside code.
MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
FENCE = re.compile(r"^\s{0,3}(```|~~~).*?^\s{0,3}\1\s*$", re.M | re.S)
CODE_SPAN = re.compile(r"`+[^`]*`+")


class Page(html.parser.HTMLParser):
    """The links and the anchors of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.anchors = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.anchors.add(attrs[key])
        for key in ("href", "src"):
            value = attrs.get(key)
            if value and tag in ("a", "img", "link", "script", "iframe", "source"):
                self.links.append((value, self.getpos()[0]))


def parse_page(path, cache):
    if path not in cache:
        page = Page()
        with open(path, encoding="utf-8") as f:
            page.feed(f.read())
        cache[path] = page
    return cache[path]


def check_book(book):
    problems, cache = [], {}
    book = os.path.abspath(book)
    pages = []
    for folder, _, files in os.walk(book):
        pages += [os.path.join(folder, f) for f in files if f.endswith(".html")]
    if not pages:
        return [f"{book}: no HTML pages (run `mdbook build docs` first)"], 0
    checked = 0
    for page_path in sorted(pages):
        page = parse_page(page_path, cache)
        where = os.path.relpath(page_path, book)
        for link, line in page.links:
            if SCHEME.match(link) or link.startswith("//"):
                continue
            checked += 1
            parts = urllib.parse.urlsplit(link)
            target = page_path
            if parts.path:
                target = os.path.normpath(os.path.join(os.path.dirname(page_path),
                                                       urllib.parse.unquote(parts.path)))
                if os.path.isdir(target):
                    target = os.path.join(target, "index.html")
                if not (target + os.sep).startswith(book + os.sep):
                    problems.append(f"{where}:{line}: {link}: leaves the book")
                    continue
                if not os.path.isfile(target):
                    problems.append(f"{where}:{line}: {link}: no such file")
                    continue
            fragment = urllib.parse.unquote(parts.fragment)
            if fragment and target.endswith(".html"):
                if fragment not in parse_page(target, cache).anchors:
                    problems.append(f"{where}:{line}: {link}: no anchor #{fragment}")
    return problems, checked


def markdown_links(text):
    text = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    for n, line in enumerate(text.split("\n"), 1):
        line = CODE_SPAN.sub("", line)
        for match in MD_LINK.finditer(line):
            yield n, match.group(1)
        for match in MD_REFERENCE.finditer(line):
            yield n, match.group(1)


def check_markdown(path, top):
    problems, checked = [], 0
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for line, link in markdown_links(text):
        if SCHEME.match(link) or link.startswith("#") or link.startswith("//"):
            continue
        checked += 1
        target = urllib.parse.unquote(urllib.parse.urlsplit(link).path)
        resolved = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), target))
        if not (resolved + os.sep).startswith(top + os.sep):
            problems.append(f"{path}:{line}: {link}: leaves the repository")
        elif not os.path.exists(resolved):
            problems.append(f"{path}:{line}: {link}: no such file")
    return problems, checked


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    book, markdown = argv[1], argv[2:]
    top = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    if not markdown:
        markdown = [os.path.join(top, f) for f in DEFAULT_MARKDOWN
                    if os.path.exists(os.path.join(top, f))]
    problems, checked = check_book(book)
    for path in markdown:
        more, n = check_markdown(path, top)
        problems += more
        checked += n
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} broken links of {checked} checked", file=sys.stderr)
        return 1
    print(f"links: {checked} checked, none broken", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
