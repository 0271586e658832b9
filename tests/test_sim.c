/* test_sim.c: the simulator backend against the real step catalogue of the
 * example plans: every check kind passing, failing and pending; the
 * retention-period timeline; RBAC, recovery level and expiry rules; each
 * fault and its fix; sim.json round trips and refusals. */
#include "ck.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "azure/backend.h"
#include "azure/sim_int.h"
#include "hash.h"
#include "inventory.h"
#include "plan.h"
#include "steps.h"
#include "util.h"

#define T0 1795000000L          /* 2026-11-18: any fixed start */
#define DAY 86400L

struct world {
	struct plan *plan;
	struct inventory *inv;
	struct catalogue *cat;
	char dir[64];
	char *path;                 /* <dir>/sim.json */
	struct backend *b;
	long now;
};

/* The world of the running test, freed by the teardown even when an
 * assertion jumps out of the test (no temporary directories left behind). */
static struct world *current;

static struct world *world_new(const char *plan_file, const char *faults, long delay)
{
	struct world *w = xcalloc(1, sizeof *w);
	struct diags d = DIAGS_INIT;
	const char *src = getenv("CK_SRCDIR");
	char *path = xasprintf("%s/plans/%s", src ? src : ".", plan_file);
	w->plan = plan_load(path, &d);
	free(path);
	assert_non_null(w->plan);
	w->inv = inventory_build(w->plan, &d);
	assert_non_null(w->inv);
	diags_free(&d);
	w->cat = catalogue_build(w->plan, w->inv, true);
	assert_non_null(w->cat);
	memcpy(w->cat->today, "20261118", 9);
	strcpy(w->dir, "/tmp/ckw-sim-XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	w->path = xasprintf("%s/sim.json", w->dir);
	char *err = NULL;
	w->b = backend_sim_open(w->path, w->cat, faults, delay, &err);
	assert_null(err);
	assert_non_null(w->b);
	w->now = T0;
	current = w;
	return w;
}

static void world_free(struct world *w)
{
	current = NULL;
	backend_free(w->b);
	char *cmd = xasprintf("rm -rf '%s'", w->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(w->path);
	catalogue_free(w->cat);
	inventory_free(w->inv);
	plan_free(w->plan);
	free(w);
}

static const struct step *step(struct world *w, const char *id)
{
	const struct step *s = catalogue_find(w->cat, id);
	if (!s)
		fail_msg("no step %s in the catalogue", id);
	return s;
}

/* Run a check or a perform; the result's strings are kept for a look. */
static enum check_status run(struct world *w, const char *id, bool perform, char **detail)
{
	struct check_result r = { CHECK_UNAVAILABLE, NULL, NULL };
	int rc = perform ? backend_perform(w->b, step(w, id), w->now, &r)
			 : backend_check(w->b, step(w, id), w->now, &r);
	assert_int_equal(rc, 0);
	assert_non_null(r.summary);
	assert_non_null(r.detail);
	assert_null(strchr(r.summary, '\n'));
	if (detail) {
		*detail = xasprintf("%s\n%s", r.summary, r.detail);
	}
	enum check_status st = r.status;
	check_result_free(&r);
	return st;
}

static enum check_status check(struct world *w, const char *id)
{
	return run(w, id, false, NULL);
}

static enum check_status perform(struct world *w, const char *id)
{
	return run(w, id, true, NULL);
}

static void assert_detail_has(struct world *w, const char *id, bool do_perform,
			      enum check_status want, const char *text)
{
	char *d = NULL;
	enum check_status got = run(w, id, do_perform, &d);
	if (got != want || !strstr(d, text))
		fail_msg("%s: want %s with \"%s\", got %s:\n%s", id, check_status_name(want), text,
			 check_status_name(got), d);
	free(d);
}

/* The onboarding part, up to Registered in both subscriptions. */
static void onboard(struct world *w)
{
	assert_int_equal(perform(w, "fasttrack.request/EX"), CHECK_PASS);
	for (int i = 0; i < 2; i++) {
		char *reg = xasprintf("retention.register/%c", "AB"[i]);
		assert_int_equal(perform(w, reg), CHECK_PASS);
		free(reg);
	}
	assert_int_equal(perform(w, "onboard.email/EX"), CHECK_PASS);
	w->now += 3 * DAY;
	assert_int_equal(check(w, "retention.verify/A"), CHECK_PASS);
	assert_int_equal(check(w, "retention.verify/B"), CHECK_PASS);
}

/* Provider, group, vault, access, for one side of the Exchange DEP; returns
 * what granting the service principal answered (a fault may spoil it). */
static enum check_status vault_side(struct world *w, char side)
{
	char id[160];
	snprintf(id, sizeof id, "provider.register/%c", side);
	assert_int_equal(perform(w, id), CHECK_PASS);
	snprintf(id, sizeof id, "rg.create/Contoso-CK-EX-NA-RG%c/%c", side, side);
	assert_int_equal(perform(w, id), CHECK_PASS);
	const char *t[] = { "vault.create", "vault.admins", "vault.contributors" };
	for (size_t i = 0; i < CK_ARRAY_LEN(t); i++) {
		snprintf(id, sizeof id, "%s/EX-USA_mailboxes/%c", t[i], side);
		assert_int_equal(perform(w, id), CHECK_PASS);
	}
	snprintf(id, sizeof id, "vault.service/EX-USA_mailboxes/%c", side);
	return perform(w, id);
}

/* ---- The whole ceremony -------------------------------------------------- */

/* Every first-ceremony step of the biggest example, in catalogue order:
 * after performing it, its check passes (or is pending only where time must
 * pass, and passes once it has). */
static void every_step(const char *plan_file)
{
	struct world *w = world_new(plan_file, NULL, 0);
	size_t checked = 0;
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (s->management || strcmp(s->template_id, "key.import") == 0)
			continue;
		char *d = NULL;
		enum check_status st = run(w, s->id, true, &d);
		if (st == CHECK_PENDING || (st == CHECK_PASS && s->check.kind != CHECK_NONE &&
					    check(w, s->id) == CHECK_PENDING)) {
			w->now += 4 * DAY; /* the waits: Microsoft, 72 hours, SharePoint */
			free(d);
			st = run(w, s->id, s->check.kind == CHECK_NONE, &d);
		}
		if (st != CHECK_PASS)
			fail_msg("%s: %s\n%s", s->id, check_status_name(st), d);
		free(d);
		if (s->check.kind != CHECK_NONE) {
			assert_int_equal(check(w, s->id), CHECK_PASS);
			checked++;
		}
	}
	assert_true(checked > 30);
	/* Every kind of check took part. */
	bool seen[CHECK_COUNT] = { false };
	for (size_t i = 0; i < w->cat->n_steps; i++)
		seen[w->cat->steps[i].check.kind] = true;
	for (int k = 1; k < CHECK_COUNT; k++)
		assert_true(seen[k]);
	world_free(w);
}

static void test_sim_every_step_passes_in_order(void **state)
{
	(void)state;
	/* Every example plan: one, three and many DEPs, several SharePoint geos. */
	const char *plans[] = { "contoso-exchange.yaml", "contoso-all.yaml",
				"fabrikam-multigeo.yaml", "woodgrove-large.yaml" };
	for (size_t i = 0; i < CK_ARRAY_LEN(plans); i++)
		every_step(plans[i]);
}

/* Before anything is done, every check of the Azure side fails and says so:
 * nothing passes by default. */
static void test_sim_checks_fail_on_an_empty_tenant(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 0);
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (s->check.kind == CHECK_NONE)
			continue;
		char *d = NULL;
		enum check_status st = run(w, s->id, false, &d);
		if (st != CHECK_FAIL)
			fail_msg("%s on an empty tenant: %s\n%s", s->id, check_status_name(st), d);
		free(d);
	}
	world_free(w);
}

/* ---- The retention period ------------------------------------------------ */

static void test_sim_retention_registers_only_after_email_and_delay(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 2 * DAY);
	assert_detail_has(w, "retention.verify/A", false, CHECK_FAIL,
			  "RegistrationState: NotRegistered");
	assert_detail_has(w, "retention.register/A", true, CHECK_PASS,
			  "RegistrationState: Registering");
	/* Registering is the expected answer when the state is recorded ... */
	assert_int_equal(check(w, "retention.check/A"), CHECK_PASS);
	/* ... but not when it must read Registered. */
	assert_int_equal(check(w, "retention.verify/A"), CHECK_PENDING);
	/* Time alone does nothing: Microsoft waits for the e-mail. */
	w->now += 30 * DAY;
	assert_detail_has(w, "retention.verify/A", false, CHECK_PENDING,
			  "RegistrationState: Registering");
	long sent = w->now;
	assert_int_equal(perform(w, "onboard.email/EX"), CHECK_PASS);
	assert_int_equal(check(w, "onboard.email/EX"), CHECK_PENDING);
	w->now = sent + 2 * DAY - 1;
	assert_int_equal(check(w, "retention.verify/A"), CHECK_PENDING);
	w->now = sent + 2 * DAY;
	assert_detail_has(w, "retention.verify/A", false, CHECK_PASS,
			  "RegistrationState: Registered");
	/* Side B never registered: still NotRegistered, and Microsoft's
	 * confirmation (both subscriptions) has not come. */
	assert_int_equal(check(w, "retention.verify/B"), CHECK_FAIL);
	assert_int_equal(check(w, "onboard.email/EX"), CHECK_PENDING);
	assert_int_equal(perform(w, "retention.register/B"), CHECK_PASS);
	w->now += 2 * DAY;
	assert_int_equal(check(w, "retention.verify/B"), CHECK_PASS);
	assert_int_equal(check(w, "onboard.email/EX"), CHECK_PASS);
	world_free(w);
}

static void test_sim_slow_registration_fault(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", "slow-registration=10", DAY);
	assert_int_equal(perform(w, "retention.register/A"), CHECK_PASS);
	assert_int_equal(perform(w, "onboard.email/EX"), CHECK_PASS);
	w->now += DAY;
	assert_int_equal(check(w, "retention.verify/A"), CHECK_PENDING);
	w->now += 10 * 3600;
	assert_int_equal(check(w, "retention.verify/A"), CHECK_PASS);
	world_free(w);
}

/* ---- Vaults ---------------------------------------------------------------- */

static void test_sim_vault_needs_provider_and_group(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 0);
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_FAIL,
			  "MissingSubscriptionRegistration");
	assert_int_equal(perform(w, "provider.register/A"), CHECK_PASS);
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_FAIL,
			  "ResourceGroupNotFound");
	assert_int_equal(perform(w, "rg.create/Contoso-CK-EX-NA-RGA/A"), CHECK_PASS);
	assert_detail_has(w, "rg.create/Contoso-CK-EX-NA-RGA/A", false, CHECK_PASS,
			  "Location: eastus2");
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_PASS,
			  "EnableRbacAuthorization: False");
	assert_detail_has(w, "vault.softdelete/EX-USA_mailboxes/A", false, CHECK_PASS,
			  "SoftDeleteRetentionInDays: 90");
	world_free(w);
}

/* The catalogue's command turns RBAC off; the fault plays the operator who
 * left Azure's default (on). Running the vault step again turns it off. */
static void test_sim_rbac_on_fails_until_the_step_runs_again(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", "rbac-on", 0);
	assert_int_equal(perform(w, "provider.register/A"), CHECK_PASS);
	assert_int_equal(perform(w, "rg.create/Contoso-CK-EX-NA-RGA/A"), CHECK_PASS);
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_FAIL,
			  "EnableRbacAuthorization: True");
	assert_detail_has(w, "vault.admins/EX-USA_mailboxes/A", true, CHECK_FAIL,
			  "-DisableRbacAuthorization");
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/A", true, CHECK_PASS,
			  "EnableRbacAuthorization: False");
	assert_int_equal(check(w, "vault.admins/EX-USA_mailboxes/A"), CHECK_PASS);
	world_free(w);
}

static void test_sim_vault_name_taken_needs_a_new_name(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml",
				    "vault-name-taken=Contoso-CK-EX-NA-VaultB1", 0);
	assert_int_equal(vault_side(w, 'A'), CHECK_PASS);
	assert_int_equal(perform(w, "provider.register/B"), CHECK_PASS);
	assert_int_equal(perform(w, "rg.create/Contoso-CK-EX-NA-RGB/B"), CHECK_PASS);
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/B", true, CHECK_FAIL,
			  "VaultAlreadyExists");
	/* Running it again does not help: the name stays taken. */
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/B", true, CHECK_FAIL,
			  "amend the plan");
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/B", false, CHECK_FAIL,
			  "held by another tenant");
	world_free(w);
}

static void test_sim_paired_region_is_caught(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", "paired-region", 0);
	assert_int_equal(vault_side(w, 'A'), CHECK_PASS);
	assert_int_equal(perform(w, "provider.register/B"), CHECK_PASS);
	assert_int_equal(perform(w, "rg.create/Contoso-CK-EX-NA-RGB/B"), CHECK_PASS);
	/* eastus2 (side A) pairs with centralus: side B's vault landed there. */
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/B", true, CHECK_FAIL,
			  "centralus is paired with eastus2");
	assert_detail_has(w, "vault.create/EX-USA_mailboxes/B", false, CHECK_FAIL,
			  "cannot move");
	world_free(w);
}

static void test_sim_missing_permission_fixed_by_running_again(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", "missing-permission", 0);
	assert_int_equal(perform(w, "provider.register/A"), CHECK_PASS);
	assert_int_equal(perform(w, "rg.create/Contoso-CK-EX-NA-RGA/A"), CHECK_PASS);
	assert_int_equal(perform(w, "vault.create/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(perform(w, "vault.admins/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(perform(w, "vault.contributors/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_detail_has(w, "vault.service/EX-USA_mailboxes/A", true, CHECK_FAIL,
			  "lacks unwrapKey");
	assert_detail_has(w, "vault.access_check/EX-USA_mailboxes/A", false, CHECK_FAIL,
			  "-ServicePrincipalName 00000002-0000-0ff1-ce00-000000000000");
	assert_int_equal(perform(w, "vault.service/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_detail_has(w, "vault.access_check/EX-USA_mailboxes/A", false, CHECK_PASS,
			  "Office 365 Exchange Online 00000002-0000-0ff1-ce00-000000000000: get, "
			  "wrapKey, unwrapKey");
	world_free(w);
}

static void test_sim_admin_scope_checks_only_admins(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 0);
	assert_int_equal(perform(w, "provider.register/A"), CHECK_PASS);
	assert_int_equal(perform(w, "rg.create/Contoso-CK-EX-NA-RGA/A"), CHECK_PASS);
	assert_int_equal(perform(w, "vault.create/EX-USA_mailboxes/A"), CHECK_PASS);
	/* The creator gets every permission, delete and purge included ... */
	assert_detail_has(w, "vault.admins/EX-USA_mailboxes/A", false, CHECK_FAIL,
			  "holds delete, purge");
	/* ... the administrators step narrows it; the service principal is not
	 * this step's business, but the full check still wants it. */
	assert_int_equal(perform(w, "vault.admins/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_detail_has(w, "vault.access_check/EX-USA_mailboxes/A", false, CHECK_FAIL,
			  "lacks get, wrapKey, unwrapKey");
	assert_detail_has(w, "vault.contributors/EX-USA_mailboxes/A", false, CHECK_FAIL,
			  "carol@contoso.example has no Contributor role");
	world_free(w);
}

/* ---- Keys ----------------------------------------------------------------- */

static void test_sim_key_versions_and_attributes(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 0);
	assert_int_equal(vault_side(w, 'A'), CHECK_PASS);
	const char *k = "key.create/EX-USA_mailboxes/A";
	char *d1 = NULL, *d2 = NULL;
	assert_int_equal(run(w, k, true, &d1), CHECK_PASS);
	assert_non_null(strstr(d1, "kty: RSA-HSM\nkey_size: 3072\nkey_ops: wrapKey, unwrapKey\n"));
	assert_non_null(strstr(d1, "kid: https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
				   "Contoso-CK-EX-NA-VaultA1-Key001/"));
	/* Add-AzKeyVaultKey on an existing name: a new version. */
	assert_int_equal(run(w, k, true, &d2), CHECK_PASS);
	const char *v1 = strstr(d1, "Key001/") + 7, *v2 = strstr(d2, "Key001/") + 7;
	assert_int_equal(strspn(v1, "0123456789abcdef"), 32);
	assert_int_equal(strspn(v2, "0123456789abcdef"), 32);
	assert_memory_not_equal(v1, v2, 32);
	assert_non_null(strstr(d2, "new version"));
	free(d1);
	free(d2);
	assert_detail_has(w, "key.expiry/EX-USA_mailboxes/A", false, CHECK_PASS, "exp: (none)");
	/* The URI step names the version to enter. */
	assert_detail_has(w, "key.uri/EX-USA_mailboxes/A", true, CHECK_PASS,
			  "Key URI https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			  "Contoso-CK-EX-NA-VaultA1-Key001/");
	/* Validation wants what Microsoft 365 will need, the recovery level too. */
	assert_detail_has(w, "vault.validate/EX-USA_mailboxes/A", false, CHECK_FAIL,
			  "not Recoverable+ProtectedSubscription");
	world_free(w);
}

/* An expiry cannot be removed; the fix moves it to 9999-12-31, and that
 * exact value (beyond INT_MAX) survives a save and a reload. */
static void test_sim_expiring_key_fix_sets_9999(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", "expiring-key=10", 0);
	assert_int_equal(vault_side(w, 'A'), CHECK_PASS);
	assert_int_equal(perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_detail_has(w, "key.expiry/EX-USA_mailboxes/A", false, CHECK_FAIL,
			  "expires 2026-11-28T");
	/* Performing the step first looks, as its Get command does ... */
	assert_detail_has(w, "key.expiry/EX-USA_mailboxes/A", true, CHECK_FAIL,
			  "-Expires (Get-Date -Date '12/31/9999')");
	/* ... and then runs the recipe shown for an expiry. */
	assert_detail_has(w, "key.expiry/EX-USA_mailboxes/A", true, CHECK_PASS,
			  "exp: 253402214400 (9999-12-31T00:00:00Z)");
	char *err = NULL;
	assert_int_equal(w->b->ops->save(w->b, &err), 0);
	backend_free(w->b);
	w->b = backend_sim_open(w->path, w->cat, NULL, 0, &err);
	assert_non_null(w->b);
	assert_detail_has(w, "key.expiry/EX-USA_mailboxes/A", false, CHECK_PASS,
			  "exp: 253402214400");
	/* A new key version was not asked for by the fault: spent once. */
	assert_int_equal(perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_detail_has(w, "key.expiry/EX-USA_mailboxes/A", false, CHECK_PASS, "exp: (none)");
	/* The URI step names the version to enter. */
	assert_detail_has(w, "key.uri/EX-USA_mailboxes/A", true, CHECK_PASS,
			  "Key URI https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			  "Contoso-CK-EX-NA-VaultA1-Key001/");
	/* Validation wants what Microsoft 365 will need, the recovery level too. */
	assert_detail_has(w, "vault.validate/EX-USA_mailboxes/A", false, CHECK_FAIL,
			  "not Recoverable+ProtectedSubscription");
	world_free(w);
}

/* Recoverable+ProtectedSubscription only with the retention period
 * Registered, soft delete with 90 days and purge protection. */
static void test_sim_recovery_level_rule(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, DAY);
	assert_int_equal(vault_side(w, 'A'), CHECK_PASS);
	assert_int_equal(perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	const char *rec = "key.recovery/EX-USA_mailboxes/A";
	assert_detail_has(w, rec, false, CHECK_FAIL, "recoveryLevel: Recoverable\n");
	assert_int_equal(perform(w, "retention.register/A"), CHECK_PASS);
	assert_int_equal(perform(w, "onboard.email/EX"), CHECK_PASS);
	assert_detail_has(w, rec, false, CHECK_PENDING, "recoveryLevel: Recoverable\n");
	w->now += DAY;
	assert_detail_has(w, rec, false, CHECK_PASS,
			  "recoveryLevel: Recoverable+ProtectedSubscription");

	struct sim_state *st = w->b->state;
	struct sim_vault *v = sim_vault(st, "Contoso-CK-EX-NA-VaultA1");
	assert_non_null(v);
	v->retention_days = 30;
	assert_detail_has(w, rec, false, CHECK_FAIL,
			  "recoveryLevel: CustomizedRecoverable+ProtectedSubscription");
	v->purge_protection = false;
	assert_detail_has(w, rec, false, CHECK_FAIL,
			  "recoveryLevel: CustomizedRecoverable+Purgeable");
	v->retention_days = 90;
	assert_detail_has(w, rec, false, CHECK_FAIL, "recoveryLevel: Recoverable+Purgeable");
	/* The soft-delete step's recipe turns purge protection back on. */
	assert_int_equal(perform(w, "vault.softdelete/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(check(w, rec), CHECK_PASS);
	world_free(w);
}

static void test_sim_backup_writes_a_file_the_evidence_can_hash(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 0);
	assert_int_equal(vault_side(w, 'A'), CHECK_PASS);
	const char *bk = "key.backup/EX-USA_mailboxes/A";
	assert_detail_has(w, bk, false, CHECK_FAIL, "KeyNotFound");
	assert_int_equal(perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_detail_has(w, bk, false, CHECK_FAIL, "No backup holds");
	char *d = NULL;
	assert_int_equal(run(w, bk, true, &d), CHECK_PASS);
	char *path = xasprintf("%s/Contoso-CK-EX-NA-VaultA1-Key001-Backup-20261118.backup", w->dir);
	char hex[65];
	assert_int_equal(hash_file_sha256_hex(path, hex), 0);
	assert_non_null(strstr(d, hex));
	free(d);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* Deterministic: the same version backs up to the same bytes. */
	assert_int_equal(perform(w, bk), CHECK_PASS);
	/* A changed file is noticed. */
	FILE *f = fopen(path, "ab");
	assert_non_null(f);
	fputs("x", f);
	fclose(f);
	assert_detail_has(w, bk, false, CHECK_FAIL, "changed since it was written");
	/* A new version needs a new backup; the old file is never overwritten. */
	assert_int_equal(perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_detail_has(w, bk, false, CHECK_FAIL, "No backup holds the current version");
	assert_detail_has(w, bk, true, CHECK_FAIL, "does not overwrite");
	free(path);
	world_free(w);
}

/* Management tasks: a roll makes a new version that needs a new backup; an
 * administrator's delete is granted, revoked, and the administrator removed. */
static void test_sim_management_tasks(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 0);
	assert_int_equal(vault_side(w, 'A'), CHECK_PASS);
	assert_int_equal(perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(perform(w, "key.backup/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_detail_has(w, "manage.roll/EX-USA_mailboxes/A", true, CHECK_PASS, "new version");
	assert_detail_has(w, "manage.roll_backup/EX-USA_mailboxes/A", false, CHECK_FAIL,
			  "No backup holds the current version");
	/* The same day's file holds the old version: not overwritten. */
	assert_detail_has(w, "manage.roll_backup/EX-USA_mailboxes/A", true, CHECK_FAIL,
			  "does not overwrite");
	memcpy(w->cat->today, "20261119", 9);
	assert_detail_has(w, "manage.roll_backup/EX-USA_mailboxes/A", true, CHECK_PASS,
			  "-Backup-20261119.backup");

	const char *grant = "manage.grant_delete/EX-USA_mailboxes/A/alice@contoso.example";
	const char *revoke = "manage.revoke_delete/EX-USA_mailboxes/A/alice@contoso.example";
	const char *remove = "manage.remove_admin/EX-USA_mailboxes/A/alice@contoso.example";
	assert_int_equal(check(w, grant), CHECK_FAIL);
	assert_detail_has(w, grant, true, CHECK_PASS, "delete");
	/* While it is granted the ordinary administrators check flags it. */
	assert_detail_has(w, "vault.admins/EX-USA_mailboxes/A", false, CHECK_FAIL, "holds delete");
	assert_int_equal(check(w, revoke), CHECK_FAIL);
	assert_int_equal(perform(w, revoke), CHECK_PASS);
	assert_int_equal(check(w, "vault.admins/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(check(w, remove), CHECK_FAIL);
	assert_detail_has(w, remove, true, CHECK_PASS, "AccessPolicy: alice@contoso.example: (none)");
	assert_detail_has(w, "vault.admins/EX-USA_mailboxes/A", false, CHECK_FAIL,
			  "administrator alice@contoso.example lacks");
	world_free(w);
}

/* ---- Microsoft 365 -------------------------------------------------------- */

static void test_sim_dep_needs_usable_keys_and_mailboxes_wait(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", "missing-permission=get", DAY);
	onboard(w);
	assert_int_equal(vault_side(w, 'B'), CHECK_FAIL); /* the fault is spent on B ... */
	assert_detail_has(w, "vault.access_check/EX-USA_mailboxes/B", false, CHECK_FAIL,
			  "lacks get");
	assert_int_equal(vault_side(w, 'A'), CHECK_PASS); /* ... so A is fine */
	assert_int_equal(perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(perform(w, "key.create/EX-USA_mailboxes/B"), CHECK_PASS);
	assert_detail_has(w, "dep.exchange.create/EX-USA_mailboxes", true, CHECK_FAIL,
			  "lacks wrapKey, unwrapKey or get on vault Contoso-CK-EX-NA-VaultB1");
	assert_int_equal(perform(w, "vault.service/EX-USA_mailboxes/B"), CHECK_PASS);
	assert_detail_has(w, "dep.exchange.create/EX-USA_mailboxes", true, CHECK_PASS,
			  "AzureKeyIDs: https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			  "Contoso-CK-EX-NA-VaultA1-Key001, https://Contoso-CK-EX-NA-VaultB1");
	const char *mb = "dep.exchange.verify/EX-USA_mailboxes/alice@contoso.example";
	assert_detail_has(w, mb, true, CHECK_FAIL, "IsEncrypted: False");
	assert_int_equal(perform(w, "dep.exchange.assign/EX-USA_mailboxes/alice@contoso.example"),
			 CHECK_PASS);
	w->now += 72 * 3600 - 1;
	assert_detail_has(w, mb, true, CHECK_PENDING, "IsEncrypted: False");
	w->now += 1;
	assert_detail_has(w, mb, true, CHECK_PASS, "IsEncrypted: True");
	world_free(w);
}

static void test_sim_sharepoint_registers_with_percentage(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-all.yaml", NULL, DAY);
	onboard(w);
	for (size_t i = 0; i < w->cat->n_steps; i++)
		if (strcmp(w->cat->steps[i].template_id, "provider.register") == 0 ||
		    strcmp(w->cat->steps[i].template_id, "rg.create") == 0)
			assert_int_equal(perform(w, w->cat->steps[i].id), CHECK_PASS);
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (s->phase == PHASE_VAULTS || s->phase == PHASE_KEYS)
			if (s->dep && s->dep->workload == WL_SHAREPOINT &&
			    strcmp(s->template_id, "key.import") != 0)
				assert_int_equal(perform(w, s->id), CHECK_PASS);
	}
	const struct step *reg = NULL;
	for (size_t i = 0; i < w->cat->n_steps; i++)
		if (strcmp(w->cat->steps[i].template_id, "dep.sharepoint.register") == 0)
			reg = &w->cat->steps[i];
	if (!reg || !reg->dep)
		fail_msg("no SharePoint DEP in contoso-all.yaml");
	char *verify = xasprintf("dep.sharepoint.verify/%s", reg->dep->id);
	assert_detail_has(w, reg->id, true, CHECK_PASS, "State: Registering (0%)");
	w->now += SIM_SPO_REGISTER_SECONDS / 2;
	assert_detail_has(w, verify, true, CHECK_PENDING, "State: Registering (50%)");
	w->now += SIM_SPO_REGISTER_SECONDS / 2;
	assert_detail_has(w, verify, true, CHECK_PASS, "State: Registered");
	free(verify);
	world_free(w);
}

/* ---- Faults and persistence ------------------------------------------------ */

static void test_sim_unknown_or_bad_faults_refused(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 0);
	const char *bad[] = { "vault-taken", "rbac-on=1", "expiring-key=0", "expiring-key=x",
			      "missing-permission=delete", "slow-registration=-1", "," };
	char *dir = xasprintf("%s/new.json", w->dir);
	for (size_t i = 0; i < CK_ARRAY_LEN(bad); i++) {
		char *err = NULL;
		struct backend *b = backend_sim_open(dir, w->cat, bad[i], 0, &err);
		if (b || !err)
			fail_msg("fault string \"%s\" was accepted", bad[i]);
		assert_non_null(strstr(err, "fault"));
		free(err);
	}
	for (size_t i = 0; i < CK_ARRAY_LEN(bad); i++) {
		char *err = NULL;
		assert_int_equal(backend_sim_check_faults(bad[i], &err), -1);
		assert_non_null(err);
		free(err);
	}
	char *ok_err = NULL;
	assert_int_equal(backend_sim_check_faults("vault-name-taken=X,expiring-key=5,rbac-on",
						  &ok_err), 0);
	assert_null(ok_err);
	assert_int_equal(backend_sim_check_faults(NULL, &ok_err), 0);
	char *err = NULL;
	struct backend *b = backend_sim_open(dir, w->cat, "vault-taken", 0, &err);
	assert_null(b);
	assert_non_null(strstr(err, "known faults: vault-name-taken[=NAME], missing-permission"));
	free(err);
	free(dir);
	world_free(w);
}

/* Everything the checks answer after a save and a reopen is what they
 * answered before, byte for byte. */
static void test_sim_state_round_trips(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-all.yaml", "expiring-key,missing-permission", DAY);
	onboard(w);
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (s->phase <= PHASE_KEYS && !s->management &&
		    strcmp(s->template_id, "key.import") != 0)
			perform(w, s->id);
	}
	perform(w, "dep.exchange.assign/EX-USA_mailboxes/bob@contoso.example");
	size_t n = w->cat->n_steps;
	char **before = xcalloc(n, sizeof *before);
	for (size_t i = 0; i < n; i++)
		run(w, w->cat->steps[i].id, false, &before[i]);
	char *err = NULL;
	assert_int_equal(w->b->ops->save(w->b, &err), 0);
	struct stat sb;
	assert_int_equal(stat(w->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	backend_free(w->b);
	w->b = backend_sim_open(w->path, w->cat, "expiring-key,missing-permission", 0, &err);
	assert_null(err);
	assert_non_null(w->b);
	for (size_t i = 0; i < n; i++) {
		char *after = NULL;
		run(w, w->cat->steps[i].id, false, &after);
		assert_string_equal(before[i], after);
		free(after);
		free(before[i]);
	}
	free(before);
	/* A resumed rehearsal keeps its faults: a different list is refused. */
	struct backend *b2 = backend_sim_open(w->path, w->cat, "rbac-on", 0, &err);
	assert_null(b2);
	assert_non_null(strstr(err, "cannot change them"));
	free(err);
	world_free(w);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t r;
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, r);
	fclose(f);
	buf_putc(&b, '\0');
	return buf_steal(&b);
}

/* Replace the first occurrence of from with to in s (caller frees). */
static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	assert_non_null(at);
	return xasprintf("%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
}

static void test_sim_damaged_state_refused(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 0);
	assert_int_equal(vault_side(w, 'A'), CHECK_PASS);
	assert_int_equal(perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	char *err = NULL;
	assert_int_equal(w->b->ops->save(w->b, &err), 0);
	char *good = read_all(w->path);
	struct { const char *from, *to, *says; } damage[] = {
		{ "\"format\"", "\"Format\"", "not a simulator state" },
		{ "\"faults\"", "\"Faults\"", "Faults: unknown field" },
		{ "\"enableRbacAuthorization\":\tfalse", "\"enableRbacAuthorization\":\t0",
		  "vaults[0].enableRbacAuthorization: expected true or false" },
		{ "\"exp\":\t0", "\"exp\":\t1.5", "vaults[0].keys[0].exp: expected a whole number" },
		{ "\"exp\":\t0", "\"exp\":\t0,\n\"exp\":\t0", "exp: field given twice" },
		{ "\"key_ops\":\t[\"wrapKey\"", "\"key_ops\":\t[\"wrapkey\"", "key_ops: unknown name" },
		{ "\"registrationDelay\"", "\"registrationdelay\"", "registrationdelay: unknown" },
		{ "\"tenantId\"", "\"tenantId\": \"\\u0000\", \"x\"", "invalid bytes" },
		{ "\"sku\":\t\"premium\"", "\"sku\":\t\"premium\xff\"", "invalid bytes" },
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(damage); i++) {
		char *bad = replace(good, damage[i].from, damage[i].to);
		write_file(w->path, bad);
		struct backend *b = backend_sim_open(w->path, w->cat, NULL, 0, &err);
		if (b || !err || !strstr(err, damage[i].says))
			fail_msg("damage %zu: want \"%s\", got %s", i, damage[i].says,
				 err ? err : "(accepted)");
		assert_non_null(strstr(err, "sim.json"));
		free(err);
		err = NULL;
		/* Refused, never rewritten. */
		char *still = read_all(w->path);
		assert_string_equal(still, bad);
		free(still);
		free(bad);
	}
	/* Trailing bytes, a missing field, a truncated file. */
	const char *tails[] = { "}", "x" };
	for (size_t i = 0; i < CK_ARRAY_LEN(tails); i++) {
		char *bad = xasprintf("%s%s", good, tails[i]);
		write_file(w->path, bad);
		assert_null(backend_sim_open(w->path, w->cat, NULL, 0, &err));
		assert_non_null(strstr(err, "after the JSON document"));
		free(err);
		free(bad);
	}
	char *bad = replace(good, "\"location\":\t\"eastus2\",", "");
	write_file(w->path, bad);
	assert_null(backend_sim_open(w->path, w->cat, NULL, 0, &err));
	assert_non_null(strstr(err, "location: missing field"));
	free(err);
	free(bad);
	good[strlen(good) / 2] = '\0';
	write_file(w->path, good);
	assert_null(backend_sim_open(w->path, w->cat, NULL, 0, &err));
	assert_non_null(strstr(err, "not valid JSON"));
	free(err);
	free(good);
	world_free(w);
}

static void test_sim_save_fails_cleanly(void **state)
{
	(void)state;
	struct world *w = world_new("contoso-exchange.yaml", NULL, 0);
	struct sim_state *st = w->b->state;
	free(st->path);
	st->path = xasprintf("%s/no-such-dir/sim.json", w->dir);
	char *err = NULL;
	assert_int_equal(w->b->ops->save(w->b, &err), -1);
	assert_non_null(strstr(err, "cannot write the simulator state"));
	free(err);
	world_free(w);
}

static void test_sim_names_and_status(void **state)
{
	(void)state;
	assert_string_equal(check_status_name(CHECK_PASS), "pass");
	assert_string_equal(check_status_name(CHECK_PENDING), "pending");
	assert_string_equal(step_check_kind_name(CHECK_KEY_RECOVERY), "key-recovery");
	assert_true(sim_fault_count >= 6);
	for (size_t i = 0; i < sim_fault_count; i++)
		assert_non_null(sim_fault_table[i].help);
	struct check_result r = { CHECK_PASS, xstrdup("a"), xstrdup("b") };
	check_result_free(&r);
	assert_null(r.summary);
	check_result_free(&r);
}

static int teardown(void **state)
{
	(void)state;
	if (current)
		world_free(current);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sim_every_step_passes_in_order, teardown),
		cmocka_unit_test_teardown(test_sim_checks_fail_on_an_empty_tenant, teardown),
		cmocka_unit_test_teardown(test_sim_retention_registers_only_after_email_and_delay, teardown),
		cmocka_unit_test_teardown(test_sim_slow_registration_fault, teardown),
		cmocka_unit_test_teardown(test_sim_vault_needs_provider_and_group, teardown),
		cmocka_unit_test_teardown(test_sim_rbac_on_fails_until_the_step_runs_again, teardown),
		cmocka_unit_test_teardown(test_sim_vault_name_taken_needs_a_new_name, teardown),
		cmocka_unit_test_teardown(test_sim_paired_region_is_caught, teardown),
		cmocka_unit_test_teardown(test_sim_missing_permission_fixed_by_running_again, teardown),
		cmocka_unit_test_teardown(test_sim_admin_scope_checks_only_admins, teardown),
		cmocka_unit_test_teardown(test_sim_key_versions_and_attributes, teardown),
		cmocka_unit_test_teardown(test_sim_expiring_key_fix_sets_9999, teardown),
		cmocka_unit_test_teardown(test_sim_recovery_level_rule, teardown),
		cmocka_unit_test_teardown(test_sim_backup_writes_a_file_the_evidence_can_hash, teardown),
		cmocka_unit_test_teardown(test_sim_management_tasks, teardown),
		cmocka_unit_test_teardown(test_sim_dep_needs_usable_keys_and_mailboxes_wait, teardown),
		cmocka_unit_test_teardown(test_sim_sharepoint_registers_with_percentage, teardown),
		cmocka_unit_test_teardown(test_sim_unknown_or_bad_faults_refused, teardown),
		cmocka_unit_test_teardown(test_sim_state_round_trips, teardown),
		cmocka_unit_test_teardown(test_sim_damaged_state_refused, teardown),
		cmocka_unit_test_teardown(test_sim_save_fails_cleanly, teardown),
		cmocka_unit_test_teardown(test_sim_names_and_status, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
