#!/usr/bin/env bash
# opsflow search (SPEC §11): Chinese by character n-grams and English by stemmed
# words in one query, phrases, OR/NOT, fields and filters, snippets with the matched
# words marked; the index kept up to date with the records (changes, hand edits,
# removals), rebuilt when damaged, never committed.
. "$(dirname "$0")/lib.sh"
new_store
vpn=$(of incident new "VPN 连接频繁断开" --description "远程办公时 VPN 每小时断开一次，提示证书无效" \
  --service vpn --category network --at "2026-03-02 09:00")
of -q incident assign "$vpn" --to lisi --at "2026-03-02 09:10"
of -q --as lisi incident diagnose "$vpn" --cause "网关证书过期" --at "2026-03-02 10:00"
of -q --as lisi incident fix "$vpn" --resolution "Renewed the gateway certificates and restarted it" --at "2026-03-02 11:00"
mail=$(of incident new "Outlook cannot send mail" --description "Messages stay in the outbox since the password change" \
  --service mail --at "2026-03-03 09:00")
printer=$(of incident new "打印机卡纸" --description "三楼打印机每次打印都卡纸" --at "2026-03-04 09:00")
ticket=$(of ticket new "如何申请 VPN 账号" --requester "赵六 <zhao@example.org>" --question "新员工需要 VPN 账号，找谁申请？" --at "2026-03-05 09:00")
ids() { jq -r '.[].id' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//'; }

CASE="a two-character Chinese word finds the records that hold it, and only them"
run of search 证书 --json
expect_rc 0; expect_eq "$(ids)" "$vpn"
run of search 卡纸 --json; expect_eq "$(ids)" "$printer"
run of search 账号 --json; expect_eq "$(ids)" "$ticket"
run of search 打印机 --json; expect_eq "$(ids)" "$printer"

CASE="English words are stemmed and case-folded; full-width forms are half-width"
run of search certificate --json; expect_eq "$(ids)" "$vpn"
run of search MESSAGE --json; expect_eq "$(ids)" "$mail"
run of search ＶＰＮ --kind incident --json; expect_eq "$(ids)" "$vpn"

CASE="Chinese and English in one query: every word must match"
run of search VPN 证书 --json; expect_eq "$(ids)" "$vpn"
run of search VPN 卡纸 --json; expect_eq "$(ids)" ""

CASE="phrases, OR, NOT and -word"
run of search '"gateway certificates"' --json; expect_eq "$(ids)" "$vpn"
run of search '"certificates gateway"' --json; expect_eq "$(ids)" ""
run of search '卡纸 OR outlook' --json; expect_eq "$(tr ' ' '\n' <<<"$(ids)" | sort | tr '\n' ' ')" "$(printf '%s\n' "$mail" "$printer" | sort | tr '\n' ' ')"
run of search 'VPN NOT 账号' --json; expect_eq "$(ids)" "$vpn"
run of search 'VPN -账号' --json; expect_eq "$(ids)" "$vpn"

CASE="fields: the words of one field, and filters on whole values"
run of search 'cause:证书' --json; expect_eq "$(ids)" "$vpn"
run of search 'title:证书' --json; expect_eq "$(ids)" ""
run of search 'resolution:restart' --json; expect_eq "$(ids)" "$vpn"
run of search 'requester:赵六' --json; expect_eq "$(ids)" "$ticket"
run of search 'assignee:李四' --json; expect_eq "$(ids)" "$vpn"
run of search 'VPN kind:ticket' --json; expect_eq "$(ids)" "$ticket"
run of search VPN --kind ticket --json; expect_eq "$(ids)" "$ticket"
run of search VPN --status resolved --json; expect_eq "$(ids)" "$vpn"
run of search VPN --service vpn --kind incident --json; expect_eq "$(ids)" "$vpn"
run of search 'status:new' --kind incident --json
expect_eq "$(tr ' ' '\n' <<<"$(ids)" | sort | tr '\n' ' ')" "$(printf '%s\n' "$mail" "$printer" | sort | tr '\n' ' ')"
run of search VPN --since "2026-03-05 00:00" --json; expect_eq "$(ids)" "$ticket"
run of search VPN --until "2026-03-05 00:00" --json; expect_eq "$(ids)" "$vpn"

CASE="JSON: id, kind, status, score, title, snippet with the words marked, the fields matched"
run of search 证书 --json
expect_eq "$(jq -r '.[0] | keys_unsorted | join(",")' <<<"$OUT")" "id,kind,status,score,title,snippet,fields"
expect_eq "$(jq -r '.[0].kind' <<<"$OUT")" incident
expect_eq "$(jq -r '.[0].status' <<<"$OUT")" resolved
expect_eq "$(jq -r '.[0].fields | join(",")' <<<"$OUT")" "description,cause"
grep -q '\*\*证书\*\*' <<<"$(jq -r '.[0].snippet' <<<"$OUT")" && ok || fail "snippet lacks the marked word: $OUT"

CASE="the table: one line a hit, its snippet under it; bold on a terminal, never raw escapes in a pipe"
run of search 证书
expect_rc 0
expect_eq "$(sed -n 1p <<<"$OUT" | awk '{print $1, $2, $3}')" "$vpn resolved 2026-03-02"
grep -q '^    .*\*\*证书\*\*' <<<"$OUT" && ok || fail "no snippet line: $OUT"
if LC_ALL=C grep -q $'\x1b' <<<"$OUT"; then fail "escape codes in a pipe"; else ok; fi
run of search 证书 --format csv
expect_eq "$(sed -n 1p <<<"$OUT")" "id,kind,status,date,score,title,snippet"
expect_eq "$(sed -n 2p <<<"$OUT" | cut -d, -f1-4)" "$vpn,incident,resolved,2026-03-02"

CASE="an ID or ID prefix finds that record first"
run of search "${ticket:0:8}" --json; expect_eq "$(jq -r '.[0].id' <<<"$OUT")" "$ticket"

CASE="the index follows every change: a note, a hand edit committed, a removed record"
of -q incident note "$printer" "换了新的搓纸轮 roller"
run of search 搓纸轮 --json; expect_eq "$(ids)" "$printer"
f=$(record_file "$mail")
sed -i 's/^description: .*/description: 修改密码后邮件一直留在发件箱/' "$f"
git commit -qam "hand edit, as if pulled" --no-verify
run of search 发件箱 --json; expect_eq "$(ids)" "$mail"
git rm -q "$f"; git commit -qm "remove"
run of search outlook --json; expect_eq "$(ids)" ""
expect_eq "$(git status --porcelain)" ""
git check-ignore -q .opsflow/search && ok || fail ".opsflow/search is not ignored"

CASE="a damaged or removed index is rebuilt"
for f in .opsflow/search/*; do [ -f "$f" ] && head -c 64 /dev/urandom > "$f"; done
run of search 证书 --json; expect_rc 0; expect_eq "$(ids)" "$vpn"
rm -rf .opsflow/search
run of search 卡纸 --json; expect_rc 0; expect_eq "$(ids)" "$printer"

CASE="a query Xapian cannot read, or no query, is a usage error"
run of search 'AND'; expect_rc 2; expect_err "cannot read the search 'AND'"
run of search; expect_rc 2
run of search VPN --kind nothing; expect_rc 2

finish
