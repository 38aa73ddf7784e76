#!/usr/bin/env bash
# A damaged cache is never trusted (issue 24, item 6): bytes of a query index file and
# of the check cache, flipped one at a time, change no answer; the damaged file is
# rebuilt. A cache file that cannot be read fails loudly instead of reading as empty.
. "$(dirname "$0")/lib.sh"

copy=$(mktemp -d); TMP_ROOTS+=("$copy")
cp -r "$OPSFLOW_SOURCE/examples/store" "$copy/store"; cd "$copy/store" || exit 1
rm -rf .opsflow
git init -q && git add -A && git commit -qm "example store"
# Stamps less than 2 s older than a cache are not trusted (racily clean), so that
# damage to their lines would go unused: age every file and directory, then let
# their ctime (which touch sets to now) age past 2 s too.
aged() { find . -path ./.git -prune -o -exec touch -d '10 minutes ago' {} +; sleep 2.5; }
aged
# An assigned record of the month whose index file is damaged below, and a name one
# digit away.
victim=$(basename "$(grep -l '^assignee:' incidents/2026/11/INC-*.yaml | sort | head -1)" .yaml)
[ "${victim: -1}" = 0 ] && neighbour=${victim%?}1 || neighbour=${victim%?}0

# flip FILE POS: xors the byte at POS with a bit that depends on POS (all eight bits
# are used across positions, the high one too).
flip() {
  local byte
  byte=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
  printf "\\$(printf '%03o' $((byte ^ (1 << ($2 % 8)))))" |
    dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# positions SIZE: a deterministic sample of at least 200 positions of a file of SIZE
# bytes: its first 100 and last 30 bytes (header, checksum), and every STEP-th one.
positions() {
  local size=$1 step p
  step=$(( size / 240 )); [ "$step" -ge 1 ] || step=1
  { seq 0 $(( size < 100 ? size - 1 : 99 )); seq $(( size > 30 ? size - 30 : 0 )) $(( size - 1 ))
    for ((p = 100; p < size - 30; p += step)); do echo "$p"; done; } | sort -nu
}

CASE="every flipped byte of an index file gives the answers of a rebuilt index, and is rebuilt"
index=.opsflow/index/incidents/2026/11
answers() {
  of incident list --format csv 2>&1; echo "rc=$?"
  of report --format json --now "2026-11-30 12:00" 2>&1; echo "rc=$?"
}
of incident list >/dev/null
expected=$(answers)
[ -f "$index" ] && ok || fail "no index file $index"
cp "$index" "$HOME/index.good"
expect_eq "$(answers)" "$expected"                    # warm, from the index: the same
grep -q "$victim" <<<"$expected" && ok || fail "the list lacks $victim"
wrong=0 kept=0 tried=0
for p in $(positions "$(stat -c %s "$HOME/index.good")"); do
  cp "$HOME/index.good" "$index"; flip "$index" "$p"
  got=$(answers); tried=$((tried + 1))
  [ "$got" == "$expected" ] || { wrong=$((wrong + 1)); [ "$wrong" -le 3 ] && fail "byte $p flipped: $(diff <(echo "$expected") <(echo "$got") | head -4)"; }
  cmp -s "$index" "$HOME/index.good" || kept=$((kept + 1))
done
[ "$tried" -ge 200 ] && ok || fail "only $tried positions tried"
expect_eq "wrong answers: $wrong of $tried" "wrong answers: 0 of $tried"
expect_eq "damaged files left in place: $kept of $tried" "damaged files left in place: 0 of $tried"
# As R6's reproduction: a record's name changed in the index, nothing else.
cp "$HOME/index.good" "$index"
sed -i "s/^F\t$victim\.yaml/F\t$neighbour.yaml/" "$index"
grep -q "^F	$neighbour.yaml" "$index" && ok || fail "the test did not rename $victim in the index"
expect_eq "$(answers)" "$expected"

CASE="every flipped byte of the check cache gives the findings of a cold check, and is rebuilt"
# Findings to remember (an error and a warning), so that damaged messages could be replayed.
f1=$(find incidents -name "$victim.yaml")
sed -i 's/^assignee: .*/assignee: nobody/; s/^description: \(.*\)/description: \1 Call 13800138000./' "$f1"
git commit -qam "findings" --no-verify; aged
rm -f .opsflow/check-cache*
cold() { of check 2>&1; echo "rc=$?"; }
expected=$(cold)
grep -q "nobody" <<<"$expected" && grep -q "warning" <<<"$expected" && ok || fail "no findings: $expected"
cp .opsflow/check-cache "$HOME/cache.good"
expect_eq "$(cold)" "$expected"                      # warm, from the cache: the same
wrong=0 kept=0 tried=0
for p in $(positions "$(stat -c %s "$HOME/cache.good")"); do
  cp "$HOME/cache.good" .opsflow/check-cache; flip .opsflow/check-cache "$p"
  got=$(cold); tried=$((tried + 1))
  [ "$got" == "$expected" ] || { wrong=$((wrong + 1)); [ "$wrong" -le 3 ] && fail "byte $p flipped: $(diff <(echo "$expected") <(echo "$got") | head -4)"; }
  cmp -s .opsflow/check-cache "$HOME/cache.good" || kept=$((kept + 1))
done
[ "$tried" -ge 200 ] && ok || fail "only $tried positions tried"
expect_eq "wrong answers: $wrong of $tried" "wrong answers: 0 of $tried"
expect_eq "damaged files left in place: $kept of $tried" "damaged files left in place: 0 of $tried"

CASE="an index or check cache that is not a regular file fails loudly, and is not waited on"
cp "$HOME/index.good" "$index"
rm "$index"; mkfifo "$index"
run timeout 10 "$OPSFLOW_BIN" incident list
expect_rc 5; expect_err "$index: not a regular file (a FIFO)"
rm "$index"; ln -s "$HOME/index.good" "$index"
run of report; expect_rc 5; expect_err "$index: not a regular file (a symbolic link)"
rm "$index"
run of incident list; expect_rc 0                     # missing: rebuilt
rm .opsflow/check-cache; mkdir .opsflow/check-cache
run of check; expect_rc 5; expect_err ".opsflow/check-cache: not a regular file (a directory)"
rmdir .opsflow/check-cache
run of check; expect_rc 5; expect_out "nobody"          # missing: checked again

finish
