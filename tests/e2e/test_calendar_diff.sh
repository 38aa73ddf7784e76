#!/usr/bin/env bash
# Differential test of the maintenance calendar: recurring and one-off windows in
# four zones (three with DST, one without), planned around their DST changes,
# against independent implementations (tests/e2e/calendar_diff.py): the calendar
# feed parsed by python-icalendar, each RRULE expanded by python-dateutil on
# zoneinfo's rules, compared with the occurrences `maint list --upcoming` gives
# and with each window's start, end and length.
#
# Then, in the three zones with DST, windows typed at the DST changes themselves (in the
# spring gap, in the first and in the second pass of the repeated hour), once, weekly with
# COUNT and with UNTIL, daily with COUNT: compared with a reference that dateutil makes
# from what was typed alone (RFC 5545: the rule keeps the typed wall-clock time, a time in
# the gap or the repeated hour is read with zoneinfo's fold=0, an RFC 3339 start is its own
# first occurrence): `maint list --upcoming`, the invitation read as RFC 5545 reads it,
# and the invitation as python-icalendar itself reads it (it takes the second pass of a
# repeated hour, as node-ical does: every instance's length and every instance outside a
# repeated hour must still agree).
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 -c 'import dateutil, icalendar' 2>/dev/null ||
  { echo "python3-dateutil and python3-icalendar are needed (scripts/setup-deps)" >&2; exit 1; }

rules=(
  "FREQ=WEEKLY;BYDAY=SU"
  "FREQ=DAILY;COUNT=400"
  "FREQ=HOURLY;INTERVAL=7;COUNT=500"
  "FREQ=MONTHLY;BYDAY=1SU"
  "FREQ=MONTHLY;BYDAY=-1SU"
  "FREQ=MONTHLY;BYMONTHDAY=-1"
  "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
  "FREQ=YEARLY;BYMONTH=3,4,10,11;BYDAY=SU"
  "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU;UNTIL=20271130T000000Z"
)
times=("01:30" "02:00" "02:30" "03:00")

compare_zone() {
  local zone=$1; shift
  CASE="$zone: every occurrence and every invitation agree with dateutil and icalendar"
  local dir; dir=$(mktemp -d); TMP_ROOTS+=("$dir")
  of init "$dir/store" --timezone "$zone" >/dev/null || { fail "init"; return; }
  cd "$dir/store" || return
  sed -i 's/^  autocommit: true/  autocommit: false/' opsflow.yaml
  printf 'services:\n' > services.yaml
  local n=0 rule t id ids=()
  for rule in "${rules[@]}"; do
    for t in "${times[@]}"; do
      n=$((n + 1))
      printf '  - {id: s%d, name: S%d, owner: ops, criticality: low}\n' "$n" "$n" >> services.yaml
      id=$(of maint plan "w$n" --start "2027-01-03 $t" --duration 90m --services "s$n" \
             --recurrence "$rule" --at "2026-01-01 00:00" 2>"$dir/err") ||
        { fail "plan $rule at $t: $(cat "$dir/err")"; continue; }
      ids+=("$id")
    done
  done
  # One-off windows typed at the local times of the DST changes themselves.
  for t in "$@"; do
    n=$((n + 1))
    printf '  - {id: s%d, name: S%d, owner: ops, criticality: low}\n' "$n" "$n" >> services.yaml
    id=$(of maint plan "once $t" --start "$t" --duration 1h --services "s$n" --at "2026-01-01 00:00" 2>"$dir/err") ||
      { fail "plan once at $t: $(cat "$dir/err")"; continue; }
    ids+=("$id")
  done
  of maint calendar -o "$dir/feed.ics" || fail "maint calendar"
  of maint list --upcoming 365d --now "2027-01-01 00:00" --json > "$dir/list.json" 2>"$dir/err" ||
    fail "maint list: $(cat "$dir/err")"
  for id in "${ids[@]}"; do of maint show "$id" --json; done | jq -s . > "$dir/windows.json"
  run /usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/calendar_diff.py" "$zone" "$dir/feed.ics" \
    "$dir/list.json" "$dir/windows.json" "2027-01-01T00:00:00" "2028-01-01T00:00:00"
  expect_rc 0
  [ "$(jq length "$dir/windows.json")" -eq $((${#rules[@]} * ${#times[@]} + $#)) ] && ok ||
    fail "not every window was planned"
}

# The local times of each zone's DST changes in 2027: the spring gap, the repeated hour.
compare_zone Europe/Berlin "2027-03-28 02:30" "2027-10-31 02:30" "2027-10-31T02:30:00+01:00"
compare_zone America/New_York "2027-03-14 02:30" "2027-11-07 01:30" "2027-11-07T01:30:00-05:00"
compare_zone Australia/Sydney "2027-10-03 02:30" "2027-04-04 02:30" "2027-04-04T02:30:00+10:00"
compare_zone Asia/Shanghai "2027-06-01 02:30"

compare_typed() {
  local zone=$1 gap=$2 first=$3 second=$4
  CASE="$zone: series typed at the DST changes agree with dateutil from the typed input"
  local dir; dir=$(mktemp -d); TMP_ROOTS+=("$dir")
  of init "$dir/store" --timezone "$zone" >/dev/null || { fail "init"; return; }
  cd "$dir/store" || return
  sed -i 's/^  autocommit: true/  autocommit: false/' opsflow.yaml
  printf 'services:\n' > services.yaml
  local n=0 t rule id typed=() args
  for t in "$gap" "$first" "$second"; do
    for rule in "" "FREQ=WEEKLY;COUNT=26" "FREQ=WEEKLY;UNTIL=20280601T000000Z" "FREQ=DAILY;COUNT=4"; do
      n=$((n + 1))
      printf '  - {id: s%d, name: S%d, owner: ops, criticality: low}\n' "$n" "$n" >> services.yaml
      args=(maint plan "w$n" --start "$t" --duration 1h --services "s$n" --at "2026-01-01 00:00")
      [ -n "$rule" ] && args+=(--recurrence "$rule")
      id=$(of "${args[@]}" 2>"$dir/err") || { fail "plan $t $rule: $(cat "$dir/err")"; continue; }
      typed+=("$(jq -cn --arg id "$id" --arg typed "$t" --arg rule "$rule" \
                 '{id: $id, typed: $typed, rule: $rule, minutes: 60}')")
    done
  done
  printf '%s\n' "${typed[@]}" | jq -s . > "$dir/typed.json"
  of maint calendar -o "$dir/feed.ics" || fail "maint calendar"
  # Two years: --upcoming takes at most 366 days at a time.
  { of maint list --upcoming 366d --now "2027-01-01 00:00" --json &&
    of maint list --upcoming 366d --now "2028-01-01 00:00" --json; } 2>"$dir/err" |
    jq -s 'add | unique_by(.id, .start)' > "$dir/list.json" || fail "maint list: $(cat "$dir/err")"
  for id in $(jq -r '.[].id' "$dir/typed.json"); do of maint show "$id" --json; done |
    jq -s . > "$dir/windows.json"
  run /usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/calendar_diff.py" "$zone" "$dir/feed.ics" \
    "$dir/list.json" "$dir/windows.json" "2027-01-01T00:00:00" "2029-01-01T00:00:00" \
    "$dir/typed.json"
  expect_rc 0
  [ "$RC" -eq 0 ] || head -c 6000 <<<"$OUT" >&2
  [ "$(jq length "$dir/typed.json")" -eq 12 ] && ok || fail "not every window was planned"
}

# The spring gap, the first pass of the repeated hour typed as a local time, the second
# pass typed with its offset.
compare_typed Europe/Berlin "2027-03-28 02:30" "2027-10-31 02:30" "2027-10-31T02:30:00+01:00"
compare_typed America/New_York "2027-03-14 02:30" "2027-11-07 01:30" "2027-11-07T01:30:00-05:00"
compare_typed Australia/Sydney "2027-10-03 02:30" "2027-04-04 02:30" "2027-04-04T02:30:00+10:00"

finish
