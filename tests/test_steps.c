/* test_steps.c: the catalogue (instances, ids, owners, prerequisites, seed
 * coverage) and the rendering of commands and e-mail, on a plan filled by
 * hand (steps_fixture.h). */
#include "ck.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seed_coverage.h"
#include "rules.h"
#include "azure/backend.h"
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>
#include "quote.h"
#include "text.h"
#include "steps_fixture.h"
#include "steps_int.h"

/* ---- counting by rule, from the fixture's contents -------------------- */
enum count_rule { R_ONCE, R_SUB, R_WL, R_RG, R_VAULT, R_VAULT_CONTRIB, R_DEP, R_MAILBOX,
		  R_VAULT_ADMIN };
static const struct {
	const char *id;
	enum count_rule rule;
	int workload; /* -1 all */
	int manage, create_only, import_only;
} expected_rules[] = {
	{ "prereq.licences", R_ONCE, -1, 0, 0, 0 },
	{ "prereq.tools", R_SUB, -1, 0, 0, 0 },
	{ "sub.create", R_SUB, -1, 0, 0, 0 },
	{ "fasttrack.request", R_WL, -1, 0, 0, 0 },
	{ "retention.register", R_SUB, -1, 0, 0, 0 },
	{ "retention.check", R_SUB, -1, 0, 0, 0 },
	{ "onboard.email", R_WL, -1, 0, 0, 0 },
	{ "retention.verify", R_SUB, -1, 0, 0, 0 },
	{ "provider.register", R_SUB, -1, 0, 0, 0 },
	{ "rg.create", R_RG, -1, 0, 0, 0 },
	{ "vault.create", R_VAULT, -1, 0, 0, 0 },
	{ "vault.admins", R_VAULT, -1, 0, 0, 0 },
	{ "vault.contributors", R_VAULT_CONTRIB, -1, 0, 0, 0 },
	{ "vault.service", R_VAULT, -1, 0, 0, 0 },
	{ "vault.access_check", R_VAULT, -1, 0, 0, 0 },
	{ "vault.softdelete", R_VAULT, -1, 0, 0, 0 },
	{ "key.create", R_VAULT, -1, 0, 1, 0 },
	{ "key.import", R_VAULT, -1, 0, 0, 1 },
	{ "key.expiry", R_VAULT, -1, 0, 0, 0 },
	{ "key.recovery", R_VAULT, -1, 0, 0, 0 },
	{ "key.backup", R_VAULT, -1, 0, 0, 0 },
	{ "vault.validate", R_VAULT, -1, 0, 0, 0 },
	{ "key.uri", R_VAULT, -1, 0, 0, 0 },
	{ "dep.exchange.create", R_DEP, WL_EXCHANGE, 0, 0, 0 },
	{ "dep.exchange.assign", R_MAILBOX, WL_EXCHANGE, 0, 0, 0 },
	{ "dep.sharepoint.register", R_DEP, WL_SHAREPOINT, 0, 0, 0 },
	{ "dep.multi.create", R_DEP, WL_MULTI, 0, 0, 0 },
	{ "dep.multi.assign", R_DEP, WL_MULTI, 0, 0, 0 },
	{ "dep.exchange.verify", R_MAILBOX, WL_EXCHANGE, 0, 0, 0 },
	{ "dep.sharepoint.verify", R_DEP, WL_SHAREPOINT, 0, 0, 0 },
	{ "dep.multi.verify", R_DEP, WL_MULTI, 0, 0, 0 },
	{ "manage.roll", R_VAULT, -1, 1, 0, 0 },
	{ "manage.roll_backup", R_VAULT, -1, 1, 0, 0 },
	{ "manage.refresh.exchange", R_VAULT, WL_EXCHANGE, 1, 0, 0 },
	{ "manage.refresh.sharepoint", R_VAULT, WL_SHAREPOINT, 1, 0, 0 },
	{ "manage.refresh.multi", R_VAULT, WL_MULTI, 1, 0, 0 },
	{ "manage.restore", R_VAULT, -1, 1, 0, 0 },
	{ "manage.grant_delete", R_VAULT_ADMIN, -1, 1, 0, 0 },
	{ "manage.revoke_delete", R_VAULT_ADMIN, -1, 1, 0, 0 },
	{ "manage.remove_admin", R_VAULT_ADMIN, -1, 1, 0, 0 },
	{ "manage.find_dep", R_MAILBOX, WL_EXCHANGE, 1, 0, 0 },
};

static size_t expected_count(const struct plan *p, const struct inventory *inv, size_t r,
			     bool manage)
{
	const char *src = p->kv.key_source ? p->kv.key_source : "create";
	if ((expected_rules[r].manage && !manage) ||
	    (expected_rules[r].create_only && strcmp(src, "create") != 0) ||
	    (expected_rules[r].import_only && strcmp(src, "import") != 0))
		return 0;
	int w = expected_rules[r].workload;
	size_t deps = 0, mailboxes = 0, vault_admins = 0, contrib_vaults = 0;
	bool wl_used[WL_COUNT] = { false };
	for (size_t i = 0; i < inv->n_deps; i++) {
		const struct inv_dep *d = &inv->deps[i];
		wl_used[d->workload] = true;
		if (w >= 0 && (int)d->workload != w)
			continue;
		deps++;
		mailboxes += d->n_mailboxes;
		for (int s = 0; s < CK_SIDES; s++) {
			vault_admins += p->sub[s].n_administrators;
			contrib_vaults += p->sub[s].n_contributors > 0;
		}
	}
	size_t wls = 0;
	for (int i = 0; i < WL_COUNT; i++)
		wls += wl_used[i];
	switch (expected_rules[r].rule) {
	case R_ONCE: return 1;
	case R_SUB: return CK_SIDES;
	case R_WL: return wls;
	case R_RG: return inv->n_rgs;
	case R_VAULT: return CK_SIDES * deps;
	case R_VAULT_CONTRIB: return contrib_vaults;
	case R_DEP: return deps;
	case R_MAILBOX: return mailboxes;
	case R_VAULT_ADMIN: return vault_admins;
	}
	return 0;
}

static size_t count_template(const struct catalogue *c, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_steps; i++)
		n += strcmp(c->steps[i].template_id, id) == 0;
	return n;
}

/* Shared with test files that include this one's checks (runbook counts). */
static void check_counts(const struct plan *p, const struct inventory *inv, bool manage)
{
	struct catalogue *c = catalogue_build(p, inv, manage);
	assert_non_null(c);
	size_t total = 0;
	for (size_t r = 0; r < CK_ARRAY_LEN(expected_rules); r++) {
		size_t want = expected_count(p, inv, r, manage);
		size_t got = count_template(c, expected_rules[r].id);
		if (want != got)
			fail_msg("%s: %zu instances, expected %zu", expected_rules[r].id, got, want);
		total += want;
	}
	assert_int_equal(c->n_steps, total);
	catalogue_free(c);
}

static void test_steps_counts_follow_the_plan(void **state)
{
	struct fixture *f = fixture_new();
	check_counts(&f->p, &f->inv, false);
	check_counts(&f->p, &f->inv, true);
	/* BYOK: the import step replaces the create step */
	f->p.kv.key_source = fx_mut("import");
	check_counts(&f->p, &f->inv, true);
	/* no contributors anywhere, one mailbox less, Exchange only */
	f->p.sub[0].n_contributors = 0;
	f->deps[0].n_mailboxes = 1;
	f->inv.n_deps = 1;
	f->inv.n_rgs = 2;
	check_counts(&f->p, &f->inv, true);
	fixture_free(f);
}

/* Every example plan in plans/: load it as the runbook does and count. */
static void test_steps_counts_for_example_plans(void **state)
{
	const char *dir = CK_TEST_SRCDIR "/plans";
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t plans = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0)
			continue;
		char *path = xasprintf("%s/%s", dir, de->d_name);
		struct diags dg = DIAGS_INIT;
		struct plan *p = plan_load(path, &dg);
		assert_non_null(p);
		struct inventory *inv = inventory_build(p, &dg);
		assert_non_null(inv);
		rules_check(p, inv, &dg);
		if (rules_exit_code(&dg) != CK_EXIT_OK)
			fail_msg("example plan %s has errors", path);
		assert_true(inv->n_deps > 0);
		check_counts(p, inv, false);
		check_counts(p, inv, true);
		inventory_free(inv);
		plan_free(p);
		diags_free(&dg);
		free(path);
		plans++;
	}
	closedir(d);
	assert_true(plans >= 1);
}

/* The backends name check kinds too; the two tables must agree. */
static void test_steps_check_names_agree_with_backends(void **state)
{
	for (int k = 0; k < CHECK_COUNT; k++)
		assert_string_equal(step_check_kind_name((enum check_kind)k),
				    backend_check_name((enum check_kind)k));
}

static void test_steps_every_template_is_counted(void **state)
{
	for (size_t i = 0; i < steps_def_count(); i++) {
		bool found = false;
		for (size_t r = 0; r < CK_ARRAY_LEN(expected_rules); r++)
			found |= strcmp(expected_rules[r].id, steps_def_at(i)->id) == 0;
		if (!found)
			fail_msg("template %s has no counting rule in this test", steps_def_at(i)->id);
	}
}

static void test_steps_ids_unique_prereqs_earlier(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true);
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		assert_ptr_equal(catalogue_find(c, s->id), s);
		assert_null(strchr(s->id, ' '));
		for (size_t k = 0; k < s->n_prereqs; k++) {
			const struct step *pr = catalogue_find(c, s->prereqs[k]);
			if (!pr || pr >= s)
				fail_msg("%s: prerequisite %s is not an earlier step", s->id,
					 s->prereqs[k]);
		}
		/* phases never go backwards */
		if (i)
			assert_true(c->steps[i - 1].phase <= s->phase);
		/* every step but the very first depends on something */
		if (i && s->n_prereqs == 0)
			fail_msg("%s has no prerequisite", s->id);
	}
	/* the mailbox with a quote and a slash stays one id part */
	assert_non_null(catalogue_find(c, "dep.exchange.assign/EX-USA_mailboxes/o'brien%2Fops@contoso.com"));
	const struct step *dep = catalogue_find(c, "dep.exchange.create/EX-USA_mailboxes");
	assert_non_null(dep);
	assert_int_equal(dep->n_prereqs, 2);
	assert_string_equal(dep->prereqs[0], "key.uri/EX-USA_mailboxes/A");
	assert_string_equal(dep->prereqs[1], "key.uri/EX-USA_mailboxes/B");
	const struct step *v = catalogue_find(c, "vault.create/SP-NAM/B");
	assert_non_null(v);
	assert_int_equal(v->n_prereqs, 1);
	assert_string_equal(v->prereqs[0], "rg.create/Contoso-CK-SP-NA-RGB/B");
	assert_null(catalogue_find(c, "no.such/step"));
	catalogue_free(c);
	fixture_free(f);
}

static void test_steps_owners_and_witnesses(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true);
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		if (s->def->owner == OWNER_TENANT)
			assert_int_equal(s->owner, f->p.tenant_admin);
		else
			assert_int_equal(s->owner, f->p.sub[s->side].operator_side);
		if (s->critical) {
			assert_true(s->witness);
			assert_non_null(s->confirm_name);
		}
		assert_int_equal(s->management, s->phase == PHASE_MANAGE);
		assert_non_null(s->title);
		assert_non_null(s->why);
		assert_true(s->n_evidence > 0);
	}
	/* the fixture crosses sides: subscription A belongs to operator B */
	assert_int_equal(catalogue_find(c, "vault.create/EX-USA_mailboxes/A")->owner, CK_SIDE_B);
	assert_string_equal(catalogue_find(c, "vault.create/EX-USA_mailboxes/A")->confirm_name,
			    "Contoso-CK-EX-NA-VaultA1");
	assert_string_equal(catalogue_find(c, "vault.create/EX-USA_mailboxes/A")->subject,
			    "Contoso-CK-EX-NA-VaultA1");
	assert_string_equal(catalogue_find(c, "retention.register/B")->subject, "subscription B");
	assert_null(catalogue_find(c, "prereq.licences")->subject);
	const char *irreversible[] = { "vault.create/MW/A", "key.create/MW/B", "key.backup/MW/A",
				       "vault.service/SP-NAM/A", "dep.sharepoint.register/SP-NAM",
				       "dep.multi.assign/MW", "manage.grant_delete/MW/A/carol@contoso.com" };
	for (size_t i = 0; i < CK_ARRAY_LEN(irreversible); i++) {
		const struct step *s = catalogue_find(c, irreversible[i]);
		assert_non_null(s);
		assert_true(s->witness);
	}
	const struct step *e = catalogue_find(c, "onboard.email/SP");
	assert_int_equal(e->wait.kind, WAIT_EVENT);
	assert_int_equal(e->wait.max_business_days, 5);
	assert_int_equal(catalogue_find(c, "dep.exchange.assign/EX-USA_mailboxes/ann@contoso.com")->wait.hours, 72);
	catalogue_free(c);
	fixture_free(f);
}

static void test_steps_management_only_when_asked(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, false);
	for (size_t i = 0; i < c->n_steps; i++)
		assert_false(c->steps[i].management);
	assert_null(catalogue_find(c, "manage.roll/MW/A"));
	catalogue_free(c);
	assert_null(catalogue_build(NULL, &f->inv, false));
	/* a plan whose sides are unusable gets no catalogue, not a crash */
	f->p.tenant_admin = CK_SIDE_NONE;
	assert_null(catalogue_build(&f->p, &f->inv, false));
	f->p.tenant_admin = CK_SIDE_A;
	f->p.sub[1].operator_side = 7;
	assert_null(catalogue_build(&f->p, &f->inv, false));
	fixture_free(f);
}

static void test_steps_seed_coverage(void **state)
{
	/* each section's templates exist ... */
	for (size_t i = 0; i < CK_ARRAY_LEN(seed_sections); i++) {
		const char *t = seed_sections[i].templates;
		if (strcmp(t, "-") == 0)
			continue;
		char *copy = xstrdup(t), *save = NULL;
		for (char *id = strtok_r(copy, " ", &save); id; id = strtok_r(NULL, " ", &save))
			if (!steps_def_find(id))
				fail_msg("seed %s \"%s\": no step template %s", seed_sections[i].file,
					 seed_sections[i].heading, id);
		free(copy);
	}
	/* ... and every template comes from some section */
	for (size_t k = 0; k < steps_def_count(); k++) {
		bool named = false;
		for (size_t i = 0; i < CK_ARRAY_LEN(seed_sections); i++) {
			const char *t = seed_sections[i].templates;
			const char *at = strstr(t, steps_def_at(k)->id);
			size_t n = strlen(steps_def_at(k)->id);
			while (at && !named) {
				named = (at == t || at[-1] == ' ') && (at[n] == ' ' || at[n] == '\0');
				at = strstr(at + 1, steps_def_at(k)->id);
			}
		}
		if (!named)
			fail_msg("template %s is covered by no seed section", steps_def_at(k)->id);
	}
	/* the headings are the documents' own (when the seeds are at hand) */
	const char *dir = getenv("CK_SEEDS_DIR");
	if (!dir)
		return;
	static const char *const files[2][2] = { { "000", "000_fad2c3956f1a7757.txt" },
						 { "004", "004_67db9fd2ac017b64.txt" } };
	for (int fi = 0; fi < 2; fi++) {
		char *path = xasprintf("%s/%s", dir, files[fi][1]);
		FILE *fp = fopen(path, "r");
		assert_non_null(fp);
		static char text[200000];
		size_t n = fread(text, 1, sizeof text - 1, fp);
		text[n] = '\0';
		fclose(fp);
		free(path);
		for (size_t i = 0; i < CK_ARRAY_LEN(seed_sections); i++)
			if (strcmp(seed_sections[i].file, files[fi][0]) == 0 &&
			    !strstr(text, seed_sections[i].heading))
				fail_msg("heading not in seed %s: %s", files[fi][0],
					 seed_sections[i].heading);
	}
}

/* ---- rendering ---------------------------------------------------------- */
struct ev { const char *step, *id, *value; };
static const char *ev_get(void *ctx, const char *step_id, const char *evidence_id)
{
	for (const struct ev *e = ctx; e->step; e++)
		if (strcmp(e->step, step_id) == 0 && strcmp(e->id, evidence_id) == 0)
			return e->value;
	return NULL;
}

static void *fx_void(const void *p)
{
	union { const void *c; void *m; } u = { p };
	return u.m;
}

static char *render(const struct catalogue *c, const char *id, enum step_shell sh,
		    const struct ev *evs, int *ph)
{
	struct buf b = BUF_INIT;
	const struct step *s = catalogue_find(c, id);
	assert_non_null(s);
	*ph = steps_render_commands(c, s, sh, evs ? ev_get : NULL, fx_void(evs), &b);
	return buf_steal(&b);
}

static void test_steps_render_vault_create(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, false);
	int ph;
	char *ps = render(c, "vault.create/EX-USA_mailboxes/B", SHELL_POWERSHELL, NULL, &ph);
	assert_int_equal(ph, 0);
	assert_string_equal(ps,
		"Set-AzContext -SubscriptionId '22222222-2222-4222-8222-222222222222'\n"
		"New-AzKeyVault -VaultName 'Contoso-CK-EX-NA-VaultB1' -ResourceGroupName "
		"'Contoso-CK-EX-NA-RGB' -Location 'westus3' -Sku 'Premium' -EnablePurgeProtection "
		"-SoftDeleteRetentionInDays '90' -DisableRbacAuthorization\n");
	char *sh = render(c, "vault.create/EX-USA_mailboxes/B", SHELL_BASH, NULL, &ph);
	assert_int_equal(ph, 0);
	assert_true(util_has_prefix(sh, "az account set --subscription "
				       "'22222222-2222-4222-8222-222222222222'\n"));
	assert_non_null(strstr(sh, "--enable-rbac-authorization false"));
	assert_non_null(strstr(sh, "--retention-days '90' --enable-purge-protection true"));
	free(ps);
	free(sh);
	/* every per-subscription Az block starts by selecting its subscription */
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		if (s->def->session != SESS_AZ)
			continue;
		struct buf b = BUF_INIT;
		steps_render_commands(c, s, SHELL_POWERSHELL, NULL, NULL, &b);
		char *want = xasprintf("Set-AzContext -SubscriptionId '%s'\n", f->p.sub[s->side].id);
		if (!util_has_prefix(b.p, want))
			fail_msg("%s does not start with Set-AzContext", s->id);
		free(want);
		buf_free(&b);
	}
	catalogue_free(c);
	fixture_free(f);
}

static void test_steps_render_loops_and_quotes(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true);
	int ph;
	char *ps = render(c, "vault.admins/SP-NAM/A", SHELL_POWERSHELL, NULL, &ph);
	assert_int_equal(ph, 0);
	assert_non_null(strstr(ps, "-UserPrincipalName 'alice@contoso.com' -PermissionsToKeys "
				   "create,import,list,get,backup,restore\n"));
	assert_non_null(strstr(ps, "'carol@contoso.com'"));
	assert_null(strstr(ps, "delete"));
	free(ps);
	/* a mailbox with a quote: doubled for PowerShell, '\'' for sh */
	ps = render(c, "dep.exchange.assign/EX-USA_mailboxes/o'brien%2Fops@contoso.com",
		    SHELL_POWERSHELL, NULL, &ph);
	assert_non_null(strstr(ps, "Connect-ExchangeOnline -UserPrincipalName 'bob@contoso.com'\n"));
	assert_non_null(strstr(ps, "Set-Mailbox -Identity 'o''brien/ops@contoso.com' "
				   "-DataEncryptionPolicy 'USA_mailboxes'\n"));
	free(ps);
	/* Exchange has no az equivalent: PowerShell even when bash is asked */
	const struct step *s = catalogue_find(c, "dep.exchange.create/EX-USA_mailboxes");
	assert_int_equal(steps_command_shell(s, SHELL_BASH), SHELL_POWERSHELL);
	ps = render(c, "dep.exchange.create/EX-USA_mailboxes", SHELL_BASH, NULL, &ph);
	assert_true(util_has_prefix(ps, "# "));
	assert_non_null(strstr(ps, "-AzureKeyIDs 'https://Contoso-CK-EX-NA-VaultA1.vault.azure.net"
				   "/keys/Contoso-CK-EX-NA-VaultA1-Key001', 'https://"));
	free(ps);
	assert_int_equal(steps_command_shell(catalogue_find(c, "onboard.email/EX"), SHELL_BASH), -1);
	/* backup names carry the catalogue's date */
	memcpy(c->today, "20260102", 9);
	ps = render(c, "key.backup/MW/B", SHELL_BASH, NULL, &ph);
	assert_non_null(strstr(ps, "--file 'Contoso-CK-MW-NA-VaultB1-Key001-Backup-20260102.backup'"));
	free(ps);
	/* a description that cannot be pasted safely is refused, the line disarmed */
	f->deps[2].description = "two\nlines";
	ps = render(c, "dep.multi.create/MW", SHELL_POWERSHELL, NULL, &ph);
	assert_int_equal(ph, 1);
	assert_non_null(strstr(ps, "\n# NOT READY: New-M365DataAtRestEncryptionPolicy"));
	assert_null(strstr(ps, "two\nlines"));
	free(ps);
	catalogue_free(c);
	fixture_free(f);
}

static void test_steps_render_from_evidence(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true);
	int ph;
	char *ps = render(c, "dep.sharepoint.register/SP-NAM", SHELL_POWERSHELL, NULL, &ph);
	assert_int_equal(ph, 2);
	assert_non_null(strstr(ps, "Connect-SPOService -Url 'https://contoso-admin.sharepoint.com'\n"
				   "# NOT READY: Register-SPODataEncryptionPolicy"));
	assert_non_null(strstr(ps, "<key version from step key.uri/SP-NAM/A>"));
	free(ps);
	const struct ev evs[] = {
		{ "key.uri/SP-NAM/A", "key_uri",
		  "https://Contoso-CK-SP-NA-VaultA1.vault.azure.net/keys/Contoso-CK-SP-NA-VaultA1-Key001/"
		  "0123456789abcdef0123456789abcdef" },
		{ "key.uri/SP-NAM/B", "key_uri",
		  "https://Contoso-CK-SP-NA-VaultB1.vault.azure.net/keys/Contoso-CK-SP-NA-VaultB1-Key001/"
		  "fedcba9876543210fedcba9876543210" },
		{ "key.backup/SP-NAM/A", "backup_file",
		  "sha256:00  /media/safe/Contoso-CK-SP-NA-VaultA1-Key001-Backup-20260101.backup" },
		{ "manage.find_dep/EX-USA_mailboxes/ann@contoso.com", "dep_guid",
		  "44444444-4444-4444-8444-444444444444" },
		{ NULL, NULL, NULL },
	};
	ps = render(c, "dep.sharepoint.register/SP-NAM", SHELL_POWERSHELL, evs, &ph);
	assert_int_equal(ph, 0);
	assert_non_null(strstr(ps, "\nRegister-SPODataEncryptionPolicy -Identity "
				   "'https://contoso-admin.sharepoint.com' -PrimaryKeyVaultName "
				   "'Contoso-CK-SP-NA-VaultA1' -PrimaryKeyName 'Contoso-CK-SP-NA-VaultA1-Key001' "
				   "-PrimaryKeyVersion '0123456789abcdef0123456789abcdef' "
				   "-SecondaryKeyVaultName 'Contoso-CK-SP-NA-VaultB1'"));
	assert_non_null(strstr(ps, "-SecondaryKeyVersion 'fedcba9876543210fedcba9876543210'\n"));
	free(ps);
	ps = render(c, "manage.restore/SP-NAM/A", SHELL_BASH, evs, &ph);
	assert_int_equal(ph, 0);
	assert_non_null(strstr(ps, "--file '/media/safe/Contoso-CK-SP-NA-VaultA1-Key001-Backup-20260101.backup'"));
	free(ps);
	ps = render(c, "manage.find_dep/EX-USA_mailboxes/ann@contoso.com", SHELL_POWERSHELL, evs, &ph);
	assert_int_equal(ph, 0);
	assert_non_null(strstr(ps, "Get-DataEncryptionPolicy -Identity '44444444-4444-4444-8444-444444444444'"));
	free(ps);
	catalogue_free(c);
	fixture_free(f);
}

/* Outside PowerShell single-quoted strings at the end of the line? */
static bool ps_line_balanced(const char *line)
{
	size_t len = strlen(line), i = 0;
	bool in = false;
	uint32_t cp, next;
	while (i < len) {
		if (text_utf8_next(line, len, &i, &cp) < 0)
			return false;
		if (!quote_ps_is_single_quote(cp))
			continue;
		if (!in) {
			in = true;
			continue;
		}
		size_t at = i;
		if (i < len && text_utf8_next(line, len, &i, &next) == 0 &&
		    quote_ps_is_single_quote(next))
			continue; /* a doubled quote inside */
		i = at;
		in = false;
	}
	return !in;
}

static int sh_syntax_ok(const char *script)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-n", "-c", script, (char *)NULL);
		_exit(127);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* With a hostile description and mailbox in the plan, every rendered line
 * still parses: PowerShell lines end outside any string, and the whole bash
 * rendering passes `sh -n`. */
static void test_steps_rendered_lines_parse(void **state)
{
	struct fixture *f = fixture_new();
	f->deps[0].description = "Bob's \xe2\x80\x98mailboxes\xe2\x80\x99; $(reboot) `id` \"x\"";
	f->deps[2].description = "'; Remove-Item -Recurse C:\\ #";
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true);
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		for (int sh = 0; sh < 2; sh++) {
			struct buf b = BUF_INIT;
			steps_render_commands(c, s, (enum step_shell)sh, NULL, NULL, &b);
			if (steps_command_shell(s, (enum step_shell)sh) == SHELL_BASH) {
				buf_puts(&all, buf_str(&b));
			} else {
				char *copy = xstrdup(buf_str(&b)), *save = NULL;
				for (char *l = strtok_r(copy, "\n", &save); l;
				     l = strtok_r(NULL, "\n", &save))
					if (l[0] != '#' && !ps_line_balanced(l))
						fail_msg("%s: unbalanced PowerShell line: %s", s->id, l);
				free(copy);
			}
			buf_free(&b);
		}
	}
	assert_true(all.len > 1000);
	if (!sh_syntax_ok(all.p))
		fail_msg("the bash rendering does not parse:\n%s", all.p);
	buf_free(&all);
	catalogue_free(c);
	fixture_free(f);
}

static void test_steps_email_draft(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, false);
	const struct step *s = catalogue_find(c, "onboard.email/SP");
	struct buf b = BUF_INIT;
	assert_int_equal(steps_render_text(c, s, NULL, NULL, &b), 3);
	assert_true(util_has_prefix(b.p, "To: spock@microsoft.com\n"
					  "Subject: Customer Key for contoso.onmicrosoft.com\n"));
	assert_non_null(strstr(b.p, "<FastTrack request ID from step fasttrack.request/SP>"));
	buf_free(&b);
	const struct ev evs[] = {
		{ "fasttrack.request/SP", "fasttrack_id", "FT-123456" },
		{ "retention.check/A", "feature_output", "FeatureName State\nmandatory Pending" },
		{ "retention.check/B", "feature_output", "state\xe2\x80\xae evil" },
		{ NULL, NULL, NULL },
	};
	f->p.email_alias[WL_SHAREPOINT] = fx_mut("ck-onboard@example.com");
	assert_int_equal(steps_render_text(c, s, ev_get, fx_void(evs), &b), 0);
	assert_true(util_has_prefix(b.p, "To: ck-onboard@example.com\n"));
	assert_non_null(strstr(b.p, "FastTrack request ID: FT-123456\n"));
	assert_non_null(strstr(b.p, "- 11111111-1111-4111-8111-111111111111\n"));
	assert_non_null(strstr(b.p, "FeatureName State\nmandatory Pending\n"));
	assert_non_null(strstr(b.p, "state<U+202E> evil"));
	assert_non_null(strstr(b.p, "Bob Berg <bob@contoso.com>"));
	buf_free(&b);
	/* FastTrack: the form with the officers */
	s = catalogue_find(c, "fasttrack.request/EX");
	assert_int_equal(steps_render_text(c, s, NULL, NULL, &b), 0);
	assert_non_null(strstr(b.p, "Request encryption key help for Exchange"));
	assert_non_null(strstr(b.p, "Olga Officer, CISO <olga@contoso.com>"));
	buf_free(&b);
	catalogue_free(c);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_counts_follow_the_plan),
		cmocka_unit_test(test_steps_counts_for_example_plans),
		cmocka_unit_test(test_steps_check_names_agree_with_backends),
		cmocka_unit_test(test_steps_every_template_is_counted),
		cmocka_unit_test(test_steps_ids_unique_prereqs_earlier),
		cmocka_unit_test(test_steps_owners_and_witnesses),
		cmocka_unit_test(test_steps_management_only_when_asked),
		cmocka_unit_test(test_steps_seed_coverage),
		cmocka_unit_test(test_steps_render_vault_create),
		cmocka_unit_test(test_steps_render_loops_and_quotes),
		cmocka_unit_test(test_steps_render_from_evidence),
		cmocka_unit_test(test_steps_rendered_lines_parse),
		cmocka_unit_test(test_steps_email_draft),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
