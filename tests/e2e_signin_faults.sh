#!/bin/sh
# End to end, in a real terminal (tmux): faults on the device-code sign-in
# as the wizard's own sign-in screen shows it (run --live against the local
# fake of Azure, the code read off the screen and approved at the fake). For
# each fault on the device-code request or on the token poll, and for a
# sign-in declined or let expire: the box names what failed and what to do,
# shows no token and no JSON; the wizard neither crashes nor hangs; no
# sign-in is journaled for that subscription; once the fault is cleared, the
# retry the box offers (hand the keyboard over again) signs in. At the end
# the wizard quits with exit 0 and the terminal's settings as they were;
# no token the fake issued is in any file or screen. Driven by
# tests/e2e/signin_faults.py (prints TAP).
#
#   make check TESTS=tests/e2e_signin_faults.sh                      # 4 cells
#   CK_FAULT_SIGNIN=all make check TESTS=tests/e2e_signin_faults.sh  # 22 cells
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
tap_e2e_setup
trap 'tap_exit_reaped fake_stop_all' EXIT
export XDG_CONFIG_HOME CK_FAULT_SIGNIN
live_fake --lifetime 1800
python3 "$CK_SRCDIR/tests/e2e/signin_faults.py"
