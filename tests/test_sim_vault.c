/* test_sim_vault.c: the simulator's vaults and keys: provider and group
 * prerequisites, RBAC, names and regions, access policies, key versions,
 * expiry, recovery level, backups and the management tasks, each fault with
 * its fix. */
#include "ck.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "azure/backend.h"
#include "azure/sim_int.h"
#include "hash.h"
#include "sim_fixture.h"
#include "util.h"

/* Side A's vault with access granted and one key in it. */
static void vault_a_with_a_key(struct world *w)
{
	assert_int_equal(fx_vault_side(w, 'A'), CHECK_PASS);
	assert_int_equal(fx_perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
}

/* Side A is done and side B's group exists: creating B's vault is the step
 * a vault fault spoils. */
static void vault_b_ready_to_create(struct world *w)
{
	assert_int_equal(fx_vault_side(w, 'A'), CHECK_PASS);
	fx_vault_prereqs(w, 'B');
}

/* After a key: the URI step names the version to enter; validation wants
 * what Microsoft 365 will need, the recovery level too, so it still fails. */
static void assert_uri_then_validation_fails(struct world *w)
{
	fx_detail_has(w, "key.uri/EX-USA_mailboxes/A", true, CHECK_PASS,
		      "Key URI https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			  "Contoso-CK-EX-NA-VaultA1-Key001/");
	fx_detail_has(w, "vault.validate/EX-USA_mailboxes/A", false, CHECK_FAIL,
		      "not Recoverable+ProtectedSubscription");
}

static void test_sim_vault_needs_provider_and_group(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_FAIL,
		      "MissingSubscriptionRegistration");
	assert_int_equal(fx_perform(w, "provider.register/A"), CHECK_PASS);
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_FAIL,
		      "ResourceGroupNotFound");
	assert_int_equal(fx_perform(w, "rg.create/Contoso-CK-EX-NA-RGA/A"), CHECK_PASS);
	fx_detail_has(w, "rg.create/Contoso-CK-EX-NA-RGA/A", false, CHECK_PASS,
		      "Location: eastus2");
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_PASS,
		      "EnableRbacAuthorization: False");
	fx_detail_has(w, "vault.softdelete/EX-USA_mailboxes/A", false, CHECK_PASS,
		      "SoftDeleteRetentionInDays: 90");
	fx_world_free(w);
}

/* The catalogue's command turns RBAC off; the fault plays the operator who
 * left Azure's default (on). Running the vault step again turns it off. */
static void test_sim_rbac_on_fails_until_the_step_runs_again(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", "rbac-on", 0);
	fx_vault_prereqs(w, 'A');
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_FAIL,
		      "EnableRbacAuthorization: True");
	fx_detail_has(w, "vault.admins/EX-USA_mailboxes/A", true, CHECK_FAIL,
		      "-DisableRbacAuthorization");
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_PASS,
		      "EnableRbacAuthorization: False");
	assert_int_equal(fx_check(w, "vault.admins/EX-USA_mailboxes/A"), CHECK_PASS);
	fx_world_free(w);
}

static void test_sim_vault_name_taken_needs_a_new_name(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml",
				       "vault-name-taken=Contoso-CK-EX-NA-VaultB1", 0);
	vault_b_ready_to_create(w);
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/B", true, CHECK_FAIL,
		      "VaultAlreadyExists");
	/* Running it again does not help: the name stays taken. */
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/B", true, CHECK_FAIL,
		      "amend the plan");
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/B", false, CHECK_FAIL,
		      "held by another tenant");
	fx_world_free(w);
}

static void test_sim_paired_region_is_caught(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", "paired-region", 0);
	vault_b_ready_to_create(w);
	/* eastus2 (side A) pairs with centralus: side B's vault landed there. */
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/B", true, CHECK_FAIL,
		      "centralus is paired with eastus2");
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/B", false, CHECK_FAIL,
		      "cannot move");
	fx_world_free(w);
}

static void test_sim_missing_permission_fixed_by_running_again(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", "missing-permission", 0);
	fx_vault_prereqs(w, 'A');
	static const char *const t[] = { "vault.create", "vault.admins", "vault.contributors" };
	fx_perform_vault_steps(w, 'A', t, CK_ARRAY_LEN(t));
	fx_detail_has(w, "vault.service/EX-USA_mailboxes/A", true, CHECK_FAIL,
		      "lacks unwrapKey");
	fx_detail_has(w, "vault.access_check/EX-USA_mailboxes/A", false, CHECK_FAIL,
		      "-ServicePrincipalName 00000002-0000-0ff1-ce00-000000000000");
	assert_int_equal(fx_perform(w, "vault.service/EX-USA_mailboxes/A"), CHECK_PASS);
	fx_detail_has(w, "vault.access_check/EX-USA_mailboxes/A", false, CHECK_PASS,
		      "Office 365 Exchange Online 00000002-0000-0ff1-ce00-000000000000: get, "
			  "wrapKey, unwrapKey");
	fx_world_free(w);
}

static void test_sim_admin_scope_checks_only_admins(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	fx_vault_prereqs(w, 'A');
	assert_int_equal(fx_perform(w, "vault.create/EX-USA_mailboxes/A"), CHECK_PASS);
	/* The create command leaves the creator no policy (--no-self-perms,
	 * Remove-AzKeyVaultAccessPolicy): the administrators have none yet ... */
	fx_detail_has(w, "vault.admins/EX-USA_mailboxes/A", false, CHECK_FAIL,
		      "administrator alice@contoso.example lacks");
	/* ... until their step; the service principal is not this step's
	 * business, but the full check still wants it. */
	assert_int_equal(fx_perform(w, "vault.admins/EX-USA_mailboxes/A"), CHECK_PASS);
	fx_detail_has(w, "vault.access_check/EX-USA_mailboxes/A", false, CHECK_FAIL,
		      "lacks get, wrapKey, unwrapKey");
	fx_detail_has(w, "vault.contributors/EX-USA_mailboxes/A", false, CHECK_FAIL,
		      "carol@contoso.example has no Contributor role");
	fx_world_free(w);
}

/* The creator's default policy (every permission, secrets and the rest
 * too), left by an operator who skipped the line removing it: the
 * administrators step replaces only the key permissions, so the creator who
 * is also an administrator keeps the rest, and only the check of every list
 * of every principal shows it. Removing the default and granting again
 * fixes it. */
static void test_sim_creator_policy_leftover(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", "creator-policy", 0);
	const char *chk = "vault.access_check/EX-USA_mailboxes/A";
	fx_vault_prereqs(w, 'A');
	assert_int_equal(fx_perform(w, "vault.create/EX-USA_mailboxes/A"), CHECK_PASS);
	fx_detail_has(w, "vault.admins/EX-USA_mailboxes/A", false, CHECK_FAIL, "holds delete, purge");
	assert_int_equal(fx_perform(w, "vault.admins/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(fx_perform(w, "vault.contributors/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(fx_perform(w, "vault.service/EX-USA_mailboxes/A"), CHECK_PASS);
	fx_detail_has(w, chk, false, CHECK_FAIL,
		      "alice@contoso.example holds more than the plan gives it "
		      "(secrets/certificates/storage)");
	/* the first catalogue's check did not look that far */
	/* the fix: the create step's removal line, then the administrators again */
	fx_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_PASS,
		      "the creator's access policy was removed");
	assert_int_equal(fx_perform(w, "vault.admins/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(fx_check(w, chk), CHECK_PASS);
	fx_world_free(w);
}

/* Restoring needs keys/recover: the restore task grants it to the operator
 * for its duration and the next step takes it away; until then the revoke
 * step's check says it is still held. */
static void test_sim_restore_grants_recover_for_the_task(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	assert_int_equal(fx_vault_side(w, 'A'), CHECK_PASS);
	const char *rv = "manage.restore_revoke/EX-USA_mailboxes/A";
	fx_detail_has(w, rv, false, CHECK_PASS, "day-to-day");
	fx_detail_has(w, "manage.restore/EX-USA_mailboxes/A", true, CHECK_PASS,
		      "may recover the key now");
	fx_detail_has(w, rv, false, CHECK_FAIL, "still holds recover");
	fx_detail_has(w, rv, true, CHECK_PASS, "back to the day-to-day permissions");
	fx_world_free(w);
}

static void test_sim_key_versions_and_attributes(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	assert_int_equal(fx_vault_side(w, 'A'), CHECK_PASS);
	const char *k = "key.create/EX-USA_mailboxes/A";
	char *d1 = NULL, *d2 = NULL;
	assert_int_equal(fx_run(w, k, true, &d1), CHECK_PASS);
	assert_non_null(strstr(d1, "kty: RSA-HSM\nkey_size: 3072\nkey_ops: wrapKey, unwrapKey\n"));
	assert_non_null(strstr(d1, "kid: https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
				   "Contoso-CK-EX-NA-VaultA1-Key001/"));
	/* Add-AzKeyVaultKey on an existing name: a new version. */
	assert_int_equal(fx_run(w, k, true, &d2), CHECK_PASS);
	const char *v1 = strstr(d1, "Key001/") + 7, *v2 = strstr(d2, "Key001/") + 7;
	assert_int_equal(strspn(v1, "0123456789abcdef"), 32);
	assert_int_equal(strspn(v2, "0123456789abcdef"), 32);
	assert_memory_not_equal(v1, v2, 32);
	assert_non_null(strstr(d2, "new version"));
	free(d1);
	free(d2);
	fx_detail_has(w, "key.expiry/EX-USA_mailboxes/A", false, CHECK_PASS, "exp: (none)");
	assert_uri_then_validation_fails(w);
	fx_world_free(w);
}

/* An expiry cannot be removed; the fix moves it to 9999-12-31, and that
 * exact value (beyond INT_MAX) survives a save and a reload. */
static void test_sim_expiring_key_fix_sets_9999(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", "expiring-key=10", 0);
	vault_a_with_a_key(w);
	fx_detail_has(w, "key.expiry/EX-USA_mailboxes/A", false, CHECK_FAIL,
		      "expires 2026-11-28T");
	/* Performing the step first looks, as its Get command does ... */
	fx_detail_has(w, "key.expiry/EX-USA_mailboxes/A", true, CHECK_FAIL,
		      "-Expires (Get-Date -Date '12/31/9999')");
	/* ... and then runs the recipe shown for an expiry. */
	fx_detail_has(w, "key.expiry/EX-USA_mailboxes/A", true, CHECK_PASS,
		      "exp: 253402214400 (9999-12-31T00:00:00Z)");
	fx_save_and_reopen(w, NULL);
	fx_detail_has(w, "key.expiry/EX-USA_mailboxes/A", false, CHECK_PASS,
		      "exp: 253402214400");
	/* A new key version was not asked for by the fault: spent once. */
	assert_int_equal(fx_perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	fx_detail_has(w, "key.expiry/EX-USA_mailboxes/A", false, CHECK_PASS, "exp: (none)");
	assert_uri_then_validation_fails(w);
	fx_world_free(w);
}

/* Recoverable+ProtectedSubscription only with the retention period
 * Registered, soft delete with 90 days and purge protection. */
static void test_sim_recovery_level_rule(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, DAY);
	vault_a_with_a_key(w);
	const char *rec = "key.recovery/EX-USA_mailboxes/A";
	fx_detail_has(w, rec, false, CHECK_FAIL, "recoveryLevel: Recoverable\n");
	assert_int_equal(fx_perform(w, "retention.register/A"), CHECK_PASS);
	assert_int_equal(fx_perform(w, "onboard.email/EX"), CHECK_PASS);
	fx_detail_has(w, rec, false, CHECK_PENDING, "recoveryLevel: Recoverable\n");
	w->now += DAY;
	fx_detail_has(w, rec, false, CHECK_PASS,
		      "recoveryLevel: Recoverable+ProtectedSubscription");

	struct sim_state *st = w->b->state;
	struct sim_vault *v = sim_vault(st, "Contoso-CK-EX-NA-VaultA1");
	assert_non_null(v);
	v->retention_days = 30;
	fx_detail_has(w, rec, false, CHECK_FAIL,
		      "recoveryLevel: CustomizedRecoverable+ProtectedSubscription");
	v->purge_protection = false;
	fx_detail_has(w, rec, false, CHECK_FAIL,
		      "recoveryLevel: CustomizedRecoverable+Purgeable");
	v->retention_days = 90;
	fx_detail_has(w, rec, false, CHECK_FAIL, "recoveryLevel: Recoverable+Purgeable");
	/* The soft-delete step's recipe turns purge protection back on. */
	assert_int_equal(fx_perform(w, "vault.softdelete/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(fx_check(w, rec), CHECK_PASS);
	fx_world_free(w);
}

static void test_sim_backup_writes_a_file_the_evidence_can_hash(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	assert_int_equal(fx_vault_side(w, 'A'), CHECK_PASS);
	const char *bk = "key.backup/EX-USA_mailboxes/A";
	fx_detail_has(w, bk, false, CHECK_FAIL, "KeyNotFound");
	assert_int_equal(fx_perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	fx_detail_has(w, bk, false, CHECK_FAIL, "No backup holds");
	char *d = NULL;
	assert_int_equal(fx_run(w, bk, true, &d), CHECK_PASS);
	char *path = xasprintf("%s/Contoso-CK-EX-NA-VaultA1-Key001-Backup-20261118.backup", w->dir);
	char hex[65];
	assert_int_equal(hash_file_sha256_hex(path, hex), 0);
	assert_non_null(strstr(d, hex));
	free(d);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* Deterministic: the same version backs up to the same bytes. */
	assert_int_equal(fx_perform(w, bk), CHECK_PASS);
	/* A changed file is noticed. */
	FILE *f = fopen(path, "ab");
	assert_non_null(f);
	fputs("x", f);
	fclose(f);
	fx_detail_has(w, bk, false, CHECK_FAIL, "changed since it was written");
	/* A new version needs a new backup; the old file is never overwritten. */
	assert_int_equal(fx_perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	fx_detail_has(w, bk, false, CHECK_FAIL, "No backup holds the current version");
	fx_detail_has(w, bk, true, CHECK_FAIL, "does not overwrite");
	free(path);
	fx_world_free(w);
}

/* Management tasks: a roll makes a new version that needs a new backup; an
 * administrator's delete is granted, revoked, and the administrator removed. */
static void test_sim_management_tasks(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	vault_a_with_a_key(w);
	assert_int_equal(fx_perform(w, "key.backup/EX-USA_mailboxes/A"), CHECK_PASS);
	fx_detail_has(w, "manage.roll/EX-USA_mailboxes/A", true, CHECK_PASS, "new version");
	fx_detail_has(w, "manage.roll_backup/EX-USA_mailboxes/A", false, CHECK_FAIL,
		      "No backup holds the current version");
	/* The same day's file holds the old version: not overwritten. */
	fx_detail_has(w, "manage.roll_backup/EX-USA_mailboxes/A", true, CHECK_FAIL,
		      "does not overwrite");
	memcpy(w->cat->today, "20261119", 9);
	fx_detail_has(w, "manage.roll_backup/EX-USA_mailboxes/A", true, CHECK_PASS,
		      "-Backup-20261119.backup");

	const char *grant = "manage.grant_delete/EX-USA_mailboxes/A/alice@contoso.example";
	const char *revoke = "manage.revoke_delete/EX-USA_mailboxes/A/alice@contoso.example";
	const char *remove = "manage.remove_admin/EX-USA_mailboxes/A/alice@contoso.example";
	assert_int_equal(fx_check(w, grant), CHECK_FAIL);
	fx_detail_has(w, grant, true, CHECK_PASS, "delete");
	/* While it is granted the ordinary administrators check flags it. */
	fx_detail_has(w, "vault.admins/EX-USA_mailboxes/A", false, CHECK_FAIL, "holds delete");
	assert_int_equal(fx_check(w, revoke), CHECK_FAIL);
	assert_int_equal(fx_perform(w, revoke), CHECK_PASS);
	assert_int_equal(fx_check(w, "vault.admins/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(fx_check(w, remove), CHECK_FAIL);
	fx_detail_has(w, remove, true, CHECK_PASS, "AccessPolicy: alice@contoso.example: (none)");
	fx_detail_has(w, "vault.admins/EX-USA_mailboxes/A", false, CHECK_FAIL,
		      "administrator alice@contoso.example lacks");
	fx_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sim_vault_needs_provider_and_group, fx_teardown),
		cmocka_unit_test_teardown(test_sim_rbac_on_fails_until_the_step_runs_again, fx_teardown),
		cmocka_unit_test_teardown(test_sim_vault_name_taken_needs_a_new_name, fx_teardown),
		cmocka_unit_test_teardown(test_sim_paired_region_is_caught, fx_teardown),
		cmocka_unit_test_teardown(test_sim_missing_permission_fixed_by_running_again, fx_teardown),
		cmocka_unit_test_teardown(test_sim_admin_scope_checks_only_admins, fx_teardown),
		cmocka_unit_test_teardown(test_sim_creator_policy_leftover, fx_teardown),
		cmocka_unit_test_teardown(test_sim_restore_grants_recover_for_the_task, fx_teardown),
		cmocka_unit_test_teardown(test_sim_key_versions_and_attributes, fx_teardown),
		cmocka_unit_test_teardown(test_sim_expiring_key_fix_sets_9999, fx_teardown),
		cmocka_unit_test_teardown(test_sim_recovery_level_rule, fx_teardown),
		cmocka_unit_test_teardown(test_sim_backup_writes_a_file_the_evidence_can_hash, fx_teardown),
		cmocka_unit_test_teardown(test_sim_management_tasks, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
