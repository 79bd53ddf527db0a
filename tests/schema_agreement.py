#!/usr/bin/env python3
"""Validate the front matter of every document in a repository with the
schemas that `hindsight schema` prints, the way an editor's YAML language
server would (an empty `key:` is null), and compare each verdict with
lint's: a document is valid by the schema exactly when lint reports no
`schema` error for it.

usage: schema_agreement.py REPO INCIDENT.json RUNBOOK.json CONFIG.json LINT.json
Prints one line per disagreement and exits 1 when there is any.
"""
import datetime
import json
import os
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core schema, as hindsight and editors read front matter:
    `yes`/`no`/`on` and dates stay text."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag
        not in (
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:timestamp",
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
        )
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)

checker = jsonschema.FormatChecker()
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$"
)


@checker.checks("date")
def is_date(value):
    if not isinstance(value, str):
        return True
    if not DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@checker.checks("date-time")
def is_date_time(value):
    if not isinstance(value, str):
        return True
    if not DATE_TIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@checker.checks("uri")
def is_uri(value):
    return not isinstance(value, str) or bool(
        re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$", value)
    )


def front_matter(text):
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":
            return "\n".join(lines[1:i])
    return None


def documents(repo, folder):
    base = os.path.join(repo, folder)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.endswith(".md") or name.startswith(("_", ".")) or name == "README.md":
                continue
            path = os.path.join(dirpath, name)
            yield os.path.relpath(path, repo).replace(os.sep, "/"), path


def main():
    repo, incident, runbook, config_schema, lint = sys.argv[1:6]
    schemas = {}
    for kind, path in (("incident", incident), ("runbook", runbook), ("config", config_schema)):
        with open(path) as f:
            schemas[kind] = jsonschema.Draft202012Validator(json.load(f), format_checker=checker)
    with open(lint) as f:
        report = json.load(f)
    unreadable = {"yaml", "front-matter", "encoding", "unreadable"}
    skip = {d["file"] for d in report["diagnostics"] if d["code"] in unreadable}
    schema_errors = {d["file"] for d in report["diagnostics"] if d["code"] == "schema" and d["severity"] == "error"}

    config = {}
    config_path = os.path.join(repo, "hindsight.yaml")
    targets = []
    if os.path.exists(config_path):
        targets.append(("hindsight.yaml", config_path, "config"))
        try:
            with open(config_path, encoding="utf-8") as f:
                config = yaml.load(f, Loader=Yaml12Loader) or {}
        except Exception:
            config = {}
    if not isinstance(config, dict):
        config = {}
    incidents_dir = config.get("incidents_dir") or "incidents"
    runbooks_dir = config.get("runbooks_dir") or "runbooks"
    for rel, path in documents(repo, incidents_dir):
        targets.append((rel, path, "incident"))
    for rel, path in documents(repo, runbooks_dir):
        targets.append((rel, path, "runbook"))

    disagreements = 0
    checked = 0
    for rel, path, kind in targets:
        if rel in skip:
            continue
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        yaml_text = text if kind == "config" else front_matter(text)
        if yaml_text is None:
            continue
        try:
            value = yaml.load(yaml_text, Loader=Yaml12Loader)
        except yaml.YAMLError:
            continue
        if value is None:
            value = {}
        errors = [e.message for e in schemas[kind].iter_errors(value)]
        checked += 1
        valid = not errors
        lint_valid = rel not in schema_errors
        if valid != lint_valid:
            disagreements += 1
            verdict = "valid" if valid else "invalid: " + "; ".join(errors[:3])
            print(f"{rel}: the printed {kind} schema says {verdict}, lint says "
                  f"{'valid' if lint_valid else 'invalid'}")
    print(f"{checked} checked, {disagreements} disagreements", file=sys.stderr)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
