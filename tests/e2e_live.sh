#!/bin/sh
# End to end, in a real terminal (tmux): run --live --execute against the
# local fake of Azure, two freshly enrolled operators signing in by device
# code, every Azure-side step performed and checked, the Microsoft 365 steps
# guided (tests/e2e/live.py, live_ceremony.py), the sitting after the
# 72-hour wait under libfaketime (73 hours on for the wizard alone), the
# closing, the reports, verify; then audit is clean, and reports exactly the
# drift made behind the tool's back; no token, raw, base64, base64url,
# URL-encoded or hex, is in any file the run wrote or any screen it showed.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
tap_e2e_setup
trap 'tap_exit_reaped fake_stop_all' EXIT
export XDG_CONFIG_HOME
touch "$TMP/start-marker"
if ! command -v faketime >/dev/null 2>&1; then
	tap_not_ok "faketime is needed for the live end-to-end test (.ci/deps installs it)"
	tap_plan 1
	exit 1
fi
# The wizard's last sitting sees a clock 73 hours ahead of the fake's: the
# certificates and the tokens the fake issues must outlive that.
FAKE_CERT_DAYS=5
live_fake --lifetime 2400 --token-lifetime $((4 * 86400))  # minutes, more under load
# audit signs in as each operator through the az stub
mkdir -p "$TMP/bin"
cp "$TDATA/azure/az-stub" "$TMP/bin/az"
az_user "$TMP/azA" alice@contoso.example "$FAKE_PORT"
az_user "$TMP/azB" bob@contoso.example "$FAKE_PORT"
hook "$FAKE_PORT" /test/empty '{}' >/dev/null
python3 "$CK_SRCDIR/tests/e2e/live.py"
