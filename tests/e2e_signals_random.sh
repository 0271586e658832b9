#!/bin/sh
# End to end, in a real terminal (tmux): catchable signals at random points of
# a scripted rehearsal (seeded): no crash, terminal restored, nothing recorded
# lost, the session resumes. The driving is in tests/e2e/signals_random.py
# (standard library Python); it prints TAP. Sanitizer reports from inside
# tmux go to $TMP/asan.* and fail the test (doc/traps.md, gcc 12 and sanitizers).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/signals_random.py"
