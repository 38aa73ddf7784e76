#!/usr/bin/env bash
# The report's incident figures recomputed independently: a store of imported
# incidents (bench/make_import.py) and of incidents taken through every path of
# the workflow with the CLI, in a timezone with daylight saving time and a
# calendar with holidays and a make-up day; report_recompute.py recomputes the
# figures from `opsflow export` by the README's definitions and compares them with
# `opsflow report --format json`, figure by figure.
. "$(dirname "$0")/lib.sh"
new_store
work=$(mktemp -d); TMP_ROOTS+=("$work")
sed -i -e 's/^timezone: .*/timezone: Europe\/Berlin/' -e 's/^  autocommit: true/  autocommit: false/' \
  -e 's/^  holidays: \[\].*/  holidays: [2026-04-03, 2026-04-06, 2026-05-01]/' \
  -e 's/^  extra_workdays: \[\].*/  extra_workdays: [2026-03-14]/' opsflow.yaml
# The same settings for the recomputation (the SPEC's SLA targets, which init writes).
cat > "$work/settings.json" <<'JSON'
{"timezone": "Europe/Berlin",
 "sla": {"P1": {"respond": "15m", "resolve": "4h", "clock": "24x7"},
         "P2": {"respond": "30m", "resolve": "8h", "clock": "24x7"},
         "P3": {"respond": "2h", "resolve": "3d", "clock": "business"},
         "P4": {"respond": "1d", "resolve": "10d", "clock": "business"}},
 "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri"], "hours": ["09:00-12:00", "13:30-18:00"],
              "holidays": ["2026-04-03", "2026-04-06", "2026-05-01"], "extra_workdays": ["2026-03-14"]}}
JSON
grep -q '^timezone: Europe/Berlin' opsflow.yaml && grep -q 'holidays: \[2026-04-03' opsflow.yaml &&
  grep -q 'extra_workdays: \[2026-03-14\]' opsflow.yaml && grep -q 'autocommit: false' opsflow.yaml ||
  { echo "the test could not write its settings" >&2; exit 1; }

CASE="a generated store: 600 imported incidents over two years"
/usr/bin/python3 "$OPSFLOW_SOURCE/bench/make_import.py" 600 2026-11-01 7 > "$work/import.csv"
run of import --kind incident "$work/import.csv"
expect_rc 0; expect_eq "$(wc -l <<<"$OUT")" "600"

CASE="incidents taken through the workflow with the CLI"
setup_failures=0
step() { of -q "$@" >/dev/null 2>"$work/err" || { setup_failures=$((setup_failures + 1)); echo "setup failed: $* ($(cat "$work/err"))" >&2; }; }
stamp() { TZ=Europe/Berlin date -d "@$1" '+%Y-%m-%dT%H:%M:%S%:z'; }   # an instant, unambiguous
local_epoch() { TZ=Europe/Berlin date -d "$1" +%s; }
levels=(high medium low)
services=(mail vpn)
categories=(network email software hardware)
delays=(4 10 14 15 16 25 29 30 31 45 60 100 119 120 121 200 300 450 480 600 1000 1440 2000 3000 4500 9000)
RANDOM=20260204   # the same store on every run
t=$(local_epoch "2026-02-02 08:00")
last=$(local_epoch "2026-04-30 18:00")
ids=()
# new_incident EPOCH [IMPACT URGENCY]: a new incident reported at EPOCH; sets $id.
# (RANDOM is only read outside command substitutions, so that it stays one sequence.)
new_incident() {
  local impact=${2:-${levels[RANDOM % 3]}} urgency=${3:-${levels[RANDOM % 3]}}
  local service=${services[RANDOM % 2]} category=${categories[RANDOM % 4]} user=$RANDOM
  id=$(of incident new "generated $((${#ids[@]} + 1))" --service "$service" --category "$category" \
         --impact "$impact" --urgency "$urgency" --reporter "User $user <u$user@example.com>" \
         --channel phone --at "$(stamp "$1")")
  ids+=("$id")
}
# next VERB ID ARGS...: the step a random delay after the previous one.
next() { now_t=$((now_t + 60 * ${delays[RANDOM % ${#delays[@]}]})); step incident "$@" --at "$(stamp "$now_t")"; }
while [ "$t" -lt "$last" ]; do
  t=$((t + 60 * (RANDOM % 1800 + 1)))   # up to 30 hours apart, at any time of day
  now_t=$t
  new_incident "$t"
  case $((RANDOM % 13)) in
    0) ;;                                                             # never assigned
    1) next assign "$id" --to lisi ;;
    2) next assign "$id" --to lisi
       next diagnose "$id" --cause c ;;
    3) next assign "$id" --to chen
       next fix "$id" --cause c --resolution r ;;     # resolved, not verified
    4) next assign "$id" --to chen
       next diagnose "$id" --cause c
       next fix "$id" --resolution r
       next verify "$id" --passed
       next close "$id" --feedback ok --no-notify ;;
    5) next assign "$id" --to wangwu
       next fix "$id" --cause c --resolution r
       next verify "$id" --failed
       next fix "$id" --resolution r2
       next verify "$id" --passed ;;
    6) next assign "$id" --to wangwu
       next hold "$id" --reason "waiting for a part"
       next resume "$id"
       next fix "$id" --cause c --resolution r
       next verify "$id" --passed
       next close "$id" --feedback ok --no-notify ;;
    7) next hold "$id" --reason "user away"   # on hold before the assignment
       next resume "$id"
       next assign "$id" --to lisi
       next fix "$id" --cause c --resolution r ;;
    8) next assign "$id" --to lisi
       next cancel "$id" --reason duplicate ;;
    9) next assign "$id" --to chen
       next fix "$id" --cause c --resolution r
       next verify "$id" --passed
       next close "$id" --feedback ok --no-notify
       next reopen "$id" --reason "it came back"
       next fix "$id" --resolution r2 ;;   # fixed again, not verified yet
    10) next assign "$id" --to lisi
        next classify "$id" --impact high --urgency high   # now P1
        next fix "$id" --cause c --resolution r ;;
    11) next assign "$id" --to wangwu
        next hold "$id" --reason "vendor" ;;   # still on hold
    12) next assign "$id" --to wangwu
        next fix "$id" --cause c --resolution r
        next verify "$id" --failed ;;   # verified once, failed
  esac
done
# At the edges: the period's first instant (in), the instant before it and its end (out);
# a P3 on Friday 17:00 answered on the business clock exactly at its deadline (Monday
# 10:00) and a minute after; a P4 over the Easter holidays and one over the make-up day.
for edge in "2026-02-04 00:00" "2026-02-03 23:59" "2026-05-01 00:00"; do
  new_incident "$(local_epoch "$edge")" high high
  step incident assign "$id" --to lisi --at "$(stamp $(($(local_epoch "$edge") + 600)))"
done
new_incident "$(local_epoch "2026-03-06 17:00")" high low
step incident assign "$id" --to lisi --at "$(stamp "$(local_epoch "2026-03-09 10:00")")"
new_incident "$(local_epoch "2026-03-13 17:00")" high low
step incident assign "$id" --to lisi --at "$(stamp "$(local_epoch "2026-03-16 10:01")")"
new_incident "$(local_epoch "2026-04-02 16:00")" low medium
step incident assign "$id" --to chen --at "$(stamp "$(local_epoch "2026-04-08 10:00")")"
step incident fix "$id" --cause c --resolution r --at "$(stamp "$(local_epoch "2026-04-16 12:00")")"
new_incident "$(local_epoch "2026-03-13 12:00")" medium low
step incident assign "$id" --to chen --at "$(stamp "$(local_epoch "2026-03-14 11:30")")"
expect_eq "$setup_failures" "0"
[ "${#ids[@]}" -gt 60 ] && ok || fail "only ${#ids[@]} incidents made with the CLI"
run of check; expect_rc 0

CASE="export, then the figures of the report recomputed from it"
run of export --kind incident -o "$work/incidents.jsonl"
expect_rc 0
expect_eq "$(wc -l < "$work/incidents.jsonl")" "$((600 + ${#ids[@]}))"
compare() {   # FROM TO [service=S] [category=C]: that period and scope, and the one before it
  local scope=() arg
  for arg in "${@:3}"; do scope+=("--${arg%%=*}" "${arg#*=}"); done
  run of report --from "$1" --to "$2" --now "2026-11-30 00:00" "${scope[@]}" --compare --format json \
    -o "$work/report.json"
  expect_rc 0
  run /usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/report_recompute.py" "$work/settings.json" \
    "$work/incidents.jsonl" "$work/report.json" "$@"
  expect_rc 0
  grep -q ' 0 differ$' <<<"$OUT" && ok || fail "the recomputation differs"
}
compare 2026-02-04 2026-05-01
CASE="the same for one service"
compare 2026-02-04 2026-05-01 service=vpn
CASE="the same for one service and category, with quiet weeks"
compare 2026-05-06 2026-08-03 service=vpn category=hardware
grep -Eq ' [1-9][0-9]* quiet weeks\)' <<<"$OUT" && ok || fail "no quiet week in the scope: $OUT"
CASE="the same for two weeks across the change to summer time (13 days 23 hours)"
compare 2026-03-23 2026-04-06
CASE="the same for two years of imported incidents"
compare 2024-11-01 2026-11-01

CASE="the default period is the 30 days on the calendar up to now, across the change to summer time"
run of report --now "2026-04-10 12:00" --format json
expect_eq "$(jq -c '.period | [.from, .to, .days]' <<<"$OUT")" '["2026-03-11T12:00:00+01:00","2026-04-10T12:00:00+02:00",30]'

finish
