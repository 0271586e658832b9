#!/bin/sh
# End to end, in a real terminal (tmux): catchable signals at random points of
# a scripted rehearsal (seeded): no crash, terminal restored, nothing recorded
# lost, the session resumes. The driving is in tests/e2e/signals_random.py
# (standard library Python); it prints TAP. Sanitizer reports from inside
# tmux go to $TMP/asan.* and fail the test (doc/traps.md, gcc 12 and sanitizers).
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
python3 "$CK_SRCDIR/tests/e2e/signals_random.py"
