/* test_sim.c: the simulator backend against the real step catalogue of the
 * example plans: every check kind passing and failing over a whole ceremony,
 * the retention-period timeline, Microsoft 365 DEPs, fault strings refused,
 * names. Vaults and keys are in test_sim_vault.c, sim.json in
 * test_sim_state.c; the shared world is tests/sim_fixture.[ch]. */
#include "ck.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "azure/backend.h"
#include "azure/results.h"
#include "azure/sim_int.h"
#include "buf.h"
#include <stdio.h>
#include "sim_fixture.h"
#include "util.h"

/* Every first-ceremony step of the biggest example, in catalogue order:
 * after performing it, its check passes (or is pending only where time must
 * pass, and passes once it has). */
static void every_step(const char *plan_file, bool seen[CHECK_COUNT])
{
	struct world *w = fx_world_new(plan_file, NULL, 0);
	size_t checked = 0;
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (s->management || strcmp(s->template_id, "key.import") == 0)
			continue;
		char *d = NULL;
		enum check_status st = fx_run(w, s->id, true, &d);
		if (st == CHECK_PENDING || (st == CHECK_PASS && s->check.kind != CHECK_NONE &&
					    fx_check(w, s->id) == CHECK_PENDING)) {
			w->now += 4 * DAY; /* the waits: Microsoft, 72 hours, SharePoint */
			free(d);
			st = fx_run(w, s->id, s->check.kind == CHECK_NONE, &d);
		}
		if (st != CHECK_PASS)
			fail_msg("%s: %s\n%s", s->id, check_status_name(st), d);
		free(d);
		if (s->check.kind != CHECK_NONE) {
			assert_int_equal(fx_check(w, s->id), CHECK_PASS);
			checked++;
		}
	}
	assert_true(checked > 30);
	for (size_t i = 0; i < w->cat->n_steps; i++)
		seen[w->cat->steps[i].check.kind] = true;
	fx_world_free(w);
}

static void test_sim_every_step_passes_in_order(void **state)
{
	(void)state;
	/* Every example plan: one, three and many DEPs, several SharePoint geos. */
	const char *plans[] = { "contoso-exchange.yaml", "contoso-all.yaml",
				"fabrikam-multigeo.yaml", "woodgrove-large.yaml",
				"contoso-service.yaml", "contoso-hsm.yaml" };
	bool seen[CHECK_COUNT] = { false };
	for (size_t i = 0; i < CK_ARRAY_LEN(plans); i++)
		every_step(plans[i], seen);
	/* Every kind of check took part in some plan. */
	for (int k = 1; k < CHECK_COUNT; k++)
		if (!seen[k])
			fail_msg("no example plan has a %s check", step_check_kind_name((enum check_kind)k));
}

/* Before anything is done, every check of the Azure side fails and says so:
 * nothing passes by default. */
static void test_sim_checks_fail_on_an_empty_tenant(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (s->check.kind == CHECK_NONE)
			continue;
		char *d = NULL;
		enum check_status st = fx_run(w, s->id, false, &d);
		if (st != CHECK_FAIL)
			fail_msg("%s on an empty tenant: %s\n%s", s->id, check_status_name(st), d);
		free(d);
	}
	fx_world_free(w);
}

static void test_sim_retention_registers_only_after_email_and_delay(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 2 * DAY);
	fx_detail_has(w, "retention.verify/A", false, CHECK_FAIL,
		      "RegistrationState: NotRegistered");
	fx_detail_has(w, "retention.register/A", true, CHECK_PASS,
		      "RegistrationState: Registering");
	/* Registering is the expected answer when the state is recorded ... */
	assert_int_equal(fx_check(w, "retention.check/A"), CHECK_PASS);
	/* ... but not when it must read Registered. */
	assert_int_equal(fx_check(w, "retention.verify/A"), CHECK_PENDING);
	/* Time alone does nothing: Microsoft waits for the e-mail. */
	w->now += 30 * DAY;
	fx_detail_has(w, "retention.verify/A", false, CHECK_PENDING,
		      "RegistrationState: Registering");
	long sent = w->now;
	assert_int_equal(fx_perform(w, "onboard.email/EX"), CHECK_PASS);
	assert_int_equal(fx_check(w, "onboard.email/EX"), CHECK_PENDING);
	w->now = sent + 2 * DAY - 1;
	assert_int_equal(fx_check(w, "retention.verify/A"), CHECK_PENDING);
	w->now = sent + 2 * DAY;
	fx_detail_has(w, "retention.verify/A", false, CHECK_PASS,
		      "RegistrationState: Registered");
	/* Side B never registered: still NotRegistered, and Microsoft's
	 * confirmation (both subscriptions) has not come. */
	assert_int_equal(fx_check(w, "retention.verify/B"), CHECK_FAIL);
	assert_int_equal(fx_check(w, "onboard.email/EX"), CHECK_PENDING);
	assert_int_equal(fx_perform(w, "retention.register/B"), CHECK_PASS);
	w->now += 2 * DAY;
	assert_int_equal(fx_check(w, "retention.verify/B"), CHECK_PASS);
	assert_int_equal(fx_check(w, "onboard.email/EX"), CHECK_PASS);
	fx_world_free(w);
}

static void test_sim_slow_registration_fault(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", "slow-registration=10", DAY);
	assert_int_equal(fx_perform(w, "retention.register/A"), CHECK_PASS);
	assert_int_equal(fx_perform(w, "onboard.email/EX"), CHECK_PASS);
	w->now += DAY;
	assert_int_equal(fx_check(w, "retention.verify/A"), CHECK_PENDING);
	w->now += 10 * 3600;
	assert_int_equal(fx_check(w, "retention.verify/A"), CHECK_PASS);
	fx_world_free(w);
}

static void test_sim_dep_needs_usable_keys_and_mailboxes_wait(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", "missing-permission=get", DAY);
	fx_onboard(w);
	assert_int_equal(fx_vault_side(w, 'B'), CHECK_FAIL); /* the fault is spent on B ... */
	fx_detail_has(w, "vault.access_check/EX-USA_mailboxes/B", false, CHECK_FAIL,
		      "lacks get");
	assert_int_equal(fx_vault_side(w, 'A'), CHECK_PASS); /* ... so A is fine */
	assert_int_equal(fx_perform(w, "key.create/EX-USA_mailboxes/A"), CHECK_PASS);
	assert_int_equal(fx_perform(w, "key.create/EX-USA_mailboxes/B"), CHECK_PASS);
	fx_detail_has(w, "dep.exchange.create/EX-USA_mailboxes", true, CHECK_FAIL,
		      "lacks wrapKey, unwrapKey or get on vault Contoso-CK-EX-NA-VaultB1");
	assert_int_equal(fx_perform(w, "vault.service/EX-USA_mailboxes/B"), CHECK_PASS);
	fx_detail_has(w, "dep.exchange.create/EX-USA_mailboxes", true, CHECK_PASS,
		      "AzureKeyIDs: https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			  "Contoso-CK-EX-NA-VaultA1-Key001, https://Contoso-CK-EX-NA-VaultB1");
	const char *mb = "dep.exchange.verify/EX-USA_mailboxes/alice@contoso.example";
	fx_detail_has(w, mb, true, CHECK_FAIL, "IsEncrypted: False");
	assert_int_equal(fx_perform(w, "dep.exchange.assign/EX-USA_mailboxes/alice@contoso.example"),
			 CHECK_PASS);
	w->now += 72 * 3600 - 1;
	fx_detail_has(w, mb, true, CHECK_PENDING, "IsEncrypted: False");
	w->now += 1;
	fx_detail_has(w, mb, true, CHECK_PASS, "IsEncrypted: True");
	fx_world_free(w);
}

/* The onboarding service: a failed validation lists what fails, validating
 * again after the fix passes, and Enable refuses while anything fails. */
static void test_sim_onboarding_service_validation(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-service.yaml", "onboarding-validation", 0);
	const char *val = "onboard.service.validate/MW", *en = "onboard.service.enable/MW";
	/* nothing exists yet: both keys and both retention periods are listed */
	fx_detail_has(w, en, true, CHECK_FAIL, "FailedValidations: KeyIdentifier1: vault");
	fx_detail_has(w, en, true, CHECK_FAIL, "Subscription2: mandatoryRetentionPeriodEnabled is "
		      "NotRegistered");
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (strcmp(s->template_id, "onboard.service.validate") == 0)
			break;
		assert_int_equal(fx_perform(w, s->id), CHECK_PASS);
	}
	/* the fault: the first validation fails and names the item ... */
	fx_detail_has(w, val, true, CHECK_FAIL, "ValidationResult: Failed");
	assert_int_equal(fx_check(w, val), CHECK_FAIL);
	/* ... validated again, it passes, with a request ID to record */
	fx_detail_has(w, val, true, CHECK_PASS, "FailedValidations: (none)");
	fx_detail_has(w, val, false, CHECK_PASS, "validation passed");
	fx_detail_has(w, en, true, CHECK_PASS, "RequestId: ");
	fx_detail_has(w, en, false, CHECK_PASS, "onboarded");
	fx_world_free(w);
}

/* M365DataAtRestEncryption is missing from the simulated tenant until the
 * service principal step registers it: granting it a policy before fails
 * the way Azure does, and the step's check tells. */
static void test_sim_service_principal_registration(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-service.yaml", NULL, 0);
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (strcmp(s->template_id, "sp.register") == 0)
			break;
		assert_int_equal(fx_perform(w, s->id), CHECK_PASS);
	}
	fx_detail_has(w, "sp.register/MW", false, CHECK_FAIL, "not registered");
	fx_detail_has(w, "vault.service/MW/A", true, CHECK_FAIL, "PrincipalNotFound");
	fx_detail_has(w, "sp.register/MW", true, CHECK_PASS, "AppId: c066d759-24ae-40e7-a56f-027002b5d3e4");
	fx_detail_has(w, "sp.register/MW", false, CHECK_PASS, "is registered");
	assert_int_equal(fx_perform(w, "vault.admins/MW/A"), CHECK_PASS);
	assert_int_equal(fx_perform(w, "vault.service/MW/A"), CHECK_PASS);
	fx_world_free(w);
}

static void test_sim_sharepoint_registers_with_percentage(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-all.yaml", NULL, DAY);
	fx_onboard(w);
	for (size_t i = 0; i < w->cat->n_steps; i++)
		if (strcmp(w->cat->steps[i].template_id, "provider.register") == 0 ||
		    strcmp(w->cat->steps[i].template_id, "rg.create") == 0)
			assert_int_equal(fx_perform(w, w->cat->steps[i].id), CHECK_PASS);
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		if (s->phase == PHASE_VAULTS || s->phase == PHASE_KEYS)
			if (s->dep && s->dep->workload == WL_SHAREPOINT &&
			    strcmp(s->template_id, "key.import") != 0)
				assert_int_equal(fx_perform(w, s->id), CHECK_PASS);
	}
	const struct step *reg = NULL;
	for (size_t i = 0; i < w->cat->n_steps; i++)
		if (strcmp(w->cat->steps[i].template_id, "dep.sharepoint.register") == 0)
			reg = &w->cat->steps[i];
	if (!reg || !reg->dep)
		fail_msg("no SharePoint DEP in contoso-all.yaml");
	char *verify = xasprintf("dep.sharepoint.verify/%s", reg->dep->id);
	fx_detail_has(w, reg->id, true, CHECK_PASS, "State: Registering (0%)");
	w->now += SIM_SPO_REGISTER_SECONDS / 2;
	fx_detail_has(w, verify, true, CHECK_PENDING, "State: Registering (50%)");
	w->now += SIM_SPO_REGISTER_SECONDS / 2;
	fx_detail_has(w, verify, true, CHECK_PASS, "State: Registered");
	free(verify);
	fx_world_free(w);
}

static void test_sim_unknown_or_bad_faults_refused(void **state)
{
	(void)state;
	struct world *w = fx_world_new("contoso-exchange.yaml", NULL, 0);
	const char *bad[] = { "vault-taken", "rbac-on=1", "expiring-key=0", "expiring-key=x",
			      "missing-permission=delete", "slow-registration=-1", ",",
			      "rbac-on,", ",rbac-on", "rbac-on,,paired-region" };
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
	/* --fault '' names no fault: refused, not taken as "none" */
	char *empty_err = NULL;
	assert_int_equal(backend_sim_check_faults("", &empty_err), -1);
	assert_non_null(strstr(empty_err, "empty fault name"));
	free(empty_err);
	char *err = NULL;
	struct backend *b = backend_sim_open(dir, w->cat, "vault-taken", 0, &err);
	assert_null(b);
	assert_non_null(strstr(err, "known faults: vault-name-taken[=NAME], missing-permission"));
	free(err);
	free(dir);
	fx_world_free(w);
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
	struct check_result r = { .status = CHECK_PASS, .summary = xstrdup("a"), .detail = xstrdup("b") };
	check_result_free(&r);
	assert_null(r.summary);
	check_result_free(&r);
}

/* What a check found is a result code plus the observed values; the
 * sentence is made from the one table, with the values put in order. */
static void test_sim_results_are_codes(void **state)
{
	char a0[] = "Contoso-VaultA1", p0[] = "40", *args[] = { a0 }, *pct[] = { p0 }, *t;
	struct check_result r = { .status = CHECK_PASS };
	(void)state;
	for (size_t i = 0; i < R__N; i++) {
		assert_non_null(result_table[i].code);
		assert_ptr_equal(result_find(result_table[i].code), &result_table[i]);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(result_table[i].code, result_table[k].code);
	}
	assert_null(result_find("no-such-code"));
	assert_int_equal(result_n_args(result_find("vault-missing")), 1);
	t = result_phrase("vault-missing", args, 1, false);
	assert_string_equal(t, "Vault Contoso-VaultA1 does not exist in this subscription.");
	free(t);
	t = result_phrase("vault-missing", NULL, 0, false); /* a value missing reads "?" */
	assert_string_equal(t, "Vault ? does not exist in this subscription.");
	free(t);
	t = result_phrase("spo-encrypting", pct, 1, false);
	assert_string_equal(t, "Registered with both keys; encryption under way (40%).");
	free(t);
	/* A translation that reorders the values names them by position. */
	char d0[] = "14", h0[] = "HSM-A", *two[] = { d0, h0 };
	t = result_format("%2$s keeps them %1$lld days (100%%)", two, 2);
	assert_string_equal(t, "HSM-A keeps them 14 days (100%)");
	free(t);
	t = result_format("%3$s", two, 2); /* a position past the values reads "?" */
	assert_string_equal(t, "?");
	free(t);
	check_result_set(&r, R_KEY_WRONG_SIZE, "K1", 2048LL, 3072LL);
	assert_string_equal(r.code, "key-wrong-size");
	assert_int_equal(r.n_args, 3);
	assert_string_equal(r.args[1], "2048");
	assert_string_equal(r.summary, "Key K1 has 2048 bits, not 3072 as planned.");
	check_result_free(&r);
	assert_null(r.code);
}

/* doc/results.md is the table, generated; CK_UPDATE_DOCS=1 rewrites it. */
static void test_sim_results_doc(void **state)
{
	const char *src = getenv("CK_SRCDIR");
	char *path = xasprintf("%s/doc/results.md", src ? src : ".");
	struct buf want = BUF_INIT;
	FILE *f;
	char chunk[4096];
	size_t n;
	struct buf have = BUF_INIT;
	(void)state;
	buf_puts(&want, "# Check and perform results\n\n"
		 "The journal (format 2) records what a check or a perform found as a result\n"
		 "code and its arguments, the values observed; screens and reports phrase them\n"
		 "from this table (src/azure/results.c), each `%s`, `%d` or `%lld` standing for\n"
		 "the next argument. A code is never renamed or reused. Generated: edit the\n"
		 "table, then run `CK_UPDATE_DOCS=1 tests/test_sim`.\n\n"
		 "| Code | Sentence |\n|---|---|\n");
	for (size_t i = 0; i < R__N; i++)
		buf_printf(&want, "| `%s` | %s |\n", result_table[i].code, result_table[i].fmt);
	if (getenv("CK_UPDATE_DOCS")) {
		f = fopen(path, "w");
		assert_non_null(f);
		fwrite(want.p, 1, want.len, f);
		fclose(f);
	}
	f = fopen(path, "r");
	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&have, chunk, n);
	fclose(f);
	assert_int_equal(have.len, want.len);
	assert_memory_equal(have.p, want.p, want.len);
	buf_free(&want);
	buf_free(&have);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sim_every_step_passes_in_order, fx_teardown),
		cmocka_unit_test_teardown(test_sim_checks_fail_on_an_empty_tenant, fx_teardown),
		cmocka_unit_test_teardown(test_sim_retention_registers_only_after_email_and_delay, fx_teardown),
		cmocka_unit_test_teardown(test_sim_slow_registration_fault, fx_teardown),
		cmocka_unit_test_teardown(test_sim_dep_needs_usable_keys_and_mailboxes_wait, fx_teardown),
		cmocka_unit_test_teardown(test_sim_onboarding_service_validation, fx_teardown),
		cmocka_unit_test_teardown(test_sim_service_principal_registration, fx_teardown),
		cmocka_unit_test_teardown(test_sim_sharepoint_registers_with_percentage, fx_teardown),
		cmocka_unit_test_teardown(test_sim_unknown_or_bad_faults_refused, fx_teardown),
		cmocka_unit_test_teardown(test_sim_names_and_status, fx_teardown),
		cmocka_unit_test_teardown(test_sim_results_are_codes, fx_teardown),
		cmocka_unit_test_teardown(test_sim_results_doc, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
