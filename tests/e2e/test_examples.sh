#!/usr/bin/env bash
# The bundled example store: valid, complete, and usable as a starting point.
. "$(dirname "$0")/lib.sh"
ex="$OPSFLOW_SOURCE/examples/store"

CASE="every example record reads cleanly"
run of -C "$ex" incident list --json
expect_rc 0; expect_eq "$ERR" ""
total=$(jq length <<<"$OUT")
[ "$total" -ge 30 ] && ok || fail "only $total incidents"
for s in new assigned diagnosing resolved verified closed on_hold cancelled; do
  n=$(jq "[.[] | select(.status == \"$s\")] | length" <<<"$OUT")
  [ "$n" -ge 1 ] && ok || fail "no example incident is $s"
done
expect_eq "$(jq '[.[] | select(.events | map(.result) | index("failed"))] | length' <<<"$OUT")" "2"
jq -r '.[].title' <<<"$OUT" | grep -qP '\p{Han}' && ok || fail "no Chinese text"

CASE="maintenance windows in every status, three series, with archived notices"
run of -C "$ex" maint list --json
expect_rc 0; expect_eq "$ERR" ""
for s in planned notified in_progress completed partial failed evaluated skipped cancelled; do
  n=$(jq "[.[] | select(.status == \"$s\")] | length" <<<"$OUT")
  [ "$n" -ge 1 ] && ok || fail "no example window is $s"
done
expect_eq "$(jq '[.[] | select(.recurrence)] | length' <<<"$OUT")" "3"
expect_eq "$(jq '[.[] | select(.series)] | length' <<<"$OUT")" "4"   # 3 Sundays done, 1 skipped
for doc in mail erp ad; do
  [ -s "$ex/docs/services/$doc.md" ] && ok || fail "no document for $doc"
done
for f in $(jq -r '.[].notices // [] | .[].file' <<<"$OUT"); do
  [ -f "$ex/$f" ] && ok || fail "missing notice $f"
done

CASE="tickets in every status, surveys answered"
run of -C "$ex" ticket list --json
expect_rc 0; expect_eq "$ERR" ""
for s in new analyzing answered closed escalated; do
  n=$(jq "[.[] | select(.status == \"$s\")] | length" <<<"$OUT")
  [ "$n" -ge 1 ] && ok || fail "no example ticket is $s"
done
run of -C "$ex" survey list --json
answered=$(jq '[.[] | select(.score != null)] | length' <<<"$OUT")
[ "$answered" -ge 5 ] && ok || fail "only $answered answered surveys"

CASE="improvements, one evaluated; the report of the example store"
run of -C "$ex" improve list --json
expect_eq "$(jq '[.[] | select(.status == "evaluated")] | length' <<<"$OUT")" "1"
expect_eq "$(jq '[.[] | select(.evaluation.target_met != null)] | length' <<<"$OUT")" "1"
run of -C "$ex" report --from 2026-10-01 --to 2026-12-01 --now "2026-11-25 00:00" --format json
expect_rc 0
[ "$(jq '.findings | length' <<<"$OUT")" -ge 3 ] && ok || fail "too few findings"
expect_eq "$(jq '.incidents.mtta_minutes.n > 0 and .satisfaction.answered > 0 and .maintenance.total > 0' <<<"$OUT")" "true"

CASE="the crontab example runs opsflow commands that exist"
grep -o 'opsflow [-a-z ]*[a-z]' "$OPSFLOW_SOURCE/examples/cron/opsflow.crontab" | sed 's/ -q//' | awk '{print $2, $3}' | sort -u |
while read -r group verb; do
  of help "$group" "$verb" >/dev/null || echo "missing: $group $verb"
done > "$HOME/missing"
expect_eq "$(cat "$HOME/missing")" ""

CASE="records are canonical: a no-op rewrite changes no byte"
copy=$(mktemp -d); TMP_ROOTS+=("$copy")
cp -r "$ex" "$copy/store"; cd "$copy/store"
git init -q && git add -A && git commit -qm "example store"
for f in $(find incidents -name '*.yaml'); do
  id=$(basename "$f" .yaml)
  of -q incident classify "$id" >/dev/null 2>&1   # rewrites open records without changing them
done
for f in $(find tickets -name '*.yaml'); do
  of -q ticket note "$(basename "$f" .yaml)" "touch" --no-commit >/dev/null
  git diff -U0 "$f" | grep '^[-+] ' | grep -qv -e 'action: note' -e 'text: touch' -e '  - at: ' -e '    by: ' && fail "rewrite changed more than the note: $f"
  git checkout -q -- "$f"
done
for f in $(find maintenance -name '*.yaml'); do
  of -q maint note "$(basename "$f" .yaml)" "touch" --no-commit >/dev/null
  git diff -U0 "$f" | grep '^[-+] ' | grep -qv -e 'action: note' -e 'text: touch' -e '  - at: ' -e '    by: ' && fail "rewrite changed more than the note: $f"
  git checkout -q -- "$f"
done
expect_eq "$(git status --porcelain)" ""

CASE="a series written before occurrences had records: its result is its first occurrence"
legacy=MNT-5e71e5a1
run of maint show "$legacy"
expect_rc 0; expect_out "2026-09-05 02:00  $legacy  evaluated"; expect_out "2026-10-03 02:00  —"
run of maint start "$legacy" --at "2026-12-05 02:00" --no-commit
expect_rc 0; expect_out "started: occurrence 2026-12-05 02:00 of $legacy"
run of maint start "$legacy" --occurrence 2026-09-05; expect_rc 4; expect_err "the series itself records it"
git checkout -q -- . && git clean -qfd maintenance

CASE="a copy of the example store works with git"
run of --as zhangwei incident new "Example follow-up" --service vpn --category network --auto-assign
expect_rc 0
expect_file_has "$(record_file "$OUT")" "assignee: wangwu"
expect_eq "$(git status --porcelain)" ""

finish
