#!/usr/bin/env bash
# Report benchmark: stores of 10,000 and 100,000 incidents (with tickets,
# maintenance windows and survey answers) and, for each, the median time of
# `report --format json` cold (no index) and warm, `incident list --open` warm,
# `find` over the store and `git status`, the single-core yaml-cpp parse time
# of the same files, and opsflow's peak memory. The warm commands take turns.
# Usage: bench/report.sh [SIZES...] (default: 10000 100000); RUNS=5 by default.
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
# seconds CMD...: wall time of one run, in seconds
seconds() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo "scale=4; ($e - $s) / 1000000000" | bc; }
times_of() { for _ in $(seq "$runs"); do "$@"; done | median; }
peak_mb() { /usr/bin/python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL); print("%.0f" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024))' "$@"; }

for n in "${sizes[@]}"; do
  store=$work/store-$n
  "$bin" init "$store" --timezone Asia/Shanghai >/dev/null
  printf 'people:\n  - {id: lisi, name: Li Si}\n  - {id: wangwu, name: Wang Wu}\n  - {id: chen, name: Chen}\n  - {id: zhangwei, name: Zhang Wei}\n' > "$store/team.yaml"
  printf 'services:\n  - {id: mail, name: Mail}\n  - {id: vpn, name: VPN}\n' > "$store/services.yaml"
  /usr/bin/python3 "$here/bench/make_store.py" "$store" "$n" --full
  git -C "$store" add -A && git -C "$store" commit -qm "bench store" --no-verify
  cd "$store"
  report=("$bin" report --format json --now "2026-12-01 00:00" --from 2024-12-01 --to 2026-12-01)
  cold() { rm -rf .opsflow/index; seconds "${report[@]}"; }
  cold_s=$(times_of cold)
  "${report[@]}" >/dev/null
  # The warm commands take turns, so that a noisy neighbour on a shared machine
  # slows all of them alike and the ratios stay comparable.
  warm=$work/warm-$n; : > "$warm"
  for _ in $(seq "$runs"); do
    echo "report $(seconds "${report[@]}")" >> "$warm"
    echo "list $(seconds "$bin" incident list --open)" >> "$warm"
    echo "find $(seconds find . -path ./.git -prune -o -name '*.yaml' -print)" >> "$warm"
    echo "status $(seconds git status --porcelain)" >> "$warm"
  done
  series() { awk -v k="$1" '$1 == k {print $2}' "$warm" | median; }
  warm_s=$(series report); list_s=$(series list); find_s=$(series find); status_s=$(series status)
  yamlcpp_s=$("$yamlcpp" . | cut -d' ' -f1)
  rm -rf .opsflow/index
  peak=$(peak_mb "${report[@]}")
  files=$(find incidents tickets maintenance -name '*.yaml' | wc -l)
  echo "== $n incidents ($files record files), median of $runs runs"
  printf '%-36s %9s s\n' "report --format json, cold" "$cold_s" "report --format json, warm" "$warm_s" \
    "incident list --open, warm" "$list_s" "find over the store" "$find_s" "git status" "$status_s" \
    "yaml-cpp parse of every record, 1 core" "$yamlcpp_s"
  printf '%-36s %9s MB\n' "peak memory of a cold report" "$peak"
  printf 'ratios: warm report / git status = %.2f (target <= 2), warm list / git status = %.2f (target <= 2),\n' \
    "$(echo "$warm_s / $status_s" | bc -l)" "$(echo "$list_s / $status_s" | bc -l)"
  printf '        cold report / yaml-cpp parse = %.2f (target <= 0.6)\n' "$(echo "$cold_s / $yamlcpp_s" | bc -l)"
  cd "$work"
  rm -rf "$store"
done
