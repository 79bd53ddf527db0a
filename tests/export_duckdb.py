#!/usr/bin/env python3
"""Read the Parquet files of `hindsight export` with DuckDB and reproduce,
in SQL, figures of `hindsight report --format json` for one period: the
incident count by severity, the time-to-resolve mean, median (nearest
rank) and 90th percentile, and the action items open and overdue at the
period's end.

usage: export_duckdb.py EXPORT_DIR REPORT.json TODAY
Prints each figure beside the report's and exits 1 on any difference.
"""
import json
import sys

import duckdb

out, report_path, today = sys.argv[1], sys.argv[2], sys.argv[3]
report = json.load(open(report_path))
first, last = report["from"], report["to"]
db = duckdb.connect()
for table in ("incidents", "action_items"):
    db.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{out}/{table}.parquet')")

# The period's incidents: started (UTC day) in it; near misses apart.
period = (
    "kind = 'incident' AND CAST(started_at AT TIME ZONE 'UTC' AS DATE) "
    f"BETWEEN DATE '{first}' AND DATE '{last}'"
)
# The day open and overdue items are counted on: the day after the
# period, or today when that is earlier.
end = f"LEAST(DATE '{last}' + INTERVAL 1 DAY, DATE '{today}')::DATE"

checks = []
total = db.execute(f"SELECT count(*) FROM incidents WHERE {period}").fetchone()[0]
checks.append(("incidents.total", total, report["incidents"]["total"]))
for severity, n in report["incidents"]["by_severity"].items():
    got = db.execute(
        f"SELECT count(*) FROM incidents WHERE {period} AND severity = ?", [severity]
    ).fetchone()[0]
    checks.append((f"incidents.by_severity.{severity}", got, n))
mean, median, p90, n = db.execute(
    "SELECT avg(time_to_resolve_minutes), quantile_disc(time_to_resolve_minutes, 0.5), "
    "quantile_disc(time_to_resolve_minutes, 0.9), count(time_to_resolve_minutes) "
    f"FROM incidents WHERE {period}"
).fetchone()
ttr = report["time_to_resolve"]
checks += [
    ("time_to_resolve.n", n, ttr["n"]),
    ("time_to_resolve.mean", None if mean is None else round(mean, 6), None if ttr["mean"] is None else round(ttr["mean"], 6)),
    ("time_to_resolve.median", median, ttr["median"]),
    ("time_to_resolve.p90", p90, ttr["p90"]),
]
# Items of incidents that started by the period's last day, open on the
# end day: `open`, or `done` and closed on or after it.
open_items = (
    "FROM action_items a JOIN incidents i ON a.incident_id = i.id "
    f"WHERE CAST(i.started_at AT TIME ZONE 'UTC' AS DATE) <= DATE '{last}' "
    f"AND (a.status = 'open' OR (a.status = 'done' AND a.closed_on >= {end}))"
)
open_at_end = db.execute(f"SELECT count(*) {open_items}").fetchone()[0]
overdue = db.execute(f"SELECT count(*) {open_items} AND a.due < {end}").fetchone()[0]
checks += [
    ("action_items.open_at_end", open_at_end, report["action_items"]["open_at_end"]),
    ("action_items.overdue_at_end", overdue, report["action_items"]["overdue_at_end"]),
]
bad = 0
for name, got, want in checks:
    same = got == want or (isinstance(got, (int, float)) and isinstance(want, (int, float)) and abs(got - want) < 1e-9)
    print(f"{'ok  ' if same else 'DIFF'} {name}: sql {got}, report {want}")
    bad += not same
sys.exit(1 if bad else 0)
