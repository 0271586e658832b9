#!/bin/sh
# `ckwizard audit` of a plan whose keys are in Managed HSMs
# (plans/contoso-hsm.yaml), against the local fake Azure (tests/azure/fake.py
# with fake_hsm.py): a clean tenant holds; each change made behind the tool's
# back (a Microsoft 365 app's role removed, a principal given a key role, the
# HSM not activated, purge protection off) is reported exactly, with exit 1;
# an HSM that cannot be read ends in exit 3; no token leaks.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 25

PLAN="$PLANS/contoso-hsm.yaml"
fake_tenant "$PLAN"
MAIN=$FAKE_PORT
mkdir -p "$TMP/out"
AZ="--sign-in az --az-config-A $TMP/azA --az-config-B $TMP/azB"
MW=c066d759-24ae-40e7-a56f-027002b5d3e4
EX=00000002-0000-0ff1-ce00-000000000000
SEU=33413926-3206-4cdd-b39a-83574fe37a17
USER=21dbd100-6940-42c2-9190-5d6cb909625b
# audit EXPECTED NAME [ARGS...]: audit the plan, output kept in $TMP/out/NAME
audit() {
	want=$1 name=$2
	shift 2
	OUT="$TMP/out/$name"
	# shellcheck disable=SC2086 # AZ is a list of options on purpose
	run_ck "$want" "$OUT" audit "$PLAN" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep" $AZ "$@"
}
okif() { if [ "$1" = 0 ]; then tap_ok "$2"; else tap_not_ok "$2" "$(head -40 "$OUT")"; fi; }
drifts() { grep -c "^DRIFT" "$OUT"; }

# ---- a clean tenant ----
audit 0 clean
okif $? "a clean Managed HSM tenant: exit 0"
grep -q "0 drifted, 0 could not be checked" "$OUT" &&
	grep -q "^holds     A managed HSM Contoso-CK-HSMA: activation: Active$" "$OUT" &&
	grep -q "^holds     B managed HSM Contoso-CK-HSMB: purge protection: on$" "$OUT" &&
	grep -q "^holds     A key Contoso-CK-MW-NA-KeyA1: recovery level: Recoverable$" "$OUT" &&
	grep -q "^holds     A managed HSM Contoso-CK-HSMA: role assignment: M365DataAtRestEncryption ($MW) holds Managed HSM Crypto Service Encryption User at /keys$" "$OUT"
okif $? "every check holds: activation, purge protection, the keys, each app's role"
audit 0 clean-json --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); k={f["kind"] for f in d["findings"]}; assert d["exit"]==0 and d["summary"]["drift"]==0 and "managed HSM" in k and "vault" not in k' "$OUT" 2>/dev/null
okif $? "--format json: managed HSM findings, no vault findings"
grep -q "^GET contoso-ck-hsma.managedhsm.fake.test/providers/Microsoft.Authorization/roleAssignments$" "$TMP/main/requests.log"
okif $? "the role assignments are read at the scope / on the HSM's own host"

# ---- drift: an app's role removed ----
hook "$MAIN" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\"}" >/dev/null
audit 1 no-role
okif $? "a Microsoft 365 app's role removed: exit 1"
[ "$(drifts)" = 1 ] &&
	grep -q "^DRIFT     A managed HSM Contoso-CK-HSMA: role assignment: M365DataAtRestEncryption ($MW) has no Managed HSM Crypto Service Encryption User assignment covering its keys (the plan gives it one)$" "$OUT"
okif $? "exactly that drift: the app and the role it lacks"

# ---- the role per key: on its own key it holds, on another key it does not ----
hook "$MAIN" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\",\"scope\":\"/keys/Contoso-CK-EX-NA-KeyA1\"}" >/dev/null
audit 1 wrong-key
[ $? = 0 ] && [ "$(drifts)" = 1 ] &&
	grep -q "^DRIFT .*M365DataAtRestEncryption ($MW) has no Managed HSM Crypto Service Encryption User assignment covering its keys" "$OUT"
okif $? "the app's role on another DEP's key does not cover its own: drift"
hook "$MAIN" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\"}" >/dev/null
hook "$MAIN" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\",\"scope\":\"/keys/Contoso-CK-MW-NA-KeyA1\"}" >/dev/null
audit 0 own-key
okif $? "the app's role on exactly its own key: holds (exit 0)"

# ---- the role definition's id in whatever form the HSM gives it ----
for def in "/keys/providers/Microsoft.Authorization/roleDefinitions/$SEU" \
	"Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/$SEU"; do
	hook "$MAIN" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\"}" >/dev/null
	hook "$MAIN" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$MW\",\"role\":\"$SEU\",\"scope\":\"/keys\",\"def\":\"$def\"}" >/dev/null
	audit 0 "def-${def%%/*}"
	okif $? "an assignment naming its role definition as $def: holds (exit 0)"
done

# ---- drift: a principal given a key role behind the tool's back ----
eve=$(hook "$MAIN" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMB\",\"upn\":\"eve@contoso.example\",\"role\":\"$USER\",\"scope\":\"/keys\"}" |
	sed 's/.*"principalId": "\([^"]*\)".*/\1/')
audit 1 eve
okif $? "an unplanned principal with Managed HSM Crypto User: exit 1"
[ "$(drifts)" = 1 ] &&
	grep -q "^DRIFT     B managed HSM Contoso-CK-HSMB: role assignment: principal $eve is not in the plan and holds Managed HSM Crypto User at /keys$" "$OUT"
okif $? "exactly that drift: the principal, its role and scope"
hook "$MAIN" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMB\",\"upn\":\"eve@contoso.example\",\"role\":\"$USER\"}" >/dev/null
# a planned principal with one role too many is drift as well
hook "$MAIN" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMB\",\"appId\":\"$EX\",\"role\":\"$USER\",\"scope\":\"/\"}" >/dev/null
audit 1 extra-role
[ $? = 0 ] && [ "$(drifts)" = 1 ] &&
	grep -q "^DRIFT .*Office 365 Exchange Online ($EX) also holds Managed HSM Crypto User at /, which the plan does not give it$" "$OUT"
okif $? "a Microsoft 365 app given Crypto User as well: exactly that drift"
hook "$MAIN" /test/hsm-role-remove "{\"hsm\":\"Contoso-CK-HSMB\",\"appId\":\"$EX\",\"role\":\"$USER\"}" >/dev/null

# ---- drift: the HSM itself ----
hook "$MAIN" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","properties":{"securityDomainProperties":{"activationStatus":"NotActivated"},"enablePurgeProtection":false}}' >/dev/null
audit 1 inactive
[ $? = 0 ] && [ "$(drifts)" = 7 ] &&
	grep -q "^DRIFT     A managed HSM Contoso-CK-HSMA: activation: NotActivated (the plan: Active (the security domain downloaded))$" "$OUT" &&
	grep -q "^DRIFT     A managed HSM Contoso-CK-HSMA: purge protection: off (the plan: on)$" "$OUT" &&
	grep -q "^DRIFT     A key Contoso-CK-MW-NA-KeyA1: exists: managed HSM Contoso-CK-HSMA is not activated (NotActivated): it holds no usable key" "$OUT" &&
	[ "$(grep -c "^DRIFT     A managed HSM Contoso-CK-HSMA: role assignment: not activated (NotActivated)" "$OUT")" = 2 ] &&
	! grep -q "^DRIFT     B" "$OUT"
okif $? "not activated and purge protection off: both reported; its keys and roles unusable, side B untouched"
hook "$MAIN" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","location":"eastus","properties":{"securityDomainProperties":{"activationStatus":"Active"},"enablePurgeProtection":true}}' >/dev/null
audit 1 moved
[ $? = 0 ] && [ "$(drifts)" = 1 ] &&
	grep -q "^DRIFT     A managed HSM Contoso-CK-HSMA: region: eastus (the plan: northcentralus)$" "$OUT"
okif $? "an HSM in another region than planned: exactly that drift"
hook "$MAIN" /test/set-hsm '{"hsm":"Contoso-CK-HSMA","location":"northcentralus"}' >/dev/null
# the spec gives enablePurgeProtection a default of true: absent is neither
# on nor off, so it cannot be judged
hook "$MAIN" /test/set-hsm '{"hsm":"Contoso-CK-HSMB","remove":["enablePurgeProtection"]}' >/dev/null
audit 3 no-pp
[ $? = 0 ] && [ "$(drifts)" = 0 ] &&
	grep -q "^UNCHECKED B managed HSM Contoso-CK-HSMB: purge protection: properties.enablePurgeProtection is not in the answer$" "$OUT"
okif $? "an answer without enablePurgeProtection: unchecked (exit 3), not taken as off or on"
hook "$MAIN" /test/set-hsm '{"hsm":"Contoso-CK-HSMB","properties":{"enablePurgeProtection":true}}' >/dev/null

# ---- could not check ----
hook "$MAIN" /test/fault '{"name":"503","match":"contoso-ck-hsmb.managedhsm","count":100}' >/dev/null
audit 3 unavailable
okif $? "the HSM's data plane answers 503: exit 3 (could not check)"
grep -q "^UNCHECKED B managed HSM Contoso-CK-HSMB: role assignment: .*503" "$OUT" &&
	grep -q "^UNCHECKED B key Contoso-CK-EX-NA-KeyB1: read: .*503" "$OUT" && [ "$(drifts)" = 0 ]
okif $? "what could not be read is named, with the status"
hook "$MAIN" /test/clear-faults '{}' >/dev/null
grep -v hsm-suffix "$TMP/ep" >"$TMP/ep-nohsm"
OUT="$TMP/out/nohsm"
# shellcheck disable=SC2086
run_ck 2 "$OUT" audit "$PLAN" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep-nohsm" $AZ
okif $? "an endpoints file without hsm-suffix: usage error (exit 2)"
grep -q "must name hsm-suffix" "$OUT"
okif $? "... saying what is missing"
audit 0 again
okif $? "the tenant put back: exit 0 again"

# ---- device code: the refresh token also buys the Managed HSM token ----
OUT="$TMP/out/device"
audit_device "$MAIN" "$TMP/ep" "$OUT" '{"upn":"alice@contoso.example"}' '{"upn":"bob@contoso.example"}'
rc=$RC
[ $rc = 0 ] && grep -q "^holds     B managed HSM Contoso-CK-HSMB: role assignment: bob@contoso.example holds" "$OUT"
okif $? "device code sign-in: both operators, the HSMs read with the Managed HSM token (exit $rc)"

# ---- a scheduled audit's application, with Managed HSM Crypto Auditor ----
for s in A B; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/sp$s.pem" -out "$TMP/sp$s.crt" \
		-days 2 -subj "/CN=ckwizard audit $s" 2>/dev/null
	cat "$TMP/sp$s.crt" >>"$TMP/sp$s.pem"
done
appA=11111111-aaaa-4aaa-8aaa-000000000001 appB=11111111-bbbb-4bbb-8bbb-000000000002
AUDITOR=2c18b078-7c48-4d3a-af88-5a3a1b3f82b3
hook "$MAIN" /test/sp "{\"appId\":\"$appA\",\"cert\":\"$TMP/spA.crt\",\"subscriptions\":[\"0a1b2c3d-1111-4aaa-8bbb-000000000001\"]}" >/dev/null
hook "$MAIN" /test/sp "{\"appId\":\"$appB\",\"cert\":\"$TMP/spB.crt\",\"subscriptions\":[\"0a1b2c3d-2222-4aaa-8bbb-000000000002\"]}" >/dev/null
hook "$MAIN" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$appA\",\"role\":\"$AUDITOR\",\"scope\":\"/\"}" >/dev/null
hook "$MAIN" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMB\",\"appId\":\"$appB\",\"role\":\"$AUDITOR\",\"scope\":\"/\"}" >/dev/null
CERT="--sign-in cert --client-id-A $appA --cert-A $TMP/spA.pem --client-id-B $appB --cert-B $TMP/spB.pem"
OUT="$TMP/out/cert"
# shellcheck disable=SC2086
run_ck 0 "$OUT" audit "$PLAN" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep" $CERT &&
	[ "$(grep -c "^holds .*role assignment: the auditing application .* holds Managed HSM Crypto Auditor at / (read-only)$" "$OUT")" = 2 ]
okif $? "certificate sign-in: the auditing applications hold Crypto Auditor, named as such (exit 0)"
# the same application with a role that can use keys is an intruder
hook "$MAIN" /test/hsm-role-add "{\"hsm\":\"Contoso-CK-HSMA\",\"appId\":\"$appA\",\"role\":\"$USER\",\"scope\":\"/keys\"}" >/dev/null
OUT="$TMP/out/cert-user"
# shellcheck disable=SC2086
run_ck 1 "$OUT" audit "$PLAN" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep" $CERT &&
	[ "$(drifts)" = 1 ] && grep -q "^DRIFT .*role assignment: principal .* is not in the plan and holds Managed HSM Crypto User at /keys$" "$OUT"
okif $? "the auditing application given Crypto User: drift (it could use the keys)"

# ---- no token anywhere: raw, base64 or URL-encoded, in any output or file ----
if token_canary managedhsm; then tap_ok "no token in any output or file ($(cat "$TMP/canary"))"; else tap_not_ok "a token leaked" "$(cat "$TMP/canary")"; fi
tap_done
