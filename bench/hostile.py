#!/usr/bin/env python3
"""Time and memory of `lint` and `build` on the hostile repositories of
tests/hostile.rs that do the most work, several runs each.

    python3 bench/hostile.py [--bin target/release/hindsight] [--runs 3]

Prints, per case and command, the median wall time and peak resident
memory (from /usr/bin/time) with the spread over the runs. The budget the
hardening aims at is 2 s and 300 MiB per run.
"""
import argparse
import os
import statistics
import subprocess
import tempfile

DRAFT = "---\nid: {id}\ntitle: Draft {id}\nstatus: draft\nseverity: SEV3\nstarted_at: {at}\n---\n\n{body}"


def case_files():
    links = "".join(f"[x](m{n}.md)" for n in range(10_000)) + "\n"
    pad = "é" * 160
    long_line = "".join(f"{pad}[x](m{n:05}.md)" for n in range(10_000)) + "\n"
    related = ", ".join(f"NOPE-{n}" for n in range(6_500))
    return {
        "10k-links-one-line": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=links)},
        "3MB-line": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=long_line)},
        "10k-same-headings": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="## Impact\n\ntext\n\n" * 10_000)},
        "100k-headings": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="".join(f"## Step {n}\n" for n in range(100_000)))},
        "100k-nested-divs": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="<div>" * 100_000 + "deep\n")},
        "years-0001-9999": {
            "incidents/a.md": DRAFT.format(id="A", at="0001-01-01T00:00:00Z", body=""),
            "incidents/b.md": DRAFT.format(id="B", at="9999-12-31T00:00:00Z", body=""),
        },
        "6500-unknown-related": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="").replace("---\n\n", f"related: [{related}]\n---\n\n", 1)},
    }


def hardening_files():
    """The full sizes of the hardening cases of tests/hostile.rs."""
    same_ids = "".join("  - {id: X, title: t, owner: o, due: 2026-04-01, status: open}\n" for _ in range(3_000))
    anchor = "y" * 1_000_000
    aliases = "".join("  - {title: t, owner: o, due: 2026-04-01, status: open, kind: *big}\n" for _ in range(500))
    million_links = "".join(f"[x](m{n}.md)\n" for n in range(1_000_000))
    words = " ".join(f"qq{n:06}" for n in range(200_000)) + "\n"

    def front(extra):
        return DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="").replace("---\n\n", extra + "---\n\n", 1)

    return {
        "3000-same-item-ids": {"incidents/a.md": front(f"action_items:\n{same_ids}")},
        "15MB-status": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="").replace("status: draft", "status: " + "x" * 15_000_000)},
        "500-aliases-1MB": {"incidents/a.md": front(f"summary: &big {anchor}\naction_items:\n{aliases}")},
        "1M-broken-links": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=million_links)},
        "200k-distinct-words": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=words)},
        "due-days-overflow": {"hindsight.yaml": "postmortem_due_days: 106751991167300\n", "incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="")},
    }


def deep_history(root, depth=2_400):
    """A git history holding incidents/a/a/.../x.md `depth` folders deep
    (no work tree can hold the path), then a commit that removes it."""
    def git(*args, stdin=None):
        return subprocess.run(["git", "-C", root, *args], input=stdin, capture_output=True, text=True, check=True).stdout.strip()

    os.makedirs(root, exist_ok=True)
    git("init", "-q")
    oid = git("hash-object", "-w", "--stdin", stdin="---\nid: DEEP\n---\n")
    tree = git("mktree", stdin=f"100644 blob {oid}\tx.md\n")
    for _ in range(depth):
        tree = git("mktree", stdin=f"040000 tree {tree}\ta\n")
    top = git("mktree", stdin=f"040000 tree {tree}\tincidents\n")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    os.environ.update(env)
    first = git("commit-tree", top, "-m", "deep")
    empty = git("mktree", stdin="")
    second = git("commit-tree", empty, "-p", first, "-m", "gone")
    git("update-ref", "HEAD", second)


def commands_for(name, tmp):
    """What each case runs: lint and build, and on the hardening cases the
    machine formats and the commands that read the history."""
    site = ["build", "--today", "2026-11-22", "--out", os.path.join(tmp, "site")]
    if name in ("3000-same-item-ids", "1M-broken-links"):
        return [["lint"], ["lint", "--format", "github"], ["lint", "--format", "sarif"], site]
    if name in ("due-days-overflow", "deep-tree-2400"):
        return [["lint"], ["postmortems", "--today", "2026-11-22"], ["report", "--month", "2026-03", "--today", "2026-11-22"], site]
    return [["lint"], site]


def measure(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], capture_output=True, text=True)
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/hindsight")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    print(f"{'case':24} {'command':20} {'median s':>9} {'min-max s':>13} {'peak MiB':>9}")
    cases = {**case_files(), **hardening_files(), "deep-tree-2400": None}
    for name, files in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.join(tmp, "repo")
            if files is None:
                deep_history(root)
                files = {}
            for rel, text in files.items():
                path = os.path.join(root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            for command in commands_for(name, tmp):
                results = [measure([binary, "-C", root, *command]) for _ in range(args.runs)]
                walls = [w for w, _ in results]
                rss = max(r for _, r in results)
                shown = " ".join(command[:3]) if command[0] == "lint" else command[0]
                print(f"{name:24} {shown:20} {statistics.median(walls):9.2f} {min(walls):6.2f}-{max(walls):<6.2f} {rss:9.0f}")


if __name__ == "__main__":
    main()
