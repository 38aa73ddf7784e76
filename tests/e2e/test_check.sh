#!/usr/bin/env bash
# opsflow check: the example store is clean; a corpus of broken stores, one
# defect each, is reported at the right file, line and with the right message.
. "$(dirname "$0")/lib.sh"

CASE="the example store is clean"
cp -r "$OPSFLOW_SOURCE/examples/store" "$HOME/example"
run of -C "$HOME/example" check
expect_rc 0; expect_eq "$OUT" ""; expect_err "0 errors, 0 warnings"

# A base store with one finished record of each kind, built through the CLI.
new_store
base=$PWD
at() { of -q "$@" >/dev/null || echo "setup failed: $*" >&2; }
I=$(of incident new "Mail down" --service mail --category email --impact high --urgency high --reporter "Ann <ann@example.com>" --at "2026-03-02 09:00")
at incident assign "$I" --to lisi --at "2026-03-02 09:05"
at incident diagnose "$I" --cause "queue full" --at "2026-03-02 09:20"
at incident fix "$I" --resolution "flushed" --at "2026-03-02 09:40"
at incident verify "$I" --passed --at "2026-03-02 10:00"
at incident close "$I" --feedback "mail works again" --at "2026-03-02 10:10"
T=$(of ticket new "Share a calendar" --requester "Bob <bob@example.com>" --service mail --category email --at "2026-03-02 10:00")
at ticket answer "$T" --answer "Use the share button" --no-notify --at "2026-03-02 11:00"
M=$(of maint plan "Mail patch" --start "2026-03-07 22:00" --duration 2h --services mail --owner wangwu --at "2026-03-02 09:00")
at maint notify "$M" --at "2026-03-02 09:30"
at maint start "$M" --at "2026-03-07 22:00"
at maint done "$M" --result completed --notes "patched, runbook updated" --at "2026-03-07 23:00"
P=$(of improve new "Faster mail fixes" --metric mttr --target "-20%" --service mail --owner lisi --at "2026-03-09 09:00")
at improve start "$P" --at "2026-03-09 10:00"
at improve done "$P" --at "2026-03-10 10:00"
at improve evaluate "$P" --window 7d
ifile=$(find incidents -name "$I.yaml"); tfile=$(find tickets -name "$T.yaml")
mfile=$(find maintenance -name "$M.yaml"); pfile=$(find improvements -name "$P.yaml")

CASE="a store built through the CLI is clean"
run of check
expect_rc 0; expect_err "checked 7 files: 0 errors, 0 warnings"

# broken: a copy of the base store to break (cd into it).
broken() { local d; d=$(mktemp -d); TMP_ROOTS+=("$d"); cp -r "$base/." "$d"; cd "$d" || exit 1; }
line_of() { grep -n -m1 -- "$2" "$1" | cut -d: -f1; }
# expect_finding FILE LINE SEVERITY MESSAGE: the check output has FILE:LINE:COL: SEVERITY: ...MESSAGE
expect_finding() {
  if grep -E "^$1:$2:[0-9]+: $3: " <<<"$OUT" | grep -qF -- "$4"
  then ok; else fail "no '$1:$2:*: $3: ...$4' in the output"; fi
}

CASE="schema: a value outside its enum"
broken; sed -i 's/^impact: high/impact: huge/' "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" "$(line_of "$ifile" '^impact: huge')" error "must be one of high, medium, low (found 'huge')"
expect_err "1 error"

CASE="plain YAML 1.1 non-strings are not text: check refuses them in text fields (R10)"
broken
for value in yes no on off 0x1F 0b101 1_000 12:30 +12 .inf .NaN 2026-11-24 "2026-11-24T10:00:00+08:00"; do
  sed -i "s/^title: .*/title: $value/" "$ifile"
  run of check; expect_rc 5
  expect_finding "$ifile" "$(line_of "$ifile" '^title: ')" error "must be text (quote it if it looks like a number, date or yes/no), not"
  run of incident show "$I"; expect_rc 5
done
# (the title then disagrees with the events' title, which check reports: only the type is asked here)
sed -i 's/^title: .*/title: "yes"/' "$ifile"
run of check; expect_no_out "must be text"
sed -i 's/^title: .*/title: 2026-11-24 was bad/' "$ifile"
run of check; expect_no_out "must be text"

CASE="plain scalars: opsflow's check and writer agree with PyYAML and YAML 1.2 core, both ways (R10)"
broken
run /usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/yaml_types_diff.py" "$OPSFLOW_BIN" "$PWD" "$ifile"
expect_rc 0

CASE="the file name does not match the id"
broken; mv "$ifile" "$(dirname "$ifile")/INC-0badf00d.yaml"
run of check; expect_rc 5
expect_finding "$(dirname "$ifile")/INC-0badf00d.yaml" 1 error "does not match the file name 'INC-0badf00d.yaml'"

CASE="a priority the matrix does not give, with no override (as a merge of two classifications leaves it)"
broken; sed -i 's/urgency: high/urgency: low/' "$ifile"   # the field and the event that set it agree
run of check; expect_rc 5
expect_finding "$ifile" "$(line_of "$ifile" '^priority:')" error "priority P1 disagrees with impact high and urgency low: the priority matrix gives"
expect_out "no event overrides it with a reason (run: opsflow incident classify $I --impact high --urgency low)"

CASE="duplicate IDs in two months"
broken; mkdir -p incidents/2026/04; cp "$ifile" incidents/2026/04/
run of check; expect_rc 5
expect_finding "$ifile" 1 error "duplicate id $I: also in incidents/2026/04/$I.yaml"
expect_finding "incidents/2026/04/$I.yaml" 1 error "duplicate id $I: also in $ifile"
expect_finding "incidents/2026/04/$I.yaml" 1 warning "filed under the wrong month"

CASE="an assignee who is not in team.yaml"
broken; sed -i 's/assignee: lisi/assignee: nobody/' "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" "$(line_of "$ifile" '^assignee: nobody')" error "'nobody' is not a person in team.yaml"

CASE="a service that is not in services.yaml"
broken; sed -i 's/service: mail/service: fax/' "$tfile"
run of check; expect_rc 5
expect_finding "$tfile" "$(line_of "$tfile" '^service: fax')" error "service 'fax' is not in services.yaml"

CASE="a category that is not in opsflow.yaml"
broken; sed -i 's/category: email/category: plumbing/' "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" "$(line_of "$ifile" '^category: plumbing')" error "category 'plumbing' is not in opsflow.yaml's categories"

CASE="a link to a record that does not exist"
broken; sed -i "s/^events:/links:\n  - TKT-deadbeef\nevents:/" "$ifile"
run of check; expect_rc 0   # a warning: the other record may arrive with the next pull
expect_finding "$ifile" "$(line_of "$ifile" 'TKT-deadbeef')" warning "links to TKT-deadbeef, which is not in the store"

CASE="status disagrees with the events"
broken; sed -i 's/^status: closed/status: verified/' "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" 3 error "status is 'verified' but the events say 'closed' (set by the last 'close' event)"

CASE="a history the workflow could not have produced (an assignment after the fix, as two clones can make)"
broken; n=$(line_of "$ifile" 'at: 2026-03-02T10:00')
sed -i "$((n - 1))a\\  - at: 2026-03-02T09:50:00+08:00\\n    by: lisi\\n    action: assign\\n    assignee: lisi" "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" "$((n + 2))" error "event 5 ('assign' at 2026-03-02T09:50:00+08:00): the workflow does not allow assign when it is 'resolved' (only when it is 'new', 'assigned' or 'diagnosing')"

CASE="an event that sets a status its action cannot"
broken; n=$(line_of "$ifile" 'action: diagnose'); sed -i "$((n + 1))s/status: diagnosing/status: verified/" "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" "$((n + 1))" error "event 3 ('diagnose' at 2026-03-02T09:20:00+08:00): diagnose cannot make it 'verified', only 'diagnosing'"
expect_finding "$ifile" "$(line_of "$ifile" 'action: fix')" error "event 4 ('fix' at 2026-03-02T09:40:00+08:00): the workflow does not allow fix when it is 'verified'"

CASE="a deadline edited by hand is a warning (a change of the SLA targets moves them too)"
broken; sed -i 's/respond_by: 2026-03-02T09:15:00+08:00/respond_by: 2026-03-02T19:15:00+08:00/' "$ifile"
run of check; expect_rc 0
expect_finding "$ifile" "$(line_of "$ifile" 'respond_by:')" warning "sla.respond_by is 2026-03-02T19:15:00+08:00 but its events and the SLA targets in opsflow.yaml give 2026-03-02T09:15:00+08:00 (set it by hand if the targets have not changed)"

CASE="events out of time order"
broken; n=$(line_of "$ifile" 'at: 2026-03-02T09:40'); sed -i 's/at: 2026-03-02T09:40/at: 2026-03-01T09:40/' "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" "$n" error "event 4 (fix) is earlier than the event before it"

CASE="a closed incident without feedback"
broken; sed -i '/feedback: mail works again/d' "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" 3 error "a closed incident has no feedback"

CASE="a closed incident without a passed verification"
broken; sed -i 's/result: passed/result: failed/' "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" 3 error "a closed incident has no passed verification"

CASE="a completed maintenance without notes"
broken; sed -i '/notes: .*runbook updated/d' "$mfile"
run of check; expect_rc 5
expect_finding "$mfile" 3 error "a finished maintenance has no notes"

CASE="a completed maintenance without its notice"
broken; /usr/bin/python3 - "$mfile" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r"\nnotices:\n(  .*\n)+", "\n", s)
open(p, "w").write(s)
PY
run of check; expect_rc 5
expect_finding "$mfile" 3 error "a completed maintenance has no notice to its users"

CASE="an answered ticket without its answer"
broken; sed -i '/answer: Use the share button/d' "$tfile"
run of check; expect_rc 5
expect_finding "$tfile" 3 error "an answered ticket has no answer"

CASE="an evaluated improvement without a result"
broken; /usr/bin/python3 - "$pfile" <<'PY'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r"\nevaluation:\n(  .*\n)+", "\n", s, count=1)
open(p, "w").write(s)
PY
run of check; expect_rc 5
expect_finding "$pfile" 3 error "an evaluated improvement has no result"

CASE="a private key block in a description"
broken; sed -i 's/^cause: queue full/cause: |\n  found this on the box:\n  -----BEGIN OPENSSH PRIVATE KEY-----\n  b3BlbnNzaC1rZXktdjEAAAAA\n  -----END OPENSSH PRIVATE KEY-----/' "$ifile"
run of check; expect_rc 5
expect_finding "$ifile" "$(line_of "$ifile" 'BEGIN OPENSSH')" error "a private key block in a record: remove it and rotate it"

CASE="a password, a Chinese password and tokens"
broken
sed -i 's/^resolution: flushed/resolution: "flushed; admin password: Hunter2!"/' "$ifile"
sed -i 's/^answer: Use the share button/answer: 邮箱密码：abc12345/' "$tfile"
sed -i 's/^plan: .*//; s/^problem: .*//' "$pfile"
sed -i "s/^title: Faster mail fixes/title: token ghp_$(printf 'a%.0s' $(seq 36)) and AKIAABCDEFGHIJKLMNOP/" "$pfile"
run of check; expect_rc 5
expect_finding "$ifile" "$(line_of "$ifile" '^resolution:')" error "a password in a record"
expect_finding "$tfile" "$(line_of "$tfile" '^answer: 邮箱')" error "a password in a record"
expect_finding "$pfile" 2 error "a GitHub token in a record"
expect_finding "$pfile" 2 error "an AWS access key in a record"

CASE="personal data in free text is a warning, not an error"
broken
sed -i 's/cause: queue full/cause: "call 138-0013-8000 or mail ann@example.com, ID 11010519491231002X, not 110105194912310021"/' "$ifile"
run of check; expect_rc 0
n=$(line_of "$ifile" '^cause: "call')
expect_finding "$ifile" "$n" warning "a phone number in free text"
expect_finding "$ifile" "$n" warning "an e-mail address in free text"
expect_finding "$ifile" "$n" warning "a resident ID number in free text"
expect_eq "$(grep -c 'resident ID' <<<"$OUT")" "2"   # the state and the diagnose event
expect_no_out "$ifile:1:"   # the reporter field holds contact data by design
expect_err "0 errors, 6 warnings"

CASE="a broken settings file is reported, not fatal"
broken; sed -i 's/^timezone: .*/timezone: Mars\/Olympus/' opsflow.yaml
run of check; expect_rc 5
expect_finding opsflow.yaml "$(line_of opsflow.yaml '^timezone')" error "Mars/Olympus"
broken; sed -i 's/- {category: network, assign: wangwu}/- {category: network, assign: ghost}/' opsflow.yaml
run of check; expect_rc 5
expect_finding opsflow.yaml "$(line_of opsflow.yaml 'ghost')" error "routing assigns to 'ghost', who is not in team.yaml"

CASE="--format json and PATH arguments"
broken; sed -i 's/assignee: lisi/assignee: nobody/' "$ifile"; sed -i 's/service: mail/service: fax/' "$tfile"
run of check --format json "$ifile"; expect_rc 5
expect_eq "$(jq -r '.[0] | [.file, .severity, .pointer, .message] | join("|")' <<<"$OUT")" \
  "$ifile|error|/assignee|'nobody' is not a person in team.yaml"
expect_eq "$(jq length <<<"$OUT")" "1"
run of check tickets; expect_rc 5; expect_out "service 'fax'"; expect_no_out "nobody"
run of check ../..; expect_rc 2; expect_err "outside the store"

# Files younger than 2 s are never remembered (their time stamp may not yet tell a change).
aged() { find . -path ./.git -prune -o -type f -exec touch -d '10 minutes ago' {} +; }
CASE="check remembers verdicts: a record changed since is checked again, whatever its stamp"
broken; aged
run of check; expect_rc 0
expect_file_has .opsflow/check-cache "$ifile"
# The same size and modification time as before, other content: the ctime and inode still tell.
stamp=$(stat -c %y "$ifile"); sed -i 's/assignee: lisi/assignee: lis9/' "$ifile"; touch -d "$stamp" "$ifile"
run of check; expect_rc 5; expect_finding "$ifile" "$(line_of "$ifile" '^assignee')" error "'lis9' is not a person"
run of check; expect_rc 5; expect_finding "$ifile" "$(line_of "$ifile" '^assignee')" error "'lis9' is not a person"

CASE="check remembers verdicts only under the same settings"
broken; aged
run of check; expect_rc 0
sed -i 's/- {id: lisi, name: 李四/- {id: lisi2, name: 李四/' team.yaml
run of check; expect_rc 5; expect_out "'lisi' is not a person in team.yaml"

CASE="a damaged check cache is rebuilt, never trusted"
broken; aged
printf 'garbage\n\tno\tpath\n' > .opsflow/check-cache
run of check; expect_rc 0; expect_err "0 errors"
expect_file_has .opsflow/check-cache "$ifile"
head -c 300 .opsflow/check-cache > .opsflow/cut; mv .opsflow/cut .opsflow/check-cache
sed -i 's/service: mail/service: fax/' "$tfile"; aged
run of check; expect_rc 5; expect_out "service 'fax'"

CASE="check --staged finds a staged record's links among the staged records, and misses a dangling one"
broken
sed -i "s/^events:/links:\n  - $T\nevents:/" "$ifile"; git add "$ifile"
run of check --staged; expect_rc 0; expect_err "checked 1 file: 0 errors, 0 warnings"
sed -i "s/  - $T/  - TKT-deadbeef/" "$ifile"; git add "$ifile"
run of check --staged; expect_rc 0
expect_finding "$ifile" "$(line_of "$ifile" 'TKT-deadbeef')" warning "links to TKT-deadbeef, which is not in the store"
git rm -q --cached "$tfile"; sed -i "s/  - TKT-deadbeef/  - $T/" "$ifile"; git add "$ifile"
run of check --staged; expect_rc 0
expect_out "links to $T, which is not in the store" # in the work tree, but not staged

CASE="hostile input: invalid UTF-8, deep nesting and a huge scalar are findings, not crashes"
broken
printf 'id: %s\ntitle: "\xff\xfe"\n' "$I" > "$ifile"
python3 -c "print('id: $T\nsubject: ' + '[' * 200 + ']' * 200)" > "$tfile"
python3 -c "print('id: $M\ntitle: x\ndescription: \"' + '1' * 200000 + '@' + 'a' * 50000 + '\"')" > "$mfile"
ln -s /etc/passwd "$(dirname "$ifile")/INC-deadbeef.yaml"
run of check; expect_rc 5
# A symbolic link is not a record: reported, and not followed out of the store.
expect_out "INC-deadbeef.yaml:1:1: error: not a regular file (a symbolic link)"
expect_no_out "root:"
expect_finding "$ifile" 2 error "UTF-8"
expect_finding "$tfile" 2 error "nest"
expect_out "$mfile:"

finish
