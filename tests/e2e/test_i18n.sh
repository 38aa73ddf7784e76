#!/usr/bin/env bash
# Language (SPEC §10): the translation is complete and keeps every placeholder; the
# operator's language follows the locale and --lang, and works without the zh_CN locale
# generated; what scripts read is the same in every language.
. "$(dirname "$0")/lib.sh"
src=$OPSFLOW_SOURCE

CASE="po/zh_CN.po translates every message of the sources, none fuzzy, placeholders kept"
tmp=$(mktemp -d); TMP_ROOTS+=("$tmp")
run "$src/scripts/update-po" --pot "$tmp/opsflow.pot"
expect_rc 0
run python3 "$src/tests/e2e/po_check.py" "$tmp/opsflow.pot" "$src/po/zh_CN.po"
expect_rc 0
run msgfmt --check --statistics -o /dev/null "$src/po/zh_CN.po"
expect_rc 0; expect_no_out "untranslated"; expect_no_out "fuzzy"
if grep -q "untranslated\|fuzzy" <<<"$ERR"; then fail "msgfmt: $ERR"; else ok; fi
if diff -q <(grep -v '^#' "$tmp/opsflow.pot") <(grep -v '^#' "$src/po/opsflow.pot") >/dev/null; then ok
else fail "po/opsflow.pot is stale: run scripts/update-po"; fi

CASE="the operator's language: LC_ALL, then LC_MESSAGES, then LANG; --lang overrides"
run env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" --help; expect_out "消息、通知和报表的语言"
run env LANG=C "$OPSFLOW_BIN" --help; expect_out "Language of messages, notices and reports"
run env LANG=zh_CN.UTF-8 LC_MESSAGES=en_US.UTF-8 "$OPSFLOW_BIN" --help; expect_out "Language of messages"
run env LANG=C LC_MESSAGES=zh_CN.UTF-8 "$OPSFLOW_BIN" --help; expect_out "消息、通知和报表的语言"
run env LC_ALL=C.UTF-8 LC_MESSAGES=zh_CN.UTF-8 "$OPSFLOW_BIN" --help; expect_out "Language of messages"
run env LANG=zh_Hans.UTF-8 "$OPSFLOW_BIN" --help; expect_out "消息、通知和报表的语言"
run env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" --lang en --help; expect_out "Language of messages"
run env LANG=C "$OPSFLOW_BIN" --help --lang=zh-CN; expect_out "消息、通知和报表的语言"
run "$OPSFLOW_BIN" --lang fr --version; expect_rc 2; expect_err "'fr' is not a language"

CASE="every command's --help is Chinese but for what the operator types (names, values, examples)"
# The words a help page may keep: values and settings the operator types, programs, units.
typed="YYYY MM DD HH now id D d h m h30m high medium low new assigned diagnosing resolved
       verified closed on_hold cancelled analyzing answered escalated planned notified in_progress
       completed partial failed evaluated proposed implemented ticket phone email other walk
       monitoring improvement maintenance incident survey score comment answered_at reopen mail
       maildir imap procmail fetchmail shell fish categories notice_lead auto_send mttr mtta csat
       ticket_answer_time sla_resolution reopen_rate incident_count FREQ MONTHLY BYDAY SA
       TEXT UINT INT POSITIVE JSON Lines jsonl problem article open investigating known_error
       draft published retired users staff PRB KB p95_ms docs REV"
commands="report check log import export completion init help"
for group in incident maint ticket survey sla notices mail improve; do
  commands+=" $group"
  for verb in $(env LANG=C "$OPSFLOW_BIN" $group --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NF > 1 {print $1}'); do
    commands+=" $group:$verb"
  done
done
for command in $commands; do
  # Without the examples, the option and command names that begin a line, and {value,lists}.
  left=$(env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" ${command/:/ } --help | sed '/示例/,$d' \
         | sed -E 's/^  +[^ ]+//; s/\{[^}]*\}//g' | python3 "$src/tests/e2e/english_left.py" --allow "$typed")
  if [ -z "$left" ]; then ok; else fail "${command/:/ } --help has English: $(tr '\n' ' ' <<<"$left")"; fi
done
[ "$(wc -w <<<"$commands")" -gt 60 ] && ok || fail "only $(wc -w <<<"$commands") commands found"

CASE="Chinese without the zh_CN locale generated (setlocale would fail)"
if locale -a 2>/dev/null | grep -qi '^zh_CN'; then ok; else
  run env LC_ALL=zh_CN.UTF-8 "$OPSFLOW_BIN" --help; expect_out "消息、通知和报表的语言"
fi

CASE="OPSFLOW_LOCALEDIR names the catalogues; a missing or damaged one leaves English"
run env OPSFLOW_LOCALEDIR="$tmp/none" LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" --help
expect_out "消息、通知和报表的语言"   # the build tree's catalogue still serves
mkdir -p "$tmp/bad/zh_CN/LC_MESSAGES" "$tmp/good/zh_CN/LC_MESSAGES"
printf 'not a catalogue' > "$tmp/bad/zh_CN/LC_MESSAGES/opsflow.mo"
run env OPSFLOW_LOCALEDIR="$tmp/bad" LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" --help
expect_rc 0; expect_out "消息、通知和报表的语言"
printf 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Colour output"\nmsgstr "TEST-COLOUR"\n' \
  | msgfmt -o "$tmp/good/zh_CN/LC_MESSAGES/opsflow.mo" -
run env OPSFLOW_LOCALEDIR="$tmp/good" LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" --help
expect_out "TEST-COLOUR"

CASE="init writes the locale's language, or --lang's, into opsflow.yaml"
d=$(mktemp -d); TMP_ROOTS+=("$d")
env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" init "$d/zh" >/dev/null
expect_file_has "$d/zh/opsflow.yaml" "language: zh-CN"
env LANG=C "$OPSFLOW_BIN" init "$d/en" >/dev/null
expect_file_has "$d/en/opsflow.yaml" "language: en"
env LANG=C "$OPSFLOW_BIN" --lang zh-CN init "$d/zh2" >/dev/null
expect_file_has "$d/zh2/opsflow.yaml" "language: zh-CN"

CASE="what scripts read is byte for byte the same under a Chinese locale and --lang zh-CN"
new_store
at() { of -q "$@" >/dev/null; }
A=$(of incident new "VPN 无法连接" --service vpn --category network --impact high --urgency high \
      --reporter "张三 <zhangsan@example.com>" --at "2026-03-02 09:00")
at incident assign "$A" --to wangwu --at "2026-03-02 09:05"
at incident fix "$A" --resolution "重启网关" --cause "证书过期" --at "2026-03-02 10:00"
at incident verify "$A" --passed --at "2026-03-02 10:30"
at incident close "$A" --feedback ok --at "2026-03-02 10:40"
B=$(of incident new "Mail slow" --service mail --category email --impact low --urgency low --at "2026-03-03 09:00")
at incident hold "$B" --reason "waiting for the vendor" --at "2026-03-03 10:00"
T=$(of ticket new "如何配置 VPN？" --requester "Ann <ann@example.com>" --at "2026-03-02 10:00")
at ticket answer "$T" --answer "见附件" --no-notify --at "2026-03-02 11:00"
at survey record "$A" --score 4 --at "2026-03-05 10:00"
M=$(of maint plan "Mail patch" --start "2026-03-07 22:00" --duration 4h --services mail --at "2026-03-02 09:00")
for cmd in "incident list --json" "incident list --format csv" "incident list --format json" \
           "ticket list --json" "ticket list --format csv" "maint list --json" "improve list --json" \
           "survey list --json" "incident show $A --json" "ticket show $T --json" \
           "report --from 2026-03-01 --to 2026-04-01 --format json" \
           "report --from 2026-03-01 --to 2026-04-01 --format csv" \
           "sla watch --json --now 2026-03-03T12:00:00Z" "export --kind incident" \
           "export --kind ticket --format csv" "check --format json" "log $A --json"; do
  read -ra words <<<"$cmd"
  english=$(env LANG=C "$OPSFLOW_BIN" "${words[@]}" 2>&1; echo "rc=$?")
  chinese=$(env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" "${words[@]}" 2>&1; echo "rc=$?")
  forced=$(env LANG=C "$OPSFLOW_BIN" --lang zh-CN "${words[@]}" 2>&1; echo "rc=$?")
  if [ "$english" == "$chinese" ] && [ "$english" == "$forced" ]; then ok
  else fail "$cmd differs: $(diff <(echo "$english") <(echo "$chinese") | head -5)"; fi
  grep -q "^rc=0$" <<<"$english" && ok || fail "$cmd failed: ${english:0:300}"
done

# notices_in LANG: a store whose language is LANG sends every kind of notice (archived
# only); prints them as JSON lines (purpose, subject, body). Titles and names are ASCII.
notices_in() {
  new_store
  sed -i "s/^language: .*/language: $1/" opsflow.yaml
  cat >> opsflow.yaml <<'YAML'
mail:
  address: [ops@example.com]
  routes:
    - {subject: "outage", kind: incident, service: vpn, impact: high, urgency: high}
YAML
  git commit -qam "language $1, mail"
  local i t m w
  i=$(of incident new "VPN down" --service vpn --category network --impact high --urgency high \
        --reporter "Bob <bob@example.com>" --at "2026-03-02 09:00")
  at incident assign "$i" --to lisi --at "2026-03-02 09:05"
  at incident fix "$i" --resolution "Restarted the gateway" --cause "Expired certificate" --at "2026-03-02 10:00"
  at incident verify "$i" --passed --at "2026-03-02 10:30"
  at incident close "$i" --feedback "Connect again" --at "2026-03-02 10:40"            # feedback, survey
  t=$(of ticket new "VPN client" --requester "Ann <ann@example.com>" --at "2026-03-02 10:00")
  at ticket answer "$t" --answer "Use version 4.2" --at "2026-03-02 11:00"             # answer, survey
  m=$(of maint plan "Gateway patch" --start "2026-03-20 22:00" --duration 2h --services vpn \
        --impact "No VPN" --description "Patch" --at "2026-03-02 09:00")
  at maint notify "$m" --at "2026-03-02 09:30"                                         # announce
  at maint cancel "$m" --reason "Vendor delay" --at "2026-03-03 09:30"                 # cancel
  w=$(of incident new "Mail slow" --service mail --category email --impact high --urgency high \
        --at "2026-03-04 09:00")
  at incident assign "$w" --to lisi --at "2026-03-04 09:05"
  of sla watch --notify --now "2026-03-04 14:00" >/dev/null                            # sla-resolve
  printf 'From: Carol <carol@example.com>\nTo: ops@example.com\nSubject: VPN outage\nMessage-ID: <o-1@example.com>\n\nNo VPN.\n' \
    | of mail receive >/dev/null                                                       # ack
  local new_id
  new_id=$(of incident list --json | jq -r '.[] | select(.title == "VPN outage") | .id')
  at incident assign "$new_id" --to lisi --at now
  printf 'From: Carol <carol@example.com>\nTo: ops@example.com\nSubject: Re: [%s] VPN outage\nMessage-ID: <o-2@example.com>\nIn-Reply-To: <o-1@example.com>\n\nStill down.\n' "$new_id" \
    | of mail receive >/dev/null                                                       # reply
  git ls-files 'notices/*.eml' | xargs python3 "$src/tests/e2e/notice_text.py"
}
purposes="ack announce answer cancel feedback reply sla-resolve survey"

CASE="a Chinese store's notices are all in Chinese"
zh=$(notices_in zh-CN)
expect_eq "$(jq -r .purpose <<<"$zh" | sort -u | tr '\n' ' ')" "$purposes "
while IFS= read -r n; do
  p=$(jq -r .purpose <<<"$n"); text=$(jq -r '.subject + "\n" + .body' <<<"$n")
  grep -qP '\p{Han}' <<<"$text" && ok || fail "$p has no Chinese: $text"
  for english in Hello "IT Operations" "Maintenance" "Reference" deadline "We have received" \
                 "wrote about" "How satisfied" "Resolved]" "Survey]" "Received]" "Reply]" \
                 "Assignee" "When:" "Reason:" "Cause:" "nobody yet"; do
    grep -qF -- "$english" <<<"$text" && fail "$p has English '$english': $text" || ok
  done
done <<<"$zh"
for p in answer feedback survey ack; do
  jq -r "select(.purpose == \"$p\") | .body" <<<"$zh" | grep -q "您好" && ok || fail "$p lacks 您好"
done
jq -r 'select(.purpose == "answer") | .body' <<<"$zh" | grep -q "运维服务部" && ok || fail "answer unsigned"
jq -r 'select(.purpose == "announce") | .subject' <<<"$zh" | grep -q '^\[维护通知\] Gateway patch — 2026-03-20 22:00 \[MNT-' && ok || fail "announce subject"

CASE="an English store's notices have no Chinese, with the record's token in the subject"
en=$(notices_in en)
expect_eq "$(jq -r .purpose <<<"$en" | sort -u | tr '\n' ' ')" "$purposes "
while IFS= read -r n; do
  p=$(jq -r .purpose <<<"$n"); text=$(jq -r '.subject + "\n" + .body' <<<"$n")
  grep -qP '[\p{Han}，。：（）「」]' <<<"$text" && fail "$p has Chinese: $text" || ok
  jq -r .subject <<<"$n" | grep -qE '\[(INC|TKT|MNT)-[0-9a-f]{8}\]' && ok || fail "$p subject lacks the token"
done <<<"$en"
jq -r 'select(.purpose == "answer") | .body' <<<"$en" | grep -q "^Hello,$" && ok || fail "answer lacks Hello"

CASE="--lang overrides the store's language for the notices of the run"
new_store
sed -i "s/^language: .*/language: en/" opsflow.yaml; git commit -qam en
t=$(of ticket new "Printer" --requester "Ann <ann@example.com>" --at "2026-03-02 10:00")
of --lang zh-CN -q ticket answer "$t" --answer "Restart it" --at "2026-03-02 11:00" >/dev/null
git ls-files 'notices/*.eml' | xargs python3 "$src/tests/e2e/notice_text.py" | jq -r .body | grep -q "您好" \
  && ok || fail "--lang zh-CN did not make the notice Chinese"

CASE="an HTML report says its language and names fonts for Chinese; -o follows the store"
new_store
sed -i "s/^language: .*/language: zh-CN/" opsflow.yaml; git commit -qam zh
of -q incident new "VPN down" --service vpn --at "2026-03-02 09:00" >/dev/null
r="--from 2026-03-01 --to 2026-04-01 --format html"
run env LANG=C "$OPSFLOW_BIN" report $r; expect_out '<html lang="en">'
expect_out '"Noto Sans CJK SC","WenQuanYi Micro Hei","Source Han Sans SC",sans-serif'
run env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" report $r; expect_out '<html lang="zh-CN">'
env LANG=C "$OPSFLOW_BIN" report $r -o "$tmp/r.html"; expect_file_has "$tmp/r.html" '<html lang="zh-CN">'
env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" --lang en report $r -o "$tmp/r.html"; expect_file_has "$tmp/r.html" '<html lang="en">'

finish
