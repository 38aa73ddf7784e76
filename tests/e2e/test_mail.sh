#!/usr/bin/env bash
# Email intake (SPEC §9): `mail receive` fed as an MTA feeds it, `mail fetch` from a
# Maildir and from a real IMAP server (Dovecot on 127.0.0.1), notices to a real
# SMTP server, a corpus of messages in the shapes real clients write, hostile mail.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/dovecot.sh"
trap 'dovecot_stop; stop_servers; cleanup' EXIT

CORPUS="$OPSFLOW_SOURCE/tests/mail/corpus"
REPLY="/usr/bin/python3 $OPSFLOW_SOURCE/tests/e2e/mail_reply.py"
W=$(mktemp -d); TMP_ROOTS+=("$W")   # messages the tests write, outside every store

# mail_store: a store with email intake on, notices archived only.
mail_store() {
  new_store
  cat >> opsflow.yaml <<'YAML'
mail:
  address: [ops@example.com, alerts@example.com]
  reopen_within: 14d
  routes:
    - {to: alerts@example.com, kind: incident, service: mail, impact: high, urgency: high, channel: monitoring}
    - {subject: "故障|outage", kind: incident}
YAML
  sed -i 's/^  from: .*/  from: "运维部 <ops@example.com>"/' opsflow.yaml
  git commit -qam "mail settings"
}

# receive FILE: `mail receive --json` of a message, as an MTA would pipe it.
receive() { run of mail receive --json < "$1"; }
field() { jq -r "$1" <<<"$OUT"; }
ticket_json() { of ticket show "$1" --json; }

# The ticket every reply in the corpus is about: imported with its ID from the old system.
import_printer_ticket() {
  echo '{"id":"TKT-3f9a1c2e","subject":"打印机无法打印","requester":"张伟 <zhang.wei@example.com>","channel":"email","received_at":"2026-11-29T09:10:00+08:00","status":"answered","answer":"请重启打印服务"}' |
    of import --kind ticket - >/dev/null
}
# The corpus replies name notices as `opsflow.TKT-…`; ours are `TKT-…`.
as_our_reply() { sed 's/opsflow\.TKT-/TKT-/g' "$CORPUS/$1" > "$2"; }

CASE="the corpus's expected readings are what Python's email package reads (an independent parser)"
run /usr/bin/python3 "$OPSFLOW_SOURCE/tests/mail/check_corpus.py"
expect_rc 0

CASE="the corpus: every client's new message becomes a ticket with its subject, sender and text"
mail_store
while IFS=$'\t' read -r file auto subject from contains excludes attachments; do
  [ "$file" == file ] && continue
  case "$file" in reply-*|survey-*|out-of-office*|bounce-*|forwarded-*) continue ;; esac
  CASE="corpus $file"
  receive "$CORPUS/$file"
  expect_rc 0
  expect_eq "$(field .action)" created
  id=$(field .id)
  t=$(ticket_json "$id")
  expect_eq "$(jq -r .subject <<<"$t")" "$subject"
  expect_eq "$(jq -r .channel <<<"$t")" email
  grep -qF "<$from>" <<<"$(jq -r .requester <<<"$t")" && ok || fail "requester $(jq -r .requester <<<"$t") lacks $from"
  grep -qF -- "$contains" <<<"$(jq -r .question <<<"$t")" && ok || fail "$file: question lacks '$contains'"
  if [ "$attachments" != - ]; then
    names=$(jq -r '[.events[0].attachments[].name] | join(",")' <<<"$t")
    expect_eq "$names" "$attachments"
  fi
  archive=$(field .archive)
  cmp -s "$archive" "$CORPUS/$file" && ok || fail "$file: the archive is not the message as received"
  if [ "$auto" == yes ]; then
    expect_eq "$(field .acknowledged)" false
    expect_eq "$(jq -r '.notices // [] | length' <<<"$t")" 0
  else
    expect_eq "$(field .acknowledged)" true
    ack=$(jq -r '.notices[0].subject' <<<"$t")
    grep -qF "[$id]" <<<"$ack" && ok || fail "ack subject '$ack' lacks [$id]"
  fi
  expect_eq "$(git log -1 --format=%s)" "ticket $id: received by email"
  expect_eq "$(git status --porcelain)" ""
done < "$CORPUS/EXPECTED.tsv"
CASE="the HTML-only message is read as text, without its style or script"
t=$(ticket_json "$(jq -r 'select(.subject|test("投影仪")) | .id' <<<"$(of ticket list --json | jq -c '.[]')")")
grep -qF "无信号" <<<"$(jq -r .question <<<"$t")" && ok || fail "no text from the HTML part"
if jq -r .question <<<"$t" | grep -qiE "<div|font-family|script|alert\("; then fail "HTML markup or script in the text"; else ok; fi

CASE="the corpus replies: each joins TKT-3f9a1c2e with only its new text"
mail_store
import_printer_ticket
while IFS=$'\t' read -r file auto subject from contains excludes attachments; do
  case "$file" in reply-*|out-of-office*|forwarded-*) ;; *) continue ;; esac
  CASE="corpus reply $file"
  as_our_reply "$file" $W/msg.eml
  receive $W/msg.eml
  expect_rc 0
  expect_eq "$(field .id)" TKT-3f9a1c2e
  expect_eq "$(field .action)" reply
  text=$(ticket_json TKT-3f9a1c2e | jq -r '.events[-1].text')
  grep -qF -- "$contains" <<<"$text" && ok || fail "$file: reply text lacks '$contains'"
  if [ "$excludes" != - ]; then
    grep -qF -- "$excludes" <<<"$text" && fail "$file: the quoted history '$excludes' was kept" || ok
  fi
  [ "$auto" == yes ] && expect_eq "$(ticket_json TKT-3f9a1c2e | jq -r '.events[-1].automatic != null')" true
done < "$CORPUS/EXPECTED.tsv"
CASE="a user's reply sends an answered ticket back to analyzing; an auto-reply changes no status"
expect_eq "$(ticket_json TKT-3f9a1c2e | jq -r .status)" analyzing
expect_eq "$(ticket_json TKT-3f9a1c2e | jq -r '[.events[] | select(.automatic != null) | .status // "kept"] | unique | join(",")')" kept

CASE="a bounce threads to the ticket whose notice it returns, and is answered by nothing"
# The corpus bounce returns a notice of the old system: make it return one we sent
# (only a Message-ID the record lists threads).
of ticket answer TKT-3f9a1c2e --answer "请重启打印服务" >/dev/null
sent=$(ticket_json TKT-3f9a1c2e | jq -r '.notices[-1].message_id')
as_our_reply bounce-dsn.eml $W/msg.eml
sed -i "s/TKT-3f9a1c2e\.20261130T011500Z\.1a2b3c4d@example\.com/$sent/g" $W/msg.eml
receive $W/msg.eml
expect_rc 0
expect_eq "$(field .id)" TKT-3f9a1c2e
expect_eq "$(field .automatic)" "Auto-Submitted: auto-replied"

CASE="redelivery: the same message again changes nothing (exit 0, no commit)"
before=$(commits)
receive $W/msg.eml
expect_rc 0
expect_eq "$(field .action)" duplicate
expect_eq "$(commits)" "$before"
receive "$CORPUS/outlook-new.eml"
first=$(field .id)
receive "$CORPUS/outlook-new.eml"
expect_eq "$(field .action) $(field .id)" "duplicate $first"

CASE="a subject token from a stranger does not thread (a new ticket instead)"
sed 's/^From: .*/From: mallory@evil.example/' "$CORPUS/reply-chinese-client.eml" | sed 's/^Message-ID: .*/Message-ID: <stranger-1@evil.example>/' > $W/msg.eml
receive $W/msg.eml
expect_eq "$(field .action)" created

CASE="a reply whose subject is padded B words (GMime 3.2.13 drops all after the first) threads by its token"
# No In-Reply-To: only the subject's [TKT-…] token, from the requester, can thread it.
/usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/encoded_words.py" reply "张伟 Zhang Wei" zhang.wei@example.com \
  "Re: 打印机无法打印 — 还是不行 [TKT-3f9a1c2e]" padded-1@example.com > $W/msg.eml
expect_eq "$?" 0
grep -qE $'^Subject: =\\?utf-8\\?B\\?[A-Za-z0-9+/]+=+\\?=\r$' $W/msg.eml && ok || fail "the first word is not padded"
receive $W/msg.eml
expect_rc 0
expect_eq "$(field .id) $(field .action)" "TKT-3f9a1c2e reply"

CASE="encoded words: subjects and names read as Python's email package reads them"
mkdir -p $W/encoded
/usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/encoded_words.py" cases $W/encoded > $W/encoded/EXPECTED.tsv
expect_eq "$?" 0
while IFS=$'\t' read -r file subject name address; do
  CASE="encoded words $file"
  receive "$W/encoded/$file"
  expect_rc 0
  t=$(ticket_json "$(field .id)")
  expect_eq "$(jq -r .subject <<<"$t")" "$subject"
  expect_eq "$(jq -r .requester <<<"$t")" "$name <$address>"
  # The acknowledgement's subject (long, CJK after "Re: ") is valid and whole to Python.
  ack_subject=$(/usr/bin/python3 -c 'import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.strict)
[str(v) for v in m.values()]
assert not m.defects, m.defects
print(m["Subject"])' "$(jq -r '.notices[0].file' <<<"$t")")
  expect_eq "$?" 0
  grep -qF -- "$subject" <<<"$ack_subject" && grep -qF "[$(field .id)]" <<<"$ack_subject" && ok ||
    fail "acknowledgement subject '$ack_subject'"
done < $W/encoded/EXPECTED.tsv

CASE="routes: mail to alerts@ becomes an incident with the route's classification"
cat > $W/alert.eml <<'EOF'
From: Zabbix <zabbix@example.com>
To: alerts@example.com
Subject: PROBLEM: mail01 SMTP queue over 500
Date: Mon, 30 Nov 2026 08:00:00 +0800
Message-ID: <alert-1@zabbix.example.com>

Queue length 734 on mail01.
EOF
receive $W/alert.eml
expect_rc 0
expect_eq "$(field .kind)" incident
inc=$(field .id)
i=$(of incident show "$inc" --json)
expect_eq "$(jq -r '.service + " " + .priority + " " + .channel' <<<"$i")" "mail P1 monitoring"
expect_eq "$(git log -1 --format=%s)" "incident $inc: received by email"

CASE="a reply on an incident joins its history and tells the assignee"
of incident assign "$inc" --to lisi >/dev/null
$REPLY "$(jq -r '.notices[0].file' <<<"$i")" "Zabbix <zabbix@example.com>" "Queue back to 12." > $W/reply.eml
receive $W/reply.eml
expect_rc 0
expect_eq "$(field .id) $(field .action)" "$inc reply"
i=$(of incident show "$inc" --json)
expect_eq "$(jq -r '.status' <<<"$i")" assigned
expect_eq "$(jq -r '.notices[-1].purpose + " " + .notices[-1].recipients[0]' <<<"$i")" "reply lisi@example.com"

CASE="a subject that matches a route pattern (故障) becomes an incident"
printf 'From: a@example.com\nTo: ops@example.com\nSubject: =?UTF-8?B?6YKu5Lu25pyN5Yqh5pWF6Zqc?=\nMessage-ID: <r2@example.com>\n\nIt is down.\n' > $W/m.eml
receive $W/m.eml
expect_eq "$(field .kind)" incident

CASE="closed tickets: a reply within reopen_within reopens; a later one opens a new linked ticket"
echo '{"id":"TKT-00000001","subject":"旧问题","requester":"张伟 <zhang.wei@example.com>","channel":"email","received_at":"2026-10-01T09:00:00+08:00","status":"closed","answer":"好了"}' | of import --kind ticket - >/dev/null
printf 'From: zhang.wei@example.com\nTo: ops@example.com\nSubject: Re: [TKT-00000001] again\nMessage-ID: <late-1@example.com>\n\nIt broke again.\n' > $W/m.eml
receive $W/m.eml
expect_eq "$(field .action)" linked
new=$(field .id)
expect_eq "$(ticket_json "$new" | jq -r '.links[0]')" TKT-00000001
expect_eq "$(ticket_json TKT-00000001 | jq -r .status)" closed
of ticket answer "$new" --answer "fixed" >/dev/null && of ticket close "$new" >/dev/null
printf 'From: zhang.wei@example.com\nTo: ops@example.com\nSubject: Re: [%s] again\nMessage-ID: <soon-1@example.com>\n\nStill broken.\n' "$new" > $W/m.eml
receive $W/m.eml
expect_eq "$(field .action) $(field .id)" "reopened $new"
expect_eq "$(ticket_json "$new" | jq -r .status)" analyzing
expect_eq "$(of check >/dev/null 2>&1; echo $?)" 0

CASE="never answer a machine: auto-replies, lists, our own address, a flood from one sender"
for h in "Auto-Submitted: auto-generated" "Precedence: bulk" "List-Id: <x.lists.example.com>"; do
  printf 'From: robot@example.com\nTo: ops@example.com\n%s\nSubject: hello %s\nMessage-ID: <%s@example.com>\n\nhi\n' "$h" "$RANDOM" "$RANDOM$RANDOM" > $W/m.eml
  receive $W/m.eml
  expect_eq "$(field .action) $(field .acknowledged)" "created false"
done
printf 'From: ops@example.com\nTo: ops@example.com\nSubject: loop\nMessage-ID: <own-1@example.com>\n\nhi\n' > $W/m.eml
receive $W/m.eml
expect_eq "$(field .automatic)" "From: one of our own addresses"
for n in $(seq 1 11); do
  printf 'From: flood@example.com\nTo: ops@example.com\nSubject: flood %s\nMessage-ID: <flood-%s@example.com>\n\nhi\n' "$n" "$n" > $W/m.eml
  receive $W/m.eml
done
expect_eq "$(field .acknowledged)" false
grep -qF "more than 10 records" <<<"$(ticket_json "$(field .id)" | jq -r '.events[0].notice')" && ok || fail "no reason for the missing acknowledgement"

CASE="acknowledge: false: a new record gets no acknowledgement, and says why"
sed -i 's/^  reopen_within: 14d/  reopen_within: 14d\n  acknowledge: false/' opsflow.yaml && git commit -qam "no acks"
printf 'From: quiet@example.com\nTo: ops@example.com\nSubject: quiet\nMessage-ID: <quiet-1@example.com>\n\nhi\n' > $W/m.eml
receive $W/m.eml
expect_eq "$(field .acknowledged)" false
expect_eq "$(ticket_json "$(field .id)" | jq -r '.events[0].notice')" "not sent: mail.acknowledge is false"
git revert --no-edit HEAD >/dev/null

CASE="exit codes for an MTA: 65 for what is not a message, 75 for what may pass; nothing written"
python3 "$OPSFLOW_SOURCE/tests/mail/make_hostile.py" $W/hostile >/dev/null
snapshot
for f in not-a-message empty no-headers huge; do
  CASE="hostile $f"
  run of mail receive < "$W/hostile/$f.eml"
  expect_rc 65
  expect_unchanged
done
CASE="a message while opsflow.yaml names an unknown service in a route: 75, nothing written"
sed -i 's/service: mail, impact: high/service: nosuch, impact: high/' opsflow.yaml && git commit -qam "bad route"
snapshot
sed 's/alert-1@/alert-2@/' $W/alert.eml > $W/m.eml
run of mail receive < $W/m.eml
expect_rc 75
expect_err "nosuch"
expect_unchanged
git revert --no-edit HEAD >/dev/null
CASE="a route whose subject is not a pattern: opsflow.yaml and its line are named, nothing changes"
sed -i 's/^    - {subject: "故障|outage", kind: incident}/    - {subject: "故障(", kind: incident}/' opsflow.yaml
snapshot_dirty=$(git status --porcelain)
run of mail receive < $W/m.eml
expect_rc 75
expect_err "opsflow.yaml:"
expect_err "is not a regular expression"
run of check
expect_rc 5
expect_out "opsflow.yaml:"
expect_out "is not a regular expression"
expect_eq "$(git status --porcelain)" "$snapshot_dirty"
git checkout -q opsflow.yaml

CASE="no store at all: 75 (the MTA keeps the message)"
run env OPSFLOW_DIR=/nonexistent "$OPSFLOW_BIN" mail receive < $W/m.eml
expect_rc 75

CASE="hostile mail never crashes, never half-writes, never reaches a header raw"
for f in header-bomb deep-nesting bad-utf8 crlf-tricks; do
  CASE="hostile $f"
  run timeout 60 "$OPSFLOW_BIN" mail receive --json < "$W/hostile/$f.eml"
  [ "$RC" -eq 0 ] || [ "$RC" -eq 65 ] && ok || fail "exit $RC"
  expect_eq "$(git status --porcelain)" ""
done
CASE="an encoded CR/LF in a name or subject does not become a header of the acknowledgement"
run of mail receive --json < $W/hostile/crlf-tricks.eml
ack=$(ticket_json "$(field .id)" | jq -r '.notices[0].file // empty')
if [ -n "$ack" ] && grep -qi "^bcc:" "$ack"; then fail "a Bcc header was injected"; else ok; fi
CASE="invalid UTF-8 is stored as valid UTF-8"
receive $W/hostile/bad-utf8.eml
ticket_json "$(field .id)" | jq -r .question | iconv -f UTF-8 -t UTF-8 >/dev/null && ok || fail "invalid UTF-8 stored"

CASE="--dry-run says what would happen and writes nothing"
snapshot
sed 's/^Message-ID: .*/Message-ID: <dry-1@example.com>/' "$CORPUS/gmail-qp.eml" > $W/m.eml
run of mail receive --dry-run < $W/m.eml
expect_rc 0
expect_out "dry run:"
expect_unchanged

CASE="mail fetch from a Maildir: new/ taken in, moved to cur/ with S after the commit"
mail_store
md=$(mktemp -d); TMP_ROOTS+=("$md"); mkdir -p "$md/new" "$md/cur" "$md/tmp"
sed -i "s|^mail:|mail:\n  maildir: $md|" opsflow.yaml && git commit -qam maildir
for f in outlook-new foxmail-gbk gmail-qp apple-mail; do cp "$CORPUS/$f.eml" "$md/new/$(date +%s).$f.host"; done
printf 'garbage\x89PNG' > "$md/new/9999999999.junk.host"
run of mail fetch
expect_rc 65
expect_err "refused"
expect_eq "$(ls "$md/new" | wc -l)" 0
expect_eq "$(ls "$md/cur" | grep -c ':2,S$')" 4
expect_eq "$(ls "$md/cur" | grep -c ':2,F$')" 1
expect_eq "$(of ticket list --json | jq length)" 4

CASE="mail fetch takes regular files only: a symlink in new/ is never read (R8)"
outside=$(mktemp); TMP_ROOTS+=("$outside")
printf 'From: Root <root@example.com>\nTo: ops@example.com\nSubject: private\nMessage-ID: <link-1@example.com>\n\nTOP SECRET CONTENT\n' > "$outside"
ln -s "$outside" "$md/new/1800000004.LINK2.host"
run of mail fetch
expect_eq "$(git grep -l 'TOP SECRET' HEAD | wc -l)" 0
expect_eq "$(of ticket list --json | jq '[.[] | select(.subject == "private")] | length')" 0
rm -f "$md/new/1800000004.LINK2.host"

CASE="a fetch killed between commit and marking: the next fetch takes nothing twice"
cp "$CORPUS/list-mail.eml" "$md/new/1.list.host"
of mail receive < "$CORPUS/list-mail.eml" >/dev/null   # the commit happened; the mark did not
before=$(commits)
run of mail fetch --json
expect_rc 0
expect_eq "$(jq -r '.[0].action' <<<"$OUT")" duplicate
expect_eq "$(commits)" "$before"
expect_eq "$(ls "$md/new" | wc -l)" 0

CASE="two fetches at once take each message once"
for n in $(seq 1 6); do
  printf 'From: u%s@example.com\nTo: ops@example.com\nSubject: parallel %s\nMessage-ID: <par-%s@example.com>\n\nhi\n' "$n" "$n" "$n" > "$md/new/2$n.par.host"
done
( of -q mail fetch >/dev/null 2>&1 & of -q mail fetch >/dev/null 2>&1; wait )
expect_eq "$(of ticket list --json | jq '[.[] | select(.subject|startswith("parallel"))] | length')" 6
expect_eq "$(ls "$md/new" | wc -l)" 0
expect_eq "$(of check >/dev/null 2>&1; echo $?)" 0

CASE="a fetch killed with SIGKILL at any moment: the next fetch takes every message exactly once"
for round in 1 2 3; do
  for n in $(seq 1 8); do
    printf 'From: k%s@example.com\nTo: ops@example.com\nSubject: kill %s %s\nMessage-ID: <kill-%s-%s@example.com>\n\nhi\n' "$n" "$round" "$n" "$round" "$n" > "$md/new/3$round$n.kill.host"
  done
  of -q mail fetch >/dev/null 2>&1 & pid=$!
  sleep "0.$((RANDOM % 9 + 1))"; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  run of mail fetch
  [ "$RC" -eq 0 ] && ok || fail "the fetch after a kill exited $RC"
done
expect_eq "$(of ticket list --json | jq '[.[] | select(.subject|startswith("kill"))] | length')" 24
expect_eq "$(of ticket list --json | jq '[.[] | select(.subject|startswith("kill")) | .subject] | unique | length')" 24
expect_eq "$(ls "$md/new" | wc -l)" 0
expect_eq "$(of check >/dev/null 2>&1; echo $?)" 0

CASE="the whole conversation over IMAP and SMTP is one ticket and one thread"
mail_store
dovecot_start "$(mktemp -d)"
smtp_port=$(free_port); box=$(mktemp -d)/box; TMP_ROOTS+=("$(dirname "$box")")
start_smtp "$smtp_port" "$box"
sed -i "s|^mail:|mail:\n  imap: {url: \"$DOVECOT_URL\", user: ops, ca_file: \"$DOVECOT_CA\"}|" opsflow.yaml
sed -i "s|^  transport: none.*|  transport: smtp\n  smtp: {url: \"smtp://127.0.0.1:$smtp_port\"}|" opsflow.yaml
git commit -qam "imap and smtp"
export OPSFLOW_IMAP_PASSWORD=$DOVECOT_PASSWORD
dovecot_deliver "$CORPUS/outlook-new.eml" >/dev/null
run of mail fetch --json
expect_rc 0
id=$(jq -r '.[0].id' <<<"$OUT")
expect_eq "$(dovecot_seen_count) $(dovecot_unseen_count)" "1 0"
run mails "$box"
expect_rc 0
ack=$(jq -c '.[-1]' <<<"$OUT")
grep -qF "[$id]" <<<"$(jq -r .subject <<<"$ack")" && ok || fail "ack subject lacks [$id]"
expect_eq "$(jq -r .in_reply_to <<<"$ack")" "<000001db4a2e\$3c5d7e80\$b5187b80\$@example.com>"
ack_file=$(ticket_json "$id" | jq -r '.notices[0].file')
$REPLY "$ack_file" "张伟 <zhang.wei@example.com>" "还有：打印机型号是 M404dn。" "<user-2@mail.example.com>" > $W/r1.eml
dovecot_deliver $W/r1.eml >/dev/null
run of mail fetch --json
expect_eq "$(jq -r '.[0].id + " " + .[0].action' <<<"$OUT")" "$id reply"
of ticket answer "$id" --answer "已更换硒鼓，请再试。" >/dev/null
run mails "$box"
answer=$(jq -c '[.[] | select(.subject|startswith("Re:"))][-1]' <<<"$OUT")
survey=$(jq -c '[.[] | select(.subject|contains("Survey"))][-1]' <<<"$OUT")
expect_eq "$(jq -r .in_reply_to <<<"$answer")" "<user-2@mail.example.com>"
expect_eq "$(jq -r '.references | join(" ")' <<<"$answer")" "<000001db4a2e\$3c5d7e80\$b5187b80\$@example.com> <user-2@mail.example.com>"
grep -qF "[$id]" <<<"$(jq -r .subject <<<"$survey")" && ok || fail "survey subject lacks [$id]"
survey_file=$(ticket_json "$id" | jq -r '[.notices[] | select(.purpose=="survey")][0].file')
$REPLY "$survey_file" "张伟 <zhang.wei@example.com>" "5" "<user-3@mail.example.com>" > $W/r2.eml
dovecot_deliver $W/r2.eml >/dev/null
run of mail fetch --json
expect_eq "$(jq -r '.[0].action' <<<"$OUT")" survey
t=$(ticket_json "$id")
expect_eq "$(jq -r '.survey.score' <<<"$t")" 5
expect_eq "$(jq -r .status <<<"$t")" answered
expect_eq "$(of ticket list --json | jq length)" 1
expect_eq "$(dovecot_seen_count) $(dovecot_unseen_count)" "3 0"
run mails "$box"
expect_rc 0   # every notice passes Python's policy.strict
expect_eq "$(jq -r '[.[] | .subject | contains("['"$id"']")] | all' <<<"$OUT")" true
dovecot_stop

CASE="report counts tickets by channel"
run of report --format json
expect_eq "$(jq -r '.tickets.by_channel.email' <<<"$OUT")" 1

finish
