#!/usr/bin/python3
"""Recomputes the incident figures of `opsflow report --format json` from the records of
`opsflow export --kind incident` (JSON Lines), by the definitions in the README's
"Reports" section and SPEC section 8 alone, and compares them with the report.

Usage: report_recompute.py SETTINGS.json EXPORT.jsonl REPORT.json FROM TO [service=S] [category=C]
SETTINGS.json holds the store's timezone, sla and calendar (as in opsflow.yaml); FROM and
TO are dates (the report's --from and --to); service= and category= its scope. With
--compare in the report, `previous` is recomputed too. Prints one line per figure that
differs and exits 1 if any does; prints how many figures it compared."""
import json
import math
import re
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

settings = json.load(open(sys.argv[1], encoding="utf-8"))
records = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
report = json.load(open(sys.argv[3], encoding="utf-8"))
tz = ZoneInfo(settings["timezone"])
first_day, end_day = date.fromisoformat(sys.argv[4]), date.fromisoformat(sys.argv[5])
scope = dict(arg.split("=", 1) for arg in sys.argv[6:])

problems = []
compared = 0


def when(text):
    return datetime.fromisoformat(text)


# --- The clocks ---------------------------------------------------------------------
calendar = settings["calendar"]
workdays = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
working_weekdays = {workdays[d] for d in calendar["workdays"]}
holidays = {date.fromisoformat(d) for d in calendar["holidays"]}
extra_workdays = {date.fromisoformat(d) for d in calendar["extra_workdays"]}
hours = []
for span in calendar["hours"]:
    a, b = span.split("-")
    hours.append((time.fromisoformat(a), time.fromisoformat(b)))
working_day_minutes = sum((datetime.combine(date.min, b) - datetime.combine(date.min, a)).seconds / 60
                          for a, b in hours)


def is_working_day(day):
    if day in extra_workdays:
        return True
    return day.weekday() in working_weekdays and day not in holidays


def business_minutes(start, end):
    """Working minutes of the calendar between two instants."""
    if end <= start:
        return 0.0
    total = 0.0
    day = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    while day <= last:
        if is_working_day(day):
            for a, b in hours:
                lo = max(start, datetime.combine(day, a, tz))
                hi = min(end, datetime.combine(day, b, tz))
                if hi > lo:
                    total += (hi - lo).total_seconds() / 60
        day += timedelta(days=1)
    return total


def clock_minutes(clock, start, end):
    if clock == "business":
        return business_minutes(start, end)
    return max(0.0, (end - start).total_seconds() / 60)


def target_minutes(text, clock):
    """A duration such as 45m, 4h, 3d, 1h30m, in minutes of its clock."""
    units = {"m": 1, "h": 60, "d": working_day_minutes if clock == "business" else 1440}
    parts = re.findall(r"(\d+)([mhd])", text)
    assert parts and "".join(n + u for n, u in parts) == text, "unsupported duration " + text
    return sum(int(n) * units[u] for n, u in parts)


# --- What one incident's history says -----------------------------------------------
def events(record, action):
    return [e for e in record["events"] if e["action"] == action]


def first_assignment(record):
    assigns = events(record, "assign")
    return when(assigns[0]["at"]) if assigns else None


def resolution(record):
    """The last fix followed by a passed verify, else the last fix."""
    history = record["events"]
    fixes = [i for i, e in enumerate(history) if e["action"] == "fix"]
    if not fixes:
        return None
    verified = [i for i in fixes
                if any(e["action"] == "verify" and e.get("result") == "passed" for e in history[i + 1:])]
    return when(history[(verified or fixes)[-1]]["at"])


def hold_spans(record):
    spans, held = [], None
    for e in record["events"]:
        if e["action"] == "hold" and held is None:
            held = when(e["at"])
        elif e["action"] == "resume" and held is not None:
            spans.append((held, when(e["at"])))
            held = None
    if held is not None:
        spans.append((held, datetime.max.replace(tzinfo=tz)))
    return spans


def sla_minutes(record, step, clock):
    """Time from the report to STEP on CLOCK, time on hold before the step left out."""
    reported = when(record["reported_at"])
    total = clock_minutes(clock, reported, step)
    for a, b in hold_spans(record):
        lo, hi = max(a, reported), min(b, step)
        if hi > lo:
            total -= clock_minutes(clock, lo, hi)
    return total


def sla_met(record, step, kind):
    """Whether STEP came at or before its deadline: the instant at which the target's time
    on the clock ran out. On the business clock a step in the non-working time after that
    instant is late, though it used no more working time. Times are whole seconds, so the
    step is in time when the target was not used up a second before it, nor exceeded at it."""
    target = settings["sla"][record["priority"]]
    budget = target_minutes(target[kind], target["clock"])
    return (sla_minutes(record, step, target["clock"]) <= budget and
            sla_minutes(record, step - timedelta(seconds=1), target["clock"]) < budget)


# --- Figures ------------------------------------------------------------------------
def stats(values):
    if not values:
        return {"mean": None, "median": None, "p90": None, "n": 0}
    v = sorted(values)
    n = len(v)
    median = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return {"mean": sum(v) / n, "median": median, "p90": v[math.ceil(0.9 * n) - 1], "n": n}


def pct(part, whole):
    return 100 * part / whole if whole else None


def counts(items, key):
    out = {}
    for r in items:
        out[r[key]] = out.get(r[key], 0) + 1
    return out


def minutes_between(a, b):
    return (b - a).total_seconds() / 60


# --- Comparison ---------------------------------------------------------------------
def check(path, expected, got, places=None):
    """places: the figure is rounded to this many decimals in the report."""
    global compared
    compared += 1
    if expected is None or got is None or places is None:
        same = expected == got
    else:
        same = abs(expected - got) <= 0.5 * 10 ** -places + 1e-9
    if not same:
        problems.append(f"{path}: recomputed {json.dumps(expected)}, report says {json.dumps(got)}")


def dig(tree, path):
    for key in path.split("."):
        if not isinstance(tree, dict) or key not in tree:
            return "(missing)"
        tree = tree[key]
    return tree


def local_midnight(day):
    return datetime.combine(day, time(0), tz)


def recompute(start_day, end_day, report, prefix, with_series):
    """Compares the figures of REPORT (the report, or its `previous`) with those recomputed
    for the period from START_DAY to END_DAY, both at midnight in the store timezone."""
    period_from, period_to = local_midnight(start_day), local_midnight(end_day)
    in_period = [r for r in records
                 if period_from <= when(r["reported_at"]) < period_to
                 and all(r.get(key) == value for key, value in scope.items())]
    mtta = [minutes_between(when(r["reported_at"]), first_assignment(r)) for r in in_period if first_assignment(r)]
    mttr = [minutes_between(when(r["reported_at"]), resolution(r)) for r in in_period if resolution(r)]
    responded = [r for r in in_period if first_assignment(r)]
    resolved = [r for r in in_period if resolution(r)]
    response_met = [r for r in responded if sla_met(r, first_assignment(r), "respond")]
    resolution_met = [r for r in resolved if sla_met(r, resolution(r), "resolve")]
    breaches = sorted([[r["id"], "response"] for r in responded if r not in response_met] +
                      [[r["id"], "resolution"] for r in resolved if r not in resolution_met])
    verified = [r for r in in_period if events(r, "verify")]
    reopened = [r for r in verified if any(e.get("result") == "failed" for e in events(r, "verify"))]
    days = (end_day - start_day).days   # on the calendar, whatever the changes of UTC offset

    def at(path):
        return dig(report, path)

    inc = "incidents."
    check(prefix + "period.from", period_from.isoformat(), at("period.from"))
    check(prefix + "period.to", period_to.isoformat(), at("period.to"))
    check(prefix + "period.days", days, at("period.days"))
    check(prefix + inc + "total", len(in_period), at(inc + "total"))
    for key in ["status", "priority", "service", "category", "channel"]:
        check(prefix + inc + "by_" + key, counts(in_period, key), at(inc + "by_" + key))
    for name, values in [("mtta_minutes", mtta), ("mttr_minutes", mttr)]:
        s = stats(values)
        for k in ["mean", "median", "p90"]:
            check(f"{prefix}{inc}{name}.{k}", s[k], at(f"{inc}{name}.{k}"), 1)
        check(f"{prefix}{inc}{name}.n", s["n"], at(f"{inc}{name}.n"))
    check(prefix + inc + "sla.response_met_pct", pct(len(response_met), len(responded)),
          at(inc + "sla.response_met_pct"), 1)
    check(prefix + inc + "sla.resolution_met_pct", pct(len(resolution_met), len(resolved)),
          at(inc + "sla.resolution_met_pct"), 1)
    got_breaches = at(inc + "sla.breaches")
    check(prefix + inc + "sla.breaches", breaches,
          sorted([b["id"], b["stage"]] for b in got_breaches) if isinstance(got_breaches, list) else got_breaches)
    check(prefix + inc + "reopen_rate_pct", pct(len(reopened), len(verified)), at(inc + "reopen_rate_pct"), 1)
    for service, n in counts(in_period, "service").items():
        check(f"{prefix}{inc}failure_rate.{service}.incidents", n, at(f"{inc}failure_rate.{service}.incidents"))
        check(f"{prefix}{inc}failure_rate.{service}.per_30_days", n * 30 / days,
              at(f"{inc}failure_rate.{service}.per_30_days"), 1)
    if not with_series:
        return len(in_period), len(resolved), 0

    weeks = []
    monday = start_day - timedelta(days=start_day.weekday())
    while local_midnight(monday) < period_to:
        week_end = monday + timedelta(days=7)
        members = [r for r in in_period if monday <= when(r["reported_at"]).astimezone(tz).date() < week_end]
        row = {"week": monday.isoformat()}
        for p in ["P1", "P2", "P3", "P4"]:
            row[p] = sum(1 for r in members if r["priority"] == p)
        row["mttr_mean"] = stats([minutes_between(when(r["reported_at"]), resolution(r))
                                  for r in members if resolution(r)])["mean"]
        weeks.append(row)
        monday = week_end
    got_weeks = at("series.weeks")
    check("series.weeks[].week", [w["week"] for w in weeks],
          [w.get("week") for w in got_weeks] if isinstance(got_weeks, list) else got_weeks)
    if isinstance(got_weeks, list):
        for mine, theirs in zip(weeks, got_weeks):
            if mine["week"] != theirs.get("week"):
                continue
            for p in ["P1", "P2", "P3", "P4"]:
                check(f"series.weeks[{mine['week']}].{p}", mine[p], theirs.get(p, "(missing)"))
            check(f"series.weeks[{mine['week']}].mttr_mean", mine["mttr_mean"],
                  theirs.get("mttr_mean", "(missing)"), 1)

    by_service_resolution = {}
    for service in sorted({r["service"] for r in resolved}):
        mine = [r for r in resolved if r["service"] == service]
        by_service_resolution[service] = pct(sum(1 for r in mine if r in resolution_met), len(mine))
    got_by_service = at("series.sla_resolution_by_service")
    check("series.sla_resolution_by_service (services)", sorted(by_service_resolution),
          sorted(got_by_service) if isinstance(got_by_service, dict) else got_by_service)
    for service, value in by_service_resolution.items():
        check(f"series.sla_resolution_by_service.{service}", value,
              at("series.sla_resolution_by_service." + service), 1)
    return len(in_period), len(resolved), sum(1 for w in weeks if not any(w[p] for p in ["P1", "P2", "P3", "P4"]))


incidents, resolved, quiet = recompute(first_day, end_day, report, "", True)
if "previous" in report:
    length = end_day - first_day
    recompute(first_day - length, first_day, report["previous"], "previous.", False)

for line in problems:
    print(line)
print(f"{compared} figures compared over {incidents} incidents ({resolved} resolved, "
      f"{quiet} quiet weeks): {len(problems)} differ")
sys.exit(1 if problems else 0)
