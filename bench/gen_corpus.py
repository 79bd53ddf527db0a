#!/usr/bin/env python3
"""Writes a generated hindsight repository for the benchmarks.

    bench/gen_corpus.py OUT [--incidents N] [--runbooks N] [--drills N]
                            [--teams N] [--learning] [--git | --history]
                            [--seed S]

Every document is valid, so `hindsight lint` finds no problem in the
result. The same options and seed give the same files, byte for byte;
each option draws from a random stream of its own, so adding one leaves
the files the others write as they were (except that --learning adds a
`factors:` line to each incident).

  --incidents N  postmortems under incidents/<year>/ (default 1000), started
                 between 2023 and 2026, 8 in 9 published, the rest in review
  --runbooks N   runbooks under runbooks/ (default 50); half the incidents
                 name one
  --drills N     drills under drills/<year>/ (default 0): held, planned and
                 cancelled, exercising the runbooks
  --teams N      N team response plans under teams/ (default 0), which
                 between them claim every service once (past 18 teams, each
                 further team claims an internal service of its own), each
                 with a call tree that reaches everyone
  --learning     response targets per severity, postmortem_due_days and a
                 taxonomy of contributing factors in hindsight.yaml, and
                 `factors:` on every incident
  --git          the whole repository in one commit
  --history      a dated git history instead: each incident is committed in
                 review the day after it resolved and, when published,
                 published 1 to 20 days later (about two commits an
                 incident); runbooks, drills and configuration in a last
                 commit

Needs Python 3.8 or later and, for --git and --history, git.
"""

import argparse
import datetime as dt
import os
import random
import subprocess
import sys

SERVICES = [
    "api-gateway", "auth", "billing", "catalog", "cdn", "checkout", "dns",
    "kafka", "ledger", "ml-ranker", "mobile-app", "notifications", "payments",
    "postgres", "redis", "search", "web", "k8s-control-plane",
]
TAGS = [
    "capacity", "certificate", "config", "data-loss", "database", "dependency",
    "deploy", "dns", "network", "rollback", "security", "vendor",
]
PEOPLE = ["ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana", "ivan", "jo"]
WORDS = (
    "alert backlog cache canary certificate config connection deploy dns "
    "eviction expiry failover flag latency limit lock pool queue quota "
    "replica resolver retry rollback saturation shard storm throttling "
    "timeout error rate"
).split()
SEVERITIES = ["SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3", "SEV4"]
ITEM_KINDS = ["prevent", "mitigate", "detect", "process"]
ITEM_STATES = ["open", "done", "done", "wontfix"]
DRILL_KINDS = ["tabletop", "game-day", "failover-test", "restore-test"]
DRILL_STATES = ["held"] * 6 + ["planned", "cancelled"]
FACTORS = [
    "untested-change", "unscoped-rollout", "no-back-out-plan", "capacity-limit",
    "missing-alert", "config-drift", "dependency-failure", "expired-credential",
]
EPOCH = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
FOUR_YEARS_MIN = 4 * 365 * 24 * 60
GIT_ENV = {
    "GIT_AUTHOR_NAME": "corpus", "GIT_AUTHOR_EMAIL": "corpus@example.com",
    "GIT_COMMITTER_NAME": "corpus", "GIT_COMMITTER_EMAIL": "corpus@example.com",
}


def words(rng, n):
    """A sentence of n words, capitalised and closed with a full stop."""
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def flow(items):
    return "[" + ", ".join(items) + "]"


class Doc:
    """One generated file: its path in the repository and its text."""

    def __init__(self, path, text):
        self.path, self.text = path, text


def runbook(rng, n):
    rid = f"rb-{n:04d}"
    reviewed = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
    front = [
        f"id: {rid}",
        f'title: "{words(rng, 5)[:-1]}"',
        f"owner: {rng.choice(PEOPLE)}",
        f"services: {flow(rng.sample(SERVICES, 2))}",
        f"last_reviewed: {reviewed.isoformat()}",
        "review_every_days: 90",
    ]
    body = ["## Checklist", ""] + [f"- [ ] {words(rng, 8)}" for _ in range(6)]
    body += ["", "## Escalation", "", words(rng, 30)]
    return rid, Doc(f"runbooks/{rid}.md", document(front, body))


def incident(rng, n, runbook_ids, factors_rng):
    start = EPOCH + dt.timedelta(minutes=rng.randrange(FOUR_YEARS_MIN))
    detected = start + dt.timedelta(minutes=rng.randrange(60))
    acknowledged = detected + dt.timedelta(minutes=rng.randrange(30))
    resolved = acknowledged + dt.timedelta(minutes=rng.randrange(5, 600))
    iid = f"INC-{start.year}-{n:05d}"
    front = [
        f"id: {iid}",
        f'title: "{words(rng, 6)[:-1]}"',
        f"status: {rng.choice(['published'] * 8 + ['review'])}",
        f"severity: {rng.choice(SEVERITIES)}",
        f"started_at: {stamp(start)}",
        f"detected_at: {stamp(detected)}",
        f"acknowledged_at: {stamp(acknowledged)}",
        f"resolved_at: {stamp(resolved)}",
        f"owner: {rng.choice(PEOPLE)}",
        f"authors: {flow(rng.sample(PEOPLE, 2))}",
        f"services: {flow(rng.sample(SERVICES, rng.randrange(1, 4)))}",
    ]
    if factors_rng is not None:
        front.append(f"factors: {flow(factors_rng.sample(FACTORS, factors_rng.randrange(1, 3)))}")
    front += [
        f"tags: {flow(rng.sample(TAGS, rng.randrange(1, 4)))}",
        "impact:",
        f"  users_affected: {rng.randrange(500000)}",
        f"  customer_facing: {'true' if rng.random() < 0.7 else 'false'}",
    ]
    if runbook_ids and rng.random() < 0.5:
        front.append(f"runbooks: [{rng.choice(runbook_ids)}]")
    front.append("timeline:")
    at = start
    for _ in range(rng.randrange(4, 12)):
        front += [f"  - at: {stamp(at)}", f'    event: "{words(rng, 8)}"']
        at += dt.timedelta(minutes=rng.randrange(40))
    front.append("whys:")
    front += [f'  - "{words(rng, 14)}"' for _ in range(5)]
    front.append(f'root_cause: "{words(rng, 10)}"')
    front.append("action_items:")
    for _ in range(rng.randrange(1, 6)):
        due = resolved.date() + dt.timedelta(days=rng.randrange(7, 120))
        state = rng.choice(ITEM_STATES)
        front += [
            f'  - title: "{words(rng, 7)}"',
            f"    owner: {rng.choice(PEOPLE)}",
            f"    due: {due.isoformat()}",
            f"    status: {state}",
            f"    kind: {rng.choice(ITEM_KINDS)}",
            f"    link: https://tracker.example.com/OPS-{rng.randrange(1, 99999)}",
        ]
        if state == "done":
            closed = due - dt.timedelta(days=rng.randrange(7))
            front.append(f"    closed_on: {closed.isoformat()}")
    body = ["## Executive Summary", "", words(rng, 40), "", "## Client Impact", "",
            words(rng, 30), "", "## Analysis", ""]
    body += [f"- **{k}:** {words(rng, 20)}"
             for k in ("Lead-up", "Fault", "Detection", "Response", "Recovery", "Recurrence")]
    body += ["", "## Resolution", "", "### Short term", "", words(rng, 25), "",
             "### Long term", "", words(rng, 25), "", "## Lessons Learned", ""]
    body += [f"- {words(rng, 15)}" for _ in range(3)]
    body += ["", "| Metric | Value |", "|---|---|", "| Error rate | 14% |"]
    path = f"incidents/{start.year}/{start:%Y-%m-%d}-{iid.lower()}.md"
    return resolved.date(), Doc(path, document(front, body))


def drill(rng, n, runbook_ids):
    did = f"DRILL-{n:04d}"
    day = EPOCH.date() + dt.timedelta(days=rng.randrange(4 * 365))
    state = rng.choice(DRILL_STATES)
    front = [
        f"id: {did}",
        f'title: "{words(rng, 5)[:-1]}"',
        f"kind: {rng.choice(DRILL_KINDS)}",
        f"status: {state}",
        f"scheduled_for: {day.isoformat()}",
        f"facilitator: {rng.choice(PEOPLE)}",
        f'scenario: "{words(rng, 14)}"',
        f"services: {flow(rng.sample(SERVICES, 2))}",
    ]
    if runbook_ids:
        front.append(f"runbooks: {flow(rng.sample(runbook_ids, min(2, len(runbook_ids))))}")
    if state == "held":
        front += [f"held_on: {day.isoformat()}",
                  f"participants: {flow(rng.sample(PEOPLE, 3))}", "findings:"]
        front += [f'  - "{words(rng, 10)}"' for _ in range(rng.randrange(1, 4))]
        front.append("action_items:")
        for _ in range(rng.randrange(1, 3)):
            due = day + dt.timedelta(days=rng.randrange(14, 90))
            front += [f'  - title: "{words(rng, 6)}"', f"    owner: {rng.choice(PEOPLE)}",
                      f"    due: {due.isoformat()}", "    status: open"]
    body = ["## Scenario", "", words(rng, 30), "", "## Notes", "", words(rng, 30)]
    return Doc(f"drills/{day.year}/{day:%Y-%m-%d}-{did.lower()}.md", document(front, body))


def team(rng, n, count):
    tid = f"team-{n:03d}" if count > 100 else f"team-{n:02d}"
    people = rng.sample(PEOPLE, 4)
    roles = ["incident manager", "communications lead", "engineer", "engineer"]
    front = [
        f"id: {tid}",
        f'name: "{words(rng, 2)[:-1]}"',
        f"services: {flow(SERVICES[n::count] or [f'internal-{n:03d}'])}",
        f"oncall: https://oncall.example.com/{tid}",
        "call_tree:",
    ]
    for k, (person, role) in enumerate(zip(people, roles)):
        calls = people[2 * k + 1:2 * k + 3]
        front += [f"  - name: {person}", f"    role: {role}",
                  f"    phone: \"+1 555 01{n:02d} {k:03d}\"", f"    calls: {flow(calls)}"]
    front += [
        "war_room:",
        f"  primary: https://chat.example.com/{tid}-incident",
        '  fallback: "Bridge line +1 212 555 0100, PIN 0000"',
        "communication:",
        "  lead: communications lead",
        "  updates_every_minutes: {SEV1: 30, SEV2: 60}",
        "  audiences: [support, leadership]",
        f"reviewed_on: {(dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(300))).isoformat()}",
    ]
    body = ["## Notes", "", words(rng, 20)]
    return Doc(f"teams/{tid}.md", document(front, body))


def document(front, body):
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body) + "\n"


def config(learning):
    lines = ["title: Generated incident reviews"]
    if learning:
        lines += [
            "severities:",
            "  - {name: SEV1, description: Critical, targets: {detect: 10, acknowledge: 10, resolve: 240}}",
            "  - {name: SEV2, description: High, targets: {acknowledge: 30, resolve: 480}}",
            "  - {name: SEV3, description: Medium, targets: {resolve: 1440}}",
            "  - {name: SEV4, description: Low}",
            "postmortem_due_days: 7",
            "factors:",
        ]
        lines += [f"  - {{name: {f}, description: {f.replace('-', ' ').capitalize()}}}"
                  for f in FACTORS]
    return Doc("hindsight.yaml", "\n".join(lines) + "\n")


def write(out, doc):
    path = os.path.join(out, doc.path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(doc.text)


def git(out, *args, data=None):
    env = dict(os.environ, **GIT_ENV)
    subprocess.run(["git", "-C", out, *args], input=data, env=env, check=True)


def commit_all(out, message):
    git(out, "add", "-A")
    git(out, "commit", "-q", "--no-verify", "-m", message)


def history(out, changes):
    """changes: (day, path, text), committed one a commit in day order with
    git fast-import, each at noon UTC plus a second per commit so that no
    two share a time."""
    changes.sort(key=lambda c: (c[0], c[1]))
    stream = []
    for n, (day, path, text) in enumerate(changes):
        noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc)
        when = int(noon.timestamp()) + n % 3600
        data, message = text.encode(), path.encode()
        stream += [
            b"commit refs/heads/main\n",
            f"author corpus <corpus@example.com> {when} +0000\n".encode(),
            f"committer corpus <corpus@example.com> {when} +0000\n".encode(),
            f"data {len(message)}\n".encode(), message, b"\n",
            f"M 100644 inline {path}\n".encode(),
            f"data {len(data)}\n".encode(), data, b"\n",
        ]
    git(out, "fast-import", "--quiet", data=b"".join(stream))
    git(out, "symbolic-ref", "HEAD", "refs/heads/main")
    git(out, "reset", "-q")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--incidents", type=int, default=1000)
    ap.add_argument("--runbooks", type=int, default=50)
    ap.add_argument("--drills", type=int, default=0)
    ap.add_argument("--teams", type=int, default=0)
    ap.add_argument("--learning", action="store_true")
    how = ap.add_mutually_exclusive_group()
    how.add_argument("--git", action="store_true")
    how.add_argument("--history", action="store_true")
    ap.add_argument("--seed", type=int, default=51)
    a = ap.parse_args()
    if a.teams < 0:
        sys.exit("gen_corpus.py: --teams takes 0 or more")
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"gen_corpus.py: {a.out} is not empty")
    os.makedirs(a.out, exist_ok=True)

    main_rng = random.Random(a.seed)
    option_rng = random.Random(a.seed * 7919 + 1)
    history_rng = random.Random(a.seed * 7919 + 2)

    runbook_ids = []
    for n in range(a.runbooks):
        rid, doc = runbook(main_rng, n)
        runbook_ids.append(rid)
        write(a.out, doc)
    changes = []
    for n in range(a.incidents):
        resolved, doc = incident(main_rng, n, runbook_ids, option_rng if a.learning else None)
        write(a.out, doc)
        if a.history:
            in_review = resolved + dt.timedelta(days=1)
            if "\nstatus: published\n" in doc.text:
                draft = doc.text.replace("\nstatus: published\n", "\nstatus: review\n", 1)
                changes.append((in_review, doc.path, draft))
                published = in_review + dt.timedelta(days=history_rng.randrange(1, 21))
                changes.append((published, doc.path, doc.text))
            else:
                changes.append((in_review, doc.path, doc.text))
    drill_rng = random.Random(a.seed * 7919 + 3)
    for n in range(a.drills):
        write(a.out, drill(drill_rng, n, runbook_ids))
    team_rng = random.Random(a.seed * 7919 + 4)
    for n in range(a.teams):
        write(a.out, team(team_rng, n, a.teams))
    write(a.out, config(a.learning))

    if a.git or a.history:
        subprocess.run(["git", "init", "-q", "-b", "main", a.out], check=True)
        if a.history:
            history(a.out, changes)
        commit_all(a.out, "runbooks, drills and configuration" if a.history else "corpus")


if __name__ == "__main__":
    main()
