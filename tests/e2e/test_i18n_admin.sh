#!/usr/bin/env bash
# Language (SPEC §10) of the store's housekeeping: check, init, import, log, mail
# receive, completion and the man page say everything in the operator's language,
# Chinese under a Chinese locale and English otherwise; what scripts read (check's
# JSON, commit messages) is the same in both.
. "$(dirname "$0")/lib.sh"
src=$OPSFLOW_SOURCE
build=$(dirname "$OPSFLOW_BIN")
zh() { env LANG=zh_CN.UTF-8 "$OPSFLOW_BIN" "$@"; }
en() { env LANG=C "$OPSFLOW_BIN" "$@"; }
# no_english_left WORDS...: $OUT$ERR has no English but these words (the user's own text,
# field names and values of the data).
no_english_left() {
  local args=() w left
  for w in "$@"; do args+=(--allow "$w"); done
  if left=$(printf '%s\n%s\n' "$OUT" "$ERR" | python3 "$src/tests/e2e/english_left.py" "${args[@]}"); then ok
  else fail "English left: $(tr '\n' ' ' <<<"$left")"; fi
}
# no_chinese ALLOWED_REGEX: $OUT$ERR has no Chinese but what matches (user text).
no_chinese() {
  local han
  han=$(printf '%s\n%s\n' "$OUT" "$ERR" | grep -oP '\p{Han}+' | grep -vxE "${1:-^$}" || true)
  if [ -z "$han" ]; then ok; else fail "Chinese in English output: $(tr '\n' ' ' <<<"$han")"; fi
}

new_store
at() { of -q "$@" >/dev/null || echo "setup failed: $*" >&2; }
A=$(of incident new "VPN 无法连接" --service vpn --category network --impact high --urgency high \
      --at "2026-03-02 09:00")
B=$(of incident new "Mail slow" --service mail --category email --impact low --urgency low \
      --at "2026-03-02 10:00")
fa=$(record_file "$A"); fb=$(record_file "$B")
sed -i 's/^service: vpn$/service: fax/' "$fa"
sed -i 's/^reported_at: .*/reported_at: yesterday/' "$fb"   # edited by hand, not committed

CASE="check: the findings in Chinese, each naming file:line:column"
run zh check
expect_rc 5
expect_out "$fa:"; expect_out "错误：服务 'fax' 不在 services.yaml 中"
expect_out "错误：service 为 'fax'，但事件记载为 'vpn'"
expect_out "$fb:"; expect_out "错误：'yesterday' 不是RFC 3339 时间"
grep -qE "^$fa:[0-9]+:[0-9]+: 错误：" <<<"$OUT" && ok || fail "no file:line:column: $OUT"
expect_err "已检查 5 个文件：3 个错误，0 个警告"
no_english_left "fax' vpn' report' yesterday' service"
run en check
expect_rc 5
expect_out "error: service 'fax' is not in services.yaml"
expect_out "error: 'yesterday' is not an RFC 3339 time"
expect_err "checked 5 files: 3 errors, 0 warnings"
no_chinese
run zh check --help
expect_out "检查记录和设置"; expect_out "（预提交钩子运行的就是它）"
no_english_left
run en check --help
expect_out "Check records and settings"; no_chinese

CASE="check --format json: the same bytes in both languages, whatever the cache holds"
english=$(en check --format json 2>&1; echo "rc=$?")
chinese=$(zh check --format json 2>&1; echo "rc=$?")
expect_eq "$chinese" "$english"
grep -q '"message": "service '"'"'fax'"'"' is not in services.yaml"' <<<"$english" && ok || fail "json: $english"
# The Chinese and English verdicts are cached apart: neither shows through the other.
run zh check; expect_out "错误：服务 'fax'"
run en check; expect_out "error: service 'fax'"; no_chinese
ls .opsflow/check-cache .opsflow/check-cache.zh-CN >/dev/null && ok || fail "no cache per language"

CASE="the requirements of a status, reported by check in Chinese"
git checkout -q -- .
sed -i 's/^status: new$/status: closed/' "$(record_file "$B")"
run zh check; expect_rc 5
expect_out "错误：已关闭的故障没有解决方案"
run en check; expect_out "error: a closed incident has no resolution"
git checkout -q -- .

CASE="init on an existing store is refused, in the operator's language"
run zh init .
expect_rc 4; expect_err "已经是 opsflow 记录库（其中有 opsflow.yaml）"
no_english_left
run en init .
expect_rc 4; expect_err "is already an opsflow store (it has opsflow.yaml)"; no_chinese
d=$(mktemp -d); TMP_ROOTS+=("$d")
run zh init "$d/new"
expect_rc 0; expect_out "已在 $d/new 中初始化 opsflow 记录库（新建 git 仓库）"
expect_eq "$(git -C "$d/new" log -1 --format=%s)" "store: initialise opsflow store"
run zh init --help; expect_out "创建记录库"
no_english_left "cd ops records down' high clone host"   # the example commands

CASE="import: a bad CSV refused naming each line, a good one confirmed"
in=$(mktemp -d); TMP_ROOTS+=("$in")
printf 'title,reported_at,impact,service\nGood row,2026-03-05 09:00,high,mail\nBad service,2026-03-05 09:00,high,fax\nToo,many,fields,here,really\n' > "$in/bad.csv"
snapshot
run zh import --kind incident "$in/bad.csv"
expect_rc 5
expect_err "2 行有误（$in/bad.csv）；未导入任何记录"
expect_err "bad.csv:3: 服务 'fax' 不在 services.yaml 中"
expect_err "bad.csv:4: 有 5 个字段，但表头有 4 个"
no_english_left "fax'"
expect_unchanged
run en import --kind incident "$in/bad.csv"
expect_rc 5; expect_err "2 bad rows in $in/bad.csv; nothing was imported"
expect_err "bad.csv:4: 5 fields, but the header has 4"; no_chinese
printf 'title,reported_at,impact,urgency,service\nPrinter jam,2026-03-05 09:00,low,low,mail\nDisk full,2026-03-05 10:00,high,high,vpn\n' > "$in/good.csv"
run zh import --kind incident "$in/good.csv"
expect_rc 0; expect_eq "$(wc -l <<<"$OUT")" "2"
expect_err "已导入 2 条故障记录，来自 good.csv"
no_english_left
expect_eq "$(git log -1 --format=%s)" "incident $(head -1 <<<"$OUT"): imported 2 incident records from good.csv"
run zh import --kind incident "$in/good.csv" --dry-run
expect_rc 0; expect_err "试运行：2 行无误；未写入任何内容"
run en import --kind incident "$in/good.csv" --dry-run
expect_err "dry run: 2 rows are good; nothing was written"; no_chinese
# The format's name, and the values of --kind and --format.
run zh import --help; expect_out "从其他系统导入记录"
no_english_left Lines incident ticket maintenance improvement problem article jsonl
run zh export --help; expect_out "导出某一类型的全部记录"
no_english_left Lines incident ticket maintenance improvement problem article jsonl

CASE="log: the headings in the operator's language, the history (commit messages) as it is"
run zh log "$A"
expect_rc 0
head -1 <<<"$OUT" | grep -qE '^日期 +提交 +作者 +操作 +内容$' && ok || fail "headings: $(head -1 <<<"$OUT")"
expect_out "reported"   # the commit subject, in English like every commit message
run en log "$A"
head -1 <<<"$OUT" | grep -qE '^DATE +COMMIT +AUTHOR +ACTION +WHAT$' && ok || fail "headings: $(head -1 <<<"$OUT")"
no_chinese "无法连接"
english=$(en log "$A" --json); chinese=$(zh log "$A" --json)
expect_eq "$chinese" "$english"
run zh log --help; expect_out "从 git 查看记录的历史"; no_english_left

CASE="mail receive --dry-run: what would happen, in the operator's language"
cat >> opsflow.yaml <<'YAML'
mail:
  address: [ops@example.com]
YAML
git commit -qam "mail settings"
msg=$(printf 'From: Carol <carol@example.com>\nTo: ops@example.com\nSubject: Printer\nMessage-ID: <p-1@example.com>\n\nIt jams.\n')
snapshot
OUT=$(zh mail receive --dry-run <<<"$msg" 2>/tmp/err.$$); RC=$?; ERR=$(cat /tmp/err.$$); rm -f /tmp/err.$$
expect_rc 0
grep -qE '^试运行：TKT-[0-9a-f]+：通过邮件接收，发件人 carol@example.com$' <<<"$OUT" && ok || fail "mail: $OUT"
no_english_left
expect_unchanged
OUT=$(en mail receive --dry-run <<<"$msg" 2>&1)
grep -qE '^dry run: TKT-[0-9a-f]+: received by email from carol@example.com$' <<<"$OUT" && ok || fail "mail: $OUT"
ERR=""; no_chinese
auto=$(printf 'From: ops@example.com\nTo: ops@example.com\nSubject: Loop\nMessage-ID: <p-2@example.com>\n\nx\n')
OUT=$(zh mail receive --dry-run <<<"$auto" 2>&1)
expect_out "（未发送确认：自动发送的邮件（发件人是我们自己的地址之一））"
run zh mail receive --help; expect_out "从标准输入接收一封邮件"; no_english_left procmail fetchmail

CASE="completion --help in the operator's language"
run zh completion --help
expect_rc 0; expect_out "输出 shell 补全脚本"; expect_out "（写在 ~/.bashrc 中）"
no_english_left shell SHELL source bash zsh fish fpath bashrc
run en completion --help
expect_out "Print a shell completion script"; no_chinese

CASE="the Simplified Chinese man page is built beside the English one and renders"
man_zh=$build/generated/opsflow.zh_CN.1
if [ -s "$man_zh" ]; then ok; else fail "no $man_zh"; fi
expect_file_has "$man_zh" ".SH 名称"; expect_file_has "$man_zh" ".SH 退出状态"
expect_file_has "$man_zh" '.SS "opsflow incident assign ID"'
expect_file_has "$man_zh" "检查记录和设置"
expect_eq "$(grep -c '^\.SS' "$man_zh")" "$(grep -c '^\.SS' "$build/generated/opsflow.1")"
expect_eq "$(of --lang zh-CN __manpage)" "$(cat "$man_zh")"
if command -v man >/dev/null; then
  run env MANWIDTH=100 LANG=C.UTF-8 man -l "$man_zh"
  expect_rc 0; expect_out "退出状态"
  grep -q "warning" <<<"$ERR" && fail "man warns: $ERR" || ok
fi
# (Some examples of the English page have Chinese titles: users' text.)
OUT=$(grep -E '^\.(SH|TH|TP)' "$build/generated/opsflow.1"); ERR=""; no_chinese

CASE="every pattern description of the schemas is in the catalogue"
python3 - "$src" <<'PY' && ok || fail "a schema description is not marked in src/core/record/schema_words.cpp"
import json, pathlib, sys
src = pathlib.Path(sys.argv[1])
marked = (src / "src/core/record/schema_words.cpp").read_text()
missing = []
def walk(node):
    if isinstance(node, dict):
        if "pattern" in node and "description" in node and f'N_("{node["description"]}")' not in marked:
            missing.append(node["description"])
        for v in node.values(): walk(v)
    elif isinstance(node, list):
        for v in node: walk(v)
for f in (src / "schemas").glob("*.schema.json"):
    walk(json.loads(f.read_text()))
print("\n".join(missing), file=sys.stderr)
sys.exit(1 if missing else 0)
PY

finish
