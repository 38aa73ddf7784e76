#!/usr/bin/env bash
# `mail receive` behind a real MTA: Debian's Postfix, in a private instance whose every
# file is in a temporary directory (config, queue, log), listening on 127.0.0.1 only,
# delivering locally only (default_transport = error). The README's recipe, as written
# there: an alias file owned by the store user, in a directory that user can write,
# listed in alias_maps and alias_database, so that local(8) runs opsflow as that user.
# A system Postfix, if one runs, is neither used nor touched. Installs nothing: without
# root or without Postfix (scripts/setup-deps installs it) it says SKIP and exits 0.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: test_postfix needs root (Postfix's local(8) runs commands as the alias file's owner)"
  exit 0
fi
for tool in postfix postconf postalias postqueue sendmail; do
  if [ ! -x "/usr/sbin/$tool" ]; then
    echo "SKIP: test_postfix: /usr/sbin/$tool is missing (scripts/setup-deps installs postfix)"
    exit 0
  fi
done

D=$(mktemp -d); TMP_ROOTS+=("$D")
chmod 755 "$D"   # the store user and Postfix's own users walk through it
U=opsflow-e2e
MADE_USER=
PFX="/usr/sbin/postfix -c $D/etc"
postfix_stop() {
  if [ -f "$D/queue/pid/master.pid" ]; then
    $PFX stop >/dev/null 2>&1
    local pid; pid=$(tr -d ' ' < "$D/queue/pid/master.pid")
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}
release_lock() {
  if [ -n "${HOLD:-}" ]; then pkill -P "$HOLD" sleep 2>/dev/null; wait "$HOLD" 2>/dev/null; HOLD=; fi
}
trap 'release_lock; postfix_stop; [ -n "$MADE_USER" ] && userdel "$U" 2>/dev/null; cleanup' EXIT

if ! id "$U" >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir "$D/home" --shell /usr/sbin/nologin "$U" || {
    echo "test_postfix: cannot create the user $U" >&2; exit 1; }
  MADE_USER=yes
fi
# as_u CMD...: as the store user, with the environment Postfix gives a command (no
# HOME of its own: the git identity must come from the store's .git/config).
as_u() { runuser -u "$U" -- env -i HOME="$D/home" PATH=/usr/bin:/bin LANG=C "$@"; }

# The binary where an administrator installs it (cmake --install: /usr/local/bin).
install -d -m 755 "$D/bin" "$D/home"
install -m 755 "$OPSFLOW_BIN" "$D/bin/opsflow"
chown "$U" "$D/home"
S="$D/srv/ops"
install -d -o "$U" -m 0750 "$D/srv"
as_u "$D/bin/opsflow" init "$S" --timezone Asia/Shanghai >/dev/null || { echo "init failed" >&2; exit 1; }
as_u git -C "$S" config user.name "Ops mail gateway"
as_u git -C "$S" config user.email ops@example.com
cat >> "$S/opsflow.yaml" <<'YAML'
mail:
  address: ops@example.com
  lock_wait: 2s
YAML
as_u git -C "$S" commit -qam "mail intake"
of_u() { as_u "$D/bin/opsflow" -C "$S" "$@"; }
tickets() { of_u ticket list --json | jq length; }

# The alias file: owned by the store user, in a directory it can write (postalias
# makes the .db as the owner of the source file).
install -d -o "$U" -m 0755 "$D/aliases" "$D/mail"
cat > "$D/aliases/aliases" <<EOF
ops: "|$D/bin/opsflow -C $S -q mail receive"
sender: $D/mail/sender
EOF
chown "$U" "$D/aliases/aliases"

PORT=$(free_port)
mkdir -p "$D/etc" "$D/queue" "$D/data"
chown postfix "$D/data"
cat > "$D/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $D/queue
data_directory = $D/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.example.com
mydomain = example.com
myorigin = example.com
mydestination = example.com, localhost
mynetworks = 127.0.0.0/8
default_transport = error
relay_transport = error
# Mail from 127.0.0.1 is taken as it is: Postfix adds no From, Date or Message-ID.
local_header_rewrite_clients =
alias_maps = hash:$D/aliases/aliases
alias_database = hash:$D/aliases/aliases
maillog_file = $D/maillog
maillog_file_prefixes = $D
biff = no
EOF
cat > "$D/etc/master.cf" <<EOF
127.0.0.1:$PORT inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
/usr/sbin/postalias -c "$D/etc" "hash:$D/aliases/aliases"
$PFX start >/dev/null 2>&1 || { echo "postfix start failed:"; cat "$D/maillog"; exit 1; }
wait_port "$PORT"

# wait_log PATTERN N: until the mail log has N lines matching PATTERN (at most 30 s).
wait_log() {
  for _ in $(seq 300); do
    [ "$(grep -cE -- "$1" "$D/maillog")" -ge "$2" ] && return 0
    sleep 0.1
  done
  fail "the mail log has not $2 line(s) matching '$1'"; return 1
}
submit() { /usr/sbin/sendmail -C "$D/etc" -i -f sender@example.com ops@example.com; }
message() {
  printf 'From: Sender <sender@example.com>\nTo: ops@example.com\nSubject: %s\nMessage-ID: <%s>\nDate: %s\n\n%s\n' \
    "$1" "$2" "$(date -R)" "$3"
}
SENT='to=<ops@example.com>, .*status=sent'

CASE="the alias recipe: a message becomes one ticket, committed as the store user with the store's git identity"
message "Printer jam on floor 3" m1@example.com "The printer on floor 3 is jammed." | submit
wait_log "$SENT" 1
expect_eq "$(tickets)" 1
expect_eq "$(of_u ticket list --json | jq -r '.[0].subject')" "Printer jam on floor 3"
expect_eq "$(as_u git -C "$S" log -1 --format='%an <%ae>|%s' | sed 's/TKT-[0-9a-f]*/TKT-x/')" \
  "Ops mail gateway <ops@example.com>|ticket TKT-x: received by email"
expect_eq "$(stat -c %U "$(find "$S/tickets" -name '*.yaml' | head -1)")" "$U"
expect_eq "$(as_u git -C "$S" status --porcelain)" ""

CASE="a store held past mail.lock_wait: deferred (75), never bounced; postqueue -f then delivers it once"
flock -o "$S/.opsflow/lock" sleep 60 & HOLD=$!
for _ in $(seq 50); do flock -n "$S/.opsflow/lock" true || break; sleep 0.1; done   # until it is held
message "VPN down" m2@example.com "The VPN refuses my password." | submit
wait_log 'to=<ops@example.com>, .*status=deferred' 1
line=$(grep 'status=deferred' "$D/maillog" | tail -1)
grep -qF "the store is busy ($S/.opsflow/lock is locked by process $HOLD (flock)); gave up after 2 s (mail.lock_wait)" <<<"$line" && ok || fail "deferral: $line"
grep -q 'dsn=4\.' <<<"$line" && ok || fail "not a 4.x.x status: $line"
expect_eq "$(grep -c 'status=bounced' "$D/maillog")" 0
expect_eq "$(tickets)" 1
release_lock
/usr/sbin/postqueue -c "$D/etc" -f
wait_log "$SENT" 2
expect_eq "$(tickets)" 2
expect_eq "$(grep -rl 'm2@example.com' "$S/tickets" | wc -l)" 1
expect_eq "$(as_u git -C "$S" log --format=%s | grep -c 'received by email')" 2
/usr/sbin/postqueue -c "$D/etc" -f; sleep 1
expect_eq "$(grep -c "$SENT" "$D/maillog")" 2

CASE="junk (no From, sent over SMTP to 127.0.0.1, so Postfix adds none): opsflow exits 65, Postfix bounces it to the sender"
/usr/bin/python3 - "$PORT" <<'PY'
import smtplib, sys
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as s:
    s.sendmail("sender@example.com", ["ops@example.com"], b"Subject: no sender\r\n\r\njunk\r\n")
PY
wait_log 'to=<ops@example.com>, .*status=bounced' 1
line=$(grep 'to=<ops@example.com>, .*status=bounced' "$D/maillog")
grep -qF "dsn=5.6.0" <<<"$line" && ok || fail "bounce: $line"
grep -qF "opsflow: the message has no From address" <<<"$line" && ok || fail "bounce: $line"
wait_log 'to=<sender@example.com>, .*status=sent' 1
expect_file_has "$D/mail/sender" "the message has no From address"
expect_eq "$(tickets)" 2

finish
