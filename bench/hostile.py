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


def measure(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], capture_output=True, text=True)
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--bin",
        default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "hindsight"),
    )
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    print(f"{'case':24} {'command':6} {'median s':>9} {'min-max s':>13} {'peak MiB':>9}")
    for name, files in case_files().items():
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.join(tmp, "repo")
            for rel, text in files.items():
                path = os.path.join(root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            for command in (["lint"], ["build", "--today", "2026-11-22", "--out", os.path.join(tmp, "site")]):
                results = [measure([binary, "-C", root, *command]) for _ in range(args.runs)]
                walls = [w for w, _ in results]
                rss = max(r for _, r in results)
                print(f"{name:24} {command[0]:6} {statistics.median(walls):9.2f} {min(walls):6.2f}-{max(walls):<6.2f} {rss:9.0f}")


if __name__ == "__main__":
    main()
