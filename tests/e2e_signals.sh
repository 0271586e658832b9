#!/bin/sh
# End to end, in a real terminal (tmux): every signal whose default action
# ends the process leaves the terminal as the wizard found it (stty -g) and
# the journal intact; SIGTSTP stops it with the terminal restored. Driven by
# tests/e2e/signals.py (prints TAP).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/signals.py"
