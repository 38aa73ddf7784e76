#!/usr/bin/env bash
# Fitting in: shell completion (commands, verbs, options, record IDs), the man
# page, `cmake --install` and the .deb that cpack builds, with the translations.
. "$(dirname "$0")/lib.sh"
build=$(dirname "$OPSFLOW_BIN")
bindir=$(mktemp -d); TMP_ROOTS+=("$bindir"); ln -s "$OPSFLOW_BIN" "$bindir/opsflow"
export PATH="$bindir:$PATH"

CASE="the bash completion script loads"
run bash -c 'source <(opsflow completion bash); complete -p opsflow'
expect_rc 0; expect_eq "$OUT" "complete -o default -F _opsflow opsflow"

new_store
I=$(of incident new "Mail down" --at "2026-03-02 09:00")
T=$(of ticket new "How?" --requester "Ann <ann@example.com>" --at "2026-03-02 09:00")
# complete WORDS...: what bash offers for the last word.
complete_words() {
  bash -c 'source <(opsflow completion bash); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _opsflow; printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}

CASE="completion offers commands, verbs, options, record IDs, people and services"
expect_eq "$(complete_words opsflow inc)" "incident"
expect_eq "$(complete_words opsflow incident as | sort)" "assign"
expect_eq "$(complete_words opsflow incident assign "")" "$I"
expect_eq "$(complete_words opsflow ticket answer "")" "$T"
expect_eq "$(complete_words opsflow log "" | sort)" "$(printf '%s\n' "$I" "$T" | sort)"
expect_eq "$(complete_words opsflow incident assign "$I" --t)" "--to"
expect_eq "$(complete_words opsflow incident assign "$I" --to w)" "wangwu"
expect_eq "$(complete_words opsflow incident new x --service v)" "vpn"
expect_eq "$(cd / && complete_words opsflow incident assign "")" ""   # outside a store: nothing, no error
run opsflow completion zsh; expect_rc 0; expect_out "#compdef opsflow"; expect_out "bashcompinit"
run opsflow completion fish; expect_rc 0
expect_out "-a incident -d 'Report, classify"
expect_out "(opsflow __complete ids incident 2>/dev/null)"
if command -v fish >/dev/null; then fish -n <(opsflow completion fish) && ok || fail "fish rejects the script"; fi
run opsflow completion tcsh; expect_rc 2

CASE="the man page is generated from the command definitions"
man=$build/generated/opsflow.1
expect_file_has "$man" ".TH OPSFLOW 1"
expect_file_has "$man" '.SS "opsflow incident assign ID"'
expect_file_has "$man" '\fB\-\-to\fR'
expect_file_has "$man" ".SH EXIT STATUS"
expect_eq "$(grep -c '^\.SS' "$man")" "$(opsflow __manpage | grep -c '^\.SS')"

CASE="cmake --install puts the binary, man page and completions in place"
prefix=$(mktemp -d); TMP_ROOTS+=("$prefix")
run cmake --install "$build" --prefix "$prefix"
expect_rc 0
for f in bin/opsflow share/man/man1/opsflow.1 share/bash-completion/completions/opsflow \
         share/zsh/vendor-completions/_opsflow share/fish/vendor_completions.d/opsflow.fish; do
  if [ -e "$prefix/$f" ]; then ok; else fail "cmake --install did not install $f"; fi
done
run "$prefix/bin/opsflow" --version; expect_rc 0; expect_out "opsflow "
# The installed program finds the installed catalogue (not the build tree's).
if [ -e "$prefix/share/locale/zh_CN/LC_MESSAGES/opsflow.mo" ]; then ok; else fail "no installed catalogue"; fi
run env -u OPSFLOW_LOCALEDIR LANG=zh_CN.UTF-8 "$prefix/bin/opsflow" --help; expect_out "显示此帮助信息并退出"
mv "$prefix/share/locale" "$prefix/share/locale.away"
run env -u OPSFLOW_LOCALEDIR LANG=zh_CN.UTF-8 "$prefix/bin/opsflow" --help; expect_out "Print this help message"
mv "$prefix/share/locale.away" "$prefix/share/locale"

CASE="cpack -G DEB builds a package with the binary, the man page and the completions"
out=$(mktemp -d); TMP_ROOTS+=("$out")
run bash -c "cd '$build' && cpack -G DEB -B '$out'"
expect_rc 0
deb=$(ls "$out"/*.deb 2>/dev/null | head -1)
if [ -n "$deb" ]; then ok; else fail "no .deb in $out"; fi
run dpkg-deb -c "$deb"
expect_out "./usr/bin/opsflow"; expect_out "./usr/share/man/man1/opsflow.1"
expect_out "./usr/share/bash-completion/completions/opsflow"; expect_out "./usr/share/fish/vendor_completions.d/opsflow.fish"
expect_out "./usr/share/locale/zh_CN/LC_MESSAGES/opsflow.mo"
# Unpacked, the packaged program reads the packaged catalogue.
unpacked=$(mktemp -d); TMP_ROOTS+=("$unpacked")
dpkg-deb -x "$deb" "$unpacked"
run env -u OPSFLOW_LOCALEDIR LANG=zh_CN.UTF-8 "$unpacked/usr/bin/opsflow" --help; expect_out "显示此帮助信息并退出"
run dpkg-deb -f "$deb" Package Depends
expect_out "Package: opsflow"; expect_out "git"; expect_out "libc6"
expect_out "libcurl4"   # loaded with dlopen, so dpkg-shlibdeps cannot find it
# Starting opsflow does not load libcurl and its two dozen libraries; delivering does.
run readelf -d "$OPSFLOW_BIN"; expect_no_out "libcurl"

finish
