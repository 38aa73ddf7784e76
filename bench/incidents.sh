#!/usr/bin/env bash
# Benchmark of the incident commands on a store of N incidents (default 10000).
# Prints the median wall time of each command over RUNS runs (default 7), with and
# without git autocommit, next to a bare `git commit` of one changed file. opsflow's commits
# include the pre-commit hook (`opsflow check --staged`) that `init` installs.
# Usage: bench/incidents.sh [N] [RUNS]   (OPSFLOW_BIN defaults to build/opsflow)
set -euo pipefail
n=${1:-10000}
runs=${2:-7}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${OPSFLOW_BIN:-$here/build/opsflow}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
git config --global user.name bench; git config --global user.email bench@example.com
git config --global init.defaultBranch main

store=$work/store
"$bin" init "$store" --timezone Asia/Shanghai >/dev/null
printf 'people:\n  - {id: lisi, name: Li Si}\n  - {id: wangwu, name: Wang Wu}\n  - {id: chen, name: Chen}\n  - {id: zhangwei, name: Zhang Wei}\n' > "$store/team.yaml"
printf 'services:\n  - {id: mail, name: Mail}\n  - {id: vpn, name: VPN}\n' > "$store/services.yaml"
t0=$(date +%s.%N)
/usr/bin/python3 "$here/bench/make_store.py" "$store" "$n"
git -C "$store" add -A && git -C "$store" commit -qm "bench: $n incidents" --no-verify
printf 'store of %d incidents built in %.1f s\n' "$n" "$(echo "$(date +%s.%N) - $t0" | bc)"
cd "$store"
of() { "$bin" "$@"; }

# median_ms CMD...: median wall time of CMD over $runs runs, in milliseconds.
median_ms() {
  local times=() s e
  for _ in $(seq "$runs"); do
    s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

new_incident() { of incident new "Bench incident" --service vpn "$@"; }
target=$(of incident new "Reassigned in the benchmark" --service vpn)
assign_target() { of incident assign "$target" --to lisi "$@"; }
id_for_show=$(basename "$(find incidents -name '*.yaml' -print -quit)" .yaml)

row() { printf '%-44s %8s ms\n' "$1" "$2"; }
echo "median of $runs runs:"
row "incident new (autocommit)" "$(median_ms new_incident)"
row "incident assign (autocommit)" "$(median_ms assign_target)"
row "incident new --no-commit" "$(median_ms new_incident --no-commit)"
row "incident assign --no-commit" "$(median_ms assign_target --no-commit)"
row "incident show" "$(median_ms of incident show "$id_for_show")"
row "incident list --open" "$(median_ms of incident list --open)"
git add -A && git commit -qm "bench: settle" --no-verify || true
f=$(find incidents -name '*.yaml' -print -quit)
bare_commit() { echo "# $RANDOM" >> "$f"; git add -- "$f"; git commit -qm "bare commit" --no-verify -- "$f"; }
row "bare git add + commit of one file" "$(median_ms bare_commit)"
row "git status" "$(median_ms git status --porcelain)"
