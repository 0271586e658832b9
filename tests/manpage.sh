#!/bin/sh
# The man page documents every command of the command table, and the exit codes
# that --help prints; a command added to the table without a man entry fails.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
man="$CK_SRCDIR/doc/ckwizard.1"
cmds=$("$CKW" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
n=$(echo "$cmds" | wc -w)
tap_plan $((n + 2))
for c in $cmds; do
	grep -q "^\.B $c" "$man" && tap_ok "man page documents $c" || tap_not_ok "man page lacks $c"
done
for code in 0 1 2 3 4 5; do grep -q "^\.B $code\$" "$man" || missing="${missing:-} $code"; done
[ -z "${missing:-}" ] && tap_ok "man page lists every exit code" || tap_not_ok "exit codes missing:$missing"
groff -man -Tutf8 -ww -z "$man" 2>"$TMP/man.err" && [ ! -s "$TMP/man.err" ] \
	&& tap_ok "man page renders without warnings" || tap_not_ok "man page warnings" "$(cat "$TMP/man.err")"
tap_done
