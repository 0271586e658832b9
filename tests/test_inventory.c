/* test_inventory.c: pattern expansion and the expanded inventory. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ck.h"
#include "inventory.h"
#include "plan.h"
#include "util.h"

#include "plan_base_yaml.h"

static const struct inv_vars vars = {
	.prefix = "Contoso", .workload = "EX", .geo = "NA", .side = 'A', .vault_seq = 7,
};

static void expect_expand(const char *pattern, const struct inv_vars *v, const char *want)
{
	const char *err = "unset";
	char *s = inventory_expand(pattern, v, &err);
	assert_non_null(s);
	assert_null(err);
	assert_string_equal(s, want);
	free(s);
}

static void expect_fail(const char *pattern, const struct inv_vars *v)
{
	const char *err = NULL;
	char *s = inventory_expand(pattern, v, &err);
	assert_null(s);
	assert_non_null(err);
}

static void test_inventory_expand_placeholders(void **state)
{
	expect_expand("{prefix}-CK-{workload}-{geo}-Vault{side}{vault_seq}", &vars,
		      "Contoso-CK-EX-NA-VaultA7");
	expect_expand("{prefix}-V{side}{vault_seq:02}", &vars, "Contoso-VA07");
	expect_expand("{vault_seq:03}", &vars, "007");
	expect_expand("plain", &vars, "plain");
	expect_expand("", &vars, "");
	struct inv_vars v = vars;
	v.vault = "Contoso-VA07";
	v.key_seq = 1;
	expect_expand("{vault}-Key{key_seq:03}", &v, "Contoso-VA07-Key001");
	v.vault_seq = 123;
	expect_expand("{vault_seq:02}", &v, "123"); /* padding never truncates */
}

static void test_inventory_expand_refuses_bad_patterns(void **state)
{
	expect_fail("{region}", &vars);         /* unknown */
	expect_fail("{prefix", &vars);          /* unclosed */
	expect_fail("prefix}", &vars);          /* stray close */
	expect_fail("{{prefix}}", &vars);       /* nested */
	expect_fail("{vault}", &vars);          /* not available in a vault pattern */
	expect_fail("{key_seq}", &vars);        /* idem */
	expect_fail("{date}", &vars);
	expect_fail("{vault_seq:2}", &vars);    /* format is :0N */
	expect_fail("{vault_seq:0x}", &vars);
	expect_fail("{prefix:02}", &vars);      /* only sequences take a format */
	struct inv_vars v = vars;
	v.side = 0;
	expect_fail("{side}", &v);
}

static struct inventory *build(const char *text, struct plan **pp, struct diags *d)
{
	*pp = plan_load_mem("t.yaml", text, strlen(text), d);
	assert_non_null(*pp);
	return inventory_build(*pp, d);
}

static void test_inventory_base_plan_names(void **state)
{
	struct diags d = DIAGS_INIT;
	struct plan *p;
	struct inventory *inv = build(test_plan_base, &p, &d);
	assert_non_null(inv);
	assert_int_equal(d.n, 0);
	assert_int_equal(inv->n_deps, 2);
	const struct inv_dep *ex = &inv->deps[0];
	assert_int_equal(ex->workload, WL_EXCHANGE);
	assert_string_equal(ex->id, "EX-USA_mailboxes");
	assert_string_equal(ex->plan_path, "workloads.exchange.policies[0]");
	assert_int_equal(ex->n_mailboxes, 1);
	const struct inv_side *a = &ex->side[CK_SIDE_A], *b = &ex->side[CK_SIDE_B];
	assert_string_equal(a->vault, "Contoso-CK-EX-NA-VaultA1");
	assert_int_equal(strlen(a->vault), 24);
	assert_string_equal(b->vault, "Contoso-CK-EX-NA-VaultB1");
	assert_string_equal(a->key, "Contoso-CK-EX-NA-VaultA1-Key001");
	assert_string_equal(a->resource_group, "Contoso-CK-EX-NA-RGA");
	assert_string_equal(a->backup_pattern, "Contoso-CK-EX-NA-VaultA1-Key001-Backup-{date}.backup");
	assert_string_equal(a->key_uri, "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
					"Contoso-CK-EX-NA-VaultA1-Key001");
	assert_string_equal(a->region, "eastus2");
	assert_string_equal(b->region, "westus2");
	assert_string_equal(a->subscription, "0a1b2c3d-1111-4aaa-8bbb-000000000001");
	assert_int_equal(a->operator_side, CK_SIDE_A);
	assert_int_equal(b->operator_side, CK_SIDE_B);
	const struct inv_dep *sp = &inv->deps[1];
	assert_string_equal(sp->id, "SP-NAM");
	assert_null(sp->name);
	assert_string_equal(sp->admin_url, "https://contoso-admin.sharepoint.com");
	assert_string_equal(sp->side[CK_SIDE_B].vault, "Contoso-CK-SP-NA-VaultB1");
	/* one resource group per workload, geo and side */
	assert_int_equal(inv->n_rgs, 4);
	char *bk = inventory_backup_name(a, "20261123");
	assert_string_equal(bk, "Contoso-CK-EX-NA-VaultA1-Key001-Backup-20261123.backup");
	free(bk);
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
}

static void test_inventory_sequences_and_shared_groups(void **state)
{
	/* a second Exchange policy gets vault_seq 2 and shares the resource group */
	const char *at = strstr(test_plan_base, "  sharepoint:\n");
	char *text = xasprintf("%.*s      - name: EU_staff\n        regions: { A: westus2, B: eastus2 }\n%s",
			       (int)(at - test_plan_base), test_plan_base, at);
	struct diags d = DIAGS_INIT;
	struct plan *p;
	struct inventory *inv = build(text, &p, &d);
	assert_non_null(inv);
	assert_int_equal(inv->n_deps, 3);
	assert_string_equal(inv->deps[1].side[CK_SIDE_A].vault, "Contoso-CK-EX-NA-VaultA2");
	assert_int_equal(inv->deps[1].index, 1);
	assert_int_equal(inv->n_rgs, 4);
	/* a shared group's region is that of the first vault placed in it */
	for (size_t i = 0; i < inv->n_rgs; i++)
		assert_ptr_equal(inventory_rg_region(inv, inv->rgs[i].side, inv->rgs[i].name),
				 inv->rgs[i].region);
	assert_string_equal(inventory_rg_region(inv, CK_SIDE_A,
						inv->deps[1].side[CK_SIDE_A].resource_group),
			    inv->deps[0].side[CK_SIDE_A].region);
	assert_null(inventory_rg_region(inv, CK_SIDE_A, "no-such-group"));
	assert_null(inventory_rg_region(inv, CK_SIDE_A, NULL));
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
	free(text);
}

static void test_inventory_bad_pattern_reports_ck060_once(void **state)
{
	const char *old = "Vault{side}{vault_seq}";
	const char *at = strstr(test_plan_base, old);
	char *text = xasprintf("%.*sVault{side}{sequence}%s", (int)(at - test_plan_base),
			       test_plan_base, at + strlen(old));
	struct diags d = DIAGS_INIT;
	struct plan *p;
	struct inventory *inv = build(text, &p, &d);
	assert_null(inv);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].id, "CK060");
	assert_string_equal(d.v[0].path, "naming.vault");
	assert_int_equal(d.v[0].line, 9);
	assert_non_null(strstr(d.v[0].message, "unknown placeholder"));
	plan_free(p);
	diags_free(&d);
	free(text);
}

static void test_inventory_multigeo_exchange_counts_per_geo(void **state)
{
	/* a policy with its own geo starts its own sequence and uses its geo */
	const char *at = strstr(test_plan_base, "  sharepoint:\n");
	char *text = xasprintf("%.*s      - name: EU_staff\n        m365_geo: EUR\n        name_geo: EU\n"
			       "        regions: { A: westeurope, B: swedencentral }\n"
			       "      - name: US_more\n        regions: { A: westus2, B: eastus2 }\n%s",
			       (int)(at - test_plan_base), test_plan_base, at);
	struct diags d = DIAGS_INIT;
	struct plan *p;
	struct inventory *inv = build(text, &p, &d);
	assert_non_null(inv);
	assert_int_equal(d.n, 0);
	assert_string_equal(inv->deps[1].side[CK_SIDE_A].vault, "Contoso-CK-EX-EU-VaultA1");
	assert_string_equal(inv->deps[1].m365_geo, "EUR");
	assert_string_equal(inv->deps[1].side[CK_SIDE_A].resource_group, "Contoso-CK-EX-EU-RGA");
	assert_string_equal(inv->deps[2].side[CK_SIDE_B].vault, "Contoso-CK-EX-NA-VaultB2");
	assert_string_equal(inv->deps[2].m365_geo, "NAM");
	assert_int_equal(inv->n_rgs, 6);
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
	free(text);
}


/* A Managed HSM plan: one HSM and one resource group per side, every DEP's
 * side names the HSM, and the key URIs are on managedhsm.azure.net. */
static void test_inventory_managed_hsm_plan(void **state)
{
	struct diags d = DIAGS_INIT;
	const char *src = getenv("CK_SRCDIR");
	char *path = xasprintf("%s/plans/contoso-hsm.yaml", src ? src : ".");
	struct plan *p = plan_load(path, &d);
	free(path);
	assert_non_null(p);
	assert_true(plan_uses_hsm(p));
	struct inventory *inv = inventory_build(p, &d);
	assert_non_null(inv);
	assert_string_equal(inv->hsm[CK_SIDE_A], "Contoso-CK-HSMA");
	assert_string_equal(inv->hsm[CK_SIDE_B], "Contoso-CK-HSMB");
	assert_int_equal(inv->n_rgs, 2);
	assert_string_equal(inv->rgs[0].name, "Contoso-CK-HSM-RGA");
	assert_string_equal(inv->rgs[0].region, "northcentralus");
	assert_string_equal(inv->rgs[1].region, "westus");
	assert_int_equal(inv->n_deps, 2);
	for (size_t i = 0; i < inv->n_deps; i++)
		for (int s = 0; s < CK_SIDES; s++) {
			const struct inv_side *is = &inv->deps[i].side[s];
			assert_string_equal(is->vault, inv->hsm[s]);
			assert_string_equal(is->resource_group, inv->hsm_rg[s]);
			char *want = xasprintf("https://%s.managedhsm.azure.net/keys/%s", inv->hsm[s],
					       is->key);
			assert_string_equal(is->key_uri, want);
			free(want);
		}
	assert_string_equal(inv->deps[0].side[CK_SIDE_A].key, "Contoso-CK-EX-NA-KeyA1");
	assert_string_equal(inv->deps[1].side[CK_SIDE_B].key, "Contoso-CK-MW-NA-KeyB1");
	/* the one splitter takes an HSM's URI as a vault's */
	char *vn, *kn, *ver;
	assert_true(inventory_key_uri_split(inv->deps[1].side[CK_SIDE_A].key_uri, &vn, &kn, &ver));
	assert_string_equal(vn, "Contoso-CK-HSMA");
	assert_string_equal(kn, "Contoso-CK-MW-NA-KeyA1");
	assert_null(ver);
	free(vn);
	free(kn);
	char *u = inventory_store_key_uri(INV_HSM_DNS, "x", "k", "v");
	assert_string_equal(u, "https://x.managedhsm.azure.net/keys/k/v");
	assert_string_equal(inventory_store_domain(&inv->deps[0]), INV_HSM_DNS);
	free(u);
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
}

/* One place builds and splits a Key Vault key URI; the two agree. */
static void test_inventory_key_uri_round_trip(void **state)
{
	char *v, *k, *ver;
	(void)state;
	char *uri = inventory_key_uri("Contoso-VaultA1", "Contoso-KeyA1", NULL);
	assert_string_equal(uri, "https://Contoso-VaultA1.vault.azure.net/keys/Contoso-KeyA1");
	assert_true(inventory_key_uri_split(uri, &v, &k, &ver));
	assert_string_equal(v, "Contoso-VaultA1");
	assert_string_equal(k, "Contoso-KeyA1");
	assert_null(ver);
	free(v);
	free(k);
	free(uri);
	uri = inventory_key_uri("vlt", "key", "0123456789abcdef0123456789abcdef");
	assert_true(inventory_key_uri_split(uri, &v, &k, &ver));
	assert_string_equal(ver, "0123456789abcdef0123456789abcdef");
	free(v);
	free(k);
	free(ver);
	free(uri);
	uri = inventory_vault_uri("vlt");
	assert_string_equal(uri, "https://vlt.vault.azure.net/");
	free(uri);
	const char *bad[] = { "http://vlt.vault.azure.net/keys/k", "https://vlt.vault.azure.net/secrets/k",
			      "https://.vault.azure.net/keys/k", "https://vlt.vault.azure.net/keys/",
			      "https://vlt.vault.azure.net/keys/k/v/x", "https://a/b.vault.azure.net/keys/k",
			      "https://vlt.vault.azure.net/keys/k/", NULL };
	for (size_t i = 0; bad[i]; i++) {
		assert_false(inventory_key_uri_split(bad[i], &v, &k, &ver));
		assert_null(v);
	}
	assert_false(inventory_key_uri_split(NULL, &v, &k, &ver));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory_expand_placeholders),
		cmocka_unit_test(test_inventory_expand_refuses_bad_patterns),
		cmocka_unit_test(test_inventory_base_plan_names),
		cmocka_unit_test(test_inventory_sequences_and_shared_groups),
		cmocka_unit_test(test_inventory_bad_pattern_reports_ck060_once),
		cmocka_unit_test(test_inventory_multigeo_exchange_counts_per_geo),
		cmocka_unit_test(test_inventory_managed_hsm_plan),
		cmocka_unit_test(test_inventory_key_uri_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
