/* test_session_refresh.c: live mode when a side cannot ask Azure, through
 * the session API and the tests' backend (live_fixture.c): a refresh Entra
 * refused for good, or a sign-in found to be another identity than the
 * plan's. A check is recorded unavailable and says which; a perform sends
 * nothing, records nothing and keeps its authorization; either signs the
 * side out, so its operator signs in again before the next try. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "live_fixture.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A check whose refresh Entra refused for good: recorded unavailable (never
 * pass), flagged as having had no token, and the subscription signed out in
 * the session too, so the screens sign its operator in again before the
 * next check; that sign-in is recorded and the check then holds. */
static void test_refresh_refused_signs_out(void **state)
{
	(void)state;
	struct session *s = open_live();
	char *err = NULL;
	const struct session_check *r = NULL;
	const char *a = live_step(s, CK_SIDE_A);
	assert_int_equal(session_sign_in(s, CK_SIDE_A, &err), 0);
	assert_int_equal(session_step_check(s, CK_SIDE_A, a, &r, &err), 0);
	assert_int_equal(r->status, SESSION_CHECK_PASS);
	assert_false(r->no_token);
	fake_lost[CK_SIDE_A] = true;
	int outs = fake_sign_outs[CK_SIDE_A];
	assert_int_equal(session_step_check(s, CK_SIDE_A, a, &r, &err), 0);
	assert_int_equal(r->status, SESSION_CHECK_UNAVAILABLE);
	assert_true(r->no_token);
	assert_non_null(strstr(r->summary, "sign in again"));
	assert_false(session_signed_in(s, CK_SIDE_A));
	/* the backend is told too: what it still holds of that sign-in (the
	 * other services' tokens) is wiped now, not at the next sign-in */
	assert_int_equal(fake_sign_outs[CK_SIDE_A], outs + 1);
	fx_refused(s, session_step_check(s, CK_SIDE_A, a, NULL, &err), &err,
		   "Subscription A is not signed in");
	assert_int_equal(session_sign_in(s, CK_SIDE_A, &err), 0);
	assert_int_equal(session_step_check(s, CK_SIDE_A, a, &r, &err), 0);
	assert_int_equal(r->status, SESSION_CHECK_PASS);
	assert_false(r->no_token);
	/* a check refreshes every signed-in side's tokens: B's refused during
	 * A's check signs B out too */
	assert_int_equal(session_sign_in(s, CK_SIDE_B, &err), 0);
	fake_lost[CK_SIDE_B] = true;
	assert_int_equal(session_step_check(s, CK_SIDE_A, a, &r, &err), 0);
	assert_int_equal(r->status, SESSION_CHECK_PASS);
	assert_true(session_signed_in(s, CK_SIDE_A));
	assert_false(session_signed_in(s, CK_SIDE_B));
	assert_int_equal(fake_sign_outs[CK_SIDE_A], outs + 1);
	session_free(s);
}

/* The owner performs st while *cause is set (fake_lost or fake_refused of
 * its side): the session answers want with err naming needle, the journal
 * is as it was, the authorization stands and the side is signed out. */
static void perform_sends_nothing(struct session *s, const struct step *st, bool *cause, int want,
				  const char *needle)
{
	char *err = NULL, *before = journal_text();
	*cause = true;
	assert_int_equal(session_step_perform(s, st->owner, st->id, NULL, &err), want);
	assert_non_null(err);
	assert_non_null(strstr(err, needle));
	free(err);
	char *after = journal_text();
	assert_string_equal(before, after);
	free(before);
	free(after);
	bool cos = true;
	assert_true(session_step_authorized(s, st->id, &cos));
	assert_false(session_signed_in(s, st->side));
}

/* Once the side signs in again, st is performed on the authorization that
 * stood, and the journal replays clean. */
static void perform_after_sign_in(struct session *s, const struct step *st)
{
	char *err = NULL;
	const struct session_check *r = NULL;
	bool cos = true;
	assert_int_equal(session_sign_in(s, st->side, &err), 0);
	assert_int_equal(session_step_perform(s, st->owner, st->id, &r, &err), 0);
	assert_int_equal(r->status, SESSION_CHECK_PASS);
	assert_true(r->performed);
	assert_false(session_step_authorized(s, st->id, &cos));
	session_free(s);
	s = session_load("s/journal.jsonl", &err);
	const char *problem = NULL;
	assert_int_equal(session_problem(s, &problem), 0);
	session_free(s);
}

/* A perform whose side's refresh Entra refused for good: nothing recorded
 * (no perform, the journal as it was), the authorization still standing
 * for the next try, and the side signed out; once its operator signs in
 * again, the same authorization performs it. */
static void test_perform_without_token_records_nothing(void **state)
{
	(void)state;
	struct session *s = open_executing();
	char *err = NULL;
	/* one of a subscription's steps: its tokens are that side's */
	const struct step *st = ready_step_of(s, false, true);
	assert_int_equal(session_step_authorize(s, st->owner, st->id, &err), 0);
	perform_sends_nothing(s, st, &fake_lost[st->side], SESSION_NO_TOKEN, "token refresh failed");
	perform_after_sign_in(s, st);
}

/* A sign-in an audit found to be another identity than the plan's (here:
 * one identity on both sides) is not a token problem and says so: a check
 * is recorded unavailable and flagged signin_refused; a perform sends
 * nothing, records nothing and returns SESSION_SIGNIN_REFUSED with the
 * authorization still standing; both sign the side out, and once its
 * operator signs in again the same authorization performs the step. */
static void test_signin_refused_check_and_perform(void **state)
{
	(void)state;
	struct session *s = open_executing();
	char *err = NULL;
	const struct step *st = ready_step_of(s, false, true);
	const char *a = live_step(s, st->side);
	const struct session_check *r = NULL;
	int outs = fake_sign_outs[st->side];
	fake_refused[st->side] = true;
	assert_int_equal(session_step_check(s, st->owner, a, &r, &err), 0);
	assert_int_equal(r->status, SESSION_CHECK_UNAVAILABLE);
	assert_true(r->no_token);
	assert_true(r->signin_refused);
	assert_non_null(strstr(r->summary, "same identity"));
	assert_false(session_signed_in(s, st->side));
	assert_int_equal(fake_sign_outs[st->side], outs + 1);
	/* signed in again, then refused again at the perform */
	assert_int_equal(session_sign_in(s, st->side, &err), 0);
	assert_int_equal(session_step_authorize(s, st->owner, st->id, &err), 0);
	perform_sends_nothing(s, st, &fake_refused[st->side], SESSION_SIGNIN_REFUSED,
			      "same identity");
	/* a token refused is told apart from this: not signin_refused */
	assert_int_equal(session_sign_in(s, st->side, &err), 0);
	fake_lost[st->side] = true;
	assert_int_equal(session_step_check(s, st->owner, a, &r, &err), 0);
	assert_true(r->no_token);
	assert_false(r->signin_refused);
	perform_after_sign_in(s, st);
}
/* Describing a step's writes may ask for a token of its own (a principal
 * looked up in Graph) and find another identity: the authorization is
 * refused with the cause, nothing is recorded, and the side is signed out
 * at once, not at its next check; signed in again, it authorizes. */
static void test_describe_refused_signs_out(void **state)
{
	(void)state;
	struct session *s = open_executing();
	char *err = NULL;
	const struct step *st = ready_step_of(s, false, true);
	int outs = fake_sign_outs[st->side];
	char *before = journal_text();
	fake_describe_refuses[st->side] = true;
	assert_int_equal(session_step_authorize(s, st->owner, st->id, &err), -1);
	assert_non_null(strstr(err, "mallory"));
	free(err);
	err = NULL;
	assert_false(session_signed_in(s, st->side));
	assert_int_equal(fake_sign_outs[st->side], outs + 1);
	char *after = journal_text();
	assert_string_equal(before, after);
	free(before);
	free(after);
	fake_describe_refuses[st->side] = false;
	assert_int_equal(session_sign_in(s, st->side, &err), 0);
	assert_int_equal(session_step_authorize(s, st->owner, st->id, &err), 0);
	session_free(s);
}

/* A check of one subscription looks at both (the same-identity rule): the
 * other's sign-in found refused there is signed out, and the session keeps
 * why for the screens, until that subscription signs in again. */
static void test_other_side_signed_out_says_why(void **state)
{
	(void)state;
	struct session *s = open_executing();
	char *err = NULL;
	const struct step *st = ready_step_of(s, false, true);
	int other = ck_other_side(st->side);
	const struct session_check *r = NULL;
	assert_null(session_signed_out_why(s, other));
	fake_refused[other] = true;
	assert_int_equal(session_step_check(s, st->owner, live_step(s, st->side), &r, &err), 0);
	assert_false(session_signed_in(s, other));
	assert_true(session_signed_in(s, st->side));
	assert_null(session_signed_out_why(s, st->side));
	const char *why = session_signed_out_why(s, other);
	assert_non_null(why);
	assert_non_null(strstr(why, "mallory"));
	assert_int_equal(session_sign_in(s, session_plan(s)->sub[other].operator_side, &err), 0);
	assert_null(session_signed_out_why(s, other));
	session_free(s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup_plan, fx_teardown_plan)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_refresh_refused_signs_out),
		T(test_perform_without_token_records_nothing),
		T(test_signin_refused_check_and_perform),
		T(test_describe_refused_signs_out),
		T(test_other_side_signed_out_says_why),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
