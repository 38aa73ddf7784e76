#!/usr/bin/python3
"""Differential check of opsflow's maintenance calendar against independent code.

Usage: calendar_diff.py ZONE FEED.ics LIST.json WINDOWS.json FROM TO [TYPED.json]

FEED.ics is `opsflow maint calendar`, LIST.json `opsflow maint list --upcoming
--json` over [FROM, TO) (local times in ZONE), WINDOWS.json the windows as `opsflow maint show --json`
prints them. The calendar is parsed by python-icalendar; each event is expanded as RFC
5545 reads it: DTSTART's TZID resolved by zoneinfo (PEP 495: fold=0 reads a local time
in a gap with the offset before it and the repeated hour at its first time, as RFC 5545
§3.3.5 does), the RRULE run by python-dateutil on the wall clock of DTSTART, RDATE
added, EXDATE taken out, each instance as long as DURATION (or DTEND - DTSTART). For
every window it compares: the invitation's first instance and length with the record's
start and end, and the instances of the invitation with the occurrences opsflow lists.

TYPED.json, a JSON array of {"id", "typed", "rule", "minutes"}, gives what was typed for
each window (`--start`, `--recurrence`, the length): then every window is also compared
with a reference made from the typed input alone, without opsflow's help: dateutil runs
the rule from the typed wall-clock time (zoneinfo fold=0; an RFC 3339 start keeps its own
pass as the first occurrence), and
  - `maint list --upcoming` must give those occurrences, start and end;
  - the invitation read as RFC 5545 reads it must give them too;
  - the invitation read as python-icalendar itself reads it (pytz, which takes the second
    pass of a repeated hour, as node-ical does) must give as many instances, the same
    first one, every one as long as the window, and the same at every time that is not
    in a repeated hour (the reader's known deviation).
Prints each difference and exits 1 if there is any.
"""
import datetime as dt
import json
import re
import sys
from zoneinfo import ZoneInfo

import icalendar
from dateutil import rrule

UTC = dt.timezone.utc


def instant(prop, zone=None):
    """An instant from a DTSTART/DTEND/EXDATE property, its TZID resolved by zoneinfo
    (`zone` is not used: the TZID names the zone)."""
    return instant_of(prop.to_ical().decode(), prop.params.get("TZID"))


def instant_of(raw, tzid):
    naive = dt.datetime.strptime(raw.rstrip("Z"), "%Y%m%dT%H%M%S")
    if raw.endswith("Z"):
        return naive.replace(tzinfo=UTC)
    if tzid is None:
        raise ValueError(f"floating time {raw} without TZID")
    return naive.replace(tzinfo=ZoneInfo(str(tzid)), fold=0).astimezone(UTC)


def rfc3339(text):
    return dt.datetime.fromisoformat(text).astimezone(UTC)


def date_list(event, name):
    """The raw values of every EXDATE or RDATE property, with their TZIDs."""
    props = event.get(name)
    if props is None:
        return []
    if not isinstance(props, list):
        props = [props]
    out = []
    for p in props:
        tzid = p.params.get("TZID")
        for raw in p.to_ical().decode().split(","):
            out.append((raw, tzid))
    return out


def length_of(event):
    """The instances' length as RFC 5545 reads DURATION or DTEND."""
    if "DURATION" in event:
        return event.decoded("DURATION")
    return instant(event["DTEND"]) - instant(event["DTSTART"])


def rfc_instances(event, until):
    """Every instance start of `event` up to `until`, as RFC 5545 reads it."""
    start = instant(event["DTSTART"])
    starts = {start}
    if "RRULE" in event:
        tzid = event["DTSTART"].params.get("TZID")
        zone = ZoneInfo(str(tzid)) if tzid else UTC
        wall = start.astimezone(zone) if tzid is None else dt.datetime.strptime(
            event["DTSTART"].to_ical().decode(), "%Y%m%dT%H%M%S").replace(tzinfo=zone)
        rule = rrule.rrulestr(event["RRULE"].to_ical().decode(), dtstart=wall)
        for t in rule:
            t = t.replace(fold=0).astimezone(UTC)
            if t >= until:
                break
            starts.add(t)
    starts |= {instant_of(raw, tzid) for raw, tzid in date_list(event, "RDATE")}
    starts -= {instant_of(raw, tzid) for raw, tzid in date_list(event, "EXDATE")}
    return sorted(starts)


def reader_instances(event, until):
    """Every instance start and length of `event` as python-icalendar reads it: its own
    datetimes (pytz), the rule run on DTSTART's wall clock and each instance localized
    by the same tzinfo, as recurring-ical-events does."""
    first = event.decoded("DTSTART")
    length = (event.decoded("DURATION") if "DURATION" in event
              else event.decoded("DTEND") - first)
    tz = first.tzinfo

    def localize(naive):
        return (tz.localize(naive) if hasattr(tz, "localize") else naive.replace(tzinfo=tz))

    starts = {first.astimezone(UTC)}
    if "RRULE" in event:
        # dateutil builds each instance with DTSTART's tzinfo (a fixed offset in pytz):
        # only its wall-clock fields are kept, then localized.
        rule = rrule.rrulestr(event["RRULE"].to_ical().decode(), dtstart=first)
        for instance in rule:
            t = localize(instance.replace(tzinfo=None)).astimezone(UTC)
            if t >= until:
                break
            starts.add(t)

    def decoded(name):
        props = event.get(name)
        props = [] if props is None else props if isinstance(props, list) else [props]
        return {d.dt.astimezone(UTC) for p in props for d in p.dts}

    starts |= decoded("RDATE")
    starts -= decoded("EXDATE")
    return sorted(starts), length


def typed_reference(entry, zone, until):
    """The occurrences of what was typed, made by dateutil alone: the rule runs from
    the typed wall-clock time; the first occurrence is the typed time itself (a local
    time read with fold=0, an RFC 3339 time in its own pass)."""
    typed = entry["typed"]
    if re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", typed):
        wall = dt.datetime.strptime(typed, "%Y-%m-%d %H:%M")
        first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    else:
        first = dt.datetime.fromisoformat(typed).astimezone(UTC)
        wall = first.astimezone(zone).replace(tzinfo=None, fold=0)
    starts = [first]
    if entry.get("rule"):
        for instance in rrule.rrulestr(entry["rule"], dtstart=wall.replace(tzinfo=zone)):
            if instance.replace(tzinfo=None) == wall:
                continue  # DTSTART itself, in its own pass
            t = instance.replace(fold=0).astimezone(UTC)
            if t >= until:
                break
            starts.append(t)
    return sorted(set(starts)), dt.timedelta(minutes=entry["minutes"])


def ambiguous(t, zone):
    """Whether the local time of `t` in `zone` happens twice (a repeated hour)."""
    wall = t.astimezone(zone).replace(tzinfo=None)
    return (wall.replace(tzinfo=zone, fold=0).utcoffset()
            != wall.replace(tzinfo=zone, fold=1).utcoffset())


def shown(times):
    return [t.isoformat() for t in times][:4]


def main():
    zone_name, feed, listing, windows_file, start, end = sys.argv[1:7]
    typed_file = sys.argv[7] if len(sys.argv) > 7 else None
    zone = ZoneInfo(zone_name)
    # FROM and TO are local times in the zone (`2027-01-01T00:00:00`).
    period = tuple(dt.datetime.fromisoformat(t).replace(tzinfo=zone).astimezone(UTC)
                   for t in (start, end))
    cal = icalendar.Calendar.from_ical(open(feed, "rb").read())
    windows = {w["id"]: w for w in json.load(open(windows_file))}
    listed = {}
    for o in json.load(open(listing)):
        listed.setdefault(o["id"], set()).add((rfc3339(o["start"]), rfc3339(o["end"])))
    typed = {e["id"]: e for e in json.load(open(typed_file))} if typed_file else {}
    problems = []
    tzids = {str(c.get("TZID")) for c in cal.walk("VTIMEZONE")}
    if zone_name not in ("UTC", "Etc/UTC") and tzids != {zone_name}:
        problems.append(f"VTIMEZONE TZIDs {sorted(tzids)}, expected [{zone_name}]")

    def in_period(starts, length):
        return sorted((s, s + length) for s in starts if s < period[1] and s + length > period[0])

    def compare(wid, what, expected, got):
        if expected != got:
            problems.append(f"{wid} ({what}): expected {len(expected)} occurrences, got "
                            f"{len(got)}; missing {shown(s for s, _ in expected if (s, _) not in got)}, "
                            f"extra {shown(s for s, _ in got if (s, _) not in expected)}")

    seen = 0
    for event in cal.walk("VEVENT"):
        wid = str(event.get("UID")).split("@")[0]
        if wid not in windows:
            continue
        seen += 1
        w = windows[wid]
        for prop in ("DTSTART", "DTEND", "EXDATE"):
            tzid = event[prop].params.get("TZID") if prop in event else None
            if tzid is not None and str(tzid) != zone_name:
                problems.append(f"{wid}: {prop} TZID {tzid}, expected {zone_name}")
        if "RRULE" in event and "TZID" not in event["DTSTART"].params and zone_name != "UTC":
            problems.append(f"{wid}: a recurring DTSTART in UTC recurs in UTC "
                            f"({event['DTSTART'].to_ical().decode()})")
        length = rfc3339(w["end"]) - rfc3339(w["start"])
        if length_of(event) != length:
            problems.append(f"{wid}: the invitation lasts {length_of(event)}, the window {length}")
        rfc = rfc_instances(event, period[1])
        if not rfc or rfc[0] != rfc3339(w["start"]):
            problems.append(f"{wid}: the invitation starts {shown(rfc[:1])}, "
                            f"the window {w['start']}")
        got = sorted(listed.get(wid, []))
        compare(wid, f"{w.get('recurrence', 'once')}: the invitation read as RFC 5545 says vs "
                "maint list", in_period(rfc, length), got)
        if wid not in typed:
            continue
        entry = typed[wid]
        what = f"{entry['typed']} {entry.get('rule') or 'once'}"
        reference, typed_length = typed_reference(entry, zone, period[1])
        compare(wid, f"{what}: dateutil from the typed input vs maint list",
                in_period(reference, typed_length), got)
        compare(wid, f"{what}: dateutil from the typed input vs the invitation read as RFC 5545 "
                "says", in_period(reference, typed_length), in_period(rfc, length_of(event)))
        starts, reader_length = reader_instances(event, period[1])
        if reader_length != typed_length:
            problems.append(f"{wid} ({what}): python-icalendar reads every instance as "
                            f"{reader_length} long, the window is {typed_length}")
        # A local time typed in a repeated hour is its first pass; this reader takes the
        # second (its known deviation): only that first instance may differ.
        local_in_repeated_hour = " " in entry["typed"] and ambiguous(reference[0], zone)
        if len(starts) != len(reference) or (starts[:1] != reference[:1]
                                             and not local_in_repeated_hour):
            problems.append(f"{wid} ({what}): python-icalendar reads {len(starts)} instances "
                            f"from {shown(starts[:1])}, dateutil gives {len(reference)} from "
                            f"{shown(reference[:1])}")
        plain = [t for t in reference[1:] if not ambiguous(t, zone)]
        read = [t for t in starts[1:] if not ambiguous(t, zone)]
        if plain != read:
            problems.append(f"{wid} ({what}): python-icalendar reads the instances outside "
                            f"repeated hours as {shown(t for t in read if t not in plain)}, "
                            f"dateutil gives {shown(t for t in plain if t not in read)}")
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
