#!/usr/bin/python3
"""Differential check of opsflow's maintenance calendar against independent code.

Usage: calendar_diff.py ZONE FEED.ics LIST.json WINDOWS.json FROM TO

FEED.ics is `opsflow maint calendar`, LIST.json `opsflow maint list --upcoming
--json` over [FROM, TO) (local times in ZONE), WINDOWS.json the windows as `opsflow maint show --json`
prints them. The calendar is parsed by python-icalendar; each event's RRULE is
expanded by python-dateutil on zoneinfo's rules (PEP 495: fold=0 reads a local
time in a gap with the offset before it and the repeated hour at its first time,
as RFC 5545 §3.3.5 does). For every window it compares: DTSTART and DTEND of the
invitation with the record's start and end (so the length too), and the instants
of the occurrences of the RRULE with those opsflow lists. Prints each difference
and exits 1 if there is any.
"""
import datetime as dt
import json
import sys
from zoneinfo import ZoneInfo

import icalendar
from dateutil import rrule

UTC = dt.timezone.utc


def instant(prop, zone):
    """An instant from a DTSTART/DTEND property, its TZID resolved by zoneinfo (`zone`
    is not used: the TZID names the zone)."""
    raw = prop.to_ical().decode()
    naive = dt.datetime.strptime(raw.rstrip("Z"), "%Y%m%dT%H%M%S")
    if raw.endswith("Z"):
        return naive.replace(tzinfo=UTC)
    tzid = prop.params.get("TZID")
    if tzid is None:
        raise ValueError(f"floating time {raw} without TZID")
    return naive.replace(tzinfo=ZoneInfo(str(tzid)), fold=0).astimezone(UTC)


def rfc3339(text):
    return dt.datetime.fromisoformat(text).astimezone(UTC)


def main():
    zone_name, feed, listing, windows_file, start, end = sys.argv[1:7]
    zone = ZoneInfo(zone_name)
    # FROM and TO are local times in the zone (`2027-01-01T00:00:00`).
    period = tuple(dt.datetime.fromisoformat(t).replace(tzinfo=zone).astimezone(UTC)
                   for t in (start, end))
    cal = icalendar.Calendar.from_ical(open(feed, "rb").read())
    windows = {w["id"]: w for w in json.load(open(windows_file))}
    listed = {}
    for o in json.load(open(listing)):
        listed.setdefault(o["id"], []).append(rfc3339(o["start"]))
    problems = []
    tzids = {str(c.get("TZID")) for c in cal.walk("VTIMEZONE")}
    if zone_name not in ("UTC", "Etc/UTC") and tzids != {zone_name}:
        problems.append(f"VTIMEZONE TZIDs {sorted(tzids)}, expected [{zone_name}]")
    seen = 0
    for event in cal.walk("VEVENT"):
        wid = str(event.get("UID")).split("@")[0]
        if wid not in windows:
            continue
        seen += 1
        w = windows[wid]
        for prop in ("DTSTART", "DTEND"):
            tzid = event[prop].params.get("TZID")
            if tzid is not None and str(tzid) != zone_name:
                problems.append(f"{wid}: {prop} TZID {tzid}, expected {zone_name}")
        begin, finish = instant(event["DTSTART"], zone), instant(event["DTEND"], zone)
        if begin != rfc3339(w["start"]):
            problems.append(f"{wid}: DTSTART is {begin.isoformat()}, the window starts {w['start']}")
        if finish - begin != rfc3339(w["end"]) - rfc3339(w["start"]):
            problems.append(f"{wid}: the invitation lasts {finish - begin}, the window "
                            f"{rfc3339(w['end']) - rfc3339(w['start'])}")
        length = rfc3339(w["end"]) - rfc3339(w["start"])
        if "RRULE" in event:
            rule_text = event["RRULE"].to_ical().decode()
            # dateutil runs the rule on the wall clock of DTSTART's zone, like RFC 5545.
            local_start = begin.astimezone(zone)
            wall = local_start.replace(tzinfo=None)
            expanded = rrule.rrulestr(rule_text, dtstart=wall.replace(tzinfo=zone))
            starts = [t.replace(fold=0).astimezone(UTC)
                      for t in expanded.between(period[0] - length - dt.timedelta(days=1),
                                                period[1], inc=True)]
            if begin not in starts:
                starts.insert(0, begin)  # RFC 5545: DTSTART is the first occurrence
        else:
            starts = [begin]
        expected = sorted(s for s in set(starts) if s < period[1] and s + length > period[0])
        got = sorted(listed.get(wid, []))
        if expected != got:
            missing = [s.isoformat() for s in expected if s not in got][:5]
            extra = [s.isoformat() for s in got if s not in expected][:5]
            problems.append(f"{wid} ({w.get('recurrence', 'once')}): dateutil gives "
                            f"{len(expected)} occurrences, opsflow lists {len(got)}; "
                            f"missing {missing}, extra {extra}")
    if not windows:
        problems.append("no windows to compare")
    if seen != len(windows):
        problems.append(f"the feed has {seen} of the {len(windows)} windows")
    for p in problems:
        print(f"{zone_name}: {p}")
    print(f"{zone_name}: {seen} windows, "
          f"{sum(len(v) for v in listed.values())} occurrences compared", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
