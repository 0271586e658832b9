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
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_e2e_setup
export XDG_CONFIG_HOME CK_FAULT_SIGNIN
PASS_A="alice's own passphrase $$"
PASS_B="bob's own passphrase $$"
export PASS_A PASS_B
ka=$(echo "$PASS_A" | "$CKW" operator enroll --name "Alice Ames" --upn alice@contoso.example \
	--passphrase-fd 0 2>&1 | sed -n 's/^  key: "\(.*\)"$/\1/p')
kb=$(echo "$PASS_B" | "$CKW" operator enroll --name "Bob Berg" --upn bob@contoso.example \
	--passphrase-fd 0 2>&1 | sed -n 's/^  key: "\(.*\)"$/\1/p')
LIVE_PLAN="$TMP/plan.yaml"
export LIVE_PLAN
awk -v a="$ka" -v b="$kb" '/^    key: "ed25519:/ { n++; sub(/"ed25519:[^"]*"/, "\"" (n == 1 ? a : b) "\"") } { print }' \
	"$PLANS/contoso-exchange.yaml" >"$LIVE_PLAN"
"$CKW" show "$LIVE_PLAN" --format json >"$TMP/plan.json" 2>/dev/null
fake_ca ca
fake_server_cert ca srv
fake_start main srv --lifetime 1800
export FAKE_PORT
endpoints_file "$FAKE_PORT" "$TMP/ep"
python3 "$CK_SRCDIR/tests/e2e/signin_faults.py"
