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
#include "journal.h"
#include "keys.h"
#include "report.h"
#include "session.h"
#include "live_fixture.h"
#include "session_fixture.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void test_perform_refused_without_authorization(void **state)
{
	(void)state;
	struct session *s = open_executing();
	char *err = NULL;
	const struct step *st = ready_step(s, false);
	fx_refused(s, session_step_perform(s, st->owner, st->id, NULL, &err), &err,
		   "only once its owner authorized it");
	assert_int_equal(fake_writes, 0);
	/* the witness cannot authorize the owner's step */
	fx_refused(s, session_step_authorize(s, ck_other_side(st->owner), st->id, &err), &err,
		   "belongs to operator");
	assert_int_equal(session_step_authorize(s, st->owner, st->id, &err), 0);
	char *w = session_step_writes(s, st->id, &err);
	assert_string_equal(w, "PUT /subscriptions/s/resourcegroups/rg\n    location: eastus2\n");
	free(w);
	assert_int_equal(session_step_perform(s, st->owner, st->id, NULL, &err), 0);
	assert_int_equal(fake_writes, 1);
	/* one authorization, one write */
	fx_refused(s, session_step_perform(s, st->owner, st->id, NULL, &err), &err,
		   "only once its owner authorized it");
	assert_int_equal(fake_writes, 1);
	char *j = journal_text();
	assert_non_null(strstr(j, "\"type\":\"step.authorize\""));
	assert_non_null(strstr(j, "\"location\":\"eastus2\""));
	free(j);
	session_free(s);
	s = session_load("s/journal.jsonl", &err);
	const char *problem = NULL;
	assert_int_equal(session_problem(s, &problem), 0);
	session_free(s);
}

static void test_perform_refused_with_mismatched_authorization(void **state)
{
	(void)state;
	struct session *s = open_executing();
	char *err = NULL;
	const struct step *st = ready_step(s, false);
	assert_int_equal(session_step_authorize(s, st->owner, st->id, &err), 0);
	fake_requests = rq_other; /* what would be sent now is not what was signed */
	fx_refused(s, session_step_perform(s, st->owner, st->id, NULL, &err), &err,
		   "other requests than were authorized");
	assert_int_equal(fake_writes, 0);
	session_free(s);
}

static void test_irreversible_needs_witness_cosign(void **state)
{
	(void)state;
	struct session *s = open_executing();
	char *err = NULL;
	const struct step *st = ready_step(s, true);
	int owner = st->owner, witness = ck_other_side(owner);
	fx_refused(s, session_step_cosign(s, witness, st->id, &err), &err, "no authorization");
	assert_int_equal(session_step_authorize(s, owner, st->id, &err), 0);
	fx_refused(s, session_step_perform(s, owner, st->id, NULL, &err), &err,
		   "co-signs the authorization first");
	assert_int_equal(fake_writes, 0);
	fx_refused(s, session_step_cosign(s, owner, st->id, &err), &err, "co-signed by its witness");
	bool cos = true;
	assert_true(session_step_authorized(s, st->id, &cos));
	assert_false(cos);
	assert_int_equal(session_step_cosign(s, witness, st->id, &err), 0);
	assert_true(session_step_authorized(s, st->id, &cos) && cos);
	assert_int_equal(session_step_perform(s, owner, st->id, NULL, &err), 0);
	assert_int_equal(fake_writes, 1);
	session_free(s);
	s = session_load("s/journal.jsonl", &err);
	const char *problem = NULL;
	assert_int_equal(session_problem(s, &problem), 0);
	session_free(s);
}

static void test_without_execute_nothing_is_written(void **state)
{
	(void)state;
	struct session *s = open_live();
	char *err = NULL;
	assert_false(session_is_executing(s));
	assert_int_equal(session_sign_in(s, CK_SIDE_A, &err), 0);
	assert_int_equal(session_sign_in(s, CK_SIDE_B, &err), 0);
	const struct step *st = ready_step(s, false);
	fx_refused(s, session_step_authorize(s, st->owner, st->id, &err), &err, "--execute");
	fx_refused(s, session_step_perform(s, st->owner, st->id, NULL, &err), &err, "--execute");
	assert_int_equal(fake_writes, 0);
	session_free(s);
}

/* A journal forged past the session: one event appended, signed by the
 * key of seed as side; replay refuses exactly that line, saying needle. */
static void forge(const char *type, int actor, const char *payload, unsigned char seed, int side,
		  const char *needle)
{
	struct journal_read r;
	char *err = NULL;
	const char *problem = NULL;
	struct stat before;
	assert_int_equal(stat("s/journal.jsonl", &before), 0);
	memset(&r, 0, sizeof r);
	struct journal *j = journal_open("s/journal.jsonl", &r, &err);
	assert_non_null(j);
	long line = journal_last_seq(j) + 1;
	journal_read_free(&r);
	struct keys_private *k = fx_key(seed);
	cJSON *p = cJSON_Parse(payload);
	assert_non_null(p);
	assert_int_equal(journal_append(j, type, actor, p, &k, &side, 1, NULL, &err), 0);
	keys_lock(k);
	journal_close(j);
	struct session *s = session_load("s/journal.jsonl", &err);
	assert_non_null(s);
	assert_int_equal(session_problem(s, &problem), line);
	if (!strstr(problem, needle))
		fail_msg("\"%s\" does not say \"%s\"", problem, needle);
	session_free(s);
	/* the next forgery starts from the honest journal again */
	assert_int_equal(truncate("s/journal.jsonl", before.st_size), 0);
}

/* The rules alone (replay, verify) refuse what the session API never sends. */
static void test_forged_live_events(void **state)
{
	(void)state;
	struct session *s = open_executing();
	char *err = NULL;
	const struct step *st = ready_step(s, true);
	char *id = xstrdup(st->id);
	int owner = st->owner;
	unsigned char seed[CK_SIDES] = { 0x11, 0x22 };
	assert_int_equal(session_step_authorize(s, owner, id, &err), 0);
	session_free(s);
	char *perform = xasprintf("{\"step\":\"%s\",\"requests\":%s,\"status\":\"pass\","
				  "\"code\":\"rest-holds\",\"args\":[\"3\"],\"detail\":\"x\"}",
				  id, rq_rg);
	forge("step.perform", owner, perform, seed[owner], owner,
	      "co-signs the authorization first");
	free(perform);
	perform = xasprintf("{\"step\":\"%s\",\"requests\":%s,\"status\":\"pass\","
			    "\"code\":\"rest-holds\",\"args\":[\"3\"],\"detail\":\"x\"}",
			    id, rq_other);
	forge("step.perform", owner, perform, seed[owner], owner,
	      "other requests than were authorized");
	free(perform);
	char *cosign = xasprintf("{\"step\":\"%s\",\"requests\":%s}", id, rq_other);
	forge("step.cosign", ck_other_side(owner), cosign, seed[ck_other_side(owner)],
	      ck_other_side(owner), "other requests than its authorization");
	free(cosign);
	char *check = xasprintf("{\"step\":\"%s\",\"status\":\"pass\",\"code\":\"rest-holds\","
				"\"args\":[\"3\"],\"detail\":\"x\",\"observer\":{\"upn\":"
				"\"eve@contoso.example\",\"oid\":\"1\",\"tenant\":\"" TENANT "\"}}",
				id);
	forge("step.check", owner, check, seed[owner], owner, "observed by an identity");
	free(check);
	forge("azure.signin", CK_SIDE_B,
	      "{\"subscription\":\"A\",\"upn\":\"bob@contoso.example\",\"oid\":\"2\","
	      "\"tenant\":\"" TENANT "\"}",
	      0x22, CK_SIDE_B, "signed in to by its own operator");
	free(id);
}

static void test_forged_perform_without_authorization(void **state)
{
	(void)state;
	struct session *s = open_executing();
	const struct step *st = ready_step(s, false);
	char *id = xstrdup(st->id);
	int owner = st->owner;
	session_free(s);
	char *perform = xasprintf("{\"step\":\"%s\",\"requests\":%s,\"status\":\"pass\","
				  "\"code\":\"rest-holds\",\"args\":[\"3\"],\"detail\":\"x\"}",
				  id, rq_rg);
	forge("step.perform", owner, perform, owner == CK_SIDE_A ? 0x11 : 0x22, owner,
	      "only once its owner authorized it");
	free(perform);
	free(id);
}

/* session.open records how the session sees Azure: nothing (guide), live
 * "checks", or live "execute"; resuming never asks for more than that. */
static void test_session_open_records_live(void **state)
{
	(void)state;
	char *err = NULL;
	struct session *s = fx_open_verified();
	session_free(s);
	char *j = journal_text();
	char *nl = strchr(j, '\n');
	assert_non_null(nl);
	*nl = 0;
	assert_null(strstr(j, "\"live\""));
	free(j);
	struct session_opts o;
	memset(&o, 0, sizeof o);
	o.plan_path = "plan.yaml";
	o.dir = "s";
	o.mode = SESSION_RUN;
	o.live_open = fake_open;
	assert_null(session_open(&o, &err));
	if (!strstr(err, "guide mode"))
		fail_msg("resuming a guide session live: \"%s\"", err);
	free(err);
	err = NULL;
	assert_int_equal(system("rm -rf s"), 0);
	s = open_live();
	session_free(s);
	j = journal_text();
	assert_non_null(strstr(j, "\"live\":\"checks\""));
	free(j);
	o.execute = true;
	assert_null(session_open(&o, &err));
	if (!strstr(err, "--execute"))
		fail_msg("resuming a checking session to write: \"%s\"", err);
	free(err);
	err = NULL;
	o.execute = false;
	s = session_open(&o, &err); /* as it was opened: fine */
	assert_non_null(s);
	session_free(s);
	assert_int_equal(system("rm -rf s"), 0);
	s = open_executing();
	session_free(s);
	j = journal_text();
	assert_non_null(strstr(j, "\"live\":\"execute\""));
	free(j);
}

/* The rules refuse Azure's events in a session not opened for them, on
 * replay and verify as on append: a guide session signs in to nothing and
 * authorizes nothing, a checking one authorizes nothing. */
static void test_forged_live_events_outside_live(void **state)
{
	(void)state;
	struct session *s = fx_open_verified();
	const struct step *st = ready_step(s, false);
	char *id = xstrdup(st->id);
	int owner = st->owner, other = ck_other_side(owner);
	unsigned char seed[CK_SIDES] = { 0x11, 0x22 };
	session_free(s);
	char *auth = xasprintf("{\"step\":\"%s\",\"requests\":%s}", id, rq_rg);
	forge("step.authorize", owner, auth, seed[owner], owner, "not opened with run --live --execute");
	forge("step.cosign", other, auth, seed[other], other, "not opened with run --live --execute");
	forge("azure.signin", CK_SIDE_A,
	      "{\"subscription\":\"A\",\"upn\":\"alice@contoso.example\",\"oid\":"
	      "\"11111111-1111-4111-8111-111111111111\",\"tenant\":\"" TENANT "\"}",
	      0x11, CK_SIDE_A, "guide mode");
	char *check = xasprintf("{\"step\":\"%s\",\"status\":\"pass\",\"code\":\"rest-holds\","
				"\"args\":[\"3\"],\"detail\":\"x\",\"observer\":{\"upn\":"
				"\"alice@contoso.example\",\"oid\":\"1\",\"tenant\":\"" TENANT "\"}}",
				id);
	forge("step.check", owner, check, seed[owner], owner, "guide mode");
	free(check);
	assert_int_equal(system("rm -rf s"), 0);
	s = open_live();
	char *err = NULL;
	assert_int_equal(session_sign_in(s, CK_SIDE_A, &err), 0);
	assert_int_equal(session_sign_in(s, CK_SIDE_B, &err), 0);
	session_free(s);
	forge("step.authorize", owner, auth, seed[owner], owner, "not opened with run --live --execute");
	free(auth);
	free(id);
}

/* tests/journals/live-v2.jsonl: a session of run --live --execute through
 * this test's backend: both sign-ins, an irreversible step authorized,
 * co-signed, performed and checked with its observer. report_schema.sh
 * renders it, so the live part of the report is a tested field.
 * CK_WRITE_LIVE_SAMPLE=1 rewrites it; otherwise the shipped one must replay
 * clean and hold what the schema test relies on. */
static void test_live_sample(void **state)
{
	(void)state;
	struct session *s = open_executing();
	char *err = NULL;
	const struct step *st = ready_step(s, true);
	int owner = st->owner;
	char *id = xstrdup(st->id);
	assert_int_equal(session_step_authorize(s, owner, id, &err), 0);
	assert_int_equal(session_step_cosign(s, ck_other_side(owner), id, &err), 0);
	assert_int_equal(session_step_perform(s, owner, id, NULL, &err), 0);
	const struct session_check *r = NULL;
	assert_int_equal(session_step_check(s, owner, id, &r, &err), 0);
	assert_int_equal(r->status, SESSION_CHECK_PASS);
	session_free(s);
	free(id);
	char *shipped = fx_src("tests/journals/live-v2.jsonl");
	if (getenv("CK_WRITE_LIVE_SAMPLE")) {
		char *j = journal_text();
		fx_write_text(shipped, "w", j);
		free(j);
	}
	const char *problem = NULL;
	s = session_load(shipped, &err);
	assert_non_null(s);
	assert_int_equal(session_problem(s, &problem), 0);
	session_free(s);
	char *j = fx_read_text(shipped);
	assert_non_null(strstr(j, "\"live\":\"execute\""));
	assert_non_null(strstr(j, "\"type\":\"azure.signin\""));
	assert_non_null(strstr(j, "\"type\":\"step.cosign\""));
	assert_non_null(strstr(j, "\"observer\":{"));
	free(j);
	free(shipped);
}

/* A live backend reads what earlier steps recorded (the restore reads the
 * backup file key.backup recorded) through the session's own getter. */
static void test_backend_reads_recorded_evidence(void **state)
{
	(void)state;
	fake_ev_get = NULL;
	struct session *s = open_live();
	assert_true(fake_ev_get == session_evidence);
	assert_true(fake_ev_ctx == s);
	session_free(s);
}

/* ... and when each value was recorded (the backup check compares it with
 * the key's current version): its journal line's time, 0 for none. */
static void test_backend_reads_evidence_time(void **state)
{
	(void)state;
	fake_ev_time = NULL;
	struct session *s = open_live();
	assert_true(fake_ev_time == session_evidence_time);
	time_t t0 = fx_now; /* the journal's clock here is the fixture's */
	const char *id = NULL, *ev = NULL;
	for (int guard = 0; guard < 80 && !ev; guard++) {
		fx_run_steps(s, 1);
		for (size_t i = 0; i < session_n_steps(s) && !ev; i++) {
			struct session_step_info si;
			session_step_info(s, i, &si);
			for (size_t k = 0; k < si.step->n_evidence && !ev; k++)
				if (session_evidence(s, si.step->id, si.step->evidence[k].id)) {
					id = si.step->id;
					ev = si.step->evidence[k].id;
				}
		}
	}
	assert_non_null(ev);
	time_t at = session_evidence_time(s, id, ev);
	assert_true(at >= t0 && at <= fx_now);
	assert_int_equal(session_evidence_time(s, id, "no-such-evidence"), 0);
	assert_int_equal(session_evidence_time(s, "no-such-step", ev), 0);
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
		T(test_perform_refused_without_authorization),
		T(test_perform_refused_with_mismatched_authorization),
		T(test_irreversible_needs_witness_cosign),
		T(test_without_execute_nothing_is_written),
		T(test_forged_live_events),
		T(test_forged_perform_without_authorization),
		T(test_session_open_records_live),
		T(test_forged_live_events_outside_live),
		T(test_live_sample),
		T(test_backend_reads_recorded_evidence),
		T(test_backend_reads_evidence_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
