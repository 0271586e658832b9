/* steps_keys.c: the second half of the ceremony's steps, as data: keys,
 * the onboarding service, the data encryption policies and the encryption
 * checks. The first half (preparation, onboarding, key vaults) is in
 * steps_table.c, with the sources and format described there;
 * steps_def_at() walks both in procedure order. */
#include "ck.h"
#include "steps_int.h"

/* ---- Evidence specs ------------------------------------------------------ */
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
static const struct evidence_spec ev_service_validate[] = {
	{ "request_id", EV_REQUEST_ID, N_("Request ID of the validation that passed"),
	  N_("as New-CustomerKeyOnboardingRequest printed it"), false, NULL, NULL },
	{ "result", EV_CHOICE, N_("Validation result"),
	  N_("passed: FailedValidations is empty. Anything listed: fix it and validate again"),
	  false, "passed", NULL },
	{ "earlier_failures", EV_TEXT, N_("FailedValidations of earlier attempts, if any"),
	  N_("paste what was listed and what was fixed; leave empty if the first passed"), true,
	  NULL, NULL },
};
static const struct evidence_spec ev_service_enable[] = {
	{ "request_id", EV_REQUEST_ID, N_("Request ID of the enable request"),
	  N_("as New-CustomerKeyOnboardingRequest printed it"), false, NULL, NULL },
	{ "result", EV_TEXT, N_("The request's state as Get-CustomerKeyOnboardingRequest shows it"),
	  N_("paste the lines it prints for this request"), false, NULL, NULL },
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
	  N_("False a week after assignment: a case for Microsoft support"), false, "True|False",
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

/* ---- The catalogue, continued ------------------------------------------- */
const struct step_def steps_keys_table[] = {
	/* Keys */
	{ "key.create", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_WITNESS | SD_CRITICAL | SD_CREATE, WLM_ALL, CONFIRM_KEY,
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
	    "--kty {{kty}} --size {{size}} --ops wrapKey unwrapKey"), NULL, 1, 0 },
	{ "key.import", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_VAULTS | SD_WITNESS | SD_CRITICAL | SD_IMPORT, WLM_ALL, CONFIRM_KEY,
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
	    "az keyvault key show --vault-name {{vault}} --name {{key}} --output jsonc"), NULL, 1, 0 },
	{ "key.expiry", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS, WLM_ALL, CONFIRM_NONE,
	  N_("Check the key has no expiry date"),
	  N_("Microsoft 365 cannot use an expired key, and operations with one fail: an outage. "
	     "An expiry cannot be removed once set, only moved; anything but 12/31/9999 fails "
	     "Microsoft's validation."),
	  "000: Verify expiration date of your keys; 004: Validate Azure Key Vault configuration "
	  "settings",
	  { "key.create", "key.import" }, NO_WAIT, EV(ev_expiry), CHECK_KEY_EXPIRY, SESS_AZ,
	  L("Get-AzKeyVaultKey -VaultName {{vault}} -Name {{key}} | Select-Object Name, Expires",
	    "# Only if Expires is set to anything but 12/31/9999 (needs keys/update, granted for",
	    "# the fix only: without it Azure answers 403), one line at a time:",
	    "#   Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -UserPrincipalName {{operator_upn}} "
	    "-PermissionsToKeys create,import,list,get,backup,restore,update",
	    "#   Update-AzKeyVaultKey -VaultName {{vault}} -Name {{key}} "
	    "-Expires (Get-Date -Date '12/31/9999')",
	    "#   Set-AzKeyVaultAccessPolicy -VaultName {{vault}} -UserPrincipalName {{operator_upn}} "
	    "-PermissionsToKeys create,import,list,get,backup,restore"),
	  L("az keyvault key show --vault-name {{vault}} --name {{key}} --query attributes.expires",
	    "# Only if it is set to anything but 9999-12-31 (needs keys/update, granted for the",
	    "# fix only: without it Azure answers 403), one line at a time:",
	    "#   az keyvault set-policy --name {{vault}} --upn {{operator_upn}} "
	    "--key-permissions create import list get backup restore update",
	    "#   az keyvault key set-attributes --vault-name {{vault}} --name {{key}} "
	    "--expires '9999-12-31T00:00:00Z'",
	    "#   az keyvault set-policy --name {{vault}} --upn {{operator_upn}} "
	    "--key-permissions create import list get backup restore"), NULL, 1, 0 },
	{ "key.recovery", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS, WLM_ALL, CONFIRM_NONE,
	  N_("Check the key's recovery level"),
	  N_("Recoverable+ProtectedSubscription proves both protections at once: soft delete on "
	     "the vault and the retention period on the subscription. Anything else means one of "
	     "them is missing (Customized... means a retention under 90 days)."),
	  "000: Check the recovery level of your keys; 004: Check the recovery level of your keys",
	  { "key.expiry" }, NO_WAIT, EV(ev_recovery), CHECK_KEY_RECOVERY, SESS_AZ,
	  L("(Get-AzKeyVaultKey -VaultName {{vault}} -Name {{key}}).Attributes"),
	  L("az keyvault key show --vault-name {{vault}} --name {{key}} --query attributes.recoveryLevel"),
	  NULL, 1, 0 },
	{ "key.backup", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS | SD_WITNESS, WLM_ALL,
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
	    "sha256sum -- {{backup_file}}"), NULL, 1, 0 },
	{ "vault.validate", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS, WLM_ALL, CONFIRM_NONE,
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
	    "az keyvault key list --vault-name {{vault}} --output table"), NULL, 1, 0 },
	{ "key.uri", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_VAULTS, WLM_ALL, CONFIRM_NONE,
	  N_("Record the key's URI"),
	  N_("The DEPs name keys by URI, and SharePoint by version too. Recorded here, the URI is "
	     "checked against this vault and key, and later commands are filled in from it."),
	  "000: Obtain the URI for each Azure Key Vault key; 004: Obtain the URI for each Azure "
	  "Key Vault key",
	  { "vault.validate" }, NO_WAIT, EV(ev_key_uri), CHECK_KEY, SESS_AZ,
	  L("(Get-AzKeyVaultKey -VaultName {{vault}} -Name {{key}}).Id"),
	  L("az keyvault key show --vault-name {{vault}} --name {{key}} --query key.kid --output tsv"),
	  NULL, 1, 0 },

	/* The Customer Key onboarding service (catalogue 2, plans with onboarding:
	 * service): after the keys exist, before any DEP. */
	{ "onboard.service.validate", PHASE_DEPS, SCOPE_DEP, OWNER_TENANT, SD_WITNESS | SD_SERVICE,
	  WLM_ALL, CONFIRM_NONE, N_("Validate the setup with the Customer Key onboarding service"),
	  N_("The onboarding service checks the two subscriptions, vaults and keys the way "
	     "Microsoft will rely on them (retention period, soft delete, purge protection, key "
	     "permissions, recovery level) and lists in FailedValidations whatever is not right. "
	     "Validate changes nothing: fix each item with the step that made it, validate again, "
	     "and enable only once nothing is listed. Module 1.1 takes the key URIs "
	     "(-KeyIdentifier1/2); earlier modules took vault and key names, so install 1.1 or later."),
	  "Microsoft: Set up Customer Key (onboarding service; page read in part); "
	  "M365CustomerKeyOnboarding 1.1.1 (PowerShell Gallery)",
	  { "key.uri", "retention.verify", "sp.register" }, NO_WAIT, EV(ev_service_validate),
	  CHECK_NONE, SESS_NONE,
	  L("Install-Module -Name M365CustomerKeyOnboarding -MinimumVersion 1.1.0 -Scope CurrentUser",
	    "Get-Module -ListAvailable -Name M365CustomerKeyOnboarding | Select-Object Name, Version",
	    "# -Scenario: tab completion lists the values this module version accepts",
	    "New-CustomerKeyOnboardingRequest -OrganizationId {{tenant_id}} -Scenario {{scenario}} "
	    "-Subscription1 {{sub_A}} -KeyIdentifier1 {{key_uri_A}} -Subscription2 {{sub_B}} "
	    "-KeyIdentifier2 {{key_uri_B}} -OnboardingMode 'Validate'",
	    "Get-CustomerKeyOnboardingRequest -OrganizationId {{tenant_id}} | Format-List",
	    "# FailedValidations lists what to fix; after fixing, run the Validate request again"),
	  NULL, NULL, 2, 0 },
	{ "onboard.service.enable", PHASE_DEPS, SCOPE_DEP, OWNER_TENANT, SD_WITNESS | SD_SERVICE,
	  WLM_ALL, CONFIRM_NONE, N_("Enable Customer Key through the onboarding service"),
	  N_("Enable asks Microsoft to onboard the tenant for this scenario with the validated "
	     "subscriptions and keys; it replaces the FastTrack request and the e-mail. Run it "
	     "with exactly the values that passed validation, and record the request and its "
	     "state: it is the proof of onboarding."),
	  "Microsoft: Set up Customer Key (onboarding service; page read in part); "
	  "M365CustomerKeyOnboarding 1.1.1 (PowerShell Gallery)",
	  { "onboard.service.validate" }, NO_WAIT, EV(ev_service_enable), CHECK_NONE, SESS_NONE,
	  L("New-CustomerKeyOnboardingRequest -OrganizationId {{tenant_id}} -Scenario {{scenario}} "
	    "-Subscription1 {{sub_A}} -KeyIdentifier1 {{key_uri_A}} -Subscription2 {{sub_B}} "
	    "-KeyIdentifier2 {{key_uri_B}} -OnboardingMode 'Enable'",
	    "Get-CustomerKeyOnboardingRequest -OrganizationId {{tenant_id}} | Format-List"),
	  NULL, NULL, 2, 0 },

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
	  NULL, NULL, 1, 0 },
	{ "dep.exchange.assign", PHASE_DEPS, SCOPE_MAILBOX, OWNER_TENANT, SD_WITNESS,
	  WLM(WL_EXCHANGE), CONFIRM_NONE, N_("Assign the DEP to the mailbox"),
	  N_("A mailbox has one DEP at a time. After the first assignment the mailbox moves "
	     "between databases before it is encrypted, which takes up to 72 hours."),
	  "004: Assign a DEP to a mailbox",
	  { "dep.exchange.create" }, { WAIT_HOURS, 72, NULL, 0 }, EV(ev_assign), CHECK_NONE,
	  SESS_EXO, L("Set-Mailbox -Identity {{mailbox}} -DataEncryptionPolicy {{dep_name}}"), NULL,
	  NULL, 1, 0 },
	{ "dep.sharepoint.register", PHASE_DEPS, SCOPE_DEP, OWNER_TENANT, SD_WITNESS | SD_CRITICAL,
	  WLM(WL_SHAREPOINT), CONFIRM_DEP, N_("Register the SharePoint Online DEP for the geo"),
	  N_("One DEP covers every site and OneDrive in a geo; registering it starts encrypting "
	     "them. SharePoint names each key by vault, name and version, so the versions come "
	     "from the key URIs recorded earlier."),
	  "004: Create a data encryption policy (DEP) for each SharePoint Online and OneDrive for "
	  "Business geo",
	  { "key.uri" }, NO_WAIT, EV(ev_dep_create), CHECK_NONE, SESS_SPO,
	  L("# Connected to this geo's admin URL; the current module takes no -Identity (older ones",
	    "# did). Check: Get-Command Register-SPODataEncryptionPolicy -Syntax",
	    "Register-SPODataEncryptionPolicy "
	    "-PrimaryKeyVaultName {{vault_A}} -PrimaryKeyName {{key_A}} "
	    "-PrimaryKeyVersion {{ev:key.uri:A:key_uri:version}} "
	    "-SecondaryKeyVaultName {{vault_B}} -SecondaryKeyName {{key_B}} "
	    "-SecondaryKeyVersion {{ev:key.uri:B:key_uri:version}}"),
	  NULL, NULL, 1, 0 },
	{ "dep.multi.create", PHASE_DEPS, SCOPE_DEP, OWNER_TENANT, SD_WITNESS | SD_CRITICAL,
	  WLM(WL_MULTI), CONFIRM_DEP, N_("Create the multi-workload DEP"),
	  N_("The multi-workload DEP encrypts data across Microsoft 365 workloads for every user "
	     "of the tenant, with the two keys recorded for its vaults."),
	  "000: Next steps (Manage Customer Key)",
	  { "key.uri" }, NO_WAIT, EV(ev_dep_create), CHECK_NONE, SESS_EXO,
	  L("New-M365DataAtRestEncryptionPolicy -Name {{dep_name}} -Description {{dep_desc}} "
	    "-AzureKeyIDs {{key_uri_A}}, {{key_uri_B}}"),
	  NULL, NULL, 1, 0 },
	{ "dep.multi.assign", PHASE_DEPS, SCOPE_DEP, OWNER_TENANT, SD_WITNESS | SD_CRITICAL,
	  WLM(WL_MULTI), CONFIRM_DEP, N_("Assign the multi-workload DEP to the tenant"),
	  N_("Assignment is what makes Microsoft 365 start using your keys for every user; from "
	     "then on the keys' availability is the tenant's availability."),
	  "000: Next steps (Manage Customer Key)",
	  { "dep.multi.create" }, NO_WAIT, EV(ev_assign), CHECK_NONE, SESS_EXO,
	  L("Set-M365DataAtRestEncryptionPolicyAssignment -DataEncryptionPolicy {{dep_name}}"),
	  NULL, NULL, 1, 0 },

	/* Verify encryption */
	{ "dep.exchange.verify", PHASE_VERIFY, SCOPE_MAILBOX, OWNER_TENANT, 0, WLM(WL_EXCHANGE),
	  CONFIRM_NONE, N_("Check the mailbox is encrypted"),
	  N_("IsEncrypted turns True once the move and encryption are done. If it is still False "
	     "a week after the assignment, open a case with Microsoft support: New-MoveRequest is "
	     "no longer available for moves inside Exchange Online, and Microsoft's page says to "
	     "contact support."),
	  "004: Validate mailbox encryption",
	  { "dep.exchange.assign" }, NO_WAIT, EV(ev_mailbox_verify), CHECK_NONE, SESS_EXO,
	  L("Get-MailboxStatistics -Identity {{mailbox}} | Format-List IsEncrypted",
	    "# Still False a week after the assignment: open a case with Microsoft support"),
	  NULL, NULL, 1, 0 },
	{ "dep.sharepoint.verify", PHASE_VERIFY, SCOPE_DEP, OWNER_TENANT, 0, WLM(WL_SHAREPOINT),
	  CONFIRM_NONE, N_("Check the geo's encryption state"),
	  N_("The state goes from Unregistered to Registering (with a percentage of sites done) "
	     "to Registered, when every file in every site is encrypted with your keys."),
	  "004: Validate encryption of Group Sites, Team Sites, and OneDrive for Business",
	  { "dep.sharepoint.register" }, NO_WAIT, EV(ev_spo_verify), CHECK_NONE, SESS_SPO,
	  L("Get-SPODataEncryptionPolicy"), NULL, NULL, 1, 0 },
	{ "dep.multi.verify", PHASE_VERIFY, SCOPE_DEP, OWNER_TENANT, 0, WLM(WL_MULTI), CONFIRM_NONE,
	  N_("Check the multi-workload DEP assignment"),
	  N_("The assignment shows which DEP the tenant uses; record it as the proof that the "
	     "ceremony's keys are the ones in force."),
	  "000: Next steps (Manage Customer Key)",
	  { "dep.multi.assign" }, NO_WAIT, EV(ev_multi_verify), CHECK_NONE, SESS_EXO,
	  L("Get-M365DataAtRestEncryptionPolicyAssignment"), NULL, NULL, 1, 0 },
};

const size_t steps_keys_table_len = CK_ARRAY_LEN(steps_keys_table);
