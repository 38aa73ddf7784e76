#!/usr/bin/env bash
# opsflow's commits: exactly the files it changed, and a store works without git.
. "$(dirname "$0")/lib.sh"

CASE="init makes a repository, settings, .gitignore and a first commit"
dir=$(mktemp -d); TMP_ROOTS+=("$dir")
run of init "$dir/s" --timezone Asia/Shanghai
expect_rc 0; expect_out "new git repository"
expect_eq "$(git -C "$dir/s" log --format=%s)" "store: initialise opsflow store"
expect_eq "$(git -C "$dir/s" ls-files | sort | tr '\n' ' ')" ".gitattributes .gitignore opsflow.yaml services.yaml team.yaml "
expect_file_has "$dir/s/.gitignore" "/.opsflow/"
expect_file_has "$dir/s/opsflow.yaml" "timezone: Asia/Shanghai"
run of init "$dir/s"; expect_rc 4; expect_err "already an opsflow store"
run of init "$dir/t" --timezone Mars/Base; expect_rc 5; expect_err "unknown timezone 'Mars/Base'"
[ ! -e "$dir/t/opsflow.yaml" ] && ok || fail "init wrote a store with a bad timezone"

new_store
CASE="other staged changes are neither committed nor unstaged"
echo "draft" > notes.txt
git add notes.txt
id=$(of incident new "Commit scope" --at "2026-03-02 09:00")
expect_eq "$(git show --name-only --format= HEAD)" "$(record_file "$id")"
expect_eq "$(git diff --cached --name-only)" "notes.txt"
of -q incident note "$id" "again"
expect_eq "$(git diff --cached --name-only)" "notes.txt"
git reset -q notes.txt; rm notes.txt

CASE="a failed commit (hook refuses) restores the file and exits 1"
printf '#!/bin/sh\necho "hook says no" >&2\nexit 1\n' > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit
snapshot
run of incident note "$id" "blocked"
expect_rc 1; expect_err "git commit failed:"; expect_err "hook says no"
expect_unchanged
rm .git/hooks/pre-commit

CASE="the repository's commit-msg and post-commit hooks run, as git commit runs them"
printf '#!/bin/sh\nprintf "Reviewed-by: hook\\n" >> "$1"\n' > .git/hooks/commit-msg
printf '#!/bin/sh\ngit rev-parse HEAD > "$(git rev-parse --git-dir)/post-commit-saw"\n' > .git/hooks/post-commit
chmod +x .git/hooks/commit-msg .git/hooks/post-commit
of -q incident note "$id" "through the message hooks"
expect_eq "$(git log -1 --format=%b | grep -c 'Reviewed-by: hook')" "1"
expect_eq "$(cat .git/post-commit-saw)" "$(git rev-parse HEAD)"
rm .git/hooks/commit-msg .git/hooks/post-commit .git/post-commit-saw

CASE="a commit that would change more than the change's files is refused, HEAD unmoved"
# A hook that empties the index: the commit git would make deletes every file.
printf '#!/bin/sh\ngit rm -r -q --cached .\n' > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit
snapshot
run of incident note "$id" "empty tree"
expect_rc 1; expect_err "would also change"
expect_eq "$(git rev-parse HEAD)" "$SNAP_HEAD"
rm .git/hooks/pre-commit; git reset -q
expect_eq "$(git status --porcelain)" ""

CASE="a git lock held for a moment (an editor's git status) is waited for"
: > .git/index.lock
( sleep 1; rm -f .git/index.lock ) &
before=$(commits)
run of incident note "$id" "after the lock"
expect_rc 0; expect_eq "$(commits)" "$((before + 1))"
wait
CASE="a git lock that stays is reported, and nothing is committed"
: > .git/index.lock
snapshot
run of incident note "$id" "never"
expect_rc 1; expect_err "index.lock"
expect_unchanged
rm .git/index.lock

CASE="git's own index changes only once the commit stands: a kill just after HEAD moved is finished by the next command"
# A git on PATH that moves HEAD, then kills the opsflow that ran it: the moment
# between the commit and git's index taking it.
shim=$(mktemp -d); TMP_ROOTS+=("$shim")
printf '#!/bin/sh
/usr/bin/git "$@"; rc=$?
case " $* " in *" update-ref "*) kill -9 $PPID ;; esac
exit $rc
' > "$shim/git"
chmod +x "$shim/git"
before=$(commits)
PATH="$shim:$PATH" "$OPSFLOW_BIN" incident note "$id" "killed after update-ref" >/dev/null 2>&1; rc=$?
expect_eq "$rc" "137"
expect_eq "$(commits)" "$((before + 1))"
[ -e .opsflow/journal ] && ok || fail "the killed change left no journal"
run of incident show "$id"
expect_rc 0; expect_err "an interrupted change had been committed"
expect_err "staged $(record_file "$id") as committed"
expect_eq "$(git status --porcelain)" ""
expect_eq "$(git ls-files -s "$(record_file "$id")" | cut -d' ' -f2)" "$(git rev-parse "HEAD:$(record_file "$id")")"
ls .git/index.lock .git/opsflow-index-* 2>/dev/null && fail "the killed commit left its lock or index" || ok

CASE="autocommit off: files change, no commits"
sed -i 's/autocommit: true/autocommit: false/' opsflow.yaml; git commit -qam "autocommit off"
before=$(commits)
of -q incident note "$id" "uncommitted"
expect_eq "$(commits)" "$before"
expect_eq "$(git status --porcelain)" " M $(record_file "$id")"

CASE="a store that is not a git work tree works, with no commits"
plain=$(mktemp -d); TMP_ROOTS+=("$plain")
mkdir "$plain/s"; cp opsflow.yaml team.yaml services.yaml "$plain/s/"
sed -i 's/autocommit: false/autocommit: true/' "$plain/s/opsflow.yaml"
cd "$plain/s"
run of incident new "No git here"; expect_rc 0
nid=$OUT
run of incident assign "$nid" --to lisi; expect_rc 0
[ ! -e .git ] && ok || fail "a repository appeared"
expect_file_has "$(record_file "$nid")" "assignee: lisi"

CASE="store found from a subdirectory, with -C and with OPSFLOW_DIR"
mkdir -p deep/er; cd deep/er
run of incident show "$nid"; expect_rc 0
cd /
run of -C "$plain/s" incident show "$nid"; expect_rc 0
OPSFLOW_DIR="$plain/s" run of incident show "$nid"; expect_rc 0

CASE="commit.gpgSign is honoured: commits are signed, or the change fails with gpg's message"
new_store
gpg_dir=$(mktemp -d); TMP_ROOTS+=("$gpg_dir")
cat > "$gpg_dir/fake-gpg" <<'SH'
#!/bin/sh
cat > /dev/null
printf '[GNUPG:] BEGIN_SIGNING\n[GNUPG:] SIG_CREATED D 1 8 00 1700000000 ABCDEF\n' >&2
printf -- '-----BEGIN PGP SIGNATURE-----\n\nZmFrZQ==\n-----END PGP SIGNATURE-----\n'
SH
chmod +x "$gpg_dir/fake-gpg"
git config commit.gpgSign true
git config gpg.program "$gpg_dir/fake-gpg"
run of incident new "Signed" --service vpn --category network --reporter "Ann <ann@example.com>"
expect_rc 0
git cat-file commit HEAD | grep -q '^gpgsig -----BEGIN PGP SIGNATURE-----' && ok || fail "the commit is not signed"
before=$(git rev-parse HEAD)
git config gpg.program false
run of incident note "$OUT" "unsigned?"
expect_rc 1
expect_err "gpg failed to sign"
expect_eq "$(git rev-parse HEAD)" "$before"
expect_eq "$(git status --porcelain)" ""

finish
