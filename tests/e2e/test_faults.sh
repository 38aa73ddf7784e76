#!/usr/bin/env bash
# Fault injection: changes killed at random points (kill -9), signals with the
# dispositions nohup or a script's background job gives (SIGINT and SIGHUP
# ignored) sent to the whole process group, and plain git running alongside.
# After each fault: the next command works and says what it recovered; every
# change that reported success is in HEAD; a change that did not is either whole
# in HEAD or has left no trace (a clean work tree, no journal, no temporary
# files, no git lock); the store never loses a file; at the end it checks clean.
# FAULT_KILLS and FAULT_SIGNALS set the number of runs (CI: 200 and 100).
. "$(dirname "$0")/lib.sh"
kills=${FAULT_KILLS:-200}
signals=${FAULT_SIGNALS:-100}

new_store
for n in 1 2 3; do
  of -q incident new "Printer $n on fire" --service mail --category hardware --impact low --urgency low --reporter "Ann <ann@example.com>" >/dev/null
done
id=$(of incident list --format csv | sed -n 2p | cut -d, -f1)
file=$(record_file "$id")
files_before=$(git ls-files | wc -l)

# traces: what a change that died may have left behind.
traces() {
  git status --porcelain
  [ -e .opsflow/journal ] && echo "journal left"
  find . -path ./.git -prune -o -name '.*.yaml.??????' -print
  ls .git/index.lock .git/HEAD.lock .git/refs/heads/main.lock .git/opsflow-index-* 2>/dev/null
}
# in_head TEXT: the record in HEAD holds TEXT.
in_head() { git show "HEAD:$file" | grep -qF -- "$1"; }

# after_fault LABEL RC: the checks after one fault, whose command exited with RC.
after_fault() {
  local label=$1 rc=$2
  if [ "$rc" -eq 0 ] && ! in_head "$label"; then fail "$label reported success but is not in HEAD"; fi
  run of incident note "$id" "next after $label"
  if [ "$RC" -ne 0 ]; then fail "the command after $label failed"; return; fi
  in_head "next after $label" || fail "the command after $label is not in HEAD"
  # A change that died is finished or undone, never swept into the next commit.
  git diff HEAD~1 HEAD -- "$file" | grep -qx -- "+ *text: $label" && fail "the change after $label committed it too"
  local left; left=$(traces)
  [ -z "$left" ] || fail "after $label: $left"
  [ "$(git ls-files | wc -l)" -eq "$files_before" ] || fail "after $label the store has $(git ls-files | wc -l) files, not $files_before"
  ok
}

# A random point inside a change: the delays are drawn from how long one change
# takes here, so that a slow machine or a sanitizer build (ten times slower) still
# kills changes in their middle rather than before they start.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
start=$(now_ms)
of -q incident note "$id" "timed" >/dev/null
change_ms=$(($(now_ms) - start + 1))
random_point() {
  local ms=$((RANDOM * change_ms / 32768))
  printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}
echo "  one change takes ${change_ms} ms here" >&2

CASE="changes killed (kill -9) at random points"
recovered=0
for i in $(seq "$kills"); do
  "$OPSFLOW_BIN" incident note "$id" "killed $i" >/dev/null 2>&1 &
  pid=$!
  sleep "$(random_point)"
  kill -9 "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null; rc=$?
  after_fault "killed $i" "$rc"
  grep -q "an interrupted change" <<<"$ERR" && recovered=$((recovered + 1))
done
echo "  $kills kills, $recovered interrupted changes finished or rolled back" >&2
[ "$recovered" -gt 0 ] && ok || fail "no kill interrupted a change: the test did not test recovery"

CASE="SIGINT and SIGHUP to the process group of a change that ignores them (nohup, cron)"
for i in $(seq "$signals"); do
  setsid bash -c 'trap "" INT HUP; exec "$0" "$@"' "$OPSFLOW_BIN" incident note "$id" "signalled $i" >/dev/null 2>&1 &
  pid=$!
  sleep "$(random_point)"
  kill "-$([ $((i % 2)) -eq 0 ] && echo INT || echo HUP)" -- "-$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null; rc=$?
  after_fault "signalled $i" "$rc"
done

CASE="plain git running alongside (a prompt's git status loop) does not make changes fail"
( while :; do git status --porcelain >/dev/null 2>&1; done ) &
looper=$!
failed_changes=0
for i in $(seq 30); do
  of -q incident note "$id" "beside git $i" >/dev/null 2>"$HOME/err" || { failed_changes=$((failed_changes + 1)); cat "$HOME/err" >&2; }
done
kill "$looper"; wait "$looper" 2>/dev/null
expect_eq "$failed_changes" "0"
expect_eq "$(traces)" ""

# A change killed right after its first git command (a wrapper git ends its parent),
# so that it leaves its journal and nothing of git's; with KILL_AT, after its first
# git command of that name.
wrap=$(mktemp -d); TMP_ROOTS+=("$wrap")
cat > "$wrap/git" <<'SH'
#!/bin/sh
/usr/bin/git "$@"; rc=$?
case " $* " in *" ${KILL_AT:-rev-parse} "*) [ -e "$KILL_PARENT_FLAG" ] && rm -f "$KILL_PARENT_FLAG" && kill -9 $PPID ;; esac
exit $rc
SH
chmod +x "$wrap/git"
interrupt_a_note() {
  touch "$wrap/flag"
  KILL_PARENT_FLAG=$wrap/flag PATH="$wrap:$PATH" "$OPSFLOW_BIN" incident note "$id" "$1" >/dev/null 2>&1
  [ -e .opsflow/journal ] || fail "the interrupted note left no journal: the test did not test recovery"
}

CASE="recovery never removes the index lock of a running git commit (its editor open)"
interrupt_a_note "interrupted under a user's commit"
sleep 1.2                              # the lock below is made after the change began, and is old
echo "# our edit" >> services.yaml
( GIT_EDITOR='f(){ sleep 14; echo "my commit" > "$1"; }; f' git commit -qa ) & user_commit=$!
sleep 1.5
[ -e .git/index.lock ] || fail "the user's git commit holds no index lock: the test did not test it"
run of incident list
expect_rc 0
expect_err "not recovered yet"
if grep -q "index.lock" <<<"$ERR" && grep -q "removed" <<<"$ERR"; then fail "a read removed the running commit's lock: $ERR"; else ok; fi
run of incident note "$id" "a change while the user commits"
[ "$RC" -ne 0 ] && ok || fail "a change went on while git's index was locked and a change was not recovered"
expect_err ".git/index.lock exists"
wait "$user_commit"; expect_eq "$?" "0"
expect_eq "$(git log -1 --format=%s)" "my commit"
run of incident note "$id" "after the user's commit"
expect_rc 0
expect_err "an interrupted change had been committed"
expect_eq "$(git status --porcelain)" ""
expect_eq "$(git diff --cached --name-only HEAD)" ""
git show HEAD~1:services.yaml | grep -q "our edit" && ok || fail "the user's commit lost the user's edit"

CASE="a change that fails beside another process's index lock leaves that lock alone"
printf 'opsflow pid 1\n' > .git/index.lock   # PID 1 is alive: the lock is held
run of incident note "$id" "beside a held lock"
expect_rc 1
[ -e .git/index.lock ] && ok || fail "the change removed a lock it did not make"
expect_eq "$(git status --porcelain)" ""
rm -f .git/index.lock

CASE="a lock left by an opsflow commit whose process is gone is removed at once"
interrupt_a_note "interrupted with a dead lock"
printf 'opsflow pid 999999\n' > .git/index.lock
run of incident note "$id" "after a dead lock"
expect_rc 0
expect_err "removed $(pwd)/.git/index.lock"
expect_eq "$(traces)" ""

CASE="the staging directory of an import whose process is gone is removed by the next change"
mkdir -p .opsflow/import-999999/incidents/2026/12 .opsflow/import-1
echo "id: x" > .opsflow/import-999999/incidents/2026/12/INC-99999999.yaml
run of incident note "$id" "after a killed import"
expect_rc 0
[ -e .opsflow/import-999999 ] && fail "a dead import's staging was left" || ok
[ -e .opsflow/import-1 ] && ok || fail "the staging of a live process (PID 1) was removed"
rm -rf .opsflow/import-1

CASE="an import killed with its records in place is rolled back by the next command"
printf 'title,reported_at,impact,urgency,service,category,reporter\n' > "$wrap/rows.csv"
for n in $(seq 40); do
  printf 'Disk %d full,2026-03-05 09:00,low,low,mail,hardware,Ann <ann@example.com>\n' "$n" >> "$wrap/rows.csv"
done
store_files() { find . -path ./.git -prune -o -path ./.opsflow -prune -o -type f -print | sort; }
files_then=$(store_files)
head_then=$(git rev-parse HEAD)
touch "$wrap/flag"
# Killed at the first update-index of its commit: the 40 records are in the work tree.
{ KILL_AT=update-index KILL_PARENT_FLAG=$wrap/flag PATH="$wrap:$PATH" \
  "$OPSFLOW_BIN" import --kind incident "$wrap/rows.csv" >/dev/null 2>&1; } 2>/dev/null
[ -e "$wrap/flag" ] && fail "the import ran no update-index: the test did not test it"
[ -e .opsflow/journal ] || fail "the killed import left no journal: the test did not test recovery"
git status --porcelain | grep -q '^?? incidents/' \
  || fail "the killed import had placed no record: the test did not test recovery"
run of incident list
expect_rc 0
expect_err "an interrupted change was rolled back: incident"
expect_eq "$(git rev-parse HEAD)" "$head_then"
expect_eq "$(store_files)" "$files_then"
expect_eq "$(traces)" ""
expect_eq "$(ls -d .opsflow/import-* 2>/dev/null)" ""
run of check
expect_rc 0

CASE="SIGTERM, SIGINT and SIGHUP during a commit remove the lock and temporary index it holds"
printf '#!/bin/sh\nsleep 31.7\n' > .git/hooks/pre-commit.slow
cp .git/hooks/pre-commit .git/hooks/pre-commit.real
for sig in TERM INT HUP; do
  cp .git/hooks/pre-commit.slow .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit
  # (a script's background job starts with SIGINT ignored: given back its default)
  env --default-signal=INT,QUIT,HUP,TERM "$OPSFLOW_BIN" incident note "$id" "signalled in the hook $sig" >/dev/null 2>&1 &
  pid=$!
  # in the hook: the commit's git children have finished writing its index
  for _ in $(seq 200); do pgrep -f "sleep 31.7" >/dev/null && break; sleep 0.05; done
  [ -e .git/index.lock ] || fail "no commit was in progress: the test did not test $sig"
  kill "-$sig" "$pid"; { wait "$pid"; } 2>/dev/null
  pkill -f "sleep 31.7" 2>/dev/null
  left=$(ls .git/index.lock .git/opsflow-index-* 2>/dev/null)
  expect_eq "$left" ""
  cp .git/hooks/pre-commit.real .git/hooks/pre-commit
  run of incident note "$id" "after $sig"
  expect_rc 0
done
rm -f .git/hooks/pre-commit.slow .git/hooks/pre-commit.real

CASE="the store checks clean after every fault"
run of check
expect_rc 0; expect_err "0 errors"
expect_eq "$(git ls-files | wc -l)" "$files_before"

CASE="mail fetch: messages that can never be committed as they are do not block the ones behind them"
# A secret in the text and a reply to a record with a hand-written comment, then
# later mail: a foreign git lock gives 75 with nothing written and no empty
# directory; without it one fetch takes everything in, and later fetches are stable.
new_store
md=$(mktemp -d); TMP_ROOTS+=("$md"); mkdir -p "$md/new" "$md/cur" "$md/tmp"
printf 'mail:\n  address: [ops@example.com]\n  maildir: %s\n' "$md" >> opsflow.yaml
git commit -qam "maildir"
printf 'From: Carol <carol@example.com>\nSubject: printer\nMessage-ID: <c0@example.com>\n\nprinter broken\n' | of -q mail receive
orig=$(of ticket list --format csv | sed -n 2p | cut -d, -f1)
sed -i 's/^status: .*/& # by hand/' "$(find tickets -name "$orig.yaml")" && git commit -qam "hand comment"
printf 'From: Bob <bob@example.com>\nSubject: login\nMessage-ID: <pw@example.com>\n\nmy password: Hunter2 is refused\n' > "$md/new/1.a.host"
printf 'From: Carol <carol@example.com>\nSubject: Re: [%s] printer\nMessage-ID: <c1@example.com>\n\nstill broken\n' "$orig" > "$md/new/2.b.host"
for n in 3 4 5; do
  printf 'From: user%s@example.com\nSubject: later %s\nMessage-ID: <later-%s@example.com>\n\nhello\n' $n $n $n > "$md/new/$n.c.host"
done
touch .git/index.lock
head_before=$(git rev-parse HEAD)
run of mail fetch
expect_rc 75
rm -f .git/index.lock
expect_eq "$(git rev-parse HEAD)" "$head_before"
expect_eq "$(find tickets notices -type d -empty)" ""
expect_eq "$(ls "$md/new" | wc -l)" 5
run of mail fetch
expect_rc 0
expect_eq "$(ls "$md/new" | wc -l)" 0
expect_eq "$(of ticket list --json | jq -r '[.[].subject | sub("^Re: \\[TKT-[0-9a-f]+\\] "; "")] | sort | join(",")')" "later 3,later 4,later 5,login,printer,printer"
git grep -q Hunter2 $(git rev-list --all) -- && fail "the password reached git" || ok
for again in 1 2; do
  head_before=$(git rev-parse HEAD)
  run of mail fetch
  expect_rc 0
  expect_eq "$(git rev-parse HEAD)" "$head_before"
done
expect_eq "$(git status --porcelain)" ""
run of check
expect_rc 0

finish
