#!/bin/sh
# End to end, in a real terminal (tmux): a complete rehearsal of the example
# plan through the ncurses UI, then verify and the report. The driving is in
# tests/e2e/rehearsal.py (standard library Python); it prints TAP. Sanitizer
# reports from inside tmux go to $TMP/asan.* and fail the test (doc/traps.md, gcc 12 and sanitizers).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
# Resize storms on the screens only this walk reaches (tests/e2e/stormlib.py):
# "small" here, CK_LATE_STORMS=full for every end size, empty for none;
# CK_E2E_LANG=C walks it in the C locale.
CK_LATE_STORMS=${CK_LATE_STORMS-small}
export CK_LATE_STORMS
python3 "$CK_SRCDIR/tests/e2e/rehearsal.py"
