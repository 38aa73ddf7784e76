#!/usr/bin/env bash
# At the size users reach, built the way a user builds a store: `init` (which
# installs the pre-commit hook), then one `import` of 20,000 rows; a second
# import, a whole-store check, a report and a change. Asserts results, not times
# (bench/scale.sh measures those). And a bad row 90,000 lines into an import file.
. "$(dirname "$0")/lib.sh"
dir=$(mktemp -d); TMP_ROOTS+=("$dir")
make_import() { /usr/bin/python3 "$OPSFLOW_SOURCE/bench/make_import.py" "$@"; }
peak_mb() { /usr/bin/python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss//1024)' "$@"; }

CASE="init, then 20,000 rows imported in one command through the pre-commit hook"
run of init "$dir/s" --timezone Asia/Shanghai; expect_rc 0
cd "$dir/s"
[ -x .git/hooks/pre-commit ] && ok || fail "init installed no pre-commit hook"
printf 'people:\n  - {id: lisi, name: Li Si}\n  - {id: wangwu, name: Wang Wu}\n  - {id: chen, name: Chen}\n' > team.yaml
printf 'services:\n  - {id: mail, name: Mail}\n  - {id: vpn, name: VPN}\n' > services.yaml
git commit -qam "team and services"
make_import 20000 2026-11-01 1 > "$dir/first.csv"
before=$(commits)
run of import --kind incident "$dir/first.csv"
expect_rc 0
expect_eq "$(wc -l <<<"$OUT")" "20000"
expect_eq "$(sort <<<"$OUT" | uniq -d | wc -l)" "0"
expect_eq "$(commits)" "$((before + 1))"
expect_eq "$(git log -1 --format=%s)" "incident $(head -1 <<<"$OUT"): imported 20000 incident records from first.csv"
expect_eq "$(git ls-files incidents | wc -l)" "20000"
expect_eq "$(git status --porcelain)" ""
expect_eq "$(git ls-files incidents | sed 's|.*/||; s|\.yaml$||' | sort)" "$(sort <<<"$OUT")"
last=$(tail -1 <<<"$OUT")

CASE="a second import into the store of 20,000"
make_import 2000 2026-11-20 2 > "$dir/second.csv"
run of import --kind incident "$dir/second.csv"
expect_rc 0
expect_eq "$(wc -l <<<"$OUT")" "2000"
expect_eq "$(git ls-files incidents | sed 's|.*/||' | sort | uniq -d | wc -l)" "0"
expect_eq "$(git ls-files incidents | wc -l)" "22000"
expect_eq "$(git status --porcelain)" ""

CASE="check of the whole store, twice (the second from remembered verdicts)"
run of check; expect_rc 0; expect_err "checked 22003 files: 0 errors, 0 warnings"
run of check; expect_rc 0; expect_err "checked 22003 files: 0 errors, 0 warnings"

CASE="a report over the whole store"
run of report --format json --now "2026-12-01 00:00" --from 2024-01-01 --to 2026-12-01
expect_rc 0
expect_eq "$(jq .incidents.total <<<"$OUT")" "22000"
expect_eq "$(jq '[.incidents.by_status[]] | add' <<<"$OUT")" "22000"

CASE="a change in the store of 22,000: one commit of one file, through the hook"
before=$(commits)
run of incident note "$last" "checked after the import"
expect_rc 0
expect_eq "$(commits)" "$((before + 1))"
expect_eq "$(git show --name-only --format= HEAD)" "$(record_file "$last")"
expect_eq "$(git status --porcelain)" ""
expect_eq "$(of incident list --open --json | jq length)" "$(of incident list --open | tail -n +2 | wc -l)"

CASE="a bad row 90,000 lines into an import file: refused by line, nothing written"
make_import 46000 2026-11-01 3 > "$dir/big.csv"
# Each row takes two lines (its description has a line break): line 90,000 starts a row.
/usr/bin/python3 - "$dir/big.csv" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
lines[89999] = re.sub(r",\d{4}-\d\d-\d\d \d\d:\d\d,", ",not a time,", lines[89999], count=1)
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines))
PY
snapshot
run of import --kind incident "$dir/big.csv"
expect_rc 5
expect_err "1 bad row in $dir/big.csv; nothing was imported"
expect_err "big.csv:90000:"; expect_err "not a time"
expect_no_out "INC-"
expect_unchanged
mb=$(peak_mb "$OPSFLOW_BIN" import --kind incident "$dir/big.csv")
[ "$mb" -lt 300 ] && ok || fail "refusing the import took $mb MB"

finish
