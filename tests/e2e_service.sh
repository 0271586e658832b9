#!/bin/sh
# End to end, in a real terminal (tmux): a whole rehearsal of
# plans/contoso-service.yaml, onboarded through the Customer Key onboarding
# service: the first validation fails (a simulator fault), the operators read
# FailedValidations on the screen, validate again, enable, and run the
# ceremony to its end; verify and the report follow. Driven by
# tests/e2e/rehearsal.py service (prints TAP).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_e2e_setup
python3 "$CK_SRCDIR/tests/e2e/rehearsal.py" service
