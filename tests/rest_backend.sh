#!/bin/sh
# The REST backend through the seam the session will use (tests/rest_probe):
# sign-in per side, one batched check of every step with a live check,
# against the fake; the drift of a vault reaches exactly its step.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 14
PROBE="$CK_BUILDDIR/tests/rest_probe"
PLAN="$PLANS/contoso-exchange.yaml"
fake_tenant "$PLAN"
probe() { "$PROBE" "$PLAN" "$TMP/ep" "$TMP/ca.pem" "$1" "$2" >"$TMP/out" 2>&1; RC=$?; }

probe "$TMP/azA" "$TMP/azB"
grep -q "^sign-in A ok alice@contoso.example" "$TMP/out" && grep -q "^sign-in B ok bob@contoso.example" "$TMP/out"
[ $? = 0 ] && tap_ok "each side signs in as its own operator" || tap_not_ok "sign-in" "$(head -5 "$TMP/out")"
bad=$(grep -v "^sign-in" "$TMP/out" | grep -v " pass " | grep -v "^key\.backup/.* unavailable No backup of key .* is recorded yet: record its file" | grep -v "^vault\.contributors/.* unavailable no live check")
n=$(grep -c " pass " "$TMP/out")
[ "$RC" = 0 ] && [ -z "$bad" ] && [ "$n" -ge 14 ] && tap_ok "a clean tenant: every step with a live check passes ($n)" ||
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

# ---- the key backup: what the session recorded, against the key's current version ----
printf 'an opaque Key Vault backup' >"$TMP/kA.backup"
sha=$(sha256sum "$TMP/kA.backup" | cut -d' ' -f1)
# bk AT: side A's backup step checked, its file recorded at AT (Unix seconds)
bk() {
	PROBE_EVIDENCE="key.backup/EX-USA_mailboxes/A|backup_file|sha256:$sha  $TMP/kA.backup" \
		PROBE_EVIDENCE_AT=$1 probe "$TMP/azA" "$TMP/azB"
	grep "^key.backup/EX-USA_mailboxes/A " "$TMP/out"
}
KA=Contoso-CK-EX-NA-VaultA1-Key001
now=$(date +%s)
r1=$(bk "$now")
r2=$(bk $((now - 86400)))
[ "${r1#* pass Backup of $KA version }" != "$r1" ] && [ "${r1%in $TMP/kA.backup.}" != "$r1" ] &&
	[ "${r2#* fail The backup of key $KA recorded at }" != "$r2" ] && [ "${r2#*predates its current version}" != "$r2" ]
[ $? = 0 ] && tap_ok "the backup holds when recorded after the key's current version was created, drifts when before" ||
	tap_not_ok "backup against the key's version" "$r1
$r2"
ver=$(hook "$FAKE_PORT" /test/roll-key "{\"vault\":\"Contoso-CK-EX-NA-VaultA1\",\"key\":\"$KA\",\"created\":$((now + 60))}" |
	sed 's/.*"version": "\([0-9a-f]*\)".*/\1/')
r3=$(bk "$now")
[ -n "$ver" ] && [ "${r3#* fail The backup of key $KA recorded at * predates its current version $ver, }" != "$r3" ]
[ $? = 0 ] && tap_ok "a key rolled after its backup: the backup does not hold the new version" ||
	tap_not_ok "rolled key" "version $ver: $r3"
cp "$TMP/kA.backup" "$TMP/kA.keep"
printf x >>"$TMP/kA.backup"
r4=$(bk $((now + 120)))
: >"$TMP/kA.backup"
r5=$(bk $((now + 120)))
rm -f "$TMP/kA.backup"
r6=$(bk $((now + 120)))
r7=$(PROBE_EVIDENCE= probe "$TMP/azA" "$TMP/azB"; grep "^key.backup/EX-USA_mailboxes/A " "$TMP/out")
[ "${r4#* fail The backup file $TMP/kA.backup changed since it was written (SHA-256 }" != "$r4" ] &&
	[ "$r5" = "key.backup/EX-USA_mailboxes/A fail The backup file $TMP/kA.backup is empty: take the backup again" ] &&
	[ "$r6" = "key.backup/EX-USA_mailboxes/A fail The backup file $TMP/kA.backup is gone: take the backup again and keep its copies." ] &&
	[ "${r7#* unavailable No backup of key $KA is recorded yet}" != "$r7" ]
[ $? = 0 ] && tap_ok "a recorded backup file changed, emptied or gone is a failure saying what to do; none recorded: unavailable" ||
	tap_not_ok "backup file" "$r4
$r5
$r6
$r7"

# ---- the fake's writes, for the steps --execute will perform ----
tok=$(hook "$FAKE_PORT" /test/token '{"upn":"alice@contoso.example","resource":"https://management.fake.test"}' |
	sed 's/.*"accessToken": "\([^"]*\)".*/\1/')
arm() {
	curl -sS -D "$TMP/hdr" -o "$TMP/body" -w '%{http_code}' --cacert "$TMP/ca.pem" \
		--connect-to "::127.0.0.1:$FAKE_PORT" -H "Authorization: Bearer $tok" \
		-H "Content-Type: application/json" "$@"
}
sub=https://management.fake.test/subscriptions/0a1b2c3d-1111-4aaa-8bbb-000000000001
code=$(arm -X PUT -d '{"location":"eastus2","properties":{"tenantId":"6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b","sku":{"family":"A","name":"premium"},"enablePurgeProtection":true,"accessPolicies":[]}}' \
	"$sub/resourceGroups/Contoso-CK-EX-NA-RGA/providers/Microsoft.KeyVault/vaults/Contoso-Extra-V?api-version=2024-11-01")
cp "$TMP/hdr" "$TMP/put-hdr"
op=$(sed -n 's/^Azure-AsyncOperation: \([^\r]*\).*/\1/p' "$TMP/hdr")
s1=$(arm "$op" >/dev/null; sed 's/.*"status": "\([A-Za-z]*\)".*/\1/' "$TMP/body")
s2=$(arm "$op" >/dev/null; sed 's/.*"status": "\([A-Za-z]*\)".*/\1/' "$TMP/body")
[ "$code" = 201 ] && grep -qi "^Retry-After: 1" "$TMP/put-hdr" && [ "$s1 $s2" = "InProgress Succeeded" ]
[ $? = 0 ] && tap_ok "the fake: a new vault is a long-running operation (201, Azure-AsyncOperation, then Succeeded)" ||
	tap_not_ok "fake vault LRO" "code=$code op=$op states=$s1 $s2"
hook "$FAKE_PORT" /test/provider '{"subscription":"0a1b2c3d-1111-4aaa-8bbb-000000000001","state":"NotRegistered"}' >/dev/null
code=$(arm -X POST -d '' "$sub/providers/Microsoft.KeyVault/register?api-version=2021-04-01")
states=$code
for _ in 1 2; do
	arm "$sub/providers/Microsoft.KeyVault?api-version=2021-04-01" >/dev/null
	states="$states $(sed 's/.*"registrationState": "\([A-Za-z]*\)".*/\1/' "$TMP/body")"
done
[ "$states" = "200 Registering Registered" ] && tap_ok "the fake: provider registration passes through Registering" ||
	tap_not_ok "fake provider registration" "$states"
code=$(arm -X PUT -d '{}' "$sub/resourcegroups/New-RG?api-version=2021-04-01")
[ "$code" = 400 ] && grep -q '"code": "LocationRequired"' "$TMP/body" &&
	[ "$(arm -X PUT -d '{"location":"eastus2"}' "$sub/resourcegroups/New-RG?api-version=2021-04-01")" = 201 ] &&
	[ "$(arm -X PUT -d '{"location":"eastus2"}' "$sub/resourcegroups/New-RG?api-version=2021-04-01")" = 200 ]
[ $? = 0 ] && tap_ok "the fake: resource groups 400 without a location, 201 new, 200 existing" ||
	tap_not_ok "fake resource groups" "$(cat "$TMP/body")"
# ---- the client waits for a long-running operation (lro.h) ----
"$PROBE" --create-vault Contoso-Lro-V "$PLAN" "$TMP/ep" "$TMP/ca.pem" "$TMP/azA" >"$TMP/out" 2>&1
[ $? = 0 ] && grep -q "^create Contoso-Lro-V: HTTP 201, done after 2 poll(s)$" "$TMP/out" &&
	tap_ok "a 201 with Azure-AsyncOperation is polled until Succeeded, honouring Retry-After" ||
	tap_not_ok "LRO wait" "$(cat "$TMP/out")"
"$PROBE" --create-vault Contoso-Lro-Fail "$PLAN" "$TMP/ep" "$TMP/ca.pem" "$TMP/azA" >"$TMP/out" 2>&1
[ $? = 1 ] && grep -q "^create Contoso-Lro-Fail: HTTP 201, failed after 2 poll(s): Contoso-Lro-Fail: the operation ended Failed: VaultCreationFailed: The vault could not be provisioned.$" "$TMP/out" &&
	tap_ok "an operation that ends Failed is reported with Azure's code and message" ||
	tap_not_ok "LRO failure" "$(cat "$TMP/out")"
tap_done
