#!/usr/bin/env bash
# Scale benchmark: a store built the way a user builds one (`opsflow init`, which
# installs the pre-commit hook, then `opsflow import` of another helpdesk's CSV),
# then every command of the scale table next to what git pays for the same store
# in the same run: warm reads against `git status --porcelain`, a one-record change
# (with the hook) against a bare `git commit` of one file (without it), export
# against a single-core yaml-cpp parse of the same files, and the import against
# `git add -A && git commit` of the files it wrote; `mail receive` of a new message
# against the bare commit, of one already taken in against git status; a warm search against
# `git grep -c` of the same word, and the first search (which builds the search index)
# against the import. Peak memory of each command.
# The warm reads are measured twice: with the stat walk, and with watchman as the
# file-system monitor (`git config opsflow.fsmonitor watchman`).
# The warm commands take turns, so that a noisy neighbour slows all alike.
# Usage: bench/scale.sh [SIZES...] (default: 10000 100000); RUNS=5 by default.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPSFLOW_BIN:-$here/build/opsflow}
runs=${RUNS:-5}
cmake --build "$here/build" --target opsflow_bench_yamlcpp -j2 >/dev/null
yamlcpp=$here/build/opsflow_bench_yamlcpp
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
git config --global user.name bench; git config --global user.email bench@example.com
git config --global init.defaultBranch main

median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'; }
# measure NAME CMD...: appends "NAME seconds peak_MB" for one run of CMD to $log
# (wall time of the whole process, and the peak memory of it and its children).
measure() {
  local name=$1; shift
  /usr/bin/python3 - "$@" >> "$log" <<PY
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, _, usage = os.wait4(child.pid, 0)
print("$name %.4f %d" % (time.perf_counter() - start, usage.ru_maxrss // 1024))
PY
}
secs() { awk -v k="$1" '$1 == k {print $2}' "$log" | median; }
peak() { awk -v k="$1" '$1 == k {print $3}' "$log" | sort -n | tail -1; }
row() { # row LABEL A B GOAL: opsflow's median, the yardstick's, the ratio, the peak
  printf '%-34s %8.3f s %8.3f s %6.2fx %6s MB   %s\n' "$1" "$(secs "$2")" "$(secs "$3")" \
    "$(echo "$(secs "$2") / $(secs "$3")" | bc -l)" "$(peak "$2")" "$4"
}

for n in "${sizes[@]}"; do
  log=$work/log-$n; : > "$log"
  store=$work/store-$n
  "$bin" init "$store" --timezone Asia/Shanghai >/dev/null
  printf 'people:\n  - {id: lisi, name: Li Si}\n  - {id: wangwu, name: Wang Wu}\n  - {id: chen, name: Chen}\n' > "$store/team.yaml"
  printf 'services:\n  - {id: mail, name: Mail}\n  - {id: vpn, name: VPN}\n' > "$store/services.yaml"
  git -C "$store" commit -qam "bench: team and services"
  /usr/bin/python3 "$here/bench/make_import.py" "$n" > "$work/import-$n.csv"
  cd "$store"
  measure import "$bin" import --kind incident "$work/import-$n.csv"
  # The yardstick: the same files, added and committed by git alone.
  plain=$work/plain-$n; mkdir "$plain"; cp -r incidents "$plain/"; git -C "$plain" init -q
  git -C "$plain" config core.splitIndex true; git -C "$plain" config index.version 4
  git -C "$plain" config core.untrackedCache true
  measure git_add_commit sh -c "cd '$plain' && git add -A && git commit -qm plain"
  # Removed with the rest at exit, not now: on ext4 without a journal, creating files
  # soon after deleting many scans the recently freed inodes (minutes of system time
  # for the next import).

  # The first search builds the search index (issue 27: the import does not build it yet).
  measure search_build "$bin" -q search 证书
  report=("$bin" report --format json --now "2026-11-01 00:00")
  "${report[@]}" >/dev/null; "$bin" -q check; git status --porcelain >/dev/null
  id=$("$bin" incident new "Bench: one change" --service vpn)
  f=$(find incidents -name '*.yaml' -print -quit)
  bare_commit=(sh -c 'echo "# $$" >> "$1"; git add -- "$1"; git commit -qm bare --no-verify -- "$1"' sh "$f")
  for i in $(seq "$runs"); do
    measure status git status --porcelain
    measure report "${report[@]}"
    measure list "$bin" incident list --open
    measure sla "$bin" sla watch --now "2026-11-01 00:00"
    measure list_json "$bin" incident list --open --json
    measure check "$bin" -q check
    # The first search after the previous round's changes compares the stamps of every
    # record; the next one finds nothing changed (a digest of them all).
    measure search_changed "$bin" search 证书
    measure search "$bin" search 证书
    measure grep git grep -c 证书
    measure note "$bin" -q incident note "$id" "bench note $i"
    measure new "$bin" incident new "Bench incident $i" --service vpn
    measure bare "${bare_commit[@]}"
    # Email intake: a new message (a new ticket, its acknowledgement, the archive, the hook),
    # then the same message again (found among every record's Message-IDs, skipped).
    printf 'From: bench@example.com\nTo: ops@example.com\nSubject: bench %s\nMessage-ID: <bench-%s-%s@example.com>\n\nhi\n' \
      "$i" "$n" "$i" > "$work/mail-$i.eml"
    measure mail_new sh -c "'$bin' -q mail receive < '$work/mail-$i.eml'"
    measure mail_dup sh -c "'$bin' -q mail receive < '$work/mail-$i.eml'"
  done
  # The same warm reads with the file-system monitor configured (watchman).
  git config opsflow.fsmonitor watchman
  "${report[@]}" >/dev/null; sleep 2; "${report[@]}" >/dev/null
  for i in $(seq "$runs"); do
    measure status git status --porcelain
    measure report_fsm "${report[@]}"
    measure list_fsm "$bin" incident list --open
    measure sla_fsm "$bin" sla watch --now "2026-11-01 00:00"
    measure list_json_fsm "$bin" incident list --open --json
    measure search_fsm "$bin" search 证书
  done
  git config --unset opsflow.fsmonitor; watchman watch-del "$store" >/dev/null 2>&1 || true
  measure yamlcpp "$yamlcpp" .
  for _ in $(seq 3); do measure export "$bin" export --kind incident; done
  echo "== $n incidents, imported with the pre-commit hook installed; median of $runs runs (import: 1 run, export: 3)"
  printf '%-34s %10s %10s %7s %9s   %s\n' command opsflow yardstick ratio peak goal
  row "report --format json (warm)" report status "<= 1.2x git status"
  row "incident list --open (warm)" list status "<= 1.2x git status"
  row "sla watch (warm)" sla status "<= 1.2x git status"
  row "incident list --open --json" list_json status "<= 3x git status, < 100 MB"
  row "export --kind incident" export yamlcpp "<= 0.15x yaml-cpp parse, < 100 MB"
  row "report, with watchman" report_fsm status "<= 1.2x git status"
  row "incident list --open, watchman" list_fsm status "<= 1.2x git status"
  row "sla watch, with watchman" sla_fsm status "<= 1.2x git status"
  row "list --open --json, watchman" list_json_fsm status "<= 3x git status, < 100 MB"
  row "check (warm)" check status "<= 3x git status"
  row "incident note (with the hook)" note bare "<= 1.0x bare git commit"
  row "incident new (with the hook)" new bare "<= 1.0x bare git commit"
  row "mail receive, new (with the hook)" mail_new bare "<= 1.5x bare git commit"
  row "mail receive, already taken in" mail_dup status "<= 1.2x git status"
  row "import of $n rows" import git_add_commit "<= 3x git add+commit, < 300 MB"
  row "search for a Chinese word (warm)" search grep "<= 0.1x git grep -c, < 100 MB"
  row "search, after a change" search_changed grep "<= 0.1x git grep -c, < 100 MB"
  row "search, with watchman" search_fsm grep "<= 0.1x git grep -c, < 100 MB"
  row "first search (builds the index)" search_build import "<= 0.3x the import"
  printf 'records: %s; duplicate IDs: %s; work tree after the import: %s\n' \
    "$(git ls-files incidents | wc -l)" "$(git ls-files incidents | sed "s|.*/||" | sort | uniq -d | wc -l)" \
    "$( [ -z "$(git status --porcelain)" ] && echo clean || echo dirty)"
  cd "$work"; rm -rf "$store"
done
