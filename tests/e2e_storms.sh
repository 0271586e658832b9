#!/bin/sh
# End to end, in a real terminal (tmux): resize storms on each screen of a
# rehearsal, each screen redrawn whole at the storm's last size, the terminal
# restored. The driving is in tests/e2e/storms.py
# (standard library Python); it prints TAP. Sanitizer reports from inside
# tmux go to $TMP/asan.* and fail the test (doc/traps.md, gcc 12 and sanitizers).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/storms.py"
