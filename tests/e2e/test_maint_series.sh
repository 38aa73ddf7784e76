#!/usr/bin/env bash
# Maintenance series, task steps, service documents (SPEC §12), end to end: each
# occurrence of a recurring window is carried out, recorded and evaluated on its own; a
# skipped one is taken out of the calendar as every reader understands it (checked with
# python-icalendar and python-dateutil, which did not write it); two sites recording
# different occurrences merge cleanly; a series written before occurrences had records
# keeps working.
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 -c 'import dateutil, icalendar' 2>/dev/null ||
  { echo "python3-dateutil and python3-icalendar are needed (scripts/setup-deps)" >&2; exit 1; }
new_store
sed -i 's#^  - {id: mail, name: 邮件系统, \(.*\)}$#  - {id: mail, name: 邮件系统, \1, docs: docs/services/mail.md}#' services.yaml
git commit -qam "mail has a maintenance document"

# The calendar part of an archived notice, and a feed, as python-icalendar reads them.
ics_of() { /usr/bin/python3 - "$1" <<'PY'
import email, sys
from email import policy
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
for part in msg.walk():
    if part.get_content_type() == 'text/calendar':
        sys.stdout.write(part.get_content())
PY
}
# METHOD, and per VEVENT: UID, RECURRENCE-ID and STATUS (UTC).
read_cancel() { /usr/bin/python3 -c '
import sys, icalendar, datetime as dt
cal = icalendar.Calendar.from_ical(sys.stdin.read())
print(cal["METHOD"])
for ev in cal.walk("VEVENT"):
    rid = ev.decoded("RECURRENCE-ID").astimezone(dt.timezone.utc)
    print(ev["UID"], rid.strftime("%Y-%m-%dT%H:%MZ"), ev["STATUS"])'; }
# The feed's instances of one UID from FROM to TO, expanded by dateutil with EXDATEs out.
instances() { /usr/bin/python3 -c '
import sys, icalendar, datetime as dt
from dateutil import rrule
uid, start, end = sys.argv[1], dt.datetime.fromisoformat(sys.argv[2]), dt.datetime.fromisoformat(sys.argv[3])
cal = icalendar.Calendar.from_ical(sys.stdin.read())
for ev in cal.walk("VEVENT"):
    if str(ev["UID"]) != uid: continue
    first = ev.decoded("DTSTART")
    rule = rrule.rrulestr(ev["RRULE"].to_ical().decode(), dtstart=first, forceset=True)
    ex = ev.get("EXDATE")
    for e in (ex if isinstance(ex, list) else [ex] if ex else []):
        for d in e.dts: rule.exdate(d.dt)
    for t in rule.between(start, end, inc=True):
        print(t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"))' "$@"; }

CASE="a series is planned and announced once; maint start begins the occurrence due, as its own record"
run of maint plan "周日补丁" --start "2026-11-01 02:00" --duration 2h --services mail \
  --recurrence "FREQ=WEEKLY;BYDAY=SU" --task "备份" --task "打补丁" --at "2026-10-20 10:00"
expect_rc 0; S=$OUT
run of maint start "$S" --at "2026-10-25 09:00"
expect_rc 4; expect_err "not yet announced"; expect_err "opsflow maint notify $S"
run of maint notify "$S" --at "2026-10-20 10:05"; expect_rc 0
run of maint start "$S" --at "2026-11-01 02:05"
expect_rc 0; expect_out "started: occurrence 2026-11-01 02:00 of $S"
O1=$(sed -E 's/^(MNT-[0-9a-f]+):.*/\1/' <<<"$OUT")
[ "$O1" != "$S" ] && ok || fail "the occurrence has the series' ID"
o1file=$(find maintenance -name "$O1.yaml")
expect_file_has "$o1file" "series: $S"
expect_file_has "$o1file" "occurrence: 2026-11-01T02:00:00+08:00"
expect_file_has "$o1file" "status: in_progress"
expect_file_has "$(find maintenance -name "$S.yaml")" "status: notified"
run of maint start "$S" --occurrence 2026-11-01 --at "2026-11-01 02:10"
expect_rc 4; expect_err "recorded already as $O1"

CASE="task steps are numbered and ticked; done waits for them or records why not"
run of maint show "$O1"; expect_out "1. [ ] 备份"; expect_out "2. [ ] 打补丁"
run of maint task "$S" 1 --done --note "备份校验通过" --at "2026-11-01 02:30"
expect_rc 0; expect_out "$O1: step 1 done: 备份"
run of maint task "$S" 1 --done; expect_rc 4; expect_err "it was ticked at 2026-11-01T02:30:00+08:00"
run of maint task "$S" 7 --done; expect_rc 2; expect_err "has steps 1 to 2"
snapshot
run of maint done "$S" --result completed --notes "补丁 KB123 已安装" --at "2026-11-01 03:30"
expect_rc 4; expect_err "step(s) 2 of its tasks are not ticked"; expect_err "--skip-tasks"; expect_unchanged
run of maint show "$O1"; expect_out "1. [x] 备份"; expect_out "备份校验通过"

CASE="done appends a dated entry to the service's document, in the same commit"
run of maint done "$S" --result completed --notes "补丁 KB123 已安装" --skip-tasks "第二步并入下周" \
  --docs "更新了回退步骤" --at "2026-11-01 03:30"
expect_rc 0; expect_out "1 document(s) updated"
expect_file_has docs/services/mail.md "# 邮件系统: maintenance record"
expect_file_has docs/services/mail.md "## 2026-11-01 03:30 $O1 completed: 周日补丁"
expect_file_has docs/services/mail.md "- What was done: 补丁 KB123 已安装"
expect_file_has docs/services/mail.md "- Documentation changed: 更新了回退步骤"
expect_eq "$(git show --name-only --format= HEAD | sort | tr '\n' ' ')" "docs/services/mail.md $o1file "
expect_file_has "$o1file" "tasks_skipped: 第二步并入下周"
run of docs mail; expect_rc 0; expect_out "docs/services/mail.md"; expect_out "maintenance $O1: done: completed"
run of docs vpn; expect_rc 3; expect_err "names no document"
run of check; expect_rc 0; expect_err "0 errors, 0 warnings"

CASE="evaluate on the series acts on the occurrence waiting for it, and waits for its window"
run of maint evaluate "$S" --rating 4 --window 7d --at "2026-11-02 09:00"
expect_rc 4; expect_err "cannot evaluate $O1 yet"
run of maint evaluate "$S" --rating 4 --window 7d --at "2026-11-09 09:00"
expect_rc 0; expect_out "$O1: evaluated"
expect_file_has "$o1file" "status: evaluated"

CASE="skip one occurrence: its own record, the instance cancelled in an update every reader understands"
run of maint skip "$S" --occurrence 2026-11-09 --reason x; expect_rc 2
expect_err "has no occurrence at 2026-11-09; occurrences near it: 2026-11-01 02:00, 2026-11-08 02:00"
run of maint skip "$S" --occurrence 2026-11-08 --reason "双十一封网" --at "2026-11-02 10:00"
expect_rc 0; O2=$(sed -E 's/^(MNT-[0-9a-f]+):.*/\1/' <<<"$OUT" | head -1)
expect_file_has "$(find maintenance -name "$O2.yaml")" "status: skipped"
expect_file_has "$(find maintenance -name "$O2.yaml")" "skip_reason: 双十一封网"
eml=$(find notices -path "*$O2*" -name '*skip.eml')
[ -n "$eml" ] && ok || fail "no update archived"
expect_eq "$(ics_of "$eml" | read_cancel | tr '\n' '|')" "CANCEL|$S@opsflow 2026-11-07T18:00Z CANCELLED|"
run of maint skip "$S" --occurrence 2026-11-08 --reason again; expect_rc 4; expect_err "recorded already as $O2"
of maint calendar > feed.ics
expect_eq "$(instances "$S@opsflow" 2026-10-31T00:00:00+00:00 2026-11-23T00:00:00+00:00 < feed.ics | tr '\n' ' ')" \
  "2026-10-31T18:00Z 2026-11-14T18:00Z 2026-11-21T18:00Z "
run of maint list --upcoming 14d --now "2026-11-07 00:00" --json
expect_eq "$(jq -c '[.[] | [.start, .status]]' <<<"$OUT")" \
  '[["2026-11-08T02:00:00+08:00","skipped"],["2026-11-15T02:00:00+08:00","notified"]]'
rm feed.ics

CASE="maint show lists the occurrences; the report counts each as a window"
run of maint show "$S"
expect_out "$O1"; expect_out "$O2"
run of report --from 2026-11-01 --to 2026-12-01 --now "2026-12-01 00:00" --format json
expect_eq "$(jq -c '.maintenance | [.total, .by_result]' <<<"$OUT")" '[5,{"completed":1,"pending":3,"skipped":1}]'
expect_eq "$(jq -c .maintenance.notice_on_time_pct <<<"$OUT")" "100"

CASE="two sites record different occurrences of one series: the merge is clean"
site=$(mktemp -d); TMP_ROOTS+=("$site")
git clone -q . "$site/b"
(cd "$site/b" && git config user.name B && git config user.email b@example.com &&
 of maint start "$S" --occurrence 2026-11-22 --at "2026-11-22 02:00" >/dev/null)
of maint start "$S" --occurrence 2026-11-15 --at "2026-11-15 02:00" >/dev/null
git pull -q --no-rebase --no-edit "$site/b" main 2>"$site/err"; RC=$?
expect_rc 0; expect_eq "$(git status --porcelain)" ""
run of maint list --json; expect_eq "$(jq '[.[] | select(.series == "'"$S"'")] | length' <<<"$OUT")" "4"
run of check; expect_rc 0

CASE="a series written before occurrences had records: its own result is its first occurrence"
mkdir -p maintenance/2026/06
L=MNT-01d5e71e
cat > maintenance/2026/06/$L.yaml <<'YAML'
id: MNT-01d5e71e
title: 月度备份演练
status: evaluated
services: [vpn]
start: 2026-06-06T02:00:00+08:00
end: 2026-06-06T03:00:00+08:00
recurrence: FREQ=MONTHLY;BYDAY=1SA
notices:
  - at: 2026-06-01T09:00:00+08:00
    purpose: announce
    sequence: 0
    recipients: [remote@example.com]
    message_id: <MNT-01d5e71e.20260601T010000Z.00000000@example.com>
    file: notices/2026/06/MNT-01d5e71e/20260601T010000Z-announce.eml
    delivery: archived
    transport: none
result: completed
actual_start: 2026-06-06T02:00:00+08:00
actual_end: 2026-06-06T02:50:00+08:00
notes: 演练完成
evaluation: {rating: 4, window_days: 7, incidents_before: 0, incidents_after: 0}
events:
  - at: 2026-06-01T08:00:00+08:00
    by: wangwu
    action: plan
    title: 月度备份演练
    status: planned
    services: [vpn]
    start: 2026-06-06T02:00:00+08:00
    end: 2026-06-06T03:00:00+08:00
    recurrence: FREQ=MONTHLY;BYDAY=1SA
  - at: 2026-06-01T09:00:00+08:00
    by: wangwu
    action: notify
    status: notified
    notice: <MNT-01d5e71e.20260601T010000Z.00000000@example.com>
  - at: 2026-06-06T02:00:00+08:00
    by: wangwu
    action: start
    status: in_progress
    actual_start: 2026-06-06T02:00:00+08:00
  - at: 2026-06-06T02:50:00+08:00
    by: wangwu
    action: done
    status: completed
    result: completed
    actual_end: 2026-06-06T02:50:00+08:00
    notes: 演练完成
  - at: 2026-06-15T09:00:00+08:00
    by: wangwu
    action: evaluate
    evaluation: {rating: 4, window_days: 7, incidents_before: 0, incidents_after: 0}
    status: evaluated
YAML
mkdir -p notices/2026/06/$L && printf 'Subject: x\n\nx\n' > notices/2026/06/$L/20260601T010000Z-announce.eml
git add -A && git commit -qm "a series from before SPEC §12"
run of check; expect_rc 0; expect_err "0 errors, 0 warnings"
run of maint show "$L"
expect_out "2026-06-06 02:00  $L"; expect_out "rating 4; incidents 0 before, 0 after (7 days)"
run of maint start "$L" --at "2026-07-04 02:00"
expect_rc 0; expect_out "started: occurrence 2026-07-04 02:00 of $L"
run of maint start "$L" --occurrence 2026-06-06; expect_rc 4; expect_err "the series itself records it"
run of report --from 2026-06-01 --to 2026-08-01 --now "2026-08-01 00:00" --format json --service vpn
expect_eq "$(jq -c '.maintenance | [.total, .by_result]' <<<"$OUT")" '[2,{"completed":1,"pending":1}]'

CASE="a service's document path cannot leave the store"
cp services.yaml "$HOME/services.saved"
sed -i 's#docs: docs/services/mail.md#docs: ../outside.md#' services.yaml
run of maint list; expect_rc 5; expect_err "services.yaml"
cp "$HOME/services.saved" services.yaml

finish
