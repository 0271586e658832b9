/* test_sim_hsm.c: Managed HSMs in the simulator, on plans/contoso-hsm.yaml:
 * an HSM refuses keys until its security domain is downloaded, and the three
 * faults (quorum not met, security domain not downloaded, an app's role
 * missing) fail where a real ceremony would and are fixed by running the
 * step again. The whole ceremony passing in order is test_sim.c's. */
#include "ck.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "azure/backend.h"
#include "hash.h"
#include "sim_fixture.h"
#include "util.h"

/* Perform every first-ceremony step before the one named, in order. */
static void run_until(struct world *w, const char *stop)
{
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (strcmp(s->id, stop) == 0)
			return;
		if (s->management)
			continue;
		char *d = NULL;
		enum check_status st = fx_run(w, s->id, true, &d);
		if (st == CHECK_PENDING) {
			w->now += 4 * DAY;
			free(d);
			st = fx_run(w, s->id, s->check.kind == CHECK_NONE, &d);
		}
		if (st != CHECK_PASS)
			fail_msg("%s: %s\n%s", s->id, check_status_name(st), d);
		free(d);
	}
	fail_msg("no step %s", stop);
}

static void test_sim_hsm_refuses_keys_until_activated(void **state)
{
	struct world *w = fx_world_new("contoso-hsm.yaml", NULL, 0);
	run_until(w, "hsm.officer.key/1");
	fx_detail_has(w, "hsm.create/A", false, CHECK_PASS, "NotActivated");
	/* the activation's own check fails until the download */
	fx_detail_has(w, "hsm.activate/A", false, CHECK_FAIL, "not activated");
	fx_detail_has(w, "key.create/MW/A", true, CHECK_FAIL, "not activated");
	fx_detail_has(w, "hsm.role.admins/A", true, CHECK_FAIL, "not activated");
	/* the download writes the file the evidence hashes, and activates */
	char *d = NULL;
	assert_int_equal(fx_run(w, "hsm.activate/A", true, &d), CHECK_PASS);
	char *path = xasprintf("%s/Contoso-CK-HSMA-SecurityDomain.json", w->dir);
	char hex[HASH_SHA256_HEX_LEN + 1];
	assert_int_equal(hash_file_sha256_hex(path, hex), 0);
	assert_non_null(strstr(d, hex));
	free(d);
	free(path);
	fx_detail_has(w, "hsm.activate/A", false, CHECK_PASS, "Active");
	fx_detail_has(w, "hsm.check/A", false, CHECK_PASS, "purge protection on");
	/* side B is still inactive: one HSM's activation is not the other's */
	fx_detail_has(w, "hsm.check/B", false, CHECK_FAIL, "not activated");
	/* keys need the Crypto User role, not only an active HSM */
	fx_detail_has(w, "key.create/MW/A", true, CHECK_FAIL, "Managed HSM Crypto User");
}

static void test_sim_hsm_fault_security_domain_not_downloaded(void **state)
{
	struct world *w = fx_world_new("contoso-hsm.yaml", "sd-not-downloaded", 0);
	run_until(w, "hsm.activate/A");
	fx_detail_has(w, "hsm.activate/A", true, CHECK_FAIL, "interrupted");
	fx_detail_has(w, "hsm.activate/A", false, CHECK_FAIL, "NotActivated");
	fx_detail_has(w, "key.create/MW/A", true, CHECK_FAIL, "not activated");
	/* one-shot: running the download again activates */
	fx_detail_has(w, "hsm.activate/A", true, CHECK_PASS, "Active");
}

static void test_sim_hsm_fault_quorum_not_met(void **state)
{
	struct world *w = fx_world_new("contoso-hsm.yaml", "sd-quorum", 0);
	run_until(w, "hsm.activate/A");
	fx_detail_has(w, "hsm.activate/A", true, CHECK_FAIL, "quorum of 2");
	fx_detail_has(w, "hsm.check/A", false, CHECK_FAIL, "not activated");
	fx_save_and_reopen(w, NULL); /* the spent fault is kept */
	fx_detail_has(w, "hsm.activate/A", true, CHECK_PASS, "quorum 2 of 3");
}

static void test_sim_hsm_fault_role_missing(void **state)
{
	struct world *w = fx_world_new("contoso-hsm.yaml", "role-missing", 0);
	run_until(w, "hsm.role.service/A");
	fx_detail_has(w, "hsm.role.service/A", true, CHECK_FAIL,
		      "Microsoft 365 cannot wrap with its keys");
	fx_detail_has(w, "hsm.role.service/A", false, CHECK_FAIL, "(none)");
	/* carried on regardless, the keys exist but the service cannot use them */
	const char *keys[] = { "key.create/EX-Contoso-EX-Executives/A", "key.create/MW/A" };
	for (size_t i = 0; i < CK_ARRAY_LEN(keys); i++)
		assert_int_equal(fx_perform(w, keys[i]), CHECK_PASS);
	/* once the step is run again, every app holds the role */
	fx_detail_has(w, "hsm.role.service/A", true, CHECK_PASS, "Every Microsoft 365 app");
}

/* What a step found is recorded as a result code and the observed values
 * (doc/results.md), not as a sentence: the journal keeps these. */
static void result_is(struct world *w, const char *id, bool perform, const char *code,
		      const char *const *args, size_t n_args)
{
	struct check_result r = { .status = CHECK_UNAVAILABLE };
	int rc = perform ? backend_perform(w->b, fx_step(w, id), w->now, &r)
			 : backend_check(w->b, fx_step(w, id), w->now, &r);
	assert_int_equal(rc, 0);
	assert_non_null(r.code);
	assert_string_equal(r.code, code);
	assert_int_equal(r.n_args, n_args);
	for (size_t i = 0; i < n_args; i++)
		assert_string_equal(r.args[i], args[i]);
	check_result_free(&r);
}

static void test_sim_hsm_results_are_codes(void **state)
{
	struct world *w = fx_world_new("contoso-hsm.yaml", "sd-quorum", 0);
	run_until(w, "hsm.activate/A");
	const char *hsm[] = { "Contoso-CK-HSMA" };
	result_is(w, "hsm.create/A", false, "hsm-is-not-activated", hsm, 1);
	const char *quorum[] = { "3", "2", "Contoso-CK-HSMA" };
	result_is(w, "hsm.activate/A", true, "sd-quorum-not-met", quorum, 3);
	result_is(w, "hsm.check/A", false, "hsm-not-activated", hsm, 1);
	const char *done[] = { "2", "3", "Contoso-CK-HSMA" };
	result_is(w, "hsm.activate/A", true, "sd-downloaded", done, 3);
	result_is(w, "hsm.create/A", false, "hsm-is-active", hsm, 1);
}

/* The whole ceremony with the role fault: the onboarding service's
 * validation names the app that cannot wrap. */
static void test_sim_hsm_role_missing_fails_validation(void **state)
{
	struct world *w = fx_world_new("contoso-hsm.yaml", "role-missing", 0);
	run_until(w, "hsm.role.service/A");
	assert_int_equal(fx_perform(w, "hsm.role.service/A"), CHECK_FAIL);
	/* skip the failed step: everything else up to the validation */
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (strncmp(s->id, "onboard.service.validate/", 25) == 0)
			break;
		if (s->management || strcmp(s->id, "hsm.role.service/A") == 0 ||
		    strncmp(s->id, "hsm.create", 10) == 0 || fx_check(w, s->id) == CHECK_PASS)
			continue;
		if (s->check.kind == CHECK_NONE && strncmp(s->id, "key.", 4) != 0 &&
		    strncmp(s->id, "hsm.", 4) != 0)
			continue;
		fx_perform(w, s->id);
	}
	fx_detail_has(w, "onboard.service.validate/EX-Contoso-EX-Executives", true, CHECK_FAIL,
		      "the service cannot wrap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sim_hsm_refuses_keys_until_activated, fx_teardown),
		cmocka_unit_test_teardown(test_sim_hsm_fault_security_domain_not_downloaded,
					  fx_teardown),
		cmocka_unit_test_teardown(test_sim_hsm_fault_quorum_not_met, fx_teardown),
		cmocka_unit_test_teardown(test_sim_hsm_fault_role_missing, fx_teardown),
		cmocka_unit_test_teardown(test_sim_hsm_role_missing_fails_validation, fx_teardown),
		cmocka_unit_test_teardown(test_sim_hsm_results_are_codes, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
