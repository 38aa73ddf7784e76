#!/usr/bin/env bash
# Broken settings files are reported with file, line and field; nothing runs on them.
. "$(dirname "$0")/lib.sh"
new_store
id=$(of incident new "Settings test" --at "2026-03-02 09:00")
cp opsflow.yaml /tmp/opsflow.yaml.$$; TMP_ROOTS+=("/tmp/opsflow.yaml.$$")

# broken FILE MESSAGE SED: applies SED to FILE, expects exit 5 and MESSAGE, then restores it.
broken() {
  local file=$1 message=$2 expr=$3
  CASE="broken $file: $message"
  cp "$file" "$file.orig"
  sed -i "$expr" "$file"
  snapshot
  run of incident note "$id" "x"
  expect_rc 5
  expect_err "$message"
  mv "$file.orig" "$file"
}
broken opsflow.yaml "opsflow.yaml:3:11: /timezone: unknown timezone 'Mars/Base'" 's#^timezone: .*#timezone: Mars/Base#'
broken opsflow.yaml "opsflow.yaml:13:17: /sla/P1/respond: 'soon' is not a duration (45m, 4h, 2d, 1h30m)" 's#respond: 15m#respond: soon#'
broken opsflow.yaml "/priority_matrix/high/high: must be one of P1, P2, P3, P4 (found 'P0')" 's#high:   {high: P1#high:   {high: P0#'
broken opsflow.yaml "opsflow.yaml:18:14: /calendar/workdays/0: must be one of mon, tue, wed, thu, fri, sat, sun (found 'monday')" 's#workdays: \[mon,#workdays: [monday,#'
broken opsflow.yaml "/git/autocommit: must be true or false, not text" 's#autocommit: true#autocommit: "yes"#'
broken team.yaml "team.yaml:2:" 's#id: lisi#id: "li si"#'
broken services.yaml "/services/0/criticality: must be one of high, medium, low" 's#criticality: high#criticality: extreme#'
broken team.yaml "team.yaml:3:5: person 'lisi' is listed twice" 's#id: wangwu#id: lisi#'

CASE="settings are fine again"
run of incident note "$id" "works"; expect_rc 0

CASE="help for every command"
for cmd in "" incident "incident new" "incident classify" "incident assign" "incident diagnose" "incident fix" \
           "incident verify" "incident close" "incident hold" "incident resume" "incident cancel" "incident reopen" \
           "incident note" "incident show" "incident list" "incident log" init \
           maint "maint plan" "maint notify" "maint start" "maint done" "maint evaluate" "maint reschedule" \
           "maint cancel" "maint note" "maint show" "maint list" "maint calendar" \
           ticket "ticket new" "ticket analyze" "ticket answer" "ticket close" "ticket reopen" "ticket note" \
           "ticket escalate" "ticket show" "ticket list" survey "survey send" "survey record" "survey import" \
           "survey list" sla "sla watch" notices "notices retry" report improve "improve new" "improve start" \
           "improve done" "improve evaluate" "improve show" "improve list" check log import export completion \
           merge-driver; do
  run of help $cmd
  expect_rc 0
  case "$cmd" in "" | incident | maint | ticket | survey | sla | notices | improve) ;; merge-driver) expect_out "%O %A %B %L %P" ;; *) expect_out "Example" ;; esac
done
run of help nosuch; expect_rc 2; expect_err "no command 'nosuch'"

finish
