#!/bin/sh
# l10n_install.sh: `make install DESTDIR=...` puts everything where a Debian
# package would (with the configured prefix): the program, ckwizard(1),
# ckwizard-plan(5) and ckwizard-journal(5), the bash completion, the demo
# keys, the example plans and the documents; and a catalogue goes to
# $(localedir)/LL/LC_MESSAGES/ckwizard.mo, where the program looks (shown
# with a throwaway catalogue "xx", since no translation is shipped yet).
# `make uninstall` removes it all again.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 5
dest="$TMP/x"
mk() { make -C "$CK_BUILDDIR" "$@" >>"$TMP/make.log" 2>&1; }
prefix=$(sed -n 's/^prefix = //p' "$CK_BUILDDIR/Makefile")
datadir="$prefix/share"
if mk install DESTDIR="$dest"; then
	tap_ok "make install DESTDIR= succeeds"
else
	tap_not_ok "make install DESTDIR= succeeds" "$(tail -20 "$TMP/make.log")"
fi
(cd "$dest" && find . -type f | sed 's|^\.||' | sort) >"$TMP/landed"
sed 's/^/# landed: /' "$TMP/landed"
missing=""
for f in "$prefix/bin/ckwizard" \
	"$datadir/man/man1/ckwizard.1" "$datadir/man/man5/ckwizard-plan.5" \
	"$datadir/man/man5/ckwizard-journal.5" \
	"$datadir/bash-completion/completions/ckwizard" \
	"$datadir/zsh/vendor-completions/_ckwizard" \
	$(for l in $(sed 's/#.*//' "$CK_SRCDIR/po/LINGUAS"); do echo "$datadir/locale/$l/LC_MESSAGES/ckwizard.mo"; done) \
	"$datadir/ckwizard/demo-operators/alice.key" "$datadir/ckwizard/demo-operators/bob.key" \
	"$datadir/doc/ckwizard/README" "$datadir/doc/ckwizard/DESIGN.md" \
	"$datadir/doc/ckwizard/journal.md" "$datadir/doc/ckwizard/translating.md" \
	"$datadir/doc/ckwizard/examples/README.md" \
	"$datadir/doc/ckwizard/examples/contoso-exchange.yaml"; do
	grep -qx "$f" "$TMP/landed" || missing="$missing $f"
done
[ -z "$missing" ] && tap_ok "binary, man pages 1 and 5, bash and zsh completion, translations, demo keys, examples and docs landed" \
	|| tap_not_ok "missing after install:$missing"
n=$(grep -c "^$datadir/doc/ckwizard/examples/.*\.yaml$" "$TMP/landed")
have=$(ls "$CK_SRCDIR"/plans/*.yaml | wc -l)
[ "$n" = "$have" ] && tap_ok "every example plan is installed ($n)" \
	|| tap_not_ok "example plans installed: $n of $have"
# A catalogue, through po/Makefile's own install rule ("-o all": the
# catalogues are not rebuilt; the throwaway one is taken from srcdir).
printf 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "no such command"\nmsgstr "xx"\n' >"$TMP/xx.po"
msgfmt -o "$TMP/xx.gmo" "$TMP/xx.po"
make -C "$CK_BUILDDIR/po" -o all install-data-yes DESTDIR="$dest" CATALOGS=xx.gmo \
	srcdir="$TMP" >>"$TMP/make.log" 2>&1
if [ -f "$dest$datadir/locale/xx/LC_MESSAGES/ckwizard.mo" ]; then
	tap_ok "a catalogue installs as $datadir/locale/xx/LC_MESSAGES/ckwizard.mo"
else
	tap_not_ok "a catalogue installs into the locale directory" "$(tail -10 "$TMP/make.log")"
fi
rm -rf "$dest$datadir/locale/xx"
mk uninstall DESTDIR="$dest"
left=$(cd "$dest" && find . -type f | sed 's|^\.||')
[ -z "$left" ] && tap_ok "make uninstall removes every file" || tap_not_ok "left after uninstall" "$left"
tap_done
