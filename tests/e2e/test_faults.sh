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
