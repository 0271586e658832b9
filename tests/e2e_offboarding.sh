#!/bin/sh
# End to end, in a real terminal (tmux): the offboarding and data purge
# ceremony of plans/contoso-exchange.yaml, rehearsed on a simulated tenant
# that starts onboarded: both operators, every step critical (the tenant's
# domain typed) and witnessed, a quit and resume, a deviation, to the end;
# verify and the report follow. Driven by tests/e2e/rehearsal.py offboarding.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/rehearsal.py" offboarding
