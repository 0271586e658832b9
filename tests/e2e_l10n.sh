#!/bin/sh
# End to end, in a real terminal (tmux), in each language of po/LINGUAS: the
# wizard runs in the language at 80x24; its screens are translated, fit, and
# wrap inside their boxes (tests/e2e/l10n.py, which needs no change for a new
# language: it reads the catalogue). Uses the test build, which reads the
# catalogues compiled into the build tree (tests/l10n.mk).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
export CKW_L10N="$CK_BUILDDIR/tests/ckwizard-l10n"
for l in $(sed 's/#.*//' "$CK_SRCDIR/po/LINGUAS"); do
	[ -f "$CK_SRCDIR/po/$l.po" ] || continue
	python3 "$CK_SRCDIR/tests/e2e/l10n.py" "$l" | grep -v '^1\.\.' >>"$TMP/tap"
done
# Each language's TAP, renumbered into one stream; the plan comes last.
awk '/^(not )?ok [0-9]+/ { n++; sub(/ok [0-9]+/, "ok " n) } { print } END { print "1.." n }' "$TMP/tap"
! grep -q '^not ok' "$TMP/tap"
