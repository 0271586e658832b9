/* sim_fixture.c: see sim_fixture.h. */
#include "ck.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_fixture.h"
#include "util.h"

/* The world of the running test, freed by fx_teardown. */
static struct world *current;

struct world *fx_world_new(const char *plan_file, const char *faults, long delay)
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
	w->cat = catalogue_build(w->plan, w->inv, true, STEPS_CATALOGUE_VERSION);
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

void fx_world_free(struct world *w)
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

int fx_teardown(void **state)
{
	(void)state;
	if (current)
		fx_world_free(current);
	return 0;
}

const struct step *fx_step(struct world *w, const char *id)
{
	const struct step *s = catalogue_find(w->cat, id);
	if (!s)
		fail_msg("no step %s in the catalogue", id);
	return s;
}

enum check_status fx_run(struct world *w, const char *id, bool perform, char **detail)
{
	struct check_result r = { .status = CHECK_UNAVAILABLE };
	int rc = perform ? backend_perform(w->b, fx_step(w, id), w->now, &r)
			 : backend_check(w->b, fx_step(w, id), w->now, &r);
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

enum check_status fx_check(struct world *w, const char *id)
{
	return fx_run(w, id, false, NULL);
}

enum check_status fx_perform(struct world *w, const char *id)
{
	return fx_run(w, id, true, NULL);
}

void fx_detail_has(struct world *w, const char *id, bool perform, enum check_status want,
		   const char *text)
{
	char *d = NULL;
	enum check_status got = fx_run(w, id, perform, &d);
	if (got != want || !strstr(d, text))
		fail_msg("%s: want %s with \"%s\", got %s:\n%s", id, check_status_name(want), text,
			 check_status_name(got), d);
	free(d);
}

void fx_onboard(struct world *w)
{
	assert_int_equal(fx_perform(w, "fasttrack.request/EX"), CHECK_PASS);
	for (int i = 0; i < 2; i++) {
		char *reg = xasprintf("retention.register/%c", "AB"[i]);
		assert_int_equal(fx_perform(w, reg), CHECK_PASS);
		free(reg);
	}
	assert_int_equal(fx_perform(w, "onboard.email/EX"), CHECK_PASS);
	w->now += 3 * DAY;
	assert_int_equal(fx_check(w, "retention.verify/A"), CHECK_PASS);
	assert_int_equal(fx_check(w, "retention.verify/B"), CHECK_PASS);
}

void fx_vault_prereqs(struct world *w, char side)
{
	char id[160];
	snprintf(id, sizeof id, "provider.register/%c", side);
	assert_int_equal(fx_perform(w, id), CHECK_PASS);
	snprintf(id, sizeof id, "rg.create/Contoso-CK-EX-NA-RG%c/%c", side, side);
	assert_int_equal(fx_perform(w, id), CHECK_PASS);
}

void fx_perform_vault_steps(struct world *w, char side, const char *const *templates, size_t n)
{
	char id[160];
	for (size_t i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%s/EX-USA_mailboxes/%c", templates[i], side);
		assert_int_equal(fx_perform(w, id), CHECK_PASS);
	}
}

enum check_status fx_vault_side(struct world *w, char side)
{
	static const char *const t[] = { "vault.create", "vault.admins", "vault.contributors" };
	char id[160];
	fx_vault_prereqs(w, side);
	fx_perform_vault_steps(w, side, t, CK_ARRAY_LEN(t));
	snprintf(id, sizeof id, "vault.service/EX-USA_mailboxes/%c", side);
	return fx_perform(w, id);
}

void fx_save_and_reopen(struct world *w, const char *faults)
{
	char *err = NULL;
	assert_int_equal(w->b->ops->save(w->b, &err), 0);
	assert_null(err);
	backend_free(w->b);
	w->b = backend_sim_open(w->path, w->cat, faults, 0, &err);
	assert_null(err);
	assert_non_null(w->b);
}
