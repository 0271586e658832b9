/* test_session_resume.c: the session across a stop: state rebuilt from the
 * journal on resume, a plan changed between sittings (an amendment, undoing
 * exactly the steps it touched), a write that fails (fail closed) and the
 * torn tail a crash leaves (set aside by both operators). The rules
 * themselves are in test_session.c and test_session_forged.c. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "journal.h"
#include "session.h"
#include "session_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Both operators back after a reopen: keys unlocked, a sitting with both. */
static void both_return(struct session *s)
{
	char *err = NULL;
	assert_int_equal(session_unlock_key(s, CK_SIDE_A, fx_key(0x11), &err), 0);
	assert_int_equal(session_unlock_key(s, CK_SIDE_B, fx_key(0x22), &err), 0);
	assert_int_equal(session_sitting_open(s, fx_both, &err), 0);
}

/* B verifies the (approved) plan: every checklist item yes, every warning
 * acknowledged. */
static void verify_as_b(struct session *s)
{
	bool yes[16];
	const char *const *ids;
	size_t nw = session_plan_warnings(s, &ids, NULL);
	char *err = NULL;
	for (size_t k = 0; k < session_n_checklist; k++)
		yes[k] = true;
	assert_int_equal(session_plan_verify(s, CK_SIDE_B, yes, ids, nw, &err), 0);
}

/* The session in "s" ended (freed); its journal, replayed from scratch, has
 * no problem. */
static void replays_clean(struct session *s)
{
	char *err = NULL;
	session_free(s);
	s = session_load("s/journal.jsonl", &err);
	assert_non_null(s);
	assert_int_equal(session_problem(s, NULL), 0);
	session_free(s);
}

static void test_session_resume_rebuilds_state(void **state)
{
	struct session *s = fx_open_verified();
	char head[65], *err = NULL;
	enum session_step_state st[128];
	size_t n;
	(void)state;
	fx_run_steps(s, 4);
	n = session_n_steps(s);
	assert_true(n <= 128);
	for (size_t i = 0; i < n; i++) {
		struct session_step_info info;
		session_step_info(s, i, &info);
		st[i] = info.state;
	}
	memcpy(head, session_head(s), sizeof head);
	session_free(s);
	s = fx_open_plan("plan.yaml", "s", SESSION_RUN, &err);
	assert_non_null(s);
	assert_true(session_resumed(s));
	assert_int_equal(session_blocker(s), SESSION_OK);
	assert_string_equal(session_head(s), head);
	for (size_t i = 0; i < n; i++) {
		struct session_step_info info;
		session_step_info(s, i, &info);
		assert_int_equal(info.state, st[i]);
	}
	assert_false(session_is_unlocked(s, CK_SIDE_A)); /* keys are never kept */
	session_free(s);
	assert_null(fx_open_plan("plan.yaml", "s", SESSION_REHEARSAL, &err));
	assert_non_null(strstr(err, "cannot continue as a rehearsal"));
	free(err);
}

static void test_session_plan_change_needs_amendment(void **state)
{
	struct session *s = fx_open_verified();
	struct session_plan_status ps;
	char *err = NULL;
	long i;
	struct session_step_info info;
	(void)state;
	fx_run_steps(s, 2);
	session_free(s);
	/* A harmless change: a comment. Resources stay, so do the steps. */
	fx_write_text("plan.yaml", "a", "# amended: a note for the record\n");
	s = fx_open_plan("plan.yaml", "s", SESSION_RUN, &err);
	assert_non_null(s);
	assert_int_equal(session_blocker(s), SESSION_PLAN_CHANGED);
	session_plan_status(s, &ps);
	assert_true(ps.file_differs);
	assert_non_null(strstr(ps.diff, "+ # amended: a note for the record"));
	both_return(s);
	i = session_next_step(s);
	assert_true(i >= 0);
	fx_refused(s, session_step_start(s, session_catalogue(s)->steps[i].owner,
				      session_catalogue(s)->steps[i].id, &err), &err, "Amend the plan");
	assert_int_equal(session_amend(s, &err), 0);
	session_plan_status(s, &ps);
	assert_int_equal(ps.version, 2);
	assert_false(ps.verified);
	assert_int_equal(session_blocker(s), SESSION_OK);
	session_step_info(s, 0, &info);
	assert_int_equal(info.state, STEP_DONE); /* the licences step: nothing changed */
	assert_int_equal(session_next_step(s), -1); /* until verified again */
	verify_as_b(s);
	assert_true(session_next_step(s) >= 0);
	replays_clean(s);
}

/* An amendment that changes a resource (subscription A's ID) undoes the
 * steps that touched it, and only those. */
static void test_session_amendment_resets_changed_steps(void **state)
{
	struct session *s = fx_open_verified();
	char *err = NULL, *text;
	long sub_a, lic;
	struct session_step_info info;
	(void)state;
	lic = session_step_index(s, "prereq.licences");
	sub_a = session_step_index(s, "sub.create/A");
	assert_true(lic >= 0 && sub_a >= 0);
	for (int k = 0; k < 20; k++) {
		session_step_info(s, (size_t)sub_a, &info);
		if (info.state == STEP_DONE)
			break;
		fx_run_steps(s, 1);
	}
	assert_int_equal(info.state, STEP_DONE);
	session_free(s);
	text = fx_read_text("plan.yaml");
	memcpy(strstr(text, "0a1b2c3d-1111-4aaa-8bbb-000000000001"),
	       "0a1b2c3d-1111-4aaa-8bbb-000000000009", 36);
	fx_write_text("plan.yaml", "w", text);
	free(text);
	s = fx_open_plan("plan.yaml", "s", SESSION_RUN, &err);
	assert_non_null(s);
	assert_non_null(strstr(session_blocker_text(s), "not the verified version 1"));
	both_return(s);
	assert_int_equal(session_amend(s, &err), 0);
	verify_as_b(s);
	session_step_info(s, (size_t)lic, &info);
	assert_int_equal(info.state, STEP_DONE);
	session_step_info(s, (size_t)sub_a, &info);
	assert_true(info.state == STEP_READY || info.state == STEP_BLOCKED);
	assert_int_equal(info.confirmed_by, CK_SIDE_NONE);
	assert_int_equal(info.witnessed_by, CK_SIDE_NONE);
	assert_null(session_evidence(s, "sub.create/A", "subscription_id"));
	session_free(s);
}

static void test_session_write_failure_fails_closed(void **state)
{
	struct session *s = fx_open_verified();
	char *err = NULL;
	long i;
	(void)state;
	i = session_next_step(s);
	journal_test_write_next_append_to("/dev/full");
	assert_int_equal(session_note(s, CK_SIDE_A, "this cannot be written", &err), -1);
	free(err);
	assert_true(session_failed(s));
	assert_int_equal(session_blocker(s), SESSION_FAILED);
	fx_refused(s, session_step_start(s, session_catalogue(s)->steps[i].owner,
				      session_catalogue(s)->steps[i].id, &err), &err, "could not be written");
	session_free(s);
}

static void test_session_torn_tail_set_aside_by_both(void **state)
{
	struct session *s = fx_open_verified();
	char *err = NULL;
	(void)state;
	session_free(s);
	fx_write_text("s/journal.jsonl", "a", "{\"seq\":9,\"time\":\"2026-11-2");
	s = fx_open_plan("plan.yaml", "s", SESSION_RUN, &err);
	assert_non_null(s);
	assert_int_equal(session_blocker(s), SESSION_TORN_TAIL);
	assert_non_null(strstr(session_blocker_text(s), "partial line"));
	assert_int_equal(session_unlock_key(s, CK_SIDE_A, fx_key(0x11), &err), 0);
	fx_refused(s, session_set_aside_tail(s, "crash", &err), &err, "both operators");
	fx_refused(s, session_note(s, CK_SIDE_A, "x", &err), &err, "partial line");
	assert_int_equal(session_unlock_key(s, CK_SIDE_B, fx_key(0x22), &err), 0);
	assert_int_equal(session_set_aside_tail(s, "Power cut during the last write.", &err), 0);
	assert_int_equal(session_blocker(s), SESSION_OK);
	replays_clean(s);
}

/* The reports a closing leaves: a file that was already in a report's
 * place, or a symbolic link there, is refused (never overwritten, never
 * written through) and said to be, not listed as written; resuming the
 * closed session writes the ones missing and leaves the refused alone. */
static void test_session_reports_refused_and_resumed(void **state)
{
	struct session_report r[SESSION_N_REPORTS];
	struct session *s = fx_open_verified();
	char *err = NULL;
	(void)state;
	fx_write_text("s/report.md", "w", "not this session's report\n");
	fx_write_text("elsewhere.html", "w", "outside\n");
	assert_int_equal(symlink("../elsewhere.html", "s/report.html"), 0);
	assert_int_equal(session_close(s, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "closed and recorded"));
	assert_non_null(strstr(err, "s/report.md"));
	assert_non_null(strstr(err, "s/report.html"));
	free(err);
	err = NULL;
	assert_true(session_is_closed(s));
	session_reports(s, r);
	assert_int_equal(r[0].state, SESSION_REPORT_REFUSED);
	assert_non_null(strstr(r[0].path, "report.md"));
	assert_non_null(strstr(r[0].why, "other content"));
	assert_int_equal(r[1].state, SESSION_REPORT_REFUSED);
	assert_non_null(strstr(r[1].why, "symbolic link"));
	assert_int_equal(r[2].state, SESSION_REPORT_WRITTEN);
	assert_null(r[2].why);
	session_reports_free(r);
	char *other = fx_read_text("elsewhere.html");
	assert_string_equal(other, "outside\n"); /* nothing written through the link */
	free(other);
	session_free(s);

	/* The foreign file removed, json lost: both written when the closed
	 * session is opened again (the wizard asks for it). */
	assert_int_equal(unlink("s/report.md"), 0);
	assert_int_equal(unlink("s/report.json"), 0);
	s = fx_open_plan("plan.yaml", "s", SESSION_RUN, &err);
	assert_non_null(s);
	session_reports(s, r);
	assert_int_equal(r[0].state, SESSION_REPORT_MISSING);
	assert_int_equal(r[2].state, SESSION_REPORT_MISSING);
	session_reports_free(r);
	assert_int_equal(session_write_reports(s, &err), -1); /* the link stays refused */
	assert_non_null(strstr(err, "s/report.html"));
	assert_null(strstr(err, "s/report.md"));
	free(err);
	err = NULL;
	session_reports(s, r);
	assert_int_equal(r[0].state, SESSION_REPORT_WRITTEN);
	assert_int_equal(r[1].state, SESSION_REPORT_REFUSED);
	assert_int_equal(r[2].state, SESSION_REPORT_WRITTEN);
	session_reports_free(r);
	other = fx_read_text("elsewhere.html");
	assert_string_equal(other, "outside\n");
	free(other);
	/* A report changed after it was written is no longer this session's. */
	fx_write_text("s/report.json", "a", " ");
	session_reports(s, r);
	assert_int_equal(r[2].state, SESSION_REPORT_REFUSED);
	session_reports_free(r);
	session_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup_plan, fx_teardown_plan)
	const struct CMUnitTest tests[] = {
		T(test_session_resume_rebuilds_state),
		T(test_session_plan_change_needs_amendment),
		T(test_session_amendment_resets_changed_steps),
		T(test_session_write_failure_fails_closed),
		T(test_session_torn_tail_set_aside_by_both),
		T(test_session_reports_refused_and_resumed),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
