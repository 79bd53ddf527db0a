#!/usr/bin/env python3
"""Every credential a real scanner finds in the privacy corpus, hindsight
finds too.

    python3 tests/privacy_crosscheck.py HINDSIGHT_BINARY

Writes the corpus (tests/privacy_corpus.py) into a temporary folder, runs
Yelp's detect-secrets over it and `hindsight lint --format json`, and fails
when detect-secrets reports a line of a planted credential that hindsight
does not report as `secret`. detect-secrets' findings in the look-alikes
file are not credentials (it flags any high-entropy string there), so they
are not compared; that hindsight finds nothing there is the CLI tests' job.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as corpus:
        subprocess.run([sys.executable, os.path.join(HERE, "privacy_corpus.py"), corpus], check=True)
        scan = subprocess.run(
            ["detect-secrets", "scan", "--all-files", "incidents"],
            cwd=corpus, check=True, capture_output=True, text=True,
        )
        theirs = set()
        for file, results in json.loads(scan.stdout)["results"].items():
            if file.endswith("lookalikes.md"):
                continue
            for r in results:
                theirs.add((file, r["line_number"], r["type"]))
        lint = subprocess.run(
            [binary, "-C", corpus, "lint", "--format", "json"],
            capture_output=True, text=True,
        )
        if lint.returncode not in (0, 1):
            sys.exit(f"hindsight lint exited {lint.returncode}: {lint.stderr}")
        ours = {
            (d["file"], d["line"])
            for d in json.loads(lint.stdout)["diagnostics"]
            if d["code"] == "secret"
        }
        missed = sorted((f, l, t) for f, l, t in theirs if (f, l) not in ours)
        for f, l, t in missed:
            print(f"detect-secrets found a {t} at {f}:{l}; hindsight did not", file=sys.stderr)
        planted = json.load(open(os.path.join(corpus, "planted.json")))
        print(f"detect-secrets: {len(theirs)} findings in {len({f for f, _, _ in theirs})} files; "
              f"hindsight: {len(ours)} secrets; planted: {len(planted)} values")
        if missed:
            sys.exit(1)
        print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
