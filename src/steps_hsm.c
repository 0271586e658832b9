/* steps_hsm.c: the steps of a plan whose keys live in two Managed HSMs
 * (key_store: managed_hsm; catalogue 3), as data. One HSM per subscription
 * replaces the vaults: it is created with its initial administrators, then
 * activated by downloading its security domain encrypted to the officers'
 * RSA keys with a quorum, and every officer acknowledges the file; local RBAC
 * roles replace access policies. The key steps keep the vault steps' ids
 * (key.create, key.uri, manage.roll, ...) so the DEP steps, which name them,
 * need no HSM variant: a catalogue has one or the other (SD_VAULTS, SD_HSM).
 * Sources per step are in doc/steps.md, "Managed HSM". */
#include "ck.h"
#include "steps_int.h"

/* ---- Evidence specs ------------------------------------------------------ */
static const struct evidence_spec ev_hsm_create[] = {
	{ "provisioned", EV_CONFIRM,
	  N_("The HSM is provisioned (not yet activated) with the plan's initial administrators"),
	  N_("provisioning takes several minutes; the HSM stays inactive until its security "
	     "domain is downloaded"), false, NULL, NULL },
};
static const struct evidence_spec ev_officer_key[] = {
	{ "fingerprint", EV_SHA256, N_("SHA-256 of the officer's public key, read out by the officer"),
	  N_("the last command's output on the officer's own machine: it must match the plan"),
	  false, NULL, "@officer" },
	{ "custody", EV_CONFIRM,
	  N_("The private key is passphrase-protected on the officer's own offline medium, never "
	     "on this workstation"), NULL, false, NULL, NULL },
	{ "certificate", EV_CONFIRM,
	  N_("Only the officer's certificate (public) has been copied to this workstation"), NULL,
	  false, NULL, NULL },
};
static const struct evidence_spec ev_activate[] = {
	{ "sd_file", EV_FILE_SHA256, N_("Security domain file"),
	  N_("path of the file just downloaded: its SHA-256 is recorded"), false, NULL, NULL },
	{ "offline_copy", EV_SHA256, N_("SHA-256 of the offline copy"),
	  N_("computed on the copy kept off any network, in a safe"), false, NULL, "sd_file" },
	{ "second_copy", EV_SHA256, N_("SHA-256 of the second copy, kept in another place"),
	  N_("computed on that copy where it is stored"), false, NULL, "sd_file" },
	{ "locations", EV_TEXT, N_("Where the two copies are kept"), NULL, false, NULL, NULL },
	{ "removed", EV_CONFIRM, N_("The file is deleted from this workstation"), NULL, false, NULL,
	  NULL },
};
static const struct evidence_spec ev_officer_ack[] = {
	{ "sd_sha256", EV_SHA256,
	  N_("SHA-256 of the security domain file, as the officer computed it on the copy"),
	  N_("it must equal the one recorded at the download"), false, NULL,
	  "hsm.activate:sd_file" },
	{ "acknowledgement", EV_TEXT, N_("How the officer acknowledged, and when"),
	  N_("e.g. in person before both operators on 2026-12-01; or the reference of their "
	     "signed statement"), false, NULL, NULL },
	{ "custody", EV_CONFIRM,
	  N_("The officer confirms their private key is with them, offline, and not on this "
	     "workstation"), NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_hsm_check[] = {
	{ "activation", EV_CHOICE, N_("Activation status reads"),
	  N_("anything else: the security domain was not downloaded"), false, "Active", NULL },
	{ "soft_delete", EV_CONFIRM, N_("Soft delete is on with 90 days' retention"), NULL, false,
	  NULL, NULL },
	{ "purge_protection", EV_CONFIRM, N_("Purge protection is on"), NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_roles_admins[] = {
	{ "granted", EV_CONFIRM,
	  N_("The listing shows Managed HSM Crypto User for each administrator, scope /keys"), NULL,
	  false, NULL, NULL },
};
static const struct evidence_spec ev_roles_service[] = {
	{ "granted", EV_CONFIRM,
	  N_("The listing shows Managed HSM Crypto Service Encryption User for each Microsoft 365 "
	     "app above"), NULL, false, NULL, NULL },
};
static const struct evidence_spec ev_key_create[] = {
	{ "created", EV_CONFIRM, N_("Key created in the HSM with wrapKey and unwrapKey"), NULL,
	  false, NULL, NULL },
};
static const struct evidence_spec ev_recovery[] = {
	{ "recovery_level", EV_CHOICE, N_("Recovery level reads"),
	  N_("Purgeable or Customized...: purge protection or the 90-day retention is missing"),
	  false, "Recoverable|Recoverable+ProtectedSubscription", NULL },
};
static const struct evidence_spec ev_key_uri[] = {
	{ "key_uri", EV_KEY_URI, N_("Key URI"),
	  N_("https://<hsm>.managedhsm.azure.net/keys/<key>/<version>, as printed"), false, NULL,
	  NULL },
};
static const struct evidence_spec ev_roll[] = {
	{ "key_uri", EV_KEY_URI, N_("URI of the new key version"),
	  N_("https://<hsm>.managedhsm.azure.net/keys/<key>/<version>, as printed"), false, NULL,
	  NULL },
};
static const struct evidence_spec ev_restore[] = {
	{ "method", EV_CHOICE, N_("How the key came back"), N_("recovered from soft delete, or "
	  "restored from the recorded backup"), false, "recovered|restored", NULL },
	{ "restored", EV_CONFIRM, N_("Get-AzKeyVaultKey shows the key again"), NULL, false, NULL,
	  NULL },
	{ "revoked", EV_CONFIRM,
	  N_("Managed HSM Crypto Officer is removed again (the last command ran)"), NULL, false,
	  NULL, NULL },
};
static const struct evidence_spec ev_rehearsal[] = {
	{ "officers_present", EV_TEXT, N_("The officers whose private keys opened the file"),
	  N_("at least the quorum; each ran restore-blob on the offline machine"), false, NULL,
	  NULL },
	{ "sd_sha256", EV_SHA256, N_("SHA-256 of the security domain file used"),
	  N_("it must equal the one recorded at the download"), false, NULL,
	  "hsm.activate:sd_file" },
	{ "activated", EV_CONFIRM,
	  N_("The rehearsal HSM's activation status reads Active after the upload"), NULL, false,
	  NULL, NULL },
	{ "removed", EV_CONFIRM, N_("The rehearsal HSM is deleted and purged"), NULL, false, NULL,
	  NULL },
};

#define HSM_CREATE_SRC                                                                      \
	"Microsoft: Customer Key with Managed HSM; Quickstart: provision and activate a managed " \
	"HSM; New-AzKeyVaultManagedHsm; az keyvault create"
#define HSM_SD_SRC                                                                          \
	"Microsoft: Managed HSM security domain overview; Export-AzKeyVaultSecurityDomain; az "  \
	"keyvault security-domain download"
#define HSM_ROLE_SRC                                                                        \
	"Microsoft: Customer Key with Managed HSM (Assign permissions to each Managed HSM); "    \
	"New-AzKeyVaultRoleAssignment; az keyvault role assignment create"
#define HSM_KEY_SRC "Microsoft: Customer Key with Managed HSM; Add-AzKeyVaultKey -HsmName"

/* ---- The ceremony: the HSMs, their activation, roles and keys ------------ */
const struct step_def steps_hsm_table[] = {
	{ "hsm.create", PHASE_VAULTS, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_VAULT,
	  N_("Create the Managed HSM with its initial administrators"),
	  N_("One HSM per subscription holds the keys of every DEP on this side. Its initial "
	     "administrators (Entra object IDs, not UPNs) get the Managed HSM Administrator role "
	     "and nobody else can do anything in it; purge protection and the 90-day soft delete "
	     "cannot be undone, which is the point. HSM names are global: if the name is taken, "
	     "amend the plan."),
	  HSM_CREATE_SRC, { "rg.create" }, NO_WAIT, EV(ev_hsm_create), CHECK_HSM, SESS_AZ,
	  L("New-AzKeyVaultManagedHsm -Name {{hsm}} -ResourceGroupName {{hsm_rg}} "
	    "-Location {{hsm_region}} -Administrator {{@hsm_admins}} "
	    "-SoftDeleteRetentionInDays {{retention}} -EnablePurgeProtection"),
	  L("az keyvault create --hsm-name {{hsm}} --resource-group {{hsm_rg}} "
	    "--location {{hsm_region}} --administrators {{@hsm_admins}} "
	    "--retention-days {{retention}} --enable-purge-protection true"),
	  NULL, 3, 0 },
	{ "hsm.officer.key", PHASE_VAULTS, SCOPE_OFFICER, OWNER_TENANT, SD_HSM | SD_WITNESS,
	  WLM_ALL, CONFIRM_NONE, N_("A security-domain officer brings their RSA key pair"),
	  N_("The security domain is encrypted to each officer's public key; any quorum of them "
	     "can restore the HSMs, and nobody else, Microsoft included. Each officer makes (or "
	     "brings) an RSA key pair on their own offline machine, keeps the private key there "
	     "under a passphrase, and hands over only a certificate of the public key. They read "
	     "its SHA-256 aloud: it must be the one the verified plan carries."),
	  HSM_SD_SRC, { "hsm.create" }, NO_WAIT, EV(ev_officer_key), CHECK_NONE, SESS_NONE,
	  L("# On the officer's own offline machine, never this workstation:",
	    "openssl req -newkey rsa:3072 -keyout {{officer_key_file}} -x509 -days 3650 "
	    "-subj {{officer_subject}} -out {{officer_file}}",
	    "openssl x509 -in {{officer_file}} -pubkey -noout -out {{officer_pub_file}}",
	    "openssl pkey -pubin -in {{officer_pub_file}} -outform DER -out {{officer_der_file}}",
	    "Get-FileHash -Algorithm SHA256 -Path {{officer_der_file}}",
	    "# Copy only the certificate to this workstation: {{officer_file}}"),
	  L("# On the officer's own offline machine, never this workstation:",
	    "openssl req -newkey rsa:3072 -keyout {{officer_key_file}} -x509 -days 3650 "
	    "-subj {{officer_subject}} -out {{officer_file}}",
	    "openssl x509 -in {{officer_file}} -pubkey -noout | openssl pkey -pubin -outform DER "
	    "| sha256sum",
	    "# Copy only the certificate to this workstation: {{officer_file}}"),
	  NULL, 3, 0 },
	{ "hsm.activate", PHASE_VAULTS, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_VAULT,
	  N_("Activate the HSM: download its security domain"),
	  N_("Downloading the security domain activates the HSM; until then it refuses every key "
	     "operation. The file is encrypted to the officers' certificates, and the quorum of "
	     "their private keys is the only way to restore the HSM after a disaster: without it "
	     "the keys, and the data they protect, are gone. Keep two copies off this "
	     "workstation, one offline in a safe and one in another place, never next to the "
	     "officers' private keys, and delete it here. Its SHA-256 goes into the journal."),
	  HSM_SD_SRC, { "hsm.create", "hsm.officer.key" }, NO_WAIT, EV(ev_activate), CHECK_HSM,
	  SESS_AZ,
	  L("Export-AzKeyVaultSecurityDomain -Name {{hsm}} -Certificates {{@officer_files}} "
	    "-OutputPath {{sd_file}} -Quorum {{quorum}}",
	    "Get-FileHash -Algorithm SHA256 -Path {{sd_file}}",
	    "# After copying it to the two places and checking each copy's SHA-256:",
	    "Remove-Item -Path {{sd_file}}"),
	  L("az keyvault security-domain download --hsm-name {{hsm}} "
	    "--sd-wrapping-keys {{@officer_files}} --sd-quorum {{quorum}} "
	    "--security-domain-file {{sd_file}}",
	    "sha256sum -- {{sd_file}}",
	    "# After copying it to the two places and checking each copy's SHA-256:",
	    "rm -- {{sd_file}}"),
	  NULL, 3, 0 },
	{ "hsm.officer.ack", PHASE_VAULTS, SCOPE_HSM_OFFICER, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_WITNESS, WLM_ALL, CONFIRM_NONE,
	  N_("The officer acknowledges the security domain"),
	  N_("The journal's signatures are the two operators'; an officer signs nothing in it. "
	     "So each officer's acknowledgement is recorded as evidence that the owner of the "
	     "subscription types and the other operator witnesses: the SHA-256 the officer "
	     "computed on a copy of the file (it must equal the download's), how and when they "
	     "acknowledged, and that their private key stays with them, offline."),
	  HSM_SD_SRC, { "hsm.activate" }, NO_WAIT, EV(ev_officer_ack), CHECK_NONE, SESS_NONE,
	  L("# The officer, on one of the copies, where it is kept (not where their key is):",
	    "Get-FileHash -Algorithm SHA256 -Path {{sd_file}}"),
	  L("# The officer, on one of the copies, where it is kept (not where their key is):",
	    "sha256sum -- {{sd_file}}"),
	  NULL, 3, 0 },
	{ "hsm.check", PHASE_VAULTS, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION, SD_HSM, WLM_ALL,
	  CONFIRM_NONE, N_("Check the HSM: active, soft delete, purge protection"),
	  N_("An HSM that is not active refuses keys; one without purge protection or with a "
	     "retention under 90 days fails Microsoft's validation, and neither can be fixed "
	     "later by lowering anything: look before any key exists."),
	  "Microsoft: Managed HSM soft-delete and purge protection; ARM Microsoft.KeyVault/"
	  "managedHSMs (securityDomainProperties.activationStatus)",
	  { "hsm.activate" }, NO_WAIT, EV(ev_hsm_check), CHECK_HSM, SESS_AZ,
	  L("Get-AzKeyVaultManagedHsm -Name {{hsm}} -ResourceGroupName {{hsm_rg}} | Format-List *"),
	  L("az keyvault show --hsm-name {{hsm}} --query \"properties.{activation:"
	    "securityDomainProperties.activationStatus, softDelete:enableSoftDelete, "
	    "retention:softDeleteRetentionInDays, purgeProtection:enablePurgeProtection}\""),
	  NULL, 3, 0 },
	{ "hsm.role.admins", PHASE_VAULTS, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_WITNESS, WLM_ALL, CONFIRM_NONE,
	  N_("Give the key administrators Managed HSM Crypto User"),
	  N_("A Managed HSM has no access policies: its own role assignments (local RBAC) decide. "
	     "The HSM's administrators manage roles and the security domain but cannot touch "
	     "keys; the plan's key administrators get Managed HSM Crypto User on /keys, which "
	     "creates, backs up and restores keys but cannot purge them."),
	  HSM_ROLE_SRC, { "hsm.check" }, NO_WAIT, EV(ev_roles_admins), CHECK_HSM_ROLES, SESS_AZ,
	  L("@admins New-AzKeyVaultRoleAssignment -HsmName {{hsm}} "
	    "-RoleDefinitionName 'Managed HSM Crypto User' -SignInName {{upn}} -Scope '/keys'",
	    "Get-AzKeyVaultRoleAssignment -HsmName {{hsm}} -RoleDefinitionName "
	    "'Managed HSM Crypto User'"),
	  L("@admins az keyvault role assignment create --hsm-name {{hsm}} "
	    "--role 'Managed HSM Crypto User' --assignee {{upn}} --scope /keys",
	    "az keyvault role assignment list --hsm-name {{hsm}} "
	    "--role 'Managed HSM Crypto User' --output table"),
	  NULL, 3, 0 },
	{ "hsm.role.service", PHASE_VAULTS, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_WITNESS, WLM_ALL, CONFIRM_NONE,
	  N_("Give each Microsoft 365 app Managed HSM Crypto Service Encryption User"),
	  N_("This role is what lets Microsoft 365 wrap and unwrap with the keys (wrapKey, "
	     "unwrapKey, get). Without it the service cannot use a key: for data already "
	     "encrypted that is an outage, not a fallback to the availability key."),
	  HSM_ROLE_SRC, { "hsm.role.admins", "sp.register" }, NO_WAIT, EV(ev_roles_service),
	  CHECK_HSM_ROLES, SESS_AZ,
	  L("@apps New-AzKeyVaultRoleAssignment -HsmName {{hsm}} "
	    "-RoleDefinitionName 'Managed HSM Crypto Service Encryption User' "
	    "-ApplicationId {{app_id}} -Scope '/keys'",
	    "Get-AzKeyVaultRoleAssignment -HsmName {{hsm}} -RoleDefinitionName "
	    "'Managed HSM Crypto Service Encryption User'"),
	  L("@apps az keyvault role assignment create --hsm-name {{hsm}} "
	    "--role 'Managed HSM Crypto Service Encryption User' --assignee {{app_id}} "
	    "--scope /keys",
	    "az keyvault role assignment list --hsm-name {{hsm}} "
	    "--role 'Managed HSM Crypto Service Encryption User' --output table"),
	  NULL, 3, 0 },
	/* The keys: the same ids as the vault steps, commands on the HSM. */
	{ "key.create", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_KEY,
	  N_("Create the key in the Managed HSM"),
	  N_("This is the root key Microsoft 365 will wrap this DEP's data with: RSA-HSM, "
	     "allowed to wrap and unwrap. Every DEP's key of this side lives in this HSM, so "
	     "its name carries the workload and geo."),
	  HSM_KEY_SRC, { "hsm.role.service", "hsm.officer.ack" }, NO_WAIT, EV(ev_key_create),
	  CHECK_KEY, SESS_AZ,
	  L("Add-AzKeyVaultKey -HsmName {{hsm}} -Name {{key}} -KeyType 'RSA' -Size {{size}} "
	    "-KeyOps wrapKey,unwrapKey"),
	  L("az keyvault key create --hsm-name {{hsm}} --name {{key}} --kty RSA-HSM "
	    "--size {{size}} --ops wrapKey unwrapKey"), NULL, 3, 0 },
	{ "key.recovery", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_HSM, WLM_ALL,
	  CONFIRM_NONE, N_("Check the key's recovery level"),
	  N_("The key's recovery level shows soft delete and purge protection as the key sees "
	     "them. Purgeable, or Customized... (a retention under 90 days), means one of them "
	     "is missing."),
	  "Microsoft: Customer Key with Managed HSM; Managed HSM soft-delete and purge protection",
	  { "key.create" }, NO_WAIT, EV(ev_recovery), CHECK_KEY_RECOVERY, SESS_AZ,
	  L("(Get-AzKeyVaultKey -HsmName {{hsm}} -Name {{key}}).Attributes"),
	  L("az keyvault key show --hsm-name {{hsm}} --name {{key}} --query attributes.recoveryLevel"),
	  NULL, 3, 0 },
	{ "key.backup", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_HSM | SD_WITNESS, WLM_ALL,
	  CONFIRM_NONE, N_("Back up the key, offline and for a disaster"),
	  N_("A key backup opens only in an HSM with the same security domain: it is worth "
	     "nothing without the security domain file and its quorum, and they are worth "
	     "little without it. Keep one copy off any network and one reachable in a disaster, "
	     "and record each copy's SHA-256."),
	  "Microsoft: Customer Key with Managed HSM; Backup-AzKeyVaultKey -HsmName",
	  { "key.recovery" }, NO_WAIT, EV(steps_ev_backup), CHECK_KEY_BACKUP, SESS_AZ,
	  L("Backup-AzKeyVaultKey -HsmName {{hsm}} -Name {{key}} -OutputFile {{backup_file}}",
	    "Get-FileHash -Algorithm SHA256 -Path {{backup_file}}"),
	  L("az keyvault key backup --hsm-name {{hsm}} --name {{key}} --file {{backup_file}}",
	    "sha256sum -- {{backup_file}}"), NULL, 3, 0 },
	{ "key.uri", PHASE_KEYS, SCOPE_VAULT, OWNER_SUBSCRIPTION, SD_HSM, WLM_ALL, CONFIRM_NONE,
	  N_("Record the key's URI"),
	  N_("The DEPs name keys by URI, on managedhsm.azure.net for a Managed HSM. Recorded "
	     "here, the URI is checked against this HSM and key, and later commands are filled "
	     "in from it."),
	  HSM_KEY_SRC, { "key.backup" }, NO_WAIT, EV(ev_key_uri), CHECK_KEY, SESS_AZ,
	  L("(Get-AzKeyVaultKey -HsmName {{hsm}} -Name {{key}}).Id"),
	  L("az keyvault key show --hsm-name {{hsm}} --name {{key}} --query key.kid --output tsv"),
	  NULL, 3, 0 },
};
const size_t steps_hsm_table_len = CK_ARRAY_LEN(steps_hsm_table);

/* ---- Management: roll, restore, and the recovery rehearsal --------------- */
const struct step_def steps_hsm_manage_table[] = {
	{ "manage.roll", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_MANAGE | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_KEY,
	  N_("Roll the key: add a new version"),
	  N_("Roll only for a clear technical or compliance reason. The same name makes a new "
	     "version and keeps the old ones, which older content still needs: never delete a "
	     "key version that is or was in a DEP. Outage warning: access denied is not a lost "
	     "key, so Microsoft 365 does not fall back to the availability key."),
	  "004: Rolling or rotating a key; Add-AzKeyVaultKey -HsmName",
	  { "key.backup" }, NO_WAIT, EV(ev_roll), CHECK_KEY, SESS_AZ,
	  L("Add-AzKeyVaultKey -HsmName {{hsm}} -Name {{key}} -KeyType 'RSA' -Size {{size}} "
	    "-KeyOps wrapKey,unwrapKey -NotBefore (Get-Date)",
	    "(Get-AzKeyVaultKey -HsmName {{hsm}} -Name {{key}}).Id"),
	  L("az keyvault key create --hsm-name {{hsm}} --name {{key}} --kty RSA-HSM "
	    "--size {{size}} --ops wrapKey unwrapKey --query key.kid --output tsv"), NULL, 3, 0 },
	{ "manage.roll_backup", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_MANAGE | SD_WITNESS, WLM_ALL, CONFIRM_NONE, N_("Back up the rolled key"),
	  N_("A key changed, so the old backup no longer holds every version: back it up again, "
	     "offline and for a disaster, before the DEP starts using the new version."),
	  "004: Backup; Backup-AzKeyVaultKey -HsmName",
	  { "manage.roll" }, NO_WAIT, EV(steps_ev_backup), CHECK_KEY_BACKUP, SESS_AZ,
	  L("Backup-AzKeyVaultKey -HsmName {{hsm}} -Name {{key}} -OutputFile {{backup_file}}",
	    "Get-FileHash -Algorithm SHA256 -Path {{backup_file}}"),
	  L("az keyvault key backup --hsm-name {{hsm}} --name {{key}} --file {{backup_file}}",
	    "sha256sum -- {{backup_file}}"), NULL, 3, 0 },
	{ "manage.restore", PHASE_MANAGE, SCOPE_VAULT, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_MANAGE | SD_WITNESS | SD_CRITICAL, WLM_ALL, CONFIRM_KEY, N_("Restore the key"),
	  N_("Only for a lost key. Soft delete comes first: a deleted key is recovered for 90 "
	     "days without any backup, but recovering takes Managed HSM Crypto Officer, which "
	     "nobody holds day to day: the first command grants it to you for this task and the "
	     "last takes it away. A backup restores only into an HSM with this security domain."),
	  "Microsoft: Managed HSM soft-delete and purge protection (roles); Restore-AzKeyVaultKey "
	  "-HsmName",
	  { "key.backup" }, NO_WAIT, EV(ev_restore), CHECK_KEY, SESS_AZ,
	  L("New-AzKeyVaultRoleAssignment -HsmName {{hsm}} -RoleDefinitionName "
	    "'Managed HSM Crypto Officer' -SignInName {{operator_upn}} -Scope '/keys'",
	    "Get-AzKeyVaultKey -HsmName {{hsm}} -InRemovedState",
	    "# If the key is listed above (soft-deleted), recover it:",
	    "#   Undo-AzKeyVaultKeyRemoval -HsmName {{hsm}} -Name {{key}}",
	    "# Only if it is not: restore the recorded backup:",
	    "#   Restore-AzKeyVaultKey -HsmName {{hsm}} "
	    "-InputFile {{ev:key.backup:self:backup_file:path}}",
	    "Remove-AzKeyVaultRoleAssignment -HsmName {{hsm}} -RoleDefinitionName "
	    "'Managed HSM Crypto Officer' -SignInName {{operator_upn}} -Scope '/keys'"),
	  L("az keyvault role assignment create --hsm-name {{hsm}} "
	    "--role 'Managed HSM Crypto Officer' --assignee {{operator_upn}} --scope /keys",
	    "az keyvault key list-deleted --hsm-name {{hsm}} --output table",
	    "# If the key is listed above (soft-deleted), recover it:",
	    "#   az keyvault key recover --hsm-name {{hsm}} --name {{key}}",
	    "# Only if it is not: restore the recorded backup:",
	    "#   az keyvault key restore --hsm-name {{hsm}} "
	    "--file {{ev:key.backup:self:backup_file:path}}",
	    "az keyvault role assignment delete --hsm-name {{hsm}} "
	    "--role 'Managed HSM Crypto Officer' --assignee {{operator_upn}} --scope /keys"),
	  NULL, 3, 0 },
	{ "hsm.recovery_rehearsal", PHASE_MANAGE, SCOPE_SUBSCRIPTION, OWNER_SUBSCRIPTION,
	  SD_HSM | SD_MANAGE | SD_WITNESS, WLM_ALL, CONFIRM_NONE,
	  N_("Rehearse a security-domain recovery on a new HSM"),
	  N_("Proves, before a disaster does, that the file and a quorum of officers' keys "
	     "really restore the HSM: a new, empty HSM is created, its exchange key fetched, "
	     "the file re-encrypted to it on the offline machine where the officers bring their "
	     "private keys (never this workstation), and uploaded; the HSM must turn Active. "
	     "Then it is deleted and purged: it holds the same security domain."),
	  "Microsoft: Managed HSM disaster recovery; az keyvault security-domain init-recovery, "
	  "restore-blob, upload",
	  { "key.backup" }, NO_WAIT, EV(ev_rehearsal), CHECK_NONE, SESS_AZ,
	  L("New-AzKeyVaultManagedHsm -Name {{hsm_dr}} -ResourceGroupName {{hsm_rg}} "
	    "-Location {{hsm_region}} -Administrator {{@hsm_admins}} -SoftDeleteRetentionInDays 7",
	    "# Import-AzKeyVaultSecurityDomain needs the private keys on the machine that talks to",
	    "# Azure: use this step's Azure CLI lines instead (restore-blob runs offline), then:",
	    "Get-AzKeyVaultManagedHsm -Name {{hsm_dr}} | Format-List *",
	    "Remove-AzKeyVaultManagedHsm -Name {{hsm_dr}} -ResourceGroupName {{hsm_rg}}",
	    "# and purge it: az keyvault purge --hsm-name {{hsm_dr}} --location {{hsm_region}}"),
	  L("az keyvault create --hsm-name {{hsm_dr}} --resource-group {{hsm_rg}} "
	    "--location {{hsm_region}} --administrators {{@hsm_admins}} --retention-days 7",
	    "az keyvault security-domain init-recovery --hsm-name {{hsm_dr}} "
	    "--sd-exchange-key {{exchange_file}}",
	    "# On the offline machine that holds the file and the quorum's private keys (list "
	    "only the keys of the officers present):",
	    "#   az keyvault security-domain restore-blob --sd-file {{sd_file}} "
	    "--sd-exchange-key {{exchange_file}} --sd-wrapping-keys {{@officer_key_files}} "
	    "--sd-file-restore-blob {{restore_blob}}",
	    "#   (each sd-officer-N.key beside its sd-officer-N.cer; the keys are under a "
	    "passphrase: add --passwords with each officer's, in the keys' order)",
	    "az keyvault security-domain upload --hsm-name {{hsm_dr}} --sd-file {{restore_blob}} "
	    "--restore-blob",
	    "az keyvault show --hsm-name {{hsm_dr}} "
	    "--query properties.securityDomainProperties.activationStatus",
	    "az keyvault delete --hsm-name {{hsm_dr}}",
	    "az keyvault purge --hsm-name {{hsm_dr}} --location {{hsm_region}}"),
	  NULL, 3, 0 },
};
const size_t steps_hsm_manage_table_len = CK_ARRAY_LEN(steps_hsm_manage_table);
