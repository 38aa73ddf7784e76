#!/usr/bin/python3
"""Reads a report's CSV (`opsflow report --format csv`) back with the csv module and
checks that it holds exactly the figures of the same report's JSON: one row per value
of the JSON, named by its path (`incidents.mttr_minutes.mean`, `series.weeks.0.P1`), the
same number (null is an empty cell), and no other row.
Usage: report_csv_check.py REPORT.json REPORT.csv; prints the differences, exits 1 if any."""
import csv
import json
import sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
with open(sys.argv[2], encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))

problems = []
if not rows or rows[0] != ["figure", "value"]:
    problems.append(f"header {rows[:1]}, expected ['figure', 'value']")
cells = {}
for row in rows[1:]:
    if len(row) != 2:
        problems.append(f"row {row} has {len(row)} cells")
        continue
    if row[0] in cells:
        problems.append(f"{row[0]}: two rows")
    cells[row[0]] = row[1]

expected = {}


def flatten(value, path):
    if isinstance(value, dict):
        for key, item in value.items():
            flatten(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            flatten(item, f"{path}.{index}")
    else:
        expected[path] = value


flatten(report, "")
for path, value in expected.items():
    if path not in cells:
        problems.append(f"{path}: no row (JSON {json.dumps(value)})")
        continue
    cell = cells[path]
    if value is None:
        same = cell == ""
    elif isinstance(value, bool):
        same = cell == ("true" if value else "false")
    elif isinstance(value, (int, float)):
        try:
            same = float(cell) == float(value)
        except ValueError:
            same = False
    else:
        same = cell == value
    if not same:
        problems.append(f"{path}: CSV {cell!r}, JSON {json.dumps(value, ensure_ascii=False)}")
for path in cells.keys() - expected.keys():
    problems.append(f"{path}: a row that the JSON does not have")

for line in problems:
    print(line)
print(f"{len(expected)} figures, {len(cells)} rows: {len(problems)} differences")
sys.exit(1 if problems else 0)
