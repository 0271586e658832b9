/* steps_manage.c: the management tasks of the catalogue, after the first
 * ceremony (004: "Managing Customer Key for Office 365"; doc/sources.md for the key
 * roll and the short-term delete). They follow the ceremony's templates in
 * procedure order and are made into instances only when asked
 * (catalogue_build with_management). Same format as steps_table.c. */
#include "ck.h"
#include "steps_int.h"

#include <string.h>

static const struct evidence_spec ev_roll[] = {
	{ "key_uri", EV_KEY_URI, N_("URI of the new key version"),
	  N_("the Id printed by Add-AzKeyVaultKey, with its version"), false, NULL, NULL },
};
static const struct evidence_spec ev_refresh[] = {
	{ "refreshed", EV_CONFIRM, N_("The policy uses the new key version"),
	  N_("Exchange: DataEncryptionPolicyID changed within 48 h; SharePoint: state back to "
	     "Registered"), false, NULL, NULL },
};
static const struct evidence_spec ev_refresh_ran[] = {
	{ "refreshed", EV_CONFIRM, N_("The refresh ran without error"),
	  N_("note each mailbox's DataEncryptionPolicyID shown before it"), false, NULL, NULL },
};
static const struct evidence_spec ev_restore[] = {
	{ "method", EV_CHOICE, N_("How the key came back"), N_("soft-delete recovery first"), false,
	  "recovered|restored", NULL },
	{ "restored", EV_CONFIRM, N_("The key is back with all its versions"), NULL, false, NULL,
	  NULL },
};
static const struct evidence_spec ev_restore_revoke[] = {
	{ "revoked", EV_CONFIRM, N_("recover is gone from the key permissions again"),
	  N_("the listing shows the day-to-day permissions only"), false, NULL, NULL },
};
static const struct evidence_spec ev_grant_delete[] = {
	{ "reason", EV_TEXT, N_("Why delete is needed"), NULL, false, NULL, NULL },
	{ "until", EV_DATE, N_("Revoke by"), N_("YYYY-MM-DD: a short term only"), false, NULL,
	  NULL },
};
static const struct evidence_spec ev_revoke_delete[] = {
	{ "revoked", EV_CONFIRM, N_("Delete is gone from the administrator's key permissions"),
	  NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_remove_admin[] = {
	{ "reason", EV_TEXT, N_("Why the permissions are removed"), NULL, false, NULL, NULL },
	{ "removed", EV_CONFIRM, N_("The administrator no longer appears in the access policies"),
	  NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_find_dep[] = {
	{ "dep_guid", EV_GUID, N_("DataEncryptionPolicyID of the mailbox"), NULL, false, NULL,
	  NULL },
	{ "dep_name", EV_TEXT, N_("Name Get-DataEncryptionPolicy shows for it"), NULL, false, NULL,
	  NULL },
};

const struct step_def steps_manage_table[] = {
	/* Management tasks: only when asked, recorded the same way */
	{ "manage.roll", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_MANAGE | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_KEY,
	  N_("Roll the key: add a new version"),
	  N_("Roll only for a clear technical or compliance reason. The same name makes a new "
	     "version and keeps the old ones, which older content still needs: never delete or "
	     "disable a key version that is or was in a DEP. Outage warning: Microsoft 365 falls "
	     "back to the availability key only when a key is lost, not when access is denied, so "
	     "a rolled key the service principal cannot use is an outage at once."),
	  "004: Rolling or rotating a key in Azure Key Vault that you use with Customer Key",
	  { "key.backup" }, NO_WAIT, EV(ev_roll), CHECK_KEY, SESS_AZ,
	  L("Add-AzKeyVaultKey -VaultName {{vault}} -Name {{key}} -Destination {{destination}} "
	    "-KeyType 'RSA' -Size {{size}} -KeyOps wrapKey,unwrapKey -NotBefore (Get-Date)",
	    "(Get-AzKeyVaultKey -VaultName {{vault}} -Name {{key}}).Id"),
	  L("az keyvault key create --vault-name {{vault}} --name {{key}} --protection {{protection}} "
	    "--kty {{kty}} --size {{size}} --ops wrapKey unwrapKey --query key.kid --output tsv"),
	  NULL, 1, 0 },
	{ "manage.roll_backup", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_MANAGE | SD_WITNESS, WLM_ALL, CONFIRM_NONE, N_("Back up the rolled key"),
	  N_("A key changed, so the old backup no longer holds every version: back it up again, "
	     "offline and for a disaster, before the DEP starts using the new version."),
	  "004: Backup Azure Key Vault; 004: Rolling or rotating a key in Azure Key Vault",
	  { "manage.roll" }, NO_WAIT, EV(steps_ev_backup), CHECK_KEY_BACKUP, SESS_AZ,
	  L("Backup-AzKeyVaultKey -VaultName {{vault}} -Name {{key}} -OutputFile {{backup_file}}",
	    "Get-FileHash -Algorithm SHA256 -Path {{backup_file}}"),
	  L("az keyvault key backup --vault-name {{vault}} --name {{key}} --file {{backup_file}}",
	    "sha256sum -- {{backup_file}}"), NULL, 1, 0 },
	{ "manage.refresh.exchange", PHASE_MANAGE, SCOPE_VAULT, OWNER_TENANT,
	  SD_MANAGE | SD_WITNESS, WLM(WL_EXCHANGE), CONFIRM_NONE,
	  N_("Make the Exchange DEP use the new key version"),
	  N_("Exchange keeps using the old version until the DEP is refreshed; within 48 hours "
	     "active mailboxes move to the new one. Outage warning: access-denied errors get no "
	     "availability-key fallback; keep the old version enabled and the service "
	     "principal's wrapKey, unwrapKey and get in place throughout."),
	  "004: Enable Exchange Online and Skype for Business to use a new key after you roll or "
	  "rotate keys in Azure Key Vault",
	  { "manage.roll_backup" }, { WAIT_HOURS, 48, NULL, 0 }, EV(ev_refresh_ran), CHECK_NONE,
	  SESS_EXO,
	  L("@mailboxes Get-MailboxStatistics -Identity {{mailbox}} | Format-List DataEncryptionPolicyID",
	    "Set-DataEncryptionPolicy -Identity {{dep_name}} -Refresh"),
	  NULL, NULL, 1, 0 },
	{ "manage.refresh_check.exchange", PHASE_MANAGE, SCOPE_VAULT, OWNER_TENANT, SD_MANAGE,
	  WLM(WL_EXCHANGE), CONFIRM_NONE, N_("Check the mailboxes took the new key version"),
	  N_("48 hours after the refresh, each active mailbox's DataEncryptionPolicyID differs "
	     "from the value noted before it: the new key version is in use."),
	  "004: Enable Exchange Online and Skype for Business to use a new key after you roll or "
	  "rotate keys in Azure Key Vault; 004: Determine the DEP assigned to a mailbox",
	  { "manage.refresh.exchange" }, NO_WAIT, EV(ev_refresh), CHECK_NONE, SESS_EXO,
	  L("@mailboxes Get-MailboxStatistics -Identity {{mailbox}} | Format-List DataEncryptionPolicyID"),
	  NULL, NULL, 1, 0 },
	{ "manage.refresh.sharepoint", PHASE_MANAGE, SCOPE_VAULT, OWNER_TENANT,
	  SD_MANAGE | SD_WITNESS, WLM(WL_SHAREPOINT), CONFIRM_NONE,
	  N_("Make the SharePoint DEP use the new key version"),
	  N_("SharePoint rolls one key at a time: start this only when no other roll of the geo "
	     "is in progress, and watch the state go from Rolling back to Registered. Outage "
	     "warning: access-denied errors get no availability-key fallback; keep the old "
	     "version enabled and the service principal's permissions in place throughout."),
	  "004: Enable SharePoint Online and OneDrive for Business to use a new key after you roll "
	  "or rotate keys in Azure Key Vault",
	  { "manage.roll_backup" }, NO_WAIT, EV(ev_refresh), CHECK_NONE, SESS_SPO,
	  L("# Connected to this geo's admin URL; the current module takes no -Identity (older ones",
	    "# did). Check: Get-Command Update-SPODataEncryptionPolicy -Syntax",
	    "Update-SPODataEncryptionPolicy -KeyVaultName {{vault}} "
	    "-KeyName {{key}} -KeyVersion {{ev:manage.roll:self:key_uri:version}} "
	    "-KeyType {{key_type}}",
	    "Get-SPODataEncryptionPolicy"),
	  NULL, NULL, 1, 0 },
	{ "manage.refresh.multi", PHASE_MANAGE, SCOPE_VAULT, OWNER_TENANT,
	  SD_MANAGE | SD_WITNESS, WLM(WL_MULTI), CONFIRM_NONE,
	  N_("Make the multi-workload DEP use the new key version"),
	  N_("Like Exchange, the multi-workload DEP picks up a new key version only when it is "
	     "refreshed. Outage warning: access-denied errors get no availability-key fallback; "
	     "keep the old version enabled and the service principal's permissions in place."),
	  "004: Rolling or rotating a key in Azure Key Vault (multi-workload: later Microsoft "
	  "documentation)",
	  { "manage.roll_backup" }, NO_WAIT, EV(ev_refresh), CHECK_NONE, SESS_EXO,
	  L("Set-M365DataAtRestEncryptionPolicy -Identity {{dep_name}} -Refresh"), NULL, NULL, 1, 0 },
	{ "manage.restore", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_MANAGE | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_KEY, N_("Restore the key"),
	  N_("Only for a lost key or vault. Soft delete comes first: a deleted key is recovered "
	     "for 90 days without any backup. A backup restores only into the subscription it "
	     "came from, and fails if a key of that name exists."),
	  "004: Restore Azure Key Vault keys",
	  { "key.backup" }, NO_WAIT, EV(ev_restore), CHECK_KEY, SESS_AZ,
	  L("Get-AzKeyVaultKey -VaultName {{vault}} -InRemovedState",
	    "# If the key is listed above (soft-deleted), recover it:",
	    "#   Undo-AzKeyVaultKeyRemoval -VaultName {{vault}} -Name {{key}}",
	    "# Only if it is not: restore the recorded backup:",
	    "#   Restore-AzKeyVaultKey -VaultName {{vault}} "
	    "-InputFile {{ev:key.backup:self:backup_file:path}}"),
	  L("az keyvault key list-deleted --vault-name {{vault}} --output table",
	    "# If the key is listed above (soft-deleted), recover it:",
	    "#   az keyvault key recover --vault-name {{vault}} --name {{key}}",
	    "# Only if it is not: restore the recorded backup:",
	    "#   az keyvault key restore --vault-name {{vault}} "
	    "--file {{ev:key.backup:self:backup_file:path}}"), NULL, 1, 2 },
	{ "manage.restore", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_MANAGE | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_KEY, N_("Restore the key"),
	  N_("Only for a lost key or vault. Soft delete comes first: a deleted key is recovered "
	     "for 90 days without any backup, but recovering needs keys/recover, which nobody "
	     "holds day to day (without it Azure answers 403 in the middle of the incident): "
	     "the first command grants it to you for this task, and the next step takes it "
	     "away. A backup restores only into the subscription it came from, and fails if a "
	     "key of that name exists."),
	  "004: Restore Azure Key Vault keys; Key Vault REST: recover deleted key (keys/recover)",
	  { "key.backup" }, NO_WAIT, EV(ev_restore), CHECK_KEY, SESS_AZ,
	  L("Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -UserPrincipalName {{operator_upn}} "
	    "-PermissionsToKeys create,import,list,get,backup,restore,recover",
	    "Get-AzKeyVaultKey -VaultName {{vault}} -InRemovedState",
	    "# If the key is listed above (soft-deleted), recover it:",
	    "#   Undo-AzKeyVaultKeyRemoval -VaultName {{vault}} -Name {{key}}",
	    "# Only if it is not: restore the recorded backup:",
	    "#   Restore-AzKeyVaultKey -VaultName {{vault}} "
	    "-InputFile {{ev:key.backup:self:backup_file:path}}"),
	  L("az keyvault set-policy --name {{vault}} --upn {{operator_upn}} "
	    "--key-permissions create import list get backup restore recover",
	    "az keyvault key list-deleted --vault-name {{vault}} --output table",
	    "# If the key is listed above (soft-deleted), recover it:",
	    "#   az keyvault key recover --vault-name {{vault}} --name {{key}}",
	    "# Only if it is not: restore the recorded backup:",
	    "#   az keyvault key restore --vault-name {{vault}} "
	    "--file {{ev:key.backup:self:backup_file:path}}"), NULL, 2, 0 },
	{ "manage.restore_revoke", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_MANAGE | SD_WITNESS, WLM_ALL, CONFIRM_NONE,
	  N_("Take recover away again after the restore"),
	  N_("keys/recover was granted for the restore only; whatever the restore's outcome, "
	     "the key permissions go back to the day-to-day set."),
	  "004: Restore Azure Key Vault keys; 000: Assign permissions to each key vault",
	  { "manage.restore" }, NO_WAIT, EV(ev_restore_revoke), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -UserPrincipalName {{operator_upn}} "
	    "-PermissionsToKeys create,import,list,get,backup,restore",
	    "Get-AzKeyVault -VaultName {{vault}}"),
	  L("az keyvault set-policy --name {{vault}} --upn {{operator_upn}} "
	    "--key-permissions create import list get backup restore",
	    "az keyvault show --name {{vault}} --query properties.accessPolicies --output jsonc"),
	  NULL, 2, 0 },
	{ "manage.grant_delete", PHASE_MANAGE, SCOPE_VAULT_ADMIN, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_MANAGE | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_UPN,
	  N_("Grant an administrator delete, for a short time"),
	  N_("Deleting a key destroys data. Delete is granted only for a clear, recorded reason "
	     "and a short, recorded time, and revoked by the step that follows."),
	  "000: Assign permissions to each key vault; 004: Assign permissions to each key vault",
	  { "vault.admins" }, NO_WAIT, EV(ev_grant_delete), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -UserPrincipalName {{upn}} "
	    "-PermissionsToKeys create,import,list,get,backup,restore,delete"),
	  L("az keyvault set-policy --name {{vault}} --upn {{upn}} "
	    "--key-permissions create import list get backup restore delete"), NULL, 1, 0 },
	{ "manage.revoke_delete", PHASE_MANAGE, SCOPE_VAULT_ADMIN, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_MANAGE | SD_WITNESS, WLM_ALL, CONFIRM_NONE,
	  N_("Revoke the administrator's delete permission"),
	  N_("Ends the short-term grant: the administrator is back to the day-to-day set."),
	  "000: Assign permissions to each key vault; 004: Assign permissions to each key vault",
	  { "manage.grant_delete" }, NO_WAIT, EV(ev_revoke_delete), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -UserPrincipalName {{upn}} "
	    "-PermissionsToKeys create,import,list,get,backup,restore",
	    "Get-AzKeyVault -VaultName {{vault}}"),
	  L("az keyvault set-policy --name {{vault}} --upn {{upn}} "
	    "--key-permissions create import list get backup restore",
	    "az keyvault show --name {{vault}} --query properties.accessPolicies --output jsonc"),
	  NULL, 1, 0 },
	{ "manage.remove_admin", PHASE_MANAGE, SCOPE_VAULT_ADMIN, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_MANAGE | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_UPN,
	  N_("Remove an administrator's permissions"),
	  N_("When someone leaves the team, their access to the keys leaves with them."),
	  "004: Manage key vault permissions",
	  { "vault.admins" }, NO_WAIT, EV(ev_remove_admin), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Get-AzKeyVault -VaultName {{vault}}",
	    "Remove-AzKeyVaultAccessPolicy -VaultName {{vault}} -UserPrincipalName {{upn}}"),
	  L("az keyvault show --name {{vault}} --query properties.accessPolicies --output jsonc",
	    "az keyvault delete-policy --name {{vault}} --upn {{upn}}"), NULL, 1, 0 },
	{ "manage.find_dep", PHASE_MANAGE, SCOPE_MAILBOX, OWNER_TENANT, SD_MANAGE,
	  WLM(WL_EXCHANGE), CONFIRM_NONE, N_("Find the DEP assigned to the mailbox"),
	  N_("Mailbox statistics give the DEP only as a GUID; the second command turns it into "
	     "the policy's name."),
	  "004: Determine the DEP assigned to a mailbox",
	  { "dep.exchange.assign" }, NO_WAIT, EV(ev_find_dep), CHECK_NONE, SESS_EXO,
	  L("Get-MailboxStatistics -Identity {{mailbox}} | Format-List DataEncryptionPolicyID",
	    "Get-DataEncryptionPolicy -Identity {{ev:manage.find_dep:-:dep_guid}}"),
	  NULL, NULL, 1, 0 },
};

const size_t steps_manage_table_len = CK_ARRAY_LEN(steps_manage_table);

/* Walk order: the ceremony (the HSM steps between the vaults' and the DEPs'),
 * then the management tasks (the HSM ones first: the refresh tasks need
 * manage.roll earlier), then offboarding. */
size_t steps_def_count(void)
{
	return steps_table_len + steps_hsm_table_len + steps_keys_table_len +
	       steps_hsm_manage_table_len + steps_manage_table_len + steps_offboard_table_len;
}

const struct step_def *steps_def_at(size_t i)
{
	if (i < steps_table_len)
		return &steps_table[i];
	i -= steps_table_len;
	if (i < steps_hsm_table_len)
		return &steps_hsm_table[i];
	i -= steps_hsm_table_len;
	if (i < steps_keys_table_len)
		return &steps_keys_table[i];
	i -= steps_keys_table_len;
	if (i < steps_hsm_manage_table_len)
		return &steps_hsm_manage_table[i];
	i -= steps_hsm_manage_table_len;
	if (i < steps_manage_table_len)
		return &steps_manage_table[i];
	i -= steps_manage_table_len;
	return i < steps_offboard_table_len ? &steps_offboard_table[i] : NULL;
}

const struct step_def *steps_def_find_in(const char *template_id, unsigned version)
{
	/* An id both forms share (key.create, manage.roll, ...) finds the vault
	 * form: the permission tables that ask speak access policies. */
	const struct step_def *hsm = NULL;
	for (size_t i = 0; i < steps_def_count(); i++) {
		const struct step_def *d = steps_def_at(i);
		if (!d || strcmp(d->id, template_id) != 0 || !steps_def_in(d, version))
			continue;
		if (!(d->flags & SD_HSM))
			return d;
		if (!hsm)
			hsm = d;
	}
	return hsm;
}

const struct step_def *steps_def_find(const char *template_id)
{
	return steps_def_find_in(template_id, STEPS_CATALOGUE_VERSION);
}
