#!/bin/sh
# Agreement: the simulator and the REST backend (against the fake) answer the
# same batch of step checks the same way, on the same scenarios: the
# simulator runs the whole ceremony with a fault, the fake is set to the
# Azure state that fault leaves behind. tests/rest_probe --agree does the
# asking. Steps the REST backend does not judge yet (key backup, the
# contributors' role assignments) are left out, and said so in doc/azure.md.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
. "$TDATA/azure/lib.sh"
trap 'fake_stop_all; rm -rf "$TMP"' EXIT
tap_plan 10
agree_setup "$PLANS/contoso-exchange.yaml"
VA=Contoso-CK-EX-NA-VaultA1
KA=Contoso-CK-EX-NA-VaultA1-Key001

agree clean ""
[ "$RC" = 0 ] && grep -q "^agree 32 disagree 0$" "$RESULT" && ! grep -q "sim=fail" "$RESULT"
[ $? = 0 ] && tap_ok "the ceremony's end: every step passes in both" ||
	tap_not_ok "clean" "$(grep -v "sim=pass rest=pass" "$RESULT")"

agree perm missing-permission=unwrapKey \
	"/test/set-policy {\"vault\":\"$VA\",\"appId\":\"00000002-0000-0ff1-ce00-000000000000\",\"keys\":[\"get\",\"wrapKey\"]}"
agree_check "the service principal without unwrapKey" vault.service/EX-USA_mailboxes/A \
	vault.access_check/EX-USA_mailboxes/A

agree expiry expiring-key=30 \
	"/test/set-key {\"vault\":\"$VA\",\"key\":\"$KA\",\"attributes\":{\"exp\":$(($(date +%s) + 30 * 86400))}}"
agree_check "a key that expires in 30 days" key.expiry/EX-USA_mailboxes/A vault.validate/EX-USA_mailboxes/A

agree rbac rbac-on "/test/set-vault {\"vault\":\"$VA\",\"properties\":{\"enableRbacAuthorization\":true}}" \
	"/test/delete-key {\"vault\":\"$VA\",\"key\":\"$KA\"}"
agree_check "a vault in RBAC mode (no key could be made)" vault.admins/EX-USA_mailboxes/A \
	vault.service/EX-USA_mailboxes/A key.create/EX-USA_mailboxes/A

agree paired paired-region \
	'/test/set-vault {"vault":"Contoso-CK-EX-NA-VaultB1","location":"westcentralus"}'
agree_check "side B's vault in the paired region" vault.create/EX-USA_mailboxes/B

agree slow slow-registration=8760 \
	'/test/feature {"subscription":"0a1b2c3d-1111-4aaa-8bbb-000000000001","state":"Registering"}' \
	'/test/feature {"subscription":"0a1b2c3d-2222-4aaa-8bbb-000000000002","state":"Registering"}' \
	"/test/set-key {\"vault\":\"$VA\",\"key\":\"$KA\",\"attributes\":{\"recoveryLevel\":\"Recoverable\"}}" \
	'/test/set-key {"vault":"Contoso-CK-EX-NA-VaultB1","key":"Contoso-CK-EX-NA-VaultB1-Key001","attributes":{"recoveryLevel":"Recoverable"}}'
[ "$RC" = 0 ] && grep -q "^agree [0-9]* disagree 0$" "$RESULT" && grep -q "^retention.verify/A sim=pending rest=pending$" "$RESULT" &&
	grep -q "^key.recovery/EX-USA_mailboxes/B sim=pending rest=pending$" "$RESULT"
[ $? = 0 ] && tap_ok "a retention period Microsoft has not finished: pending in both, recovery level too" ||
	tap_not_ok "slow registration" "$(grep -v "sim=pass rest=pass" "$RESULT")"

# The backups: a key made again after its backup (a new version the backup
# does not hold), and the recorded file gone, emptied or changed on disk.
agree_backups key key.create/EX-USA_mailboxes/A key.backup/EX-USA_mailboxes/A /test/roll-key \
	"{\"vault\":\"$VA\",\"key\":\"$KA\",\"created\":$(($(date +%s) + 3600))}"
tap_done
