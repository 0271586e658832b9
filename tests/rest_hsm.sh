#!/bin/sh
# run --live on a Managed HSM plan, through the seam (tests/rest_probe)
# against the fake: the HSM steps are checked over REST (the HSM as created,
# then activated; the administrators' and the apps' local roles), a change
# behind the tool's back fails exactly its step, and --execute writes none of
# the HSM or key steps (they stay guided).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 7
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

# --execute: the resource groups and registrations only; no HSM or key step
probe --execute
[ "$RC" = 0 ] && grep -q "^rg.create/Contoso-CK-HSM-RGA/A " "$TMP/out" && ! grep -q "^hsm\." "$TMP/out" &&
	! grep -q "^key\." "$TMP/out"
okif $? "--execute writes no HSM or key step (they stay guided)"
grep -q "^rg.create/Contoso-CK-HSM-RGA/A pass rest-found" "$TMP/out"
okif $? "... and finds the HSM's resource group as planned"
tap_done
