#!/bin/sh
# End to end, in a real terminal (tmux): a rehearsal with simulator faults
# (RBAC left on, a missing unwrapKey) that the operators catch from what the
# screen says and fix by running the step again; the unfinished ceremony then
# verifies as open. Driven by tests/e2e/rehearsal.py faults (prints TAP).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/rehearsal.py" faults
