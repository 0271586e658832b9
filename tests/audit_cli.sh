#!/bin/sh
# `ckwizard audit` against the local fake Azure (tests/azure/fake.py): a clean
# tenant holds, a vault changed behind the tool's back is reported exactly,
# faults end in "could not check" with clear messages, and the security
# rules hold (no token in any output or file, TLS and http refused, no
# redirect followed, the other operator's token refused).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 34

PLAN="$PLANS/contoso-exchange.yaml"
"$CKW" show "$PLAN" --format json >"$TMP/plan.json" 2>/dev/null
fake_ca ca
fake_ca other
fake_server_cert ca srv
fake_server_cert other wrongca
fake_server_cert ca expired expired
fake_start main srv
MAIN=$FAKE_PORT
endpoints_file "$MAIN" "$TMP/ep"
mkdir -p "$TMP/out"
az_stub_on_path
az_user "$TMP/azA" alice@contoso.example "$MAIN"
az_user "$TMP/azB" bob@contoso.example "$MAIN"
AZ="--sign-in az --az-config-A $TMP/azA --az-config-B $TMP/azB"
n_out=0
# audit EXPECTED NAME [ARGS...]: run audit on the plan, output kept in $TMP/out/NAME
audit() {
	want=$1 name=$2
	shift 2
	n_out=$((n_out + 1))
	OUT="$TMP/out/$name"
	# shellcheck disable=SC2086 # AZ is a list of options on purpose
	run_ck "$want" "$OUT" audit "$PLAN" --ca-bundle "$TMP/ca.pem" "$@"
}
okif() { if [ "$1" = 0 ]; then tap_ok "$2"; else tap_not_ok "$2" "$(head -30 "$OUT")"; fi; }

# ---- a clean tenant ----
audit 0 clean --endpoints "$TMP/ep" $AZ
okif $? "a clean tenant: exit 0"
grep -q "0 drifted, 0 could not be checked" "$OUT" && grep -q "^holds .*purge protection: on" "$OUT"
okif $? "a clean tenant: every check holds, purge protection among them"
audit 0 clean-json --endpoints "$TMP/ep" $AZ --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["summary"]["drift"]==0 and d["summary"]["holds"]>40 and d["exit"]==0 and d["sides"]["A"]["identity"].startswith("alice@")' "$OUT" 2>/dev/null
okif $? "--format json: the same result, machine-readable"
audit 0 side-a --endpoints "$TMP/ep" $AZ --side A
grep -q "side B: not audited" "$OUT" && ! grep -q "^holds *B" "$OUT"
okif $? "--side A checks side A only"

# ---- device code sign-in (the first poll answers slow_down) ----
fake_start dev srv --slow-down
DEV=$FAKE_PORT
endpoints_file "$DEV" "$TMP/ep-dev"
OUT="$TMP/out/device"
audit_device "$DEV" "$TMP/ep-dev" "$OUT" '{"upn":"alice@contoso.example"}' '{"upn":"bob@contoso.example"}'
rc=$RC
[ $rc = 0 ] && grep -q "open https://login.fake.test/device and enter the code [0-9A-F]\{8\}" "$OUT.err"
okif $? "device code: URL and code shown, slow_down honoured, both operators signed in (exit $rc)"
OUT="$TMP/out/declined"
audit_device "$DEV" "$TMP/ep-dev" "$OUT" --side A '{"upn":"alice@contoso.example","decline":true}'
[ $RC = 3 ] && grep -q "declined" "$OUT"
okif $? "device code declined: nothing checked, exit 3 with the reason"

# ---- faults: retried where it helps, reported where it does not ----
hook "$MAIN" /test/fault '{"name":"429","match":"subscriptions/0a1b2c3d-1111-4aaa-8bbb-000000000001?","count":1,"seconds":1}' >/dev/null
before=$(grep -c "^GET management.fake.test/subscriptions/0a1b2c3d-1111-4aaa-8bbb-000000000001$" "$TMP/main/requests.log")
audit 0 throttled --endpoints "$TMP/ep" $AZ
after=$(grep -c "^GET management.fake.test/subscriptions/0a1b2c3d-1111-4aaa-8bbb-000000000001$" "$TMP/main/requests.log")
okif $? "429 with Retry-After: retried, then all holds"
[ $((after - before)) = 2 ]
okif $? "429: exactly one retry was made ($((after - before)) requests)"
hook "$MAIN" /test/fault '{"name":"503","match":"vaults/Contoso-CK-EX-NA-VaultA1?","count":4}' >/dev/null
audit 3 unavailable --endpoints "$TMP/ep" $AZ
okif $? "503 on every attempt: exit 3 (could not check everything)"
grep -q "^UNCHECKED A vault Contoso-CK-EX-NA-VaultA1: read: .*HTTP 503 ServiceUnavailable: .*run again later" "$OUT"
okif $? "503: the message names the vault, the status, Azure's code and what to do"
hook "$MAIN" /test/fault '{"name":"500","match":"graph.fake.test/v1.0/users/bob","count":4}' >/dev/null
audit 3 graph500 --endpoints "$TMP/ep" $AZ
grep -q "^UNCHECKED B vault .*bob@contoso.example: its object ID could not be looked up" "$OUT"
okif $? "500 from Graph: that access policy could not be checked, said so"
hook "$MAIN" /test/fault '{"name":"truncate","match":"vaulta1.vault.fake.test/keys/Contoso-CK-EX-NA-VaultA1-Key001","count":1}' >/dev/null
audit 3 truncated --endpoints "$TMP/ep" $AZ
grep -q "^UNCHECKED A key Contoso-CK-EX-NA-VaultA1-Key001: read: Contoso-CK-EX-NA-VaultA1-Key001 (A): the answer is unusable: response is not JSON" "$OUT"
okif $? "truncated JSON: exit 3, the key named, 'not JSON'"
hook "$MAIN" /test/fault '{"name":"badjson","match":"features/mandatoryRetentionPeriodEnabled","count":2}' >/dev/null
audit 3 badjson --endpoints "$TMP/ep" $AZ
[ "$(grep -c "^UNCHECKED .* feature .*not JSON" "$OUT")" = 2 ]
okif $? "an HTML page instead of JSON: both features unchecked"
# curl itself re-sends once on a reused connection found closed, so the fault
# is left on for every attempt, then cleared
hook "$MAIN" /test/fault '{"name":"drop","match":"0a1b2c3d-2222-4aaa-8bbb-000000000002/providers/Microsoft.KeyVault?","count":100}' >/dev/null
audit 3 dropped --endpoints "$TMP/ep" $AZ
hook "$MAIN" /test/clear-faults '{}' >/dev/null
grep -q "^UNCHECKED B provider Microsoft.KeyVault: read: .*no answer after 4 attempts" "$OUT"
okif $? "dropped connections: retried 4 times, then reported"
hook "$MAIN" /test/fault '{"name":"slow","match":"resourcegroups/Contoso-CK-EX-NA-RGA?","count":4,"seconds":3}' >/dev/null
audit 3 slow --endpoints "$TMP/ep" $AZ --timeout 1
grep -q "^UNCHECKED A resource group Contoso-CK-EX-NA-RGA: read: .*no answer after 4 attempts (.*timed out" "$OUT"
okif $? "a slow answer: every request has a time limit (--timeout)"
hook "$MAIN" /test/fault '{"name":"expired","match":"subscriptions/0a1b2c3d-2222-4aaa-8bbb-000000000002?","count":1}' >/dev/null
audit 3 expired-token --endpoints "$TMP/ep" $AZ
grep -q "^UNCHECKED B subscription .*HTTP 401 ExpiredAuthenticationToken: .*sign in again" "$OUT"
okif $? "an expired token: HTTP 401 reported with 'sign in again'"

# ---- security ----
hook "$MAIN" /test/fault '{"name":"redirect","match":"vaults/Contoso-CK-EX-NA-VaultB1?","count":1}' >/dev/null
audit 3 redirect --endpoints "$TMP/ep" $AZ
grep -q "^UNCHECKED B vault Contoso-CK-EX-NA-VaultB1: read: .*HTTP 302 redirect to https://evil.example/.* refused: redirects are never followed with a token" "$OUT"
okif $? "a redirect is refused, never followed with the token"
sed 's|^arm = https://|arm = http://|' "$TMP/ep" >"$TMP/ep-http"
audit 2 http --endpoints "$TMP/ep-http" $AZ
grep -q "arm: plain http is refused" "$OUT"
okif $? "an http:// endpoint is refused (exit 2)"
fake_start wrong wrongca
endpoints_file "$FAKE_PORT" "$TMP/ep-wrong"
audit 3 wrong-ca --endpoints "$TMP/ep-wrong" $AZ
grep -q "TLS certificate was refused .*pass --ca-bundle FILE" "$OUT" && ! grep -q "^holds" "$OUT"
okif $? "a certificate from another CA is refused, with what to do"
fake_start expired expired
endpoints_file "$FAKE_PORT" "$TMP/ep-expired"
audit 3 expired-cert --endpoints "$TMP/ep-expired" $AZ
grep -q "TLS certificate was refused (.*expired" "$OUT"
okif $? "an expired certificate is refused"
OUT="$TMP/out/no-bundle"
n_out=$((n_out + 1))
run_ck 3 "$OUT" audit "$PLAN" --endpoints "$TMP/ep" $AZ
grep -q "TLS certificate was refused" "$OUT"
okif $? "without --ca-bundle the test CA is not trusted (no environment override)"
az_user "$TMP/azA-bob" bob@contoso.example "$MAIN"
# a request the fake answers late (the slow fault above sleeps in its
# thread) is logged when answered: count only once the log stands still
prev=-1
while before=$(wc -l <"$TMP/main/requests.log") && [ "$before" != "$prev" ]; do
	prev=$before
	sleep 1
done
audit 4 wrong-operator --endpoints "$TMP/ep" --sign-in az --az-config-A "$TMP/azA-bob" --az-config-B "$TMP/azB"
okif $? "operator B's token presented on side A: refused (exit 4)"
grep -q "side A: nothing checked: signed in as bob@contoso.example .* but the plan names alice@contoso.example" "$OUT"
okif $? "the refusal names who signed in and who the plan expects"
tail -n +$((before + 1)) "$TMP/main/requests.log" >"$TMP/after-refusal"
grep -q "0a1b2c3d-2222" "$TMP/after-refusal" && ! grep -qi "0a1b2c3d-1111\|vaulta1" "$TMP/after-refusal"
okif $? "nothing of side A was asked with the refused token (side B was checked)"

# an object ID in the plan is the stronger name: a matching UPN is not enough
alice_oid=$(sed -n 's/^side A: signed in as alice@contoso.example (object \([0-9a-f-]*\),.*/\1/p' "$TMP/out/clean")
sed "s/^    upn: alice@contoso.example$/    upn: alice@contoso.example\n    object_id: $alice_oid/" "$PLAN" >"$TMP/plan-oid.yaml"
sed "s/^    upn: alice@contoso.example$/    upn: alice@contoso.example\n    object_id: 0a0a0a0a-0000-4000-8000-000000000000/" "$PLAN" >"$TMP/plan-other-oid.yaml"
OUT="$TMP/out/oid"
run_ck 0 "$OUT" audit "$TMP/plan-oid.yaml" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep" $AZ &&
	"$CKW" show "$TMP/plan-oid.yaml" 2>/dev/null | grep -q "^     object ID: $alice_oid$"
okif $? "the plan's object ID for operator A matches the token: all holds (and show prints it)"
OUT="$TMP/out/other-oid"
run_ck 4 "$OUT" audit "$TMP/plan-other-oid.yaml" --ca-bundle "$TMP/ca.pem" --endpoints "$TMP/ep" $AZ &&
	grep -q "side A: nothing checked: signed in as alice@contoso.example .* but the plan names 0a0a0a0a-0000-4000-8000-000000000000" "$OUT"
okif $? "another object ID in the plan: alice's token refused though her UPN matches"

az_user "$TMP/azA-short" alice@contoso.example "$MAIN"
echo 120 >"$TMP/azA-short/lifetime"
audit 3 short-token --endpoints "$TMP/ep" --sign-in az --az-config-A "$TMP/azA-short" --az-config-B "$TMP/azB"
grep -q "side A: nothing checked: the ARM token is already (nearly) expired: sign in again" "$OUT"
okif $? "a token with less than 5 minutes left is not used: sign in again"

# ---- a service principal with a certificate (a scheduled audit) ----
for s in A B; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/sp$s.pem" -out "$TMP/sp$s.crt" \
		-days 2 -subj "/CN=ckwizard audit $s" 2>/dev/null
	cat "$TMP/sp$s.crt" >>"$TMP/sp$s.pem"
done
fake_start sp srv
SP=$FAKE_PORT
endpoints_file "$SP" "$TMP/ep-sp"
appA=11111111-aaaa-4aaa-8aaa-000000000001 appB=11111111-bbbb-4bbb-8bbb-000000000002
oidA=$(hook "$SP" /test/sp "{\"appId\":\"$appA\",\"cert\":\"$TMP/spA.crt\",\"subscriptions\":[\"0a1b2c3d-1111-4aaa-8bbb-000000000001\"]}" | sed 's/.*"objectId": "\([^"]*\)".*/\1/')
oidB=$(hook "$SP" /test/sp "{\"appId\":\"$appB\",\"cert\":\"$TMP/spB.crt\",\"subscriptions\":[\"0a1b2c3d-2222-4aaa-8bbb-000000000002\"]}" | sed 's/.*"objectId": "\([^"]*\)".*/\1/')
hook "$SP" /test/add-policy "{\"vault\":\"Contoso-CK-EX-NA-VaultA1\",\"objectId\":\"$oidA\",\"keys\":[\"get\",\"list\"]}" >/dev/null
hook "$SP" /test/add-policy "{\"vault\":\"Contoso-CK-EX-NA-VaultB1\",\"objectId\":\"$oidB\",\"keys\":[\"get\",\"list\"]}" >/dev/null
audit 0 cert --endpoints "$TMP/ep-sp" --sign-in cert --client-id-A $appA --cert-A "$TMP/spA.pem" \
	--client-id-B $appB --cert-B "$TMP/spB.pem"
okif $? "certificate sign-in: signed assertions accepted, all holds"
[ "$(grep -c "auditing application .*(read-only)" "$OUT")" = 2 ]
okif $? "the auditing applications' read-only policies are named, not hidden"
audit 4 cert-swapped --endpoints "$TMP/ep-sp" --sign-in cert --client-id-A $appA --cert-A "$TMP/spB.pem" \
	--client-id-B $appB --cert-B "$TMP/spB.pem"
grep -q "certificate sign-in failed: .*HTTP 401 invalid_client" "$OUT" && [ $? = 0 ]
okif $? "an assertion signed with another application's certificate is refused"

# ---- drift: a principal added with purge behind the tool's back ----
eve=$(hook "$MAIN" /test/add-policy '{"vault":"Contoso-CK-EX-NA-VaultA1","upn":"eve@contoso.example","keys":["get","purge"]}' | sed 's/.*"objectId": "\([^"]*\)".*/\1/')
audit 1 drift --endpoints "$TMP/ep" $AZ
okif $? "a principal added behind the tool's back: exit 1"
[ "$(grep -c "^DRIFT" "$OUT")" = 1 ] &&
	grep -q "^DRIFT     A vault Contoso-CK-EX-NA-VaultA1: access policy: principal $eve is not in the plan and has keys get, purge$" "$OUT"
okif $? "exactly that drift is reported: the principal and its purge permission"
grep -q "1 drifted, 0 could not be checked" "$OUT"
okif $? "the summary counts one drift"

# ---- no token anywhere: raw, base64 or URL-encoded, in any output or file ----
if token_canary; then tap_ok "no token in any output or file ($(cat "$TMP/canary"))"; else tap_not_ok "a token leaked" "$(cat "$TMP/canary")"; fi
tap_done
