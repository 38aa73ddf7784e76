#!/usr/bin/env bash
# The README's "A first session" runs as printed on a fresh machine: every line of its
# block, with `set -e`, in an empty directory, with opsflow on the PATH.
. "$(dirname "$0")/lib.sh"

CASE="the README's first session runs as printed"
work=$(mktemp -d); TMP_ROOTS+=("$work")
mkdir "$work/bin"; ln -s "$OPSFLOW_BIN" "$work/bin/opsflow"
awk '/^## A first session/ {on=1; next} on && /^```sh/ {code=1; next} code && /^```/ {exit} code' \
  "$OPSFLOW_SOURCE/README.md" > "$work/session.sh"
[ "$(wc -l < "$work/session.sh")" -gt 10 ] && ok || fail "the README's first session was not found"
git config --global user.name "Test User"; git config --global user.email test@example.com
run env PATH="$work/bin:$PATH" bash -euo pipefail -c "cd '$work' && . ./session.sh"
expect_rc 0
expect_eq "$(git -C "$work/ops" status --porcelain)" ""
run of -C "$work/ops" check
expect_rc 0

CASE="an incident for a service services.yaml does not list is refused before anything is written"
fresh=$(mktemp -d); TMP_ROOTS+=("$fresh")
of init "$fresh/store" --timezone Asia/Shanghai >/dev/null; cd "$fresh/store"
before=$(git rev-parse HEAD)
run of incident new "VPN down" --service vpn --category network --impact high --urgency medium \
  --reporter "Ann <ann@example.com>"
expect_rc 5
expect_err "services.yaml lists none yet"
expect_eq "$(git rev-parse HEAD)" "$before"
expect_eq "$(git status --porcelain --untracked-files=all)" ""
[ -d incidents/"$(date +%Y)" ] && fail "an empty month directory was left" || ok

finish
