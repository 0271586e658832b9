/* test_verify_forged.c: operator A forges operator B. A takes the sample
 * ceremony, puts a key of A's choosing in place of B's in the plan the
 * journal embeds (and in the plan file handed round), re-chains every line,
 * signs A's part with A's own key and B's part with whatever that key lets A
 * make. With a small-order key for B, one constant signature does it (what an
 * adversarial probe found: OpenSSL 3.0 accepts R = identity, S = 0 under the
 * identity key). verify, with every anchor the forger can supply, must fail
 * and say why; so must a resume and `check` of the forged plan. The same for
 * B's key set equal to A's (A then signs both parts with one key). */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "buf.h"
#include "hash.h"
#include "journal_int.h"
#include "keys.h"
#include "inventory.h"
#include "plan.h"
#include "rules.h"
#include "pubkey.h"
#include "session_fixture.h"
#include "util.h"
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char identity_key[] = "ed25519:AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

static int setup(void **state)
{
	*state = fx_setup();
	return 0;
}

static int teardown(void **state)
{
	fx_teardown(*state);
	return 0;
}

static char *key_line(unsigned char seed)
{
	unsigned char pub[PUBKEY_LEN];
	struct keys_private *k = fx_key(seed);
	keys_public(k, pub);
	keys_lock(k);
	return pubkey_format(pub);
}

static char *replace(const char *text, const char *old, const char *new_)
{
	const char *at = strstr(text, old);
	assert_non_null(at);
	return xasprintf("%.*s%s%s", (int)(at - text), text, new_, at + strlen(old));
}

/* Later events name the plan by its hash: they follow the forged plan. */
static void rename_hash(cJSON *v, const char *old, const char *new_)
{
	cJSON *c;
	if (cJSON_IsString(v) && strcmp(v->valuestring, old) == 0)
		assert_non_null(cJSON_SetValuestring(v, new_));
	cJSON_ArrayForEach(c, v)
		rename_hash(c, old, new_);
}

/* Rewrite sess/journal.jsonl into forged.jsonl, B's key now b_key (the plan
 * as it then reads goes to forged.yaml), B's signatures b_sig, or when NULL
 * made with the key of seed b_seed. The forged journal's head goes to head. */
static void forge(const char *b_key, const unsigned char *b_sig, unsigned char b_seed,
		  char head[65])
{
	struct journal_read r;
	char *err = NULL, *b_real = key_line(0x22), prev[65] = JOURNAL_ZERO_HASH;
	char old_hex[65] = "", new_hex[65] = "";
	struct keys_private *ka = fx_key(0x11), *kb = fx_key(b_seed);
	struct buf out = BUF_INIT;
	assert_int_equal(journal_read_file("sess/journal.jsonl", &r, &err), 0);
	assert_int_equal(r.problem, JPROB_NONE);
	for (size_t i = 0; i < r.n; i++) {
		struct journal_event *e = &r.ev[i];
		cJSON *plan = cJSON_GetObjectItemCaseSensitive(e->payload, "plan");
		if (strcmp(e->type, "session.open") == 0) {
			char *text = replace(plan->valuestring, b_real, b_key);
			FILE *f = fopen("forged.yaml", "w");
			assert_non_null(f);
			fputs(text, f);
			assert_int_equal(fclose(f), 0);
			hash_sha256_hex(plan->valuestring, strlen(plan->valuestring), old_hex);
			hash_sha256_hex(text, strlen(text), new_hex);
			cJSON_ReplaceItemInObjectCaseSensitive(e->payload, "plan",
							       cJSON_CreateString(text));
			free(text);
		} else {
			assert_null(plan); /* the sample amends nothing */
		}
		rename_hash(e->payload, old_hex, new_hex);
		struct buf line = BUF_INIT;
		memcpy(e->prev, prev, sizeof prev);
		jform_prefix(&line, e);
		hash_sha256_hex(line.p, line.len, e->hash);
		char *msg = xasprintf("%s%s", JOURNAL_SIG_CONTEXT, e->hash);
		for (size_t k = 0; k < e->n_sigs; k++) {
			if (e->sigs[k].by == CK_SIDE_B && b_sig)
				memcpy(e->sigs[k].sig, b_sig, PUBKEY_SIG_LEN);
			else
				assert_int_equal(keys_sign(e->sigs[k].by == CK_SIDE_B ? kb : ka, msg,
							   strlen(msg), e->sigs[k].sig), 0);
		}
		free(msg);
		jform_suffix(&line, e);
		buf_add(&out, line.p, line.len);
		buf_add(&out, "\n", 1);
		buf_free(&line);
		memcpy(prev, e->hash, sizeof prev);
	}
	FILE *f = fopen("forged.jsonl", "w");
	assert_non_null(f);
	assert_int_equal(fwrite(out.p, 1, out.len, f), out.len);
	assert_int_equal(fclose(f), 0);
	memcpy(head, prev, 65);
	buf_free(&out);
	keys_lock(ka);
	keys_lock(kb);
	journal_read_free(&r);
	free(b_real);
}

/* The forged journal fails verify with every anchor, a resume refuses it,
 * and check names the field; needle is what each must say. */
static void assert_refused(const char *head, const char *rule, const char *needle)
{
	struct verify_anchors a = { "forged.yaml", head, NULL };
	struct buf out = BUF_INIT;
	char *err = NULL;
	const char *problem = NULL;
	int rc = verify_journal("forged.jsonl", &a, &out);
	if (rc != CK_EXIT_FAIL || !strstr(out.p, needle))
		fail_msg("verify of the forged journal: exit %d, wanted %d and \"%s\":\n%s", rc,
			 CK_EXIT_FAIL, needle, out.p);
	assert_null(strstr(out.p, "VALID"));
	buf_free(&out);
	struct session *s = session_load("forged.jsonl", &err);
	assert_non_null(s);
	assert_int_equal(session_problem(s, &problem), 1);
	if (!strstr(problem, needle))
		fail_msg("resume says \"%s\", not \"%s\"", problem, needle);
	session_free(s);
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load("forged.yaml", &d);
	assert_non_null(p);
	struct inventory *inv = inventory_build(p, &d);
	rules_check(p, inv, &d);
	inventory_free(inv);
	plan_free(p);
	bool found = false;
	for (size_t i = 0; i < d.n; i++)
		found |= d.v[i].id && strcmp(d.v[i].id, rule) == 0 &&
			 util_streq(d.v[i].path, "operators.B.key");
	assert_true(found);
	diags_free(&d);
}

static void make_sample(void)
{
	fx_write_plan("plan.yaml", 0x11, 0x22);
	fx_sample_ceremony("plan.yaml", "sess", true, 0x11, 0x22);
}

/* The forger's method works: re-chained and re-signed with B's real key
 * replaced by another key A holds, the journal verifies with every anchor A
 * can hand over (only the plan the team holds on paper would show it:
 * test_verify.c). Without this the tests below could pass because the
 * rewrite itself is broken. */
static void test_verify_forged_method_works_with_a_strong_key(void **state)
{
	char head[65], *b_fake = key_line(0x44);
	struct verify_anchors a = { "forged.yaml", head, NULL };
	struct buf out = BUF_INIT;
	(void)state;
	make_sample();
	forge(b_fake, NULL, 0x44, head);
	if (verify_journal("forged.jsonl", &a, &out) != CK_EXIT_OK)
		fail_msg("the forger's rewrite is broken:\n%s", out.p);
	buf_free(&out);
	free(b_fake);
}

static void test_verify_forged_identity_key_for_b(void **state)
{
	unsigned char sig[PUBKEY_SIG_LEN] = { 0x01 }; /* R = identity (y = 1), S = 0 */
	char head[65];
	(void)state;
	make_sample();
	forge(identity_key, sig, 0, head);
	assert_refused(head, "CK016", "small-order");
}

static void test_verify_forged_equal_keys(void **state)
{
	char head[65], *a_key = key_line(0x11);
	(void)state;
	make_sample();
	forge(a_key, NULL, 0x11, head);
	assert_refused(head, "CK020", "same public key");
	free(a_key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_verify_forged_method_works_with_a_strong_key,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_forged_identity_key_for_b, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify_forged_equal_keys, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
