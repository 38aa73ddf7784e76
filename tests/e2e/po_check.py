#!/usr/bin/env python3
"""po_check.py POT PO: fails (exit 1, one line per problem) when PO lacks a message of
POT, has an untranslated or fuzzy one, or a translation whose fmt placeholders ({},
{0}, {name}, {:>3}) differ from its msgid's: the same sequence, or for indexed or named
placeholders (which a translation may reorder) the same set."""
import re
import sys


def unquote(text):
    return bytes(text[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def read_po(path):
    """The entries of a .po file: dicts of msgid, msgid_plural, msgstr (a list), flags."""
    entries, entry, field = [], None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#~"):  # obsolete
            continue
        if not line.strip():
            entry = None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set()}
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
            entry[field] = unquote(line[13:])
        elif line.startswith("msgid "):
            field = "msgid"
            entry[field] = unquote(line[6:])
        elif line.startswith("msgstr"):
            m = re.match(r'msgstr(?:\[(\d+)\])? (".*")$', line)
            field = int(m.group(1) or 0)
            entry["msgstr"][field] = unquote(m.group(2))
        elif line.startswith('"'):
            if isinstance(field, int):
                entry["msgstr"][field] += unquote(line)
            else:
                entry[field] += unquote(line)
    return [e for e in entries if e["msgid"] != ""]


def placeholders(text):
    return re.findall(r"\{[^{}]*\}", text.replace("{{", "").replace("}}", ""))


def same_placeholders(source, translation):
    want, got = placeholders(source), placeholders(translation)
    if all(re.match(r"\{[0-9A-Za-z_]", p) for p in want):
        return sorted(want) == sorted(got)
    return want == got


def main(pot_path, po_path):
    problems = []
    po = {(e["msgid"], e["msgid_plural"]): e for e in read_po(po_path)}
    for e in read_po(pot_path):
        if (e["msgid"], e["msgid_plural"]) not in po:
            problems.append(f"not in {po_path}: {e['msgid']!r}")
    for (msgid, plural), e in po.items():
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {msgid!r}")
        forms = e["msgstr"]
        if not forms or any(not s for s in forms.values()):
            problems.append(f"untranslated: {msgid!r}")
            continue
        for s in forms.values():
            if not (same_placeholders(msgid, s) or (plural and same_placeholders(plural, s))):
                problems.append(
                    f"placeholders differ: {msgid!r} {placeholders(msgid)} -> {s!r} {placeholders(s)}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
