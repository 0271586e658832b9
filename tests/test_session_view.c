/* test_session_view.c: what the screens read of a step through session.h
 * (session_view.c) says the same as the catalogue and the rules behind it:
 * display data, evidence checked as typed, rendered commands, check status. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "azure/backend.h"
#include "session.h"
#include "session_fixture.h"
#include "steps.h"

#include <stdlib.h>
#include <string.h>

static void test_session_view_matches_the_catalogue(void **state)
{
	struct session *s = fx_open_verified();
	const struct catalogue *c = session_catalogue(s);
	struct session_step_view v;
	struct session_evidence_view e;
	(void)state;
	assert_int_equal(session_n_steps(s), c->n_steps);
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *st = &c->steps[i];
		assert_true(session_step_view(s, i, &v));
		assert_string_equal(v.id, st->id);
		assert_string_equal(v.title, st->title); /* C locale: untranslated */
		assert_ptr_equal(v.subject, st->subject);
		assert_int_equal(v.owner, st->owner);
		assert_int_equal(v.side, st->side);
		assert_int_equal(v.witness, st->witness);
		assert_int_equal(v.critical, st->critical);
		assert_ptr_equal(v.confirm_name, st->confirm_name);
		assert_int_equal(v.phase, (int)st->phase);
		assert_int_equal(v.management, st->management);
		assert_int_equal(v.wait == SESSION_WAIT_HOURS, st->wait.kind == WAIT_HOURS);
		assert_int_equal(v.wait == SESSION_WAIT_EVENT, st->wait.kind == WAIT_EVENT);
		if (v.wait == SESSION_WAIT_HOURS)
			assert_int_equal(v.wait_hours, st->wait.hours);
		assert_int_equal(v.n_evidence, st->n_evidence);
		for (size_t k = 0; k < st->n_evidence; k++) {
			assert_true(session_step_evidence_view(s, i, k, &e));
			assert_string_equal(e.id, st->evidence[k].id);
			assert_int_equal(e.optional, st->evidence[k].optional);
			assert_int_equal(e.confirm, st->evidence[k].kind == EV_CONFIRM);
			assert_int_equal(e.multiline, evidence_kind_multiline(st->evidence[k].kind));
			assert_null(e.value);
		}
		assert_false(session_step_evidence_view(s, i, st->n_evidence, &e));
	}
	assert_false(session_step_view(s, c->n_steps, &v));
	assert_null(v.id);
	session_free(s);
}

/* A value the typing check accepts is recorded; one it refuses is refused
 * by the session too. */
static void test_session_view_evidence_check_agrees_with_recording(void **state)
{
	struct session *s = fx_open_verified();
	const struct catalogue *c = session_catalogue(s);
	size_t checked = 0, refused = 0;
	char *err = NULL;
	(void)state;
	for (size_t round = 0; round < c->n_steps && (checked < 6 || refused < 2); round++) {
		long next = session_next_step(s);
		if (next < 0)
			break;
		size_t i = (size_t)next;
		const struct step *st = &c->steps[i];
		struct session_step_info info;
		session_step_info(s, i, &info);
		for (size_t k = 0; info.state == STEP_READY && k < st->n_evidence; k++) {
			const struct evidence_spec *sp = &st->evidence[k];
			char *p = session_evidence_problem(s, i, k, "");
			assert_non_null(p);
			free(p);
			if (sp->kind == EV_GUID || sp->kind == EV_KEY_URI || sp->kind == EV_SHA256 ||
			    sp->kind == EV_DATE || sp->kind == EV_KEY_VERSION) {
				p = session_evidence_problem(s, i, k, "not-a-valid-value ;rm");
				assert_non_null(p);
				free(p);
				assert_int_equal(session_step_evidence(s, st->owner, st->id, sp->id,
								       "not-a-valid-value ;rm", &err), -1);
				free(err);
				err = NULL;
				refused++;
			}
			char *v = fx_evidence(s, st, sp);
			p = session_evidence_problem(s, i, k, v);
			if (p)
				fail_msg("%s/%s: %s", st->id, sp->id, p);
			assert_int_equal(session_step_evidence(s, st->owner, st->id, sp->id, v, &err), 0);
			struct session_evidence_view e;
			assert_true(session_step_evidence_view(s, i, k, &e));
			assert_non_null(e.value);
			free(v);
			checked++;
		}
		fx_run_steps(s, 1);
	}
	assert_true(checked > 0);
	assert_true(refused > 0);
	session_free(s);
}

static void test_session_view_commands_are_the_catalogues(void **state)
{
	struct session *s = fx_open_verified();
	const struct catalogue *c = session_catalogue(s);
	(void)state;
	for (size_t i = 0; i < c->n_steps; i++)
		for (int sh = SESSION_SHELL_POWERSHELL; sh <= SESSION_SHELL_BASH; sh++) {
			struct buf a = BUF_INIT, b = BUF_INIT;
			int pa = session_step_commands(s, i, (enum session_shell)sh, &a);
			int pb = steps_render_commands(c, &c->steps[i], (enum step_shell)sh,
						       session_evidence, s, &b);
			assert_int_equal(pa, pb);
			assert_string_equal(buf_str(&a), buf_str(&b));
			buf_free(&a);
			buf_free(&b);
		}
	session_free(s);
}

static void test_session_view_check_status_names(void **state)
{
	(void)state;
	for (int k = CHECK_PASS; k <= CHECK_UNAVAILABLE; k++)
		assert_string_equal(session_check_status_name((enum session_check_status)k),
				    check_status_name((enum check_status)k));
	assert_string_equal(session_check_status_name(SESSION_CHECK_FAIL), "fail");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_view_matches_the_catalogue,
						fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_session_view_evidence_check_agrees_with_recording,
						fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_session_view_commands_are_the_catalogues,
						fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test(test_session_view_check_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
