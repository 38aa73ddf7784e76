#!/usr/bin/env bash
# Broken and hostile records: a clear error naming the file and line, exit 5,
# no crash, nothing written, and every other record still works.
. "$(dirname "$0")/lib.sh"
new_store
good=$(of incident new "Good one" --at "2026-03-02 09:00")
victim=$(of incident new "Victim" --at "2026-03-02 09:00")
vfile=$(record_file "$victim")
pristine=$(mktemp); TMP_ROOTS+=("$pristine"); cp "$vfile" "$pristine"

# corrupt DESCRIPTION: writes the victim file with stdin, checks refusal on show and note.
corrupt() {
  CASE="$1"
  cat > "$vfile"
  git add -A; git commit -qm "break: $1" --no-verify  # as if it came in by a pull
  snapshot
  run of incident show "$victim"
  expect_rc 5
  expect_err "opsflow: $vfile"
  [ -n "${2:-}" ] && expect_err "$2"
  run of incident note "$victim" "try"
  expect_rc 5
  expect_unchanged
  run of incident show "$good"; expect_rc 0
  run of incident note "$good" "still works"; expect_rc 0
  run of incident list
  expect_rc 0; expect_out "Good one"; expect_err "warning: skipped $vfile"
}

corrupt "YAML syntax error" "$vfile:4:7: YAML syntax" < <(printf 'id: %s\ntitle: Victim\npriority: [P1\nstatus: new\n' "$victim")
corrupt "bad enum" "$vfile:6:11: /priority: must be one of P1, P2, P3, P4 (found 'urgent')" < <(sed "s/^priority: .*/priority: urgent/" "$pristine")
corrupt "missing field" "$vfile:1:1: /: missing required field 'status'" < <(sed '/^status:/d' "$pristine")
corrupt "number where text is expected" "/title: must be text" < <(sed 's/^title: .*/title: 12345/' "$pristine")
corrupt "duplicate key" "$vfile:3:1: duplicate key 'id'" < <(sed 's/^title: .*/title: a\nid: INC-00000000/' "$pristine")
corrupt "anchor and alias" "anchors (&name) are not allowed" < <(sed 's/^title: .*/title: \&a x\nextra: *a/' "$pristine")
corrupt "empty file" "record file is empty" < /dev/null
corrupt "invalid UTF-8" "$vfile:2:13: invalid UTF-8" < <(printf 'id: %s\ntitle: "bad \xff\xfe utf8"\n' "$victim")
corrupt "a NUL byte" "$vfile:2:12: control character 0x00" < <(printf 'id: %s\ntitle: bad \0 nul\n' "$victim")
corrupt "100,000 levels of nesting" "nesting deeper than" < <(printf 'id: %s\ntitle: ' "$victim"; head -c 100000 /dev/zero | tr '\0' '[')
corrupt "50 MB scalar" "$vfile: file is 52428825 bytes, more than the limit" < <(printf 'id: %s\ntitle: ' "$victim"; head -c 52428800 /dev/zero | tr '\0' 'x'; printf '\n')
corrupt "id does not match the file name" "does not match the file name" < <(sed 's/^id: .*/id: INC-00000000/' "$pristine")
# Times the calendar does not have pass a pattern, not the reader.
corrupt "an impossible reported_at" "/reported_at: '2026-02-30T25:61:61+08:00' is not a valid time" < <(sed 's/^reported_at: .*/reported_at: 2026-02-30T25:61:61+08:00/' "$pristine")
corrupt "an offset of +99:99" "is not a valid time (RFC 3339; years 1970 to 9999)" < <(sed 's/^reported_at: .*/reported_at: 2026-03-02T09:00:00+99:99/' "$pristine")
corrupt "the year 0" "is not a valid time" < <(sed 's/^reported_at: .*/reported_at: 0000-01-01T00:00:00+08:00/' "$pristine")
# Escaped control characters: the raw text is clean ASCII, the value is not.
corrupt "an escaped ESC (terminal escape injection)" "$vfile:2:8: control character U+001B in a value" < <(sed 's/^title: .*/title: "\\e[2J\\e]0;pwned\\a"/' "$pristine")
corrupt "an escaped BEL" "$vfile:2:8: control character U+0007" < <(sed 's/^title: .*/title: "ding\\a"/' "$pristine")
corrupt "an escaped C1 next-line" "$vfile:2:8: control character U+0085" < <(sed 's/^title: .*/title: "a\\u0085b"/' "$pristine")
corrupt "an escaped C1 CSI" "$vfile:2:8: control character U+009B" < <(sed 's/^title: .*/title: "\\x9b2J"/' "$pristine")
# Bidi overrides and isolates reorder what a view shows ("Trojan Source"), a line
# separator breaks it: refused raw and escaped, as control characters are.
corrupt "a raw right-to-left override" "$vfile:2:15: bidi control character U+202E" < <(sed $'s/^title: .*/title: invoice\xe2\x80\xaefdp.exe/' "$pristine")
corrupt "a raw left-to-right isolate" "$vfile:2:8: bidi control character U+2066" < <(sed $'s/^title: .*/title: \xe2\x81\xa6x/' "$pristine")
corrupt "a raw line separator" "$vfile:2:9: bidi control character U+2028" < <(sed $'s/^title: .*/title: a\xe2\x80\xa8b/' "$pristine")
corrupt "an escaped right-to-left override" "$vfile:2:8: control character U+202E in a value" < <(sed 's/^title: .*/title: "a\\u202Eb"/' "$pristine")

CASE="no control character reaches the terminal from a hostile record, and check names it"
sed 's/^title: .*/title: "\\e[2J\\x9b"/' "$pristine" > "$vfile"
run of check
expect_rc 5; grep -q "$vfile:2:8: error: control character U+001B" <<<"$OUT$ERR" && ok || fail "check did not name the line"
for cmd in "incident show $victim" "incident list" "check" "report --format text"; do
  run of $cmd
  if printf '%s%s' "$OUT" "$ERR" | LC_ALL=C grep -q $'[\x1b\x07]\|\xc2[\x80-\x9f]'; then fail "$cmd printed a control character"; else ok; fi
done
cp "$pristine" "$vfile"; git commit -qam "restore the victim" --no-verify

CASE="a record path that is a symlink out of the store is not followed into writing"
ln -sf /etc/hostname "incidents/2026/03/INC-feedf00d.yaml"
run of incident note feedf00d hi
[ "$RC" -ne 0 ] && ok || fail "note through a symlink succeeded"
expect_eq "$(cat /etc/hostname | wc -l)" "1"
rm -f incidents/2026/03/INC-feedf00d.yaml

CASE="control characters on the command line are refused, naming the option, before anything runs"
snapshot
for text in $'esc\e[2J' $'bell\a' $'cr\r\nBcc: x@y' $'del\x7f' $'c1 nel \xc2\x85' $'c1 csi \xc2\x9b'; do
  run of incident new "$text" --service mail --reporter "Ann <ann@example.com>"
  expect_rc 2; expect_err "TITLE: control character U+"; expect_err "is not allowed (run: opsflow incident new --help)"
  run of incident new "fine" --description "$text" --service mail --reporter "Ann <ann@example.com>"
  expect_rc 2; expect_err "--description: control character U+"
done
expect_unchanged

# Only regular files are records: anything else is reported by check and refused
# by every other command, without following it and without waiting on it.
t() { run timeout 10 "$OPSFLOW_BIN" "$@"; [ "$RC" -ne 124 ] || fail "opsflow $* hung"; }
for what in "a symbolic link" "a FIFO" "a socket"; do
  CASE="a record that is $what is reported by check and refused by show and note, never followed or waited on"
  outside=$(mktemp); TMP_ROOTS+=("$outside"); cp "$pristine" "$outside"
  rm "$vfile"
  case "$what" in
    "a FIFO") mkfifo "$vfile" ;;
    "a socket") /usr/bin/python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$vfile" ;;
    *) ln -s "$outside" "$vfile" ;;
  esac
  t check; expect_rc 5; expect_out "$vfile:1:1: error: not a regular file ($what)"
  t export --kind incident; expect_rc 0; expect_out "Good one"; expect_err "$vfile"
  t incident show "$victim"; expect_rc 5; expect_err "$vfile: not a regular file ($what)"
  t incident note "$victim" "through the link"; expect_rc 5
  expect_eq "$(cat "$outside")" "$(cat "$pristine")"
  t incident list; expect_rc 0; expect_out "Good one"
  t incident list --json; expect_rc 0
  rm "$vfile"; cp "$pristine" "$vfile"
done
for settings in team.yaml services.yaml opsflow.yaml; do
  CASE="a settings file that is a FIFO ($settings) is refused, not waited on"
  mv "$settings" "$settings.saved"; mkfifo "$settings"
  t incident list
  if [ "$settings" == opsflow.yaml ]; then # what marks a store is a regular opsflow.yaml
    expect_rc 3; expect_err "not in an opsflow store"
  else
    expect_rc 5; expect_err "$settings: not a regular file (a FIFO)"
    t check; expect_rc 5
  fi
  rm "$settings"; mv "$settings.saved" "$settings"
done
CASE="a record too large to read is reported by check (it was skipped)"
head -c 2000000 /dev/zero | tr '\0' 'x' > "$vfile"
t check; expect_rc 5; expect_out "$vfile:1:1: error: file is 2000000 bytes, more than the limit of 1048576"
cp "$pristine" "$vfile"

CASE="a change that would make a record larger than opsflow reads is refused, nothing written"
big=$(of incident new "Big notes" --service mail --reporter "Ann <ann@example.com>")
bigfile=$(record_file "$big")
note190k() { head -c 190000 /dev/zero | tr '\0' 'n' | of incident note "$big" -; }
refused=0
for i in 1 2 3 4 5 6 7; do
  before=$(git rev-parse HEAD); size=$(wc -c < "$bigfile")
  run note190k
  if [ "$RC" -eq 0 ]; then continue; fi
  refused=$((refused + 1))
  expect_rc 5; expect_err "the file would be"; expect_err "more than the limit of 1048576 that opsflow reads"
  expect_eq "$(git rev-parse HEAD)" "$before"; expect_eq "$(wc -c < "$bigfile")" "$size"
  expect_eq "$(git status --porcelain)" ""
done
[ "$refused" -gt 0 ] && ok || fail "seven 190 KB notes were all written"
run of incident show "$big"; expect_rc 0
run of check; expect_rc 0

CASE="hostile text on the command line is stored safely"
weird=$'line1\nBcc: x@y $(touch pwned) `id` "q" \'s\' # not a comment: yes\tend'
run of incident new "$weird" --description "$weird" --reporter "- yes"
expect_rc 0
wid=$OUT
run of incident show "$wid" --json
expect_eq "$(jq -r .reporter <<<"$OUT")" "- yes"
[ "$(jq -r .title <<<"$OUT")" == "$weird" ] && ok || fail "title changed in the round trip"
[ ! -e pwned ] && ok || fail "shell code ran"
run of incident note "$wid" "round trip"; expect_rc 0

CASE="text that is only invisible space is blank; bidi overrides and line separators are refused (R11)"
snapshot
for text in $'\u3000' $'\u200b' $' \u00a0\u2060 ' $'\ufeff'; do
  run of incident new "$text" --service mail --reporter "Ann <ann@example.com>"
  expect_rc 2; expect_err "TITLE: must not be blank"
  run of incident note "$good" "$text"
  expect_rc 2; expect_err "must not be blank"
done
for code in 202A 202E 2066 2069 2028 2029; do
  run of incident new "$(printf "a \\u$code b")" --service mail --reporter "Ann <ann@example.com>"
  expect_rc 2; expect_err "TITLE: control character U+$code is not allowed"
done
run of incident new $'\u05e9\u05dc\u05d5\u05dd \u200f RLM is text' --service mail --reporter "Ann <ann@example.com>"
expect_rc 0; git reset -q --hard "$SNAP_HEAD"; snapshot
expect_unchanged

CASE="leap seconds: :60 is refused on any day, not rolled into the next minute (R11)"
snapshot
for at in 2026-11-30T23:59:60+08:00 2026-11-30T12:59:60+08:00 "2026-11-30 23:59:60"; do
  run of incident new "Leap" --service mail --reporter "Ann <ann@example.com>" --at "$at"
  expect_rc 2; expect_err "--at: '$at' is not a time"
done
expect_unchanged

CASE="file names with terminal escapes or line feeds are printed escaped, as git quotes them (R9)"
evil=$'incidents/2026/03/INC-\e]0;PWNED\a\e[31m.yaml'
cp "$pristine" "$evil"
t check; expect_rc 5
if printf '%s%s' "$OUT" "$ERR" | LC_ALL=C grep -q $'[\x1b\x07]'; then fail "check printed a raw escape"; else ok; fi
expect_out '"incidents/2026/03/INC-\033]0;PWNED\a\033[31m.yaml":1:5: error:'
rm -f "$evil"
mkdir -p $'incidents/2026/03\n::error file=x'
cp "$pristine" $'incidents/2026/03\n::error file=x/INC-0badf00d.yaml'
t check; expect_rc 5
if grep -q '^::error' <<<"$OUT$ERR"; then fail "a path started a forged CI annotation line"; else ok; fi
expect_out '"incidents/2026/03\n::error file=x/INC-0badf00d.yaml":'
git add -A
run git commit -qm "forged annotation"
expect_rc 1
if grep -q '^::error' <<<"$ERR"; then fail "the hook printed a forged CI annotation line"; else ok; fi
git reset -q; rm -rf $'incidents/2026/03\n::error file=x'

CASE="the pre-commit hook reads each staged record by its blob, so a path with a newline shifts nothing"
# Line-separated `cat-file --batch` requests by path would answer for the wrong file
# here and let the record with a secret through.
dir=$'incidents/2026/03\nx'
mkdir -p "$dir"
secret=$(printf 'INC-%08x' $((0x5ec7e7)))
sed -e "s/$good/$secret/" -e 's/^title: .*/title: "password: hunter2"/' "$(record_file "$good")" > "$dir/$secret.yaml"
echo "# harmless" > notes.txt
git add -A
head=$(git rev-parse HEAD)
run git commit -qm "smuggle a secret"
expect_rc 1; expect_err "a password in a record"
expect_eq "$(git rev-parse HEAD)" "$head"
git reset -q; rm -rf "$dir" notes.txt

finish
