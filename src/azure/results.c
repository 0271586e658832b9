/* results.c: the result codes of checks and performs, and their sentences
 * (results.h). The table is data: doc/results.md is generated from it and
 * tested for drift. Where a result gathers several problems into one value
 * (a vault's settings, access policies, a key's usability), that value is
 * written in English by the simulator, like every observed value, so a
 * journal reads the same in any locale. */
#include "azure/results.h"
#include "buf.h"
#include "ck.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct result_code result_table[R__N] = {
	[R_RETENTION_NOT_REGISTERED] = { "retention-not-registered",
		  N_("The retention period is NotRegistered in subscription %s: run "
		  "Register-AzProviderFeature (the register step) first.") },
	[R_RETENTION_REGISTERED] = { "retention-registered",
		  N_("The retention period is Registered.") },
	[R_RETENTION_STILL_REGISTERING] = { "retention-still-registering",
		  N_("Still Registering: Microsoft finishes the retention period "
		  "after the onboarding e-mail (up to five business days).") },
	[R_RETENTION_REGISTERING_AS_EXPECTED] = { "retention-registering-as-expected",
		  N_("Registering, as expected until Microsoft finishes it after "
		  "the onboarding e-mail.") },
	[R_PROVIDER_REGISTERED] = { "provider-registered",
		  N_("Microsoft.KeyVault is Registered.") },
	[R_PROVIDER_NOT_REGISTERED] = { "provider-not-registered",
		  N_("Microsoft.KeyVault is NotRegistered in this subscription: run "
		  "Register-AzResourceProvider -ProviderNamespace "
		  "Microsoft.KeyVault.") },
	[R_RESOURCE_GROUP_NOT_FOUND] = { "resource-group-not-found",
		  N_("ResourceGroupNotFound: resource group %s does not exist in "
		  "this subscription: run New-AzResourceGroup.") },
	[R_RESOURCE_GROUP_WRONG_LOCATION] = { "resource-group-wrong-location",
		  N_("Resource group %s is in %s, not %s as planned.") },
	[R_RESOURCE_GROUP_OK] = { "resource-group-ok",
		  N_("Resource group %s exists in %s.") },
	[R_NO_RESOURCE_GROUP_NAMED] = { "no-resource-group-named",
		  N_("This step names no resource group.") },
	[R_RESOURCE_GROUP_IN_OTHER_LOCATION] = { "resource-group-in-other-location",
		  N_("InvalidResourceGroupLocation: resource group %s already "
		  "exists in %s. A resource group cannot move: use it as it is, "
		  "or amend the plan.") },
	[R_VAULT_NAME_HELD_ELSEWHERE] = { "vault-name-held-elsewhere",
		  N_("Vault %s does not exist: the name is held by another tenant. "
		  "Amend the plan with a new name.") },
	[R_VAULT_MISSING_CREATE_IT] = { "vault-missing-create-it",
		  N_("Vault %s does not exist in this subscription: run "
		  "New-AzKeyVault.") },
	[R_VAULT_PROBLEMS] = { "vault-problems",
		  N_("Vault %s: %s.") },
	[R_VAULT_AS_PLANNED] = { "vault-as-planned",
		  N_("Vault %s: %s, soft delete %lld days, purge protection on, "
		  "access policies (RBAC off), in %s.") },
	[R_NO_VAULT_NAMED] = { "no-vault-named",
		  N_("This step names no vault.") },
	[R_PROVIDER_NOT_REGISTERED_FOR_VAULT] = { "provider-not-registered-for-vault",
		  N_("MissingSubscriptionRegistration: the subscription is not "
		  "registered to use namespace 'Microsoft.KeyVault': run the "
		  "provider step first.") },
	[R_RESOURCE_GROUP_NOT_FOUND_FOR_VAULT] = { "resource-group-not-found-for-vault",
		  N_("ResourceGroupNotFound: resource group '%s' could not be "
		  "found: run the resource group step first.") },
	[R_VAULT_NAME_TAKEN] = { "vault-name-taken",
		  N_("VaultAlreadyExists: the vault name '%s' is already in use. "
		  "Vault names are global: choose another, amend the plan and "
		  "have it verified again.") },
	[R_VAULT_MISSING_RUN_VAULT_STEP] = { "vault-missing-run-vault-step",
		  N_("Vault %s does not exist in this subscription: run the vault "
		  "step first.") },
	[R_VAULT_NOT_FOUND_FOR_ACCESS] = { "vault-not-found-for-access",
		  N_("ResourceNotFound: vault %s does not exist in this "
		  "subscription: run the vault step first.") },
	[R_VAULT_MISSING] = { "vault-missing",
		  N_("Vault %s does not exist in this subscription.") },
	[R_VAULT_READY_FOR_M365] = { "vault-ready-for-m365",
		  N_("Vault %s is ready for Microsoft 365: access policies as "
		  "planned; key %s has no expiry and reads "
		  "Recoverable+ProtectedSubscription.") },
	[R_SIM_NO_SUCH_CHECK] = { "sim-no-such-check",
		  N_("The simulator has no check of this kind.") },
	[R_KEY_NOT_FOUND] = { "key-not-found",
		  N_("KeyNotFound: vault %s has no key %s: run the key step first.") },
	[R_KEY_WRONG_TYPE] = { "key-wrong-type",
		  N_("Key %s is %s, not %s as planned: create the key again as "
		  "planned.") },
	[R_KEY_WRONG_SIZE] = { "key-wrong-size",
		  N_("Key %s has %lld bits, not %lld as planned.") },
	[R_KEY_CANNOT_WRAP] = { "key-cannot-wrap",
		  N_("Key %s is not allowed to wrap and unwrap (key_ops): Microsoft "
		  "365 could not use it.") },
	[R_KEY_URI] = { "key-uri",
		  N_("Key URI %s (enter it as the evidence).") },
	[R_KEY_OK] = { "key-ok",
		  N_("Key %s: %s %lld bits, wrapKey and unwrapKey, version %s.") },
	[R_FORBIDDEN_RBAC] = { "forbidden-rbac",
		  N_("Forbidden: the caller is not authorised (the vault uses RBAC "
		  "and no Key Vault role was assigned). Turn RBAC off: run the "
		  "vault step again.") },
	[R_FORBIDDEN_PERMISSION_MISSING] = { "forbidden-permission-missing",
		  N_("Forbidden: the access policy of %s on vault %s lacks the key "
		  "permission %s: run the administrators step.") },
	[R_NO_KEY_NAMED] = { "no-key-named",
		  N_("This step names no key.") },
	[R_HSM_NEEDS_PREMIUM] = { "hsm-needs-premium",
		  N_("BadParameter: HSM-protected keys need a premium vault; %s is "
		  "%s.") },
	[R_KEY_NO_EXPIRY] = { "key-no-expiry",
		  N_("Key %s has no expiry date.") },
	[R_KEY_EXPIRES_9999] = { "key-expires-9999",
		  N_("Key %s expires 9999-12-31, which Microsoft 365 accepts.") },
	[R_KEY_EXPIRES] = { "key-expires",
		  N_("Key %s expires %s: Microsoft 365 cannot use an expired key. "
		  "An expiry cannot be removed, only moved: Update-AzKeyVaultKey "
		  "-VaultName %s -Name %s -Expires (Get-Date -Date '12/31/9999').") },
	[R_RECOVERY_LEVEL_OK] = { "recovery-level-ok",
		  N_("Recovery level Recoverable+ProtectedSubscription: soft "
		  "delete, purge protection and the retention period hold.") },
	[R_RECOVERY_LEVEL_RETENTION_TOO_SHORT] = { "recovery-level-retention-too-short",
		  N_("Recovery level %s: the vault keeps deleted keys %lld days, "
		  "under the 90 required; the retention cannot be changed once "
		  "set, so a new vault is needed.") },
	[R_RECOVERY_LEVEL_PURGE_PROTECTION_OFF] = { "recovery-level-purge-protection-off",
		  N_("Recovery level %s: purge protection is off: Update-AzKeyVault "
		  "-VaultName %s -EnablePurgeProtection.") },
	[R_RECOVERY_LEVEL_RETENTION_REGISTERING] = { "recovery-level-retention-registering",
		  N_("Recovery level %s: the subscription's retention period is "
		  "still Registering; it reads Recoverable+ProtectedSubscription "
		  "once Microsoft finishes.") },
	[R_RECOVERY_LEVEL_RETENTION_NOT_REGISTERED] = { "recovery-level-retention-not-registered",
		  N_("Recovery level %s: the subscription's retention period is %s: "
		  "register it and e-mail Microsoft.") },
	[R_BACKUP_MISSING] = { "backup-missing",
		  N_("No backup holds the current version %s of key %s: run "
		  "Backup-AzKeyVaultKey.") },
	[R_BACKUP_FILE_GONE] = { "backup-file-gone",
		  N_("The backup file %s is gone: take the backup again and keep "
		  "its copies.") },
	[R_BACKUP_FILE_CHANGED] = { "backup-file-changed",
		  N_("The backup file %s changed since it was written (SHA-256 %s): "
		  "take the backup again.") },
	[R_BACKUP_OK] = { "backup-ok",
		  N_("Backup of %s version %s in %s.") },
	[R_FASTTRACK_NOT_SUBMITTED] = { "fasttrack-not-submitted",
		  N_("No FastTrack request was submitted yet.") },
	[R_FASTTRACK_SUBMITTED] = { "fasttrack-submitted",
		  N_("FastTrack request %s submitted (simulated): enter it as the "
		  "request ID.") },
	[R_EMAIL_NOT_SENT] = { "email-not-sent",
		  N_("The onboarding e-mail was not sent yet.") },
	[R_MICROSOFT_CONFIRMED] = { "microsoft-confirmed",
		  N_("Microsoft confirmed (simulated): the retention period is "
		  "Registered in both subscriptions.") },
	[R_EMAIL_SENT] = { "email-sent",
		  N_("E-mail sent (simulated); Microsoft answers within five "
		  "business days.") },
	[R_WAITING_FOR_MICROSOFT] = { "waiting-for-microsoft",
		  N_("Waiting for Microsoft to finish the retention period in both "
		  "subscriptions.") },
	[R_DEP_MISSING] = { "dep-missing",
		  N_("No data encryption policy %s exists yet: create it first.") },
	[R_DEP_NAMES_OTHER_KEY] = { "dep-names-other-key",
		  N_("The policy names %s, but this DEP's key on side %c is %s: "
		  "create the policy with this DEP's own keys.") },
	[R_SPO_REGISTERING] = { "spo-registering",
		  N_("Registering (%d%%): SharePoint is encrypting every site of "
		  "the geo.") },
	[R_DEP_OK] = { "dep-ok",
		  N_("Policy %s names this DEP's two keys.") },
	[R_NO_DEP_NAMED] = { "no-dep-named",
		  N_("This step names no DEP.") },
	[R_KEY_UNUSABLE] = { "key-unusable",
		  N_("The key %s cannot be used: %s. Fix it, then create the policy.") },
	[R_DEP_MISSING_FOR_ASSIGNMENT] = { "dep-missing-for-assignment",
		  N_("The policy %s does not exist: create it first.") },
	[R_DEP_NOT_ASSIGNED] = { "dep-not-assigned",
		  N_("%s is not assigned the policy %s yet.") },
	[R_TENANT_ASSIGNED_DEP] = { "tenant-assigned-dep",
		  N_("The tenant is assigned policy %s.") },
	[R_MAILBOX_ASSIGNED_DEP] = { "mailbox-assigned-dep",
		  N_("%s is assigned policy %s; IsEncrypted turns True within 72 "
		  "hours.") },
	[R_MAILBOX_HAS_NO_DEP] = { "mailbox-has-no-dep",
		  N_("%s has no data encryption policy: assign it first.") },
	[R_MAILBOX_NOT_ENCRYPTED_YET] = { "mailbox-not-encrypted-yet",
		  N_("IsEncrypted is still False: the mailbox moves before it is "
		  "encrypted, up to 72 hours (%s).") },
	[R_MAILBOX_ENCRYPTED] = { "mailbox-encrypted",
		  N_("%s is encrypted with the policy's keys.") },
	[R_ACCESS_ADMINS_OK] = { "access-admins-ok",
		  N_("The administrators hold create, import, list, get, backup, "
		  "restore and no delete or purge.") },
	[R_ACCESS_CONTRIBUTORS_OK] = { "access-contributors-ok",
		  N_("Every contributor holds the Contributor role.") },
	[R_ACCESS_SERVICE_PRINCIPAL_OK] = { "access-service-principal-ok",
		  N_("The Microsoft 365 service principal holds wrapKey, unwrapKey "
		  "and get.") },
	[R_ACCESS_ALL_OK] = { "access-all-ok",
		  N_("Access policies as planned: administrators, contributors and "
		  "the Microsoft 365 service principal.") },
	[R_PROBLEMS] = { "problems",
		  N_("%s") },
	[R_DELETE_HELD_FOR_NOW] = { "delete-held-for-now",
		  N_("%s holds delete for now: revoke it when the task is done.") },
	[R_DELETE_NOT_HELD] = { "delete-not-held",
		  N_("%s does not hold delete.") },
	[R_DELETE_REVOKED] = { "delete-revoked",
		  N_("%s is back to the day-to-day permissions.") },
	[R_DELETE_STILL_HELD] = { "delete-still-held",
		  N_("%s still holds delete, or has no access policy.") },
	[R_POLICY_STILL_THERE] = { "policy-still-there",
		  N_("%s still has an access policy on the vault.") },
	[R_POLICY_REMOVED] = { "policy-removed",
		  N_("%s has no access policy on the vault any more.") },
	[R_SPO_ENCRYPTING] = { "spo-encrypting",
		  N_("Registered with both keys; encryption under way (%d%%).") },
	[R_SPO_ENCRYPTED] = { "spo-encrypted",
		  N_("Registered: every site is encrypted (%d%%).") },
	[R_SIM_NO_CATALOGUE] = { "sim-no-catalogue",
		  N_("the simulator has no catalogue") },
	[R_SIM_NOTHING_CHANGES] = { "sim-nothing-changes",
		  N_("Simulated: nothing in Azure changes for this step; confirm "
		  "what you did and saw.") },
	[R_NO_LIVE_CHECK] = { "no-live-check",
		  N_("No live check for this step: confirm it from what you see.") },
	[R_GUIDE_MODE] = { "guide-mode",
		  N_("not checked: guide mode") },
	[R_NOTHING_TO_CHECK] = { "nothing-to-check",
		  N_("nothing to check for this step") },
	[R_CHECK_COULD_NOT_RUN] = { "check-could-not-run",
		  N_("the check could not run") },
	[R_PERFORM_FAILED] = { "perform-failed",
		  N_("the simulator could not perform this step") },
	/* A backend that gives a sentence but no code (one not converted yet):
	 * the sentence is kept as the one value, never lost. */
	[R_BACKEND_TEXT] = { "backend-text",
		  N_("%s") },
	[R_TENANT_NOT_ASSIGNED] = { "tenant-not-assigned",
		  N_("The tenant is not assigned the policy %s yet.") },
	[R_PRINCIPAL_NOT_FOUND] = { "principal-not-found",
		  N_("PrincipalNotFound: no service principal with app ID %s in the "
		  "tenant: register it first (New-AzADServicePrincipal "
		  "-ApplicationId %s).") },
	[R_VAULT_NOT_FOUND] = { "vault-not-found",
		  N_("ResourceNotFound: vault %s does not exist in this "
		  "subscription.") },
	[R_SP_STILL_WRAPS] = { "sp-still-wraps",
		  N_("%s still holds wrapKey or unwrapKey on vault %s.") },
	[R_SP_WRAP_REVOKED] = { "sp-wrap-revoked",
		  N_("%s can no longer wrap or unwrap with vault %s's key "
		  "(simulated): from now on Microsoft 365 cannot read what it "
		  "encrypted.") },
	[R_SP_NOT_REGISTERED] = { "sp-not-registered",
		  N_("Get-AzADServicePrincipal lists nothing: %s is not registered "
		  "in the tenant yet.") },
	[R_FORBIDDEN_RECOVER_MISSING] = { "forbidden-recover-missing",
		  N_("Forbidden: %s lacks keys/recover on vault %s, so the "
		  "soft-deleted key cannot be recovered.") },
	[R_RECOVER_GRANTED] = { "recover-granted",
		  N_("%s may recover the key now (simulated): take recover away "
		  "again in the next step.") },
	[R_STILL_HOLDS_TEMPORARY] = { "still-holds-temporary",
		  N_("%s still holds %s.") },
	[R_ONBOARDING_VALIDATION_FAILED] = { "onboarding-validation-failed",
		  N_("Onboarding request %s: validation failed: %s. Fix it, then "
		  "run the request again.") },
	[R_SP_REGISTERED_NOW] = { "sp-registered-now",
		  N_("%s registered in the tenant (simulated).") },
	[R_SP_REGISTERED] = { "sp-registered",
		  N_("%s is registered in the tenant.") },
	[R_ONBOARDING_ENABLED_OK] = { "onboarding-enabled-ok",
		  N_("The tenant is onboarded for this scenario (simulated).") },
	[R_ONBOARDING_VALIDATED_OK] = { "onboarding-validated-ok",
		  N_("The last validation passed.") },
	[R_ONBOARDING_NOT_ENABLED] = { "onboarding-not-enabled",
		  N_("No Enable request has succeeded yet.") },
	[R_ONBOARDING_NOT_VALIDATED] = { "onboarding-not-validated",
		  N_("No validation has passed yet.") },
	[R_ONBOARDING_ENABLED] = { "onboarding-enabled",
		  N_("Onboarding request %s: enabled (simulated): enter it as the "
		  "request ID.") },
	[R_ONBOARDING_VALIDATION_PASSED] = { "onboarding-validation-passed",
		  N_("Onboarding request %s: validation passed (simulated): enter "
		  "it as the request ID.") },
	/* The REST backend: what Azure answered, in the audit's own words
	 * (check name, observed detail) as the values. */
	[R_REST_NO_LIVE_CHECK] = { "rest-no-live-check",
		  N_("no live check for this step yet") },
	[R_REST_SIDE_PROBLEM] = { "rest-side-problem",
		  N_("%s") },
	/* the side's sign-in is not the identity the plan names (or both
	 * sides are one identity): the side is signed out, nothing was asked */
	[R_REST_SIDE_REFUSED] = { "rest-side-refused",
		  N_("%s") },
	[R_REST_NOT_SIGNED_IN] = { "rest-not-signed-in",
		  N_("side %c is not signed in") },
	[R_REST_DRIFT] = { "rest-drift",
		  N_("%s: %s") },
	[R_REST_UNCHECKED] = { "rest-unchecked",
		  N_("%s") },
	[R_REST_HOLDS] = { "rest-holds",
		  N_("checks that hold: %zu") },
	[R_REST_NOT_ASKED] = { "rest-not-asked",
		  N_("Azure was not asked about this resource") },
	/* --execute: what a perform did (it looks before it writes) */
	[R_REST_FOUND] = { "rest-found",
		  N_("%s exists already as planned: recorded as found, nothing written") },
	[R_REST_EXISTS_WRONG] = { "rest-exists-wrong",
		  N_("%s exists but differs (%s): not overwritten; fix it in Azure or "
		     "record a deviation") },
	[R_REST_WRITTEN] = { "rest-written",
		  N_("%s written (HTTP %s)") },
	[R_REST_WRITE_FAILED] = { "rest-write-failed",
		  N_("%s could not be written: %s") },
	[R_REST_BACKUP_WRITTEN] = { "rest-backup-written",
		  N_("Backup of key %s written to %s (SHA-256 %s): record that file "
		     "as the evidence and keep its copies") },
	/* the key backup's live check (backend_rest_backup.c) */
	[R_REST_BACKUP_NOT_RECORDED] = { "rest-backup-not-recorded",
		  N_("No backup of key %s is recorded yet: record its file as this "
		     "step's evidence, then check again") },
	[R_REST_BACKUP_STALE] = { "rest-backup-stale",
		  N_("The backup of key %s recorded at %s predates its current version "
		     "%s, created at %s: it does not hold that version; take the backup "
		     "again") },
	[R_REST_BACKUP_EMPTY] = { "rest-backup-empty",
		  N_("The backup file %s is empty: take the backup again") },
	[R_REST_SD_WRITTEN] = { "rest-sd-written",
		  N_("%s activated: its security domain is written to %s (SHA-256 %s, "
		     "%s bytes): each officer now checks that SHA-256 on their copy") },
	[R_REST_SD_INTERRUPTED] = { "rest-sd-interrupted",
		  N_("an earlier download of the security domain of %s was interrupted "
		     "before it was saved: %s holds what was written then, which may be "
		     "its only copy. Nothing was asked of Azure. Keep that file: see "
		     "whether it is the security domain (a JSON document), and if it is, "
		     "secure it and give it the name %s; then authorize the step again and "
		     "perform it") },
	[R_REST_SD_FOUND] = { "rest-sd-found",
		  N_("%s is activated already: its security domain was downloaded "
		     "before, so it exists elsewhere; nothing was downloaded again. "
		     "Find that file and who holds its copies before going on") },
	/* Managed HSM (key_store: managed_hsm; sim_hsm.c). */
	[R_HSM_NOT_FOUND] = { "hsm-not-found",
		  N_("ResourceNotFound: the managed HSM %s does not exist in this "
		  "subscription: run the HSM step first.") },
	[R_HSM_NOT_ACTIVATED] = { "hsm-not-activated",
		  N_("Forbidden: the managed HSM %s is not activated (its security "
		  "domain was never downloaded): it refuses every key and role "
		  "operation. Run the activation step.") },
	[R_HSM_FORBIDDEN_NO_ROLE] = { "hsm-forbidden-no-role",
		  N_("Forbidden: %s has no local role on %s that allows %s "
		  "(Managed HSM Crypto User): run the roles step.") },
	[R_NO_HSM_NAMED] = { "no-hsm-named",
		  N_("This step names no HSM.") },
	[R_HSM_NAME_TAKEN] = { "hsm-name-taken",
		  N_("ConflictError: the name '%s' is already in use. HSM names "
		  "are global: amend the plan.") },
	[R_HSM_PROVISIONED] = { "hsm-provisioned",
		  N_("Managed HSM %s is provisioned in %s, not activated yet: it "
		  "refuses keys until its security domain is downloaded.") },
	[R_HSM_WRONG_LOCATION] = { "hsm-wrong-location",
		  N_("Managed HSM %s is in %s, not in %s as planned.") },
	[R_HSM_IS_ACTIVE] = { "hsm-is-active",
		  N_("Managed HSM %s: Active.") },
	[R_HSM_IS_NOT_ACTIVATED] = { "hsm-is-not-activated",
		  N_("Managed HSM %s: provisioned, not activated.") },
	[R_HSM_ALREADY_ACTIVE] = { "hsm-already-active",
		  N_("Managed HSM %s is Active already: its security domain was "
		  "downloaded.") },
	[R_SD_QUORUM_NOT_MET] = { "sd-quorum-not-met",
		  N_("BadParameter: the security domain download needs at least %d "
		  "certificates and a quorum between 2 and their number; the "
		  "certificates given did not meet the quorum of %ld. Nothing "
		  "was downloaded and %s stays inactive: give every officer's "
		  "certificate and run the step again.") },
	[R_SD_NOT_DOWNLOADED] = { "sd-not-downloaded",
		  N_("The download was interrupted before the file was written: no "
		  "security domain file, and %s stays NotActivated, refusing "
		  "every key. Run the step again.") },
	[R_SD_BAD_QUORUM] = { "sd-bad-quorum",
		  N_("BadParameter: %zu certificates and a quorum of %ld cannot "
		  "make a security domain.") },
	[R_SD_FILE_NOT_WRITTEN] = { "sd-file-not-written",
		  N_("The simulator could not write the security domain file %s: "
		  "%s.") },
	[R_SD_DOWNLOADED] = { "sd-downloaded",
		  N_("Security domain downloaded (quorum %ld of %zu): %s is "
		  "Active. Record the file's SHA-256, then move it off this "
		  "workstation.") },
	[R_HSM_RETENTION_TOO_SHORT] = { "hsm-retention-too-short",
		  N_("Soft delete keeps deleted keys %lld days on %s, under the 90 "
		  "required: a new HSM is needed.") },
	[R_HSM_PURGE_PROTECTION_OFF] = { "hsm-purge-protection-off",
		  N_("Purge protection is off on %s: Update-AzKeyVaultManagedHsm "
		  "-EnablePurgeProtection.") },
	[R_HSM_OK] = { "hsm-ok",
		  N_("%s: Active, soft delete %lld days, purge protection on.") },
	[R_HSM_ADMINS_MISSING_ROLE] = { "hsm-admins-missing-role",
		  N_("No Managed HSM Crypto User on %s for: %s.") },
	[R_HSM_ADMINS_OK] = { "hsm-admins-ok",
		  N_("Every key administrator holds Managed HSM Crypto User on %s.") },
	[R_HSM_APP_NOT_IN_TENANT] = { "hsm-app-not-in-tenant",
		  N_("PrincipalNotFound: %s (%s) is not in the tenant: register it "
		  "first.") },
	[R_HSM_APPS_MISSING_ROLE] = { "hsm-apps-missing-role",
		  N_("No Managed HSM Crypto Service Encryption User on %s for: %s. "
		  "Microsoft 365 cannot wrap with its keys.") },
	[R_HSM_APPS_OK] = { "hsm-apps-ok",
		  N_("Every Microsoft 365 app of the plan holds Managed HSM Crypto "
		  "Service Encryption User on %s.") },
	[R_HSM_KEY_NOT_RESTORED] = { "hsm-key-not-restored",
		  N_("KeyNotFound: %s has no key %s and no backup was restored.") },
	[R_HSM_KEY_RESTORED] = { "hsm-key-restored",
		  N_("Key %s is in %s; Managed HSM Crypto Officer was granted for "
		  "the task and removed again.") },
	[R_SD_RECOVERY_REHEARSED] = { "sd-recovery-rehearsed",
		  N_("Simulated: a new HSM took %s's security domain from the file "
		  "and the quorum's keys, turned Active, and was deleted and "
		  "purged.") },
	/* --execute: a write is done when a read shows it, not when Azure
	 * answers 2xx (an answer cut short or of another shape proves
	 * nothing); and nothing is written where the look before could not
	 * be made. */
	[R_REST_WRITE_UNCONFIRMED] = { "rest-write-unconfirmed",
		  N_("%s: Azure answered HTTP %s, but reading it back does not show "
		     "it as planned (%s): check the step again before going on") },
	[R_REST_NOT_LOOKED] = { "rest-not-looked",
		  N_("%s was not written: ckwizard could not look at it first (%s)") },
};

const struct result_code *result_find(const char *code)
{
	for (size_t i = 0; code && i < R__N; i++)
		if (strcmp(result_table[i].code, code) == 0)
			return &result_table[i];
	return NULL;
}

bool result_side_problem(const char *code)
{
	return util_streq(code, result_table[R_REST_SIDE_PROBLEM].code) ||
	       util_streq(code, result_table[R_REST_SIDE_REFUSED].code);
}

/* The next conversion in fmt from p: its length (0 at the end), with "%%"
 * skipped. *spec receives the conversion's characters (at most 7). */
static size_t next_conv(const char **p, char spec[8])
{
	const char *s = *p;
	while ((s = strchr(s, '%')) != NULL) {
		size_t n = 1;
		if (s[1] == '%') {
			s += 2;
			continue;
		}
		while (s[n] && strchr("0123456789.-lz", s[n]) && n < 6)
			n++;
		n++;
		memcpy(spec, s, n);
		spec[n] = '\0';
		*p = s + n;
		return n;
	}
	return 0;
}

size_t result_n_args(const struct result_code *rc)
{
	const char *p = rc->fmt;
	char spec[8];
	size_t n = 0;
	while (next_conv(&p, spec))
		n++;
	return n;
}

char **result_args_v(const struct result_code *rc, va_list ap, size_t *n)
{
	const char *p = rc->fmt;
	char spec[8], **v = NULL;
	size_t len;
	*n = 0;
	while ((len = next_conv(&p, spec)) != 0) {
		char conv = spec[len - 1], *a;
		if (conv == 's') {
			const char *x = va_arg(ap, const char *);
			a = xstrdup(x ? x : "?");
		} else if (strchr(spec, 'z')) {
			a = xasprintf("%zu", va_arg(ap, size_t));
		} else if (strstr(spec, "ll")) {
			a = xasprintf("%lld", va_arg(ap, long long));
		} else if (strchr(spec, 'l')) {
			a = xasprintf("%ld", va_arg(ap, long));
		} else if (conv == 'c') {
			a = xasprintf("%c", (char)va_arg(ap, int));
		} else {
			a = xasprintf("%d", va_arg(ap, int));
		}
		v = xrealloc(v, (*n + 1) * sizeof *v);
		v[(*n)++] = a;
	}
	return v;
}

/* A translation may put the values in another order, naming each by its
 * position as printf does ("%2$s ... %1$lld"): the values are text already,
 * so only the position matters. */
char *result_format(const char *f, char *const *args, size_t n_args)
{
	struct buf b = BUF_INIT;
	const char *p;
	size_t k = 0;
	for (p = f; *p; p++) {
		size_t pos = 0;
		const char *d = p + 1;
		while (*d >= '0' && *d <= '9' && pos < 1000)
			pos = pos * 10 + (size_t)(*d++ - '0');
		if (*p == '%' && d > p + 1 && *d == '$' && pos >= 1) {
			d++;
			while (*d && strchr("0123456789.-lz", *d))
				d++;
			if (!*d)
				break;
			buf_puts(&b, pos <= n_args ? args[pos - 1] : "?");
			p = d;
			continue;
		}
		char spec[8];
		const char *q = p;
		if (*p != '%') {
			buf_putc(&b, *p);
			continue;
		}
		if (p[1] == '%') {
			buf_putc(&b, '%');
			p++;
			continue;
		}
		if (!next_conv(&q, spec))
			break;
		buf_puts(&b, k < n_args ? args[k] : "?");
		k++;
		p = q - 1;
	}
	return b.len ? buf_steal(&b) : xstrdup("");
}

char *result_phrase(const char *code, char *const *args, size_t n_args, bool translate)
{
	const struct result_code *rc = result_find(code);
	if (!rc)
		return xasprintf("%s", code ? code : "?");
	return result_format(translate ? _(rc->fmt) : rc->fmt, args, n_args);
}
