/* test_plan.c: the loader: strictness, positions, bounds, and the filled plan. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck.h"
#include "inventory.h"
#include "plan.h"
#include "plan_fields.h"
#include "rules.h"
#include "util.h"
#include "ydoc.h"

#include "plan_base_yaml.h"

/* Load text; return the plan (or NULL) and leave diagnostics in d. */
static struct plan *load(const char *text, struct diags *d)
{
	return plan_load_mem("t.yaml", text, strlen(text), d);
}

/* The diagnostic with this ID (the test fails if there is none). */
static const struct diag *find_id(const struct diags *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].id, id) == 0)
			return &d->v[i];
	fail_msg("no %s diagnostic", id);
	abort(); /* not reached: cmocka jumps out of the test */
}

static bool has_id(const struct diags *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].id, id) == 0)
			return true;
	return false;
}

/* Expect the loader to refuse text with exactly this ID at line:col. */
static void expect_loader(const char *text, size_t len, const char *id, int line, int col)
{
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load_mem("t.yaml", text, len, &d);
	assert_null(p);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].id, id);
	assert_int_equal(d.v[0].line, line);
	assert_int_equal(d.v[0].col, col);
	assert_int_equal(rules_exit_code(&d), CK_EXIT_INPUT);
	diags_free(&d);
}

static void test_plan_base_loads_clean(void **state)
{
	struct diags d = DIAGS_INIT;
	struct plan *p = load(test_plan_base, &d);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	assert_int_equal(p->version, 1);
	assert_string_equal(p->org.name, "Contoso");
	assert_string_equal(p->org.tenant_domain, "contoso.onmicrosoft.com");
	assert_string_equal(p->op[CK_SIDE_A].upn, "alice@contoso.example");
	assert_true(p->op[CK_SIDE_A].key_ok);
	assert_true(p->op[CK_SIDE_A].demo);
	assert_int_equal(p->author, CK_SIDE_A);
	assert_int_equal(p->tenant_admin, CK_SIDE_A);
	assert_int_equal(p->sub[CK_SIDE_B].operator_side, CK_SIDE_B);
	assert_int_equal(p->sub[CK_SIDE_A].n_administrators, 1);
	assert_int_equal(p->sub[CK_SIDE_B].n_contributors, 0);
	assert_int_equal(p->kv.retention_days, 90);
	assert_true(p->kv.purge_protection);
	assert_int_equal(p->kv.key_size, 3072);
	assert_null(p->kv.key_expiry);
	assert_true(p->exchange.present);
	assert_int_equal(p->exchange.n_policies, 1);
	assert_string_equal(p->exchange.policies[0].regions.region[CK_SIDE_B], "westus2");
	assert_true(p->sharepoint.present);
	assert_false(p->multi.present);
	assert_int_equal(p->n_officers, 1);
	/* defaults come from the field table */
	assert_string_equal(p->email_alias[WL_EXCHANGE], "exock@microsoft.com");
	assert_int_equal(strlen(p->sha256), 64);
	assert_int_equal(p->len, strlen(test_plan_base));
	plan_free(p);
	diags_free(&d);
}

static void test_plan_defaults_fill_missing_optional_fields(void **state)
{
	const char *text = "ckwizard: 1\nnaming:\n  prefix: X\n";
	struct diags d = DIAGS_INIT;
	struct plan *p = load(text, &d);
	assert_non_null(p);
	assert_string_equal(p->naming.vault, "{prefix}-CK-{workload}-{geo}-Vault{side}{vault_seq}");
	assert_string_equal(p->kv.sku, "premium");
	assert_int_equal(p->kv.retention_days, 90);
	assert_true(p->kv.purge_protection);
	assert_int_equal(p->kv.n_admin_permissions, 6);
	assert_string_equal(p->multi.name, "X-M365-DEP");
	/* and the missing required ones are reported, with positions */
	find_id(&d, "CK003");
	assert_int_equal(rules_exit_code(&d), CK_EXIT_FAIL);
	plan_free(p);
	diags_free(&d);
}

static void test_plan_yaml11_booleans_stay_strings(void **state)
{
	const char *text = "ckwizard: 1\nworkloads:\n  exchange:\n    name_geo: NO\n"
			   "    m365_geo: NOR\n";
	struct diags d = DIAGS_INIT;
	struct plan *p = load(text, &d);
	assert_non_null(p);
	assert_string_equal(p->exchange.name_geo, "NO");
	assert_false(has_id(&d, "CK078"));
	plan_free(p);
	diags_free(&d);
}

static void test_plan_boolean_accepts_only_true_false(void **state)
{
	static const char *const bad[] = { "yes", "on", "True", "1", "NO" };
	for (size_t i = 0; i < CK_ARRAY_LEN(bad); i++) {
		char *text = xasprintf("ckwizard: 1\nkey_vault:\n  purge_protection: %s\n", bad[i]);
		struct diags d = DIAGS_INIT;
		struct plan *p = load(text, &d);
		const struct diag *g = find_id(&d, "CK004");
		assert_int_equal(g->line, 3);
		assert_int_equal(g->col, 21);
		assert_string_equal(g->path, "key_vault.purge_protection");
		plan_free(p);
		diags_free(&d);
		free(text);
	}
}

static void test_plan_unknown_key_suggests(void **state)
{
	const char *text = "ckwizard: 1\norganization:\n  tenant_domian: x.example\n";
	struct diags d = DIAGS_INIT;
	struct plan *p = load(text, &d);
	const struct diag *g = find_id(&d, "CK001");
	assert_int_equal(g->line, 3);
	assert_int_equal(g->col, 3);
	assert_non_null(strstr(g->message, "did you mean 'tenant_domain'"));
	assert_non_null(g->hint);
	plan_free(p);
	diags_free(&d);
	/* sides are upper case: a lower-case one is suggested back */
	p = load("ckwizard: 1\nsubscriptions:\n  b: {}\n", &d);
	g = find_id(&d, "CK001");
	assert_string_equal(g->path, "subscriptions.b");
	assert_non_null(strstr(g->message, "did you mean 'B'"));
	plan_free(p);
	diags_free(&d);
}

static void test_plan_wrong_kind_reported(void **state)
{
	const char *text = "ckwizard: 1\nofficers: Erin\n";
	struct diags d = DIAGS_INIT;
	struct plan *p = load(text, &d);
	const struct diag *g = find_id(&d, "CK002");
	assert_string_equal(g->path, "officers");
	assert_int_equal(g->line, 2);
	assert_int_equal(g->col, 11);
	assert_int_equal(p->n_officers, 0);
	plan_free(p);
	diags_free(&d);
}

static void test_plan_refuses_yaml_features(void **state)
{
	const char *anchor = "a: &x 1\nb: *x\n";
	expect_loader(anchor, strlen(anchor), "L011", 1, 4);
	const char *alias = "a: [1]\nb: *x\n"; /* an alias without its anchor is a syntax error */
	struct diags d = DIAGS_INIT;
	assert_null(load(alias, &d));
	assert_int_equal(rules_exit_code(&d), CK_EXIT_INPUT);
	diags_free(&d);
	const char *tag = "a: !!int 1\n";
	expect_loader(tag, strlen(tag), "L012", 1, 4);
	const char *merge = "a: 1\n<<: {b: 2}\n";
	expect_loader(merge, strlen(merge), "L013", 2, 1);
	const char *dup = "a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n";
	expect_loader(dup, strlen(dup), "L014", 5, 3);
	const char *dupflow = "a: {x: 1, y: 2, x: 3}\n";
	expect_loader(dupflow, strlen(dupflow), "L014", 1, 17);
	/* the earliest repeated key is reported, also where another key repeats later */
	const char *dup2 = "m:\n  b: 1\n  a: 1\n  a: 2\n  b: 2\n";
	expect_loader(dup2, strlen(dup2), "L014", 4, 3);
	const char *dup3 = "m:\n  a: 1\n  a: 2\n  a: 3\n";
	expect_loader(dup3, strlen(dup3), "L014", 3, 3);
	const char *docs = "a: 1\n---\nb: 2\n";
	expect_loader(docs, strlen(docs), "L015", 2, 1);
	const char *list = "- a\n";
	expect_loader(list, strlen(list), "L016", 1, 1);
	const char *scalar = "hello\n";
	expect_loader(scalar, strlen(scalar), "L016", 1, 1);
	const char *complex = "? [a]\n: 1\n";
	expect_loader(complex, strlen(complex), "L017", 1, 3);
}

static void test_plan_checks_raw_bytes_with_positions(void **state)
{
	/* columns count characters: the e-acute before the bad byte is one */
	const char bad[] = "a: 1\nb: \xc3\xa9x\xff\n";
	expect_loader(bad, sizeof bad - 1, "L005", 2, 6);
	const char rlo[] = "a: 1\nbb: x\xe2\x80\xaey\n";
	expect_loader(rlo, sizeof rlo - 1, "L006", 2, 6);
	const char nul[] = "a: x\0y\n";
	expect_loader(nul, sizeof nul - 1, "L006", 1, 5);
	const char esc[] = "a: \"x\\u202Ey\"\n"; /* escaped bidi survives the raw check */
	expect_loader(esc, sizeof esc - 1, "L006", 1, 4);
	const char escnul[] = "a: \"x\\0y\"\n";
	expect_loader(escnul, sizeof escnul - 1, "L006", 1, 4);
	const char bell[] = "a: x\a\n";
	expect_loader(bell, sizeof bell - 1, "L006", 1, 5);
}

/* The base plan with one line replaced (the first line starting with from). */
static char *base_with(const char *from, const char *to)
{
	const char *at = strstr(test_plan_base, from);
	assert_non_null(at);
	const char *eol = strchr(at, '\n');
	return xasprintf("%.*s%s%s", (int)(at - test_plan_base), test_plan_base, to, eol);
}

static void test_plan_null_is_missing(void **state)
{
	/* a YAML null (~, null, Null, NULL, nothing) is no value: on a required
	 * field it is reported missing by name, never read as the text "~" */
	static const char *const nulls[] = { "~", "null", "Null", "NULL", "" };
	for (size_t i = 0; i < CK_ARRAY_LEN(nulls); i++) {
		char *line = xasprintf("  name: %s", nulls[i]);
		char *text = base_with("  name: Contoso", line);
		struct diags d = DIAGS_INIT;
		struct plan *p = load(text, &d);
		assert_non_null(p);
		assert_null(p->org.name);
		const struct diag *g = find_id(&d, "CK003");
		assert_string_equal(g->path, "organization.name");
		assert_non_null(strstr(g->message, "'name'"));
		assert_int_equal(g->line, 3);
		plan_free(p);
		diags_free(&d);
		free(text);
		free(line);
	}
	/* quoted, it is text */
	const struct diag *g;
	char *text = base_with("  name: Contoso", "  name: \"~\"");
	struct diags d = DIAGS_INIT;
	struct plan *p = load(text, &d);
	assert_string_equal(p->org.name, "~");
	assert_false(has_id(&d, "CK003"));
	plan_free(p);
	diags_free(&d);
	free(text);
	/* on an optional field, as an empty value: an error saying to leave
	 * the field out for its default (which the plan holds meanwhile) */
	text = base_with("  sku: premium", "  sku: ~");
	p = load(text, &d);
	assert_non_null(p);
	assert_string_equal(p->kv.sku, "premium");
	g = find_id(&d, "CK002");
	assert_string_equal(g->path, "key_vault.sku");
	assert_non_null(strstr(g->message, "leave the field out"));
	plan_free(p);
	diags_free(&d);
	free(text);
	/* a whole required mapping set to null */
	text = xasprintf("ckwizard: 1\norganization: null\n");
	p = load(text, &d);
	g = find_id(&d, "CK003");
	assert_string_equal(g->path, "organization");
	assert_false(has_id(&d, "CK002"));
	plan_free(p);
	diags_free(&d);
	free(text);
}

static void test_plan_integers_refuse_leading_zeros(void **state)
{
	/* YAML 1.1 tools read 03072 as octal (1594): never guess */
	static const char *const bad[] = { "03072", "00", "-03072", "0x0C00", "3072.0" };
	for (size_t i = 0; i < CK_ARRAY_LEN(bad); i++) {
		char *text = xasprintf("ckwizard: 1\nkey_vault:\n  key:\n    size: %s\n", bad[i]);
		struct diags d = DIAGS_INIT;
		struct plan *p = load(text, &d);
		const struct diag *g = find_id(&d, "CK004");
		assert_string_equal(g->path, "key_vault.key.size");
		assert_int_equal(g->line, 4);
		if (i < 3)
			assert_non_null(strstr(g->message, "leading zero"));
		assert_int_equal(p->kv.key_size, LONG_MIN);
		plan_free(p);
		diags_free(&d);
		free(text);
	}
	char *text = xasprintf("ckwizard: 1\nkey_vault:\n  key:\n    size: 3072\n"
			       "  soft_delete_retention_days: 0\n");
	struct diags d = DIAGS_INIT;
	struct plan *p = load(text, &d);
	assert_int_equal(p->kv.key_size, 3072);
	assert_int_equal(p->kv.retention_days, 0);
	assert_false(has_id(&d, "CK004"));
	plan_free(p);
	diags_free(&d);
	free(text);
}

static void test_plan_bom_is_skipped_positions_kept(void **state)
{
	/* A byte-order mark is not part of line 1: columns count from after it */
	const char bom_bad[] = "\xef\xbb\xbf" "a: 1\nb: \xc3\xa9x\xff\n";
	expect_loader(bom_bad, sizeof bom_bad - 1, "L005", 2, 6);
	const char bom_yaml[] = "\xef\xbb\xbf" "a: [1\n";
	struct diags d = DIAGS_INIT;
	assert_null(plan_load_mem("t.yaml", "a: [1\n", 6, &d));
	int line = d.v[0].line, col = d.v[0].col;
	diags_free(&d);
	expect_loader(bom_yaml, sizeof bom_yaml - 1, "L007", line, col);
	const char bom_rlo[] = "\xef\xbb\xbf" "ab: x\xe2\x80\xaey\n";
	expect_loader(bom_rlo, sizeof bom_rlo - 1, "L006", 1, 6);
	const char bom_dup[] = "\xef\xbb\xbf" "ab: 1\nab: 2\n";
	expect_loader(bom_dup, sizeof bom_dup - 1, "L014", 2, 1);
	/* and a plan with a BOM loads as the same plan without one */
	char *text = xasprintf("\xef\xbb\xbf%s", test_plan_base);
	struct plan *p = load(text, &d);
	assert_non_null(p);
	assert_int_equal(diags_count(&d, DIAG_ERROR), 0);
	assert_string_equal(p->org.name, "Contoso");
	int l, c;
	plan_pos(p, "organization.name", &l, &c);
	assert_int_equal(l, 3);
	assert_int_equal(c, 9);
	plan_free(p);
	diags_free(&d);
	free(text);
}

/* The field lookup (a sorted index over the table): every field is found as
 * itself, so no two share a path, and a path that is no field is not found. */
static void test_plan_field_find_every_field(void **state)
{
	(void)state;
	for (unsigned i = 0; i < plan_n_fields; i++)
		assert_ptr_equal(plan_field_find(plan_fields[i].path), &plan_fields[i]);
	assert_null(plan_field_find(""));
	assert_null(plan_field_find("operators.C"));
	assert_null(plan_field_find("zzz"));
}

static void test_plan_bounds(void **state)
{
	char deep[200];
	size_t n = 0;
	n += (size_t)snprintf(deep, sizeof deep, "a: ");
	for (int i = 0; i < 40; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	/* the 32nd level is fine, the 33rd is refused where it opens */
	expect_loader(deep, strlen(deep), "L008", 1, 4 + 31);

	size_t big = YDOC_MAX_SCALAR + 10;
	char *s = xmalloc(big + 8);
	memcpy(s, "a: ", 3);
	memset(s + 3, 'x', big);
	s[3 + big] = '\0';
	expect_loader(s, strlen(s), "L009", 1, 4);
	free(s);

	char *huge = xcalloc(PLAN_MAX_BYTES + 2, 1);
	memset(huge, '#', PLAN_MAX_BYTES + 1);
	struct diags d = DIAGS_INIT;
	assert_null(plan_load_mem("t", huge, PLAN_MAX_BYTES + 1, &d));
	assert_string_equal(d.v[0].id, "L003");
	diags_free(&d);
	free(huge);

	expect_loader("", 0, "L004", 1, 1);
	expect_loader("# only a comment\n", 17, "L004", 1, 1);
}

static void test_plan_too_many_values(void **state)
{
	struct buf_like { char *p; size_t n; } b = { xmalloc(8 * (YDOC_MAX_NODES + 10)), 0 };
	b.n += (size_t)sprintf(b.p, "a: [");
	for (int i = 0; i < YDOC_MAX_NODES + 5; i++)
		b.n += (size_t)sprintf(b.p + b.n, "1,");
	b.n += (size_t)sprintf(b.p + b.n, "1]\n");
	struct diags d = DIAGS_INIT;
	assert_null(plan_load_mem("t", b.p, b.n, &d));
	assert_string_equal(d.v[0].id, "L010");
	diags_free(&d);
	free(b.p);
}

static void test_plan_pos_finds_fields_and_parents(void **state)
{
	struct diags d = DIAGS_INIT;
	struct plan *p = load(test_plan_base, &d);
	int line, col;
	plan_pos(p, "workloads.exchange.policies[0].regions.B", &line, &col);
	assert_int_equal(line, TEST_PLAN_BASE_REGIONS_LINE);
	assert_int_equal(col, 35);
	plan_pos(p, "workloads.exchange.policies[0]", &line, &col);
	assert_int_equal(line, TEST_PLAN_BASE_REGIONS_LINE - 2);
	assert_int_equal(col, 9);
	/* a missing field: its nearest parent (the key of the mapping) */
	plan_pos(p, "organization.nothing", &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 1);
	plan_pos(p, "nothing", &line, &col);
	assert_int_equal(line, 0);
	/* dropped (the session, once its plan is checked): no position, and
	 * the plan's values stay */
	plan_drop_positions(p);
	assert_null(p->doc);
	plan_pos(p, "workloads.exchange.policies[0]", &line, &col);
	assert_int_equal(line, 0);
	assert_int_equal(col, 0);
	assert_string_equal(p->org.name, "Contoso");
	plan_drop_positions(p);
	plan_free(p);
	diags_free(&d);
}

static void test_plan_load_file_refuses_non_regular(void **state)
{
	struct diags d = DIAGS_INIT;
	assert_null(plan_load("/", &d));
	assert_string_equal(d.v[0].id, "L002");
	diags_free(&d);
	assert_null(plan_load("/dev/null", &d));
	assert_string_equal(d.v[0].id, "L002");
	diags_free(&d);
	assert_null(plan_load("/nonexistent/plan.yaml", &d));
	assert_string_equal(d.v[0].id, "L001");
	diags_free(&d);
}

static void test_plan_load_file_keeps_exact_bytes(void **state)
{
	char path[] = "/tmp/ckw-test-plan-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(test_plan_base, f);
	fclose(f);
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load(path, &d);
	unlink(path);
	assert_non_null(p);
	assert_memory_equal(p->bytes, test_plan_base, strlen(test_plan_base));
	assert_string_equal(p->path, path);
	/* the journal rebuilds a session from the embedded bytes */
	struct plan *q = plan_load_mem("embedded", p->bytes, p->len, &d);
	assert_string_equal(p->sha256, q->sha256);
	plan_free(q);
	plan_free(p);
	diags_free(&d);
}

/* A fixed-seed generator: the same mutations on every run. */
static uint32_t rng_state = 2463534242u;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Mutated plans never crash the loader, the inventory or the rules (the
 * sanitizer build makes this bite), and the outcome is always one of two:
 * refused with exactly one loader diagnostic, or loaded with none. */
static void test_plan_survives_mutations(void **state)
{
	static const char pieces[] = "&*!{}[]:-,'\"#|>%@`\n\t ";
	size_t base_len = strlen(test_plan_base);
	for (int iter = 0; iter < 10000; iter++) {
		char *t = xmalloc(base_len * 2 + 64);
		memcpy(t, test_plan_base, base_len);
		size_t n = base_len;
		int edits = 1 + (int)(rng() % 4);
		for (int e = 0; e < edits && n > 2; e++) {
			size_t at = rng() % n;
			switch (rng() % 4) {
			case 0: /* overwrite with a YAML-significant character */
				t[at] = pieces[rng() % (sizeof pieces - 1)];
				break;
			case 1: /* overwrite with any byte */
				t[at] = (char)(rng() & 0xff);
				break;
			case 2: { /* delete a short range */
				size_t len = 1 + rng() % 16;
				if (at + len > n)
					len = n - at;
				memmove(t + at, t + at + len, n - at - len);
				n -= len;
				break;
			}
			default: { /* repeat a short range (duplicate keys, items) */
				size_t len = 1 + rng() % 32;
				if (at + len > n)
					len = n - at;
				if (n + len > base_len * 2)
					break;
				memmove(t + at + len, t + at, n - at);
				n += len;
				break;
			}
			}
		}
		struct diags d = DIAGS_INIT;
		struct plan *p = plan_load_mem("fuzz.yaml", t, n, &d);
		size_t loader = 0;
		for (size_t i = 0; i < d.n; i++)
			loader += d.v[i].id[0] == 'L';
		if (p) {
			assert_int_equal(loader, 0);
			struct inventory *inv = inventory_build(p, &d);
			rules_check(p, inv, &d);
			assert_true(rules_exit_code(&d) != CK_EXIT_INPUT);
			inventory_free(inv);
			plan_free(p);
		} else {
			assert_int_equal(d.n, 1);
			assert_int_equal(loader, 1);
			assert_int_equal(rules_exit_code(&d), CK_EXIT_INPUT);
		}
		diags_free(&d);
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_base_loads_clean),
		cmocka_unit_test(test_plan_defaults_fill_missing_optional_fields),
		cmocka_unit_test(test_plan_yaml11_booleans_stay_strings),
		cmocka_unit_test(test_plan_boolean_accepts_only_true_false),
		cmocka_unit_test(test_plan_unknown_key_suggests),
		cmocka_unit_test(test_plan_wrong_kind_reported),
		cmocka_unit_test(test_plan_refuses_yaml_features),
		cmocka_unit_test(test_plan_checks_raw_bytes_with_positions),
		cmocka_unit_test(test_plan_null_is_missing),
		cmocka_unit_test(test_plan_integers_refuse_leading_zeros),
		cmocka_unit_test(test_plan_bom_is_skipped_positions_kept),
		cmocka_unit_test(test_plan_field_find_every_field),
		cmocka_unit_test(test_plan_bounds),
		cmocka_unit_test(test_plan_too_many_values),
		cmocka_unit_test(test_plan_pos_finds_fields_and_parents),
		cmocka_unit_test(test_plan_load_file_refuses_non_regular),
		cmocka_unit_test(test_plan_load_file_keeps_exact_bytes),
		cmocka_unit_test(test_plan_survives_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
