#!/bin/sh
# Agreement on a Managed HSM plan (plans/contoso-hsm.yaml): the simulator runs
# the whole ceremony, with one of its Managed HSM faults or none, the fake is
# set to the Azure state that fault leaves behind, and tests/rest_probe
# --agree asks both the same batch of step checks: they must answer alike.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 7
PLAN="$PLANS/contoso-hsm.yaml"
"$CKW" show "$PLAN" --format json >"$TMP/plan.json" 2>/dev/null
fake_ca ca
fake_server_cert ca srv
az_stub_on_path

# check NAME STEP...: no disagreement, and exactly these steps fail in both
check() {
	what=$1
	shift
	ok=0
	[ "$RC" = 0 ] && grep -q "^agree [0-9]* disagree 0$" "$RESULT" || ok=1
	for st in "$@"; do
		grep -q "^$st sim=fail rest=fail$" "$RESULT" || ok=1
	done
	n=$(grep -c "sim=fail rest=fail" "$RESULT")
	[ "$n" = $# ] || ok=1
	[ $ok = 0 ] && tap_ok "$what: both agree on every step ($n failing in both)" ||
		tap_not_ok "$what" "$(grep -v "sim=pass rest=pass" "$RESULT")"
}

agree clean ""
[ "$RC" = 0 ] && grep -q "^agree 36 disagree 0$" "$RESULT" && ! grep -q "sim=fail" "$RESULT" &&
	grep -q "^hsm.role.service/B sim=pass rest=pass$" "$RESULT"
[ $? = 0 ] && tap_ok "the ceremony's end: every HSM and key step passes in both" ||
	tap_not_ok "clean" "$(grep -v "sim=pass rest=pass" "$RESULT")"

agree role role-missing \
	'/test/hsm-role-remove {"hsm":"Contoso-CK-HSMA","appId":"00000002-0000-0ff1-ce00-000000000000","role":"33413926-3206-4cdd-b39a-83574fe37a17"}'
check "the Exchange app left without its role on HSM A" hsm.role.service/A

agree inactive sd-not-downloaded \
	'/test/set-hsm {"hsm":"Contoso-CK-HSMA","properties":{"securityDomainProperties":{"activationStatus":"NotActivated"}},"clear-keys":true}'
check "HSM A never activated (no role, no key in it)" hsm.activate/A hsm.check/A \
	hsm.role.admins/A hsm.role.service/A \
	key.create/EX-Contoso-EX-Executives/A key.create/MW/A key.recovery/EX-Contoso-EX-Executives/A \
	key.recovery/MW/A key.uri/EX-Contoso-EX-Executives/A key.uri/MW/A \
	key.backup/EX-Contoso-EX-Executives/A key.backup/MW/A

# The key backups, as on vaults: a key made again after its backup (the
# fake's new version is dated after the backups were recorded), and the
# recorded file gone, emptied or changed on disk.
KA=Contoso-CK-EX-NA-KeyA1
PROBE_SIM_AGAIN=key.create/EX-Contoso-EX-Executives/A
export PROBE_SIM_AGAIN
agree rolled "" "/test/hsm-roll-key {\"hsm\":\"Contoso-CK-HSMA\",\"key\":\"$KA\",\"created\":$(($(date +%s) + 3600))}"
unset PROBE_SIM_AGAIN
check "an HSM key made again after its backup" key.backup/EX-Contoso-EX-Executives/A
for how in gone empty changed; do
	PROBE_BACKUP_FILE=$how
	export PROBE_BACKUP_FILE
	agree "file-$how" ""
	check "the recorded HSM key backup file $how on disk" key.backup/EX-Contoso-EX-Executives/A
done
unset PROBE_BACKUP_FILE
tap_done
