#!/bin/sh
# End to end, two terminals: the owner's terminal waits for the other
# operator's witness of a step while an amendment moves that step down the
# list; the witness given after it is said for the right step, and only
# that step is witnessed (tests/e2e/two_amend_witness.py prints TAP).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/two_amend_witness.py" "$@"
