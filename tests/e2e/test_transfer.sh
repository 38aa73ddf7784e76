#!/usr/bin/env bash
# import and export: a file from another system, a file with bad rows (nothing
# written), an export -> import round trip that is byte-identical, and --redact.
. "$(dirname "$0")/lib.sh"
new_store
in=$(mktemp -d); TMP_ROOTS+=("$in")   # input files, outside the store
at() { of -q "$@" >/dev/null || echo "setup failed: $*" >&2; }

CASE="import a CSV from another helpdesk: one commit, IDs printed, records complete"
cat > "$in/helpdesk.csv" <<'CSV'
title,reported_at,impact,urgency,service,category,reporter,channel,description
Mail bounces,2026-03-02 09:00,high,high,mail,email,"Ann Lee <ann@example.com>",email,"Bounces since 8:00, ""550"" errors"
VPN slow,2026-03-03T10:15:00+08:00,low,medium,vpn,network,Bob,phone,
CSV
printf 'id,title,reported_at\nINC-0000abcd,Kept ID,2026-03-04 08:00\n' > "$in/kept.csv"
before=$(commits)
run of import --kind incident "$in/helpdesk.csv"
expect_rc 0
expect_eq "$(wc -l <<<"$OUT")" "2"
expect_eq "$(commits)" "$((before + 1))"
expect_eq "$(git log -1 --format=%s)" "incident $(head -1 <<<"$OUT"): imported 2 incident records from helpdesk.csv"
expect_eq "$(git log -1 --format=%b | grep Opsflow-Action)" "Opsflow-Action: incident.import"
first=$(head -1 <<<"$OUT")
f=$(record_file "$first")
expect_eq "$f" "incidents/2026/03/$first.yaml"
expect_file_has "$f" "reported_at: 2026-03-02T09:00:00+08:00"
expect_file_has "$f" "priority: P1"; expect_file_has "$f" "status: new"
expect_file_has "$f" "action: import"; expect_file_has "$f" "respond_by:"
expect_eq "$(of incident show "$first" --json | jq -r .description)" 'Bounces since 8:00, "550" errors'
run of import --kind incident "$in/kept.csv"; expect_rc 0; expect_eq "$OUT" "INC-0000abcd"
run of check; expect_rc 0; expect_err "0 errors"

CASE="a file with bad rows: every bad row listed by line, nothing written"
cat > "$in/bad.csv" <<'CSV'
title,reported_at,impact,service
Good row,2026-03-05 09:00,high,mail
Unknown service,2026-03-05 09:00,high,fax
Bad impact,2026-03-05 09:00,huge,mail
"A title
over two lines",not a time,low,mail
Too,many,fields,here,really
Secret,2026-03-05 09:00,low,mail
CSV
sed -i 's/^Secret,/"password: hunter2",/' "$in/bad.csv"
snapshot
run of import --kind incident "$in/bad.csv"
expect_rc 5
expect_err "5 bad rows in $in/bad.csv; nothing was imported"
expect_err "bad.csv:3: service 'fax' is not in services.yaml"
expect_err "bad.csv:4:"; expect_err "'huge'"
expect_err "bad.csv:5:"; expect_err "not a time"
expect_err "bad.csv:7: 5 fields, but the header has 4"
expect_err "bad.csv:8: a password in a record"
expect_no_out "INC-"
expect_unchanged
printf 'title,reported_at,colour\nx,2026-03-05 09:00,red\n' > "$in/col.csv"
run of import --kind incident "$in/col.csv"; expect_rc 5; expect_err "col.csv:1: unknown column 'colour' for incident records"
printf 'id,title,reported_at\nINC-0000abcd,Again,2026-03-05 09:00\nINC-../../x,Path,2026-03-05 09:00\n' > "$in/ids.csv"
run of import --kind incident "$in/ids.csv"; expect_rc 5
expect_err "ids.csv:2: INC-0000abcd is already in the store"; expect_err "ids.csv:3: id 'INC-../../x' is not a valid ID for incident records"
printf 'id,title,reported_at\nINC-0000beef,A,2026-03-05 09:00\nINC-0000beef,B,2026-03-05 09:00\n' > "$in/twice.csv"
run of import --kind incident "$in/twice.csv"; expect_rc 5; expect_err "twice.csv:3: INC-0000beef is already in this file"
printf '{"title": "ok", "reported_at": "2026-03-05 09:00"}\n{not json\n%s\n[1,2]\n' "$(python3 -c "print('{\"title\":' + '[' * 100 + ']' * 100 + '}')")" > "$in/bad.jsonl"
run of import --kind incident "$in/bad.jsonl"; expect_rc 5
expect_err "bad.jsonl:2:"; expect_err "bad.jsonl:3: nesting deeper than 32 levels"; expect_err "bad.jsonl:4: a line must hold a JSON object"
expect_unchanged

CASE="--dry-run checks and prints, writes nothing"
printf 'subject,requester,received_at\nPrinter?,Carl <carl@example.com>,2026-03-05 10:00\n' > "$in/t.csv"
run of import --kind ticket "$in/t.csv" --dry-run
expect_rc 0; expect_out "TKT-"; expect_err "nothing was written"
expect_unchanged
run of import --kind incident nosuch.txt; expect_rc 2; expect_err "import reads .csv or .jsonl files"

CASE="export -> import round trip is byte-identical, in both formats"
I=$(of incident new "Disk full on 李雷's laptop" --service mail --category email --impact medium --urgency high --reporter "李雷 <lilei@example.com> 138-0013-8000" --at "2026-03-06 09:00")
at incident assign "$I" --to lisi --at "2026-03-06 09:10"
at incident diagnose "$I" --cause "logs" --at "2026-03-06 09:20"
at incident fix "$I" --resolution "rotated
and compressed" --at "2026-03-06 09:40"
at incident verify "$I" --passed --at "2026-03-06 10:00"
at incident close "$I" --feedback "告诉 李雷: fixed" --at "2026-03-06 10:10"
T=$(of ticket new "How do I share?" --requester "李雷 <lilei@example.com>" --service mail --at "2026-03-06 11:00")
at ticket answer "$T" --answer "Like this, 李雷" --no-notify --at "2026-03-06 11:30"
E=$(of ticket escalate "$T" --at "2026-03-06 11:40")
M=$(of maint plan "Patch" --start "2026-03-20 22:00" --duration 2h --services mail,vpn --owner wangwu --at "2026-03-06 12:00")
src=$PWD
d=$(mktemp -d); TMP_ROOTS+=("$d")
for fmt in jsonl csv; do
  of init "$d/$fmt" --timezone Asia/Shanghai >/dev/null
  cp team.yaml services.yaml opsflow.yaml "$d/$fmt/"; git -C "$d/$fmt" add -A; git -C "$d/$fmt" commit -qm settings
  for kind in ticket incident maintenance; do
    of export --kind $kind --format $fmt -o "$d/$kind.$fmt"
    run of -C "$d/$fmt" import --kind $kind "$d/$kind.$fmt"; expect_rc 0
  done
  expect_eq "$(cd "$d/$fmt" && find incidents tickets maintenance -name '*.yaml' -exec sha1sum {} + | sort)" \
            "$(find incidents tickets maintenance -name '*.yaml' -exec sha1sum {} + | sort)"
  run of -C "$d/$fmt" check; expect_rc 0
done

CASE="--redact: no name, e-mail or phone of the store, the same person the same pseudonym"
for fmt in jsonl csv; do
  for kind in incident ticket maintenance; do
    run of export --kind $kind --format $fmt --redact; expect_rc 0
    for secret in 李雷 lilei@example.com 138-0013-8000 ann@example.com "Ann Lee" Bob Carl lisi wangwu 王五 李四; do
      expect_no_out "$secret"
    done
  done
done
run of export --kind incident --redact
reporter=$(jq -r "select(.id == \"$I\") | .reporter" <<<"$OUT")
if [[ $reporter =~ ^(person-[0-9]+)\ \<email-[0-9]+\>\ phone-[0-9]+$ ]]; then ok; else fail "reporter redacted as '$reporter'"; fi
expect_eq "$(jq -r "select(.id == \"$I\") | .feedback" <<<"$OUT")" "告诉 ${BASH_REMATCH[1]}: fixed"
expect_eq "$(jq -r "select(.id == \"$I\") | .assignee" <<<"$OUT")" "$(jq -r "select(.id == \"$I\") | .events[1].assignee" <<<"$OUT")"


CASE="bad options of the new commands: a clear message naming the option, nothing changed"
cd "$src"; git add -A; git commit -qm "test inputs" --no-verify >/dev/null
snapshot
run of check --format xml; expect_rc 2; expect_err "--format: xml not in {text,json}"
run of export --kind foo; expect_rc 2; expect_err "--kind: foo not in"
run of export --kind incident --format xml; expect_rc 2; expect_err "--format: xml not in {jsonl,csv}"
run of import --kind incident; expect_rc 2; expect_err "FILE is required"
run of import --kind incident "$in/nonexistent.csv"; expect_rc 3; expect_err "$in/nonexistent.csv: no such file"
run of log; expect_rc 2; expect_err "ID is required"
run of merge-driver a; expect_rc 2; expect_err "OURS is required"
expect_unchanged

finish
