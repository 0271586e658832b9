/* test_rules.c: the rule table, and each rule triggered by a one-place change
 * of the valid base plan and not triggered by the base plan itself. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ck.h"
#include "inventory.h"
#include "plan.h"
#include "plan_fields.h"
#include "plan_rules.h"
#include "rules.h"
#include "util.h"

#include "plan_base_yaml.h"

struct mutation {
	const char *id;
	const char *old, *new_; /* replace the first occurrence */
	const char *path;       /* the diagnostic's field path */
};

static const struct mutation cases[] = {
	{ "CK020", "upn: bob@contoso.example", "upn: ALICE@contoso.example", "operators.B.upn" },
	{ "CK020", "name: Bob Berg", "name: Alice Ames", "operators.B.name" },
	/* look-alikes: a Cyrillic A, a trailing space, fullwidth letters, a
	 * zero-width space, "1" for "l" in a UPN */
	{ "CK027", "name: Bob Berg", "name: \xd0\x90lice Ames", "operators.B.name" },
	{ "CK027", "name: Bob Berg", "name: \"Alice Ames \"", "operators.B.name" },
	{ "CK027", "name: Bob Berg", "name: \xef\xbc\xa1lice \xef\xbc\xa1mes", "operators.B.name" },
	{ "CK027", "name: Bob Berg", "name: Alice\xe2\x80\x8b Ames", "operators.B.name" },
	{ "CK027", "upn: bob@contoso.example", "upn: a1ice@contoso.example", "operators.B.upn" },
	{ "CK021", "0a1b2c3d-2222-4aaa-8bbb-000000000002", "0a1b2c3d-1111-4aaa-8bbb-000000000001",
	  "subscriptions.B.id" },
	{ "CK022", "operator: B", "operator: A", "subscriptions.B.operator" },
	{ "CK024", "administrators: [bob@contoso.example]",
	  "administrators: [bob@contoso.example, alice@contoso.example]",
	  "subscriptions.B.administrators[1]" },
	{ "CK025", "administrators: [alice@contoso.example]",
	  "administrators: [alice@contoso.example, bob@contoso.example]",
	  "subscriptions.A.administrators[1]" },
	{ "CK026", "administrators: [alice@contoso.example]", "administrators: [kim@contoso.example]",
	  "subscriptions.A.administrators" },
	{ "CK031", "B: westus2", "B: eastus2", "workloads.exchange.policies[0].regions.B" },
	{ "CK032", "{ A: eastus2, B: westus2 }", "{ A: eastus2, B: centralus }",
	  "workloads.exchange.policies[0].regions.B" },
	{ "CK032", "{ A: centralus, B: westus3 }", "{ A: brazilsouth, B: southcentralus }",
	  "workloads.sharepoint.geos[0].regions.B" },
	{ "CK033", "B: westus3", "B: francecentral", "workloads.sharepoint.geos[0].regions.B" },
	{ "CK040", "sku: premium", "sku: Premium", "key_vault.sku" },
	{ "CK042", "sku: premium", "sku: standard", "key_vault.sku" },
	{ "CK043", "type: RSA-HSM", "type: EC", "key_vault.key.type" },
	{ "CK044", "size: 3072", "size: 8192", "key_vault.key.size" },
	{ "CK045", "retention_days: 90", "retention_days: 89", "key_vault.soft_delete_retention_days" },
	{ "CK046", "purge_protection: true", "purge_protection: false", "key_vault.purge_protection" },
	{ "CK047", "source: create", "source: create\n    expiry: 2027-01-01", "key_vault.key.expiry" },
	{ "CK048", "restore]", "restore, purge]", "key_vault.administrator_key_permissions[6]" },
	{ "CK049", "source: create", "source: byok", "key_vault.key.source" },
	{ "CK050", "restore]", "restore, Delete_All]", "key_vault.administrator_key_permissions[6]" },
	{ "CK051", "get, backup, restore]", "get, restore]", "key_vault.administrator_key_permissions" },
	{ "CK060", "Vault{side}{vault_seq}", "Vault{side}{seq}", "naming.vault" },
	{ "CK060", "{key_seq:03}", "{key_seq:3}", "naming.key" },
	{ "CK060", "-Backup-{date}", "-Backup-{date:02}", "naming.backup" },
	{ "CK061", "  prefix: Contoso", "  prefix: Contoso1", "naming.vault" },
	{ "CK062", "{vault}-Key", "{vault}.Key", "naming.key" },
	{ "CK063", "-RG{side}\"", "-RG{side}!\"", "naming.resource_group" },
	{ "CK064", "{key}-Backup-{date}.backup", "{key} Backup {date}.backup", "naming.backup" },
	{ "CK065", "Vault{side}{vault_seq}", "Vault{vault_seq}", "naming.vault" },
	{ "CK065", "{key}-Backup-{date}", "Backup-{side}-{date}", "naming.backup" },
	{ "CK066", "{date}.backup", "{date}.bkp", "naming.backup" },
	{ "CK072", "name: USA_mailboxes", "name: USA/mailboxes", "workloads.exchange.policies[0].name" },
	{ "CK075", "https://contoso-admin", "ftp://contoso-admin", "workloads.sharepoint.geos[0].admin_url" },
	{ "CK076", "https://contoso-admin.sharepoint.com", "https://contoso-admin.example.com",
	  "workloads.sharepoint.geos[0].admin_url" },
	{ "CK079", "mailboxes: [alice@contoso.example]",
	  "mailboxes: [alice@contoso.example, alice@CONTOSO.example]",
	  "workloads.exchange.policies[0].mailboxes[1]" },
	{ "CK015", "", "", "operators.A.key" }, /* the base plan itself: demo keys */
};

static char *mutate(const char *old, const char *new_)
{
	const char *at = strstr(test_plan_base, old);
	assert_non_null(at);
	return xasprintf("%.*s%s%s", (int)(at - test_plan_base), test_plan_base, new_,
			 at + strlen(old));
}

/* Load, expand and judge text; the diagnostics stay in d. */
static void judge(const char *text, struct diags *d)
{
	struct plan *p = plan_load_mem("t.yaml", text, strlen(text), d);
	assert_non_null(p);
	struct inventory *inv = inventory_build(p, d);
	rules_check(p, inv, d);
	inventory_free(inv);
	plan_free(p);
}

static const struct diag *find(const struct diags *d, const char *id, const char *path)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].id, id) == 0 && (!path || util_streq(d->v[i].path, path)))
			return &d->v[i];
	return NULL;
}

/* The same, failing the test when there is none. */
static const struct diag *must(const struct diags *d, const char *id, const char *path)
{
	const struct diag *g = find(d, id, path);
	if (g)
		return g;
	fail_msg("no %s at %s", id, path ? path : "any path");
	abort(); /* not reached: cmocka jumps out of the test */
}

static void test_rules_table_is_well_formed(void **state)
{
	for (unsigned i = 0; i < rules_n; i++) {
		const struct rule *r = &rules_table[i];
		assert_true((r->id[0] == 'L' && strlen(r->id) == 4) ||
			    (strncmp(r->id, "CK", 2) == 0 && strlen(r->id) == 5));
		assert_non_null(r->what);
		assert_non_null(r->hint);
		assert_true(strlen(r->hint) > 5);
		assert_true(rules_find(r->id) == r); /* unique */
		if (r->id[0] == 'L')
			assert_false(plan_rules_checked(r->id)); /* the loader emits them */
	}
	assert_null(rules_find("CK999"));
}

static void test_rules_base_plan_triggers_nothing_but_demo_keys(void **state)
{
	struct diags d = DIAGS_INIT;
	judge(test_plan_base, &d);
	/* the demo keys, and the contributor the base plan lists on side A */
	assert_int_equal(d.n, 3);
	assert_string_equal(d.v[0].id, "CK015");
	assert_string_equal(d.v[1].id, "CK015");
	assert_string_equal(d.v[2].id, "CK052");
	assert_int_equal(rules_exit_code(&d), CK_EXIT_OK);
	diags_free(&d);
}

static void test_rules_each_rule_triggered_by_its_change(void **state)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(cases); i++) {
		const struct mutation *m = &cases[i];
		char *text = mutate(m->old, m->new_);
		struct diags d = DIAGS_INIT;
		judge(text, &d);
		if (!find(&d, m->id, m->path)) {
			for (size_t j = 0; j < d.n; j++)
				print_message("  got %s %s: %s\n", d.v[j].id, d.v[j].path ? d.v[j].path : "-",
					      d.v[j].message);
			fail_msg("%s at %s not triggered by '%s' -> '%s'", m->id, m->path, m->old, m->new_);
		}
		const struct diag *g = must(&d, m->id, m->path);
		const struct rule *r = rules_find(m->id);
		assert_int_equal(g->severity, r->severity);
		assert_true(g->line > 0);
		assert_string_equal(g->hint, r->hint);
		int want = r->severity == DIAG_ERROR ? CK_EXIT_FAIL : CK_EXIT_OK;
		if (want == CK_EXIT_OK)
			assert_true(rules_exit_code(&d) == CK_EXIT_OK || diags_count(&d, DIAG_ERROR) > 0);
		else
			assert_int_equal(rules_exit_code(&d), CK_EXIT_FAIL);
		diags_free(&d);
		free(text);
	}
}

static void test_rules_vault_name_2018_form_caught_with_dep_and_side(void **state)
{
	char *text = mutate("{prefix}-CK-{workload}-{geo}-Vault", "{prefix}-O365{workload}-{geo}-Vault");
	struct diags d = DIAGS_INIT;
	judge(text, &d);
	const struct diag *g = must(&d, "CK061", "naming.vault");
	assert_non_null(strstr(g->message, "Contoso-O365EX-NA-VaultA1"));
	assert_non_null(strstr(g->message, "25 characters"));
	assert_non_null(strstr(g->message, "DEP EX-USA_mailboxes, side A"));
	assert_int_equal(g->line, 9); /* the vault pattern's line */
	diags_free(&d);
	free(text);
}

static void test_rules_name_errors_reported_once_per_pattern(void **state)
{
	char *text = mutate("  prefix: Contoso", "  prefix: ContosoLongPrefix");
	struct diags d = DIAGS_INIT;
	judge(text, &d);
	size_t n = 0;
	for (size_t i = 0; i < d.n; i++)
		n += strcmp(d.v[i].id, "CK061") == 0;
	assert_int_equal(n, 1);
	assert_non_null(strstr(must(&d, "CK061", NULL)->message, "; 3 other names from this pattern"));
	diags_free(&d);
	free(text);
}

static void test_rules_standard_sku_with_rsa_is_only_a_warning(void **state)
{
	char *a = mutate("sku: premium", "sku: standard");
	const char *at = strstr(a, "type: RSA-HSM");
	char *b = xasprintf("%.*stype: RSA%s", (int)(at - a), a, at + strlen("type: RSA-HSM"));
	struct diags d = DIAGS_INIT;
	judge(b, &d);
	must(&d, "CK041", "key_vault.sku");
	assert_null(find(&d, "CK042", NULL));
	assert_int_equal(rules_exit_code(&d), CK_EXIT_OK);
	diags_free(&d);
	free(a);
	free(b);
}

static void test_rules_regions_unpaired_distinct_in_geo_pass(void **state)
{
	/* westindia -> southindia is one way; centralindia pairs southindia only */
	char *text = mutate("m365_geo: NAM\n        name_geo: NA\n        admin_url",
			    "m365_geo: IND\n        name_geo: NA\n        admin_url");
	char *t2 = xstrdup(text);
	const char *at = strstr(t2, "{ A: centralus, B: westus3 }");
	char *t3 = xasprintf("%.*s{ A: centralindia, B: westindia }%s", (int)(at - t2), t2,
			     at + strlen("{ A: centralus, B: westus3 }"));
	struct diags d = DIAGS_INIT;
	judge(t3, &d);
	assert_null(find(&d, "CK032", NULL));
	assert_null(find(&d, "CK033", NULL));
	assert_int_equal(rules_exit_code(&d), CK_EXIT_OK);
	diags_free(&d);
	free(text);
	free(t2);
	free(t3);
}

static void test_rules_too_many_exchange_policies(void **state)
{
	char *text = xstrdup(test_plan_base);
	const char *at = strstr(text, "      - name: USA_mailboxes");
	char *more = xstrdup("");
	for (int i = 0; i < 50; i++) {
		char *n = xasprintf("%s      - name: P%02d\n        regions: { A: eastus2, B: westus2 }\n",
				    more, i);
		free(more);
		more = n;
	}
	char *t2 = xasprintf("%.*s%s%s", (int)(at - text), text, more, at);
	struct diags d = DIAGS_INIT;
	judge(t2, &d);
	must(&d, "CK071", "workloads.exchange.policies[50]");
	assert_null(find(&d, "CK065", NULL)); /* {vault_seq} keeps 51 names apart */
	diags_free(&d);
	free(text);
	free(more);
	free(t2);
}

static void test_rules_exit_code_prefers_loader(void **state)
{
	struct diags d = DIAGS_INIT;
	assert_int_equal(rules_exit_code(&d), CK_EXIT_OK);
	rules_emit(&d, "CK032", NULL, 1, 1, "w");
	assert_int_equal(rules_exit_code(&d), CK_EXIT_OK);
	rules_emit(&d, "CK031", NULL, 1, 1, "e");
	assert_int_equal(rules_exit_code(&d), CK_EXIT_FAIL);
	rules_emit(&d, "L007", NULL, 1, 1, "l");
	assert_int_equal(rules_exit_code(&d), CK_EXIT_INPUT);
	diags_free(&d);
}

static void test_rules_doc_lists_every_rule(void **state)
{
	char *doc = rules_doc_markdown();
	for (unsigned i = 0; i < rules_n; i++) {
		char *cell = xasprintf("| %s | ", rules_table[i].id);
		assert_non_null(strstr(doc, cell));
		free(cell);
	}
	free(doc);
}

/* The check table names only rule IDs of rules_table, each once, in the
 * table's order (so the checks report in the order of the rule list). */
static void test_rules_checks_follow_the_table(void **state)
{
	unsigned at = 0;
	assert_true(plan_rules_checks_n > 0);
	for (unsigned i = 0; i < plan_rules_checks_n; i++) {
		const char *id = plan_rules_checks[i].id;
		while (at < rules_n && strcmp(rules_table[at].id, id) != 0)
			at++;
		if (at == rules_n)
			fail_msg("check %s is not in rules_table, or out of its order", id);
		assert_non_null(plan_rules_checks[i].check);
		at++;
	}
}

/* The field table names only existing rules, and every rule that judges a
 * field is named by one (so the field reference in plans/README.md is whole). */
static void test_rules_field_table_names_every_field_rule(void **state)
{
	for (unsigned i = 0; i < plan_n_fields; i++) {
		const struct plan_field *f = &plan_fields[i];
		const char *r = f->rules;
		while (r && *r) {
			size_t n = strcspn(r, " ");
			char *id = xstrndup(r, n);
			if (!rules_find(id))
				fail_msg("field %s names unknown rule %s", f->path, id);
			free(id);
			r += n;
			r += *r == ' ';
		}
		const char *tr = plan_field_type_rule(f->type);
		if (tr)
			assert_non_null(rules_find(tr));
	}
	for (unsigned i = 0; i < rules_n; i++) {
		const struct rule *r = &rules_table[i];
		if (!plan_rules_checked(r->id))
			continue;
		bool named = false;
		for (unsigned j = 0; j < plan_n_fields && !named; j++)
			named = plan_fields[j].rules && strstr(plan_fields[j].rules, r->id);
		if (!named)
			fail_msg("rule %s judges no field of the table", r->id);
	}
}

/* Every field's parent is in the table, so the schema walk can reach it. */
static void test_rules_field_table_parents_exist(void **state)
{
	for (unsigned i = 0; i < plan_n_fields; i++) {
		const char *path = plan_fields[i].path;
		size_t n = strlen(path);
		char *parent;
		if (n > 2 && strcmp(path + n - 2, "[]") == 0) {
			parent = xstrndup(path, n - 2);
			assert_int_equal(plan_field_find(parent)->type, PF_LIST);
		} else if (strrchr(path, '.')) {
			parent = xstrndup(path, (size_t)(strrchr(path, '.') - path));
			assert_int_equal(plan_field_find(parent)->type, PF_MAP);
		} else {
			continue;
		}
		free(parent);
	}
}

/* Contributors in a Managed HSM plan: no step gives them anything, and the
 * warning says so instead of speaking of access policies. */
static void test_rules_contributors_in_a_managed_hsm_plan(void **state)
{
	const char *src = getenv("CK_SRCDIR");
	char *path = xasprintf("%s/tests/plans-bad/ck093-hsms-same-region.yaml", src ? src : ".");
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load(path, &d);
	free(path);
	assert_non_null(p);
	assert_true(plan_uses_hsm(p));
	struct inventory *inv = inventory_build(p, &d);
	rules_check(p, inv, &d);
	const struct diag *g = must(&d, "CK052", "subscriptions.A.contributors");
	assert_non_null(strstr(g->message, "grants them nothing"));
	assert_null(strstr(g->message, "access policy"));
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_table_is_well_formed),
		cmocka_unit_test(test_rules_base_plan_triggers_nothing_but_demo_keys),
		cmocka_unit_test(test_rules_each_rule_triggered_by_its_change),
		cmocka_unit_test(test_rules_vault_name_2018_form_caught_with_dep_and_side),
		cmocka_unit_test(test_rules_name_errors_reported_once_per_pattern),
		cmocka_unit_test(test_rules_standard_sku_with_rsa_is_only_a_warning),
		cmocka_unit_test(test_rules_regions_unpaired_distinct_in_geo_pass),
		cmocka_unit_test(test_rules_too_many_exchange_policies),
		cmocka_unit_test(test_rules_contributors_in_a_managed_hsm_plan),
		cmocka_unit_test(test_rules_exit_code_prefers_loader),
		cmocka_unit_test(test_rules_doc_lists_every_rule),
		cmocka_unit_test(test_rules_checks_follow_the_table),
		cmocka_unit_test(test_rules_field_table_names_every_field_rule),
		cmocka_unit_test(test_rules_field_table_parents_exist),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
