#!/bin/sh
# End to end, in a real terminal (tmux): bracketed pastes sent as the raw
# bytes a terminal sends, coloured PowerShell output included, never act as
# wizard keys. Driven by tests/e2e/paste.py (prints TAP).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/paste.py"
