#!/bin/sh
# --execute's writes over REST against the fake (tests/rest_probe --execute):
# from an empty tenant every step ckwizard writes is written (the feature,
# the provider, the resource groups, the vaults: access-policy mode, purge
# protection, no access policy for the creator; the administrators' and the
# service principal's access policies, object IDs resolved through Graph,
# exactly the planned permissions; the keys; the backups, to a new 0600 file
# whose SHA-256 is the result); written again, each is found and nothing is
# sent, and an existing backup file is never overwritten; a vault, an access
# policy that exists but differs is reported and left as it is; the restore
# task puts the recorded backup back only when the key is gone and the file
# is still what was recorded, and never on a look that could not answer; a key's expiry is moved to 9999-12-31 only
# with keys/update, as the step says.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 18
PROBE="$CK_BUILDDIR/tests/rest_probe"
PLAN="$PLANS/contoso-exchange.yaml"
fake_tenant "$PLAN"
mkdir "$TMP/work"
probe() { (cd "$TMP/work" && "$PROBE" --execute "$PLAN" "$TMP/ep" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB") >"$TMP/out" 2>&1; RC=$?; }
VA=Contoso-CK-EX-NA-VaultA1
KA=$VA-Key001
SUBA=0a1b2c3d-1111-4aaa-8bbb-000000000001
arm_get() { # PATH: ARM GET as alice
	tok=$(hook "$FAKE_PORT" /test/token '{"upn":"alice@contoso.example","resource":"https://management.fake.test"}' |
		sed 's/.*"accessToken": "\([^"]*\)".*/\1/')
	curl -sS --cacert "$TMP/ca.pem" --connect-to "::127.0.0.1:$FAKE_PORT" -H "Authorization: Bearer $tok" \
		"https://management.fake.test$1"
}
vault_get() { # PATH on vault A's data plane, as alice
	tok=$(hook "$FAKE_PORT" /test/token '{"upn":"alice@contoso.example","resource":"https://vault.fake.test"}' |
		sed 's/.*"accessToken": "\([^"]*\)".*/\1/')
	curl -sS --cacert "$TMP/ca.pem" --connect-to "::127.0.0.1:$FAKE_PORT" -H "Authorization: Bearer $tok" \
		"https://$VA.vault.fake.test$1"
}
VAULT_PATH="/subscriptions/$SUBA/resourceGroups/Contoso-CK-EX-NA-RGA/providers/Microsoft.KeyVault/vaults/$VA?api-version=2024-11-01"

hook "$FAKE_PORT" /test/empty '{}' >/dev/null
probe
cp "$TMP/out" "$TMP/first"
bad=$(grep " | " "$TMP/out" | grep -v " pass rest-written | " | grep -v " pass rest-backup-written | " |
	grep -v "^key.expiry/[^ ]* pass rest-found | ")
n=$(grep -c " pass rest-written | " "$TMP/out")
[ "$RC" = 0 ] && [ -z "$bad" ] && [ "$n" -ge 14 ] && grep -q "^vault.create/EX-USA_mailboxes/A pass rest-written" "$TMP/out" &&
	grep -q "^key.create/EX-USA_mailboxes/B pass rest-written" "$TMP/out" &&
	grep -q "^vault.service/EX-USA_mailboxes/A pass rest-written" "$TMP/out"
[ $? = 0 ] && tap_ok "an empty tenant: every step ckwizard writes is written ($n), a new key's expiry is found as planned" ||
	tap_not_ok "written" "$(cat "$TMP/out")"
grep "^vault.create/EX-USA_mailboxes/A " "$TMP/out" | grep -q '"method":"PUT","path":"/subscriptions/.*/providers/Microsoft.KeyVault/vaults/Contoso-CK-EX-NA-VaultA1?api-version=.*"enablePurgeProtection":true,"enableRbacAuthorization":false,"accessPolicies":\[\]'
[ $? = 0 ] && tap_ok "a vault is described as written: purge protection, access-policy mode, no policy" ||
	tap_not_ok "vault description" "$(grep '^vault.create' "$TMP/out")"
grep "^key.create/EX-USA_mailboxes/A " "$TMP/out" | grep -q "\"method\":\"POST\",\"path\":\"//$VA.vault.fake.test/keys/$KA/create?api-version=7.5\",\"fields\":{\"kty\":\"RSA-HSM\",\"key_size\":3072,\"key_ops\":\[\"wrapKey\",\"unwrapKey\"\],\"attributes\":{\"enabled\":true}}"
[ $? = 0 ] && tap_ok "a key is described as written: RSA-HSM, the planned size, wrapKey and unwrapKey, enabled, no expiry" ||
	tap_not_ok "key description" "$(grep '^key.create' "$TMP/out")"
arm_get "$VAULT_PATH" >"$TMP/vault.json"
python3 - "$TMP/vault.json" <<'EOF'
import json, sys, uuid
v = json.load(open(sys.argv[1]))
pols = {p["objectId"]: p["permissions"] for p in v["properties"]["accessPolicies"]}
def oid(n): return str(uuid.uuid5(uuid.NAMESPACE_URL, "fake:" + n.lower()))
alice, exo = oid("alice@contoso.example"), oid("00000002-0000-0ff1-ce00-000000000000")
assert set(pols) == {alice, exo}, pols
assert pols[alice]["keys"] == ["create", "import", "list", "get", "backup", "restore"], pols[alice]
assert sorted(pols[exo]["keys"]) == ["get", "unwrapKey", "wrapKey"], pols[exo]
for p in pols.values():
    assert not any(p.get(k) for k in ("secrets", "certificates", "storage")), p
EOF
[ $? = 0 ] && tap_ok "the vault's policies: the administrator and the service principal (object IDs from Graph), exactly as planned, nobody else" ||
	tap_not_ok "access policies" "$(cat "$TMP/vault.json")"
vault_get "/keys/$KA?api-version=7.5" >"$TMP/key.json"
python3 -c '
import json, sys
k = json.load(open(sys.argv[1]))
assert k["key"]["kty"] == "RSA-HSM" and sorted(k["key"]["key_ops"]) == ["unwrapKey", "wrapKey"], k
assert k["attributes"]["enabled"] is True and "exp" not in k["attributes"], k
' "$TMP/key.json"
[ $? = 0 ] && tap_ok "the key in Azure: RSA-HSM, wrapKey and unwrapKey, enabled, no expiry" ||
	tap_not_ok "key" "$(cat "$TMP/key.json")"
bfile=$(ls "$TMP/work" | grep "^$KA-Backup-[0-9]\{8\}\.backup$")
sha=$(sed -n "s/^= key.backup\/EX-USA_mailboxes\/A sha256: //p" "$TMP/first")
mode=$(stat -c %a "$TMP/work/$bfile" 2>/dev/null)
[ -n "$bfile" ] && [ "$mode" = 600 ] && [ -s "$TMP/work/$bfile" ] &&
	[ "$(sha256sum <"$TMP/work/$bfile" | cut -d' ' -f1)" = "$sha" ] &&
	grep -q "^= key.backup/EX-USA_mailboxes/A arg $sha$" "$TMP/first"
[ $? = 0 ] && tap_ok "the backup: a new file of the plan's name, mode 0600, its SHA-256 the result's" ||
	tap_not_ok "backup file" "file=$bfile mode=$mode sha=$sha $(grep '^= key.backup' "$TMP/first")"
cp "$TMP/work/$bfile" "$TMP/backup.before"
probe
bad=$(grep " | " "$TMP/out" | grep -v " \(pass\|pending\) rest-found | " | grep -v "^key.backup/")
[ "$RC" = 0 ] && [ -z "$bad" ]
[ $? = 0 ] && tap_ok "performed again: every resource is found, nothing is written" || tap_not_ok "found" "$bad"
grep "^key.backup/EX-USA_mailboxes/A fail rest-write-failed" "$TMP/out" >/dev/null &&
	grep -q "^= key.backup/EX-USA_mailboxes/A arg .*$bfile exists already: it is never overwritten" "$TMP/out" &&
	cmp -s "$TMP/work/$bfile" "$TMP/backup.before"
[ $? = 0 ] && tap_ok "a backup file that exists is never overwritten, and the message says so" ||
	tap_not_ok "backup overwrite" "$(grep 'key.backup' "$TMP/out")"
# The restore task reads the backup key.backup recorded (PROBE_EVIDENCE plays
# the session's evidence): with the key there it is found; with the key gone
# the recorded file is restored, the same key and version; a file that
# changed since it was recorded is never sent.
restore() { (cd "$TMP/work" && PROBE_ONLY=manage.restore \
	PROBE_EVIDENCE="key.backup/EX-USA_mailboxes/A|backup_file|sha256:$sha  $TMP/work/$bfile" \
	"$PROBE" --execute "$PLAN" "$TMP/ep" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB") >"$TMP/out" 2>&1; }
restore
grep -q "^manage.restore/EX-USA_mailboxes/A pass rest-found | " "$TMP/out" &&
	grep "^manage.restore/EX-USA_mailboxes/A " "$TMP/out" | grep -q "\"path\":\"//$VA.vault.fake.test/keys/restore?api-version=7.5\",\"fields\":{\"key\":\"$KA\",\"file\":\"$TMP/work/$bfile\",\"sha256\":\"$sha\"}" &&
	! grep -q "^manage.restore/EX-USA_mailboxes/B" "$TMP/out"
[ $? = 0 ] && tap_ok "restore: described from the recorded backup; the key is there, so it is found; no backup recorded for B, nothing described" ||
	tap_not_ok "restore found" "$(cat "$TMP/out")"
# A look that cannot answer (Key Vault failing after the restore's own GET)
# says nothing of the key: not looked, nothing restored, the authorization
# kept; never "exists but differs".
restores() { grep -ci "^POST .*$VA.vault.fake.test/keys/restore" "$TMP/main/requests.log"; }
before=$(restores)
hook "$FAKE_PORT" /test/fault "{\"name\":\"503\",\"match\":\"/keys/$KA?\",\"method\":\"GET\",\"skip\":1,\"count\":100}" >/dev/null
restore
hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
grep -q "^manage.restore/EX-USA_mailboxes/A unavailable rest-not-looked" "$TMP/out" &&
	grep -q "^= manage.restore/EX-USA_mailboxes/A arg .*503" "$TMP/out" && [ "$(restores)" = "$before" ]
[ $? = 0 ] && tap_ok "restore: the look failing after the key was seen is not looked, nothing restored" ||
	tap_not_ok "restore look failing" "$(grep 'manage.restore' "$TMP/out")"
kid_before=$(vault_get "/keys/$KA?api-version=7.5" | sed -n 's/.*"kid": "\([^"]*\)".*/\1/p')
hook "$FAKE_PORT" /test/delete-key "{\"vault\":\"$VA\",\"key\":\"$KA\"}" >/dev/null
restore
kid_after=$(vault_get "/keys/$KA?api-version=7.5" | sed -n 's/.*"kid": "\([^"]*\)".*/\1/p')
grep -q "^manage.restore/EX-USA_mailboxes/A pass rest-written | " "$TMP/out" && [ -n "$kid_after" ] &&
	[ "$kid_after" = "$kid_before" ] && [ "$(restores)" -gt "$before" ]
[ $? = 0 ] && tap_ok "restore: the key gone, the recorded backup brings back the same key and version" ||
	tap_not_ok "restore written" "$(cat "$TMP/out") before=$kid_before after=$kid_after"
hook "$FAKE_PORT" /test/delete-key "{\"vault\":\"$VA\",\"key\":\"$KA\"}" >/dev/null
printf x >>"$TMP/work/$bfile"
restore
grep -q "^manage.restore/EX-USA_mailboxes/A fail rest-write-failed" "$TMP/out" &&
	grep -q "^= manage.restore/EX-USA_mailboxes/A arg .*changed since the backup was recorded" "$TMP/out" &&
	! vault_get "/keys/$KA?api-version=7.5" | grep -q '"kid"'
[ $? = 0 ] && tap_ok "restore: a backup file that changed since it was recorded is never sent" ||
	tap_not_ok "restore changed" "$(cat "$TMP/out")"
cp "$TMP/backup.before" "$TMP/work/$bfile"
restore >/dev/null
hook "$FAKE_PORT" /test/set-vault '{"vault":"Contoso-CK-EX-NA-VaultA1","properties":{"enablePurgeProtection":false}}' >/dev/null
probe
grep "^vault.create/EX-USA_mailboxes/A fail rest-exists-wrong" "$TMP/out" >/dev/null &&
	[ "$(grep -c 'fail rest-exists-wrong' "$TMP/out")" = 1 ]
[ $? = 0 ] && tap_ok "a vault that differs is reported, never overwritten" || tap_not_ok "wrong vault" "$(cat "$TMP/out")"
hook "$FAKE_PORT" /test/set-policy '{"vault":"Contoso-CK-EX-NA-VaultA1","upn":"alice@contoso.example","keys":["create","import","list","get","backup","restore","purge"]}' >/dev/null
probe
arm_get "$VAULT_PATH" >"$TMP/vault.json"
grep -q "^vault.admins/EX-USA_mailboxes/A fail rest-exists-wrong" "$TMP/out" &&
	grep -q "^= vault.admins/EX-USA_mailboxes/A arg the access policy of alice@contoso.example grants other permissions than planned" "$TMP/out" &&
	grep -q '"purge"' "$TMP/vault.json"
[ $? = 0 ] && tap_ok "an administrator's policy that grants more (purge) is reported, never replaced" ||
	tap_not_ok "wrong policy" "$(grep 'vault.admins' "$TMP/out") $(cat "$TMP/vault.json")"
hook "$FAKE_PORT" /test/set-key "{\"vault\":\"$VA\",\"key\":\"$KA\",\"attributes\":{\"exp\":1900000000}}" >/dev/null
probe
grep -q "^key.expiry/EX-USA_mailboxes/A fail rest-write-failed" "$TMP/out" &&
	grep -q "^= key.expiry/EX-USA_mailboxes/A arg .*403.*update" "$TMP/out"
[ $? = 0 ] && tap_ok "a key that expires: moving the expiry without keys/update is refused by Azure, and the message says which permission" ||
	tap_not_ok "expiry without update" "$(grep 'key.expiry' "$TMP/out")"
hook "$FAKE_PORT" /test/set-policy '{"vault":"Contoso-CK-EX-NA-VaultA1","upn":"alice@contoso.example","keys":["create","import","list","get","backup","restore","update"]}' >/dev/null
probe
vault_get "/keys/$KA?api-version=7.5" >"$TMP/key.json"
grep -q "^key.expiry/EX-USA_mailboxes/A pass rest-written" "$TMP/out" && grep -q '"exp": 253402214400' "$TMP/key.json"
[ $? = 0 ] && tap_ok "with keys/update granted for the fix, the expiry moves to 9999-12-31" ||
	tap_not_ok "expiry" "$(grep 'key.expiry' "$TMP/out") $(cat "$TMP/key.json")"
# An administrator's object ID is read from Graph twice: by the look, then
# by the write itself. A 503 on the second read is a look that failed (not
# looked: the policies unknown, nothing written), a 404 a failed write (the
# plan names someone Graph does not know); neither sends the policy.
hook "$FAKE_PORT" /test/del-policy "{\"vault\":\"$VA\",\"upn\":\"alice@contoso.example\"}" >/dev/null
adds() { grep -c "^PUT .*$VA/accessPolicies/add" "$TMP/main/requests.log"; }
graph_fault() {
	hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
	hook "$FAKE_PORT" /test/fault "{\"name\":\"$1\",\"match\":\"graph.fake.test/v1.0/users/alice\",\"skip\":1,\"count\":100}" >/dev/null
	before=$(adds)
	(export PROBE_ONLY=vault.admins; probe)
	hook "$FAKE_PORT" /test/clear-faults '{}' >/dev/null
}
graph_fault 503
grep -q "^vault.admins/EX-USA_mailboxes/A unavailable rest-not-looked" "$TMP/out" &&
	grep -q "^= vault.admins/EX-USA_mailboxes/A arg the object ID of alice@contoso.example could not be read: .*HTTP 503" "$TMP/out" &&
	[ "$(adds)" = "$before" ]
[ $? = 0 ] && tap_ok "Graph failing after the look: not looked, the policy not sent (it was a failed write)" ||
	tap_not_ok "graph 503 after the look" "$(grep 'vault.admins/EX-USA_mailboxes/A' "$TMP/out")"
graph_fault 404
grep -q "^vault.admins/EX-USA_mailboxes/A fail rest-write-failed" "$TMP/out" &&
	grep -q "^= vault.admins/EX-USA_mailboxes/A arg the object ID of alice@contoso.example could not be read: .*HTTP 404" "$TMP/out" &&
	[ "$(adds)" = "$before" ]
[ $? = 0 ] && tap_ok "Graph knowing no such administrator after the look: a failed write, the policy not sent" ||
	tap_not_ok "graph 404 after the look" "$(grep 'vault.admins/EX-USA_mailboxes/A' "$TMP/out")"
tap_done
