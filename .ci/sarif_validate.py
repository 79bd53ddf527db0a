#!/usr/bin/env python3
"""Validate SARIF files with Microsoft's SARIF Multitool (installed from npm
into .ci/tools) and fail on any error or warning it reports.

usage: sarif_validate.py FILE.sarif...
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MULTITOOL = os.path.join(
    HERE, "tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
)


def validate(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        results = sum(len(run.get("results", [])) for run in json.load(f)["runs"])
    if results == 0:
        print(f"{path}: no results; validate the SARIF of a repository with problems")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "validation.sarif")
        # SARIF rules and GitHub's upload rules, at error and warning level.
        proc = subprocess.run(
            [MULTITOOL, "validate", path, "--output", out,
             "--level", "Error;Warning", "--rule-kind", "Sarif;Gh"],
            capture_output=True, text=True,
            env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
        )
        if proc.returncode != 0 or not os.path.exists(out):
            print(proc.stdout + proc.stderr)
            print(f"{path}: the SARIF Multitool failed (exit {proc.returncode})")
            return 1
        with open(out, encoding="utf-8-sig") as f:
            log = json.load(f)
    findings = [
        r for run in log["runs"] for r in run.get("results", [])
        if r.get("level", "warning") in ("error", "warning")
    ]
    for r in findings:
        print(f"{path}: {r.get('level', 'warning')} {r['ruleId']}: {r['message'].get('text', r['message'])}")
    notifications = [
        n for run in log["runs"]
        for inv in run.get("invocations", [])
        for n in inv.get("toolExecutionNotifications", []) + inv.get("toolConfigurationNotifications", [])
        if n.get("level") == "error"
    ]
    for n in notifications:
        print(f"{path}: the Multitool could not run a rule: {n['message'].get('text')}")
    print(f"SARIF Multitool: {path}: {results} results, {len(findings)} errors or warnings")
    return 1 if findings or notifications else 0


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    return max(validate(p) for p in paths)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
