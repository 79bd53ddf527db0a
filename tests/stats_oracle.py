#!/usr/bin/env python3
"""Recompute the duration statistics of `hindsight report` from a
repository's front matter with numpy and scipy, and compare with what the
binary prints (SPEC section 14).

usage: stats_oracle.py HINDSIGHT REPO TODAY PERIOD...

For each PERIOD (YYYY-Qn or YYYY-MM), runs `HINDSIGHT -C REPO report
--compare --format json --today TODAY` and checks every duration block:
n, p50, p90, min, max (numpy `percentile(method="inverted_cdf")`), mean
(the three times in minutes, and `postmortems.days_to_publish` in days),
and, against the previous period, `compare.change` and `compare.p_value`
(scipy `mannwhitneyu(alternative="two-sided")`, exact when both samples
have at most 20 values and there are no ties, else asymptotic; to 1e-9).
Prints one line per disagreement and exits 1 when there is any; prints
the number of figures checked otherwise.
"""
import datetime as dt
import json
import os
import subprocess
import sys

import numpy as np
import yaml
from scipy.stats import mannwhitneyu

TOLERANCE = 1e-9
COMPARE_MIN_N = 8


def front_matter(path):
    text = open(path, encoding="utf-8").read()
    _, front, _ = text.split("---\n", 2)
    # BaseLoader: every scalar stays text, as hindsight reads YAML 1.2.
    return yaml.load(front, Loader=yaml.BaseLoader)


def timestamp(value):
    return dt.datetime.fromisoformat(value) if value else None


def incidents(repo):
    out = []
    for folder, _, files in os.walk(os.path.join(repo, "incidents")):
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith("_") and name != "README.md":
                out.append(front_matter(os.path.join(folder, name)))
    return out


def period_bounds(name):
    if "-Q" in name:
        year, q = name.split("-Q")
        first = dt.date(int(year), 3 * (int(q) - 1) + 1, 1)
        months = 3
    else:
        year, month = name.split("-")
        first = dt.date(int(year), int(month), 1)
        months = 1
    month = first.month - 1 + months
    after = dt.date(first.year + month // 12, month % 12 + 1, 1)
    return first, after


def previous(name):
    first, _ = period_bounds(name)
    before = first - dt.timedelta(days=1)
    if "-Q" in name:
        return f"{before.year}-Q{(before.month - 1) // 3 + 1}"
    return f"{before.year}-{before.month:02d}"


def minutes(a, b):
    if a is None or b is None:
        return None
    return (b - a).total_seconds() / 60.0


DURATIONS = {
    "time_to_detect": ("started_at", "detected_at"),
    "time_to_acknowledge": ("detected_at", "acknowledged_at"),
    "time_to_resolve": ("detected_at", "resolved_at"),
}


def days_to_publish(d):
    published, resolved = d.get("published_on"), timestamp(d.get("resolved_at"))
    if not published or resolved is None:
        return None
    day = resolved.astimezone(dt.timezone.utc).date()
    return float((dt.date.fromisoformat(published) - day).days)


def values(docs, name, key):
    first, after = period_bounds(name)
    out = []
    for d in docs:
        if d.get("kind", "incident") == "near-miss":
            continue
        started = timestamp(d.get("started_at"))
        if started is None:
            continue
        day = started.astimezone(dt.timezone.utc).date()
        if not first <= day < after:
            continue
        if key == "days_to_publish":
            v = days_to_publish(d)
        else:
            start_field, end_field = DURATIONS[key]
            v = minutes(timestamp(d.get(start_field)), timestamp(d.get(end_field)))
        if v is not None:
            out.append(v)
    return out


def expected_block(xs):
    if not xs:
        return {"n": 0, "p50": None, "p90": None, "min": None, "max": None, "mean": None}
    a = np.array(xs, dtype=float)
    return {
        "n": len(xs),
        "p50": float(np.percentile(a, 50, method="inverted_cdf")),
        "p90": float(np.percentile(a, 90, method="inverted_cdf")),
        "min": float(a.min()),
        "max": float(a.max()),
        "mean": float(a.mean()),
    }


def expected_compare(now, before):
    if len(now) < COMPARE_MIN_N or len(before) < COMPARE_MIN_N:
        return {"change": "insufficient", "p_value": None}
    ties = len(set(now + before)) < len(now) + len(before)
    method = "exact" if len(now) <= 20 and len(before) <= 20 and not ties else "asymptotic"
    p = float(mannwhitneyu(now, before, alternative="two-sided", method=method).pvalue)
    p50_now = np.percentile(np.array(now), 50, method="inverted_cdf")
    p50_before = np.percentile(np.array(before), 50, method="inverted_cdf")
    if p >= 0.05 or p50_now == p50_before:
        change = "no-change"
    else:
        change = "lower" if p50_now < p50_before else "higher"
    return {"change": change, "p_value": p, "method": method}


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE


def main():
    binary, repo, today, *periods = sys.argv[1:]
    docs = incidents(repo)
    problems = []
    checked = 0
    for name in periods:
        flag = "--quarter" if "-Q" in name else "--month"
        out = subprocess.run(
            [binary, "-C", repo, "report", flag, name, "--compare", "--format", "json",
             "--today", today],
            check=True, capture_output=True, text=True).stdout
        report = json.loads(out)
        for key in [*DURATIONS, "days_to_publish"]:
            got = report["postmortems"][key] if key == "days_to_publish" else report[key]
            now = values(docs, name, key)
            want = expected_block(now)
            for field, value in want.items():
                checked += 1
                if field == "n" and got[field] != value or field != "n" and not close(got[field], value):
                    problems.append(f"{name} {key}.{field}: hindsight {got[field]}, numpy {value}")
            if got["median"] != got["p50"]:
                problems.append(f"{name} {key}.median {got['median']} is not p50 {got['p50']}")
            want = expected_compare(now, values(docs, previous(name), key))
            checked += 2
            if got["compare"]["change"] != want["change"]:
                problems.append(f"{name} {key}.compare.change: hindsight {got['compare']['change']}, "
                                f"scipy {want['change']} (p {want['p_value']})")
            if not close(got["compare"]["p_value"], want["p_value"]):
                problems.append(f"{name} {key}.compare.p_value: hindsight {got['compare']['p_value']}, "
                                f"scipy {want['p_value']} ({want.get('method')})")
    for line in problems:
        print(line)
    if problems:
        sys.exit(1)
    print(f"{checked} figures agree with numpy and scipy")


if __name__ == "__main__":
    main()
