#!/usr/bin/env bash
# The webhook and sendmail transports, each against a real local peer.
. "$(dirname "$0")/lib.sh"
new_store
soon=$(date -d '+10 days' '+%Y-%m-%d')

CASE="sendmail: an argv, recipients after --, the message on stdin, never a shell"
bin=$(mktemp -d); TMP_ROOTS+=("$bin")
cat > "$bin/fake-sendmail" <<SH
#!/bin/sh
printf '%s\n' "\$@" > "$bin/argv"
cat > "$bin/stdin"
SH
chmod +x "$bin/fake-sendmail"
sed -i "s#^  transport: none.*#  transport: sendmail\n  sendmail: [$bin/fake-sendmail, -i, -f, ops@example.com]#" opsflow.yaml
git commit -qam "sendmail transport"
cd "$bin"   # a title that ran in a shell here would leave a file behind
run of -C "$OLDPWD" maint plan 'Upgrade $(touch pwned) `touch pwned2`; touch pwned3' --start "$soon 22:00" --duration 1h --services mail,vpn
expect_rc 0; id=$OUT
run of -C "$OLDPWD" maint notify "$id" --to helpdesk@example.com
expect_rc 0; expect_out "delivered by sendmail to 3 recipient(s)"
cd "$OLDPWD"
expect_eq "$(tr '\n' ' ' < "$bin/argv")" "-i -f ops@example.com -- all-staff@example.com remote@example.com helpdesk@example.com "
grep -q "^Subject: =?UTF-8?B?" "$bin/stdin" && ok || fail "no encoded subject on stdin"
ls "$bin" | grep -q pwned && fail "shell code ran" || ok
expect_file_has "$(find maintenance -name "$id.yaml")" "transport: sendmail"

CASE="sendmail failing: exit 1 with its message, recorded as failed"
printf '#!/bin/sh\necho "mail queue full" >&2\nexit 75\n' > "$bin/fake-sendmail"
run of maint plan "Second" --start "$soon 23:30" --duration 1h --services vpn
id2=$OUT
run of maint notify "$id2"
expect_rc 1; expect_err "exited with 75: mail queue full"
expect_file_has "$(find maintenance -name "$id2.yaml")" "error: "

CASE="webhook: a JSON POST to a local listener"
port=$(free_port)
hook=$(mktemp -d); TMP_ROOTS+=("$hook")
/usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/http_listener.py" "$port" "$hook" & SERVER_PIDS+=($!)
wait_port "$port"
sed -i "/^  transport:/,/^  sendmail:/d" opsflow.yaml
sed -i "s#^notify:#notify:\n  transport: webhook\n  webhook: {url: \"http://127.0.0.1:$port/hook\"}#" opsflow.yaml
git commit -qam "webhook transport"
run of maint plan "数据库补丁 DB patch" --start "$soon 21:00" --duration 2h --services mail
id3=$OUT
run of maint notify "$id3"
expect_rc 0; expect_out "delivered by webhook to 1 recipient(s)"
body=$(cat "$hook/0.json")
expect_eq "$(jq -r .record <<<"$body")" "$id3"
expect_eq "$(jq -r .purpose <<<"$body")" "announce"
jq -r .subject <<<"$body" | grep -q "数据库补丁 DB patch" && ok || fail "subject"
jq -r .text <<<"$body" | grep -q "Affected services" && ok || fail "text"
expect_eq "$(jq -r '.recipients | join(",")' <<<"$body")" "all-staff@example.com"

CASE="webhook answering 500: failure recorded, retry succeeds"
echo 500 > "$hook/status"
run of maint plan "Third" --start "$soon 20:00" --duration 1h --services mail
id4=$OUT
run of maint notify "$id4"
expect_rc 1; expect_err "the webhook answered HTTP 500"
rm "$hook/status"
run of maint notify "$id4"
expect_rc 0; expect_out "retry delivered by webhook"

CASE="a transport without its URL is a settings error"
sed -i '/^  webhook:/d' opsflow.yaml
run of maint list
expect_rc 5; expect_err "notify.transport is webhook but notify.webhook.url is not set"

finish
