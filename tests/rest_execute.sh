#!/bin/sh
# --execute's writes over REST against the fake (tests/rest_probe --execute):
# from an empty tenant every step ckwizard writes is written (the feature,
# the provider, the resource groups, the vaults: access-policy mode, purge
# protection, no access policy for the creator); written again, each is
# found and nothing is sent; a vault that exists but differs is reported
# and left as it is.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 5
PROBE="$CK_BUILDDIR/tests/rest_probe"
PLAN="$PLANS/contoso-exchange.yaml"
fake_tenant "$PLAN"
probe() { "$PROBE" --execute "$PLAN" "$TMP/ep" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB" >"$TMP/out" 2>&1; RC=$?; }

hook "$FAKE_PORT" /test/empty '{}' >/dev/null
probe
cp "$TMP/out" "$TMP/first"
bad=$(grep " | " "$TMP/out" | grep -v " pass rest-written | ")
n=$(grep -c " pass rest-written | " "$TMP/out")
[ "$RC" = 0 ] && [ -z "$bad" ] && [ "$n" -ge 8 ] && grep -q "^vault.create/EX-USA_mailboxes/A pass rest-written" "$TMP/out"
[ $? = 0 ] && tap_ok "an empty tenant: every step ckwizard writes is written ($n)" ||
	tap_not_ok "written" "$(cat "$TMP/out")"
grep "^vault.create/EX-USA_mailboxes/A " "$TMP/out" | grep -q '"method":"PUT","path":"/subscriptions/.*/providers/Microsoft.KeyVault/vaults/Contoso-CK-EX-NA-VaultA1?api-version=.*"enablePurgeProtection":true,"enableRbacAuthorization":false,"accessPolicies":\[\]'
[ $? = 0 ] && tap_ok "a vault is described as written: purge protection, access-policy mode, no policy" ||
	tap_not_ok "vault description" "$(grep '^vault.create' "$TMP/out")"
tok=$(hook "$FAKE_PORT" /test/token '{"upn":"alice@contoso.example","resource":"https://management.fake.test"}' |
	sed 's/.*"accessToken": "\([^"]*\)".*/\1/')
curl -sS --cacert "$TMP/ca.pem" --connect-to "::127.0.0.1:$FAKE_PORT" -H "Authorization: Bearer $tok" \
	"https://management.fake.test/subscriptions/0a1b2c3d-1111-4aaa-8bbb-000000000001/resourceGroups/Contoso-CK-EX-NA-RGA/providers/Microsoft.KeyVault/vaults/Contoso-CK-EX-NA-VaultA1?api-version=2024-11-01" >"$TMP/vault.json"
grep -q '"accessPolicies": \[\]' "$TMP/vault.json"
[ $? = 0 ] && tap_ok "the new vault grants its creator nothing" || tap_not_ok "creator policy" "$(cat "$TMP/vault.json")"
probe
bad=$(grep " | " "$TMP/out" | grep -v " \(pass\|pending\) rest-found | ")
[ "$RC" = 0 ] && [ -z "$bad" ]
[ $? = 0 ] && tap_ok "performed again: every resource is found, nothing is written" || tap_not_ok "found" "$bad"
hook "$FAKE_PORT" /test/set-vault '{"vault":"Contoso-CK-EX-NA-VaultA1","properties":{"enablePurgeProtection":false}}' >/dev/null
probe
grep "^vault.create/EX-USA_mailboxes/A fail rest-exists-wrong" "$TMP/out" >/dev/null &&
	[ "$(grep -c 'fail rest-exists-wrong' "$TMP/out")" = 1 ]
[ $? = 0 ] && tap_ok "a vault that differs is reported, never overwritten" || tap_not_ok "wrong vault" "$(cat "$TMP/out")"
tap_done
