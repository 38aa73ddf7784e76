#!/usr/bin/env bash
# Language (SPEC §10), the operator's side of a whole incident lifecycle: with
# LANG=zh_CN.UTF-8 every confirmation, refusal with its hint, table and record view is
# Chinese (no English left but IDs, commands, options and the users' own words); with
# LANG=C the same run is English with no Chinese but the users' own words.
. "$(dirname "$0")/lib.sh"
src=$OPSFLOW_SOURCE

# The users' own words in the scenario, which stay as they were typed.
user_words="VPN down Bob lisi wangwu chen vpn mail network P1 P2 P3 certificate expired
            Restarted the gateway Connect again Chen Jing vendor E2E Test
            huge x tomorrow lsi nonexistent high medium low auto always never now INC"

# no_english TEXT: fails, naming the words, when TEXT has English beyond the users' own.
no_english() {
  local left
  if left=$(python3 "$src/tests/e2e/english_left.py" --allow "$user_words" <<<"$1"); then ok
  else fail "English left in: $1 -- words: $(tr '\n' ' ' <<<"$left")"; fi
}
# no_chinese TEXT: fails when TEXT has Chinese (the scenario's own words are ASCII).
no_chinese() {
  if grep -qP '[\p{Han}，。：（）「」]' <<<"$1"; then fail "Chinese in English output: $1"; else ok; fi
}

# lifecycle LANG: a whole incident lifecycle with its refusals; prints everything the
# operator saw (stdout and stderr of every command) and checks the exit codes.
lifecycle() {
  local lang=$1 i j
  new_store
  say() { env LANG="$lang" "$OPSFLOW_BIN" "$@" 2>&1; }
  i=$(env LANG="$lang" "$OPSFLOW_BIN" -q incident new "VPN down" --service vpn --category network \
        --impact high --urgency high --reporter "Bob <bob@example.com>" --at "2026-03-02 09:00")
  say incident assign "$i" --to lisi --at "2026-03-02 09:05"
  run env LANG="$lang" "$OPSFLOW_BIN" incident close "$i" --feedback x;     expect_rc 4; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident fix "$i" --resolution x;     expect_rc 4; echo "$ERR"
  say incident diagnose "$i" --cause "certificate expired" --at "2026-03-02 09:30"
  say incident fix "$i" --resolution "Restarted the gateway" --at "2026-03-02 10:00"
  say incident verify "$i" --passed --at "2026-03-02 10:30"
  say incident close "$i" --feedback "Connect again" --no-notify --at "2026-03-02 10:40"
  run env LANG="$lang" "$OPSFLOW_BIN" incident assign "$i" --to lisi;     expect_rc 4; echo "$ERR"
  j=$(env LANG="$lang" "$OPSFLOW_BIN" -q incident new "mail" --service mail --impact low \
        --urgency low --at "2026-03-03 09:00")
  say incident hold "$j" --reason "vendor" --at "2026-03-03 10:00"
  run env LANG="$lang" "$OPSFLOW_BIN" incident hold "$j" --reason again;  expect_rc 4; echo "$ERR"
  say incident resume "$j" --at "2026-03-03 11:00"
  say incident cancel "$j" --reason "mail" --at "2026-03-03 12:00"
  say incident show "$i"
  say incident list
  # Refusals of every kind: usage, not found, validation, a time in the future.
  run env LANG="$lang" "$OPSFLOW_BIN" incident show;                       expect_rc 2; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident show INC-zz;                expect_rc 2; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident show INC-0000;              expect_rc 3; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident show "${i/INC/MNT}";        expect_rc 3; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident new T --impact huge;       expect_rc 5; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident assign "$j" --to;          expect_rc 2; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident list --bogus;              expect_rc 2; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" --color x incident list;            expect_rc 2; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident new T --at "2099-01-01";   expect_rc 2; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident new T --at "tomorrow";     expect_rc 2; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident new T --assign lsi;        expect_rc 5; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" incident;                           expect_rc 2; echo "$ERR"
  run env LANG="$lang" "$OPSFLOW_BIN" -C /nonexistent incident list;      expect_rc 3; echo "$ERR"
}

CASE="a Chinese operator's incident lifecycle has no English sentence"
zh=$(lifecycle zh_CN.UTF-8)
no_english "$zh"
for text in "已指派给 lisi" "已找到原因" "已解决" "验证通过" "已关闭" "已挂起：vendor" "已恢复（新建）" \
            "（运行：opsflow incident fix" "无法对 INC-" "执行「指派」" "它的状态是「已关闭」" \
            "状态" "优先级" "P1（影响程度 高，紧急程度 高）" "处理人" "历史：" "操作人" "诊断" \
            "编号" "标题" "不是记录编号" "记录库中没有故障" "缺少 ID" "多余的参数：--bogus" \
            "--at 2099-01-01" "在将来" "未知的影响 'huge'" "可用的影响：high, medium, low" \
            "未知的人员 'lsi'（是否想输入 'lisi'？）" "缺少子命令" "不是 opsflow 记录库"; do
  grep -qF -- "$text" <<<"$zh" && ok || fail "the Chinese run lacks '$text'"
done

CASE="an English operator's lifecycle has no Chinese, and its messages are unchanged"
en=$(lifecycle C)
no_chinese "$en"
for text in "assigned to lisi" "cause found" "verification passed" "on hold: vendor" \
            "cannot assign INC-" "it is 'closed', already closed" "(run: opsflow incident reopen" \
            "STATUS" "History:" "is not a record ID" "no incident INC-0000 in this store" \
            "ID is required" "unknown impact 'huge'" "known impacts: high, medium, low" \
            "(did you mean 'lisi'?)" "A subcommand is required" "is in the future"; do
  grep -qF -- "$text" <<<"$en" && ok || fail "the English run lacks '$text'"
done

CASE="the commit messages are English whatever the operator's language"
new_store
id=$(env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" -q incident new "VPN down" --service vpn --at "2026-03-02 09:00")
env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" -q incident assign "$id" --to lisi --at "2026-03-02 09:05"
expect_eq "$(git log -1 --format=%s)" "incident $id: assigned to lisi"

CASE="a Chinese table stays aligned: columns start at the same display column"
new_store
env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" -q incident new "VPN 无法连接" --service vpn --at "2026-03-02 09:00" >/dev/null
env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" -q incident new "Mail slow" --service mail --at "2026-03-02 09:10" >/dev/null
table=$(env LANG=zh_CN.UTF-8 COLUMNS=200 "$OPSFLOW_BIN" incident list)
columns=$(python3 -c '
import sys, unicodedata
def width(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = sys.stdin.read().splitlines()
starts = {width(line[:line.index("报告时间" if n == 0 else "2026-")]) for n, line in enumerate(lines)}
print(len(starts))' <<<"$table")
expect_eq "$columns" "1"
head -1 <<<"$table" | grep -q "^编号 " && ok || fail "heading: $(head -1 <<<"$table")"

finish
