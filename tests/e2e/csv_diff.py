#!/usr/bin/python3
"""Reads a CSV that opsflow wrote with Python's csv module and compares every cell
with the same records in opsflow's JSON output.

Usage: csv_diff.py CSV JSON

JSON is a JSON array or JSON lines (one record per line). Each CSV row is matched
to the record with the same `id`; a column names a top-level field or, when the
record has none, a field of its `sla` map (`respond_by`). A cell holding a map or
a list is JSON and is compared as a value; a scalar cell is the value as text
(numbers as JSON writes them, absent or null as empty). Text that a spreadsheet
would run as a formula (it begins with = + - @, a tab, a CR or a full-width
＝＋－＠, possibly behind quotes) must be in the CSV with one more leading ', as
OWASP advises; no other cell may gain one. Prints each difference and exits 1 if
there is any."""
import csv
import json
import sys


def records(path):
    text = open(path, encoding="utf-8").read()
    try:
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def cell_of(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def main():
    csv_path, json_path = sys.argv[1:3]
    by_id = {r["id"]: r for r in records(json_path)}
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    header, body = rows[0], rows[1:]
    problems = []
    if len(body) != len(by_id):
        problems.append(f"{len(body)} CSV rows, {len(by_id)} JSON records")
    for n, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(f"line {n}: {len(row)} cells for {len(header)} columns")
            continue
        record = by_id.get(row[0])
        if record is None:
            problems.append(f"line {n}: {row[0]!r} is not in the JSON")
            continue
        for column, cell in zip(header, row):
            value = record.get(column, (record.get("sla") or {}).get(column))
            if isinstance(value, (dict, list)):
                same = cell != "" and json.loads(cell) == value
            else:
                same = cell == cell_of(value)
            if not same:
                problems.append(f"{row[0]} {column}: CSV {cell!r}, JSON {value!r}")
    for p in problems:
        print(f"{csv_path}: {p}")
    print(f"{csv_path}: {len(body)} rows of {len(header)} columns compared", file=sys.stderr)
    sys.exit(1 if problems or not body else 0)


main()
