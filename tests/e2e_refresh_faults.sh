#!/bin/sh
# End to end, in a real terminal (tmux) at 80x24: faults on the token
# refresh (grant_type refresh_token) as the wizard's own screen shows them,
# after a successful sign-in (run --live --execute against the local fake
# of Azure, whose tokens live a few seconds beyond the wizard's margin, so
# that every check after the first refreshes). For each fault: the box
# names the refresh, the subscription and its operator, the cause and what
# to do, and shows no token and no JSON; no check or perform that passed
# is journaled; the wizard goes on; once the fault is cleared the check
# taken again is recorded. Then the same for a perform (p): the box says
# nothing was sent; no perform is journaled and the authorization stands;
# a refresh refused for good signs the side out; once the fault is
# cleared the perform taken again goes through on that authorization. At
# the end the wizard quits with exit 0 and the terminal's settings as they
# were; no token the fake issued is in any file or screen.
# Driven by tests/e2e/refresh_faults.py (prints TAP).
#
#   make check TESTS=tests/e2e_refresh_faults.sh                      # 7 cells
#   CK_FAULT_SIGNIN=all make check TESTS=tests/e2e_refresh_faults.sh  # 26 cells
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
tap_e2e_setup
trap 'tap_exit_reaped fake_stop_all' EXIT
export XDG_CONFIG_HOME CK_FAULT_SIGNIN
live_fake --lifetime 1800 --token-lifetime 306
python3 "$CK_SRCDIR/tests/e2e/refresh_faults.py"
