#!/bin/sh
# End to end, two terminals: each operator runs their own ckwizard on one
# session (tests/e2e/two_terminals.py prints TAP): a whole rehearsal, a
# kill -9 of one of them in the middle, the closing co-signed; verify holds.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
export CK_SRCDIR CKW PLANS TMP HOME PYTHONDONTWRITEBYTECODE=1
export TMUX_TMPDIR="$TMP"
unset TMUX TMUX_PANE
if ! command -v tmux >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	tap_not_ok "tmux and python3 are needed for the end-to-end tests (.ci/deps installs them)"
	tap_plan 1
	exit 1
fi
python3 "$CK_SRCDIR/tests/e2e/two_terminals.py" "$@"
