/* steps_table.c: every step of the Customer Key procedure, as data.
 *
 * Sources (doc/sources.md): 000 = "Set up Customer Key" (2023), 004 =
 * "Controlling your data in Office 365 using Customer Key" (2018). Where they
 * disagree the 2023 text stands (order: FastTrack before the retention
 * period); the 2018 text's extra detail still counts (provider registration,
 * backups offline, validation, DEPs, management tasks). doc/sources.md lists what
 * changed since: RBAC on by default, soft delete always on, purge protection,
 * Connect-ExchangeOnline, the multi-workload cmdlets.
 *
 * Order here is procedure order: instances are made template by template,
 * and a template's prerequisites are always earlier templates. The
 * management tasks follow, in steps_manage.c (steps_def_at() walks both).
 *
 * Command lines: see steps_render.c for the {{variable}} syntax. Every value
 * substituted is quoted for its shell; literal text here is trusted. */
#include "ck.h"
#include "steps_int.h"



/* ---- Evidence specs ------------------------------------------------------ */
static const struct evidence_spec ev_licences[] = {
	{ "licences", EV_CONFIRM, N_("Customer Key licences are in place"),
	  N_("Office 365 E5, Microsoft 365 E5, E5 Compliance, E5 Information Protection & "
	     "Governance, or Security and Compliance for FLW (Advanced Compliance still counts)"),
	  false, NULL, NULL },
};
static const struct evidence_spec ev_tools[] = {
	{ "az_version", EV_TEXT, N_("Az module version shown"),
	  N_("paste the version line: 4.4.0 or later"), false, NULL, NULL },
};
static const struct evidence_spec ev_subscription[] = {
	{ "subscription_id", EV_GUID, N_("Subscription ID as Azure shows it"),
	  N_("must be the plan's subscription for this side"), false, NULL, NULL },
	{ "paid", EV_CONFIRM, N_("The subscription is paid and in the Microsoft 365 tenant"),
	  N_("not Free, Trial, Sponsorship, MSDN or Legacy Support"), false, NULL, NULL },
};
static const struct evidence_spec ev_fasttrack[] = {
	{ "fasttrack_id", EV_FASTTRACK_ID, N_("FastTrack request ID"),
	  N_("the ID the portal shows after Submit"), false, NULL, NULL },
	{ "officers", EV_CONFIRM, N_("The officers named in the plan were selected on the form"),
	  N_("they approve any permanent destruction of keys and data"), false, NULL, NULL },
};
static const struct evidence_spec ev_retention_register[] = {
	{ "registered", EV_CONFIRM, N_("Register-AzProviderFeature ran without error"),
	  N_("RegistrationState reads Registering or Pending"), false, NULL, NULL },
};
static const struct evidence_spec ev_retention_check[] = {
	{ "feature_output", EV_TEXT, N_("Get-AzProviderFeature output"),
	  N_("paste it whole: it goes into the onboarding e-mail"), false, NULL, NULL },
};
static const struct evidence_spec ev_email[] = {
	{ "sent_on", EV_DATE, N_("Date the e-mail was sent"), N_("YYYY-MM-DD"), false, NULL, NULL },
	{ "sent", EV_CONFIRM, N_("Sent to the alias shown, with the drafted subject and body"),
	  NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_registered[] = {
	{ "registered", EV_CONFIRM, N_("RegistrationState reads Registered"), NULL, false, NULL,
	  NULL },
};
static const struct evidence_spec ev_provider[] = {
	{ "provider", EV_CONFIRM, N_("Microsoft.KeyVault reads Registered"), NULL, false, NULL,
	  NULL },
};
static const struct evidence_spec ev_rg[] = {
	{ "created", EV_CONFIRM, N_("ProvisioningState reads Succeeded in the planned region"),
	  NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_vault[] = {
	{ "created", EV_CONFIRM,
	  N_("Vault created: premium SKU, purge protection on, 90-day retention, RBAC off"), NULL,
	  false, NULL, NULL },
};
static const struct evidence_spec ev_admins[] = {
	{ "granted", EV_CONFIRM,
	  N_("Each administrator has create, import, list, get, backup, restore and no delete"),
	  NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_contributors[] = {
	{ "granted", EV_CONFIRM, N_("Each contributor holds the Contributor role on the vault"),
	  NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_service[] = {
	{ "granted", EV_CONFIRM, N_("The Microsoft 365 service principal has wrapKey, unwrapKey, get"),
	  NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_access_check[] = {
	{ "checked", EV_CONFIRM,
	  N_("Permissions to Keys of the service shows wrapKey, unwrapKey, get"),
	  N_("look for the service's display name in the access policies"), false, NULL, NULL },
};
static const struct evidence_spec ev_softdelete[] = {
	{ "soft_delete", EV_CONFIRM,
	  N_("EnableSoftDelete True, retention 90 days, EnablePurgeProtection True"), NULL, false,
	  NULL, NULL },
};
static const struct evidence_spec ev_key_create[] = {
	{ "created", EV_CONFIRM, N_("Key created in the HSM with wrapKey and unwrapKey"), NULL,
	  false, NULL, NULL },
};
static const struct evidence_spec ev_key_import[] = {
	{ "source", EV_CHOICE, N_("How the key was added"),
	  N_("import: generated in your own HSM and transferred"), false, "import", NULL },
	{ "attestation", EV_TEXT, N_("Reference to the HSM vendor's attestation"),
	  N_("where the attestation files are kept, and their identifiers"), false, NULL, NULL },
	{ "imported", EV_CONFIRM, N_("The key is in the vault with wrapKey and unwrapKey"), NULL,
	  false, NULL, NULL },
};
static const struct evidence_spec ev_expiry[] = {
	{ "expiry", EV_CHOICE, N_("Expires reads"), N_("none, or 9999-12-31 after the fix"), false,
	  "none|9999-12-31", NULL },
};
static const struct evidence_spec ev_recovery[] = {
	{ "recovery_level", EV_CONFIRM, N_("Recovery level reads Recoverable+ProtectedSubscription"),
	  N_("anything else: check the retention period and soft delete first"), false, NULL,
	  NULL },
};
const struct evidence_spec steps_ev_backup[STEPS_EV_BACKUP_N] = {
	{ "backup_file", EV_FILE_SHA256, N_("Backup file"),
	  N_("path of the .backup file just written: its SHA-256 is recorded"), false, NULL, NULL },
	{ "offline_copy", EV_SHA256, N_("SHA-256 of the offline copy"),
	  N_("computed on the copy kept off any network (safe, vault storage)"), false, NULL,
	  "backup_file" },
	{ "disaster_copy", EV_SHA256, N_("SHA-256 of the copy reachable in a disaster"),
	  N_("computed on that copy where it is stored"), false, NULL, "backup_file" },
	{ "locations", EV_TEXT, N_("Where the two copies are kept"), NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_validate[] = {
	{ "validated", EV_CONFIRM,
	  N_("Access policies show wrapKey, unwrapKey, get for the service; no expiry on the key"),
	  NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_key_uri[] = {
	{ "key_uri", EV_KEY_URI, N_("Key URI"),
	  N_("https://<vault>.vault.azure.net/keys/<key>/<version>, as printed"), false, NULL,
	  NULL },
};
static const struct evidence_spec ev_dep_create[] = {
	{ "created", EV_CONFIRM, N_("The policy was created with both key URIs"), NULL, false, NULL,
	  NULL },
};
static const struct evidence_spec ev_assign[] = {
	{ "assigned", EV_CONFIRM, N_("The policy is assigned"), NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_mailbox_verify[] = {
	{ "is_encrypted", EV_CHOICE, N_("IsEncrypted reads"),
	  N_("False a week after assignment: run the move request shown"), false, "True|False",
	  NULL },
};
static const struct evidence_spec ev_spo_verify[] = {
	{ "state", EV_CHOICE, N_("State reads"), N_("Registering (with %) or Registered"), false,
	  "Registering|Registered", NULL },
};
static const struct evidence_spec ev_multi_verify[] = {
	{ "assignment", EV_TEXT, N_("Get-M365DataAtRestEncryptionPolicyAssignment output"), NULL,
	  false, NULL, NULL },
};

/* ---- The catalogue --------------------------------------------------------- */
const struct step_def steps_table[] = {
	/* Prepare */
	{ "prereq.licences", PHASE_PREPARE, SCOPE_ONCE, OWNER_TENANT, 0, WLM_ALL, CONFIRM_NONE,
	  N_("Confirm Customer Key licences"),
	  N_("Customer Key is part of the E5-level licences only; without them Microsoft will "
	     "not onboard the tenant, and every later step is wasted effort."),
	  "000: Before you set up Customer Key; 004: Before you begin setting up Customer Key",
	  { NULL }, NO_WAIT, EV(ev_licences), CHECK_NONE, SESS_NONE, NULL, NULL, NULL },
	{ "prereq.tools", PHASE_PREPARE, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, 0, WLM_ALL,
	  CONFIRM_NONE, N_("Check Azure PowerShell on your workstation"),
	  N_("The commands assume the Az module 4.4.0 or later (or a current Azure CLI); older "
	     "modules lack parameters the vault and key steps use."),
	  "000: Overview of steps to set up Customer Key; 004: Overview of setting up Customer Key",
	  { "prereq.licences" }, NO_WAIT, EV(ev_tools), CHECK_NONE, SESS_NONE,
	  L("Get-InstalledModule -Name Az | Select-Object Name, Version",
	    "Connect-AzAccount -Tenant {{tenant_id}}"),
	  L("az version", "az login --tenant {{tenant_id}}"), NULL },
	{ "sub.create", PHASE_PREPARE, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Create your Azure subscription for Customer Key"),
	  N_("Each DEP needs two keys in two subscriptions held by two different people, so that "
	     "no single operator can delete or mismanage every key. The subscription must be "
	     "paid, new, used for nothing else, and in the same Entra tenant as Microsoft 365."),
	  "000: Create two new Azure subscriptions; 004: Create two new Azure subscriptions",
	  { "prereq.tools" }, NO_WAIT, EV(ev_subscription), CHECK_NONE, SESS_NONE,
	  L("Get-AzSubscription -SubscriptionId {{sub}} | Format-List Name, Id, TenantId, State"),
	  L("az account show --subscription {{sub}} --output jsonc"), NULL },

	/* Onboard with Microsoft */
	{ "fasttrack.request", PHASE_ONBOARD, SCOPE_WORKLOAD, OWNER_TENANT, SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Submit the FastTrack offer request"),
	  N_("Microsoft tracks Customer Key through a FastTrack offer, one per DEP type. The "
	     "officers you select on the form are the only people who can later approve the "
	     "permanent destruction of keys and data: choose them with care."),
	  "000: Submit a request to activate Customer Key for Office 365; 004: Submit a request "
	  "to activate Customer Key for Office 365",
	  { "sub.create" }, NO_WAIT, EV(ev_fasttrack), CHECK_NONE, SESS_NONE, NULL, NULL,
	  steps_fasttrack_text },
	{ "retention.register", PHASE_ONBOARD, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, SD_WITNESS,
	  WLM_ALL, CONFIRM_NONE, N_("Register the mandatory retention period"),
	  N_("The mandatory retention period (once called \"Do Not Cancel\") stops anyone "
	     "cancelling the subscription at once, which would take the keys with it. Microsoft "
	     "finalises it only after you have registered the feature yourself."),
	  "000: Register Azure subscriptions to use a mandatory retention period; 004: Register "
	  "Azure subscriptions to use a mandatory retention period",
	  { "fasttrack.request" }, NO_WAIT, EV(ev_retention_register), CHECK_FEATURE_STATE, SESS_AZ,
	  L("Register-AzProviderFeature -FeatureName 'mandatoryRetentionPeriodEnabled' "
	    "-ProviderNamespace 'Microsoft.Resources'"),
	  L("az feature register --namespace 'Microsoft.Resources' "
	    "--name 'mandatoryRetentionPeriodEnabled'"), NULL },
	{ "retention.check", PHASE_ONBOARD, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, 0, WLM_ALL,
	  CONFIRM_NONE, N_("Record the retention period's state for Microsoft"),
	  N_("Microsoft wants the feature's state for each subscription in the onboarding "
	     "e-mail; recording it here puts it in the draft word for word."),
	  "000: Contact the corresponding Microsoft alias to proceed with the process",
	  { "retention.register" }, NO_WAIT, EV(ev_retention_check), CHECK_FEATURE_STATE, SESS_AZ,
	  L("Get-AzProviderFeature -ProviderNamespace 'Microsoft.Resources' "
	    "-FeatureName 'mandatoryRetentionPeriodEnabled'"),
	  L("az feature show --namespace 'Microsoft.Resources' "
	    "--name 'mandatoryRetentionPeriodEnabled' --output table"), NULL },
	{ "onboard.email", PHASE_ONBOARD, SCOPE_WORKLOAD, OWNER_TENANT, SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("E-mail Microsoft to finalise onboarding"),
	  N_("Microsoft finalises the retention period and the Customer Key onboarding only when "
	     "asked by e-mail, with the FastTrack request IDs, the subscription IDs and the "
	     "feature state. Its promise is five business days from then."),
	  "000: Contact the corresponding Microsoft alias to proceed with the process; 004: "
	  "Register Azure subscriptions to use a mandatory retention period (step 3)",
	  { "fasttrack.request", "retention.check" },
	  { WAIT_EVENT, 0, N_("Microsoft confirms the retention period and onboarding"), 5 },
	  EV(ev_email), CHECK_NONE, SESS_NONE, NULL, NULL, steps_email_text },
	{ "retention.verify", PHASE_ONBOARD, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, 0, WLM_ALL,
	  CONFIRM_NONE, N_("Verify the retention period is Registered"),
	  N_("Until the state reads Registered the subscription can still be cancelled, and keys "
	     "in it will not show the recovery level Microsoft 365 requires."),
	  "000: Verify the status of each your Azure Subscriptions; 004: Register Azure "
	  "subscriptions to use a mandatory retention period (step 4)",
	  { "onboard.email" }, NO_WAIT, EV(ev_registered), CHECK_FEATURE_STATE, SESS_AZ,
	  L("Get-AzProviderFeature -ProviderNamespace 'Microsoft.Resources' "
	    "-FeatureName 'mandatoryRetentionPeriodEnabled'"),
	  L("az feature show --namespace 'Microsoft.Resources' "
	    "--name 'mandatoryRetentionPeriodEnabled' --query properties.state"), NULL },

	/* Key vaults */
	{ "provider.register", PHASE_VAULTS, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, 0, WLM_ALL,
	  CONFIRM_NONE, N_("Register the Microsoft.KeyVault resource provider"),
	  N_("The subscription can only hold key vaults once the Key Vault provider is "
	     "registered; the 2018 procedure does it right after the retention period."),
	  "004: Register Azure subscriptions to use a mandatory retention period (step 5)",
	  { "retention.verify" }, NO_WAIT, EV(ev_provider), CHECK_PROVIDER_STATE, SESS_AZ,
	  L("Register-AzResourceProvider -ProviderNamespace 'Microsoft.KeyVault'",
	    "Get-AzResourceProvider -ProviderNamespace 'Microsoft.KeyVault' | "
	    "Select-Object ProviderNamespace, RegistrationState"),
	  L("az provider register --namespace 'Microsoft.KeyVault' --wait",
	    "az provider show --namespace 'Microsoft.KeyVault' --query registrationState"), NULL },
	{ "rg.create", PHASE_VAULTS, SCOPE_RG, OWNER_SUBSCRIPTION, 0, WLM_ALL, CONFIRM_NONE,
	  N_("Create the resource group"),
	  N_("Vaults live in resource groups; keeping Customer Key's in their own groups lets "
	     "the same small set of administrators manage exactly these resources."),
	  "000: Create a premium Azure Key Vault in each subscription; 004: Create a premium "
	  "Azure Key Vault in each subscription",
	  { "provider.register" }, NO_WAIT, EV(ev_rg), CHECK_RESOURCE_GROUP, SESS_AZ,
	  L("New-AzResourceGroup -Name {{rg}} -Location {{rg_region}}"),
	  L("az group create --name {{rg}} --location {{rg_region}}"), NULL },
	{ "vault.create", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_WITNESS | SD_CRITICAL,
	  WLM_ALL, CONFIRM_VAULT, N_("Create the premium key vault"),
	  N_("One vault per DEP per subscription, premium so keys live in an HSM. Purge "
	     "protection and 90-day soft delete cannot be undone once set, which is the point: "
	     "nobody can destroy a key for good in a hurry. Access-policy mode must be chosen "
	     "explicitly, since new vaults default to RBAC and would ignore the access policies "
	     "that follow. Vault names are global: if the name is taken, amend the plan."),
	  "000: Create a premium Azure Key Vault in each subscription; 004: Create a premium "
	  "Azure Key Vault in each subscription",
	  { "rg.create" }, NO_WAIT, EV(ev_vault), CHECK_VAULT, SESS_AZ,
	  L("New-AzKeyVault -VaultName {{vault}} -ResourceGroupName {{rg}} -Location {{region}} "
	    "-Sku {{sku_ps}} -EnablePurgeProtection -SoftDeleteRetentionInDays {{retention}} "
	    "-DisableRbacAuthorization"),
	  L("az keyvault create --name {{vault}} --resource-group {{rg}} --location {{region}} "
	    "--sku {{sku}} --retention-days {{retention}} --enable-purge-protection true "
	    "--enable-rbac-authorization false"), NULL },
	{ "vault.admins", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Grant the key vault administrators their permissions"),
	  N_("Administrators do the day-to-day work: create, import, list, get, backup and "
	     "restore. Delete is left out on purpose: deleting a key destroys data, so it is "
	     "granted only for a short, recorded time when really needed."),
	  "000: Assign permissions to each key vault; 004: Assign permissions to each key vault",
	  { "vault.create" }, NO_WAIT, EV(ev_admins), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("@admins Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -UserPrincipalName {{upn}} "
	    "-PermissionsToKeys create,import,list,get,backup,restore"),
	  L("@admins az keyvault set-policy --name {{vault}} --upn {{upn}} "
	    "--key-permissions create import list get backup restore"), NULL },
	{ "vault.contributors", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_WITNESS | SD_CONTRIB, WLM_ALL,
	  CONFIRM_NONE, N_("Give the key vault contributors the Contributor role"),
	  N_("Contributors change the permissions on the vault itself, when people join or leave "
	     "or when delete must be granted briefly. The subscription's creator holds this role "
	     "already; the plan names who else does."),
	  "000: Assign permissions to each key vault; 004: Assign permissions to each key vault",
	  { "vault.create" }, NO_WAIT, EV(ev_contributors), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("@contributors New-AzRoleAssignment -SignInName {{upn}} -RoleDefinitionName 'Contributor' "
	    "-Scope {{vault_id}}"),
	  L("@contributors az role assignment create --assignee {{upn}} --role 'Contributor' "
	    "--scope {{vault_id}}"), NULL },
	{ "vault.service", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Let the Microsoft 365 service use the vault"),
	  N_("Microsoft 365 wraps and unwraps its data keys with yours through the workload's "
	     "own service principal; without wrapKey, unwrapKey and get it cannot encrypt "
	     "anything, and with the wrong principal it is the wrong service."),
	  "000: Assign permissions to each key vault; 004: Assign permissions to each key vault",
	  { "vault.admins" }, NO_WAIT, EV(ev_service), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -PermissionsToKeys wrapKey,unwrapKey,get "
	    "-ServicePrincipalName {{app_id}}"),
	  L("az keyvault set-policy --name {{vault}} --spn {{app_id}} "
	    "--key-permissions wrapKey unwrapKey get"), NULL },
	{ "vault.access_check", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, 0, WLM_ALL,
	  CONFIRM_NONE, N_("Check the vault's access policies"),
	  N_("A typo in a permission or a principal shows up only here, before any key depends "
	     "on it. The service is listed under its display name."),
	  "000: Assign permissions to each key vault",
	  { "vault.service" }, NO_WAIT, EV(ev_access_check), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Get-AzKeyVault -VaultName {{vault}} | Format-List",
	    "# Expect {{app_name}} with Permissions to Keys: wrapKey, unwrapKey, get"),
	  L("az keyvault show --name {{vault}} --query properties.accessPolicies --output jsonc",
	    "# Expect object of {{app_name}} ({{app_id}}) with wrapKey, unwrapKey, get"), NULL },
	{ "vault.softdelete", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, 0, WLM_ALL,
	  CONFIRM_NONE, N_("Confirm soft delete and purge protection"),
	  N_("Soft delete lets a deleted key or vault be recovered for 90 days without touching "
	     "a backup; purge protection stops anyone shortening that. New vaults always have "
	     "soft delete, so this is a check; the old recipe is only for a vault that fails it."),
	  "000: Make sure soft delete is enabled on your key vaults; 004: Enable and then confirm "
	  "soft delete on your key vaults",
	  { "vault.create" }, NO_WAIT, EV(ev_softdelete), CHECK_VAULT, SESS_AZ,
	  L("Get-AzKeyVault -VaultName {{vault}} | Select-Object VaultName, EnableSoftDelete, "
	    "SoftDeleteRetentionInDays, EnablePurgeProtection, EnableRbacAuthorization",
	    "# Only if EnableSoftDelete is not True (a vault from before soft delete was forced):",
	    "#   $v = Get-AzKeyVault -VaultName {{vault}}",
	    "#   $r = Get-AzResource -ResourceId $v.ResourceId",
	    "#   $r.Properties | Add-Member -MemberType NoteProperty -Name enableSoftDelete -Value 'True'",
	    "#   Set-AzResource -ResourceId $r.ResourceId -Properties $r.Properties",
	    "# Only if EnablePurgeProtection is not True:",
	    "#   Update-AzKeyVault -VaultName {{vault}} -ResourceGroupName {{rg}} -EnablePurgeProtection"),
	  L("az keyvault show --name {{vault}} --query \"{softDelete:properties.enableSoftDelete, "
	    "retentionDays:properties.softDeleteRetentionInDays, "
	    "purgeProtection:properties.enablePurgeProtection, "
	    "rbac:properties.enableRbacAuthorization}\"",
	    "# Only if purgeProtection is not true:",
	    "#   az keyvault update --name {{vault}} --resource-group {{rg}} --enable-purge-protection true"),
	  NULL },

	/* Keys */
	{ "key.create", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_WITNESS | SD_CRITICAL | SD_CREATE, WLM_ALL, CONFIRM_KEY,
	  N_("Create the key in the vault's HSM"),
	  N_("This is the root key Microsoft 365 will wrap your data with. RSA only (elliptic "
	     "curve keys cannot wrap), HSM-protected on a premium vault, and allowed to wrap and "
	     "unwrap. Name it after its vault so any tool's listing explains itself."),
	  "000: Add a key to each key vault either by creating or importing a key; 004: Add a key "
	  "to each key vault either by creating or importing a key",
	  { "vault.access_check", "vault.softdelete" }, NO_WAIT, EV(ev_key_create), CHECK_KEY,
	  SESS_AZ,
	  L("Add-AzKeyVaultKey -VaultName {{vault}} -Name {{key}} -Destination {{destination}} "
	    "-KeyType 'RSA' -Size {{size}} -KeyOps wrapKey,unwrapKey"),
	  L("az keyvault key create --vault-name {{vault}} --name {{key}} --protection {{protection}} "
	    "--kty {{kty}} --size {{size}} --ops wrapKey unwrapKey"), NULL },
	{ "key.import", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_WITNESS | SD_CRITICAL | SD_IMPORT, WLM_ALL, CONFIRM_KEY,
	  N_("Import the key (BYOK) and record its attestation"),
	  N_("Importing lets you prove where the key was generated, through the HSM vendor's "
	     "attestations. The transfer itself follows the vendor's and Azure's current "
	     "instructions, which are outside these documents: record the choice and where the "
	     "attestation is kept, then check the key is there."),
	  "000: Add a key to each key vault either by creating or importing a key; 004: Add a key "
	  "to each key vault either by creating or importing a key",
	  { "vault.access_check", "vault.softdelete" }, NO_WAIT, EV(ev_key_import), CHECK_KEY,
	  SESS_AZ,
	  L("# Import with your HSM vendor's toolset and Azure's BYOK instructions, then:",
	    "Get-AzKeyVaultKey -VaultName {{vault}} -Name {{key}} | Format-List"),
	  L("# Import with your HSM vendor's toolset and Azure's BYOK instructions, then:",
	    "az keyvault key show --vault-name {{vault}} --name {{key}} --output jsonc"), NULL },
	{ "key.expiry", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, 0, WLM_ALL, CONFIRM_NONE,
	  N_("Check the key has no expiry date"),
	  N_("Microsoft 365 cannot use an expired key, and operations with one fail: an outage. "
	     "An expiry cannot be removed once set, only moved; anything but 12/31/9999 fails "
	     "Microsoft's validation."),
	  "000: Verify expiration date of your keys; 004: Validate Azure Key Vault configuration "
	  "settings",
	  { "key.create", "key.import" }, NO_WAIT, EV(ev_expiry), CHECK_KEY_EXPIRY, SESS_AZ,
	  L("Get-AzKeyVaultKey -VaultName {{vault}} -Name {{key}} | Select-Object Name, Expires",
	    "# Only if Expires is set to anything but 12/31/9999:",
	    "#   Update-AzKeyVaultKey -VaultName {{vault}} -Name {{key}} "
	    "-Expires (Get-Date -Date '12/31/9999')"),
	  L("az keyvault key show --vault-name {{vault}} --name {{key}} --query attributes.expires",
	    "# Only if it is set to anything but 9999-12-31:",
	    "#   az keyvault key set-attributes --vault-name {{vault}} --name {{key}} "
	    "--expires '9999-12-31T00:00:00Z'"), NULL },
	{ "key.recovery", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, 0, WLM_ALL, CONFIRM_NONE,
	  N_("Check the key's recovery level"),
	  N_("Recoverable+ProtectedSubscription proves both protections at once: soft delete on "
	     "the vault and the retention period on the subscription. Anything else means one of "
	     "them is missing (Customized... means a retention under 90 days)."),
	  "000: Check the recovery level of your keys; 004: Check the recovery level of your keys",
	  { "key.expiry" }, NO_WAIT, EV(ev_recovery), CHECK_KEY_RECOVERY, SESS_AZ,
	  L("(Get-AzKeyVaultKey -VaultName {{vault}} -Name {{key}}).Attributes"),
	  L("az keyvault key show --vault-name {{vault}} --name {{key}} --query attributes.recoveryLevel"),
	  NULL },
	{ "key.backup", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Back up the key, offline and for a disaster"),
	  N_("A Key Vault backup is the only way back if a key is destroyed; an external copy of "
	     "an imported key does not count. Take it right after every creation or change, keep "
	     "one copy off any network and one reachable in a disaster, and record each copy's "
	     "SHA-256. It restores only into this subscription."),
	  "000: Back up Azure Key Vault; 004: Backup Azure Key Vault",
	  { "key.recovery" }, NO_WAIT, EV(steps_ev_backup), CHECK_KEY_BACKUP, SESS_AZ,
	  L("Backup-AzKeyVaultKey -VaultName {{vault}} -Name {{key}} -OutputFile {{backup_file}}",
	    "Get-FileHash -Algorithm SHA256 -Path {{backup_file}}"),
	  L("az keyvault key backup --vault-name {{vault}} --name {{key}} --file {{backup_file}}",
	    "sha256sum -- {{backup_file}}"), NULL },
	{ "vault.validate", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, 0, WLM_ALL, CONFIRM_NONE,
	  N_("Validate the vault's configuration"),
	  N_("Optional in the documents but cheap: one look at the access policies and the key "
	     "before a DEP depends on them catches what the earlier checks missed."),
	  "004: Validate Azure Key Vault configuration settings",
	  { "key.backup" }, NO_WAIT, EV(ev_validate), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Get-AzKeyVault -VaultName {{vault}}", "Get-AzKeyVaultKey -VaultName {{vault}}",
	    "# If the service's permissions are wrong:",
	    "#   Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -PermissionsToKeys "
	    "wrapKey,unwrapKey,get -ServicePrincipalName {{app_id}}"),
	  L("az keyvault show --name {{vault}} --query properties.accessPolicies --output jsonc",
	    "az keyvault key list --vault-name {{vault}} --output table"), NULL },
	{ "key.uri", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, 0, WLM_ALL, CONFIRM_NONE,
	  N_("Record the key's URI"),
	  N_("The DEPs name keys by URI, and SharePoint by version too. Recorded here, the URI is "
	     "checked against this vault and key, and later commands are filled in from it."),
	  "000: Obtain the URI for each Azure Key Vault key; 004: Obtain the URI for each Azure "
	  "Key Vault key",
	  { "vault.validate" }, NO_WAIT, EV(ev_key_uri), CHECK_KEY, SESS_AZ,
	  L("(Get-AzKeyVaultKey -VaultName {{vault}} -Name {{key}}).Id"),
	  L("az keyvault key show --vault-name {{vault}} --name {{key}} --query key.kid --output tsv"),
	  NULL },

	/* Data encryption policies (tenant-wide: the tenant administrator) */
	{ "dep.exchange.create", PHASE_DEPS, SCOPE_DEP, OWNER_TENANT, SD_WITNESS | SD_CRITICAL,
	  WLM(WL_EXCHANGE), CONFIRM_DEP, N_("Create the Exchange Online DEP"),
	  N_("The DEP ties the two keys, one per subscription and region, to a name mailboxes "
	     "can be given. Both URIs must be the ones recorded for this DEP's own vaults."),
	  "004: Create a data encryption policy (DEP) for use with Exchange Online and Skype for "
	  "Business",
	  { "key.uri" }, NO_WAIT, EV(ev_dep_create), CHECK_NONE, SESS_EXO,
	  L("New-DataEncryptionPolicy -Name {{dep_name}} -Description {{dep_desc}} "
	    "-AzureKeyIDs {{key_uri_A}}, {{key_uri_B}}"),
	  NULL, NULL },
	{ "dep.exchange.assign", PHASE_DEPS, SCOPE_MAILBOX, OWNER_TENANT, SD_WITNESS,
	  WLM(WL_EXCHANGE), CONFIRM_NONE, N_("Assign the DEP to the mailbox"),
	  N_("A mailbox has one DEP at a time. After the first assignment the mailbox moves "
	     "between databases before it is encrypted, which takes up to 72 hours."),
	  "004: Assign a DEP to a mailbox",
	  { "dep.exchange.create" }, { WAIT_HOURS, 72, NULL, 0 }, EV(ev_assign), CHECK_NONE,
	  SESS_EXO, L("Set-Mailbox -Identity {{mailbox}} -DataEncryptionPolicy {{dep_name}}"), NULL,
	  NULL },
	{ "dep.sharepoint.register", PHASE_DEPS, SCOPE_DEP, OWNER_TENANT, SD_WITNESS | SD_CRITICAL,
	  WLM(WL_SHAREPOINT), CONFIRM_DEP, N_("Register the SharePoint Online DEP for the geo"),
	  N_("One DEP covers every site and OneDrive in a geo; registering it starts encrypting "
	     "them. SharePoint names each key by vault, name and version, so the versions come "
	     "from the key URIs recorded earlier."),
	  "004: Create a data encryption policy (DEP) for each SharePoint Online and OneDrive for "
	  "Business geo",
	  { "key.uri" }, NO_WAIT, EV(ev_dep_create), CHECK_NONE, SESS_SPO,
	  L("Register-SPODataEncryptionPolicy -Identity {{admin_url}} "
	    "-PrimaryKeyVaultName {{vault_A}} -PrimaryKeyName {{key_A}} "
	    "-PrimaryKeyVersion {{ev:key.uri:A:key_uri:version}} "
	    "-SecondaryKeyVaultName {{vault_B}} -SecondaryKeyName {{key_B}} "
	    "-SecondaryKeyVersion {{ev:key.uri:B:key_uri:version}}"),
	  NULL, NULL },
	{ "dep.multi.create", PHASE_DEPS, SCOPE_DEP, OWNER_TENANT, SD_WITNESS | SD_CRITICAL,
	  WLM(WL_MULTI), CONFIRM_DEP, N_("Create the multi-workload DEP"),
	  N_("The multi-workload DEP encrypts data across Microsoft 365 workloads for every user "
	     "of the tenant, with the two keys recorded for its vaults."),
	  "000: Next steps (Manage Customer Key)",
	  { "key.uri" }, NO_WAIT, EV(ev_dep_create), CHECK_NONE, SESS_EXO,
	  L("New-M365DataAtRestEncryptionPolicy -Name {{dep_name}} -Description {{dep_desc}} "
	    "-AzureKeyIDs {{key_uri_A}}, {{key_uri_B}}"),
	  NULL, NULL },
	{ "dep.multi.assign", PHASE_DEPS, SCOPE_DEP, OWNER_TENANT, SD_WITNESS | SD_CRITICAL,
	  WLM(WL_MULTI), CONFIRM_DEP, N_("Assign the multi-workload DEP to the tenant"),
	  N_("Assignment is what makes Microsoft 365 start using your keys for every user; from "
	     "then on the keys' availability is the tenant's availability."),
	  "000: Next steps (Manage Customer Key)",
	  { "dep.multi.create" }, NO_WAIT, EV(ev_assign), CHECK_NONE, SESS_EXO,
	  L("Set-M365DataAtRestEncryptionPolicyAssignment -DataEncryptionPolicy {{dep_name}}"),
	  NULL, NULL },

	/* Verify encryption */
	{ "dep.exchange.verify", PHASE_VERIFY, SCOPE_MAILBOX, OWNER_TENANT, 0, WLM(WL_EXCHANGE),
	  CONFIRM_NONE, N_("Check the mailbox is encrypted"),
	  N_("IsEncrypted turns True once the move and encryption are done. If it is still False "
	     "a week after the assignment, a move request makes Exchange do it."),
	  "004: Validate mailbox encryption",
	  { "dep.exchange.assign" }, NO_WAIT, EV(ev_mailbox_verify), CHECK_NONE, SESS_EXO,
	  L("Get-MailboxStatistics -Identity {{mailbox}} | Format-List IsEncrypted",
	    "# Only if still False a week after the assignment:",
	    "#   New-MoveRequest -Identity {{mailbox}}"),
	  NULL, NULL },
	{ "dep.sharepoint.verify", PHASE_VERIFY, SCOPE_DEP, OWNER_TENANT, 0, WLM(WL_SHAREPOINT),
	  CONFIRM_NONE, N_("Check the geo's encryption state"),
	  N_("The state goes from Unregistered to Registering (with a percentage of sites done) "
	     "to Registered, when every file in every site is encrypted with your keys."),
	  "004: Validate encryption of Group Sites, Team Sites, and OneDrive for Business",
	  { "dep.sharepoint.register" }, NO_WAIT, EV(ev_spo_verify), CHECK_NONE, SESS_SPO,
	  L("Get-SPODataEncryptionPolicy -Identity {{admin_url}}"), NULL, NULL },
	{ "dep.multi.verify", PHASE_VERIFY, SCOPE_DEP, OWNER_TENANT, 0, WLM(WL_MULTI), CONFIRM_NONE,
	  N_("Check the multi-workload DEP assignment"),
	  N_("The assignment shows which DEP the tenant uses; record it as the proof that the "
	     "ceremony's keys are the ones in force."),
	  "000: Next steps (Manage Customer Key)",
	  { "dep.multi.assign" }, NO_WAIT, EV(ev_multi_verify), CHECK_NONE, SESS_EXO,
	  L("Get-M365DataAtRestEncryptionPolicyAssignment"), NULL, NULL },
};

const size_t steps_table_len = CK_ARRAY_LEN(steps_table);
