#!/bin/sh
# End to end, in a real terminal (tmux): a whole rehearsal of
# plans/contoso-service.yaml, onboarded through the Customer Key onboarding
# service: the first validation fails (a simulator fault), the operators read
# FailedValidations on the screen, validate again, enable, and run the
# ceremony to its end; verify and the report follow. Driven by
# tests/e2e/rehearsal.py service (prints TAP).
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
python3 "$CK_SRCDIR/tests/e2e/rehearsal.py" service
