#!/usr/bin/env python3
"""A hindsight repository with a long git history, written in one pass
through `git fast-import`, for timing the follow-through evidence
(Action-Item trailers) against lint.

    bench/gen_history.py OUT [--incidents 10000] [--commits 20000]

Every incident is a published postmortem with three action items. The
history has COMMITS commits, one a day-ish apart: the commits that add the
incidents are spread through it, and the others change a source file. A
quarter of all commits carry `Action-Item:` trailers (one or two items,
some with a lower-case key), and one in a hundred of those is reverted by
a later commit with git's revert line. The work tree is checked out at
the end.
"""

import argparse
import os
import random
import subprocess
import sys

START = 1_735_689_600  # 2025-01-01T00:00:00Z


def incident(n: int) -> str:
    day = 1 + n % 28
    month = 1 + n % 12
    started = f"2025-{month:02d}-{day:02d}T10:00:00Z"
    resolved = f"2025-{month:02d}-{day:02d}T11:30:00Z"
    items = []
    for k in range(3):
        status = ("open", "done", "wontfix")[(n + k) % 3]
        closed = f"\n    closed_on: 2025-{month:02d}-{day:02d}" if status == "done" else ""
        items.append(
            f"""  - title: Follow-up {k + 1} of incident {n}
    owner: owner-{(n + k) % 40}
    due: 2026-{month:02d}-{day:02d}
    status: {status}{closed}
    kind: {("prevent", "mitigate", "detect", "process")[(n + k) % 4]}"""
        )
    return f"""---
id: INC-{n:05d}
title: Incident {n} in service {n % 50}
status: published
severity: SEV{1 + n % 4}
started_at: {started}
detected_at: 2025-{month:02d}-{day:02d}T10:05:00Z
acknowledged_at: 2025-{month:02d}-{day:02d}T10:10:00Z
resolved_at: {resolved}
owner: owner-{n % 40}
services: [svc-{n % 50}]
impact:
  users_affected: {n * 7 % 5000}
timeline:
  - at: {started}
    event: Errors rise
  - at: {resolved}
    event: Errors back to baseline
whys:
  - Why did requests fail? The pool was exhausted.
  - Why? Connections leaked on timeouts.
  - Why? The client did not close them.
  - Why? The library changed its default.
  - Why? The upgrade was not reviewed for it.
root_cause: A connection leak after a library upgrade.
action_items:
{chr(10).join(items)}
---

## What happened

Requests to service {n % 50} failed for ninety minutes.
"""


def data(out, payload: bytes) -> None:
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.commits < args.incidents:
        sys.exit("--commits must be at least --incidents")
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=False)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null")
    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q", args.out], check=True, env=env)
    # fast-import answers `get-mark` (the sha of a commit it wrote, which a
    # revert line names) on this pipe.
    answers_r, answers_w = os.pipe()
    importer = subprocess.Popen(
        git + ["fast-import", "--quiet", f"--cat-blob-fd={answers_w}"],
        cwd=args.out,
        stdin=subprocess.PIPE,
        env=env,
        pass_fds=(answers_w,),
    )
    os.close(answers_w)
    answers = os.fdopen(answers_r, "rb")
    out = importer.stdin
    # Which commits add an incident: spread evenly through the history.
    adds = {round(i * args.commits / args.incidents): i for i in range(args.incidents)}
    added = 0
    trailered = {}  # mark -> sha-less mark of a commit with trailers
    reverts = 0
    with_trailers = 0
    for c in range(args.commits):
        mark = c + 1
        when = START + c * 3_000
        files = []
        if c in adds:
            n = adds[c] + 1
            path = f"incidents/{2025}/inc-{n:05d}.md"
            files.append((path, incident(n).encode()))
            subject = f"Postmortem of incident {n}"
            added = n
        else:
            files.append((f"src/module-{c % 97}.txt", f"change {c}\n".encode()))
            subject = f"Change {c} to module {c % 97}"
        body = ""
        revert_of = None
        if c % 4 == 1 and added > 0:
            # A quarter of the commits name items of incidents already added.
            n = rng.randint(1, added)
            keys = ["Action-Item", "action-item"]
            lines = [f"{keys[c % 8 == 1]}: INC-{n:05d}#{1 + c % 3}"]
            if c % 12 == 1:
                m = rng.randint(1, added)
                lines.append(f"Action-Item: INC-{m:05d}#{1 + (c + 1) % 3}")
            body = "\n\nSigned-off-by: Bench <bench@example.com>\n" + "\n".join(lines)
            trailered[mark] = True
            with_trailers += 1
        elif c % 400 == 3 and trailered:
            revert_of = max(m for m in trailered if m < mark)
            reverts += 1
        if revert_of is not None:
            # The revert names its commit by sha, which only fast-import
            # knows.
            out.write(b"get-mark :%d\n" % revert_of)
            out.flush()
            sha = answers.readline().decode().strip()
            message = f'Revert "commit {revert_of}"\n\nThis reverts commit {sha}.\n'
        else:
            message = subject + body + "\n"
        out.write(b"commit refs/heads/main\n")
        out.write(b"mark :%d\n" % mark)
        out.write(b"committer Bench <bench@example.com> %d +0000\n" % when)
        data(out, message.encode())
        if c > 0:
            out.write(b"from :%d\n" % (mark - 1))
        for path, content in files:
            out.write(b"M 100644 inline %s\n" % path.encode())
            data(out, content)
        out.write(b"\n")
    out.close()
    if importer.wait() != 0:
        return 1
    subprocess.run(git + ["checkout", "-q", "-f", "main"], cwd=args.out, check=True, env=env)
    print(
        f"{args.out}: {args.incidents} incidents, {args.commits} commits, "
        f"{with_trailers} with Action-Item trailers, {reverts} reverts"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
