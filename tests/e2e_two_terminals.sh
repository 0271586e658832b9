#!/bin/sh
# End to end, two terminals: each operator runs their own ckwizard on one
# session (tests/e2e/two_terminals.py prints TAP): a whole rehearsal, a
# kill -9 of one of them in the middle, the closing co-signed; verify holds.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/two_terminals.py" "$@"
