#!/usr/bin/env python3
"""The check a team would write without hindsight: PyYAML + jsonschema.

usage: python_check.py REPO SCHEMA.json

Reads every incidents/**/*.md, splits the front matter, loads it with
PyYAML and validates it with the `jsonschema` package. Prints the number
of files and errors. Used by bench/run.sh as the baseline.
"""
import datetime
import glob
import json
import os
import sys

import jsonschema
import yaml


def as_json(value):
    # PyYAML turns timestamps and dates into objects; the schema wants text.
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def main():
    repo, schema_path = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    files = sorted(glob.glob(os.path.join(repo, "incidents", "**", "*.md"), recursive=True))
    errors = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        parts = text.split("\n---\n", 1)
        front = parts[0][4:] if text.startswith("---\n") else ""
        data = as_json(yaml.safe_load(front) or {})
        errors += sum(1 for _ in validator.iter_errors(data))
    print(f"{len(files)} files, {errors} errors")


if __name__ == "__main__":
    main()
