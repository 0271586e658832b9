#!/bin/sh
# The terminal matrix (doc/reliability.md): the wizard in tmux under each TERM,
# size, NO_COLOR and locale, `stty -g` compared before and after. The driving
# is in tests/e2e/term_matrix.py (standard library Python); it prints TAP.
# Sanitizer reports from inside tmux go to $TMP/asan.* and fail the test
# (doc/traps.md, gcc 12 and sanitizers).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/term_matrix.py"
