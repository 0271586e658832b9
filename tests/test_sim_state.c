/* test_sim_state.c: the simulator's sim.json: a save and reopen answers
 * every check byte for byte as before, keeps its faults, a damaged file is
 * refused with where and what (and never rewritten), a failed save says so. */
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
#include "buf.h"
#include "sim_fixture.h"
#include "util.h"

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

/* Everything the checks answer after a save and a reopen is what they
 * answered before, byte for byte. */
static void test_sim_state_round_trips(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-all.yaml", "expiring-key,missing-permission", DAY);
	fx_onboard(w);
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (s->phase <= PHASE_KEYS && !s->management &&
		    strcmp(s->template_id, "key.import") != 0)
			fx_perform(w, s->id);
	}
	fx_perform(w, "dep.exchange.assign/EX-USA_mailboxes/bob@contoso.example");
	size_t n = w->cat->n_steps;
	char **before = xcalloc(n, sizeof *before);
	for (size_t i = 0; i < n; i++)
		fx_run(w, w->cat->steps[i].id, false, &before[i]);
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
		fx_run(w, w->cat->steps[i].id, false, &after);
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
	fx_world_free(w);
}

/* Write text as sim.json: opening it must fail, with an error that names
 * the file and says what, and leave the file as it was (refused, never
 * rewritten). */
static void assert_refused(struct world *w, const char *text, const char *says)
{
	char *err = NULL;
	write_file(w->path, text);
	struct backend *b = backend_sim_open(w->path, w->cat, NULL, 0, &err);
	if (b || !err || !strstr(err, says))
		fail_msg("want \"%s\", got %s", says, err ? err : "(accepted)");
	assert_non_null(strstr(err, "sim.json"));
	free(err);
	char *still = read_all(w->path);
	assert_string_equal(still, text);
	free(still);
}

static void test_sim_damaged_state_refused(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	assert_int_equal(fx_vault_side(w, 'A'), CHECK_PASS);
	assert_int_equal(fx_perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
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
		assert_refused(w, bad, damage[i].says);
		free(bad);
	}
	/* Trailing bytes, a missing field, a truncated file. */
	const char *tails[] = { "}", "x" };
	for (size_t i = 0; i < CK_ARRAY_LEN(tails); i++) {
		char *bad = xasprintf("%s%s", good, tails[i]);
		assert_refused(w, bad, "after the JSON document");
		free(bad);
	}
	char *bad = replace(good, "\"location\":\t\"eastus2\",", "");
	assert_refused(w, bad, "location: missing field");
	free(bad);
	good[strlen(good) / 2] = '\0';
	assert_refused(w, good, "not valid JSON");
	free(good);
	fx_world_free(w);
}

static void test_sim_save_fails_cleanly(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	struct sim_state *st = w->b->state;
	free(st->path);
	st->path = xasprintf("%s/no-such-dir/sim.json", w->dir);
	char *err = NULL;
	assert_int_equal(w->b->ops->save(w->b, &err), -1);
	assert_non_null(strstr(err, "cannot write the simulator state"));
	free(err);
	fx_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sim_state_round_trips, fx_teardown),
		cmocka_unit_test_teardown(test_sim_damaged_state_refused, fx_teardown),
		cmocka_unit_test_teardown(test_sim_save_fails_cleanly, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
