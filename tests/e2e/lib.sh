# Helpers for end-to-end suites: each suite runs the real opsflow binary in
# temporary stores that are real git repositories, and asserts what a user sees.
set -u
: "${OPSFLOW_BIN:?set OPSFLOW_BIN to the opsflow binary}"
: "${OPSFLOW_SOURCE:?set OPSFLOW_SOURCE to the source tree}"
export NO_COLOR=1 TZ=UTC GIT_CONFIG_NOSYSTEM=1
export HOME=$(mktemp -d)                       # no user git config leaks in
git config --global user.name "E2E Test"
git config --global user.email e2e@example.com
git config --global init.defaultBranch main
unset OPSFLOW_DIR OPSFLOW_USER VISUAL EDITOR
# English messages and an English store (`init` writes the locale's language), whatever
# the machine's locale; a suite that tests Chinese asks for it (LANG=zh_CN.UTF-8 or --lang).
unset LC_ALL LC_MESSAGES LANGUAGE
export LANG=C.UTF-8

passed=0
failed=0
TMP_ROOTS=("$HOME")
cleanup() { rm -rf "${TMP_ROOTS[@]}"; }
trap cleanup EXIT

of() { "$OPSFLOW_BIN" "$@"; }

# run CMD...: runs it, keeping stdout in $OUT, stderr in $ERR, exit code in $RC.
run() {
  local o e
  o=$(mktemp); e=$(mktemp)
  "$@" >"$o" 2>"$e"
  RC=$?
  OUT=$(cat "$o"); ERR=$(cat "$e")
  rm -f "$o" "$e"
}

ok() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  printf 'FAIL [%s] %s\n' "${CASE:-?}" "$*" >&2
  [ -n "${OUT:-}" ] && printf '  stdout: %s\n' "${OUT:0:600}" >&2
  [ -n "${ERR:-}" ] && printf '  stderr: %s\n' "${ERR:0:600}" >&2
}

expect_rc() { if [ "$RC" -eq "$1" ]; then ok; else fail "exit code $RC, expected $1"; fi; }
expect_eq() { if [ "$1" == "$2" ]; then ok; else fail "got '$1', expected '$2'"; fi; }
expect_out() { if grep -qF -- "$1" <<<"$OUT"; then ok; else fail "stdout lacks '$1'"; fi; }
expect_err() { if grep -qF -- "$1" <<<"$ERR"; then ok; else fail "stderr lacks '$1'"; fi; }
expect_no_out() { if grep -qF -- "$1" <<<"$OUT"; then fail "stdout has '$1'"; else ok; fi; }
expect_file_has() { if grep -qF -- "$2" "$1"; then ok; else fail "$1 lacks '$2'"; fi; }

# new_store [DIR]: a fresh store in a new git repository with a small team; cds into it.
new_store() {
  local dir
  dir=$(mktemp -d)
  TMP_ROOTS+=("$dir")
  of init "$dir/store" --timezone Asia/Shanghai >/dev/null || { echo "init failed" >&2; exit 1; }
  cd "$dir/store" || exit 1
  cat > team.yaml <<'YAML'
people:
  - {id: lisi, name: 李四, email: lisi@example.com, roles: [technician], skills: [network, email]}
  - {id: wangwu, name: 王五, email: wangwu@example.com, roles: [technician, lead]}
  - {id: chen, name: Chen Jing, email: chen@example.com, roles: [technician]}
teams:
  mail: [lisi, chen]
YAML
  cat > services.yaml <<'YAML'
services:
  - {id: mail, name: 邮件系统, owner: lisi, criticality: high, subscribers: [all-staff@example.com]}
  - {id: vpn, name: VPN, owner: wangwu, criticality: medium, subscribers: [remote@example.com]}
YAML
  sed -i 's/^routing: \[\].*/routing:\n  - {category: network, assign: wangwu}\n  - {service: mail, assign: "team:mail"}/' opsflow.yaml
  git add -A && git commit -qm "test settings"
}

commits() { git rev-list --count HEAD; }
tree_state() { git status --porcelain; git rev-parse HEAD; find . -path ./.git -prune -o -type f -newer .git/HEAD -print | sort; }
record_file() { find incidents -name "$1*.yaml" | head -1; }

# A snapshot of everything a refused command must leave alone.
snapshot() { SNAP_HEAD=$(git rev-parse HEAD); SNAP_FILES=$(find . -path ./.git -prune -o -path ./.opsflow -prune -o -type f -print0 | sort -z | xargs -0 sha1sum); }
expect_unchanged() {
  local files
  files=$(find . -path ./.git -prune -o -path ./.opsflow -prune -o -type f -print0 | sort -z | xargs -0 sha1sum)
  if [ "$(git rev-parse HEAD)" == "$SNAP_HEAD" ] && [ "$files" == "$SNAP_FILES" ] && [ -z "$(git status --porcelain)" ]; then ok; else fail "the store changed"; fi
}

finish() {
  echo "$(basename "$0" .sh): $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# wait_port PORT: until something listens on 127.0.0.1:PORT (at most 10 s).
wait_port() {
  for _ in $(seq 100); do
    /usr/bin/python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$1)))" && return 0
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2; return 1
}
SERVER_PIDS=()
stop_servers() { for p in "${SERVER_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; SERVER_PIDS=(); }
trap 'stop_servers; cleanup' EXIT
# start_smtp PORT MAILDIR: a real SMTP server (aiosmtpd) that stores what it receives.
start_smtp() {
  mkdir -p "$(dirname "$2")"
  /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$1" -c aiosmtpd.handlers.Mailbox "$2" >/dev/null 2>&1 &
  SMTP_PID=$!
  SERVER_PIDS+=($SMTP_PID)
  wait_port "$1"
}
# mails MAILDIR: the received messages as JSON (tests/e2e/mailcheck.py).
mails() { /usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/mailcheck.py" "$1"; }
