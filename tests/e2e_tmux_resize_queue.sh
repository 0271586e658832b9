#!/bin/sh
# The tmux driver's wait for a size holds past tmux's queued resizes: every
# resize storm of the end-to-end tests relies on it (tests/e2e/tmuxdrv.py,
# doc/traps.md). The checking is in tests/e2e/tmux_resize_queue.py.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/tmux_resize_queue.py"
