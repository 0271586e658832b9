#!/bin/sh
# End to end, in a real terminal (tmux): a whole rehearsal of
# plans/contoso-hsm.yaml, the keys in two Managed HSMs: each officer's key,
# each HSM activated by its security-domain download (the file's SHA-256 in
# the journal) and acknowledged by every officer, the local roles, the keys
# and the DEPs, to the end; an interrupted download and a missing role are
# caught on the screen and fixed. verify and the report follow. Driven by
# tests/e2e/rehearsal.py hsm (prints TAP).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/rehearsal.py" hsm
