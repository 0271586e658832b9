/* test_precheck_act.c: the dry runs of the plan's signatures, deviations
 * and the closing (session_*_allowed) say what recording would say, before
 * any prompt, and write nothing. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void refused(int rc, char **err)
{
	assert_int_equal(rc, -1);
	assert_non_null(*err);
	assert_non_null(strstr(*err, "Refused"));
	free(*err);
	*err = NULL;
}

static void test_plan_signatures_dry(void **state)
{
	(void)state;
	static const bool both[CK_SIDES] = { true, true };
	char *err = NULL;
	struct session *s = fx_open_run();
	struct session_plan_status ps;
	session_plan_status(s, &ps);
	int author = ps.author, verifier = ck_other_side(ps.author);
	bool yes[32], no[32] = { false };
	for (size_t i = 0; i < session_n_checklist; i++)
		yes[i] = true;
	const char *const *ids;
	size_t n = session_plan_warnings(s, &ids, NULL);
	/* no sitting yet */
	refused(session_plan_approve_allowed(s, author, &err), &err);
	assert_int_equal(session_sitting_open(s, both, &err), 0);
	char *head = xstrdup(session_head(s));
	/* only the author approves; nobody verifies before the approval */
	refused(session_plan_approve_allowed(s, verifier, &err), &err);
	assert_int_equal(session_plan_approve_allowed(s, author, &err), 0);
	refused(session_plan_verify_allowed(s, verifier, yes, ids, n, &err), &err);
	assert_string_equal(session_head(s), head); /* nothing written */
	assert_int_equal(session_plan_approve(s, author, &err), 0);
	/* the author does not verify; unticked items or warnings are refused */
	refused(session_plan_verify_allowed(s, author, yes, ids, n, &err), &err);
	refused(session_plan_verify_allowed(s, verifier, no, ids, n, &err), &err);
	if (n)
		refused(session_plan_verify_allowed(s, verifier, yes, ids, 0, &err), &err);
	assert_int_equal(session_plan_verify_allowed(s, verifier, yes, ids, n, &err), 0);
	assert_int_equal(session_plan_verify(s, verifier, yes, ids, n, &err), 0);
	free(head);
	session_free(s);
}

static void test_both_operators_dry(void **state)
{
	(void)state;
	char *err = NULL;
	struct session *s = fx_open_verified();
	const struct catalogue *c = session_catalogue(s);
	const char *id = c->steps[0].id;
	assert_int_equal(session_deviation_allowed(s, id, &err), 0);
	assert_int_equal(session_deviation_allowed(s, NULL, &err), 0);
	assert_int_equal(session_close_allowed(s, &err), 0);
	assert_int_equal(session_deviation_allowed(s, "no.such/step", &err), -1);
	free(err);
	err = NULL;
	/* one operator alone: refused before anyone types a reason or a PIN */
	bool only_a[CK_SIDES] = { true, false };
	assert_int_equal(session_sitting_close(s, CK_SIDE_A, &err), 0);
	assert_int_equal(session_sitting_open(s, only_a, &err), 0);
	char *head = xstrdup(session_head(s));
	refused(session_deviation_allowed(s, id, &err), &err);
	refused(session_deviation_allowed(s, NULL, &err), &err);
	refused(session_close_allowed(s, &err), &err);
	assert_string_equal(session_head(s), head);
	/* and recording agrees */
	assert_int_equal(session_close(s, &err), -1);
	free(err);
	free(head);
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan_signatures_dry, fx_setup_plan,
						fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_both_operators_dry, fx_setup_plan,
						fx_teardown_plan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
