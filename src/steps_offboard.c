/* steps_offboard.c: management tasks of catalogue version 2 beyond the
 * seeds, from Microsoft's "Manage Customer Key" (doc/steps.md names the
 * sources): the second key-roll method (replacing the keys), mail users in
 * hybrid set-ups, unassigning, disabling a DEP, the inventory; then
 * offboarding and the data purge path, a ceremony of its own under dual
 * control where every step is critical, witnessed, says what cannot be
 * undone, and is confirmed by typing the tenant's domain. Same format as
 * steps_table.c; made into instances only with the management tasks. */
#include "ck.h"
#include "steps_int.h"

#define OFFBOARD (SD_MANAGE | SD_WITNESS | SD_CRITICAL)
#define OFFBOARD_TASK (OFFBOARD | SD_OFFBOARD)

static const struct evidence_spec ev_replace[] = {
	{ "new_uri_A", EV_NEW_KEY_URI, N_("Versionless URI of the new key in side A's vault"),
	  N_("https://<vault>.vault.azure.net/keys/<new key>, as Add-AzKeyVaultKey printed it"),
	  false, NULL, NULL },
	{ "new_uri_B", EV_NEW_KEY_URI, N_("Versionless URI of the new key in side B's vault"),
	  N_("the same for side B"), false, NULL, NULL },
	{ "replaced", EV_CONFIRM, N_("The policy lists the two new keys"),
	  N_("keep the old keys enabled: older content still needs them"), false, NULL, NULL },
};
static const struct evidence_spec ev_mailuser[] = {
	{ "mail_user", EV_TEXT, N_("The mail user (hybrid) to assign"),
	  N_("its identity: address or alias"), false, NULL, NULL },
	{ "assigned", EV_CONFIRM, N_("Get-MailUser shows the policy"), NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_unassign[] = {
	{ "reason", EV_TEXT, N_("Why the mailbox leaves the policy"), NULL, false, NULL, NULL },
	{ "unassigned", EV_CONFIRM, N_("The mailbox shows no DataEncryptionPolicyID"), NULL, false,
	  NULL, NULL },
};
static const struct evidence_spec ev_disable[] = {
	{ "reason", EV_TEXT, N_("Why the policy is disabled"), NULL, false, NULL, NULL },
	{ "disabled", EV_CONFIRM, N_("Get-DataEncryptionPolicy shows Enabled False"), NULL, false,
	  NULL, NULL },
};
static const struct evidence_spec ev_inventory[] = {
	{ "listing", EV_TEXT, N_("What the inventory commands printed"),
	  N_("paste it whole: the record of every policy and its keys"), false, NULL, NULL },
};
static const struct evidence_spec ev_off_revoke[] = {
	{ "reason", EV_TEXT, N_("Why the tenant leaves Customer Key"),
	  N_("the decision and who took it"), false, NULL, NULL },
	{ "revoked", EV_CONFIRM, N_("The listing shows the service principal without wrapKey and "
				    "unwrapKey"), NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_off_purge[] = {
	{ "purge_reason", EV_TEXT, N_("Reason given to Microsoft for the purge"), NULL, false, NULL,
	  NULL },
	{ "purge_contact", EV_TEXT, N_("Contact Microsoft will call about the purge"),
	  N_("a person and an address who can answer for the organisation"), false, NULL, NULL },
	{ "requested", EV_CONFIRM, N_("Set-DataEncryptionPolicy ran without error"), NULL, false,
	  NULL, NULL },
};
static const struct evidence_spec ev_off_document[] = {
	{ "officer", EV_TEXT, N_("The officer who signed the purge document"),
	  N_("one of the officers named at onboarding: nobody else can authorise it"), false, NULL,
	  NULL },
	{ "document", EV_TEXT, N_("Where the signed document is kept, and its reference"), NULL,
	  false, NULL, NULL },
	{ "sent", EV_CONFIRM, N_("The signed document went to Microsoft"), NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_off_case[] = {
	{ "case", EV_TEXT, N_("Microsoft support case for the offboarding"),
	  N_("the case number and what Microsoft confirmed"), false, NULL, NULL },
	{ "confirmed", EV_CONFIRM, N_("Microsoft confirmed the offboarding"), NULL, false, NULL,
	  NULL },
};

const struct step_def steps_offboard_table[] = {
	/* The second roll method: replace the keys. */
	{ "manage.replace.exchange", PHASE_MANAGE, SCOPE_DEP, OWNER_TENANT, OFFBOARD,
	  WLM(WL_EXCHANGE), CONFIRM_DEP, N_("Roll by replacing the Exchange DEP's keys"),
	  N_("Microsoft documents two ways to roll: a new version of the same keys and a refresh "
	     "(the roll task), or new keys in both vaults that replace the old ones in the policy. "
	     "Create and back up the new keys first. Outage warning: Microsoft 365 falls back to "
	     "the availability key only when a key is lost, not when access is denied: the new "
	     "keys need the service principal's wrapKey, unwrapKey and get before this runs, and "
	     "the old keys stay enabled."),
	  "Microsoft: Roll or rotate a customer key (replace the keys; could not be read this "
	  "session)",
	  { "key.backup" }, NO_WAIT, EV(ev_replace), CHECK_NONE, SESS_EXO,
	  L("Set-DataEncryptionPolicy -Identity {{dep_name}} -Replace -AzureKeyIDs "
	    "{{ev:manage.replace.exchange:-:new_uri_A}}, {{ev:manage.replace.exchange:-:new_uri_B}}",
	    "Get-DataEncryptionPolicy -Identity {{dep_name}} | Format-List Name, AzureKeyIDs"),
	  NULL, NULL, 2, 0 },
	{ "manage.replace.multi", PHASE_MANAGE, SCOPE_DEP, OWNER_TENANT, OFFBOARD, WLM(WL_MULTI),
	  CONFIRM_DEP, N_("Roll by replacing the multi-workload DEP's keys"),
	  N_("The second roll method for the multi-workload DEP: new keys in both vaults replace "
	     "the old ones. Outage warning: access-denied errors get no availability-key fallback; "
	     "grant the service principal on the new keys first and keep the old keys enabled."),
	  "Microsoft: Roll or rotate a customer key (replace the keys; could not be read this "
	  "session)",
	  { "key.backup" }, NO_WAIT, EV(ev_replace), CHECK_NONE, SESS_EXO,
	  L("Set-M365DataAtRestEncryptionPolicy -Identity {{dep_name}} -Replace -AzureKeyIDs "
	    "{{ev:manage.replace.multi:-:new_uri_A}}, {{ev:manage.replace.multi:-:new_uri_B}}",
	    "Get-M365DataAtRestEncryptionPolicy -Identity {{dep_name}}"),
	  NULL, NULL, 2, 0 },

	/* Mail users, unassigning, disabling, the inventory. */
	{ "manage.mailuser.assign", PHASE_MANAGE, SCOPE_DEP, OWNER_TENANT, SD_MANAGE | SD_WITNESS,
	  WLM(WL_EXCHANGE), CONFIRM_NONE, N_("Assign the DEP to a mail user (hybrid)"),
	  N_("In hybrid set-ups some recipients are mail users, not mailboxes: they take the "
	     "policy through Set-MailUser."),
	  "Microsoft: Manage Customer Key (could not be read this session)",
	  { "dep.exchange.create" }, NO_WAIT, EV(ev_mailuser), CHECK_NONE, SESS_EXO,
	  L("Set-MailUser -Identity {{ev:manage.mailuser.assign:-:mail_user}} "
	    "-DataEncryptionPolicy {{dep_name}}",
	    "Get-MailUser -Identity {{ev:manage.mailuser.assign:-:mail_user}} | Format-List "
	    "DataEncryptionPolicy"),
	  NULL, NULL, 2, 0 },
	{ "manage.unassign.exchange", PHASE_MANAGE, SCOPE_MAILBOX, OWNER_TENANT,
	  SD_MANAGE | SD_WITNESS, WLM(WL_EXCHANGE), CONFIRM_NONE,
	  N_("Take the mailbox out of its DEP"),
	  N_("Unassigning moves the mailbox back to Microsoft-managed keys; it moves again before "
	     "that shows, as after an assignment."),
	  "Microsoft: Manage Customer Key (could not be read this session)",
	  { "dep.exchange.assign" }, NO_WAIT, EV(ev_unassign), CHECK_NONE, SESS_EXO,
	  L("Set-Mailbox -Identity {{mailbox}} -DataEncryptionPolicy $null",
	    "Get-MailboxStatistics -Identity {{mailbox}} | Format-List DataEncryptionPolicyID"),
	  NULL, NULL, 2, 0 },
	{ "manage.dep_disable.exchange", PHASE_MANAGE, SCOPE_DEP, OWNER_TENANT, OFFBOARD,
	  WLM(WL_EXCHANGE), CONFIRM_DEP, N_("Disable the Exchange DEP"),
	  N_("A disabled policy can no longer be assigned. Outage warning: disabling is part of "
	     "leaving Customer Key, and what Microsoft does with mailboxes still assigned to it is "
	     "described on its Manage Customer Key page, which could not be read this session: "
	     "read it first, and unassign the mailboxes you mean to keep readable."),
	  "Microsoft: Manage Customer Key (could not be read this session)",
	  { "dep.exchange.create" }, NO_WAIT, EV(ev_disable), CHECK_NONE, SESS_EXO,
	  L("Set-DataEncryptionPolicy -Identity {{dep_name}} -Enabled $false",
	    "Get-DataEncryptionPolicy -Identity {{dep_name}} | Format-List Name, Enabled"),
	  NULL, NULL, 2, 0 },
	{ "manage.inventory", PHASE_MANAGE, SCOPE_ONCE, OWNER_TENANT, SD_MANAGE, WLM_ALL,
	  CONFIRM_NONE, N_("List every data encryption policy and its keys"),
	  N_("The inventory a review or an incident starts from: every DEP of each workload, "
	     "whether it is enabled, and which keys it names."),
	  "Microsoft: Manage Customer Key (could not be read this session)",
	  { "prereq.licences" }, NO_WAIT, EV(ev_inventory), CHECK_NONE, SESS_EXO,
	  L("Get-DataEncryptionPolicy | Format-List Name, Enabled, AzureKeyIDs",
	    "Get-M365DataAtRestEncryptionPolicy | Format-List Name, Enabled, AzureKeyIDs",
	    "# SharePoint, per geo after Connect-SPOService to its admin URL, and per site:",
	    "#   Get-SPODataEncryptionPolicy",
	    "#   Get-SPOSiteDataEncryptionPolicy -Identity <site URL>"),
	  NULL, NULL, 2, 0 },

	/* Offboarding and the data purge path. */
	{ "offboard.exchange.revoke", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION, OFFBOARD_TASK,
	  WLM(WL_EXCHANGE), CONFIRM_TENANT, N_("Offboard Exchange: take wrapKey and unwrapKey away"),
	  N_("IRREVERSIBLE IN EFFECT: from this moment Exchange Online cannot unwrap its keys in "
	     "this vault, and every mailbox under this DEP is unreadable for good once the purge "
	     "follows; there is no availability-key fallback for access denied. Only on the "
	     "organisation's recorded decision to leave Customer Key and purge the data."),
	  "Microsoft: Manage Customer Key, offboarding and data purge (could not be read this "
	  "session)",
	  { "vault.service" }, NO_WAIT, EV(ev_off_revoke), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -ServicePrincipalName {{app_id}} "
	    "-PermissionsToKeys get",
	    "Get-AzKeyVault -VaultName {{vault}} | Select-Object -ExpandProperty AccessPolicies"),
	  L("az keyvault set-policy --name {{vault}} --spn {{app_id}} --key-permissions get",
	    "az keyvault show --name {{vault}} --query properties.accessPolicies --output jsonc"),
	  NULL, 2, 0 },
	{ "offboard.exchange.purge_request", PHASE_MANAGE, SCOPE_DEP, OWNER_TENANT, OFFBOARD_TASK,
	  WLM(WL_EXCHANGE), CONFIRM_TENANT, N_("Offboard Exchange: request the permanent data purge"),
	  N_("IRREVERSIBLE: asks Microsoft to destroy the data under this DEP for good; nothing, "
	     "not even a key backup, brings it back afterwards. The reason and the contact are "
	     "recorded before the command can run."),
	  "Microsoft: Manage Customer Key, offboarding and data purge (could not be read this "
	  "session)",
	  { "offboard.exchange.revoke" }, NO_WAIT, EV(ev_off_purge), CHECK_NONE, SESS_EXO,
	  L("Set-DataEncryptionPolicy -Identity {{dep_name}} -PermanentDataPurgeRequested "
	    "-PermanentDataPurgeReason {{ev:offboard.exchange.purge_request:-:purge_reason}} "
	    "-PermanentDataPurgeContact {{ev:offboard.exchange.purge_request:-:purge_contact}}"),
	  NULL, NULL, 2, 0 },
	{ "offboard.exchange.purge_document", PHASE_MANAGE, SCOPE_DEP, OWNER_TENANT, OFFBOARD_TASK,
	  WLM(WL_EXCHANGE), CONFIRM_TENANT,
	  N_("Offboard Exchange: the purge document, signed by an officer"),
	  N_("IRREVERSIBLE: Microsoft purges only on a document signed by one of the officers "
	     "named at onboarding; with it, the data is destroyed for good."),
	  "Microsoft: Manage Customer Key, offboarding and data purge (could not be read this "
	  "session); 000/004: the officers chosen on the FastTrack form",
	  { "offboard.exchange.purge_request" }, NO_WAIT, EV(ev_off_document), CHECK_NONE,
	  SESS_NONE, NULL, NULL, NULL, 2, 0 },
	{ "offboard.sharepoint.revoke", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION, OFFBOARD_TASK,
	  WLM(WL_SHAREPOINT), CONFIRM_TENANT,
	  N_("Offboard SharePoint: the administrators revoke, then Microsoft purges"),
	  N_("IRREVERSIBLE IN EFFECT: SharePoint and OneDrive lose access to this key at once "
	     "(no availability-key fallback for access denied); Microsoft then completes the "
	     "purge through the case recorded here."),
	  "Microsoft: Manage Customer Key, offboarding and data purge (could not be read this "
	  "session)",
	  { "vault.service" }, NO_WAIT, EV(ev_off_case), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Remove-AzKeyVaultAccessPolicy -VaultName {{vault}} -ServicePrincipalName {{app_id}}",
	    "Get-AzKeyVault -VaultName {{vault}} | Select-Object -ExpandProperty AccessPolicies"),
	  L("az keyvault delete-policy --name {{vault}} --spn {{app_id}}",
	    "az keyvault show --name {{vault}} --query properties.accessPolicies --output jsonc"),
	  NULL, 2, 0 },
	{ "offboard.multi.support", PHASE_MANAGE, SCOPE_DEP, OWNER_TENANT, OFFBOARD_TASK, WLM(WL_MULTI),
	  CONFIRM_TENANT, N_("Offboard the multi-workload DEP through Microsoft support"),
	  N_("IRREVERSIBLE once Microsoft acts: the multi-workload DEP has no purge command of its "
	     "own; leaving goes through a support case, and what Microsoft confirms is recorded."),
	  "Microsoft: Manage Customer Key, offboarding (could not be read this session)",
	  { "dep.multi.assign" }, NO_WAIT, EV(ev_off_case), CHECK_NONE, SESS_NONE, NULL, NULL,
	  NULL, 2, 0 },
};
const size_t steps_offboard_table_len = CK_ARRAY_LEN(steps_offboard_table);
