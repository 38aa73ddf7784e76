#!/usr/bin/env bash
# Language (SPEC §10) of tickets, surveys, improvements and the report: a Chinese operator
# meets no English sentence in a ticket's lifecycle, a survey, an improvement and a monthly
# report in text, markdown and HTML; an English operator meets no Chinese but the users'
# own text; what scripts read (the JSON and CSV report) is the same in both languages.
. "$(dirname "$0")/lib.sh"
src=$OPSFLOW_SOURCE

zh() { env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" "$@"; }
en() { env LANG=C "$OPSFLOW_BIN" "$@"; }

# The users' own text in the scenario and the store's names (IDs of services, categories,
# people, metrics): they stay as they are in either language.
TITLES=("如何配置 VPN 客户端？" "邮件客户端无法登录" "客户端版本过旧" "请从内网下载 4.2 版客户端" "很快就解决了"
        "缩短邮件故障处理时间" "邮件队列积压" "VPN 断线" "邮件延迟" "重启队列" "网关补丁" "张三" "已恢复")
NAMES="mail vpn email network lisi wangwu mttr P"  # P: of P1-P4 (english_left.py reads the letters)

# chinese_only WHAT TEXT: no English word is left in TEXT (a Chinese operator's output).
# Finding IDs (recurring:mail:email) are identifiers a person types, like record IDs.
chinese_only() {
  local left
  left=$(sed -E 's/\b(recurring|sla_hotspot|slow_stage|low_satisfaction|overdue):[A-Za-z0-9_:.-]+//g' <<<"$2" |
         python3 "$src/tests/e2e/english_left.py" --allow "$NAMES ${3:-}")
  if [ $? -eq 0 ]; then ok; else fail "$1: English left: $(tr '\n' ' ' <<<"$left")"; fi
}
# english_only WHAT TEXT: no Chinese in TEXT once the users' own text is taken out.
english_only() {
  local text=$2 t
  for t in "${TITLES[@]}"; do text=${text//"$t"/}; done
  local han
  han=$(grep -P '\p{Han}' <<<"$text")
  if [ -z "$han" ]; then ok; else fail "$1: Chinese in English output: ${han:0:200}"; fi
}
# html_text: the text a reader sees of an HTML page (no tags, no style), SVG labels included.
html_text() {
  python3 -c '
import sys
from html.parser import HTMLParser
class Text(HTMLParser):
    skip = 0
    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"): self.skip += 1
    def handle_endtag(self, tag):
        if tag in ("style", "script"): self.skip -= 1
    def handle_data(self, data):
        if not self.skip: print(data)
Text().feed(sys.stdin.read())'
}

new_store
A=$(of incident new "邮件队列积压" --service mail --category email --impact high --urgency high \
      --at "2026-03-02 09:00")
B=$(of incident new "邮件延迟" --service mail --category email --impact medium --urgency high \
      --at "2026-03-09 09:00")
C=$(of incident new "邮件客户端无法登录" --service mail --category email --impact low --urgency low \
      --at "2026-03-16 09:00")
D=$(of incident new "VPN 断线" --service vpn --category network --impact high --urgency high \
      --channel phone --at "2026-03-20 09:00")
of -q incident assign "$A" --to lisi --at "2026-03-02 09:30" >/dev/null
of -q incident fix "$A" --resolution "重启队列" --at "2026-03-04 18:00" >/dev/null
of -q incident verify "$A" --passed --at "2026-03-04 19:00" >/dev/null
of -q incident close "$A" --feedback "已恢复" --at "2026-03-04 19:10" >/dev/null
of -q incident assign "$B" --to lisi --at "2026-03-09 13:00" >/dev/null
of -q incident fix "$B" --resolution "重启队列" --at "2026-03-09 15:00" >/dev/null
M=$(of maint plan "网关补丁" --start "2026-03-21 22:00" --duration 2h --services vpn --at "2026-03-02 09:00")

# lifecycle LANG: a ticket's lifecycle under LANG (zh or en), its refusals and
# confirmations on stdout and stderr together.
lifecycle() {
  local lang=$1 out t
  t=$($lang ticket new "如何配置 VPN 客户端？" --requester "张三 <zhangsan@example.com>" \
        --channel email --service vpn --category network --at "2026-03-05 09:00")
  out=$($lang ticket new "" --requester x 2>&1)                           # refusal
  out+=$'\n'$($lang ticket answer "$t" 2>&1)                              # refusal: no answer
  out+=$'\n'$($lang survey record "$t" --score 4 2>&1)                    # refusal: not answered
  out+=$'\n'$($lang ticket analyze "$t" --notes "客户端版本过旧" --assign lisi --at "2026-03-05 10:00" 2>&1)
  out+=$'\n'$($lang ticket answer "$t" --answer "请从内网下载 4.2 版客户端" --no-notify --at "2026-03-05 11:00" 2>&1)
  out+=$'\n'$($lang survey record "$t" --score 4 --comment "很快就解决了" --at "2026-03-06 09:00" 2>&1)
  out+=$'\n'$($lang survey record "$t" --score 6 2>&1)                    # refusal: the score
  out+=$'\n'$($lang survey record "$t" --score 5 --at "2026-03-06 10:00" 2>&1) # refusal: answered
  out+=$'\n'$($lang ticket close "$t" --at "2026-03-06 11:00" 2>&1)
  out+=$'\n'$($lang survey list 2>&1)
  printf '%s\n' "$out"
}

CASE="a ticket's lifecycle and its survey in Chinese: refusals, confirmations, the survey table"
OUT=$(lifecycle zh)
expect_out "SUBJECT：不能为空"
expect_out "必须给出 --answer（或使用 --edit 或 --article）"
expect_out "无法登记调查答复"
expect_out "分析中，已指派给 lisi"
expect_out "已答复"
expect_out "已登记调查答复：4/5"
expect_out "已有调查答复（评分 4）"
expect_out "已关闭"
expect_out "评分"
chinese_only "ticket lifecycle" "$OUT" "SUBJECT"  # the argument, named as --help names it

CASE="the same lifecycle in English: the English text, no Chinese but the users' text"
OUT=$(lifecycle en)
expect_out "SUBJECT: must not be blank"
expect_out "--answer is required (or --edit, or --article)"
expect_out "cannot record the survey"
expect_out "analysing, assigned to lisi"
expect_out "survey answer recorded: 4/5"
expect_out "SCORE"
english_only "ticket lifecycle" "$OUT"

CASE="the commit messages stay English whatever the operator's language"
log=$(git log --format=%s)
english_only "commit messages" "$log"
grep -q "analysing, assigned to lisi" <<<"$log" && ok || fail "commit messages: $log"

# improvement LANG: an improvement from proposal to evaluation under LANG.
improvement() {
  local lang=$1 out i
  i=$($lang improve new "缩短邮件故障处理时间" --metric mttr --target '<=240' --service mail \
        --at "2026-03-10 09:00")
  out=$($lang improve new "x" --metric mttr --target 240 2>&1)                      # refusal
  out+=$'\n'$($lang improve start "$i" --at "2026-03-10 10:00" 2>&1)
  out+=$'\n'$($lang improve done "$i" --at "2026-03-11 10:00" 2>&1)
  out+=$'\n'$($lang improve evaluate "$i" --window 7d --at "2026-03-12 10:00" 2>&1)  # refusal: too early
  out+=$'\n'$($lang improve evaluate "$i" --window 7d --partial --at "2026-03-12 10:00" 2>&1)
  out+=$'\n'$($lang improve show "$i" 2>&1)
  out+=$'\n'$($lang improve list 2>&1)
  printf '%s\n' "$out"
}

CASE="an improvement in Chinese: refusals, confirmations, show and list"
OUT=$(improvement zh)
expect_out "不是有效的目标"
expect_out "已开始"
expect_out "已实施"
expect_out "还不能评估"
expect_out "已评估：mttr"
expect_out "（部分评估）"
expect_out "基线"
chinese_only "improvement" "$OUT" "d"  # 7d: the window typed

CASE="the same improvement in English"
OUT=$(improvement en)
expect_out "is not a target"
expect_out "cannot evaluate"
expect_out "evaluated: mttr"
expect_out "(partial)"
expect_out "BASELINE"
english_only "improvement" "$OUT"

period=(--from 2026-03-01 --to 2026-04-01 --now 2026-04-01)
CASE="the monthly report in Chinese: text, markdown and HTML have no English sentence"
for format in text markdown; do
  run zh report "${period[@]}" --format "$format"
  expect_rc 0
  chinese_only "report --format $format" "$OUT"
done
expect_out "发现"
expect_out "重复故障"
run zh report "${period[@]}" --format html
expect_rc 0; expect_out '<html lang="zh-CN">'; expect_out "每周故障数（按优先级）"
chinese_only "report --format html" "$(html_text <<<"$OUT")"

CASE="the monthly report in English: no Chinese but the users' text"
for format in text markdown html; do
  run en report "${period[@]}" --format "$format"
  expect_rc 0
  english_only "report --format $format" "$OUT"
done
run en report "${period[@]}" --format text
expect_out "Findings"; expect_out "[recurring] recurring:mail:email"
expect_out "3 email incidents on mail in the period"

CASE="report --compare names the changed figures in the operator's words, not by JSON path"
run zh report "${period[@]}" --compare
expect_rc 0; expect_out "与上一时段相比的变化"; expect_out "故障 › 总数"
chinese_only "report --compare" "$OUT"
run en report "${period[@]}" --compare
expect_rc 0; expect_out "Incidents › total"; expect_no_out "incidents.total"
english_only "report --compare" "$OUT"

CASE="JSON and CSV reports are byte for byte the same in both languages, to a file too"
for format in json csv; do
  english=$(en report "${period[@]}" --format "$format"; echo "rc=$?")
  chinese=$(zh report "${period[@]}" --format "$format"; echo "rc=$?")
  if [ "$english" == "$chinese" ]; then ok; else
    fail "$format differs: $(diff <(echo "$english") <(echo "$chinese") | head -5)"; fi
  grep -q '"suggestion": "3 email incidents\|suggestion,3 email incidents' <<<"$english" && ok ||
    fail "$format: the suggestion is not English: ${english:0:300}"
  zh report "${period[@]}" --format "$format" -o "$HOME/zh.$format"
  if [ "$(cat "$HOME/zh.$format"; echo "rc=0")" == "$english" ]; then ok; else fail "$format -o differs"; fi
done

CASE="report -o FILE follows the store's language; the terminal the operator's"
sed -i 's/^language: .*/language: zh-CN/' opsflow.yaml && git commit -qam "language zh-CN"
en report "${period[@]}" --format html -o "$HOME/store.html"
expect_file_has "$HOME/store.html" '<html lang="zh-CN">'
chinese_only "report -o FILE in the store's language" "$(html_text <"$HOME/store.html")"
run en report "${period[@]}" --format text
english_only "report on the terminal in the operator's language" "$OUT"

CASE="an improvement started from a finding states it in the store's language, without advice"
run en improve new "减少邮件故障" --finding recurring:mail:email --target -20% --at "2026-04-01 09:00"
expect_rc 0
I=$OUT
run en improve show "$I"
expect_out "报表发现项 recurring:mail:email（2026-03-02 至 2026-04-01）："
expect_out "个 email 类故障发生在 mail 上。"
expect_no_out "请找出共同的根本原因"
sed -i 's/^language: .*/language: en/' opsflow.yaml && git commit -qam "language en"

CASE="help pages in both languages: report --help, ticket new --help"
run zh report --help
expect_out "一段时间的服务数据及其反映的问题"
chinese_only "report --help" "$OUT"
run en report --help
expect_out "Service figures of a period"
english_only "report --help" "$OUT"
run zh ticket new --help
expect_out "登记用户的问题"
# What stays: the argument's and the placeholders' names, the channels typed, the examples.
chinese_only "ticket new --help" "$OUT" "SUBJECT now YYYY HH MM MM' id ticket phone email monitoring walk in other"
run en ticket new --help
expect_out "Record a user's question"
english_only "ticket new --help" "$OUT"
# The verbs, the statuses of the lifecycle and the examples' own text are typed as they are.
declare -A typed=(
  [ticket]="new analyze answer close reopen note escalate show list analyzing answered closed id How do I reset my password Bob Use https"
  [survey]="send record import list id score comment answered_at clear answer' survey auto_send"
  [improve]="new start done evaluate cancel show list proposed in_progress implemented evaluated id Faster fixes'")
for group in ticket survey improve; do
  run zh "$group" --help
  chinese_only "$group --help" "$OUT" "${typed[$group]}"
  run en "$group" --help
  english_only "$group --help" "$OUT"
done

finish
