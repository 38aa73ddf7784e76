#!/usr/bin/env bash
# Differential test of every CSV opsflow writes (incident and ticket lists, export):
# read back by Python's csv module (tests/e2e/csv_diff.py) and compared cell by
# cell with the JSON opsflow writes for the same records, on records whose text
# holds what breaks naive CSV: commas, quotes, line breaks, leading = and -, CJK.
. "$(dirname "$0")/lib.sh"
new_store
at() { of -q "$@" >/dev/null || echo "setup failed: $*" >&2; }
I1=$(of incident new 'Mail down, "again", for 财务部' --service mail --category email --impact high --urgency low \
  --reporter '"Chen, Jing" <chen@example.com>' --description $'line one\nline "two", with a comma\n=SUM(A1:A9)' --at "2026-03-02 09:00")
at incident assign "$I1" --to lisi --at "2026-03-02 09:10"
at incident fix "$I1" --cause '-cause, with a dash' --resolution $'restarted\nthe relay' --at "2026-03-02 10:00"
I2=$(of incident new '=HYPERLINK("http://example.com","x")' --service vpn --category network --reporter '+86 138 0013 8000' --at "2026-03-03 09:00")
at incident hold "$I2" --reason 'waiting, "vendor"' --at "2026-03-03 09:30"
T1=$(of ticket new '如何配置 VPN，"客户端"？' --requester 'Ann <ann@example.com>' --service vpn --category network \
  --question $'error 809,\nthen "timeout"' --at "2026-03-02 11:00")
at ticket answer "$T1" --answer $'Use 4.2,\nnot "4.1".' --no-notify --at "2026-03-02 12:00"
# What spreadsheets run as formulas, from any emailer (R5): = + - @, full-width ＝, and
# text already behind a quote (which must survive the export -> import round trip).
I3=$(of incident new '＝1+2 full-width' --service vpn --category network --reporter '-2+3+cmd|x <m@example.com>' --at "2026-03-04 09:00")
at incident note "$I3" --text '@SUM(1+1)*cmd|x' --at "2026-03-04 09:05"
T2=$(of ticket new "+cmd|' /C calc'!A0" --requester '=cmd|x <csv1@example.com>' --question '=1+2' --at "2026-03-04 10:00")
T3=$(of ticket new "'=already quoted" --requester 'Bob <bob@example.com>' --question "''@twice" --at "2026-03-04 10:30")
dir=$(mktemp -d); TMP_ROOTS+=("$dir")
compare() { # CASE-NAME CSV-COMMAND... -- JSON-COMMAND...
  local name=$1; shift
  CASE="$name"
  local csv_cmd=() json_cmd=()
  while [ "$1" != "--" ]; do csv_cmd+=("$1"); shift; done; shift
  json_cmd=("$@")
  of "${csv_cmd[@]}" > "$dir/out.csv" || fail "${csv_cmd[*]} failed"
  of "${json_cmd[@]}" > "$dir/out.json" || fail "${json_cmd[*]} failed"
  run /usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/csv_diff.py" "$dir/out.csv" "$dir/out.json"
  expect_rc 0
}
compare "incident list: CSV and JSON agree" incident list --format csv -- incident list --json
compare "ticket list: CSV and JSON agree" ticket list --format csv -- ticket list --format json
compare "export of incidents: CSV and JSON lines agree" export --kind incident --format csv -- export --kind incident --format jsonl
compare "export of tickets: CSV and JSON lines agree" export --kind ticket --format csv -- export --kind ticket --format jsonl

CASE="CSV cells that a spreadsheet would run get a leading ' (OWASP)"
run of ticket list --format csv; expect_rc 0
expect_out "$T2,'+cmd|' /C calc'!A0,new,'=cmd|x <csv1@example.com>,"
expect_out "$T3,''=already quoted,new,Bob <bob@example.com>,"
run of incident list --format csv; expect_rc 0
expect_out "$I3,'＝1+2 full-width,"; expect_out ",'-2+3+cmd|x <m@example.com>,"
expect_out "\"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\""
run of export --kind ticket --format csv; expect_rc 0
expect_out ",'=1+2,"; expect_out ",'''@twice,"

CASE="export -> import of defused CSV is byte-identical"
for kind in incident ticket; do
  of export --kind $kind --format csv -o "$dir/$kind.csv" || fail "export $kind"
done
of init "$dir/copy" --timezone Asia/Shanghai >/dev/null
cp team.yaml services.yaml opsflow.yaml "$dir/copy/"; git -C "$dir/copy" add -A; git -C "$dir/copy" commit -qm settings
for kind in incident ticket; do
  run of -C "$dir/copy" import --kind $kind "$dir/$kind.csv"; expect_rc 0
done
expect_eq "$(cd "$dir/copy" && find incidents tickets -name '*.yaml' -exec sha1sum {} + | sort)" \
          "$(find incidents tickets -name '*.yaml' -exec sha1sum {} + | sort)"
finish
