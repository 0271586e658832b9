#!/bin/sh
# End to end, two terminals: each operator runs their own ckwizard on one
# session (tests/e2e/two_terminals.py prints TAP): a whole rehearsal, a
# kill -9 of one of them in the middle, the closing co-signed; verify holds.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
# Resize storms on the screens only this walk reaches (tests/e2e/stormlib.py):
# "small" here, CK_LATE_STORMS=full for every end size, empty for none;
# CK_E2E_LANG=C walks it in the C locale.
CK_LATE_STORMS=${CK_LATE_STORMS-small}
export CK_LATE_STORMS
python3 "$CK_SRCDIR/tests/e2e/two_terminals.py" "$@"
