#!/usr/bin/env bash
# The department's service standards (SPEC §12, step 4.4): in force now, at a time or a
# commit, their history in words from git; an improvement records the standards changes
# that implemented it; the report names the standards of its period.
. "$(dirname "$0")/lib.sh"
new_store
# Commits at chosen times: the history is read from git's own dates.
commit_at() { GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit -qam "$2"; }
GIT_COMMITTER_DATE="2026-01-05T09:00:00+08:00" git commit -q --amend --no-edit --date "2026-01-05T09:00:00+08:00"

CASE="standards in force now, one line each, from opsflow.yaml and services.yaml"
run of standards
expect_rc 0; expect_out "Standards in force now"
expect_out "sla.P3.resolve                 3d"; expect_out "services.mail.owner            lisi"
expect_out "routing.2                      {service: mail, assign: team:mail}"
expect_no_out "notify."; expect_no_out "language"
run of standards --json; expect_rc 0
expect_eq "$(jq -r '.standards["sla.P1.respond"], .commit' <<<"$OUT" | tr '\n' ' ')" "15m null "

CASE="each change of a standard in words, with its commit, date and author; other settings are not standards"
sed -i 's/  P3: {respond: 2h,  resolve: 3d, clock: business}/  P3: {respond: 2h,  resolve: 2d, clock: business}/' opsflow.yaml
commit_at "2026-03-10T10:00:00+08:00" "P3 faster"
sed -i 's/^language: en$/language: zh-CN/' opsflow.yaml
commit_at "2026-03-11T10:00:00+08:00" "language"
sed -i 's/owner: wangwu, criticality: medium/owner: lisi, criticality: medium/' services.yaml
commit_at "2026-03-20T10:00:00+08:00" "vpn to lisi"
run of standards --history
expect_rc 0
expect_out "2026-03-20 10:00"; expect_out "    services.vpn.owner wangwu → lisi"
expect_out "2026-03-10 10:00"; expect_out "    sla.P3.resolve 3d → 2d"
expect_no_out "language"
run of standards --history --json
expect_eq "$(jq -c '[.[0].changes[0], .[1].changes[0]]' <<<"$OUT")" \
  '[{"key":"services.vpn.owner","before":"wangwu","after":"lisi"},{"key":"sla.P3.resolve","before":"3d","after":"2d"}]'

CASE="standards at a time and at a commit"
run of standards --at "2026-03-15 00:00"
expect_rc 0; expect_out "Standards in force at commit"; expect_out "sla.P3.resolve                 2d"
expect_out "services.vpn.owner             wangwu"
run of standards --at HEAD~3; expect_rc 0; expect_out "sla.P3.resolve                 3d"
run of standards --at no-such-rev; expect_rc 3; expect_err "no commit 'no-such-rev'"
run of standards --at "2020-01-01"; expect_rc 3; expect_err "no commit before 2020-01-01"

CASE="improve done records the standards changed since it started, or those named"
run of improve new "Faster P3" --metric mttr --target "<=600" --at "2026-03-01 09:00"; I=$OUT
run of improve start "$I" --at "2026-03-02 09:00"; expect_rc 0
run of improve done "$I" --at "2026-03-25 09:00"
expect_rc 0; expect_out "implemented; 2 standards change(s) recorded"
ifile=$(find improvements -name "$I.yaml")
expect_file_has "$ifile" "sla.P3.resolve 3d → 2d"; expect_file_has "$ifile" "services.vpn.owner wangwu → lisi"
run of improve show "$I"; expect_out "Standards changed:"; expect_out "sla.P3.resolve 3d → 2d"
run of improve new "Other" --metric mttr --target "<=600" --at "2026-03-01 09:00"; J=$OUT
of improve start "$J" --at "2026-03-02 09:00" >/dev/null
p3=$(git log --format=%h --grep "P3 faster" -1)
run of improve done "$J" --standards "$p3~1..$p3" --at "2026-03-25 09:10"
expect_rc 0; expect_out "1 standards change(s)"
grep -q "services.vpn.owner" "$(find improvements -name "$J.yaml")" && fail "a change outside the range" || ok
K=$(of improve new "Third" --metric mttr --target "<=600" --at "2026-03-01 09:00")
of improve start "$K" --at "2026-03-02 09:00" >/dev/null
snapshot
run of improve done "$K" --standards "nosuch..HEAD" --at "2026-03-25 09:20"
expect_rc 3; expect_err "no commits 'nosuch..HEAD'"; expect_unchanged
run of standards --history --range "nosuch..HEAD"; expect_rc 3; expect_err "no commits 'nosuch..HEAD'"
run of check; expect_rc 0

CASE="the report names the standards in force at its start and each change inside it"
run of report --from 2026-03-01 --to 2026-04-01 --now "2026-04-01 00:00" --format json
expect_rc 0
expect_eq "$(jq -r '.standards.in_force_at_start | length' <<<"$OUT")" "12"
expect_eq "$(jq -c '[.standards.changes[].changes[]]' <<<"$OUT")" '["services.vpn.owner wangwu → lisi","sla.P3.resolve 3d → 2d"]'
run of report --from 2026-03-01 --to 2026-04-01 --now "2026-04-01 00:00"
expect_out "2026-03-10: sla.P3.resolve 3d → 2d; 2026-03-20: services.vpn.owner wangwu → lisi"

finish
