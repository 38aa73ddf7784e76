#!/usr/bin/env bash
# Scheduled maintenance end to end, with notices delivered to a real SMTP server.
. "$(dirname "$0")/lib.sh"
new_store
port=$(free_port)
mailroot=$(mktemp -d); TMP_ROOTS+=("$mailroot"); maildir=$mailroot/mail
sed -i "s#^  transport: none.*#  transport: smtp\n  smtp: {url: \"smtp://127.0.0.1:$port\"}#" opsflow.yaml
sed -i 's#^  notice_lead: 72h#  notice_lead: 72h#' opsflow.yaml
sed -i 's/^language: en$/language: zh-CN/' opsflow.yaml   # notices in Chinese
cat >> services.yaml <<'YAML'
  - {id: erp, name: ERP 系统, owner: wangwu, criticality: high, subscribers: ["财务部 <finance@example.com>", sales@example.com, all-staff@example.com]}
YAML
git commit -qam "smtp transport"
start_smtp "$port" "$maildir"
soon=$(date -d '+10 days' '+%Y-%m-%d')

CASE="plan prints the ID; header injection in the title is kept as text"
title=$'邮件系统升级\nBcc: evil@example.com'
run of --as wangwu maint plan "$title" --start "$soon 22:00" --duration 4h --services mail,erp \
  --impact "22:00-02:00 邮件无法收发" --task "备份" --task "升级" --owner wangwu
expect_rc 0
mid=$OUT
[[ "$mid" =~ ^MNT-[0-9a-f]{8}$ ]] && ok || fail "not an ID: $mid"
mfile=$(find maintenance -name "$mid.yaml")
expect_file_has "$mfile" "status: planned"
expect_eq "$(git log -1 --format='%(trailers:key=Opsflow-Action,valueonly)' | head -1)" "maintenance.plan"

CASE="dry run prints the message and changes nothing"
snapshot
run of maint notify "$mid" --dry-run --to helpdesk@example.com
expect_rc 0; expect_out "Content-Type: text/calendar; charset=UTF-8; method=REQUEST"
expect_no_out "Bcc:"
expect_unchanged

CASE="notify delivers one message to every subscriber, de-duplicated, plus --to"
run of maint notify "$mid" --to helpdesk@example.com --to sales@example.com
expect_rc 0; expect_out "delivered by smtp to 4 recipient(s)"
json=$(mails "$maildir")
expect_eq "$(jq length <<<"$json")" "1"
expect_eq "$(jq -r '.[0].rcpt | sort | join(" ")' <<<"$json")" "all-staff@example.com finance@example.com helpdesk@example.com sales@example.com"
expect_eq "$(jq -r '.[0].subject' <<<"$json" | head -c 30 | grep -c '维护通知')" "1"
expect_eq "$(jq -r '.[0].header_names | map(ascii_downcase) | index("bcc")' <<<"$json")" "null"
jq -r '.[0].raw_headers' <<<"$json" | grep -q '^Subject: =?UTF-8?B?' && ok || fail "subject not RFC 2047 encoded"
jq -r '.[0].raw_headers' <<<"$json" | LC_ALL=C grep -qP '[\x80-\xff]' && fail "raw 8-bit header" || ok
expect_eq "$(jq -r '.[0].calendar_method' <<<"$json")" "REQUEST"
cal=$(jq -r '.[0].calendar' <<<"$json")
grep -q "^UID:$mid@opsflow" <<<"$cal" && ok || fail "UID"
grep -q "^SEQUENCE:0" <<<"$cal" && ok || fail "SEQUENCE 0"
grep -q "^DTSTART;TZID=.*Asia/Shanghai:${soon//-/}T220000\s*$" <<<"$cal" && ok || fail "DTSTART: $(grep DTSTART <<<"$cal" | tail -1)"
grep -q "^DURATION:PT4H\s*$" <<<"$cal" && ok || fail "DURATION: $(grep -E 'DURATION|DTEND' <<<"$cal")"
grep -q "^BEGIN:VTIMEZONE" <<<"$cal" && ok || fail "VTIMEZONE"
# Read by python-icalendar, the invitation holds the window's own start and end.
utc() { /usr/bin/python3 -c 'import sys, datetime as d; print(d.datetime.fromisoformat(sys.argv[1]).astimezone(d.timezone.utc).isoformat())' "$1"; }
shown=$(of maint show "$mid" --json)
expect_eq "$(jq -r '.[0].calendar_events[0] | .start + " " + .end' <<<"$json")" "$(utc "$(jq -r .start <<<"$shown")") $(utc "$(jq -r .end <<<"$shown")")"
jq -r '.[0].text' <<<"$json" | grep -q "邮件无法收发" && ok || fail "body lacks the impact"
expect_file_has "$mfile" "status: notified"
expect_file_has "$mfile" "delivery: sent"
notice=$(grep -o 'notices/[^ ]*\.eml' "$mfile" | head -1)
[ -f "$notice" ] && ok || fail "notice not archived"
expect_eq "$(git log --format=%s -2 | tr '\n' '|')" "maintenance $mid: notice delivered to 4 recipients|maintenance $mid: notice to 4 recipient(s)|"
expect_eq "$(git show --name-only --format= HEAD~1 | sort | tr '\n' ' ')" "$mfile $notice "
# The archive holds the message exactly as sent (the server adds its X-Peer, X-MailFrom, X-RcptTo).
diff <(tr -d '\r' < "$notice") <(cat "$maildir"/new/* | tr -d '\r' | grep -v '^X-\(Peer\|MailFrom\|RcptTo\):') >/dev/null && ok || fail "archived notice differs from the delivered one"

CASE="reschedule after a notice needs a new notice; SEQUENCE goes up"
run of maint reschedule "$mid" --start "$soon 23:00" --end "$(date -d "$soon + 1 day" +%F) 03:00"
expect_rc 0; expect_out "announce it again"
expect_file_has "$mfile" "status: planned"
run of maint start "$mid"; expect_rc 4; expect_err "it is 'planned', not yet announced (run: opsflow maint notify $mid)"
run of maint notify "$mid"; expect_rc 0
cal=$(mails "$maildir" | jq -r '.[-1].calendar')
grep -q "^SEQUENCE:1" <<<"$cal" && ok || fail "SEQUENCE 1"
grep -q "T230000" <<<"$cal" && ok || fail "new start"

CASE="cancel after a notice sends METHOD:CANCEL"
run of maint cancel "$mid" --reason "厂商补丁撤回"
expect_rc 0; expect_out "delivered by smtp"
last=$(mails "$maildir" | jq '.[-1]')
expect_eq "$(jq -r .calendar_method <<<"$last")" "CANCEL"
grep -q "^STATUS:CANCELLED" <<<"$(jq -r .calendar <<<"$last")" && ok || fail "STATUS:CANCELLED"
grep -q "^SEQUENCE:2" <<<"$(jq -r .calendar <<<"$last")" && ok || fail "SEQUENCE 2"
expect_file_has "$mfile" "status: cancelled"

CASE="recurring window: RRULE in the invitation and in the upcoming list"
# 2027-01-02 is the first Saturday of January 2027.
run of maint plan "Monthly patching" --start "2027-01-02 02:00" --duration 2h --services erp --recurrence "FREQ=MONTHLY;BYDAY=1SA"
expect_rc 0; rid=$OUT
run of maint notify "$rid"; expect_rc 0
grep -q "^RRULE:FREQ=MONTHLY;BYDAY=1SA" <<<"$(mails "$maildir" | jq -r '.[-1].calendar')" && ok || fail "RRULE"
run of maint list --upcoming 100d --now 2027-01-01
expect_rc 0
expect_eq "$(grep "$rid" <<<"$OUT" | cut -c1-16 | tr '\n' ' ')" "2027-01-02 02:00 2027-02-06 02:00 2027-03-06 02:00 2027-04-03 02:00 "
run of maint list --upcoming 100d --now 2027-01-01 --json
expect_eq "$(jq '[.[] | select(.id == "'"$rid"'")] | length' <<<"$OUT")" "4"

CASE="overlapping window warns, --strict refuses"
run of maint plan "ERP backup" --start "2027-02-06 03:00" --duration 1h --services erp
expect_rc 0; expect_err "warning: overlaps $rid"
snapshot
run of maint plan "ERP backup" --start "2027-02-06 03:00" --duration 1h --services erp --strict
expect_rc 4; expect_err "overlaps"; expect_unchanged
run of maint plan "ERP later" --start "2027-02-06 04:00" --duration 1h --services erp --strict
expect_rc 0
run of maint plan "VPN work" --start "$soon 03:00" --duration 1h --services vpn --strict
expect_rc 0; vid=$OUT

CASE="late notice refused, then sent with --late and recorded as late"
run of maint plan "Urgent patch" --start "$(date -d '+20 hours' '+%Y-%m-%d %H:%M')" --duration 1h --services vpn
uid=$OUT; ufile=$(find maintenance -name "$uid.yaml")
snapshot
run of maint notify "$uid"
expect_rc 4; expect_err "would be late"; expect_err "--late"; expect_unchanged
run of maint notify "$uid" --late; expect_rc 0
expect_file_has "$ufile" "late: true"

CASE="a recurring window announced ahead of its next occurrence is on time, for notify and for the report"
run of maint plan "Weekly backup check" --start "2026-03-01 22:00" --duration 1h --services vpn --recurrence "FREQ=WEEKLY;BYDAY=SU" --at "2026-02-20 09:00"
expect_rc 0; wid=$OUT
# After the first occurrence, more than notice_lead (72h) before the next (2026-03-08 22:00).
run of maint notify "$wid" --at "2026-03-05 09:00"; expect_rc 0
if grep -q "late: true" "$(find maintenance -name "$wid.yaml")"; then fail "recorded as late"; else ok; fi
run of report --format json --from 2026-03-01 --to 2026-04-01 --now "2026-04-01 00:00"; expect_rc 0
# Each of the 5 Sundays is a window; the notice was sent too late for the first only.
expect_eq "$(jq -c '[.maintenance.total, .maintenance.by_result.pending, .maintenance.notice_on_time_pct]' <<<"$OUT")" "[5,5,100]"

CASE="delivery failure: exit 1, recorded, retried once the server is back"
stop_servers
run of maint notify "$vid"
expect_rc 1; expect_err "failed"; expect_err "retry with: opsflow maint notify $vid"
vfile=$(find maintenance -name "$vid.yaml")
expect_file_has "$vfile" "delivery: failed"
expect_file_has "$vfile" "status: notified"
expect_eq "$(git status --porcelain)" ""
start_smtp "$port" "$maildir"
before=$(ls "$maildir/new" | wc -l)
run of maint notify "$vid"
expect_rc 0; expect_out "retry delivered by smtp"
expect_file_has "$vfile" "delivery: sent"
expect_file_has "$vfile" "attempts: 2"
expect_eq "$(( $(ls "$maildir/new" | wc -l) - before ))" "1"
expect_eq "$(grep -c 'purpose: announce' "$vfile")" "1"

CASE="the rest of the lifecycle, and refused steps"
run of maint done "$vid" --result completed; expect_rc 4; expect_err "it is 'notified'"
run of maint evaluate "$vid" --rating 4; expect_rc 4
run of maint start "$vid"; expect_rc 0
expect_file_has "$vfile" "status: in_progress"
run of maint reschedule "$vid" --start "$soon 05:00" --duration 1h; expect_rc 4; expect_err "already under way"
run of maint cancel "$vid" --reason x; expect_rc 4
run of maint done "$vid" --result partial; expect_rc 4; expect_err "add --notes TEXT"
run of maint done "$vid" --result partial --notes "VPN 网关升级完成，文档已更新"; expect_rc 0
expect_file_has "$vfile" "status: partial"
run of maint note "$vid" "wiki updated"; expect_rc 0
run of maint evaluate "$vid" --rating 9; expect_rc 2; expect_err "--rating: 9 is not from 1 to 5"
CASE="an evaluation waits for its window to pass, unless partial; measured figures are kept"
snapshot
run of maint evaluate "$vid" --rating 4 --notes "stable since" --window 7d
expect_rc 4; expect_err "cannot evaluate $vid yet: the 7 days after it ended run until "
expect_err "now with --partial"; expect_unchanged
run of maint evaluate "$vid" --rating 4 --measure "p95=fast"
expect_rc 2; expect_err "--measure 'p95=fast' is not NAME=BEFORE->AFTER[UNIT]"; expect_unchanged
run of maint evaluate "$vid" --rating 4 --notes "stable since" --window 7d --partial \
  --measure "p95_ms=850->420ms" --measure "disk_used=92->61%"
expect_rc 0; expect_out "incidents per 30 days 0.0 before, 0.0 after (partial: 0.0 of 7 days)"
expect_file_has "$vfile" "status: evaluated"
expect_file_has "$vfile" "partial: true"
expect_file_has "$vfile" "name: p95_ms"
run of maint show "$vid"; expect_rc 0; expect_out "evaluated  rating 4"
expect_out "partial, so far: 0 of 7 days"; expect_out "measured   p95_ms 850ms → 420ms"
expect_out "measured   disk_used 92% → 61%"
run of maint list --status evaluated; expect_rc 0; expect_out "evaluated (partial)"
run of check; expect_rc 0
for step in "evaluate $vid --rating 3" "start $vid" "done $vid --result completed" "notify $vid" "cancel $vid --reason x" \
            "notify $mid" "start $mid" "reschedule $mid --start 2027-03-01 --duration 1h"; do
  snapshot
  run of maint $step
  expect_rc 4; expect_err "opsflow: cannot ${step%% *}"; expect_unchanged
done

CASE="bad input: RRULE, window, services, time"
snapshot
run of maint plan X --start "$soon 01:00" --duration 1h --services erp --recurrence "FREQ=SOMETIMES"
expect_rc 2; expect_err "is not an iCalendar RRULE"; expect_unchanged
run of maint plan X --start "$soon 01:00" --end "$soon 00:00" --services erp
expect_rc 2; expect_err "must end after it starts"; expect_unchanged
run of maint plan X --start "$soon 01:00" --services erp
expect_rc 2; expect_err "needs --end TIME or --duration D"
run of maint plan X --start "$soon 01:00" --duration 1h --services nosuch
expect_rc 5; expect_err "unknown service 'nosuch'"; expect_unchanged
run of maint notify "$rid" --to "-oQ/tmp/x@y"
expect_rc 2; expect_err "is not an email address"
run of maint notify "$rid" --to $'a@b.c\r\nBcc: x@y'
expect_rc 2; expect_unchanged

CASE="malformed RRULEs that libical would take: refused by plan, found by check in a hand edit"
for rule in "FREQ=DAILY;;COUNT=2|an empty part" "FREQ=DAILY;COUNT=2;|an empty part" \
            "FREQ=YEARLY;BYMONTH=13|BYMONTH=13 is out of range: RFC 5545 allows 1..12" \
            "FREQ=YEARLY;BYWEEKNO=54|BYWEEKNO=54 is out of range" \
            "FREQ=YEARLY;BYYEARDAY=367|BYYEARDAY=367 is out of range" \
            "FREQ=DAILY;COUNT=2;COUNT=3|COUNT is given twice"; do
  snapshot
  run of maint plan X --start "$soon 01:00" --duration 1h --services erp --recurrence "${rule%%|*}"
  expect_rc 2; expect_err "--recurrence: '${rule%%|*}' is not allowed by RFC 5545: ${rule#*|}"
  expect_unchanged
done
rfile=$(find maintenance -name "$rid.yaml")
line=$(grep -n '^recurrence:' "$rfile" | cut -d: -f1)
cp "$rfile" "$mailroot/saved.yaml"
sed -i 's/^recurrence: .*/recurrence: "FREQ=DAILY;;COUNT=2"/' "$rfile"
run of check
expect_rc 5
expect_out "$rfile:$line:13: error: recurrence: 'FREQ=DAILY;;COUNT=2' is not a valid RRULE: an empty part"
run of maint list --upcoming 30d --now 2027-01-01
expect_rc 5; expect_err "$rfile: recurrence: 'FREQ=DAILY;;COUNT=2' is not a valid RRULE: an empty part"
sed -i 's/^recurrence: .*/recurrence: "FREQ=YEARLY;BYMONTH=13"/' "$rfile"
run of check
expect_rc 5; expect_out "error: recurrence: 'FREQ=YEARLY;BYMONTH=13' is not a valid RRULE: BYMONTH=13 is out of range"
cp "$mailroot/saved.yaml" "$rfile"
run of check
expect_no_out "error: recurrence: '"

CASE="calendar feed of every window"
run of maint calendar -o "$mailroot/feed.ics"
expect_rc 0
expect_eq "$(grep -c '^BEGIN:VEVENT' "$mailroot/feed.ics")" "$(find maintenance -name '*.yaml' | wc -l)"
grep -q "^METHOD:PUBLISH" "$mailroot/feed.ics" && ok || fail "METHOD:PUBLISH"
rm -f "$mailroot/feed.ics"

finish
