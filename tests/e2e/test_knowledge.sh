#!/usr/bin/env bash
# Knowledge (SPEC §11): similar records after `incident new`, `ticket new` and `mail
# receive` (stderr, -q, --json) and in `show --similar`; problems and known errors,
# linked to incidents on both records; articles, `ticket answer --article`; check,
# the report's figures and the recurring finding; import and export of both kinds.
. "$(dirname "$0")/lib.sh"
new_store
closed_incident() { # TITLE DESCRIPTION CAUSE RESOLUTION DAY
  local id
  id=$(of incident new "$1" --description "$2" --service vpn --category network --at "2026-03-0$5 09:00")
  of -q incident assign "$id" --to lisi --at "2026-03-0$5 09:10"
  of -q --as lisi incident diagnose "$id" --cause "$3" --at "2026-03-0$5 10:00"
  of -q --as lisi incident fix "$id" --resolution "$4" --at "2026-03-0$5 11:00"
  of -q incident verify "$id" --passed --at "2026-03-0$5 12:00"
  of -q incident close "$id" --feedback "已恢复" --no-notify --at "2026-03-0$5 12:30"
  echo "$id"
}
vpn=$(closed_incident "VPN 连接失败，错误 809" "在家用 VPN 登录时提示 809" "网关证书过期" "更新网关证书并重启 VPN 服务" 2)
printer=$(closed_incident "三楼打印机卡纸" "每次打印都卡纸" "搓纸轮老化" "更换搓纸轮" 3)
open_one=$(of incident new "VPN 错误 809 又出现了" --service vpn --at "2026-03-04 09:00")

CASE="incident new: the ID on stdout, similar closed incidents with their fix on stderr"
run of incident new "VPN 登录报错 809" --service vpn --category network --at "2026-03-05 09:00"
expect_rc 0
new1=$OUT
expect_eq "$(wc -l <<<"$OUT")" 1
expect_eq "${OUT:0:4}" "INC-"
expect_err "$vpn"
expect_err "更新网关证书并重启 VPN 服务"
expect_err "网关证书过期"
# Only settled records: not the open one, not the printer, not itself.
if grep -qF -- "$open_one" <<<"$ERR" || grep -qF -- "$printer" <<<"$ERR" || grep -qF -- "$new1" <<<"$ERR"; then fail "unsettled or unrelated record suggested"; else ok; fi

CASE="-q silences the suggestions; --json includes them"
run of -q incident new "VPN 报错 809" --service vpn --at "2026-03-05 09:10"
expect_rc 0; expect_eq "$ERR" ""
run of incident new "VPN 还是 809" --service vpn --json --at "2026-03-05 09:20"
expect_rc 0; expect_eq "$ERR" ""
expect_eq "$(jq -r '.id | .[0:4]' <<<"$OUT")" "INC-"
expect_eq "$(jq -r '.similar[0].id' <<<"$OUT")" "$vpn"
expect_eq "$(jq -r '.similar[0] | keys_unsorted | join(",")' <<<"$OUT")" "id,kind,status,score,title,cause,resolution"
expect_eq "$(jq -r '.known_errors | length' <<<"$OUT")" 0

CASE="nothing alike: no suggestions at all"
run of incident new "会议室投影仪没有画面" --at "2026-03-05 09:30"
expect_rc 0; expect_eq "$ERR" ""

CASE="problem new links its incidents on both records, in one commit"
before=$(commits)
run of problem new "VPN 809 反复出现" --incidents "$vpn,$open_one" --service vpn --category network --owner wangwu --at "2026-03-05 10:00"
expect_rc 0
prb=$OUT
expect_eq "${prb:0:4}" "PRB-"
expect_eq "$(commits)" "$((before + 1))"
expect_file_has "$(record_file "$vpn")" "problem: $prb"
expect_file_has "$(record_file "$open_one")" "problem: $prb"
run of problem show "$prb" --json
expect_eq "$(jq -r '.incidents | join(",")' <<<"$OUT")" "$vpn,$open_one"
expect_eq "$(jq -r '.status' <<<"$OUT")" "open"

CASE="an incident has one problem: linking it to a second is refused and changes nothing"
other=$(of problem new "另一个问题" --at "2026-03-05 10:05")
snapshot
run of problem link "$other" "$vpn"
expect_rc 4; expect_err "$prb"
expect_unchanged

CASE="problem link adds an incident on both records"
run of problem link "$prb" "$new1" --at "2026-03-05 10:10"
expect_rc 0
expect_file_has "$(record_file "$new1")" "problem: $prb"
run of problem show "$prb" --json
expect_eq "$(jq -r '.incidents | length' <<<"$OUT")" 3

CASE="the workflow: investigate, known error (cause and workaround), resolve, close"
run of problem resolve "$prb" --fix "x"; expect_rc 0
of -q problem cancel "$other" --reason "重复" --at "2026-03-05 10:20"
run of problem close "$other"; expect_rc 4; expect_err "cancelled"
prb2=$(of problem new "打印机卡纸反复" --incidents "$printer" --at "2026-03-05 10:30")
run of problem known-error "$prb2" --cause "" --workaround "y"; expect_rc 2
run of problem investigate "$prb2" --at "2026-03-05 10:31"; expect_rc 0
run of problem known-error "$prb2" --cause "搓纸轮批次缺陷" --workaround "手动送纸，或改用二楼打印机" --at "2026-03-05 10:40"
expect_rc 0
run of problem list --status known_error; expect_out "$prb2"; expect_no_out "$prb"

CASE="a new incident like a known error is shown its workaround"
run of incident new "三楼打印机又卡纸了" --at "2026-03-05 11:00"
expect_rc 0
expect_err "$prb2"; expect_err "手动送纸，或改用二楼打印机"
run of incident show "${OUT}" --similar --json
expect_eq "$(jq -r '.known_errors[0].id' <<<"$OUT")" "$prb2"
expect_eq "$(jq -r '.known_errors[0].workaround' <<<"$OUT")" "手动送纸，或改用二楼打印机"
expect_eq "$(jq -r '.similar[0].id' <<<"$OUT")" "$printer"

CASE="show --similar: the record's view, then the similar records; not for other kinds"
run of incident show "$new1" --similar
expect_rc 0; expect_out "$new1"; expect_out "$vpn"; expect_out "网关证书过期"
run of problem show "$prb" --similar; expect_rc 2

CASE="check: a link kept on one side only is an error naming file:line"
expect_eq "$(of check >/dev/null 2>&1; echo $?)" 0
f=$(record_file "$new1")
cp "$f" /tmp/knowledge-keep.$$
sed -i "/^problem: /d" "$f"
run of check
expect_rc 5
expect_out "names $new1, but $new1 does not name $prb in its problem"
cp /tmp/knowledge-keep.$$ "$f"; rm -f /tmp/knowledge-keep.$$
git checkout -q -- .

CASE="articles: drafted from a ticket, published, retired; ticket answer --article"
tkt=$(of ticket new "如何重置 VPN 密码" --requester "赵六 <zhao@example.org>" --question "密码过期了怎么改？" --at "2026-03-05 12:00" 2>/dev/null)
of -q ticket answer "$tkt" --answer "访问 https://id.example.com 重置后重新连接。" --no-notify --at "2026-03-05 12:10"
run of article new "重置 VPN 密码" --from "$tkt" --audience users --at "2026-03-05 12:20"
expect_rc 0
kb=$OUT; expect_eq "${kb:0:3}" "KB-"
run of article show "$kb" --json
expect_eq "$(jq -r '.status,.audience,.source' <<<"$OUT" | tr '\n' ' ')" "draft users $tkt "
expect_eq "$(jq -r '.body | contains("密码过期了怎么改？") and contains("https://id.example.com")' <<<"$OUT")" true
tkt2=$(of -q ticket new "VPN 密码忘了" --requester "钱七 <qian@example.org>" --at "2026-03-05 13:00")
snapshot
run of ticket answer "$tkt2" --article "$kb" --no-notify
expect_rc 4; expect_err "article publish"
expect_unchanged
run of article publish "$kb" --at "2026-03-05 13:05"; expect_rc 0
run of ticket answer "$tkt2" --article "$kb" --no-notify --at "2026-03-05 13:10"
expect_rc 0
run of ticket show "$tkt2" --json
expect_eq "$(jq -r '.article' <<<"$OUT")" "$kb"
expect_eq "$(jq -r '.answer | contains("https://id.example.com")' <<<"$OUT")" true
staff=$(of article new "网关证书更新步骤" --from "$vpn" --at "2026-03-05 13:20")
of -q article publish "$staff" --at "2026-03-05 13:21"
tkt3=$(of -q ticket new "证书过期怎么办" --requester "钱七 <qian@example.org>" --at "2026-03-05 13:30")
run of ticket answer "$tkt3" --article "$staff" --no-notify; expect_rc 4; expect_err "staff"
run of article list --status published; expect_out "$kb"; expect_out "$staff"

CASE="personal data never reaches a users' article: publish refuses it, check and the hook too"
users_pd=$(of article new "联系方式" --body "有问题请打 13812345678 找张三" --audience users --at "2026-03-05 14:00")
run of check; expect_rc 0; expect_out "warning: a phone number"
snapshot
run of article publish "$users_pd"
expect_rc 5; expect_err "cannot publish $users_pd to users"
expect_unchanged
f=$(find articles -name "$users_pd.yaml")
sed -i 's/^status: draft/status: published/' "$f"
run of check; expect_rc 5; expect_out "a phone number in an article published to users"
git checkout -q -- "$f"
of -q article retire "$users_pd" --reason "含个人信息" --at "2026-03-05 14:02"
run of check; expect_rc 0

CASE="the report counts problems, known errors, linked incidents and answers by article"
run of report --from 2026-03-01 --to 2026-03-10 --format json
expect_rc 0
expect_eq "$(jq -c '.knowledge | [.problems_opened, .open_problems, .known_errors, .incidents_linked]' <<<"$OUT")" "[3,2,1,4]"
expect_eq "$(jq -r --arg kb "$kb" '.knowledge.answers_by_article[$kb]' <<<"$OUT")" 1
expect_eq "$(jq -r '.knowledge.known_cause_minutes.mean' <<<"$OUT")" 10

CASE="two sites changing one problem merge cleanly through the merge driver"
main_branch=$(git branch --show-current)
git checkout -q -b site-b
of -q problem note "$prb2" "B 站：厂商已确认批次" --at "2026-03-05 15:00"
git checkout -q "$main_branch"
of -q problem note "$prb2" "A 站：已通知各楼层" --at "2026-03-05 15:02"
run git merge -q --no-edit site-b
expect_rc 0
run of problem show "$prb2" --json
expect_eq "$(jq -r '[.events[] | select(.action == "note") | .text] | join("|")' <<<"$OUT")" "B 站：厂商已确认批次|A 站：已通知各楼层"
run of check; expect_rc 0

CASE="export and import of problems and articles round-trip"
of export --kind problem > /tmp/knowledge-prb.$$.jsonl
of export --kind article --format csv > /tmp/knowledge-kb.$$.csv
store=$PWD
new_store
run of import --kind problem /tmp/knowledge-prb.$$.jsonl; expect_rc 0
run of import --kind article /tmp/knowledge-kb.$$.csv; expect_rc 0
expect_eq "$(of export --kind article --format csv)" "$(cat /tmp/knowledge-kb.$$.csv)"
rm -f /tmp/knowledge-prb.$$.jsonl /tmp/knowledge-kb.$$.csv
cd "$store" || exit 1

CASE="mail receive: a new ticket's suggestions for the operator, never in the notice"
cat > /tmp/knowledge-mail.$$ <<'MAIL'
From: 孙八 <sun@example.org>
To: helpdesk@example.com
Subject: VPN 登录失败 809
Message-ID: <k1@example.org>
Date: Thu, 05 Mar 2026 15:00:00 +0800

在家连 VPN 报错 809。
MAIL
run of mail receive --json < /tmp/knowledge-mail.$$
expect_rc 0
expect_eq "$(jq -r '.similar[0].id' <<<"$OUT")" "$vpn"
created=$(jq -r '.id' <<<"$OUT")
if grep -rqF -- "$vpn" notices/ 2>/dev/null; then fail "a similar record's ID reached a notice"; else ok; fi
if grep -rqF -- "网关证书过期" notices/ 2>/dev/null; then fail "a similar record's cause reached a notice"; else ok; fi
expect_eq "${created:0:4}" "TKT-"
rm -f /tmp/knowledge-mail.$$

finish
