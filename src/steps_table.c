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
 * and a template's prerequisites are always earlier templates. The second
 * half of the ceremony is in steps_keys.c, the management tasks follow in
 * steps_manage.c and steps_offboard.c (steps_def_at() walks them all).
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
static const struct evidence_spec ev_tools_v2[] = {
	{ "tool_version", EV_TOOL_VERSION, N_("Tool and version shown"),
	  N_("\"Az.KeyVault 6.2.1\" (PowerShell) or \"azure-cli 2.67.0\" (bash), as printed"),
	  false, NULL, NULL },
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
	{ "sent_on", EV_DATE, N_("Date the e-mail was sent"), N_("YYYY-MM-DD"), false, "past", NULL },
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
static const struct evidence_spec ev_sp_register[] = {
	{ "present", EV_CONFIRM,
	  N_("The last command lists the service principal (DisplayName, AppId, Id)"),
	  N_("nothing listed: the tenant still lacks it, and the vault policy would fail"), false,
	  NULL, NULL },
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
static const struct evidence_spec ev_access_list[] = {
	{ "policies", EV_ACCESS_LIST, N_("The vault's access policies, as the commands print them"),
	  N_("paste every line: each principal must be one the plan names, with exactly its "
	     "permissions"), false, NULL, NULL },
};
static const struct evidence_spec ev_softdelete[] = {
	{ "soft_delete", EV_CONFIRM,
	  N_("EnableSoftDelete True, retention 90 days, EnablePurgeProtection True"), NULL, false,
	  NULL, NULL },
};

/* ---- The catalogue --------------------------------------------------------- */
const struct step_def steps_table[] = {
	/* Prepare */
	{ "prereq.licences", PHASE_PREPARE, SCOPE_ONCE, OWNER_TENANT, 0, WLM_ALL, CONFIRM_NONE,
	  N_("Confirm Customer Key licences"),
	  N_("Customer Key is part of the E5-level licences only; without them Microsoft will "
	     "not onboard the tenant, and every later step is wasted effort."),
	  "000: Before you set up Customer Key; 004: Before you begin setting up Customer Key",
	  { NULL }, NO_WAIT, EV(ev_licences), CHECK_NONE, SESS_NONE, NULL, NULL, NULL, 1, 0 },
	{ "prereq.tools", PHASE_PREPARE, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, 0, WLM_ALL,
	  CONFIRM_NONE, N_("Check Azure PowerShell on your workstation"),
	  N_("The commands assume the Az module 4.4.0 or later (or a current Azure CLI); older "
	     "modules lack parameters the vault and key steps use."),
	  "000: Overview of steps to set up Customer Key; 004: Overview of setting up Customer Key",
	  { "prereq.licences" }, NO_WAIT, EV(ev_tools), CHECK_NONE, SESS_NONE,
	  L("Get-InstalledModule -Name Az | Select-Object Name, Version",
	    "Connect-AzAccount -Tenant {{tenant_id}}"),
	  L("az version", "az login --tenant {{tenant_id}}"), NULL, 1, 2 },
	{ "prereq.tools", PHASE_PREPARE, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, 0, WLM_ALL,
	  CONFIRM_NONE, N_("Check the Az.KeyVault module (or the Azure CLI) on your workstation"),
	  N_("What matters is the Key Vault module itself, not the Az rollup: the vault step's "
	     "-DisableRbacAuthorization exists only from Az.KeyVault 6.0.0 (Az 12), and an older "
	     "module refuses the command in the middle of the ceremony. The version is recorded "
	     "and compared number by number with what the commands need."),
	  "000: Overview of steps to set up Customer Key; Az.KeyVault change log (6.0.0)",
	  { "prereq.licences" }, NO_WAIT, EV(ev_tools_v2), CHECK_NONE, SESS_NONE,
	  L("Get-Module -ListAvailable -Name Az.KeyVault | Sort-Object Version -Descending | "
	    "Select-Object -First 1 Name, Version",
	    "Connect-AzAccount -Tenant {{tenant_id}}"),
	  L("az version --query '\"azure-cli\"' --output tsv", "az login --tenant {{tenant_id}}"),
	  NULL, 2, 0 },
	{ "sub.create", PHASE_PREPARE, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Create your Azure subscription for Customer Key"),
	  N_("Each DEP needs two keys in two subscriptions held by two different people, so that "
	     "no single operator can delete or mismanage every key. The subscription must be "
	     "paid, new, used for nothing else, and in the same Entra tenant as Microsoft 365."),
	  "000: Create two new Azure subscriptions; 004: Create two new Azure subscriptions",
	  { "prereq.tools" }, NO_WAIT, EV(ev_subscription), CHECK_NONE, SESS_NONE,
	  L("Get-AzSubscription -SubscriptionId {{sub}} | Format-List Name, Id, TenantId, State"),
	  L("az account show --subscription {{sub}} --output jsonc"), NULL, 1, 0 },

	/* Onboard with Microsoft */
	{ "fasttrack.request", PHASE_ONBOARD, SCOPE_WORKLOAD, OWNER_TENANT, SD_WITNESS | SD_EMAIL,
	  WLM_ALL,
	  CONFIRM_NONE, N_("Submit the FastTrack offer request"),
	  N_("Microsoft tracks Customer Key through a FastTrack offer, one per DEP type. The "
	     "officers you select on the form are the only people who can later approve the "
	     "permanent destruction of keys and data: choose them with care."),
	  "000: Submit a request to activate Customer Key for Office 365; 004: Submit a request "
	  "to activate Customer Key for Office 365",
	  { "sub.create" }, NO_WAIT, EV(ev_fasttrack), CHECK_NONE, SESS_NONE, NULL, NULL,
	  steps_fasttrack_text, 1, 0 },
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
	    "--name 'mandatoryRetentionPeriodEnabled'"), NULL, 1, 0 },
	{ "retention.check", PHASE_ONBOARD, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, 0, WLM_ALL,
	  CONFIRM_NONE, N_("Record the retention period's state for Microsoft"),
	  N_("Microsoft wants the feature's state for each subscription in the onboarding "
	     "e-mail; recording it here puts it in the draft word for word."),
	  "000: Contact the corresponding Microsoft alias to proceed with the process",
	  { "retention.register" }, NO_WAIT, EV(ev_retention_check), CHECK_FEATURE_STATE, SESS_AZ,
	  L("Get-AzProviderFeature -ProviderNamespace 'Microsoft.Resources' "
	    "-FeatureName 'mandatoryRetentionPeriodEnabled'"),
	  L("az feature show --namespace 'Microsoft.Resources' "
	    "--name 'mandatoryRetentionPeriodEnabled' --output table"), NULL, 1, 0 },
	{ "onboard.email", PHASE_ONBOARD, SCOPE_WORKLOAD, OWNER_TENANT, SD_WITNESS | SD_EMAIL,
	  WLM_ALL,
	  CONFIRM_NONE, N_("E-mail Microsoft to finalise onboarding"),
	  N_("Microsoft finalises the retention period and the Customer Key onboarding only when "
	     "asked by e-mail, with the FastTrack request IDs, the subscription IDs and the "
	     "feature state. Its promise is five business days from then."),
	  "000: Contact the corresponding Microsoft alias to proceed with the process; 004: "
	  "Register Azure subscriptions to use a mandatory retention period (step 3)",
	  { "fasttrack.request", "retention.check" },
	  { WAIT_EVENT, 0, N_("Microsoft confirms the retention period and onboarding"), 5 },
	  EV(ev_email), CHECK_NONE, SESS_NONE, NULL, NULL, steps_email_text, 1, 0 },
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
	    "--name 'mandatoryRetentionPeriodEnabled' --query properties.state"), NULL, 1, 0 },

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
	    "az provider show --namespace 'Microsoft.KeyVault' --query registrationState"), NULL, 1, 0 },
	{ "rg.create", PHASE_VAULTS, SCOPE_RG, OWNER_SUBSCRIPTION, 0, WLM_ALL, CONFIRM_NONE,
	  N_("Create the resource group"),
	  N_("Vaults live in resource groups; keeping Customer Key's in their own groups lets "
	     "the same small set of administrators manage exactly these resources."),
	  "000: Create a premium Azure Key Vault in each subscription; 004: Create a premium "
	  "Azure Key Vault in each subscription",
	  { "provider.register" }, NO_WAIT, EV(ev_rg), CHECK_RESOURCE_GROUP, SESS_AZ,
	  L("New-AzResourceGroup -Name {{rg}} -Location {{rg_region}}"),
	  L("az group create --name {{rg}} --location {{rg_region}}"), NULL, 1, 0 },
	{ "vault.create", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS | SD_WITNESS | SD_CRITICAL,
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
	    "-DisableRbacAuthorization",
	    "# New-AzKeyVault gives its caller every permission (delete and purge too): remove it",
	    "Remove-AzKeyVaultAccessPolicy -VaultName {{vault}} -ObjectId (Get-AzADUser -SignedIn).Id"),
	  L("az keyvault create --name {{vault}} --resource-group {{rg}} --location {{region}} "
	    "--sku {{sku}} --retention-days {{retention}} --enable-purge-protection true "
	    "--enable-rbac-authorization false --no-self-perms"), NULL, 1, 0 },
	{ "sp.register", PHASE_VAULTS, SCOPE_WORKLOAD, OWNER_TENANT, SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Register the Microsoft 365 service principal in the tenant"),
	  N_("A vault's access policy can only name a service principal that exists in the "
	     "tenant. Exchange's and SharePoint's are always there; M365DataAtRestEncryption, "
	     "which the multi-workload DEP uses, is missing from many tenants until someone "
	     "registers it, and then the policy step fails. Registering one that exists changes "
	     "nothing, so the command creates it only when the lookup finds none."),
	  "Microsoft: Set up Customer Key (current); Customer Key with Managed HSM",
	  { "vault.create" }, NO_WAIT, EV(ev_sp_register), CHECK_NONE, SESS_NONE,
	  L("if (-not (Get-AzADServicePrincipal -ApplicationId {{app_id}})) { "
	    "New-AzADServicePrincipal -ApplicationId {{app_id}} }",
	    "Get-AzADServicePrincipal -ApplicationId {{app_id}} | Select-Object DisplayName, AppId, Id"),
	  L("az ad sp show --id {{app_id}} --query id --output tsv || az ad sp create --id {{app_id}}",
	    "az ad sp show --id {{app_id}} --query \"{name:displayName, appId:appId, id:id}\""),
	  NULL, 2, 0 },
	{ "vault.admins", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS | SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Grant the key vault administrators their permissions"),
	  N_("Administrators do the day-to-day work: create, import, list, get, backup and "
	     "restore. Delete is left out on purpose: deleting a key destroys data, so it is "
	     "granted only for a short, recorded time when really needed."),
	  "000: Assign permissions to each key vault; 004: Assign permissions to each key vault",
	  { "vault.create" }, NO_WAIT, EV(ev_admins), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("@admins Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -UserPrincipalName {{upn}} "
	    "-PermissionsToKeys create,import,list,get,backup,restore"),
	  L("@admins az keyvault set-policy --name {{vault}} --upn {{upn}} "
	    "--key-permissions create import list get backup restore"), NULL, 1, 0 },
	{ "vault.contributors", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_WITNESS | SD_CONTRIB, WLM_ALL,
	  CONFIRM_NONE, N_("Give the key vault contributors the Contributor role"),
	  N_("Contributors change the permissions on the vault itself, when people join or leave "
	     "or when delete must be granted briefly. The subscription's creator holds this role "
	     "already; the plan names who else does. Microsoft warns that on an access-policy "
	     "vault the Contributor role can write an access policy and so give itself every key "
	     "permission: each contributor is as powerful as an administrator with delete and "
	     "purge, which is why the plan lists them deliberately and the verifier acknowledges "
	     "it (rule CK052)."),
	  "000: Assign permissions to each key vault; 004: Assign permissions to each key vault",
	  { "vault.create" }, NO_WAIT, EV(ev_contributors), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("@contributors New-AzRoleAssignment -SignInName {{upn}} -RoleDefinitionName 'Contributor' "
	    "-Scope {{vault_id}}"),
	  L("@contributors az role assignment create --assignee {{upn}} --role 'Contributor' "
	    "--scope {{vault_id}}"), NULL, 1, 0 },
	{ "vault.service", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS | SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Let the Microsoft 365 service use the vault"),
	  N_("Microsoft 365 wraps and unwraps its data keys with yours through the workload's "
	     "own service principal; without wrapKey, unwrapKey and get it cannot encrypt "
	     "anything, and with the wrong principal it is the wrong service."),
	  "000: Assign permissions to each key vault; 004: Assign permissions to each key vault",
	  { "vault.admins" }, NO_WAIT, EV(ev_service), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -PermissionsToKeys wrapKey,unwrapKey,get "
	    "-ServicePrincipalName {{app_id}}"),
	  L("az keyvault set-policy --name {{vault}} --spn {{app_id}} "
	    "--key-permissions wrapKey unwrapKey get"), NULL, 1, 0 },
	{ "vault.access_check", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS, WLM_ALL,
	  CONFIRM_NONE, N_("Check the vault's access policies"),
	  N_("A typo in a permission or a principal shows up only here, before any key depends "
	     "on it. The service is listed under its display name."),
	  "000: Assign permissions to each key vault",
	  { "vault.service" }, NO_WAIT, EV(ev_access_check), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Get-AzKeyVault -VaultName {{vault}} | Format-List",
	    "# Expect {{app_name}} with Permissions to Keys: wrapKey, unwrapKey, get"),
	  L("az keyvault show --name {{vault}} --query properties.accessPolicies --output jsonc",
	    "# Expect object of {{app_name}} ({{app_id}}) with wrapKey, unwrapKey, get"), NULL, 1, 2 },
	{ "vault.access_check", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS, WLM_ALL,
	  CONFIRM_NONE, N_("Check every access policy of the vault"),
	  N_("Every principal with a policy must be one the plan names, with exactly its "
	     "permissions: the administrators their key permissions, the Microsoft 365 service "
	     "principal wrapKey, unwrapKey and get, and nobody any secret, certificate or storage "
	     "permission. The vault's creator gets a default policy with every permission, delete "
	     "and purge included, and Set-AzKeyVaultAccessPolicy for a creator who is also an "
	     "administrator replaces only the key permissions: this is where a leftover shows."),
	  "000: Assign permissions to each key vault; Microsoft: az keyvault create "
	  "(--no-self-perms)",
	  { "vault.service" }, NO_WAIT, EV(ev_access_list), CHECK_VAULT_ACCESS, SESS_AZ,
	  L("Get-AzKeyVault -VaultName {{vault}} | Select-Object -ExpandProperty AccessPolicies | "
	    "ForEach-Object { '{0} | keys: {1} | secrets: {2} | certificates: {3} | storage: {4}' "
	    "-f $_.DisplayName, $_.PermissionsToKeysStr, $_.PermissionsToSecretsStr, "
	    "$_.PermissionsToCertificatesStr, $_.PermissionsToStorageStr }",
	    "# A principal the plan does not name (the creator):",
	    "#   Remove-AzKeyVaultAccessPolicy -VaultName {{vault}} -ObjectId <its object ID>"),
	  L("az keyvault show --name {{vault}} --query 'properties.accessPolicies[].join(`\";\"`, "
	    "[objectId, join(`\",\"`, permissions.keys || `[]`), join(`\",\"`, "
	    "permissions.secrets || `[]`), join(`\",\"`, permissions.certificates || `[]`), "
	    "join(`\",\"`, permissions.storage || `[]`)])' --output tsv | "
	    "while IFS=';' read -r oid k s c st; do "
	    "n=$(az ad user show --id \"$oid\" --query userPrincipalName --output tsv 2>/dev/null "
	    "|| az ad sp show --id \"$oid\" --query appId --output tsv); "
	    "printf '%s | keys: %s | secrets: %s | certificates: %s | storage: %s\\n' "
	    "\"$n\" \"$k\" \"$s\" \"$c\" \"$st\"; done",
	    "# A principal the plan does not name (the creator):",
	    "#   az keyvault delete-policy --name {{vault}} --object-id <its object ID>"),
	  NULL, 2, 0 },
	{ "vault.softdelete", PHASE_VAULTS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS, WLM_ALL,
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
	  NULL, 1, 0 },
	/* Keys, the onboarding service, DEPs, verification: steps_keys.c */
};

const size_t steps_table_len = CK_ARRAY_LEN(steps_table);
