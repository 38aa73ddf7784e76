#!/usr/bin/env bash
# A central repository that refuses bad pushes: a real bare repository with the
# shipped pre-receive hook (examples/git-server/pre-receive), real `git push`es of
# good and bad commits (made with --no-verify), many commits at once, a new branch,
# a force-push, a deletion, settings changes; and `check --range` on its own.
. "$(dirname "$0")/lib.sh"

export OPSFLOW="$OPSFLOW_BIN" # the hook's opsflow
new_store
site=$PWD
central=$(mktemp -d); TMP_ROOTS+=("$central")
git clone -q --bare "$site" "$central/ops.git"
central="$central/ops.git"
cp "$OPSFLOW_SOURCE/examples/git-server/pre-receive" "$central/hooks/pre-receive"
git remote add origin "$central"
git fetch -q origin
git branch -q --set-upstream-to=origin/main main
at() { git -C "$central" rev-parse --verify -q "refs/heads/$1"; }
# bad_commit FILE: a private key pasted into a record, committed past the pre-commit hook.
bad_commit() {
  printf 'description: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEow\n  -----END RSA PRIVATE KEY-----\n' > "$HOME/desc"
  sed -i "/^reporter:/r $HOME/desc" "$1"
  git add "$1" && git commit -q --no-verify -m "${2:-by hand, past the hook}"
}
# copies N FIRST: N commits, each a valid copy of record $f under a new ID (quicker than
# N opsflow commands, and made past the hook too).
copies() {
  local i id
  for i in $(seq "$2" $(($2 + $1 - 1))); do
    id=$(printf 'INC-%08x' $((0x50000000 + i)))
    sed "s/^id: .*/id: $id/" "$f" > "$(dirname "$f")/$id.yaml"
    git add "$(dirname "$f")/$id.yaml" && git commit -q --no-verify -m "copy $i"
  done
}

CASE="a good commit is accepted"
I=$(of incident new "Mail down" --service mail --category email --impact high --urgency high --reporter "Ann <ann@example.com>" --at "2026-03-02 09:00")
f=$(record_file "$I")
run git push origin main
expect_rc 0
expect_eq "$(at main)" "$(git rev-parse HEAD)"

CASE="a bad record committed with --no-verify is refused, the ref stays, the message names commit and file"
before=$(at main)
bad_commit "$f"
bad=$(git rev-parse HEAD)
run git push origin main
expect_rc 1; expect_err "pre-receive hook declined"
expect_err "${bad:0:12}:$f:"; expect_err "a private key block"
expect_err "push refused"
expect_eq "$(at main)" "$before"

CASE="a bad commit fixed later in the same push is still refused (the history keeps it)"
git revert --no-edit HEAD >/dev/null
run git push origin main
expect_rc 1; expect_err "${bad:0:12}:$f:"
expect_eq "$(at main)" "$before"
git reset -q --hard origin/main

CASE="200 commits pushed at once are each checked, in one go"
copies 200 1
t0=$(date +%s%N)
run git push origin main
t1=$(date +%s%N)
expect_rc 0
expect_eq "$(at main)" "$(git rev-parse HEAD)"
ms=$(((t1 - t0) / 1000000))
if [ "$ms" -lt 60000 ]; then ok; else fail "pushing 200 commits took $ms ms"; fi
echo "  (pushing 200 commits, each checked: $ms ms)"
run of -C "$central" check --range "HEAD~200..HEAD"
expect_rc 0; expect_err "(in 200 commits)"

CASE="one bad commit among 150 is found and named"
copies 100 201
bad_commit "$f"; bad=$(git rev-parse HEAD)
git revert --no-edit HEAD >/dev/null
copies 48 301
before=$(at main)
run git push origin main
expect_rc 1; expect_err "${bad:0:12}:$f:"
expect_eq "$(grep -c 'error:' <<<"$ERR")" "2" # the finding and opsflow's summary
expect_eq "$(at main)" "$before"
git reset -q --hard origin/main

CASE="a new branch is checked from where it leaves the others"
git checkout -q -b feature
of -q incident note "$I" "on a branch" --at "2026-03-03 09:00"
run git push origin feature
expect_rc 0; expect_eq "$(at feature)" "$(git rev-parse HEAD)"
git checkout -q -b bad-branch
bad_commit "$f"; bad=$(git rev-parse HEAD)
run git push origin bad-branch
expect_rc 1; expect_err "${bad:0:12}:$f:"
if at bad-branch >/dev/null; then fail "the bad branch was made"; else ok; fi

CASE="a branch pointing at a commit the repository has is accepted"
git checkout -q main; git branch -q -f same main
run git push origin same
expect_rc 0; expect_eq "$(at same)" "$(at main)"

CASE="a force-push that rewrites history with a bad commit is refused"
git checkout -q feature
before=$(at feature)
git reset -q --hard HEAD~3
bad_commit "$f" "rewritten"; bad=$(git rev-parse HEAD)
run git push --force origin feature
expect_rc 1; expect_err "${bad:0:12}:$f:"
expect_eq "$(at feature)" "$before"

CASE="a force-push of good rewritten history is accepted"
git reset -q --hard HEAD~1
of -q incident note "$I" "rewritten note" --at "2026-03-04 09:00"
run git push --force origin feature
expect_rc 0; expect_eq "$(at feature)" "$(git rev-parse HEAD)"

CASE="deleting a branch is accepted"
run git push origin --delete feature same
expect_rc 0
if at feature >/dev/null || at same >/dev/null; then fail "a branch was not deleted"; else ok; fi

CASE="a record with another's ID (a copy in another month) is refused"
git checkout -q main
mkdir -p incidents/2026/04; cp "$f" "incidents/2026/04/$I.yaml"
git add incidents/2026/04 && git commit -q --no-verify -m copy
run git push origin main
expect_rc 1; expect_err "incidents/2026/04/$I.yaml:"; expect_err "duplicate id $I"
git reset -q --hard origin/main

CASE="settings from the pushed tree: a service dropped while a record uses it refuses the push"
V=$(of incident new "VPN slow" --service vpn --category network --impact low --urgency low --reporter "Bo <bo@example.com>" --at "2026-03-05 09:00")
git push -q origin main
sed -i '/id: vpn/d' services.yaml
git commit -q -am "drop vpn" # the pre-commit hook checks services.yaml alone: it passes
run git push origin main
expect_rc 1; expect_err "$(record_file "$V"):"; expect_err "service 'vpn' is not in services.yaml"
expect_eq "$(at main)" "$(git rev-parse origin/main)"
git reset -q --hard origin/main
echo 'services: [' > services.yaml
git commit -q --no-verify -am "broken services.yaml"
run git push origin main
expect_rc 1; expect_err "services.yaml:"
git reset -q --hard origin/main

CASE="check --range on its own: commit-named findings, JSON with the commit, usage errors"
bad_commit "$f"; bad=$(git rev-parse HEAD)
run of check --range "origin/main..HEAD"
expect_rc 5; expect_out "${bad:0:12}:$f:"; expect_err "(in 1 commit)"
run of check --range "origin/main..HEAD" --format json
expect_rc 5; expect_out "\"commit\": \"$bad\""
run of check --range "0000000000000000000000000000000000000000..HEAD"
expect_rc 5; expect_out "${bad:0:12}:$f:"
run of check --range "no-such-branch..HEAD"
expect_rc 2; expect_err "is not a range of commits"
run of check --range "origin/main..HEAD" --staged
expect_rc 2; expect_err "give one of them"
git reset -q --hard origin/main

CASE="the hook's input is read strictly: a bad line refuses, a deletion alone is accepted"
cd "$central"
run "$OPSFLOW_BIN" check --pre-receive <<<"not a ref update"
expect_rc 2; expect_err "line 1 of the pre-receive input"
zero=0000000000000000000000000000000000000000
run "$OPSFLOW_BIN" check --pre-receive <<<"$(at main) $zero refs/heads/gone"
expect_rc 0
cd "$site"

finish
