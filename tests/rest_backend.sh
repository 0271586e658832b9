#!/bin/sh
# The REST backend through the seam the session will use (tests/rest_probe):
# sign-in per side, one batched check of every step with a live check,
# against the fake; the drift of a vault reaches exactly its step.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 6
PROBE="$CK_BUILDDIR/tests/rest_probe"
PLAN="$PLANS/contoso-exchange.yaml"
"$CKW" show "$PLAN" --format json >"$TMP/plan.json" 2>/dev/null
fake_ca ca
fake_server_cert ca srv
fake_start main srv
endpoints_file "$FAKE_PORT" "$TMP/ep"
mkdir -p "$TMP/bin"
cp "$TDATA/azure/az-stub" "$TMP/bin/az"
PATH="$TMP/bin:$PATH"
export PATH
az_user "$TMP/azA" alice@contoso.example "$FAKE_PORT"
az_user "$TMP/azB" bob@contoso.example "$FAKE_PORT"
probe() { "$PROBE" "$PLAN" "$TMP/ep" "$TMP/ca.pem" "$1" "$2" >"$TMP/out" 2>&1; }

probe "$TMP/azA" "$TMP/azB"
grep -q "^sign-in A ok alice@contoso.example" "$TMP/out" && grep -q "^sign-in B ok bob@contoso.example" "$TMP/out"
[ $? = 0 ] && tap_ok "each side signs in as its own operator" || tap_not_ok "sign-in" "$(head -5 "$TMP/out")"
bad=$(grep -v "^sign-in" "$TMP/out" | grep -v " pass " | grep -v "^key\.backup/.* unavailable no live check")
n=$(grep -c " pass " "$TMP/out")
[ -z "$bad" ] && [ "$n" -ge 14 ] && tap_ok "a clean tenant: every step with a live check passes ($n)" ||
	tap_not_ok "a clean tenant" "$bad"
grep -q "^vault.create/EX-USA_mailboxes/A pass" "$TMP/out" && grep -q "^key.create/EX-USA_mailboxes/B pass" "$TMP/out"
[ $? = 0 ] && tap_ok "vault and key steps of both sides are answered" || tap_not_ok "vault/key steps" "$(cat "$TMP/out")"

hook "$FAKE_PORT" /test/add-policy '{"vault":"Contoso-CK-EX-NA-VaultA1","upn":"eve@contoso.example","keys":["get","purge"]}' >/dev/null
probe "$TMP/azA" "$TMP/azB"
fails=$(grep " fail " "$TMP/out" | cut -d' ' -f1 | tr '\n' ' ')
[ "$(grep -c " fail " "$TMP/out")" -ge 1 ] && ! grep " fail " "$TMP/out" | grep -vq "/EX-USA_mailboxes/A fail access policy: principal .* purge"
[ $? = 0 ] && tap_ok "a principal added behind the tool's back fails exactly the access steps of vault A ($fails)" ||
	tap_not_ok "drift reaches its step" "$(grep -v ' pass ' "$TMP/out")"

az_user "$TMP/azA-bob" bob@contoso.example "$FAKE_PORT"
probe "$TMP/azA-bob" "$TMP/azB"
grep -q "^sign-in A refused side A: signed in as bob@contoso.example" "$TMP/out"
[ $? = 0 ] && tap_ok "operator B's token on side A: sign-in refused" || tap_not_ok "B on A" "$(head -3 "$TMP/out")"
grep -q "^vault.create/EX-USA_mailboxes/A unavailable side A is not signed in" "$TMP/out" &&
	grep -q "^vault.create/EX-USA_mailboxes/B pass" "$TMP/out"
[ $? = 0 ] && tap_ok "side A's steps unavailable, side B's checked" || tap_not_ok "after refusal" "$(cat "$TMP/out")"
tap_done
