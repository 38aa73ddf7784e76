#!/usr/bin/env bash
# The whole incident process, as an operator's shell script would run it.
. "$(dirname "$0")/lib.sh"
new_store

CASE="new prints the ID alone"
run of --as wangwu incident new "VPN 无法连接" --service vpn --category network --impact high --urgency medium \
  --reporter "张三 <zhangsan@example.com>" --channel phone --description "Error 809" --at "2026-03-06 17:00"
expect_rc 0
id=$OUT
[[ "$id" =~ ^INC-[0-9a-f]{8}$ ]] && ok || fail "not an ID: $id"
file=$(record_file "$id")
expect_eq "$file" "incidents/2026/03/$id.yaml"
expect_file_has "$file" "priority: P2"
expect_file_has "$file" "respond_by: 2026-03-06T17:30:00+08:00"
expect_file_has "$file" "resolve_by: 2026-03-07T01:00:00+08:00"
expect_file_has "$file" "reporter: 张三 <zhangsan@example.com>"
expect_eq "$(git log -1 --format=%s)" "incident $id: reported: VPN 无法连接"
expect_eq "$(git log -1 --format=%an)" "王五"
expect_eq "$(git log -1 --format='%(trailers:key=Opsflow-Action,valueonly)' | head -1)" "incident.new"
expect_eq "$(git log -1 --format='%(trailers:key=Opsflow-Record,valueonly)' | head -1)" "$id"
expect_eq "$(git show --stat --format= HEAD | grep -c '|')" "1"

CASE="business clock: P3 on Friday 17:00 (SPEC §4)"
run of incident new "打印机卡纸" --impact medium --urgency medium --at "2026-03-06 17:00"
p3=$OUT
expect_file_has "$(record_file "$p3")" "respond_by: 2026-03-09T10:00:00+08:00"
expect_file_has "$(record_file "$p3")" "resolve_by: 2026-03-11T17:00:00+08:00"

short=${id#INC-}; short=${short:0:4}
CASE="assign by prefix"
run of --as lisi incident assign "$short" --to lisi --at "2026-03-06 17:10"
expect_rc 0
expect_eq "$OUT" "$id: assigned to lisi"
expect_file_has "$file" "status: assigned"
expect_eq "$(git log -1 --format=%s)" "incident $id: assigned to lisi"

CASE="diagnose, fix, failed verify reopens, fix again, verify, close"
run of --as lisi incident diagnose "$id" --cause "证书过期" --at "2026-03-06 17:20"; expect_rc 0
expect_file_has "$file" "status: diagnosing"
run of --as lisi incident fix "$id" --resolution "更新证书" --at "2026-03-06 17:40"; expect_rc 0
expect_file_has "$file" "status: resolved"
run of incident verify "$id" --failed --note "still 809" --at "2026-03-06 17:50"; expect_rc 0
expect_out "back to diagnosing"
expect_file_has "$file" "status: diagnosing"
printf 'Renewed the certificate\nand restarted the gateway\n' | of --as lisi incident fix "$id" --resolution - --at "2026-03-06 18:30" >/dev/null
expect_file_has "$file" "resolution: |-"
expect_file_has "$file" "  and restarted the gateway"
run of incident verify "$id" --passed --at "2026-03-06 18:40"; expect_rc 0
run of incident close "$id" --feedback "已恢复" --at "2026-03-06 18:45"; expect_rc 0
expect_eq "$OUT" "$id: closed"
expect_file_has "$file" "status: closed"
expect_file_has "$file" "feedback: 已恢复"
expect_eq "$(grep -c 'action: ' "$file")" "9"   # 8 steps and the survey request sent on close
expect_file_has "$file" "action: survey_sent"
expect_eq "$(git log --format=%s -- "$file" | wc -l)" "8"
expect_eq "$(git status --porcelain)" ""

CASE="the closure notice tells the user the feedback, not the technicians' cause and fix"
feedback=$(git ls-files "notices/*/$id/*feedback*.eml" | xargs python3 "$OPSFLOW_SOURCE/tests/e2e/notice_text.py" | jq -r .body)
grep -q "已恢复" <<<"$feedback" && ok || fail "the closure notice lacks the feedback: $feedback"
grep -q "证书过期\|Renewed the certificate" <<<"$feedback" && fail "the closure notice gives the internal cause or fix: $feedback" || ok

CASE="show and show --json"
run of incident show "$short"; expect_rc 0
expect_out "$id  VPN 无法连接"
expect_out "status     closed"
expect_out "result: failed, note: still 809"
run of incident show "$id" --json; expect_rc 0
expect_eq "$(jq -r .status <<<"$OUT")" "closed"
expect_eq "$(jq -r '.events | length' <<<"$OUT")" "9"
expect_eq "$(jq -r '.sla.respond_by' <<<"$OUT")" "2026-03-06T17:30:00+08:00"
expect_eq "$(jq -r 'keys_unsorted[0:3] | join(",")' <<<"$OUT")" "id,title,status"

CASE="hold and resume move the SLA deadline"
run of incident new "Mail delayed" --service mail --category email --impact high --urgency high --at "2026-03-09 10:00"
mid=$OUT; mfile=$(record_file "$mid")
expect_file_has "$mfile" "resolve_by: 2026-03-09T14:00:00+08:00"
run of incident hold "$mid" --reason "waiting for vendor" --at "2026-03-09 10:30"; expect_rc 0
expect_file_has "$mfile" "status: on_hold"
run of incident resume "$mid" --at "2026-03-09 12:30"; expect_rc 0
expect_file_has "$mfile" "status: new"
expect_file_has "$mfile" "resolve_by: 2026-03-09T16:00:00+08:00"
expect_file_has "$mfile" "respond_by: 2026-03-09T10:15:00+08:00"  # due before the hold began

CASE="a hold after the response moves only the deadlines still running"
run of incident new "Mail queue stuck" --service mail --category email --impact high --urgency high --at "2026-03-10 11:00"
hid=$OUT; hfile=$(record_file "$hid")
of -q incident assign "$hid" --to wangwu --at "2026-03-10 11:10"  # not in the mail team routed below
run of incident hold "$hid" --reason "waiting for the vendor" --at "2026-03-10 11:30"; expect_rc 0
expect_file_has "$hfile" "respond_by: 2026-03-10T11:15:00+08:00"
run of incident resume "$hid" --at "2026-03-11 18:00"; expect_rc 0
expect_file_has "$hfile" "respond_by: 2026-03-10T11:15:00+08:00"  # responded before the hold
expect_file_has "$hfile" "resolve_by: 2026-03-11T21:30:00+08:00"  # 4h, of which 30 min before the hold
run of check "$hfile"; expect_rc 0

CASE="auto-assign by routing: a team picks its least-loaded member"
run of incident assign "$mid" --auto --at "2026-03-09 12:40"; expect_rc 0
expect_eq "$OUT" "$mid: assigned to lisi"
run of incident new "Mail bounce" --service mail --category email --auto-assign --at "2026-03-09 13:00"
expect_rc 0
expect_file_has "$(record_file "$OUT")" "assignee: chen"
run of incident new "VPN slow" --service vpn --category network --auto-assign --at "2026-03-09 13:05"
expect_file_has "$(record_file "$OUT")" "assignee: wangwu"
CASE="no matching rule is refused"
snapshot
run of incident new "Strange noise" --category hardware --auto-assign --at "2026-03-09 13:10"
expect_rc 4; expect_err "no routing rule matches category 'hardware'"; expect_unchanged

CASE="classify recomputes priority and SLA; override needs a reason"
run of incident classify "$p3" --impact high --urgency high; expect_rc 0
expect_out "priority P1"
expect_file_has "$(record_file "$p3")" "resolve_by: 2026-03-06T21:00:00+08:00"
run of incident classify "$p3" --priority P4; expect_rc 2; expect_err "--reason"
run of incident classify "$p3" --priority P4 --reason "test printer"; expect_rc 0
expect_file_has "$(record_file "$p3")" "reason: test printer"

CASE="cancel as duplicate links the original"
run of incident new "VPN down again" --service vpn --at "2026-03-06 17:05"
dup=$OUT
run of incident cancel "$dup" --reason "same fault" --duplicate-of "$short"; expect_rc 0
expect_out "duplicate of $id"
expect_file_has "$(record_file "$dup")" "links: [$id]"

CASE="reopen a closed incident"
run of incident reopen "$id" --reason "fault is back"; expect_rc 0
expect_file_has "$file" "status: assigned"

CASE="note keeps text and --no-commit leaves the change uncommitted"
before=$(commits)
run of incident note "$id" "已联系用户" --no-commit; expect_rc 0
expect_eq "$(commits)" "$before"
expect_eq "$(git status --porcelain)" " M $file"
git checkout -q -- "$file"

CASE="-q prints nothing on success; new still prints its ID"
run of -q incident note "$id" "quiet"; expect_rc 0; expect_eq "$OUT" ""
run of -q incident new "Quiet one"; expect_rc 0
[[ "$OUT" =~ ^INC-[0-9a-f]{8}$ ]] && ok || fail "new -q printed '$OUT'"

CASE="list: filters, aligned Chinese, csv, json"
run of incident list --open; expect_rc 0
expect_out "ID            PRI  STATUS"
expect_no_out "cancelled"
run of incident list --status closed,cancelled --json; expect_rc 0
expect_eq "$(jq length <<<"$OUT")" "1"
run of incident list --service vpn --format csv; expect_rc 0
expect_eq "$(head -1 <<<"$OUT" | cut -d, -f1-3)" "id,title,status"
expect_eq "$(tail -n +2 <<<"$OUT" | wc -l)" "3"
run of incident list --assignee wangwu --priority P3 --json
expect_eq "$(jq -r '.[].title' <<<"$OUT")" "VPN slow"
run of incident list --since 2026-03-09 --until "2026-03-09 13:01" --json
expect_eq "$(jq length <<<"$OUT")" "2"
# Wide characters: every TITLE column starts at the same display column.
run of incident list
cols=$(tail -n +2 <<<"$OUT" | while IFS= read -r line; do
  prefix=${line%%VPN*}; [ "$prefix" == "$line" ] && prefix=${line%%打印*}; [ "$prefix" == "$line" ] && continue
  printf '%s' "$prefix" | wc -L; done | sort -u | wc -l)
expect_eq "$cols" "1"

CASE="operator from OPSFLOW_USER and from git user.email"
OPSFLOW_USER=chen of incident note "$id" "from env" >/dev/null
expect_eq "$(git log -1 --format=%an)" "Chen Jing"
git config user.email wangwu@example.com
of incident note "$id" "from git" >/dev/null
expect_eq "$(grep -A1 'text: from git' "$file" | head -1)" "    text: from git"
expect_eq "$(tail -3 "$file" | grep -c 'by: wangwu')" "1"

CASE="notify.closure_details: the closure notice also gives the cause and fix"
new_store
sed -i 's/^notify:/notify:\n  closure_details: true/' opsflow.yaml && git commit -qam "closure details"
d=$(of incident new "Printer jam" --service mail --category hardware --impact low --urgency low --reporter "Bo <bo@example.com>")
of -q incident assign "$d" --to lisi && of -q --as lisi incident fix "$d" --cause "worn roller" --resolution "new roller"
of -q incident verify "$d" --passed && of -q incident close "$d" --feedback "printing again"
details=$(git ls-files "notices/*/$d/*feedback*.eml" | xargs python3 "$OPSFLOW_SOURCE/tests/e2e/notice_text.py" | jq -r .body)
grep -q "worn roller" <<<"$details" && grep -q "new roller" <<<"$details" && ok || fail "notify.closure_details did not give the cause and fix: $details"

finish
