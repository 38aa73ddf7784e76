#!/usr/bin/python3
"""Differential test of opsflow's reading of plain YAML scalars against PyYAML (YAML
1.1, the reader of many CI scripts) and the YAML 1.2 core schema's regular expressions.

Usage: yaml_types_diff.py OPSFLOW STORE RECORD

RECORD is an incident file of STORE (a git store). Two directions:
1. check: one record per scalar with `title: SCALAR` written plain; `opsflow check`
   must refuse the title ("must be text") exactly when PyYAML reads the scalar as
   something other than a string, or YAML 1.2 core does, or it is one of the YAML 1.1
   spec's y/n booleans (which PyYAML leaves as strings but other 1.1 readers do not).
2. writer: every scalar imported as a title; PyYAML must read each written record's
   title back as that very string, and `opsflow check` must pass.
Prints each difference and exits 1 if there is any."""
import json
import os
import re
import subprocess
import sys

import yaml

SCALARS = [
    # YAML 1.1 booleans, and the spec's single letters
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    "y", "Y", "n", "N", "true", "False",
    # numbers in YAML 1.1 forms
    "0x1F", "0x_1F", "0b101", "0b1_0", "017", "0o17", "1_000", "+12", "-12", "12",
    "12:30", "1:20:30", "190:20:30.15", "1.5", "1.", "+1.5", "-.5", ".5", "1e3",
    "1.0e+3", "1.0e3", "6.8523015e+5", "685.230_15e+03", ".inf", "-.Inf", "+.INF",
    ".NaN", ".nan", ".NAN",
    # timestamps
    "2026-11-24", "2026-1-2 3:04:05", "2026-11-24T10:00:00+08:00", "2026-11-24t10:00:00Z",
    "2026-11-24 10:00:00.5 -5", "2001-12-14 21:59:43.10 -05:00",
    # null and specials
    "~", "null", "NULL", "<<", "=",
    # text that every reader reads as text
    "yes please", "no.", "onward", "Y2K", "0x", "0xZZ", "0b2", "1_", "_1", "12:60",
    "12:3a", "1.2.3", "2026-11", "2026-11-24x", "10:00 meeting", "+", ".", "..",
    "e3", "1e", "v1.0", "NaN", "inf", "Infinity", "nulls", "True story", "INC-1234abcd",
    "P1", "mail", "磁盘满", "３", "１２:３０",
]

CORE12 = re.compile(
    r"(null|Null|NULL|~|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN)")


def pyyaml_text(scalar):
    try:
        value = yaml.safe_load(f"title: {scalar}\n")["title"]
    except yaml.YAMLError:
        return False
    return isinstance(value, str) and value == scalar


def expected_refused(scalar):
    return (not pyyaml_text(scalar) or CORE12.fullmatch(scalar) is not None
            or scalar in ("y", "Y", "n", "N"))


def run(opsflow, store, *args, stdin=None):
    return subprocess.run([opsflow, *args], capture_output=True, text=True, input=stdin,
                          cwd=store)


def main():
    opsflow, store, record = (os.path.abspath(a) for a in sys.argv[1:4])
    template = open(record, encoding="utf-8").read()
    directory = os.path.dirname(record)
    problems = []

    # 1. check refuses exactly the non-strings.
    files = {}
    for n, scalar in enumerate(SCALARS):
        rid = f"INC-7e57{n:04x}"
        text = re.sub(r"(?m)^id: .*$", f"id: {rid}", template)
        text = re.sub(r"(?m)^title: .*$", lambda _: f"title: {scalar}", text)
        path = os.path.join(directory, rid + ".yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        files[os.path.relpath(path, store)] = scalar
    result = run(opsflow, store, "check", "--format", "json")
    findings = json.loads(result.stdout or "[]")
    refused = {f["file"] for f in findings
               if f["pointer"] == "/title" and f["message"].startswith("must be text")}
    other = [f for f in findings
             if f["file"] in files and f["pointer"] != "/title" and f["severity"] == "error"]
    for f in other:
        problems.append(f"{f['file']}: unexpected finding {f['pointer']}: {f['message']}")
    for path, scalar in files.items():
        want = expected_refused(scalar)
        got = path in refused
        if want != got:
            problems.append(f"title: {scalar!r}: opsflow {'refuses' if got else 'accepts'}, "
                            f"expected {'refused' if want else 'accepted'}"
                            f" (PyYAML reads {'text' if pyyaml_text(scalar) else 'another type'})")
    for path in files:
        os.remove(os.path.join(store, path))

    # 2. What opsflow writes, PyYAML reads as the same text.
    rows = "".join(json.dumps({"title": s, "reported_at": "2026-03-05 09:00"}) + "\n"
                   for s in SCALARS)
    result = run(opsflow, store, "import", "--kind", "incident", "-", stdin=rows)
    if result.returncode != 0:
        problems.append(f"import failed: {result.stderr.strip()}")
    written = set()
    for ident in result.stdout.split():
        found = subprocess.run(["find", store, "-name", ident + ".yaml"], capture_output=True,
                               text=True).stdout.split()
        for path in found:
            title = yaml.safe_load(open(path, encoding="utf-8"))["title"]
            written.add(title if isinstance(title, str) else repr(title))
            if not isinstance(title, str):
                problems.append(f"{path}: PyYAML reads the title as {title!r}")
    for scalar in SCALARS:
        if scalar not in written:
            problems.append(f"title {scalar!r} was not written back as that text")
    result = run(opsflow, store, "check")
    if result.returncode != 0:
        problems.append(f"check after import: {result.stdout.strip()[:500]}")

    for p in problems:
        print(p)
    print(f"{len(SCALARS)} scalars compared with PyYAML {yaml.__version__}", file=sys.stderr)
    sys.exit(1 if problems else 0)


main()
