#!/usr/bin/env bash
# User support end to end: tickets answered by real email, escalation, surveys,
# feedback on close, and SLA warnings from `sla watch`.
. "$(dirname "$0")/lib.sh"
new_store
port=$(free_port)
mailroot=$(mktemp -d); TMP_ROOTS+=("$mailroot"); maildir=$mailroot/mail
sed -i "s#^  transport: none.*#  transport: smtp\n  smtp: {url: \"smtp://127.0.0.1:$port\"}#" opsflow.yaml
sed -i 's/^language: en$/language: zh-CN/' opsflow.yaml   # notices in Chinese
git commit -qam "smtp transport"
start_smtp "$port" "$maildir"
count() { ls "$maildir/new" 2>/dev/null | wc -l; }

CASE="the whole ticket process, the answer delivered by email"
run of ticket new "如何配置 VPN 客户端？" --requester "张三 <zhangsan@example.com>" --channel email --service vpn \
  --category network --question "客户端报错 809" --at "2026-03-02 09:00"
expect_rc 0; tid=$OUT
[[ "$tid" =~ ^TKT-[0-9a-f]{8}$ ]] && ok || fail "not an ID: $tid"
tfile=$(find tickets -name "$tid.yaml")
expect_file_has "$tfile" "status: new"
run of ticket analyze "$tid" --notes "客户端版本过旧" --assign lisi --at "2026-03-02 09:30"; expect_rc 0
expect_file_has "$tfile" "status: analyzing"
run of ticket answer "$tid" --answer $'请下载 4.2 版客户端。\nDownload client 4.2.' --at "2026-03-02 10:00"
expect_rc 0; expect_out "notice delivered by smtp to 1 recipient(s)"
expect_file_has "$tfile" "status: answered"
json=$(mails "$maildir")
expect_eq "$(jq length <<<"$json")" "2"
expect_eq "$(jq -r '.[0].rcpt | join(",")' <<<"$json")" "zhangsan@example.com"
jq -r '.[] | select(.subject | startswith("Re:")) | .text' <<<"$json" | grep -q "Download client 4.2." && ok || fail "answer text"
jq -r '.[].subject' <<<"$json" | grep -q "满意度调查" && ok || fail "survey request sent with the answer"
expect_file_has "$tfile" "sent_at: 2026-03-02T10:00:00+08:00"
run of ticket close "$tid" --at "2026-03-02 10:05"; expect_rc 0
expect_file_has "$tfile" "status: closed"

CASE="ticket refusals"
run of ticket close "$tid"; expect_rc 4; expect_err "cannot close $tid: it is 'closed'"
run of ticket answer "$tid" --answer x; expect_rc 4
run of ticket reopen "$tid" --reason "still 809" --at "2026-03-02 11:00"; expect_rc 0
expect_file_has "$tfile" "status: analyzing"
run of ticket close "$tid"; expect_rc 4; expect_err "it is 'analyzing', not yet answered (run: opsflow ticket answer $tid --answer TEXT)"
run of ticket show TKT-00000000; expect_rc 3
run of ticket show INC-00000000; expect_rc 3

CASE="escalation creates a linked incident and prints its ID"
run of ticket escalate "$tid" --impact high --urgency high --at "2026-03-02 11:10"
expect_rc 0; iid=$OUT
[[ "$iid" =~ ^INC-[0-9a-f]{8}$ ]] && ok || fail "not an incident ID: $iid"
ifile=$(find incidents -name "$iid.yaml")
expect_file_has "$ifile" "status: new"
expect_file_has "$ifile" "priority: P1"
expect_file_has "$ifile" "reporter: 张三 <zhangsan@example.com>"
expect_file_has "$ifile" "service: vpn"
expect_file_has "$ifile" "links: [$tid]"
expect_file_has "$tfile" "status: escalated"
expect_file_has "$tfile" "$iid"
expect_eq "$(git show --name-only --format= HEAD | sort | tr '\n' ' ')" "$ifile $tfile "
run of ticket escalate "$tid"; expect_rc 4; expect_err "escalated to an incident"

CASE="incident close sends the feedback and a survey request to the reporter"
of -q incident assign "$iid" --to lisi --at "2026-03-02 11:15"
of -q incident fix "$iid" --resolution "推送 4.2 客户端" --cause "旧客户端" --at "2026-03-02 12:00"
of -q incident verify "$iid" --passed --at "2026-03-02 12:10"
before=$(count)
run of incident close "$iid" --feedback "已为您升级客户端" --at "2026-03-02 12:15"
expect_rc 0
expect_eq "$(( $(count) - before ))" "2"
last=$(mails "$maildir")
jq -r '.[].subject' <<<"$last" | grep -q "\[已解决\]" && ok || fail "feedback subject"
expect_file_has "$ifile" "purpose: feedback"
expect_file_has "$ifile" "purpose: survey"

CASE="a reporter without an email address gets no notice, and the record says so"
pid=$(of incident new "打印机卡纸" --reporter "138-0013-8000" --channel phone --at "2026-03-03 09:00")
of -q incident assign "$pid" --to chen --at "2026-03-03 09:05"
of -q incident fix "$pid" --resolution "清理卡纸" --cause "纸张受潮" --at "2026-03-03 09:30"
of -q incident verify "$pid" --passed --at "2026-03-03 09:40"
before=$(count)
run of incident close "$pid" --feedback "已处理" --at "2026-03-03 09:45"
expect_rc 0
expect_eq "$(count)" "$before"
pfile=$(find incidents -name "$pid.yaml")
expect_file_has "$pfile" 'notice: "not sent: the reporter has no email address; tell them by phone"'
expect_eq "$(grep -c '138-0013-8000' "$pfile")" "2"   # the reporter field and its event only: the note repeats no contact data

CASE="--no-notify sends nothing"
nid=$(of incident new "Quiet close" --reporter "Bob <bob@example.com>" --at "2026-03-03 10:00")
of -q incident assign "$nid" --to chen --at "2026-03-03 10:05"; of -q incident fix "$nid" --resolution r --cause c --at "2026-03-03 10:10"
of -q incident verify "$nid" --passed --at "2026-03-03 10:15"
before=$(count)
run of incident close "$nid" --feedback "done" --no-notify --at "2026-03-03 10:20"; expect_rc 0
expect_eq "$(count)" "$before"

CASE="survey record, a second answer refused, --replace keeps the first in the history"
run of survey record "$iid" --score 4 --comment "挺快" --at "2026-03-02 13:00"; expect_rc 0
expect_file_has "$ifile" "score: 4"
snapshot
run of survey record "$iid" --score 5; expect_rc 4; expect_err "already has a survey answer (score 4); use --replace"
expect_unchanged
run of survey record "$iid" --score 5 --replace --at "2026-03-02 14:00"; expect_rc 0
expect_file_has "$ifile" "score: 5"
expect_file_has "$ifile" "replaces_score: 4"
for bad in 0 6 five 4.5 ""; do
  CASE="survey score '$bad' refused"
  snapshot
  run of survey record "$nid" --score "$bad"
  expect_rc 2; expect_unchanged
done
run of survey record "$nid" --score five; expect_err "--score: score 'five' is not a whole number from 1 to 5"
CASE="survey on an open incident is refused"
oid=$(of incident new "still open" --at "2026-03-04 09:00")
run of survey send "$oid"; expect_rc 4; expect_err "surveys follow a closed incident"
run of survey record "$oid" --score 3; expect_rc 4
of -q incident cancel "$oid" --reason "test done" --at "2026-03-04 09:10"

CASE="survey import: a file with two bad rows writes nothing and names both lines"
csv=$(mktemp); TMP_ROOTS+=("$csv")
printf 'id,score,comment,answered_at\n%s,5,"很好, 谢谢",2026-03-04 10:00\n%s,7,too high,2026-03-04 10:00\nINC-ffffffff,3,unknown,2026-03-04 10:00\n' "$nid" "$pid" > "$csv"
snapshot
run of survey import "$csv"
expect_rc 5
expect_err "$(basename "$csv"):3:"; expect_err "score '7' is not a whole number from 1 to 5"
expect_err "$(basename "$csv"):4:"; expect_err "no incident INC-ffffffff in this store"
expect_unchanged
CASE="survey import: a duplicate row and a bad time are errors too"
printf 'id,score,comment,answered_at\n%s,5,,2026-03-04 10:00\n%s,4,,2026-03-04 10:00\n%s,4,,yesterday\n' "$nid" "$nid" "$pid" > "$csv"
run of survey import "$csv"; expect_rc 5; expect_err ":3:1: ${nid} appears more than once"; expect_err ":4:"
expect_unchanged
CASE="survey import: a good file is one commit"
printf 'id,score,comment,answered_at\n%s,5,"很好, 谢谢",2026-03-04 10:00\n%s,2,"slow ""fix""",2026-03-04 11:00\n' "$nid" "$pid" > "$csv"
before=$(commits)
run of survey import "$csv"; expect_rc 0; expect_out "2 survey answer(s) imported"
expect_eq "$(( $(commits) - before ))" "1"
expect_file_has "$pfile" 'comment: slow "fix"'
run of survey list --json
expect_eq "$(jq '[.[] | select(.score != null)] | length' <<<"$OUT")" "3"

CASE="sla watch: near, far, breached and held deadlines"
# P2 incidents on the 24x7 clock: respond within 30m, resolve within 8h.
near=$(of incident new "near" --impact high --urgency medium --at "2026-03-05 09:00")    # respond by 09:30
far=$(of incident new "far" --impact high --urgency medium --at "2026-03-05 10:00")      # respond by 10:30
held=$(of incident new "held" --impact high --urgency medium --at "2026-03-05 09:00")
of -q incident hold "$held" --reason "waiting for user" --at "2026-03-05 09:05"
of -q incident resume "$held" --at "2026-03-05 10:05"                                    # respond by 10:30
run of sla watch --now "2026-03-05 09:20" --json
expect_rc 0
expect_eq "$(jq -r '[.[] | select(.stage == "respond") | .id] | join(" ")' <<<"$OUT")" "$near"
expect_eq "$(jq -r ".[] | select(.id == \"$near\") | .minutes_left" <<<"$OUT")" "10"
run of sla watch --now "2026-03-05 10:05" --json
expect_eq "$(jq -r "[.[] | select(.stage == \"respond\") | .id] | sort | join(\" \")" <<<"$OUT")" "$(printf '%s\n' "$near" "$far" "$held" | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "$(jq -r ".[] | select(.id == \"$near\" and .stage == \"respond\") | .breached" <<<"$OUT")" "true"
expect_eq "$(jq -r ".[] | select(.id == \"$held\" and .stage == \"respond\") | .deadline" <<<"$OUT")" "2026-03-05T10:30:00+08:00"
run of sla watch --now "2026-03-05 10:05"
expect_rc 0; expect_out "respond"; expect_out "-35m"

CASE="sla watch --notify warns once per incident and stage"
sed -i 's/^  - {id: wangwu, name: 王五, email: wangwu@example.com, roles: \[technician, lead\]}/&/' team.yaml
before=$(count)
run of sla watch --now "2026-03-05 09:20" --notify
expect_rc 0; expect_out "SLA respond warning"
expect_eq "$(( $(count) - before ))" "1"
expect_eq "$(mails "$maildir" | jq -r '.[-1].rcpt | join(",")')" "wangwu@example.com"
run of sla watch --now "2026-03-05 09:20" --notify
expect_rc 0
expect_eq "$(( $(count) - before ))" "1"
expect_eq "$(grep -c 'action: sla_warning' "$(find incidents -name "$near.yaml")")" "1"

CASE="an ASCII subject that looks like an RFC 2047 encoded word reaches the reader as the same text"
word='=?UTF-8?B?SGkNCkJjYzogeEBldmlsLmV4YW1wbGU=?='
run of ticket new "Hi $word" --requester "Ann <ann@example.com>" --channel email --at "2026-03-05 09:00"
expect_rc 0; wid=$OUT
before=$(count)
run of ticket answer "$wid" --answer "Fine." --at "2026-03-05 09:30"; expect_rc 0
json=$(mails "$maildir")
expect_eq "$(jq -r --arg w "$word" '[.[] | select(.subject | contains($w))] | length' <<<"$json")" "2"  # the answer and the survey request
jq -r '.[].subject' <<<"$json" | grep -q "Bcc" && fail "a subject decodes to a Bcc header" || ok

finish
