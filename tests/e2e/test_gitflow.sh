#!/usr/bin/env bash
# git integration: the pre-commit hook (and chaining to an existing one), the
# merge driver between two clones, merges in both directions, and `opsflow log`.
. "$(dirname "$0")/lib.sh"

CASE="init installs the hook and registers the merge driver"
new_store
origin=$PWD
expect_eq "$(git config merge.opsflow.driver)" "'$OPSFLOW_BIN' merge-driver %O %A %B %L %P"
if [ -x .git/hooks/pre-commit ]; then ok; else fail "no executable pre-commit hook"; fi
expect_file_has .gitattributes "incidents/**/*.yaml merge=opsflow"
I=$(of incident new "Mail down" --service mail --category email --impact high --urgency high --reporter "Ann <ann@example.com>" --at "2026-03-02 09:00")

CASE="the hook refuses a commit with a secret, opsflow's own and one by hand, and allows a clean one"
snapshot; before=$(commits)
run of incident note "$I" "db password: hunter2" --at "2026-03-02 09:20"
expect_rc 1; expect_err "a password in a record"; expect_err "commit refused by the pre-commit hook"
expect_eq "$(commits)" "$before"; expect_unchanged
f=$(record_file "$I")
printf 'description: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEow\n  -----END RSA PRIVATE KEY-----\n' > /tmp/desc.$$
sed -i "/^reporter:/r /tmp/desc.$$" "$f"; rm -f /tmp/desc.$$
git add "$f"
run git commit -qm "by hand"
expect_rc 1; expect_err "$f:"; expect_err "a private key block"
expect_eq "$(commits)" "$before"
git checkout -q HEAD -- "$f"
run of incident note "$I" "restarted the relay" --at "2026-03-02 09:30"
expect_rc 0; expect_eq "$(commits)" "$((before + 1))"
echo "# notes by hand" > NOTES.md; git add NOTES.md
run git commit -qm "a file that is not a record"
expect_rc 0

CASE="an existing pre-commit hook is kept and still runs"
d=$(mktemp -d); TMP_ROOTS+=("$d")
git init -q "$d/repo"
printf '#!/bin/sh\ntouch "$(git rev-parse --show-toplevel)/.local-hook-ran"\n' > "$d/repo/.git/hooks/pre-commit"
chmod +x "$d/repo/.git/hooks/pre-commit"
run of init "$d/repo"
expect_rc 0
if [ -x "$d/repo/.git/hooks/pre-commit.local" ]; then ok; else fail "the old hook was not kept"; fi
if [ -e "$d/repo/.local-hook-ran" ]; then ok; else fail "the old hook did not run on init's commit"; fi
run of -C "$d/repo" init --hooks
expect_rc 0
expect_eq "$(grep -c 'touch' "$d/repo/.git/hooks/pre-commit.local")" "1"

CASE="a clone without the driver is told how to register it"
cd "$d"
git clone -q "$origin" clone-b
cd clone-b
run of incident list
expect_rc 0; expect_err "opsflow merge driver is not registered (run: opsflow init --hooks)"
run of init --hooks
expect_rc 0; expect_out "Registered the merge driver and installed the pre-commit hook"
run of incident list
expect_rc 0; expect_eq "$ERR" ""
b=$PWD

CASE="notes added in two clones merge cleanly, both kept"
cd "$origin"; git config receive.denyCurrentBranch ignore
of -q incident note "$I" "note from site A" --at "2026-03-02 10:00"
cd "$b"
of -q incident note "$I" "note from site B" --at "2026-03-02 10:05"
run git pull -q --no-rebase --no-edit
expect_rc 0
f=$(record_file "$I")
expect_file_has "$f" "note from site A"; expect_file_has "$f" "note from site B"
if grep -q '<<<<<<<' "$f"; then fail "conflict markers after a clean merge"; else ok; fi
run of check; expect_rc 0
expect_eq "$(grep -n 'note from site' "$f" | cut -d: -f2-)" "    text: note from site A
    text: note from site B"

CASE="the same field changed to different values is a conflict with markers"
cd "$origin"; git reset -q --hard; git pull -q --no-rebase --no-edit "$b" main
of -q incident assign "$I" --to lisi --at "2026-03-02 11:00"
cd "$b"
of -q incident assign "$I" --to chen --at "2026-03-02 11:05"
run git pull -q --no-rebase --no-edit
expect_rc 1
expect_err "conflict"
expect_file_has "$f" "<<<<<<< ours"; expect_file_has "$f" "assignee: chen"; expect_file_has "$f" "assignee: lisi"
git merge --abort

CASE="both merge directions give identical bytes"
cd "$origin"
git checkout -q -b left
of -q incident diagnose "$I" --cause "relay queue full" --at "2026-03-02 12:00"
of -q incident note "$I" "left note" --at "2026-03-02 12:00"
git checkout -q main; git checkout -q -b right
of -q incident note "$I" "right note" --at "2026-03-02 12:00"
of -q incident note "$I" "right later" --at "2026-03-02 12:30"
git checkout -q -b right-into-left left; run git merge -q --no-edit right; expect_rc 0
git checkout -q -b left-into-right right; run git merge -q --no-edit left; expect_rc 0
f=$(record_file "$I")
expect_eq "$(git show right-into-left:"$f" | sha1sum)" "$(git show left-into-right:"$f" | sha1sum)"
expect_file_has "$f" "cause: relay queue full"; expect_file_has "$f" "status: diagnosing"
run of check "$f"; expect_rc 0
# The driver called directly, both ways round, on the same three versions.
git show main:"$f" > base.yaml; git show left:"$f" > l.yaml; git show right:"$f" > r.yaml
cp l.yaml a1.yaml; cp r.yaml a2.yaml
run of merge-driver base.yaml a1.yaml r.yaml 7 "$f"; expect_rc 0
run of merge-driver base.yaml a2.yaml l.yaml 7 "$f"; expect_rc 0
expect_eq "$(sha1sum < a1.yaml)" "$(sha1sum < a2.yaml)"
rm -f base.yaml l.yaml r.yaml a1.yaml a2.yaml
# A file that is not a record is merged as text, as git would have.
printf 'a\nb\nc\n' > o.txt; printf 'A\nb\nc\n' > x.txt; printf 'a\nb\nC\n' > y.txt
run of merge-driver o.txt x.txt y.txt 7 notes/readme.txt
expect_rc 0; expect_err "merged as text (not a record)"; expect_eq "$(cat x.txt)" "A
b
C"
rm -f o.txt x.txt y.txt
git checkout -q main

CASE="impact raised in one clone and urgency in the other: the merge takes the matrix's priority and deadlines"
cd "$origin"; git checkout -q main
J=$(of incident new "Printer queue stuck" --service mail --category email --impact medium --urgency medium --reporter "Ann <ann@example.com>" --at "2026-03-03 09:00")
jf=$(record_file "$J")
expect_file_has "$jf" "priority: P3"
git checkout -q -b impact
of -q incident classify "$J" --impact high --at "2026-03-03 09:10"
git checkout -q main; git checkout -q -b urgency
of -q incident classify "$J" --urgency high --at "2026-03-03 09:20"
git checkout -q -b urgency-into-impact impact; run git merge -q --no-edit urgency; expect_rc 0
git checkout -q -b impact-into-urgency urgency; run git merge -q --no-edit impact; expect_rc 0
expect_eq "$(git show urgency-into-impact:"$jf" | sha1sum)" "$(git show impact-into-urgency:"$jf" | sha1sum)"
expect_file_has "$jf" "impact: high"; expect_file_has "$jf" "urgency: high"
expect_file_has "$jf" "priority: P1"
# P1: respond within 15 minutes and resolve within 4 hours of the report, around the clock.
expect_file_has "$jf" "respond_by: 2026-03-03T09:15:00+08:00"
expect_file_has "$jf" "resolve_by: 2026-03-03T13:00:00+08:00"
run of check "$jf"; expect_rc 0

CASE="a fix in one clone and a later assignment in the other is a conflict, not a clean merge"
git checkout -q main
K=$(of incident new "Disk full" --service mail --category email --impact low --urgency low --reporter "Ann <ann@example.com>" --at "2026-03-04 09:00")
kf=$(record_file "$K")
of -q incident assign "$K" --to lisi --at "2026-03-04 09:05"
git checkout -q -b fixed
of -q incident fix "$K" --cause "logs" --resolution "rotated the logs" --at "2026-03-04 10:00"
git checkout -q main; git checkout -q -b reassigned
of -q incident assign "$K" --to chen --at "2026-03-04 11:00"
git checkout -q -b reassigned-into-fixed fixed
run git merge -q --no-edit reassigned
expect_rc 1
expect_err "conflict: events: event 4 ('assign' at 2026-03-04T11:00:00+08:00): the workflow does not allow assign when it is 'resolved'"
expect_file_has "$kf" "<<<<<<< ours"; expect_file_has "$kf" "status: resolved"; expect_file_has "$kf" "status: assigned"
git merge --abort
git checkout -q -b fixed-into-reassigned reassigned
run git merge -q --no-edit fixed
expect_rc 1
expect_err "the workflow does not allow assign when it is 'resolved'"
git merge --abort
git checkout -q main

CASE="log shows the record's history, and follows a move"
run of log "$I"
expect_rc 0
expect_out "incident.new"; expect_out "incident.assign"; expect_out "incident.note"
expect_eq "$(grep -c 'incident\.' <<<"$OUT")" "$(git log --oneline -- "$(record_file "$I")" | grep -c 'incident')"
mkdir -p incidents/2026/04; git mv "$(record_file "$I")" incidents/2026/04/; git commit -qm "move by hand" --no-verify
run of log "$I"
expect_rc 0; expect_out "incident.new"; expect_out "(by hand)"; expect_out "moved from"
run of log "${I:4:4}" --json
expect_rc 0; expect_eq "$(jq -r '.[0].action' <<<"$OUT")" "incident.new"
run of log INC-00000000; expect_rc 3
run of log ../../etc; expect_rc 2

CASE="the pre-commit framework entry and the CI problem matcher fit check's output"
bindir=$(mktemp -d); TMP_ROOTS+=("$bindir"); ln -s "$OPSFLOW_BIN" "$bindir/opsflow"
entry=$(sed -n 's/^  entry: //p' "$OPSFLOW_SOURCE/.pre-commit-hooks.yaml")
expect_eq "$entry" "opsflow check --staged"
f=$(record_file "$I")
sed -i 's/^title: .*/title: "token ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"/' "$f"; git add "$f"
run env PATH="$bindir:$PATH" $entry
expect_rc 5; expect_out "$f:2:"
line=$(grep ": error: " <<<"$OUT" | head -1)
run /usr/bin/python3 -c 'import json,re,sys; p=json.load(open(sys.argv[1]))["problemMatcher"][0]["pattern"][0]; m=re.match(p["regexp"], sys.argv[2]); print(m.group(p["file"]), m.group(p["line"]), m.group(p["severity"]))' \
  "$OPSFLOW_SOURCE/examples/ci/opsflow-problem-matcher.json" "$line"
expect_eq "$OUT" "$f 2 error"
git checkout -q HEAD -- "$f"

finish
