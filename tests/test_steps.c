/* test_steps.c: the catalogue (instances, ids, owners, prerequisites, seed
 * coverage), on a plan filled by hand (steps_fixture.h) and on every example
 * plan. Rendering is tested in test_steps_render.c. */
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
#include <malloc.h>
#include "steps_fixture.h"
#include "steps_int.h"
#include "runbook.h"

/* ---- counting by rule, from the fixture's contents -------------------- */
enum count_rule { R_ONCE, R_SUB, R_WL, R_RG, R_VAULT, R_VAULT_CONTRIB, R_DEP, R_MAILBOX,
		  R_VAULT_ADMIN, R_OFFICER, R_HSM_OFFICER };
/* Which plans have the template: both, key-vault plans only, Managed HSM
 * plans only (catalogue 3). */
enum { ST_BOTH, ST_VAULTS, ST_HSM };
static const struct {
	const char *id;
	enum count_rule rule;
	int workload; /* -1 all */
	int manage, create_only, import_only;
	int path; /* 0 both, 1 FastTrack and e-mail only, 2 onboarding service only */
	int store; /* ST_* */
} expected_rules[] = {
	{ "prereq.licences", R_ONCE, -1, 0, 0, 0, 0, ST_BOTH },
	{ "prereq.tools", R_SUB, -1, 0, 0, 0, 0, ST_BOTH },
	{ "sub.create", R_SUB, -1, 0, 0, 0, 0, ST_BOTH },
	{ "fasttrack.request", R_WL, -1, 0, 0, 0, 1, ST_BOTH },
	{ "retention.register", R_SUB, -1, 0, 0, 0, 0, ST_BOTH },
	{ "retention.check", R_SUB, -1, 0, 0, 0, 0, ST_BOTH },
	{ "onboard.email", R_WL, -1, 0, 0, 0, 1, ST_BOTH },
	{ "retention.verify", R_SUB, -1, 0, 0, 0, 0, ST_BOTH },
	{ "provider.register", R_SUB, -1, 0, 0, 0, 0, ST_BOTH },
	{ "rg.create", R_RG, -1, 0, 0, 0, 0, ST_BOTH },
	{ "hsm.create", R_SUB, -1, 0, 0, 0, 0, ST_HSM },
	{ "hsm.officer.key", R_OFFICER, -1, 0, 0, 0, 0, ST_HSM },
	{ "hsm.activate", R_SUB, -1, 0, 0, 0, 0, ST_HSM },
	{ "hsm.officer.ack", R_HSM_OFFICER, -1, 0, 0, 0, 0, ST_HSM },
	{ "hsm.check", R_SUB, -1, 0, 0, 0, 0, ST_HSM },
	{ "hsm.role.admins", R_SUB, -1, 0, 0, 0, 0, ST_HSM },
	{ "hsm.role.service", R_SUB, -1, 0, 0, 0, 0, ST_HSM },
	{ "hsm.recovery_rehearsal", R_SUB, -1, 1, 0, 0, 0, ST_HSM },
	{ "vault.create", R_VAULT, -1, 0, 0, 0, 0, ST_VAULTS },
	{ "sp.register", R_WL, -1, 0, 0, 0, 0, ST_BOTH },
	{ "vault.admins", R_VAULT, -1, 0, 0, 0, 0, ST_VAULTS },
	{ "vault.contributors", R_VAULT_CONTRIB, -1, 0, 0, 0, 0, ST_VAULTS },
	{ "vault.service", R_VAULT, -1, 0, 0, 0, 0, ST_VAULTS },
	{ "vault.access_check", R_VAULT, -1, 0, 0, 0, 0, ST_VAULTS },
	{ "vault.softdelete", R_VAULT, -1, 0, 0, 0, 0, ST_VAULTS },
	{ "key.create", R_VAULT, -1, 0, 1, 0, 0, ST_BOTH },
	{ "key.import", R_VAULT, -1, 0, 0, 1, 0, ST_VAULTS },
	{ "key.expiry", R_VAULT, -1, 0, 0, 0, 0, ST_VAULTS },
	{ "key.recovery", R_VAULT, -1, 0, 0, 0, 0, ST_BOTH },
	{ "key.backup", R_VAULT, -1, 0, 0, 0, 0, ST_BOTH },
	{ "vault.validate", R_VAULT, -1, 0, 0, 0, 0, ST_VAULTS },
	{ "key.uri", R_VAULT, -1, 0, 0, 0, 0, ST_BOTH },
	{ "onboard.service.validate", R_DEP, -1, 0, 0, 0, 2, ST_BOTH },
	{ "onboard.service.enable", R_DEP, -1, 0, 0, 0, 2, ST_BOTH },
	{ "dep.exchange.create", R_DEP, WL_EXCHANGE, 0, 0, 0, 0, ST_BOTH },
	{ "dep.exchange.assign", R_MAILBOX, WL_EXCHANGE, 0, 0, 0, 0, ST_BOTH },
	{ "dep.sharepoint.register", R_DEP, WL_SHAREPOINT, 0, 0, 0, 0, ST_BOTH },
	{ "dep.multi.create", R_DEP, WL_MULTI, 0, 0, 0, 0, ST_BOTH },
	{ "dep.multi.assign", R_DEP, WL_MULTI, 0, 0, 0, 0, ST_BOTH },
	{ "dep.exchange.verify", R_MAILBOX, WL_EXCHANGE, 0, 0, 0, 0, ST_BOTH },
	{ "dep.sharepoint.verify", R_DEP, WL_SHAREPOINT, 0, 0, 0, 0, ST_BOTH },
	{ "dep.multi.verify", R_DEP, WL_MULTI, 0, 0, 0, 0, ST_BOTH },
	{ "manage.roll", R_VAULT, -1, 1, 0, 0, 0, ST_BOTH },
	{ "manage.roll_backup", R_VAULT, -1, 1, 0, 0, 0, ST_BOTH },
	{ "manage.refresh.exchange", R_VAULT, WL_EXCHANGE, 1, 0, 0, 0, ST_BOTH },
	{ "manage.refresh_check.exchange", R_VAULT, WL_EXCHANGE, 1, 0, 0, 0, ST_BOTH },
	{ "manage.refresh.sharepoint", R_VAULT, WL_SHAREPOINT, 1, 0, 0, 0, ST_BOTH },
	{ "manage.refresh.multi", R_VAULT, WL_MULTI, 1, 0, 0, 0, ST_BOTH },
	{ "manage.restore", R_VAULT, -1, 1, 0, 0, 0, ST_BOTH },
	{ "manage.restore_revoke", R_VAULT, -1, 1, 0, 0, 0, ST_VAULTS },
	{ "manage.grant_delete", R_VAULT_ADMIN, -1, 1, 0, 0, 0, ST_VAULTS },
	{ "manage.revoke_delete", R_VAULT_ADMIN, -1, 1, 0, 0, 0, ST_VAULTS },
	{ "manage.remove_admin", R_VAULT_ADMIN, -1, 1, 0, 0, 0, ST_VAULTS },
	{ "manage.find_dep", R_MAILBOX, WL_EXCHANGE, 1, 0, 0, 0, ST_BOTH },
	{ "manage.replace.exchange", R_DEP, WL_EXCHANGE, 1, 0, 0, 0, ST_BOTH },
	{ "manage.replace.multi", R_DEP, WL_MULTI, 1, 0, 0, 0, ST_BOTH },
	{ "manage.mailuser.assign", R_DEP, WL_EXCHANGE, 1, 0, 0, 0, ST_BOTH },
	{ "manage.unassign.exchange", R_MAILBOX, WL_EXCHANGE, 1, 0, 0, 0, ST_BOTH },
	{ "manage.dep_disable.exchange", R_DEP, WL_EXCHANGE, 1, 0, 0, 0, ST_BOTH },
	{ "manage.inventory", R_ONCE, -1, 1, 0, 0, 0, ST_BOTH },
	{ "offboard.exchange.revoke", R_VAULT, WL_EXCHANGE, 1, 0, 0, 0, ST_VAULTS },
	{ "offboard.exchange.purge_request", R_DEP, WL_EXCHANGE, 1, 0, 0, 0, ST_VAULTS },
	{ "offboard.exchange.purge_document", R_DEP, WL_EXCHANGE, 1, 0, 0, 0, ST_VAULTS },
	{ "offboard.sharepoint.revoke", R_VAULT, WL_SHAREPOINT, 1, 0, 0, 0, ST_VAULTS },
	{ "offboard.multi.support", R_DEP, WL_MULTI, 1, 0, 0, 0, ST_VAULTS },
};

static size_t expected_count(const struct plan *p, const struct inventory *inv, size_t r,
			     bool manage)
{
	const char *src = p->kv.key_source ? p->kv.key_source : "create";
	bool service = p->onboarding && strcmp(p->onboarding, "service") == 0;
	if ((expected_rules[r].path == 1 && service) || (expected_rules[r].path == 2 && !service))
		return 0;
	bool hsm = plan_uses_hsm(p);
	if ((expected_rules[r].store == ST_VAULTS && hsm) || (expected_rules[r].store == ST_HSM && !hsm))
		return 0;
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
	case R_OFFICER: return p->hsm.n_officers;
	case R_HSM_OFFICER: return CK_SIDES * p->hsm.n_officers;
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

/* What must hold for any catalogue: ids unique and one token, prerequisites
 * earlier, phases in order, owners by the rules, critical steps witnessed
 * with a name to type, every step with a title, a why and evidence. */
static void check_structure(const struct catalogue *c)
{
	const struct plan *p = c->plan;
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		if (catalogue_find(c, s->id) != s)
			fail_msg("%s: id not unique", s->id);
		for (const char *q = s->id; *q; q++)
			if (*q <= ' ' || *q >= 0x7f)
				fail_msg("%s: id is not one printable token", s->id);
		for (size_t k = 0; k < s->n_prereqs; k++) {
			const struct step *pr = catalogue_find(c, s->prereqs[k]);
			if (!pr || pr >= s)
				fail_msg("%s: prerequisite %s is not an earlier step", s->id,
					 s->prereqs[k]);
		}
		if (i && c->steps[i - 1].phase > s->phase)
			fail_msg("%s: phase goes backwards", s->id);
		if (i && s->n_prereqs == 0)
			fail_msg("%s has no prerequisite", s->id);
		if (s->def->owner == OWNER_TENANT)
			assert_int_equal(s->owner, p->tenant_admin);
		else
			assert_int_equal(s->owner, p->sub[s->side].operator_side);
		if (s->critical && (!s->witness || !s->confirm_name || !*s->confirm_name))
			fail_msg("%s: critical without witness or name to type", s->id);
		assert_int_equal(s->management, s->phase == PHASE_MANAGE);
		assert_non_null(s->title);
		assert_non_null(s->why);
		assert_true(s->n_evidence > 0);
	}
}

static void check_counts(const struct plan *p, const struct inventory *inv, bool manage)
{
	struct catalogue *c = catalogue_build(p, inv, manage, STEPS_CATALOGUE_VERSION);
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
	check_structure(c);
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
	/* the onboarding service replaces FastTrack and the e-mail */
	f->p.onboarding = fx_mut("service");
	check_counts(&f->p, &f->inv, true);
	fixture_free(f);
}

/* Onboarding service path: validate, then enable, after the keys and
 * before any DEP; no FastTrack request, no e-mail, no wait for Microsoft's
 * answer. Plans without the field keep the first path. */
static void test_steps_onboarding_paths(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, false, STEPS_CATALOGUE_VERSION);
	assert_non_null(catalogue_find(c, "onboard.email/EX"));
	assert_null(catalogue_find(c, "onboard.service.validate/EX-USA_mailboxes"));
	catalogue_free(c);
	f->p.onboarding = fx_mut("service");
	c = catalogue_build(&f->p, &f->inv, false, STEPS_CATALOGUE_VERSION);
	assert_null(catalogue_find(c, "onboard.email/EX"));
	assert_null(catalogue_find(c, "fasttrack.request/EX"));
	const struct step *v = catalogue_find(c, "onboard.service.validate/EX-USA_mailboxes");
	const struct step *en = catalogue_find(c, "onboard.service.enable/EX-USA_mailboxes");
	const struct step *dep = catalogue_find(c, "dep.exchange.create/EX-USA_mailboxes");
	assert_non_null(v);
	assert_non_null(en);
	assert_true(v < en && en < dep);
	bool needs = false;
	for (size_t k = 0; k < dep->n_prereqs; k++)
		needs |= strcmp(dep->prereqs[k], en->id) == 0;
	assert_true(needs);
	assert_true(en->witness);
	assert_int_equal(en->owner, f->p.tenant_admin);
	/* the request ID and the result are evidence */
	assert_non_null(step_evidence_find(v, "request_id"));
	assert_non_null(step_evidence_find(v, "result"));
	assert_non_null(step_evidence_find(en, "request_id"));
	catalogue_free(c);
	/* the first catalogue has no such path, whatever the plan says */
	c = catalogue_build(&f->p, &f->inv, false, 1);
	assert_non_null(catalogue_find(c, "onboard.email/EX"));
	assert_null(catalogue_find(c, "onboard.service.validate/EX-USA_mailboxes"));
	catalogue_free(c);
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

/* The catalogue of the largest plan (1,645 steps) is held for a whole
 * ceremony: its steps' ids and subjects are packed in blocks, not one
 * allocation each (doc/bench.md, "Sixth round: memory"). Heap measured
 * with mallinfo2, the steps array's whole capacity counted: 655 KiB, 716 KiB
 * with an allocation per string. Its binds, and the inventory's names,
 * are held at their size, not at what their buffers grew to. */
#define CATALOGUE_HEAP_MAX (700u << 10)
static void test_steps_large_catalogue_heap(void **state)
{
	(void)state;
	struct diags dg = DIAGS_INIT;
	struct plan *p = plan_load(CK_TEST_SRCDIR "/plans/woodgrove-large.yaml", &dg);
	assert_non_null(p);
	struct inventory *inv = inventory_build(p, &dg);
	assert_non_null(inv);
	struct mallinfo2 m0 = mallinfo2();
	struct catalogue *c = catalogue_build(p, inv, false, STEPS_CATALOGUE_VERSION);
	struct mallinfo2 m1 = mallinfo2();
	assert_non_null(c);
	assert_true(c->n_steps > 1500);
	size_t held = (m1.uordblks + m1.hblkhd) - (m0.uordblks + m0.hblkhd);
	if (held > CATALOGUE_HEAP_MAX)
		fail_msg("the catalogue holds %zu bytes of heap (at most %u)", held,
			 CATALOGUE_HEAP_MAX);
	assert_true(malloc_usable_size(c->binds) < (c->n_steps + 8) * sizeof *c->binds);
	for (size_t i = 0; i < inv->n_deps; i++)
		for (int side = 0; side < CK_SIDES; side++) {
			char *v = inv->deps[i].side[side].vault;
			assert_non_null(v);
			if (malloc_usable_size(v) > strlen(v) + 24)
				fail_msg("vault name %s: %zu bytes held", v, malloc_usable_size(v));
		}
	catalogue_free(c);
	inventory_free(inv);
	plan_free(p);
	diags_free(&dg);
}

/* Check kinds are recorded in journals by name: every kind has one, and no
 * two share it. */
static void test_steps_check_names_agree_with_backends(void **state)
{
	for (int k = 0; k < CHECK_COUNT; k++) {
		const char *n = step_check_kind_name((enum check_kind)k);
		assert_non_null(n);
		assert_string_not_equal(n, "?");
		for (int j = 0; j < k; j++)
			assert_string_not_equal(n, step_check_kind_name((enum check_kind)j));
	}
	assert_string_equal(step_check_kind_name(CHECK_COUNT), "?");
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
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true, STEPS_CATALOGUE_VERSION);
	check_structure(c);
	/* the mailbox with a quote and a slash stays one id part */
	assert_non_null(catalogue_find(c, "dep.exchange.assign/EX-USA_mailboxes/o'brien%2Fops@contoso.com"));
	const struct step *dep = catalogue_find(c, "dep.exchange.create/EX-USA_mailboxes");
	assert_non_null(dep);
	assert_int_equal(dep->n_prereqs, 2);
	assert_string_equal(dep->prereqs[0], "key.uri/EX-USA_mailboxes/A");
	assert_string_equal(dep->prereqs[1], "key.uri/EX-USA_mailboxes/B");
	const struct step *rg = catalogue_find(c, "rg.create/Contoso-CK-SP-NA-RGB/B");
	assert_int_equal(rg->check.kind, CHECK_RESOURCE_GROUP);
	assert_string_equal(rg->check.resource_group, "Contoso-CK-SP-NA-RGB");
	assert_string_equal(rg->check.region, "westus3");
	assert_string_equal(rg->check.subscription, "22222222-2222-4222-8222-222222222222");
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
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true, STEPS_CATALOGUE_VERSION);
	check_structure(c);
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
	struct catalogue *c = catalogue_build(&f->p, &f->inv, false, STEPS_CATALOGUE_VERSION);
	for (size_t i = 0; i < c->n_steps; i++)
		assert_false(c->steps[i].management);
	assert_null(catalogue_find(c, "manage.roll/MW/A"));
	catalogue_free(c);
	assert_null(catalogue_build(NULL, &f->inv, false, STEPS_CATALOGUE_VERSION));
	/* a plan whose sides are unusable gets no catalogue, not a crash */
	f->p.tenant_admin = CK_SIDE_NONE;
	assert_null(catalogue_build(&f->p, &f->inv, false, STEPS_CATALOGUE_VERSION));
	f->p.tenant_admin = CK_SIDE_A;
	f->p.sub[1].operator_side = 7;
	assert_null(catalogue_build(&f->p, &f->inv, false, STEPS_CATALOGUE_VERSION));
	fixture_free(f);
}

/* Every template whose commands touch keys declares the key permissions it
 * uses; the day-to-day ones are the administrators' (so no task fails with
 * 403), and each temporary one is granted by the task and taken away by the
 * step named, whose commands set the day-to-day list again. */
static void test_steps_task_permissions_covered(void **state)
{
	(void)state;
	for (size_t i = 0; i < steps_def_count(); i++) {
		const struct step_def *d = steps_def_at(i);
		bool keys = false;
		for (size_t k = 0; d->ps && d->ps[k]; k++)
			keys |= strstr(d->ps[k], "AzKeyVaultKey") != NULL;
		if (keys && steps_def_in(d, STEPS_CATALOGUE_VERSION) && !steps_task_perms_find(d->id))
			fail_msg("%s uses keys but declares no permissions (steps_perms.c)", d->id);
	}
	for (size_t i = 0; i < steps_task_perms_len; i++) {
		const struct steps_task_perms *t = &steps_task_perms[i];
		const struct step_def *d = steps_def_find(t->template_id);
		assert_non_null(d);
		if (!t->temporary)
			continue;
		const struct step_def *r = steps_def_find(t->revoked_by);
		assert_non_null(r);
		bool granted = false, revoked = false;
		for (size_t k = 0; d->ps[k]; k++)
			granted |= strstr(d->ps[k], "Set-AzKeyVaultAccessPolicy") &&
				   strstr(d->ps[k], t->temporary);
		for (size_t k = 0; r->ps[k]; k++)
			revoked |= strstr(r->ps[k], "Set-AzKeyVaultAccessPolicy") &&
				   strstr(r->ps[k], "create,import,list,get,backup,restore") &&
				   !strstr(r->ps[k], t->temporary);
		if (!granted || !revoked)
			fail_msg("%s: %s granted %d, revoked by %s %d", t->template_id, t->temporary,
				 granted, t->revoked_by, revoked);
	}
	/* the example plans' administrators cover every day-to-day need ... */
	struct fixture *f = fixture_new();
	struct buf out = BUF_INIT;
	char *six[] = { fx_mut("create"), fx_mut("import"), fx_mut("list"), fx_mut("get"),
			fx_mut("backup"), fx_mut("restore") };
	f->p.kv.admin_permissions = six;
	f->p.kv.n_admin_permissions = 6;
	assert_int_equal(steps_perms_uncovered(&f->p, STEPS_CATALOGUE_VERSION, &out), 0);
	/* ... and a plan without backup is told which tasks would fail */
	char *no_backup[] = { six[0], six[1], six[2], six[3], six[5] };
	f->p.kv.admin_permissions = no_backup;
	f->p.kv.n_admin_permissions = 5;
	assert_int_equal(steps_perms_uncovered(&f->p, STEPS_CATALOGUE_VERSION, &out), 2);
	assert_non_null(strstr(out.p, "key.backup: backup"));
	f->p.kv.admin_permissions = NULL;
	f->p.kv.n_admin_permissions = 0;
	buf_free(&out);
	fixture_free(f);
}

/* `ckwizard check` (rule CK051, in the plan layer, which cannot see the step
 * table) and the task table (steps_perms.c) must ask the same of the
 * administrators: take away any one day-to-day permission a task needs, and
 * both the table and the rule must say so. A task needing a permission the
 * rule does not know fails here, so `check` never passes a plan whose
 * administrators cannot run every task. */
static bool ck051_fired(struct fixture *f)
{
	struct diags d = DIAGS_INIT;
	rules_check(&f->p, &f->inv, &d);
	bool fired = false;
	for (size_t i = 0; i < d.n; i++)
		fired |= strcmp(d.v[i].id, "CK051") == 0;
	diags_free(&d);
	return fired;
}

static void test_steps_task_perms_agree_with_check(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	char *six[] = { fx_mut("create"), fx_mut("import"), fx_mut("list"), fx_mut("get"),
			fx_mut("backup"), fx_mut("restore") };
	struct buf out = BUF_INIT;
	f->p.kv.admin_permissions = six;
	f->p.kv.n_admin_permissions = 6;
	assert_false(ck051_fired(f));
	assert_int_equal(steps_perms_uncovered(&f->p, STEPS_CATALOGUE_VERSION, &out), 0);
	for (size_t t = 0; t < steps_task_perms_len; t++) {
		for (const char *q = steps_task_perms[t].needs; *q;) {
			size_t len = strcspn(q, " ");
			char *less[6];
			size_t n = 0;
			for (size_t i = 0; i < 6; i++)
				if (strlen(six[i]) != len || strncmp(six[i], q, len) != 0)
					less[n++] = six[i];
			f->p.kv.admin_permissions = less;
			f->p.kv.n_admin_permissions = n;
			buf_free(&out);
			out = (struct buf)BUF_INIT;
			bool table = steps_perms_uncovered(&f->p, STEPS_CATALOGUE_VERSION, &out) > 0;
			if (!table || !ck051_fired(f))
				fail_msg("%s needs '%.*s': the task table says %s, CK051 %s",
					 steps_task_perms[t].template_id, (int)len, q,
					 table ? "uncovered" : "covered",
					 ck051_fired(f) ? "fires" : "is silent");
			q += len;
			q += strspn(q, " ");
		}
	}
	f->p.kv.admin_permissions = NULL;
	f->p.kv.n_admin_permissions = 0;
	buf_free(&out);
	fixture_free(f);
}

/* Revoking the service principal's access or rolling a key is an outage,
 * not a fallback to the availability key: every template whose commands
 * roll, refresh, disable or revoke says so in its why. */
/* SharePoint allows one roll at a time: side B's refresh waits for side
 * A's to be confirmed (state back to Registered). */
static void test_steps_sharepoint_one_roll_at_a_time(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true, STEPS_CATALOGUE_VERSION);
	const struct step *a = catalogue_find(c, "manage.refresh.sharepoint/SP-NAM/A");
	const struct step *b = catalogue_find(c, "manage.refresh.sharepoint/SP-NAM/B");
	assert_non_null(a);
	assert_non_null(b);
	bool waits = false;
	for (size_t k = 0; k < b->n_prereqs; k++)
		waits |= strcmp(b->prereqs[k], a->id) == 0;
	assert_true(waits);
	for (size_t k = 0; k < a->n_prereqs; k++)
		assert_string_not_equal(a->prereqs[k], b->id);
	assert_non_null(strstr(step_evidence_find(a, "refreshed")->hint, "Registered"));
	catalogue_free(c);
	/* the first catalogue did not enforce it */
	c = catalogue_build(&f->p, &f->inv, true, 1);
	b = catalogue_find(c, "manage.refresh.sharepoint/SP-NAM/B");
	for (size_t k = 0; k < b->n_prereqs; k++)
		assert_null(strstr(b->prereqs[k], "manage.refresh.sharepoint"));
	catalogue_free(c);
	fixture_free(f);
}

/* Offboarding and the data purge: a ceremony under dual control where every
 * step is critical and witnessed, is confirmed by typing the tenant's domain
 * and says what cannot be undone; the purge command takes its reason and
 * contact from evidence recorded first. */
static void test_steps_offboarding_ceremony(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true, STEPS_CATALOGUE_VERSION);
	size_t n = 0;
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		if (strncmp(s->template_id, "offboard.", 9) != 0)
			continue;
		n++;
		assert_true(s->management && s->critical && s->witness);
		assert_non_null(s->confirm_name);
		assert_string_equal(s->confirm_name, f->p.org.tenant_domain);
		assert_non_null(strstr(s->why, "IRREVERSIBLE"));
	}
	assert_true(n >= 5); /* EX revoke A/B, purge request, document, SP revoke A/B, MW */
	struct buf b = BUF_INIT;
	const struct step *pr = catalogue_find(c, "offboard.exchange.purge_request/EX-USA_mailboxes");
	assert_non_null(pr);
	assert_true(steps_render_commands(c, pr, SHELL_POWERSHELL, NULL, NULL, &b) == 2);
	assert_non_null(strstr(b.p, "# NOT READY: Set-DataEncryptionPolicy"));
	buf_free(&b);
	catalogue_free(c);
	/* not in the first catalogue, not in the first ceremony */
	c = catalogue_build(&f->p, &f->inv, true, 1);
	assert_null(catalogue_find(c, "offboard.exchange.purge_request/EX-USA_mailboxes"));
	catalogue_free(c);
	c = catalogue_build(&f->p, &f->inv, false, STEPS_CATALOGUE_VERSION);
	assert_null(catalogue_find(c, "offboard.exchange.purge_request/EX-USA_mailboxes"));
	catalogue_free(c);
	fixture_free(f);
}

static void test_steps_outage_warnings(void **state)
{
	(void)state;
	static const char *const risky[] = { "-Refresh", "SPODataEncryptionPolicy -KeyVaultName",
					     "-Enabled $false", "-Replace", "PermanentDataPurge",
					     "{{app_id}}" };
	size_t warned = 0;
	for (size_t i = 0; i < steps_def_count(); i++) {
		const struct step_def *d = steps_def_at(i);
		bool roll = d->phase == PHASE_MANAGE && d->ps && strstr(d->ps[0], "Add-AzKeyVaultKey");
		for (size_t k = 0; d->ps && d->ps[k] && !roll; k++)
			for (size_t r = 0; r < CK_ARRAY_LEN(risky); r++)
				roll |= strstr(d->ps[k], risky[r]) &&
					(strncmp(d->ps[k], "Remove", 6) == 0 || r < 5) &&
					!strstr(d->ps[k], "Set-AzKeyVaultAccessPolicy");
		if (!roll)
			continue;
		warned++;
		if (!strstr(d->why, "Outage warning") && !strstr(d->why, "IRREVERSIBLE"))
			fail_msg("%s rolls or revokes but its why gives no outage warning", d->id);
	}
	assert_true(warned >= 4);
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

/* The template reference names every template's instances: a scope added
 * without a name once printed whatever memory followed the table. */
static void test_steps_template_reference_names_every_scope(void **state)
{
	struct buf b = BUF_INIT;
	runbook_templates_markdown(&b);
	assert_null(strstr(buf_str(&b), "(null)"));
	for (size_t i = 0; i < steps_def_count(); i++)
		assert_true(steps_def_at(i)->scope < SCOPE_COUNT);
	const char *line = strstr(buf_str(&b), "| `hsm.officer.key` |");
	assert_non_null(line);
	const char *end = strchr(line, '\n');
	char *row = xstrndup(line, (size_t)(end - line));
	assert_non_null(strstr(row, "| per security-domain officer |"));
	free(row);
	line = strstr(buf_str(&b), "| `hsm.officer.ack` |");
	assert_non_null(line);
	assert_true(strncmp(strstr(line, "| per "), "| per HSM (side) and officer |", 29) == 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_counts_follow_the_plan),
		cmocka_unit_test(test_steps_counts_for_example_plans),
		cmocka_unit_test(test_steps_large_catalogue_heap),
		cmocka_unit_test(test_steps_check_names_agree_with_backends),
		cmocka_unit_test(test_steps_every_template_is_counted),
		cmocka_unit_test(test_steps_ids_unique_prereqs_earlier),
		cmocka_unit_test(test_steps_template_reference_names_every_scope),
		cmocka_unit_test(test_steps_owners_and_witnesses),
		cmocka_unit_test(test_steps_management_only_when_asked),
		cmocka_unit_test(test_steps_onboarding_paths),
		cmocka_unit_test(test_steps_task_permissions_covered),
		cmocka_unit_test(test_steps_task_perms_agree_with_check),
		cmocka_unit_test(test_steps_sharepoint_one_roll_at_a_time),
		cmocka_unit_test(test_steps_offboarding_ceremony),
		cmocka_unit_test(test_steps_outage_warnings),
		cmocka_unit_test(test_steps_seed_coverage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
