/* test_session_live.c: live mode's rules through the session API, with a
 * backend of the test's own behind the seam (session_opts.live_open): the
 * sign-in of each subscription is recorded with the identity the backend
 * vouched for, only for the plan's operator of that subscription, never one
 * identity for both; a live check names its observer and is refused while
 * its subscription holds no token; locking a key signs its operator out. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "azure/backend.h"
#include "azure/results.h"
#include "report.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define TENANT "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"

/* What the test's backend answers: the identity per subscription side (or
 * a refusal when NULL), and what it was asked. */
static const char *fake_id[CK_SIDES];
static int fake_sign_outs[CK_SIDES], fake_checks;

static int fake_check(struct backend *b, const struct step *s, time_t now, struct check_result *r)
{
	(void)b, (void)s, (void)now;
	fake_checks++;
	r->status = CHECK_PASS;
	check_result_set(r, R_REST_HOLDS, (size_t)3);
	r->detail = xstrdup("vault: premium\n");
	return 0;
}

static int fake_sign_in(struct backend *b, int side, const struct backend_ui *ui, time_t now,
			char **identity, char **err)
{
	(void)b, (void)now;
	if (ui && ui->show_code)
		ui->show_code(ui->cookie, side, "who", "https://login.fake.test/device", "ABCD-EFGH");
	if (!fake_id[side]) {
		*err = xstrdup("side A: signed in as bob@contoso.example, not alice@contoso.example");
		return -1;
	}
	*identity = xstrdup(fake_id[side]);
	return 0;
}

static void fake_sign_out(struct backend *b, int side)
{
	(void)b;
	fake_sign_outs[side]++;
}

static void fake_free(struct backend *b)
{
	free(b);
}

static const struct backend_ops fake_ops = {
	.name = "test", .check = fake_check, .free = fake_free,
	.sign_in = fake_sign_in, .sign_out = fake_sign_out,
};

static struct backend *fake_open(const struct plan *p, const struct inventory *inv, void *arg,
				 char **err)
{
	(void)p, (void)inv, (void)arg, (void)err;
	struct backend *b = xcalloc(1, sizeof(*b));
	b->ops = &fake_ops;
	return b;
}

static int codes_shown;
static void count_code(void *cookie, int sub, const char *who, const char *url, const char *code)
{
	(void)cookie, (void)sub, (void)who, (void)url;
	assert_string_equal(code, "ABCD-EFGH");
	codes_shown++;
}

static struct session *open_live(void)
{
	struct session_opts o;
	char *err = NULL;
	memset(&o, 0, sizeof o);
	o.plan_path = "plan.yaml";
	o.dir = "s";
	o.mode = SESSION_RUN;
	o.live_open = fake_open;
	struct session *s = session_open(&o, &err);
	if (!s)
		fail_msg("session_open: %s", err);
	assert_true(session_is_live(s));
	assert_int_equal(session_unlock_key(s, CK_SIDE_A, fx_key(0x11), &err), 0);
	assert_int_equal(session_unlock_key(s, CK_SIDE_B, fx_key(0x22), &err), 0);
	fx_verify_plan(s);
	fake_id[CK_SIDE_A] = "alice@contoso.example (object 11111111-1111-4111-8111-111111111111, "
			     "tenant " TENANT ")";
	fake_id[CK_SIDE_B] = "bob@contoso.example (object 22222222-2222-4222-8222-222222222222, "
			     "tenant " TENANT ")";
	memset(fake_sign_outs, 0, sizeof fake_sign_outs);
	fake_checks = 0;
	codes_shown = 0;
	struct session_live_ui ui = { count_code, NULL, NULL };
	session_set_live_ui(s, &ui);
	return s;
}

/* The first step of subscription side with a live check. */
static const char *live_step(struct session *s, int side)
{
	for (size_t i = 0; i < session_n_steps(s); i++) {
		struct session_step_info si;
		session_step_info(s, i, &si);
		if (si.step->check.kind != CHECK_NONE && si.step->side == side)
			return si.step->id;
	}
	fail_msg("no live step");
	return NULL;
}

static char *journal_text(void)
{
	return fx_read_text("s/journal.jsonl");
}

static void test_sign_in_recorded_and_observed(void **state)
{
	(void)state;
	struct session *s = open_live();
	char *err = NULL;
	assert_int_equal(session_sign_in(s, CK_SIDE_A, &err), 0);
	assert_int_equal(session_sign_in(s, CK_SIDE_B, &err), 0);
	assert_int_equal(codes_shown, 2); /* the device code reached the screens' callback */
	assert_true(session_signed_in(s, CK_SIDE_A) && session_signed_in(s, CK_SIDE_B));
	char *who = session_signed_in_as(s, CK_SIDE_A);
	assert_string_equal(who, fake_id[CK_SIDE_A]);
	free(who);
	const struct session_check *r = NULL;
	assert_int_equal(session_step_check(s, CK_SIDE_A, live_step(s, CK_SIDE_A), &r, &err), 0);
	assert_int_equal(r->status, SESSION_CHECK_PASS);
	assert_int_equal(fake_checks, 1);
	char *j = journal_text();
	assert_non_null(strstr(j, "\"type\":\"azure.signin\""));
	assert_non_null(strstr(j, "\"upn\":\"alice@contoso.example\",\"oid\":\"11111111-1111-4111-8111-"
				  "111111111111\",\"tenant\":\"" TENANT "\""));
	assert_non_null(strstr(j, "\"observer\":{\"upn\":\"alice@contoso.example\""));
	free(j);
	session_free(s);
	/* the record replays under the same rules (verify, report) */
	s = session_load("s/journal.jsonl", &err);
	assert_non_null(s);
	const char *problem = NULL;
	assert_int_equal(session_problem(s, &problem), 0);
	who = session_signed_in_as(s, CK_SIDE_B);
	assert_non_null(strstr(who, "bob@contoso.example"));
	free(who);
	/* the report says who signed in for which subscription */
	struct buf md = BUF_INIT, js = BUF_INIT;
	report_render(s, REPORT_MD, &md);
	report_render(s, REPORT_JSON, &js);
	assert_non_null(strstr(buf_str(&md), "signed in for subscription A as alice@contoso.example "
					     "(object 11111111-1111-4111-8111-111111111111"));
	assert_non_null(strstr(buf_str(&js), "\"azure_sign_ins\""));
	buf_free(&md);
	buf_free(&js);
	session_free(s);
}

static void test_backend_refusal_surfaced(void **state)
{
	(void)state;
	struct session *s = open_live();
	char *err = NULL;
	long n = session_n_events(s);
	fake_id[CK_SIDE_A] = NULL; /* the backend refuses: B's token on side A */
	fx_refused(s, session_sign_in(s, CK_SIDE_A, &err), &err,
		   "Sign-in refused for subscription A: side A: signed in as bob@contoso.example");
	assert_int_equal(session_n_events(s), n);
	assert_false(session_signed_in(s, CK_SIDE_A));
	session_free(s);
}

static void test_rules_refuse_wrong_identity(void **state)
{
	(void)state;
	struct session *s = open_live();
	char *err = NULL;
	long n = session_n_events(s);
	/* a backend that let the wrong person through is still stopped by the rules */
	fake_id[CK_SIDE_A] = "mallory@contoso.example (object 33333333-3333-4333-8333-333333333333, "
			     "tenant " TENANT ")";
	fx_refused(s, session_sign_in(s, CK_SIDE_A, &err), &err, "not its operator");
	fake_id[CK_SIDE_A] = "alice@contoso.example (object 11111111-1111-4111-8111-111111111111, "
			     "tenant 00000000-0000-4000-8000-000000000000)";
	fx_refused(s, session_sign_in(s, CK_SIDE_A, &err), &err, "not the plan's");
	assert_int_equal(session_n_events(s), n);
	assert_true(fake_sign_outs[CK_SIDE_A] >= 2); /* a refused token is wiped at once */
	/* one identity for both subscriptions */
	fake_id[CK_SIDE_A] = "alice@contoso.example (object 11111111-1111-4111-8111-111111111111, "
			     "tenant " TENANT ")";
	assert_int_equal(session_sign_in(s, CK_SIDE_A, &err), 0);
	fake_id[CK_SIDE_B] = "BOB@contoso.example (object 11111111-1111-4111-8111-111111111111, "
			     "tenant " TENANT ")";
	fx_refused(s, session_sign_in(s, CK_SIDE_B, &err), &err, "one identity");
	session_free(s);
}

static void test_check_needs_sign_in_and_lock_signs_out(void **state)
{
	(void)state;
	struct session *s = open_live();
	char *err = NULL;
	const char *a = live_step(s, CK_SIDE_A);
	fx_refused(s, session_step_check(s, CK_SIDE_A, a, NULL, &err), &err,
		   "Subscription A is not signed in");
	assert_int_equal(fake_checks, 0);
	assert_int_equal(session_sign_in(s, CK_SIDE_A, &err), 0);
	assert_int_equal(session_step_check(s, CK_SIDE_A, a, NULL, &err), 0);
	/* handoff, idle lock, exit: the key locked, the token wiped */
	session_lock(s, CK_SIDE_A);
	assert_int_equal(fake_sign_outs[CK_SIDE_A], 1);
	assert_int_equal(fake_sign_outs[CK_SIDE_B], 0);
	assert_false(session_signed_in(s, CK_SIDE_A));
	fx_refused(s, session_sign_in(s, CK_SIDE_A, &err), &err, "key unlocked");
	fx_refused(s, session_step_check(s, CK_SIDE_B, a, NULL, &err), &err,
		   "Subscription A is not signed in");
	assert_int_equal(fake_checks, 1);
	session_free(s);
}

static void test_guide_mode_has_no_sign_in(void **state)
{
	(void)state;
	struct session *s = fx_open_verified();
	char *err = NULL;
	assert_false(session_is_live(s));
	fx_refused(s, session_sign_in(s, CK_SIDE_A, &err), &err, "run --live");
	const struct session_check *r = NULL;
	assert_int_equal(session_step_check(s, CK_SIDE_A, live_step(s, CK_SIDE_A), &r, &err), 0);
	assert_int_equal(r->status, SESSION_CHECK_UNAVAILABLE);
	char *j = journal_text();
	assert_null(strstr(j, "observer"));
	free(j);
	session_free(s);
}

#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup_plan, fx_teardown_plan)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sign_in_recorded_and_observed),
		T(test_backend_refusal_surfaced),
		T(test_rules_refuse_wrong_identity),
		T(test_check_needs_sign_in_and_lock_signs_out),
		T(test_guide_mode_has_no_sign_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
