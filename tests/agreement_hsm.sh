#!/bin/sh
# Agreement on a Managed HSM plan (plans/contoso-hsm.yaml): the simulator runs
# the whole ceremony, with one of its Managed HSM faults or none, the fake is
# set to the Azure state that fault leaves behind, and tests/rest_probe
# --agree asks both the same batch of step checks: they must answer alike.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 7
agree_setup "$PLANS/contoso-hsm.yaml"

# Here each scenario names every step that fails (agree_check --only).
agree clean ""
[ "$RC" = 0 ] && grep -q "^agree 36 disagree 0$" "$RESULT" && ! grep -q "sim=fail" "$RESULT" &&
	grep -q "^hsm.role.service/B sim=pass rest=pass$" "$RESULT"
[ $? = 0 ] && tap_ok "the ceremony's end: every HSM and key step passes in both" ||
	tap_not_ok "clean" "$(grep -v "sim=pass rest=pass" "$RESULT")"

agree role role-missing \
	'/test/hsm-role-remove {"hsm":"Contoso-CK-HSMA","appId":"00000002-0000-0ff1-ce00-000000000000","role":"33413926-3206-4cdd-b39a-83574fe37a17"}'
agree_check --only "the Exchange app left without its role on HSM A" hsm.role.service/A

agree inactive sd-not-downloaded \
	'/test/set-hsm {"hsm":"Contoso-CK-HSMA","properties":{"securityDomainProperties":{"activationStatus":"NotActivated"}},"clear-keys":true}'
agree_check --only "HSM A never activated (no role, no key in it)" hsm.activate/A hsm.check/A \
	hsm.role.admins/A hsm.role.service/A \
	key.create/EX-Contoso-EX-Executives/A key.create/MW/A key.recovery/EX-Contoso-EX-Executives/A \
	key.recovery/MW/A key.uri/EX-Contoso-EX-Executives/A key.uri/MW/A \
	key.backup/EX-Contoso-EX-Executives/A key.backup/MW/A

# The key backups, as on vaults.
KA=Contoso-CK-EX-NA-KeyA1
agree_backups --only "Managed HSM key" key.create/EX-Contoso-EX-Executives/A \
	key.backup/EX-Contoso-EX-Executives/A /test/hsm-roll-key \
	"{\"hsm\":\"Contoso-CK-HSMA\",\"key\":\"$KA\",\"created\":$(($(date +%s) + 3600))}"
tap_done
