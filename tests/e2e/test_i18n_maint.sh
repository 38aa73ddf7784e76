#!/usr/bin/env bash
# Language (SPEC §10) of maintenance windows, notices and SLA warnings: the same scenario
# under a Chinese and an English locale. The Chinese operator reads Chinese confirmations,
# refusals, table headings and help; the English one reads no Chinese but the users' own
# text; the commit messages are English under both.
. "$(dirname "$0")/lib.sh"
src=$OPSFLOW_SOURCE
soon=$(date -d '+10 days' '+%Y-%m-%d')
later=$(date -d '+20 days' '+%Y-%m-%d')
# What stays Latin in a Chinese transcript: the users' own text (titles, notes, reasons),
# values of the data (service ids, logins, the transport's name), the rule the operator
# typed, the commands named (`start`, `notices retry`), the priority (P2: english_left.py
# reads the word `P`), and a failed delivery's
# error as the record keeps it (`sendmail exited with 75: mail queue full`).
allow="Mail upgrade DB patch Gateway swap Mail slow Upgraded Fine Vendor delay mail wangwu
       sendmail FREQ WEEKLY BYMONTHDAY start notify notices retry P exited with queue full"

# zh: whether the scenario runs under the Chinese locale.
zh() { [ "$L" = zh_CN.UTF-8 ]; }
# say EN ZH: the text expected in the scenario's language.
say() { if zh; then printf '%s' "$2"; else printf '%s' "$1"; fi; }
# t ARGS...: runs opsflow under the scenario's locale; everything it prints is kept in $SEEN.
t() {
  run env LANG="$L" "$OPSFLOW_BIN" "$@"
  SEEN+="$OUT"$'\n'"$ERR"$'\n'
}

# scenario LOCALE: a maintenance lifecycle, a refusal of each kind, notices delivered and
# retried, and SLA warnings, in a store whose language follows the operator's.
scenario() {
  L=$1 SEEN=""
  new_store
  bin=$(mktemp -d); TMP_ROOTS+=("$bin")
  printf '#!/bin/sh\n[ -e "%s/fail" ] && { echo "mail queue full" >&2; exit 75; }\ncat >/dev/null\n' \
    "$bin" > "$bin/sendmail"
  chmod +x "$bin/sendmail"
  sed -i "s#^  transport: none.*#  transport: sendmail\n  sendmail: [$bin/sendmail]#" opsflow.yaml
  zh && sed -i 's/^language: .*/language: zh-CN/' opsflow.yaml
  git commit -qam "sendmail transport, the department's language"

  CASE="$L: plan prints the ID; an overlap is a warning, or a refusal with --strict"
  t maint plan "Mail upgrade" --start "$soon 22:00" --duration 4h --services mail --impact "No mail"
  expect_rc 0; A=$OUT
  t maint plan "DB patch" --start "$soon 23:00" --duration 2h --services mail
  expect_rc 0; expect_err "$(say "warning: overlaps $A 'Mail upgrade'" "警告：与 $A「Mail upgrade」（")"
  expect_err "$(say ") on mail" "），服务：mail 时间重叠")"
  t maint plan "DB patch" --start "$soon 23:00" --duration 2h --services mail --strict
  expect_rc 4
  expect_err "$(say "the window overlaps 2 other window(s) on the same service" \
                    "此维护窗口与同一服务的 2 个其他维护窗口时间重叠")"
  expect_err "$(say "(plan it without --strict to accept the overlap)" "（如接受重叠，请不加 --strict 重新计划）")"

  CASE="$L: an RRULE that RFC 5545 forbids is refused"
  t maint plan "Gateway swap" --start "$later 22:00" --duration 1h --services vpn \
    --recurrence "FREQ=WEEKLY;BYMONTHDAY=1"
  expect_rc 2
  expect_err "$(say "--recurrence: 'FREQ=WEEKLY;BYMONTHDAY=1' is not allowed by RFC 5545: BYMONTHDAY is not for FREQ=WEEKLY" \
                    "--recurrence：RFC 5545 不允许 'FREQ=WEEKLY;BYMONTHDAY=1'：BYMONTHDAY 不能用于 FREQ=WEEKLY")"

  CASE="$L: notify, start, done, evaluate confirm in the operator's language"
  t maint notify "$A"
  expect_rc 0; expect_out "$(say "$A: notice recorded" "$A：通知已记录")"
  expect_out "$(say "$A: delivered by sendmail to 1 recipient(s)" "$A：已经 sendmail 投递给 1 位收件人")"
  expect_eq "$(git log -1 --format=%s)" "maintenance $A: notice delivered to 1 recipient"
  expect_eq "$(git log -2 --format=%s | tail -1)" "maintenance $A: notice to 1 recipient(s)"
  t maint start "$A"
  expect_rc 0; expect_out "$(say "$A: started" "$A：已开始")"
  t maint done "$A" --result completed
  expect_rc 4
  expect_err "$(say "cannot finish $A: a finished window records what was done" \
                    "无法结束 $A：结束的维护窗口须记录所做的工作和更新了哪些文档")"
  t maint done "$A" --result completed --notes "Upgraded"
  expect_rc 0; expect_out "$(say "$A: done: completed" "$A：已结束：已完成")"
  expect_eq "$(git log -1 --format=%s)" "maintenance $A: done: completed"
  t maint evaluate "$A" --rating 4 --notes "Fine" --window 7d
  expect_rc 4
  expect_err "$(say "cannot evaluate $A yet: the 7 days after it ended run until" \
                    "还不能评估 $A：结束后的 7 天要到")"
  t maint evaluate "$A" --rating 4 --notes "Fine" --window 7d --partial
  expect_rc 0
  expect_out "$(say "$A: evaluated: rating 4, incidents per 30 days 0.0 before, 0.0 after (partial: 0.0 of 7 days)" \
                    "$A：已评估：评分 4，每 30 天故障数：维护前 0.0，维护后 0.0（部分评估：已观察 0.0 天，共 7 天）")"
  expect_eq "$(git log -1 --format=%s)" "maintenance $A: evaluated: rating 4, incidents per 30 days 0.0 before, 0.0 after (partial: 0.0 of 7 days)"
  t maint evaluate "$A" --rating 9
  expect_rc 2; expect_err "$(say "--rating: 9 is not from 1 to 5" "--rating：9 不在 1 到 5 之间")"

  CASE="$L: a cancelled window cannot start; the refusal names its status and why"
  t maint plan "Gateway swap" --start "$later 22:00" --duration 1h --services vpn
  expect_rc 0; B=$OUT
  t maint cancel "$B" --reason "Vendor delay"
  expect_rc 0; expect_out "$(say "$B: cancelled" "$B：已取消")"
  expect_eq "$(git log -1 --format=%s)" "maintenance $B: cancelled: Vendor delay"
  t maint start "$B"
  expect_rc 4
  expect_err "$(say "cannot start $B: it is 'cancelled', cancelled, which is final" \
                    "无法对 $B 执行「开始」：它的状态是「已取消」，已取消，不能再变更")"
  t maint notify "$B"
  expect_rc 4
  expect_err "$(say "cannot notify $B: it is 'cancelled'" "无法对 $B 执行「通知」：它的状态是「已取消」")"

  CASE="$L: a failed delivery, then notices retry"
  t maint plan "Gateway swap" --start "$later 23:00" --duration 1h --services vpn
  C=$OUT
  touch "$bin/fail"
  t maint notify "$C"
  expect_rc 1
  expect_err "$(say "delivery of the notice for $C by sendmail failed" "$C 的通知经 sendmail 投递失败")"
  expect_err "$(say "retry with: opsflow maint notify $C" "重试：opsflow maint notify $C")"
  rm "$bin/fail"
  t notices retry "${C#MNT-}"
  expect_rc 2
  expect_err "$(say "notices retry needs the full kind prefix" "notices retry 需要带类型前缀的完整 ID")"
  t notices retry "$C"
  expect_rc 0; expect_out "$(say "$C: notice delivered by sendmail to 1 recipient(s)" \
                                  "$C：通知已经 sendmail 投递给 1 位收件人")"
  t notices retry "$C"
  expect_rc 0; expect_out "$(say "$C: no notice waits for delivery" "$C：没有等待投递的通知")"

  CASE="$L: sla watch: headings, stage and time left; --notify confirms each warning"
  I=$(of incident new "Mail slow" --service mail --impact high --urgency medium --at "2026-03-05 09:00")
  t sla watch --now "2026-03-05 09:20"
  expect_rc 0
  expect_out "$(say "STAGE" "环节")"; expect_out "$(say "DEADLINE" "时限")"
  expect_out "$(say "ASSIGNEE" "处理人")"
  expect_out "$(say "respond" "响应")"; expect_out "$(say "10m" "10分钟")"
  t sla watch --now "2026-03-05 11:25"
  expect_out "$(say -1h55m "-1小时55分")"
  t sla watch --now "2026-03-05 09:20" --notify
  expect_rc 0
  expect_out "$(say "$I: SLA respond warning (due soon) sent" "$I：已发送 SLA 响应时限预警（即将到期）")"
  expect_out "$(say "$I: notice delivered by sendmail to 1 recipient(s)" "$I：通知已经 sendmail 投递给 1 位收件人")"
  expect_eq "$(git log -2 --format=%s | tail -1)" "incident $I: SLA respond warning (due soon) sent"

  CASE="$L: the help of maint plan"
  run env LANG="$L" "$OPSFLOW_BIN" maint plan --help
  expect_rc 0
  expect_out "$(say "Plan a maintenance window (prints the new ID)" "计划维护窗口（输出新记录的 ID）")"
  expect_out "$(say "Refuse a window that overlaps another on the same service" \
                    "与同一服务的其他维护窗口时间重叠时拒绝")"
  HELP=$(sed '/^\(Example:\|示例：\)/,$d' <<<"$OUT")   # the example is a command: not translated
}

scenario zh_CN.UTF-8
CASE="zh_CN: no English left in what the operator read"
if left=$(python3 "$src/tests/e2e/english_left.py" --allow "$allow" <<<"$SEEN"); then ok
else fail "English left: $(sort -u <<<"$left" | tr '\n' ' ')"; fi
# The help page but its example; what stays is the syntax of values: durations (4h), the
# rule (FREQ=...), times ('YYYY-MM-DD HH:MM', now) and the `id` field of services.yaml.
if left=$(python3 "$src/tests/e2e/english_left.py" \
            --allow "TITLE h m d h30m FREQ MONTHLY BYDAY SA YYYY HH MM' now id" <<<"$HELP"); then ok
else fail "English left in maint plan --help: $(sort -u <<<"$left" | tr '\n' ' ')"; fi

scenario C.UTF-8
CASE="C: no Chinese in what the operator read (the users' text is ASCII here)"
if han=$(grep -P '\p{Han}' <<<"$SEEN$HELP"); then fail "Chinese in English output: ${han:0:300}"; else ok; fi

finish
