#!/usr/bin/env bash
# Concurrent opsflow processes on one store never lose an update.
. "$(dirname "$0")/lib.sh"
new_store
id=$(of incident new "Busy incident" --at "2026-03-02 09:00")
file=$(record_file "$id")
before=$(commits)

CASE="30 concurrent notes on one record"
pids=()
for i in $(seq 1 30); do
  of -q incident note "$id" "note number $i" & pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
expect_eq "$status" "0"
expect_eq "$(grep -c 'action: note' "$file")" "30"
for i in $(seq 1 30); do grep -q "text: note number $i\$" "$file" || fail "note $i lost"; done
ok
expect_eq "$(( $(commits) - before ))" "30"
expect_eq "$(git status --porcelain)" ""
run of incident show "$id"; expect_rc 0

CASE="concurrent creation: 20 incidents, 20 files, 20 commits"
before=$(commits)
pids=()
for i in $(seq 1 20); do of -q incident new "Parallel $i" >/dev/null & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
expect_eq "$(find incidents -name '*.yaml' | wc -l)" "21"
expect_eq "$(( $(commits) - before ))" "20"
expect_eq "$(git status --porcelain)" ""

finish
