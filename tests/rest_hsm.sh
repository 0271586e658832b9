#!/bin/sh
# run --live on a Managed HSM plan, through the seam (tests/rest_probe)
# against the fake: the HSM steps are checked over REST (the HSM as created,
# then activated; the administrators' and the apps' local roles), a change
# behind the tool's back fails exactly its step; --execute creates the HSMs
# and their keys and grants the missing roles (looking first: found, or
# exists-wrong and left alone), and leaves the activation guided.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 15
PROBE="$CK_BUILDDIR/tests/rest_probe"
PLAN="$PLANS/contoso-hsm.yaml"
fake_tenant "$PLAN"
MW=c066d759-24ae-40e7-a56f-027002b5d3e4
SEU=33413926-3206-4cdd-b39a-83574fe37a17
probe() { "$PROBE" "$@" "$PLAN" "$TMP/ep" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB" >"$TMP/out" 2>&1; RC=$?; }
okif() { if [ "$1" = 0 ]; then tap_ok "$2"; else tap_not_ok "$2" "$(grep -v ' pass ' "$TMP/out" | head -20)"; fi; }

probe
n=0
for s in hsm.create hsm.activate hsm.check hsm.role.admins hsm.role.service; do
	for side in A B; do
		grep -q "^$s/$side pass " "$TMP/out" && n=$((n + 1))
	done
done
[ "$RC" = 0 ] && [ $n = 10 ] && ! grep -q " fail " "$TMP/out"
okif $? "a clean tenant: every HSM step of both sides passes over REST ($n of 10)"
grep -q "^key.create/MW/B pass" "$TMP/out" && grep -q "^key.recovery/MW/A pass" "$TMP/out" &&
	grep -q "^key.uri/EX-Contoso-EX-Executives/A pass" "$TMP/out"
okif $? "the key steps read the keys in the HSMs"

hook "$FAKE_PORT" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\"}" >/dev/null
probe
[ "$(grep -c " fail " "$TMP/out")" = 1 ] &&
	grep -q "^hsm.role.service/A fail role assignment: M365DataAtRestEncryption ($MW) has no Managed HSM Crypto Service Encryption User" "$TMP/out" &&
	grep -q "^hsm.role.admins/A pass" "$TMP/out"
okif $? "an app's role removed fails exactly hsm.role.service/A, naming the app"
hook "$FAKE_PORT" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\",\"scope\":\"/keys\"}" >/dev/null

hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMB","properties":{"securityDomainProperties":{"activationStatus":"NotActivated"}}}' >/dev/null
probe
grep -q "^hsm.create/B pass" "$TMP/out" && grep -q "^hsm.activate/B fail activation: NotActivated" "$TMP/out" &&
	grep -q "^hsm.check/B fail activation: NotActivated" "$TMP/out" &&
	grep -q "^hsm.role.service/B fail role assignment: not activated (NotActivated): the Microsoft 365 apps' roles" "$TMP/out" &&
	grep -q "^key.create/MW/B fail exists: managed HSM Contoso-CK-HSMB is not activated" "$TMP/out" &&
	! grep -q "/A fail" "$TMP/out"
okif $? "an HSM not activated: created passes; activate, check, its roles and keys fail"
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMB","properties":{"securityDomainProperties":{"activationStatus":"Active"}}}' >/dev/null

hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"enablePurgeProtection":false}}' >/dev/null
probe
grep -q "^hsm.create/A fail purge protection: off" "$TMP/out" && grep -q "^hsm.check/A fail purge protection: off" "$TMP/out"
okif $? "purge protection off fails the HSM's creation and its check"
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"enablePurgeProtection":true}}' >/dev/null

# endpoints without hsm-suffix: the HSM's ARM side is checked, its data
# plane said unavailable (no HSM token is asked for)
grep -v hsm-suffix "$TMP/ep" >"$TMP/ep-nohsm"
"$PROBE" "$PLAN" "$TMP/ep-nohsm" "$TMP/ca.pem" "$TMP/azA" "$TMP/azB" >"$TMP/out" 2>&1
[ $? = 0 ] && grep -q "^sign-in A ok" "$TMP/out" && grep -q "^hsm.create/A pass" "$TMP/out" &&
	grep -q "^hsm.role.service/B unavailable .*no Managed HSM suffix" "$TMP/out"
okif $? "endpoints without hsm-suffix: the HSMs checked on ARM, their roles and keys unavailable, said why"

# --execute on the tenant as planned: everything is found, nothing written
writes() { grep -c "^PUT .*managedHSMs\|^POST .*managedhsm.fake.test/keys/.*/create" "$TMP/main/requests.log"; }
probe --execute
[ "$RC" = 0 ] && grep -q "^rg.create/Contoso-CK-HSM-RGA/A pass rest-found" "$TMP/out" &&
	grep -q "^hsm.create/A pass rest-found" "$TMP/out" && grep -q "^key.create/MW/B pass rest-found" "$TMP/out" &&
	grep -q "^hsm.role.service/A pass rest-found" "$TMP/out" &&
	! grep -q "^hsm.activate\|^hsm.officer\|^key.backup\|^key.uri\|^key.recovery" "$TMP/out" &&
	[ "$(writes)" = 0 ]
okif $? "--execute on the tenant as planned: HSMs, keys and roles found, nothing written; activation, backups stay guided"

# --execute grants a missing role: only with the right to assign roles, only
# to the principal that lacks it, once
rolewrites() { grep -c "^PUT .*managedhsm.fake.test/keys/providers/Microsoft.Authorization/roleAssignments/" "$TMP/main/requests.log"; }
hook "$FAKE_PORT" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\"}" >/dev/null
probe --execute
grep -q "^hsm.role.service/A fail rest-write-failed" "$TMP/out" && grep -q "^hsm.role.service/B pass rest-found" "$TMP/out" &&
	grep -q '"principal":"M365DataAtRestEncryption (c066d759-24ae-40e7-a56f-027002b5d3e4)","scope":"/keys"' "$TMP/out"
okif $? "an app's role missing, the operator without the right to assign roles: refused by the HSM, reported"
ADMIN=a290e904-7015-4bba-90c8-60543313cdb4
hook "$FAKE_PORT" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"upn\":\"alice@contoso.example\",\"role\":\"$ADMIN\",\"scope\":\"/\"}" >/dev/null
before=$(rolewrites)
probe --execute
[ "$(grep -c "^hsm.role.* rest-written" "$TMP/out")" = 1 ] && grep -q "^hsm.role.service/A pass rest-written" "$TMP/out" &&
	[ "$(rolewrites)" = $((before + 1)) ]
okif $? "with Managed HSM Administrator: exactly the missing assignment is written (one PUT)"
probe --execute
grep -q "^hsm.role.service/A pass rest-found" "$TMP/out" && [ "$(rolewrites)" = $((before + 1)) ]
okif $? "run again: found, nothing written"
hook "$FAKE_PORT" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"upn\":\"alice@contoso.example\",\"role\":\"$ADMIN\"}" >/dev/null
probe
grep -q "^hsm.role.service/A pass" "$TMP/out" && ! grep -q " fail " "$TMP/out"
okif $? "the role written checks as planned"

# --execute from an empty tenant: the HSMs are created (not activated), and
# no key can be made in them until the officers activate them
hook "$FAKE_PORT" /test/hsm-empty '{}' >/dev/null
probe --execute
grep -q "^hsm.create/A pass rest-written" "$TMP/out" && grep -q "^hsm.create/B pass rest-written" "$TMP/out" &&
	grep -q '"initialAdminObjectIds":\["5b7c2d1e-3f4a-4b5c-8d6e-7f8091a2b3c4"\],"enableSoftDelete":true,"softDeleteRetentionInDays":90,"enablePurgeProtection":true' "$TMP/out" &&
	[ "$(grep -c "^key.create/.* fail rest-write-failed" "$TMP/out")" = 4 ] && [ "$(writes)" = 2 ]
okif $? "--execute from nothing: both HSMs created with purge protection (LRO), their keys refused while not activated"
for h in A B; do
	hook "$FAKE_PORT" /test/set-hsm "{\"hsm\":\"Contoso-CK-HSM$h\",\"properties\":{\"securityDomainProperties\":{\"activationStatus\":\"Active\"}}}" >/dev/null
done
hook "$FAKE_PORT" /test/hsm-role-add '{"hsm":"Contoso-CK-HSMA","upn":"alice@contoso.example","role":"21dbd100-6940-42c2-9190-5d6cb909625b","scope":"/keys"}' >/dev/null
hook "$FAKE_PORT" /test/hsm-role-add '{"hsm":"Contoso-CK-HSMB","upn":"bob@contoso.example","role":"21dbd100-6940-42c2-9190-5d6cb909625b","scope":"/keys"}' >/dev/null
probe --execute
[ "$(grep -c "^key.create/.* pass rest-written" "$TMP/out")" = 4 ] && grep -q "^hsm.create/B pass rest-found" "$TMP/out" &&
	grep -q '"kty":"RSA-HSM","key_size":3072,"key_ops":\["wrapKey","unwrapKey"\]' "$TMP/out" && [ "$(writes)" = 6 ]
okif $? "activated and the administrators' roles granted: the four keys are created (RSA-HSM 3072, wrap/unwrap), the HSMs found"
probe
grep -q "^key.create/MW/A pass" "$TMP/out" && grep -q "^key.recovery/EX-Contoso-EX-Executives/B pass" "$TMP/out" &&
	grep -q "^hsm.role.service/A fail" "$TMP/out"
okif $? "the keys written check as planned; the apps' roles (not yet granted in this run) fail"

# an HSM that exists but differs is reported, never overwritten
hook "$FAKE_PORT" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"softDeleteRetentionInDays":7}}' >/dev/null
probe --execute
grep -q "^hsm.create/A fail rest-exists-wrong" "$TMP/out" && [ "$(writes)" = 6 ]
okif $? "an HSM with 7 days' retention: exists-wrong, no write"
tap_done
