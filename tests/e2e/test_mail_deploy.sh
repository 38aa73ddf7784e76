#!/usr/bin/env bash
# `mail receive` and `mail fetch` as an MTA or cron runs them on a server: a busy store,
# a user who cannot read the store, a catalogue that is not installed, what the
# acknowledgement says and when it is dated, what `check` says about a bounce.
# (tests/e2e/test_postfix.sh runs the same behind a real Postfix.)
. "$(dirname "$0")/lib.sh"
HOLD=
release_lock() {
  if [ -n "$HOLD" ]; then pkill -P "$HOLD" sleep 2>/dev/null; wait "$HOLD" 2>/dev/null; HOLD=; fi
}
trap 'release_lock; cleanup' EXIT

CORPUS="$OPSFLOW_SOURCE/tests/mail/corpus"
W=$(mktemp -d); TMP_ROOTS+=("$W")
chmod 755 "$W"
# The binary where an administrator installs it, away from the build tree's catalogues,
# and where any user can run it.
install -d -m 755 "$W/bin"
install -m 755 "$OPSFLOW_BIN" "$W/bin/opsflow"

mail_store() {
  new_store
  printf 'mail:\n  address: ops@example.com\n' >> opsflow.yaml
  if [ -n "${1:-}" ]; then printf '  lock_wait: %s\n' "$1" >> opsflow.yaml; fi
  git commit -qam "mail settings"
}
message() { # message SUBJECT MESSAGE-ID [DATE]
  printf 'From: Zhang Wei <zhang.wei@example.com>\nTo: ops@example.com\nSubject: %s\nMessage-ID: <%s>\nDate: %s\n\n%s\n' \
    "$1" "$2" "${3:-$(date -R)}" "The printer on floor 3 is jammed."
}
# hold_lock: another command holds the store lock (flock(1) itself, until release_lock).
hold_lock() {
  flock -o .opsflow/lock sleep 60 & HOLD=$!
  for _ in $(seq 50); do flock -n .opsflow/lock true || return 0; sleep 0.1; done
  fail "the lock was not taken"
}

CASE="mail receive: a store busy past mail.lock_wait exits 75 naming the holder, in about that time, writing nothing"
mail_store 1s
mkdir -p .opsflow
hold_lock
snapshot
message "Printer jam" m1@example.com > "$W/m1.eml"
start=$(date +%s%N)
run of mail receive < "$W/m1.eml"
took=$((($(date +%s%N) - start) / 1000000))
expect_rc 75
expect_err "opsflow: the store is busy ($PWD/.opsflow/lock is locked by process $HOLD (flock)); gave up after 1 s (mail.lock_wait)"
[ "$took" -ge 900 ] && [ "$took" -lt 5000 ] && ok || fail "gave up after $took ms, not about 1 s"
expect_unchanged

CASE="mail fetch: the same 75; the message stays in new/ for the next run"
mkdir -p "$W/Maildir/new" "$W/Maildir/cur" "$W/Maildir/tmp"
cp "$W/m1.eml" "$W/Maildir/new/1.host"
printf '  maildir: %s\n' "$W/Maildir" >> opsflow.yaml
git commit -qam maildir
snapshot
run timeout 20 "$OPSFLOW_BIN" mail fetch
expect_rc 75
expect_err "the store is busy ("
expect_eq "$(ls "$W/Maildir/new")" "1.host"
expect_unchanged

CASE="other commands wait for the lock as long as it takes"
run timeout 3 "$OPSFLOW_BIN" ticket new "Keyboard" --requester "Li <li@example.com>"
expect_rc 124
release_lock
expect_unchanged

CASE="the lock free again: fetch takes the message in, once"
run of mail fetch
expect_rc 0
expect_eq "$(of ticket list --json | jq length)" 1
expect_eq "$(ls "$W/Maildir/new")" ""
run of mail receive < "$W/m1.eml"
expect_rc 0
expect_out "TKT-"
expect_out ": the message from zhang.wei@example.com was taken in already; nothing to do"

CASE="mail.lock_wait: the schema refuses what is no time or too long"
sed -i 's/^  lock_wait: .*/  lock_wait: 20m/' opsflow.yaml
run of mail receive < "$W/m1.eml"
expect_rc 75
expect_err "opsflow.yaml"
expect_err "lock_wait"
git checkout -q opsflow.yaml

CASE="a store the user cannot read: the error says what failed and for which user, not 'no opsflow.yaml'"
S=$(pwd)
chmod 700 "$S"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/nonexistent "$W/bin/opsflow" "$@"; }
run as_nobody -C "$S" ticket list
expect_rc 1
expect_err "opsflow: -C $S: cannot read $S/opsflow.yaml as user nobody: Permission denied"
grep -q "opsflow init" <<<"$ERR" && fail "sends the admin to opsflow init" || ok
run as_nobody -C "$S" mail receive < "$W/m1.eml"
expect_rc 75
expect_err "cannot read $S/opsflow.yaml as user nobody: Permission denied"
CASE="a readable store whose lock the user cannot open: the same, for the lock"
chmod 755 "$S" "$(dirname "$S")"
run as_nobody -C "$S" mail receive < "$W/m1.eml"
expect_rc 75
expect_err "cannot open lock $S/.opsflow/lock as user nobody: Permission denied"
chmod 700 "$S"

CASE="a zh-CN store whose catalogue is not found: one warning on stderr, and one from check"
cd "$W" && new_store
sed -i 's/^language: .*/language: zh-CN/' opsflow.yaml && git commit -qam zh
export OPSFLOW_LOCALEDIR="$W/empty-locale"; mkdir -p "$OPSFLOW_LOCALEDIR"
if [ -e /usr/local/share/locale/zh_CN/LC_MESSAGES/opsflow.mo ] || [ -e /usr/share/locale/zh_CN/LC_MESSAGES/opsflow.mo ]; then
  echo "test_mail_deploy: a catalogue is installed system-wide; the missing-catalogue case is not run"
else
  run "$W/bin/opsflow" ticket list
  expect_rc 0
  expect_eq "$(grep -c "warning: the store's language is zh-CN, but no zh-CN catalogue (zh_CN/LC_MESSAGES/opsflow.mo) was found in $OPSFLOW_LOCALEDIR" <<<"$ERR")" 1
  expect_err "notices go out in English (install it, or set OPSFLOW_LOCALEDIR)"
  run "$W/bin/opsflow" check
  expect_out "opsflow.yaml:"
  expect_out "warning: the store's language is zh-CN, but no zh-CN catalogue"
  OPSFLOW_LOCALEDIR="$(dirname "$OPSFLOW_BIN")/locale" run "$W/bin/opsflow" ticket list
  expect_rc 0
  expect_eq "$ERR" ""
fi
unset OPSFLOW_LOCALEDIR

CASE="the acknowledgement is dated when it is sent, not with the sender's Date; 'delivered to 1 recipient'"
cd "$W" && mail_store
cat > "$W/bin/fake-sendmail" <<SH
#!/bin/sh
printf '%s\n' "\$@" > "$W/argv"
cat > /dev/null
SH
chmod +x "$W/bin/fake-sendmail"
sed -i "s#^  transport: none.*#  transport: sendmail\n  sendmail: [$W/bin/fake-sendmail, -i]#" opsflow.yaml
git commit -qam "sendmail transport"
message "Monitor flickers" m2@example.com "$(date -R -d '-3 hours')" > "$W/m2.eml"
run of mail receive --json < "$W/m2.eml"
expect_rc 0
id=$(jq -r .id <<<"$OUT")
ack=$(of ticket show "$id" --json | jq -r '.notices[0].file')
sent=$(/usr/bin/python3 -c 'import email, email.utils, sys, time
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print(int(abs(time.time() - email.utils.parsedate_to_datetime(m["Date"]).timestamp())))' "$ack")
[ "$sent" -lt 120 ] && ok || fail "the ack's Date is $sent s away from now"
expect_eq "$(git log -1 --format=%s)" "ticket $id: notice delivered to 1 recipient"
expect_eq "$(tr '\n' ' ' < "$W/argv")" "-i -f ops@example.com -- zhang.wei@example.com "

CASE="check: no warning for the address in a bounce of our own notice; still one for an address a person wrote"
ack_id=$(of ticket show "$id" --json | jq -r '.notices[0].message_id')
sed "s/^Message-ID: <opsflow\.TKT-3f9a1c2e[^>]*>/Message-ID: <$ack_id>/" "$CORPUS/bounce-dsn.eml" > "$W/bounce.eml"
run of mail receive --json < "$W/bounce.eml"
expect_rc 0
expect_eq "$(jq -r .id <<<"$OUT")" "$id"
of ticket show "$id" --json | jq -r '.events[-1].text' | grep -qF "li.lei@example.com" && ok || fail "the bounce text is not recorded"
run of check
expect_rc 0
expect_no_out "an e-mail address in free text"
of ticket note "$id" "wrote to li.lei@example.com by hand" >/dev/null
run of check
expect_out "an e-mail address in free text"

finish
