#!/usr/bin/env bash
# Email intake attacked from outside (issue 24 items 2-4, 9 and 12): mail that can
# never be committed is taken in (a secret masked) or filed as a new ticket, never
# 75 forever; threads only to Message-IDs the store recorded and only for senders
# who may write; survey scores only from the requester; the small mail findings.
source "$(dirname "$0")/lib.sh"

REPLY="/usr/bin/python3 $OPSFLOW_SOURCE/tests/e2e/mail_reply.py"
W=$(mktemp -d); TMP_ROOTS+=("$W")

mail_store() {
  new_store
  cat >> opsflow.yaml <<'YAML'
mail:
  address: [ops@example.com]
YAML
  git commit -qam "mail settings"
}
receive() { run of mail receive --json < "$1"; }
field() { jq -r "$1" <<<"$OUT"; }
ticket_json() { of ticket show "$1" --json; }
msg() { # msg FROM MESSAGE-ID SUBJECT TEXT [HEADER...]: a message in $W/m.eml
  local from=$1 id=$2 subject=$3 text=$4; shift 4
  { printf 'From: %s\nTo: ops@example.com\nSubject: %s\nMessage-ID: <%s>\n' "$from" "$subject" "$id"
    for h in "$@"; do printf '%s\n' "$h"; done
    printf '\n%s\n' "$text"; } > $W/m.eml
}
no_empty_dirs() { find tickets incidents notices -type d -empty 2>/dev/null; }

CASE="R2: a password in the text is masked in the record and the archive; taken in (not 75)"
mail_store
msg "Bob <bob@example.com>" pw@example.com "login" "my password: Hunter2 is refused"
receive $W/m.eml
expect_rc 0
expect_eq "$(field .action)" created
id=$(field .id)
t=$(ticket_json "$id")
expect_eq "$(jq -r .question <<<"$t")" "my password [masked] is refused"
expect_eq "$(jq -r '.events[0].masked | join(",")' <<<"$t")" "a password"
expect_eq "$(field '.masked | join(",")')" "a password"
expect_err "it is masked in the record and the archive"
archive=$(field .archive)
grep -q Hunter2 "$archive" && fail "the archive keeps the password" || ok
grep -qF "my password [masked] is refused" <<<"$(python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(m.get_payload(decode=True).decode())' "$archive")" && ok || fail "the archive lacks the masked text"
git grep -q Hunter2 $(git rev-list --all) -- && fail "the password is in git" || ok
ack=$(jq -r '.notices[0].file' <<<"$t")
python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(m.get_payload(decode=True).decode())' "$ack" | grep -qF "please change it now" && ok || fail "the acknowledgement does not tell the sender to change it"
expect_eq "$(git status --porcelain)" ""
run of check
expect_rc 0

CASE="R2: 密码：… and a Bearer token are masked too"
printf 'From: xiaoliu@example.com\nTo: ops@example.com\nSubject: reset\nMessage-ID: <zh@example.com>\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n%s\n' \
  "$(printf '新员工小刘的邮箱密码：忘记了，请帮忙重置。\n' | base64 -w0)" > $W/m.eml
receive $W/m.eml
expect_rc 0
t=$(ticket_json "$(field .id)")
expect_eq "$(jq -r .question <<<"$t")" "新员工小刘的邮箱密码 [masked]"
grep -q "忘记了" "$(field .archive)" && fail "the archive keeps the value" || ok
msg "dev@example.com" bearer@example.com "api" "curl -H 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789' fails"
receive $W/m.eml
expect_rc 0
expect_eq "$(ticket_json "$(field .id)" | jq -r .question)" "curl -H 'Authorization: [masked] fails"
run of check
expect_rc 0

CASE="R2: a reply to a record with a hand-written comment becomes a new ticket that follows it"
msg "Carol <carol@example.com>" c1@example.com "printer" "printer broken"
receive $W/m.eml
orig=$(field .id)
file=$(find tickets -name "$orig.yaml")
sed -i 's/^status: .*/& # hand comment/' "$file" && git commit -qam "comment by hand"
msg "Carol <carol@example.com>" c2@example.com "Re: [$orig] printer" "still broken"
receive $W/m.eml
expect_rc 0
expect_eq "$(field .action)" linked
new=$(field .id)
expect_eq "$(ticket_json "$new" | jq -r '.links[0]')" "$orig"
expect_err "it is a new ticket that follows it"
grep -q "hand comment" "$file" && ok || fail "the commented record was rewritten"
expect_eq "$(git status --porcelain)" ""

CASE="R2/R12: a reply that would take its record over the size limit becomes a new ticket; no '/' pointer"
msg "Dan <dan@example.com>" big0@example.com "big" "start"
receive $W/m.eml
big=$(field .id)
filler=$(head -c 99000 /dev/zero | tr '\0' 'x' | fold -w 70)
rc=0; n=0
while [ $n -lt 14 ]; do
  n=$((n + 1))
  msg "Dan <dan@example.com>" "big$n@example.com" "Re: [$big] big" "$filler"
  receive $W/m.eml
  [ "$RC" -ne 0 ] && { rc=$RC; break; }
  [ "$(field .action)" == linked ] && break
done
expect_eq "$rc" 0
expect_eq "$(field .action)" linked
expect_err "more than the limit"
if grep -qF ": /: " <<<"$ERR"; then fail "the size refusal points at '/'"; else ok; fi
expect_eq "$(git status --porcelain)" ""

CASE="R2: a rolled-back 75 (a foreign git lock) leaves no empty directories"
touch .git/index.lock
msg "eve@example.com" lock1@example.com "locked" "hello"
before=$(git rev-parse HEAD)
receive $W/m.eml
expect_rc 75
rm -f .git/index.lock
expect_eq "$(git rev-parse HEAD)" "$before"
expect_eq "$(no_empty_dirs)" ""
expect_eq "$(git status --porcelain)" ""

CASE="R3: a forged In-Reply-To naming an incident does not thread a stranger's message"
inc=$(of incident new "Payroll DB breach (confidential)" --category security --impact high --urgency high --reporter "CEO <ceo@example.com>")
of incident assign "$inc" --to wangwu >/dev/null
before=$(of incident show "$inc" --json | jq '.events | length')
msg "Mallory <mallory@evil.example>" f1@evil.example "hi" "CEO approved: send the breach file" "In-Reply-To: <$inc.0.0@anything>"
receive $W/m.eml
expect_rc 0
expect_eq "$(field .kind) $(field .action)" "ticket created"
expect_eq "$(of incident show "$inc" --json | jq '.events | length')" "$before"
CASE="R3: a forged notice ID is not one we sent, even from the reporter"
msg "CEO <ceo@example.com>" f2@example.com "hi" "text" "In-Reply-To: <$inc.20261201T000000Z.deadbeef@example.com>"
receive $W/m.eml
expect_eq "$(field .action)" created
CASE="R3: a stranger replying to a real notice (a recorded ID) is not threaded either"
msg "Frank <frank@example.com>" t1@example.com "ticket" "hello"
receive $W/m.eml
tk=$(field .id)
ackfile=$(ticket_json "$tk" | jq -r '.notices[0].file')
$REPLY "$ackfile" "Mallory <mallory@evil.example>" "please reset everything" > $W/r.eml
receive $W/r.eml
expect_eq "$(field .action)" created
CASE="R3: the requester's reply to a recorded notice threads"
$REPLY "$ackfile" "Frank <frank@example.com>" "more detail" > $W/r.eml
receive $W/r.eml
expect_eq "$(field .id) $(field .action)" "$tk reply"
expect_eq "$(ticket_json "$tk" | jq -r '.events[-1].threaded_by')" "In-Reply-To"

CASE="R4: a survey score only from the requester, never replaced by mail, by the sender"
of ticket answer "$tk" --answer "done" >/dev/null
of survey send "$tk" >/dev/null
survey=$(ticket_json "$tk" | jq -r '[.notices[] | select(.purpose=="survey")][0].file')
$REPLY "$survey" "李四 <lisi@example.com>" "1" > $W/r.eml
receive $W/r.eml
expect_eq "$(field .action)" reply
expect_eq "$(ticket_json "$tk" | jq -r '.survey.score // "none"')" none
$REPLY "$survey" "Frank <frank@example.com>" "5" > $W/r.eml
receive $W/r.eml
expect_eq "$(field .action)" survey
t=$(ticket_json "$tk")
expect_eq "$(jq -r '.survey.score' <<<"$t")" 5
expect_eq "$(jq -r '[.events[] | select(.action=="survey_answered")][0].by' <<<"$t")" requester
$REPLY "$survey" "Frank <frank@example.com>" "1" > $W/r.eml
receive $W/r.eml
expect_eq "$(field .action)" reply
expect_eq "$(ticket_json "$tk" | jq -r '.survey.score')" 5

CASE="R11: \"ops\"@example.com is our own address"
msg '"ops"@example.com' own@example.com "loop" "hi"
receive $W/m.eml
expect_eq "$(field .automatic)" "From: one of our own addresses"
CASE="R11: with two Auto-Submitted headers, any value but no is automatic"
msg "robot@example.com" as2@example.com "auto" "hi" "Auto-Submitted: no" "Auto-Submitted: auto-replied"
receive $W/m.eml
expect_eq "$(field .acknowledged)" false
CASE="R11: X-Autoreply and X-Autorespond senders get no acknowledgement"
for h in "X-Autoreply: yes" "X-Autorespond: on vacation"; do
  msg "away@example.com" "xa$RANDOM@example.com" "away" "hi" "$h"
  receive $W/m.eml
  expect_eq "$(field .acknowledged)" false
done
CASE="R11: an acknowledgement says Auto-Submitted: auto-replied (RFC 3834)"
grep -q "^Auto-Submitted: auto-replied" "$ackfile" && ok || fail "$(grep Auto-Submitted "$ackfile")"
CASE="R11: \"Smith, John\" keeps its comma and still reads as one mailbox"
msg '"Smith, John" <smith@example.com>' smith@example.com "comma" "hi"
receive $W/m.eml
t=$(ticket_json "$(field .id)")
expect_eq "$(jq -r .requester <<<"$t")" '"Smith, John" <smith@example.com>'
expect_eq "$(jq -r '.notices[0].recipients | join(",")' <<<"$t")" smith@example.com
grep -q "^To: smith@example.com" "$(jq -r '.notices[0].file' <<<"$t")" && ok || fail "ack To header"

CASE="R12: Message-ID squatting: another sender's message with a known ID is a new message"
msg "Mallory <mallory@evil.example>" CAF123-real@mail.example.com "squat" "first"
receive $W/m.eml
squat=$(field .id)
msg "Grace <grace@example.com>" CAF123-real@mail.example.com "real" "the real one"
receive $W/m.eml
expect_eq "$(field .action)" created
real=$(field .id)
receive $W/m.eml
expect_eq "$(field .action) $(field .id)" "duplicate $real"

CASE="R12: a raw NUL in a header does not cut the rest"
printf 'From: nul@example.com\nTo: ops@example.com\nSubject: nul\0subject\nMessage-ID: <nul@example.com>\n\nhi\n' > $W/m.eml
receive $W/m.eml
expect_eq "$(ticket_json "$(field .id)" | jq -r .subject)" "nul subject"

CASE="R12: an over-size message is refused with its real size"
sed -i 's/^mail:/mail:\n  max_size: 2000B/' opsflow.yaml && git commit -qam "small mail"
msg "big@example.com" bigsize@example.com "big" "$(head -c 5000 /dev/zero | tr '\0' y)"
size=$(stat -c %s $W/m.eml)
receive $W/m.eml
expect_rc 65
expect_err "the message is $size bytes"
md=$(mktemp -d); TMP_ROOTS+=("$md"); mkdir -p "$md/new" "$md/cur" "$md/tmp"
cp $W/m.eml "$md/new/1.big.host"
sed -i "s|^mail:|mail:\n  maildir: $md|" opsflow.yaml && git commit -qam "maildir"
run of mail fetch
expect_rc 65
expect_err "the message is $size bytes"
git revert --no-edit HEAD HEAD~1 >/dev/null

CASE="R12: a 75 after the commit does not happen: exit 0, the ack stays pending, one send on retry"
bin=$(mktemp -d); TMP_ROOTS+=("$bin")
cat > "$bin/sendmail" <<EOF
#!/bin/sh
cat > /dev/null
echo sent >> "$bin/log"
[ -e "$bin/first" ] || { touch "$bin/first"; touch "$PWD/.git/index.lock"; }
exit 0
EOF
chmod +x "$bin/sendmail"
sed -i "s#^  transport: none.*#  transport: sendmail\n  sendmail: [$bin/sendmail]#" opsflow.yaml && git commit -qam "sendmail"
msg "henry@example.com" late75@example.com "after commit" "hi"
receive $W/m.eml
expect_rc 0
id75=$(field .id)
expect_err "could not be delivered"
rm -f .git/index.lock
expect_eq "$(ticket_json "$id75" | jq -r '.notices[0].delivery')" pending
expect_eq "$(git log -1 --format=%s -- "$(find tickets -name "$id75.yaml")")" "ticket $id75: received by email"
receive $W/m.eml
expect_eq "$(field .action)" duplicate
expect_eq "$(wc -l < "$bin/log")" 1


CASE="R9: bidi overrides and isolates in a sender's subject, name and text never reach the record"
mail_store
msg "$(printf 'Eve \xe2\x80\xaeliamE\xe2\x80\xac') <eve@example.com>" bidi@example.com \
  "$(printf 'invoice \xe2\x80\xaefdp.exe \xe2\x81\xa6VPN\xe2\x81\xa9 down')" \
  "$(printf 'see \xe2\x80\xaeattached\xe2\x80\xa8next line')"
receive $W/m.eml
expect_rc 0
t=$(ticket_json "$(field .id)")
expect_eq "$(jq -r .subject <<<"$t")" "invoice fdp.exe VPN down"
expect_eq "$(jq -r .question <<<"$t")" "$(printf 'see attached\nnext line')"
expect_eq "$(jq -r '[.subject, .requester, .question] | join(" ")' <<<"$t" |
  python3 -c 'import sys; print(any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in sys.stdin.read()))')" False

finish
