#!/bin/sh
# End to end: the wizard's terminal goes away (tests/e2e/hangup.py, TAP).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
trap tap_exit_reaped EXIT
export CK_SRCDIR CKW PLANS TMP HOME PYTHONDONTWRITEBYTECODE=1
python3 "$CK_SRCDIR/tests/e2e/hangup.py"
