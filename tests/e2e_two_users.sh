#!/bin/sh
# End to end, two terminals and two Unix users sharing the session through
# a group (tests/e2e/two_terminals.py users): useradd needs root, so the
# test is skipped otherwise (CI runs as root).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null 2>&1 ||
   ! command -v runuser >/dev/null 2>&1; then
	echo "1..0 # SKIP two Unix users need root, useradd and runuser"
	exit 0
fi
exec sh "$CK_SRCDIR/tests/e2e_two_terminals.sh" users
