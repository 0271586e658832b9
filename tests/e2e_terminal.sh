#!/bin/sh
# End to end, in a real terminal (tmux): too small a terminal, resizing back,
# LANG=C (ASCII), NO_COLOR, quitting. The driving is in tests/e2e/terminal.py
# (standard library Python); it prints TAP. Sanitizer reports from inside
# tmux go to $TMP/asan.* and fail the test (doc/traps.md, gcc 12 and sanitizers).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/terminal.py"
