#!/usr/bin/env bash
# Reports checked figure by figure on a store built through the CLI with --at,
# findings triggered, comparison, redaction, HTML, improvements and the index.
. "$(dirname "$0")/lib.sh"
new_store
at() { of -q "$@" >/dev/null; }
# Four P2 incidents on mail/email (24x7 clock: respond 30m, resolve 8h).
new() { of incident new "$1" --service mail --category email --impact high --urgency medium --reporter "$2" --at "$3"; }
A=$(new "Mail A" "Alice <alice@example.com>" "2026-03-02 09:00")
at incident assign "$A" --to lisi --at "2026-03-02 09:10"
at incident fix "$A" --resolution r --cause c --at "2026-03-02 10:00"
at incident verify "$A" --passed --at "2026-03-02 10:30"
at incident close "$A" --feedback ok --at "2026-03-02 10:40"
B=$(new "张三 的邮件 138-0013-8000 zhangsan@example.com" "张三 <zhangsan@example.com>" "2026-03-03 09:00")
at incident assign "$B" --to lisi --at "2026-03-03 09:40"
at incident diagnose "$B" --cause c --at "2026-03-03 10:00"
at incident fix "$B" --resolution r --at "2026-03-03 11:00"
at incident verify "$B" --failed --at "2026-03-03 11:30"
at incident fix "$B" --resolution r2 --at "2026-03-03 12:00"
at incident verify "$B" --passed --at "2026-03-03 12:10"
at incident close "$B" --feedback ok --at "2026-03-03 12:20"
C=$(new "Mail C" "Carol <carol@example.com>" "2026-03-04 09:00")
at incident assign "$C" --to chen --at "2026-03-04 09:20"
at incident fix "$C" --resolution r --cause c --at "2026-03-04 19:00"
at incident verify "$C" --passed --at "2026-03-04 19:30"
at incident close "$C" --feedback ok --at "2026-03-04 19:40"
D=$(new "Mail D" "Dan <dan@example.com>" "2026-03-05 09:00")
at survey record "$A" --score 2 --at "2026-03-05 10:00"
at survey record "$B" --score 3 --at "2026-03-05 10:00"
at survey record "$C" --score 4 --at "2026-03-05 10:00"
T=$(of ticket new "How to share a calendar" --requester "Eve <eve@example.com>" --service mail --category email --at "2026-03-02 10:00")
at ticket answer "$T" --answer "Like this" --no-notify --at "2026-03-02 11:30"
M=$(of maint plan "Mail patch" --start "2026-03-07 22:00" --duration 4h --services mail --at "2026-03-02 09:00")
at maint notify "$M" --at "2026-03-02 09:30"
at maint start "$M" --at "2026-03-07 22:00"
at maint done "$M" --result completed --notes "patched" --at "2026-03-08 03:00"
E=$(new "Earlier one" "Fay <fay@example.com>" "2026-02-25 09:00")
G=$(of incident new "VPN down" --service vpn --category network --impact high --urgency high --reporter "Hal <hal@example.com>" --at "2026-02-09 09:00")
at incident assign "$G" --to wangwu --at "2026-02-09 09:05"
at incident fix "$G" --resolution r --cause c --at "2026-02-09 10:00"
period=(--from 2026-03-02 --to 2026-03-09 --now "2026-03-09 00:00")

CASE="report --format json, figure by figure"
run of report "${period[@]}" --format json
expect_rc 0
r=$OUT
j() { jq -c "$1" <<<"$r"; }
expect_eq "$(j .period.days)" "7"
expect_eq "$(j .incidents.total)" "4"
expect_eq "$(j .incidents.by_status)" '{"closed":3,"new":1}'
expect_eq "$(j .incidents.by_priority)" '{"P2":4}'
expect_eq "$(j .incidents.mtta_minutes)" '{"mean":23.3,"median":20,"p90":40,"n":3}'
expect_eq "$(j .incidents.mttr_minutes)" '{"mean":280,"median":180,"p90":600,"n":3}'
expect_eq "$(j .incidents.sla.response_met_pct)" "66.7"
expect_eq "$(j .incidents.sla.resolution_met_pct)" "66.7"
expect_eq "$(j '[.incidents.sla.breaches[] | .id + ":" + .stage] | sort')" "$(jq -cn --arg b "$B:response" --arg c "$C:resolution" '[$b, $c] | sort')"
expect_eq "$(j .incidents.reopen_rate_pct)" "33.3"   # B of the three verified
expect_eq "$(j .incidents.failure_rate.mail)" '{"incidents":4,"per_30_days":17.1}'
expect_eq "$(j .tickets)" '{"total":1,"by_channel":{"other":1},"answered":1,"escalated":0,"answer_minutes":{"mean":90,"median":90,"p90":90,"n":1}}'
expect_eq "$(j .maintenance.total)" "1"
expect_eq "$(j .maintenance.by_result)" '{"completed":1}'
expect_eq "$(j .maintenance.notice_on_time_pct)" "100"
expect_eq "$(j .maintenance.overruns)" "1"
expect_eq "$(j '.satisfaction | [.sent, .answered, .response_rate_pct, .mean_score, .csat_pct]')" "[3,3,100,3,33.3]"

CASE="the failure rate is in the text and markdown reports too, as the JSON has it, and translated"
run of report "${period[@]}"
expect_rc 0; expect_out "failure rate (per 30 days)"; expect_out "mail 17.1 (n=4)"
run of report "${period[@]}" --format markdown
expect_rc 0; expect_out "| failure rate (per 30 days) | mail 17.1 (n=4) |"
run of report "${period[@]}" --lang zh-CN
expect_rc 0; expect_out "故障率（每 30 天）"; expect_out "mail 17.1（样本 4）"

CASE="findings: each kind triggered, with stable ids and evidence"
expect_eq "$(j '[.findings[].id] | sort')" '["low_satisfaction:email","overdue:incidents","recurring:mail:email","sla_hotspot:category:email","sla_hotspot:service:mail","slow_stage:fix"]'
expect_eq "$(j '.findings[] | select(.id == "overdue:incidents") | .evidence | sort')" "$(jq -cn --arg d "$D" --arg e "$E" '[$d, $e] | sort')"
expect_eq "$(j '.findings[] | select(.id == "recurring:mail:email") | .evidence | length')" "4"
expect_eq "$(j '.findings[] | select(.kind == "slow_stage") | .share_pct.fix')" "82.4"   # 750 of 910 minutes
run of report "${period[@]}" --format json
expect_eq "$(jq -c '[.findings[].id]' <<<"$OUT")" "$(j '[.findings[].id]')"

CASE="the findings' thresholds are settings: fewer mail faults recur, a 3 is low satisfaction"
cp opsflow.yaml "$HOME/opsflow.yaml.saved"
printf 'findings:\n  recurring_min: 5\n  low_satisfaction_below: 2.5\n' >> opsflow.yaml
run of report "${period[@]}" --format json
expect_rc 0
ids=$(jq -c '[.findings[].id] | sort' <<<"$OUT")
grep -q '"recurring:mail:email"' <<<"$ids" && fail "4 incidents recur under recurring_min: 5" || ok
grep -q '"low_satisfaction:email"' <<<"$ids" && fail "a mean of 3 is low under 2.5" || ok
printf '  min_answers: 0\n' >> opsflow.yaml
run of report "${period[@]}" --format json
expect_rc 5; expect_err "opsflow.yaml"; expect_err "min_answers"
cp "$HOME/opsflow.yaml.saved" opsflow.yaml

CASE="the weekly series has every week of the period, quiet ones with zeros and no MTTR"
# From a Wednesday: the weeks of 2026-02-02 (part of it) and 2026-02-16 have no incident.
run of report --from 2026-02-04 --to 2026-03-09 --now "2026-03-09 00:00" --format json
expect_rc 0
expect_eq "$(jq -c '[.series.weeks[] | [.week, .P1, .P2, .P3, .P4, .mttr_mean]]' <<<"$OUT")" \
  '[["2026-02-02",0,0,0,0,null],["2026-02-09",1,0,0,0,60],["2026-02-16",0,0,0,0,null],["2026-02-23",0,1,0,0,null],["2026-03-02",0,4,0,0,280]]'
run of report --from 2026-03-02 --to 2026-03-09 --now "2026-03-09 00:00" --format json --service vpn
expect_eq "$(jq -c '.series.weeks' <<<"$OUT")" '[{"week":"2026-03-02","P1":0,"P2":0,"P3":0,"P4":0,"mttr_mean":null}]'

CASE="an empty period gives null, never 0"
run of report --from 2025-01-01 --to 2025-02-01 --now 2026-03-09 --format json
expect_eq "$(jq -c '[.incidents.total, .incidents.mtta_minutes.mean, .incidents.sla.response_met_pct, .incidents.reopen_rate_pct, .satisfaction.mean_score, .satisfaction.csat_pct, .maintenance.notice_on_time_pct]' <<<"$OUT")" "[0,null,null,null,null,null,null]"

CASE="--compare adds the previous period and the change"
run of report "${period[@]}" --format json --compare
expect_eq "$(jq .previous.incidents.total <<<"$OUT")" "1"
expect_eq "$(jq .change.incidents.total <<<"$OUT")" "3"
run of report "${period[@]}" --compare
expect_out "Change from the previous period"

CASE="--service scopes the report"
run of report "${period[@]}" --format json --service vpn
expect_eq "$(jq .incidents.total <<<"$OUT")" "0"

CASE="every format, and --redact leaves no name, email or phone of the store"
for fmt in text markdown json csv html; do
  run of report "${period[@]}" --format "$fmt"
  expect_rc 0
  grep -q "zhangsan@example.com" <<<"$OUT" && ok || fail "$fmt: personal data expected before redaction"
  run of report "${period[@]}" --format "$fmt" --redact
  expect_rc 0
  for secret in 张三 zhangsan@example.com 138-0013-8000 lisi@example.com alice@example.com 李四 "Chen Jing"; do
    grep -qF "$secret" <<<"$OUT" && fail "$fmt --redact leaks $secret" || ok
  done
done

CASE="html: one self-contained page with the four charts"
out=$(mktemp --suffix=.html); TMP_ROOTS+=("$out")
run of report "${period[@]}" --format html -o "$out"
expect_rc 0; expect_eq "$OUT" ""
expect_eq "$(grep -c '<svg' "$out")" "4"
grep -Eq '(src|href)=' "$out" && fail "external reference in the page" || ok
grep -q 'http' "$out" && fail "a URL in the page" || ok
for chart in "Incidents per week by priority" "MTTR trend" "SLA resolution compliance per service" "Satisfaction"; do
  grep -q "$chart" "$out" && ok || fail "no chart '$chart'"
done

CASE="html: the charts read on their own: axis titles, gridlines with round values, value labels, legend, goal line"
svg_text() {   # CLASS TEXT: an SVG text element of that class holds exactly TEXT
  grep -Eq "<text class=\"$1\"[^>]*>$2</text>" "$out" && ok || fail "no <text class=\"$1\"> '$2' in the page"
}
for title in incidents minutes "% resolved within the SLA" answers service "week \(starting Monday\), 2026" \
  "score \(1 = very dissatisfied, 5 = very satisfied\)"; do
  svg_text axis-title "$title"
done
for tick in 0 1 2 3 4 100 200 300 0% 20% 40% 60% 80% 100%; do svg_text tick "$tick"; done
svg_text label 03-02
svg_text value 4                    # the week's four P2 incidents, and the bar's total
expect_eq "$(grep -Eo '<text class="value"[^>]*>4</text>' "$out" | wc -l)" "2"
svg_text value 280                  # MTTR of the week: (60 + 180 + 600) / 3
svg_text value "66.7%"              # mail: A and B resolved in time, C late
svg_text value 1; svg_text value 0  # one answer each for scores 2, 3, 4; none for 1 and 5
for p in P1 P2 P3 P4; do
  grep -Eq "<g class=\"legend\"><rect [^>]*fill=\"#[0-9a-f]{6}\"/><text [^>]*>$p</text></g>" "$out" && ok || fail "no legend for $p"
done
grep -Eq '<line class="goal" [^>]*stroke-dasharray=' "$out" && ok || fail "no dashed goal line"
svg_text goal-label "goal 95%"
# The goal line sits at 95% of the axis from 0% to 100%.
attr() { sed -E "s/.* $1=\"([0-9.]+)\".*/\1/"; }   # the value of a number attribute
y0=$(grep -Eo '<text class="tick"[^>]*>0%<' "$out" | attr y)
y100=$(grep -Eo '<text class="tick"[^>]*>100%<' "$out" | attr y)
goal=$(grep -Eo '<line class="goal"[^>]*' "$out" | attr y1)
expect_eq "$(awk -v a="$y0" -v b="$y100" -v g="$goal" 'BEGIN { printf "%.0f", 100 * ((a - 4) - g) / ((a - 4) - (b - 4)) }')" "95"
CASE="html: a quiet week keeps its place in the charts, with a 0"
run of report --from 2026-02-04 --to 2026-03-09 --now "2026-03-09 00:00" --format html -o "$out"
for week in 02-02 02-09 02-16 02-23 03-02; do svg_text label "$week"; done
expect_eq "$(grep -Eo '<text class="value"[^>]*>0</text>' "$out" | wc -l)" "$((2 + 2))"   # two quiet weeks; no answer scored 1 or 5

CASE="csv: one row per figure"
run of report "${period[@]}" --format csv
expect_eq "$(head -1 <<<"$OUT")" "figure,value"
grep -q '^incidents.mttr_minutes.p90,600$' <<<"$OUT" && ok || fail "mttr p90 row"

CASE="csv holds exactly the figures of the json, --compare's previous period and change too"
# Read back with Python's csv module and compared value by value; the example store has a
# mean score with two decimals (3.67).
csv_matches_json() {   # STORE ARGS...
  local store=$1; shift
  of -C "$store" report "$@" --format json -o "$HOME/report.json" &&
    of -C "$store" report "$@" --format csv -o "$HOME/report.csv" || { fail "report $*"; return; }
  run /usr/bin/python3 "$OPSFLOW_SOURCE/tests/e2e/report_csv_check.py" "$HOME/report.json" "$HOME/report.csv"
  expect_rc 0
}
csv_matches_json . "${period[@]}" --compare
grep -q '^previous.incidents.total,1$' "$HOME/report.csv" && ok || fail "no previous.incidents.total row"
grep -q '^change.incidents.total,3$' "$HOME/report.csv" && ok || fail "no change.incidents.total row"
csv_matches_json "$OPSFLOW_SOURCE/examples/store" --from 2026-10-01 --to 2026-12-01 --now 2026-12-01 --compare
grep -q '^satisfaction.mean_score,3.67$' "$HOME/report.csv" && ok || fail "mean score not as in the json"
csv_matches_json . --from 2025-01-01 --to 2025-02-01 --now 2026-03-09   # nothing in it: nulls

CASE="improvement from a finding: baseline, evaluation met"
run of improve new "Fewer mail faults" --finding recurring:mail:email --target "-50%" --at "2026-03-09 00:00"
expect_rc 0; I1=$OUT
ifile=$(find improvements -name "$I1.yaml")
expect_file_has "$ifile" "metric: incident_count"
expect_file_has "$ifile" "value: 5"   # A-D and E in the 30 days before
expect_file_has "$ifile" "service: mail"
at improve start "$I1" --at "2026-03-09 01:00"
run of improve evaluate "$I1"; expect_rc 4; expect_err "it is 'in_progress'"
at improve done "$I1" --at "2026-03-09 02:00"
run of improve evaluate "$I1" --window 366d
expect_rc 4; expect_err "evaluate then, or now with --partial"
# Nothing new after it was done: 0 incidents in the 7 days after, 4 before.
# Counts are compared as rates per 30 days (4 in 7 days is 17.1).
run of improve evaluate "$I1" --window 7d
expect_rc 0; expect_out "incident_count 17.1 → 0.0, target -50% met"
expect_file_has "$ifile" "target_met: true"
expect_file_has "$ifile" "before: 17.1"
expect_file_has "$ifile" "after: 0"
expect_file_has "$ifile" "per_30_days: true"
CASE="improvement with a missed target"
run of improve new "Faster fixes" --metric mttr --service mail --target "<=60" --at "2026-03-09 00:00"
I2=$OUT
at improve start "$I2" --at "2026-03-09 00:10"; at improve done "$I2" --at "2026-03-09 00:20"
F=$(new "After the change" "Gus <gus@example.com>" "2026-03-09 01:00")
at incident assign "$F" --to lisi --at "2026-03-09 01:05"; at incident fix "$F" --resolution r --cause c --at "2026-03-09 03:00"
# Partial: the after-span so far (40 minutes) against an equal span before; the target
# is not judged, and every view says partial.
run of improve evaluate "$I2" --window 1d --partial --at "2026-03-09 03:00"
expect_rc 0; expect_out "target <=60 not judged yet (partial: 0.1 of 1 days)"
expect_file_has "$(find improvements -name "$I2.yaml")" "after: 120"
expect_file_has "$(find improvements -name "$I2.yaml")" "target_met: null"
expect_file_has "$(find improvements -name "$I2.yaml")" "partial: true"
run of improve show "$I2"; expect_out "not judged yet — partial, so far: 0.1 of 1 days"
expect_no_out "missed"; expect_no_out "target met"
run of improve list; expect_out "evaluated (partial)"
CASE="improve cancel: before it is implemented, with a reason; an implemented one is measured instead"
run of improve new "Shorter queues" --metric mtta --target "<=30" --at "2026-03-09 00:00"; I3=$OUT
run of improve cancel "$I3"; expect_rc 2
run of improve cancel "$I3" --reason "并入另一项改进" --at "2026-03-09 00:30"
expect_rc 0; expect_out "cancelled: 并入另一项改进"
expect_file_has "$(find improvements -name "$I3.yaml")" "status: cancelled"
run of improve start "$I3"; expect_rc 4; expect_err "cancelled"
run of improve new "Quicker answers" --metric mtta --target "<=20" --at "2026-03-09 00:00"; I4=$OUT
at improve start "$I4" --at "2026-03-09 00:40"; at improve done "$I4" --at "2026-03-09 00:50"
snapshot
run of improve cancel "$I4" --reason late; expect_rc 4; expect_err "opsflow improve evaluate"
expect_unchanged
run of improve new X --metric nosuch --target "<=1"; expect_rc 5
run of improve new X --metric mttr --target "soon"; expect_rc 2; expect_err "is not a target"
run of improve new X --finding nosuch:finding --target "-10%"; expect_rc 3; expect_err "no finding 'nosuch:finding'"

CASE="the index follows hand edits, pulls and deletions; a broken index is rebuilt"
run of report "${period[@]}" --format json; before=$(jq .incidents.total <<<"$OUT")
idx=.opsflow/index/$(dirname "$(find incidents -name "$A.yaml")")   # one index file per record directory
[ -s "$idx" ] && ok || fail "no index file $idx written: $(find .opsflow)"
sed -i 's/^priority: P2/priority: P1/' "$(find incidents -name "$D.yaml")"
run of report "${period[@]}" --format json
expect_eq "$(jq -c .incidents.by_priority <<<"$OUT")" '{"P1":1,"P2":3}'
sed "s/$A/INC-0000aaaa/" "$(find incidents -name "$A.yaml")" > incidents/2026/03/INC-0000aaaa.yaml   # as a git pull would add it
run of report "${period[@]}" --format json
expect_eq "$(jq .incidents.total <<<"$OUT")" "$((before + 1))"
rm incidents/2026/03/INC-0000aaaa.yaml "$(find incidents -name "$D.yaml")"
run of report "${period[@]}" --format json
expect_eq "$(jq .incidents.total <<<"$OUT")" "$((before - 1))"
head -c 300 "$idx" > index.cut && mv index.cut "$idx"
run of report "${period[@]}" --format json
expect_rc 0; expect_eq "$(jq .incidents.total <<<"$OUT")" "$((before - 1))"
printf 'garbage\n' > "$idx"
run of incident list --open; expect_rc 0
head -1 "$idx" | grep -q '^opsflow-index' && ok || fail "index not rebuilt"
rm -rf .opsflow/index
run of report "${period[@]}" --format json; expect_eq "$(jq .incidents.total <<<"$OUT")" "$((before - 1))"
rm -rf .opsflow/index && printf 'opsflow-index\t4\t0\n' > .opsflow/index   # the single file of version 4
run of report "${period[@]}" --format json; expect_eq "$(jq .incidents.total <<<"$OUT")" "$((before - 1))"
[ -d .opsflow/index ] && ok || fail "the index of version 4 was not replaced"

CASE="facts damaged inside a well-formed index are read again from the records"
sed -i 's/^\(F	[^	]*	[^	]*	[^	]*	[^	]*	\).*/\1damaged/' "$idx"
grep -q 'damaged' "$idx" && ok || fail "the test did not damage the index"
run of report "${period[@]}" --format json
expect_rc 0; expect_eq "$(jq .incidents.total <<<"$OUT")" "$((before - 1))"
grep -q 'damaged' "$idx" && fail "damaged facts kept in the index" || ok
# A name that leads out of the directory makes the whole file untrusted.
sed -i '2s/^F	[^	]*/F	..\/..\/..\/..\/opsflow.yaml/' "$idx"
grep -q '^F	\.\./' "$idx" && ok || fail "the test did not plant the name"
run of report "${period[@]}" --format json
expect_rc 0; expect_eq "$(jq .incidents.total <<<"$OUT")" "$((before - 1))"
grep -q '\.\./' "$idx" && fail "a path out of the directory kept in the index" || ok

CASE="an unchanged directory is trusted, and a file rewritten in place in it is still seen, even with its old mtime"
# Stamps older than the file system's granularity are trusted by the next run.
find incidents -exec touch -d '2026-01-01 00:00' {} +
sleep 2.1   # touch changed their ctime, which no tool can set back
run of report "${period[@]}" --format json; expect_eq "$(jq -c .incidents.by_priority <<<"$OUT")" '{"P2":3}'
head -1 "$idx" | grep -Eq "^opsflow-index	[0-9]+	[0-9a-f]+	I	${idx#.opsflow/index/}	[0-9]+	[1-9][0-9]*	[1-9][0-9]*	[0-9]+	\$" \
  && ok || fail "the directory's stamp was not kept: $(head -1 "$idx")"
file=$(find incidents -name "$A.yaml")
indexed=$(grep "^F	$A.yaml	" "$idx")
sed 's/^priority: P[0-9]/priority: P1/' "$file" > rewritten && cat rewritten > "$file" && rm rewritten   # same inode, same directory
touch -d '2026-01-01 00:00' "$file"   # and the same size and mtime, as rsync -t --inplace leaves it: only its ctime changed
run of report "${period[@]}" --format json; expect_eq "$(jq -c .incidents.by_priority <<<"$OUT")" '{"P1":1,"P2":2}'
[ "$(grep "^F	$A.yaml	" "$idx")" != "$indexed" ] && ok || fail "the index still holds the old facts of $A"

CASE="an unreadable record is reported on every run, and read again once fixed in place"
cat "$file" > saved && printf 'id: [broken\n' > "$file"   # in place: the directory is unchanged
for attempt in first second; do
  run of report "${period[@]}" --format json
  expect_rc 0; expect_err "skipped $file"; expect_eq "$(jq .incidents.total <<<"$OUT")" "$((before - 2))"
done
grep -q "^F	$A.yaml	.*	!" "$idx" && ok || fail "the unreadable record is not in the index: $(cut -c1-80 "$idx")"
cat saved > "$file" && rm saved
run of report "${period[@]}" --format json
expect_eq "$ERR" ""; expect_eq "$(jq .incidents.total <<<"$OUT")" "$((before - 1))"

CASE="list --json and export check a record against its schema again as soon as its file changes"
# The index vouches that a file passed its schema only while the file keeps the stamp it had.
sleep 2.1; of report "${period[@]}" --format json >/dev/null
run of incident list --json; expect_rc 0; listed=$(jq length <<<"$OUT")
sed 's/^impact: [a-z]*/impact: huge/' "$file" > rewritten && cat rewritten > "$file" && rm rewritten
touch -d '2026-01-01 00:00' "$file"   # in place, old mtime: only the ctime tells
run of incident list --json
expect_rc 0; expect_eq "$(jq length <<<"$OUT")" "$((listed - 1))"
expect_err "skipped $file"; expect_err "must be one of high, medium, low (found 'huge')"
run of export --kind incident
expect_rc 0; expect_eq "$(wc -l <<<"$OUT")" "$((listed - 1))"; expect_err "skipped $file"
git checkout -q -- "$file"

CASE="another opsflow binary (another version, other schemas) does not trust the index"
fingerprint() { head -1 "$idx" | cut -f3; }
of report "${period[@]}" --format json >/dev/null; old=$(fingerprint)
cp "$OPSFLOW_BIN" "$HOME/opsflow-other"; touch -d '2020-01-01 00:00' "$HOME/opsflow-other"
"$HOME/opsflow-other" report "${period[@]}" --format json >/dev/null
[ -n "$old" ] && [ "$(fingerprint)" != "$old" ] && ok || fail "the index kept fingerprint $old"

CASE="a finding is taken over the period of the report it was read in, as facts without commands"
# The week's report counts fewer mail faults than the 30 days to 2026-03-09 (E too).
run of report "${period[@]}"
expect_rc 0; expect_out "--finding recurring:mail:email --from 2026-03-02 --to 2026-03-09)"
count() { of report "$@" --format json | jq '.findings[] | select(.id == "recurring:mail:email") | .evidence | length'; }
week=$(count "${period[@]}"); month=$(count --to 2026-03-09 --now "2026-03-09 00:00")
[ "$week" -ge 3 ] && [ "$month" -gt "$week" ] && ok || fail "week $week, month $month"
run of improve new "Mail faults of the week" --from 2026-03-02 --target "-50%"
expect_rc 2; expect_err "--from"
run of improve new "Mail faults of the week" --finding recurring:mail:email \
  --from 2026-03-02 --to 2026-03-09 --target "-50%" --at "2026-03-09 00:00" --no-commit
expect_rc 0; wfile=$(find improvements -name "$OUT.yaml")
expect_file_has "$wfile" "value: $week"
expect_file_has "$wfile" "from: 2026-03-02T00:00:00+08:00"
expect_file_has "$wfile" 'problem: "Report finding recurring:mail:email (2026-03-02 to 2026-03-09): '"$week"' email incidents on mail."'
grep -q "opsflow" "$wfile" && fail "a command hint reached the plan" || ok
run of problem new "Mail faults" --finding recurring:mail:email --from 2026-03-02 \
  --to 2026-03-09 --at "2026-03-09 00:00" --no-commit
expect_rc 0
expect_file_has "$(find problems -name "$OUT.yaml")" "Report finding recurring:mail:email (2026-03-02 to 2026-03-09): $week email incidents on mail."
run of improve new X --finding recurring:mail:email --from 2026-03-09 --to 2026-03-02 --target "-5%"
expect_rc 2; expect_err "--from must be before --to"
run of improve new X --finding recurring:mail:email --from 2026-02-01 --to 2026-02-08 --target "-5%"
expect_rc 3; expect_err "no finding 'recurring:mail:email' in the report from 2026-02-01"
git checkout -q -- . && git clean -qfd improvements problems incidents

finish
