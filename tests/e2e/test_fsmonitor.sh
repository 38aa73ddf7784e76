#!/usr/bin/env bash
# The file-system monitor (`git config opsflow.fsmonitor watchman`): with it, a
# warm read asks watchman what changed instead of stat'ing every record, and
# still sees every hand edit, removal and addition; whatever goes wrong with the
# monitor, reads stay right. A stand-in watchman on PATH shows that the monitor's
# answers are used (and when they are not); the real watchman shows they are right.
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d); TMP_ROOTS+=("$dir")
command -v watchman >/dev/null || { echo "watchman is not installed (scripts/setup-deps)" >&2; exit 1; }

new_store
store=$(pwd -P)
/usr/bin/python3 "$OPSFLOW_SOURCE/bench/make_import.py" 300 2026-09-01 7 > "$dir/rows.csv"
of -q import --kind incident "$dir/rows.csv" >/dev/null || { echo "import failed" >&2; exit 1; }
count() { of incident list --format csv | tail -n +2 | wc -l; }
first=$(find incidents -name '*.yaml' | sort | head -1)
first_id=$(basename "$first" .yaml)
title_of() { of incident list --format csv | grep "^$1," | cut -d, -f2; }
sleep 2 # records changed within the file system's granularity are never trusted (racily clean)

# A stand-in watchman: logs each command it is given and answers from files the
# test writes (the clock, the changed files, or nothing at all).
fake="$dir/fake-bin"; mkdir -p "$fake"
cat > "$fake/watchman" <<EOF
#!/bin/sh
cat >> "$dir/asked"; echo >> "$dir/asked"
cat "$dir/answer" 2>/dev/null
EOF
chmod +x "$fake/watchman"
with_fake() { PATH="$fake:$PATH" "$@"; }
answer() { printf '%s' "$1" > "$dir/answer"; }
quiet='{"clock":"c:1:2:3:20","files":[],"is_fresh_instance":false}'

CASE="without the setting, watchman is never asked"
: > "$dir/asked"; answer "$quiet"
run with_fake of incident list --open
expect_rc 0
expect_eq "$(cat "$dir/asked")" ""

CASE="with the setting and no clock yet: the store is watched, and read in full"
git config opsflow.fsmonitor watchman
: > "$dir/asked"; answer '{"clock":"c:1:2:3:10","watch":"x"}'
run with_fake of incident list --format csv
expect_rc 0
expect_eq "$(tail -n +2 <<<"$OUT" | wc -l)" "300"
grep -qF "[\"watch\",\"$store\"]" "$dir/asked" && ok || fail "no watch command: $(cat "$dir/asked")"
grep -qF '["clock"' "$dir/asked" && ok || fail "no clock command"
expect_file_has ".opsflow/index/$(dirname "$first")" "c:1:2:3:10"

CASE="the monitor's answer is trusted: a change it does not report is not read"
sed -i 's/^title: .*/title: Edited by hand/' "$first"
: > "$dir/asked"; answer "$quiet"
run with_fake of incident list --format csv
expect_rc 0
grep -qF '"since":"c:1:2:3:10"' "$dir/asked" && ok || fail "not asked since the clock: $(cat "$dir/asked")"
grep -q "^$first_id,Edited by hand," <<<"$OUT" && fail "a directory the monitor vouched for was read" || ok

CASE="a change the monitor reports is read"
answer "{\"clock\":\"c:1:2:3:22\",\"files\":[{\"name\":\"$first\",\"oclock\":\"c:1:2:3:21\"}],\"is_fresh_instance\":false}"
run with_fake of incident list --format csv
expect_rc 0
expect_out "$first_id,Edited by hand,"

CASE="a monitor that started again (a fresh instance) makes every directory read"
sed -i 's/^title: .*/title: Edited again/' "$first"
answer '{"clock":"c:1:2:3:30","files":[],"is_fresh_instance":true}'
run with_fake of incident list --format csv
expect_out "$first_id,Edited again,"

CASE="a monitor that does not answer: the stat walk, and the right answer"
sed -i 's/^title: .*/title: Edited a third time/' "$first"
answer ""
run with_fake of incident list --format csv
expect_rc 0
expect_out "$first_id,Edited a third time,"
answer '{"error":"unable to talk to the server"}'
sed -i 's/^title: .*/title: Edited a fourth time/' "$first"
run with_fake of incident list --format csv
expect_out "$first_id,Edited a fourth time,"
git checkout -q -- incidents

# The real watchman, on a server of this test's own: watchman 4.9 keeps its socket
# and state under $TMPDIR, so no server runs there until opsflow starts one (as on
# a new machine), and the user's server is never touched. It is stopped at the end.
git config opsflow.fsmonitor watchman
export TMPDIR="$dir/tmp"; mkdir -p "$TMPDIR"
trap 'watchman shutdown-server >/dev/null 2>&1; cleanup' EXIT

CASE="real watchman: with no server running, the first read starts one and watches the store"
run of incident list --format csv
expect_rc 0
expect_eq "$(tail -n +2 <<<"$OUT" | wc -l)" "300"
watchman watch-list | grep -qF "\"$store\"" && ok || fail "the store is not watched"
run of incident list --format csv
expect_eq "$(tail -n +2 <<<"$OUT" | wc -l)" "300"

CASE="real watchman: a hand edit is seen"
sed -i 's/^title: .*/title: Seen through watchman/' "$first"
expect_eq "$(title_of "$first_id")" "Seen through watchman"

CASE="real watchman: a removed record is gone, a copied one is there"
second=$(find incidents -name '*.yaml' | sort | sed -n 2p)
mv "$second" "$dir/"
expect_eq "$(count)" "299"
mv "$dir/$(basename "$second")" "$second"
expect_eq "$(count)" "300"

CASE="real watchman: a record moved to another month is found there"
mkdir -p incidents/2030/01
mv "$second" incidents/2030/01/
run of incident show "$(basename "$second" .yaml)"
expect_rc 0
expect_eq "$(count)" "300"

CASE="real watchman: a change through opsflow is seen by the next read"
run of incident new "Printer on fire" --service mail --category hardware --impact low --urgency low --reporter "Ann <ann@example.com>"
expect_rc 0
expect_eq "$(count)" "301"

CASE="real watchman: after the server stops, reads are still right"
watchman shutdown-server >/dev/null 2>&1
sed -i 's/^title: .*/title: While watchman was down/' "$first"
expect_eq "$(title_of "$first_id")" "While watchman was down"
sed -i 's/^title: .*/title: After watchman came back/' "$first"
expect_eq "$(title_of "$first_id")" "After watchman came back"
watchman watch-list | grep -qF "\"$store\"" && ok || fail "the store is not watched again"

CASE="real watchman: report and sla watch agree with the stat walk"
# Fixed times: two runs a second apart must not differ by their clock.
reads() {
  of report --format json --from 2024-01-01 --to 2027-01-01 --now "2026-12-01 00:00"
  of sla watch --now "2026-12-01 00:00" --within 30d --json
}
with=$(reads)
git config --unset opsflow.fsmonitor
without=$(reads)
expect_eq "$with" "$without"
[ "$(jq -s '.[0].incidents.total' <<<"$with")" -ge 300 ] && ok || fail "the report saw no incidents"

finish
