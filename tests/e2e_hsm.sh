#!/bin/sh
# End to end, in a real terminal (tmux): a whole rehearsal of
# plans/contoso-hsm.yaml, the keys in two Managed HSMs: each officer's key,
# each HSM activated by its security-domain download (the file's SHA-256 in
# the journal) and acknowledged by every officer, the local roles, the keys
# and the DEPs, to the end; an interrupted download and a missing role are
# caught on the screen and fixed. verify and the report follow. Driven by
# tests/e2e/rehearsal.py hsm (prints TAP).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
# No __pycache__ in the source tree (read-only under distcheck anyway).
export CK_SRCDIR CKW PLANS TMP HOME PYTHONDONTWRITEBYTECODE=1
# The private tmux servers' sockets live in $TMP (removed with it); a test
# run from inside tmux must not talk to the outer server.
export TMUX_TMPDIR="$TMP"
unset TMUX TMUX_PANE
if ! command -v tmux >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	tap_not_ok "tmux and python3 are needed for the end-to-end tests (.ci/deps installs them)"
	tap_plan 1
	exit 1
fi
python3 "$CK_SRCDIR/tests/e2e/rehearsal.py" hsm
