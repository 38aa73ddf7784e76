#!/usr/bin/env bash
# Measures how well opsflow finds things, on the labelled relevance set of
# make_set.py: builds a store the way a user would (`opsflow init`, the set's team and
# services, one `opsflow import` of the set), then score.py asks it for the similar
# records of every incident (leave-one-out: is an incident of the same fault among
# the first 3? easy, rows of a fault share sentences), searches two-character Chinese
# words (precision and recall against the rows that hold the word), and last files
# 96 new reports worded apart from every imported row (`incident new --json`, one
# commit each, ~10-20 s) and scores their similar records: the honest figure. Prints
# Markdown tables, with the new reports' top-1 misses.
#
# Usage: OPSFLOW_BIN=build/opsflow bench/relevance/measure.sh
# Floors, for CI (fractions, default 0): SIMILAR_TOP3_FLOOR=0.8 (top-3 of the new
# reports) SEARCH_FLOOR=0.95.
# SIMILAR_SAMPLE=120 asks a fixed sample instead of all 300; SKIP_SIMILAR=1 skips
# the similar part (until `incident show --similar` exists: without it the script
# says so and exits 3); JOBS=N show calls at once (default: the cores).
# Exit: 0; 1 a figure under its floor; 2 opsflow or the setup failed; 3 no --similar.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${OPSFLOW_BIN:-$here/../../build/opsflow}
[ -x "$bin" ] || { echo "measure: no opsflow at $bin (set OPSFLOW_BIN)" >&2; exit 2; }
bin=$(realpath "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A home of its own: no user's git identity, hooks or opsflow settings reach the run.
export HOME=$work GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
unset OPSFLOW_DIR
git config --global user.name relevance; git config --global user.email relevance@example.com
git config --global init.defaultBranch main

trap 'echo "measure: the setup failed (line $LINENO)" >&2; exit 2' ERR
# The set is made anew each run (it is deterministic), so it never goes stale.
python3 "$here/make_set.py" "$work/set"
"$bin" init "$work/store" --timezone Asia/Shanghai >/dev/null
cp "$work/set/team.yaml" "$work/set/services.yaml" "$work/store/"
git -C "$work/store" commit -qam "relevance set: team and services"
"$bin" -q -C "$work/store" import --kind incident "$work/set/incidents.jsonl" >/dev/null

echo "# opsflow relevance ($("$bin" --version), $(wc -l < "$work/set/incidents.jsonl") incidents)"
trap - ERR
python3 "$here/score.py" "$bin" "$work/store" "$work/set"
