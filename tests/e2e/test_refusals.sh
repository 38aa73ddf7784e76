#!/usr/bin/env bash
# Every step the workflow refuses, and every kind of bad input: the right exit
# code, a message that says what to do, and nothing changed (no file, no commit).
. "$(dirname "$0")/lib.sh"
new_store

# mk STAGE: an incident brought to STAGE, its ID in $id.
mk() {
  id=$(of incident new "Refusal test $1" --service vpn --at "2026-03-02 09:00")
  case $1 in
    new) ;;
    assigned) of -q incident assign "$id" --to lisi --at "2026-03-02 09:05" ;;
    diagnosing) of -q incident assign "$id" --to lisi --at "2026-03-02 09:05"; of -q incident diagnose "$id" --cause c --at "2026-03-02 09:10" ;;
    resolved) mk diagnosing; of -q incident fix "$id" --resolution r --at "2026-03-02 09:20" ;;
    verified) mk resolved; of -q incident verify "$id" --passed --at "2026-03-02 09:30" ;;
    closed) mk verified; of -q incident close "$id" --feedback "fixed" --at "2026-03-02 09:40" ;;
    on_hold) mk assigned; of -q incident hold "$id" --reason wait --at "2026-03-02 09:10" ;;
    cancelled) of -q incident cancel "$id" --reason dup --at "2026-03-02 09:05" ;;
  esac
}

# refuse STAGE VERB ARGS...: VERB on an incident in STAGE exits 4, names the status, changes nothing.
refuse() {
  local stage=$1 verb=$2; shift 2
  mk "$stage"
  CASE="$verb refused when $stage"
  snapshot
  run of incident "$verb" "$id" "$@"
  expect_rc 4
  expect_err "opsflow: cannot $verb $id: it is '$stage'"
  expect_unchanged
}

refuse new close
refuse new diagnose --cause x
refuse new fix --resolution x
refuse new verify --passed
refuse new resume
refuse new reopen --reason x
refuse assigned verify --passed
refuse assigned close
refuse diagnosing verify --failed
refuse resolved close
refuse resolved cancel --reason x
refuse resolved fix --resolution x
refuse resolved hold --reason x
refuse verified fix --resolution x
refuse verified cancel --reason x
refuse closed assign --to lisi
refuse closed close
refuse closed classify --impact low
refuse closed cancel --reason x
refuse on_hold fix --resolution x
refuse on_hold assign --to lisi
refuse on_hold hold --reason x
refuse cancelled assign --to lisi
refuse cancelled reopen --reason x
refuse cancelled resume

CASE="the refusal says which command would make it possible"
mk resolved
run of incident close "$id" --feedback done
expect_err "opsflow: cannot close $id: it is 'resolved', not yet verified (run: opsflow incident verify $id --passed)"

CASE="close without --feedback and fix without a cause are refused: check requires them"
mk verified
snapshot
run of incident close "$id"; expect_rc 4; expect_err "add --feedback TEXT"
expect_unchanged
mk assigned
snapshot
run of incident fix "$id" --resolution r; expect_rc 4; expect_err "its cause is not recorded"
expect_unchanged
run of incident fix "$id" --resolution r --cause c; expect_rc 0
mk on_hold
run of incident fix "$id" --resolution x
expect_err "(run: opsflow incident resume $id)"

mk new
# bad INPUT... EXIT MESSAGE: a bad argument is refused with EXIT and MESSAGE; nothing changes.
bad() {
  local code=$1 message=$2; shift 2
  CASE="bad input: $*"
  snapshot
  run of "$@"
  expect_rc "$code"
  expect_err "$message"
  expect_unchanged
}
bad 5 "unknown service 'vnp' (did you mean 'vpn'?); known services: mail, vpn" incident new T --service vnp
bad 5 "unknown category 'netwrok' (did you mean 'network'?)" incident new T --category netwrok
bad 5 "unknown person 'lsi' (did you mean 'lisi'?); known persons: lisi, wangwu, chen" incident assign "$id" --to lsi
bad 5 "known impacts: high, medium, low" incident new T --impact huge
bad 5 "unknown channel 'fax'" incident new T --channel fax
bad 2 "--status: " incident list --status open
bad 2 "--at: 'yesterday' is not a time" incident note "$id" hi --at yesterday
bad 2 "is in the future" incident note "$id" hi --at "2099-01-01 10:00"
bad 2 "is earlier than the record's last event" incident note "$id" hi --at "2026-03-01 10:00"
bad 2 "'../etc/passwd' is not a record ID" incident show ../etc/passwd
bad 2 "'INC-zz' is not a record ID" incident note INC-zz hi
bad 2 "is not a record ID" incident note "INC-1234/../../x" hi
bad 3 "no incident INC-0000" incident note 0000 hi
bad 3 "TKT-12345678 names a ticket; this command takes incident IDs (INC-...)" incident show TKT-12345678
bad 2 "needs --to PERSON or --auto" incident assign "$id"
bad 2 "exactly one of --passed or --failed" incident verify "$id"
bad 2 "TITLE is required" incident new
bad 2 "TITLE: must not be blank" incident new ""
bad 2 "--reporter: 'Victim <-oQ/tmp/x@example.com>' is not a name with one email address opsflow sends to" incident new "t" --reporter "Victim <-oQ/tmp/x@example.com>"
bad 2 "--reporter: 'a@example.com, b@example.com' is not a name with one email address" incident new "t" --reporter "a@example.com, b@example.com"
bad 2 "--requester: '<x@example.com@evil.example>' is not a name with one email address" ticket new "q" --requester "<x@example.com@evil.example>"
bad 2 "TITLE: must not be blank" incident new "   "
bad 2 "--at: must not be blank" incident new "t" --at ""
bad 2 "--cause: must not be blank" incident diagnose INC-00000000 --cause ""
bad 2 "years 1970 to 9999" incident new "t" --at 0000-01-01
bad 2 "years 1970 to 9999" incident new "t" --at "1969-12-31 23:00"
bad 2 "is not a time" incident new "t" --at 2026-02-30
bad 2 "is not a time" incident new "t" --at "2026-02-28T25:61:61+08:00"
bad 2 "is not a time" incident new "t" --at "2026-02-28T10:00:00+99:99"
bad 2 "is not a duration of at most 366 days" maint plan "w" --start "2027-01-01 22:00" --duration 99999999999h --services mail --owner wangwu
bad 2 "is not a duration of at most 366 days" maint plan "w" --start "2027-01-01 22:00" --duration 367d --services mail --owner wangwu
bad 2 "--reason is required" incident cancel "$id"
bad 2 "The following argument was not expected: --bogus" incident new T --bogus
bad 2 "incident" incident frobnicate
bad 2 "needs --reason" incident new T --priority P1

CASE="ambiguous prefix lists the candidates"
mkdir -p incidents/2026/01
for hex in abcd0001 abcd0002; do
  sed "s/^id: .*/id: INC-$hex/" "$(record_file "$id")" > "incidents/2026/01/INC-$hex.yaml"
done
git add -A && git commit -qm "two similar ids"
snapshot
run of incident show abcd
expect_rc 3; expect_err "INC-abcd is ambiguous"; expect_err "INC-abcd0001"; expect_err "INC-abcd0002"
run of incident note abcd hi
expect_rc 3; expect_unchanged
run of incident show abcd0002; expect_rc 0

CASE="no store: exit 3 and how to make one"
cd "$(mktemp -d)"
TMP_ROOTS+=("$PWD")
run of incident list
expect_rc 3; expect_err "not in an opsflow store"; expect_err "opsflow init"
run of -C /nonexistent incident list
expect_rc 3; expect_err "-C /nonexistent: not an opsflow store"
OPSFLOW_DIR=/nowhere run of incident list
expect_rc 3; expect_err "\$OPSFLOW_DIR /nowhere"
run of --version; expect_rc 0; expect_out "opsflow "
run of --help; expect_rc 0; expect_out "incident"
run of incident new --help; expect_rc 0; expect_out "Example:"

finish
