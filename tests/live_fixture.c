/* live_fixture.c: a backend of the tests' own behind the session's seam
 * (session_opts.live_open), for the live-mode session tests: it vouches
 * for the identity the test sets per side, answers every check "holds",
 * and can be told that a side's refresh was refused for good (fake_lost) or
 * that its sign-in turned out to be another identity (fake_refused). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "azure/results.h"
#include "live_fixture.h"
#include "session_fixture.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* What the test's backend answers: the identity per subscription side (or
 * a refusal when NULL), and what it was asked. */
const char *fake_id[CK_SIDES];
int fake_sign_outs[CK_SIDES], fake_checks;
/* Entra refused side's refresh token for good (as the REST backend's
 * credential marks it): its checks get no token until it signs in again */
bool fake_lost[CK_SIDES];
bool fake_refused[CK_SIDES];
/* describing side's writes finds its sign-in to be another identity */
bool fake_describe_refuses[CK_SIDES];

static int fake_check(struct backend *b, const struct step *s, time_t now, struct check_result *r)
{
	(void)b, (void)now;
	fake_checks++;
	if (s->side >= 0 && s->side < CK_SIDES && fake_refused[s->side]) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_SIDE_REFUSED, "side A: both sides signed in as the same "
				 "identity: each subscription is checked by its own operator");
		return 0;
	}
	if (s->side >= 0 && s->side < CK_SIDES && fake_lost[s->side]) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_SIDE_PROBLEM, "token refresh failed: ARM token for side "
				 "A: Entra ID no longer accepts this sign-in (invalid_grant: "
				 "AADSTS9002313): sign in again");
		return 0;
	}
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
	fake_lost[side] = false;
	fake_refused[side] = false;
	return 0;
}

static void fake_sign_out(struct backend *b, int side)
{
	(void)b;
	fake_sign_outs[side]++;
}

static bool fake_signed_in(struct backend *b, int side)
{
	(void)b;
	return !fake_lost[side] && !fake_refused[side];
}

/* --execute: what the fake says a step writes, and how many writes it did */
const char *fake_requests;
int fake_writes;
const char *const rq_rg =
	"[{\"method\":\"PUT\",\"path\":\"/subscriptions/s/resourcegroups/rg\","
	"\"fields\":{\"location\":\"eastus2\"}}]";
const char *const rq_other =
	"[{\"method\":\"PUT\",\"path\":\"/subscriptions/s/resourcegroups/rg\","
	"\"fields\":{\"location\":\"westus\"}}]";

static char *fake_signed_out_why(struct backend *b, int side)
{
	(void)b;
	if (fake_refused[side])
		return xasprintf("side %c: the new ARM token is of mallory@contoso.example, not "
				 "of the identity signed in: sign in again", ck_side_letter(side));
	if (fake_lost[side])
		return xasprintf("side %c: Entra ID no longer accepts this sign-in: sign in again",
				 ck_side_letter(side));
	return NULL;
}

static int fake_describe(struct backend *b, const struct step *s, char **requests, char **err)
{
	(void)b;
	if (s->side >= 0 && s->side < CK_SIDES && fake_describe_refuses[s->side]) {
		fake_refused[s->side] = true;
		*err = xstrdup("side A: the new Graph token is of mallory@contoso.example, not of "
			       "alice@contoso.example, the identity signed in: sign in again");
		return -1;
	}
	*requests = xstrdup(fake_requests);
	return 0;
}

static int fake_perform(struct backend *b, const struct step *s, time_t now,
			struct check_result *r)
{
	fake_writes++;
	return fake_check(b, s, now, r);
}

static void fake_free(struct backend *b)
{
	free(b);
}

/* what the session handed the backend to read its recorded evidence with */
evidence_get_fn fake_ev_get;
evidence_time_fn fake_ev_time;
void *fake_ev_ctx;
static void fake_set_evidence(struct backend *b, evidence_get_fn get, void *ctx)
{
	(void)b;
	fake_ev_get = get;
	fake_ev_ctx = ctx;
}
static void fake_set_evidence_time(struct backend *b, evidence_time_fn when)
{
	(void)b;
	fake_ev_time = when;
}

static const struct backend_ops fake_ops = {
	.name = "test", .check = fake_check, .free = fake_free,
	.sign_in = fake_sign_in, .sign_out = fake_sign_out, .signed_in = fake_signed_in,
	.signed_out_why = fake_signed_out_why,
	.perform = fake_perform, .describe = fake_describe, .set_evidence = fake_set_evidence,
	.set_evidence_time = fake_set_evidence_time,
};

struct backend *fake_open(const struct plan *p, const struct inventory *inv, void *arg,
				 char **err)
{
	(void)p, (void)inv, (void)arg, (void)err;
	struct backend *b = xcalloc(1, sizeof(*b));
	b->ops = &fake_ops;
	return b;
}

int codes_shown;
static void count_code(void *cookie, int sub, const char *who, const char *url, const char *code)
{
	(void)cookie, (void)sub, (void)who, (void)url;
	assert_string_equal(code, "ABCD-EFGH");
	codes_shown++;
}

bool open_execute;
struct session *open_live(void)
{
	struct session_opts o;
	char *err = NULL;
	memset(&o, 0, sizeof o);
	o.plan_path = "plan.yaml";
	o.dir = "s";
	o.mode = SESSION_RUN;
	o.live_open = fake_open;
	o.execute = open_execute;
	fake_requests = rq_rg;
	fake_writes = 0;
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
	memset(fake_lost, 0, sizeof fake_lost);
	memset(fake_refused, 0, sizeof fake_refused);
	memset(fake_describe_refuses, 0, sizeof fake_describe_refuses);
	fake_checks = 0;
	codes_shown = 0;
	struct session_live_ui ui = { count_code, NULL, NULL };
	session_set_live_ui(s, &ui);
	return s;
}

/* The first step of subscription side with a live check. */
const char *live_step(struct session *s, int side)
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

char *journal_text(void)
{
	return fx_read_text("s/journal.jsonl");
}


struct session *open_executing(void)
{
	char *err = NULL;
	open_execute = true;
	struct session *s = open_live();
	open_execute = false;
	assert_true(session_is_executing(s));
	assert_int_equal(session_sign_in(s, CK_SIDE_A, &err), 0);
	assert_int_equal(session_sign_in(s, CK_SIDE_B, &err), 0);
	return s;
}

/* The next step the operators can act on (of_sub: of a subscription),
 * that can (not) be undone; the steps before it are worked through as the
 * operators would. */
const struct step *ready_step_of(struct session *s, bool irreversible, bool of_sub)
{
	for (int guard = 0; guard < 80; guard++) {
		long i = session_next_step(s);
		assert_true(i >= 0);
		struct session_step_info si;
		session_step_info(s, (size_t)i, &si);
		if (session_step_needs_cosign(s, si.step->id) == irreversible && !si.started &&
		    si.state == STEP_READY && (!of_sub || si.step->side != CK_SIDE_NONE))
			return si.step;
		fx_run_steps(s, 1);
	}
	fail_msg("no such step");
	return NULL;
}

const struct step *ready_step(struct session *s, bool irreversible)
{
	return ready_step_of(s, irreversible, false);
}
