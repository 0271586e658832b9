#!/bin/sh
# End to end, in a real terminal (tmux): a vault name already taken by another
# tenant. The operators see VaultAlreadyExists, change the naming pattern in
# their copy of the plan, amend it (both sign; the verifier reads the diff and
# verifies version 2) and create the vaults under the new names. Driven by
# tests/e2e/rehearsal.py amend (prints TAP).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/rehearsal.py" amend
