/* test_session_forged.c: dual control enforced on replay. Each rule that
 * test_session.c tries through the API is broken here by a journal forged
 * with the journal writer itself (valid chain, valid signatures, broken
 * rule): replay must refuse exactly the forged line and name the rule. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "journal.h"
#include "keys.h"
#include "session.h"
#include "session_fixture.h"

#include <stdio.h>
#include <string.h>

/* The seeds of the plan's operators (fx_setup_plan) and of a stranger. */
enum { SEED_A = 0x11, SEED_B = 0x22, SEED_STRANGER = 0x33 };

/* The forger appends one event to the journal in "s", signed by the key of
 * this seed as this side, and replay must refuse exactly that line with a
 * problem that says needle. */
static void forge(const char *type, int actor, const char *payload_json, unsigned char seed,
		  int side, const char *needle)
{
	struct journal_read r;
	struct journal *j;
	struct keys_private *k;
	char *err = NULL;
	const char *problem = NULL;
	long line;
	struct session *s;
	memset(&r, 0, sizeof r);
	j = journal_open("s/journal.jsonl", &r, &err);
	assert_non_null(j);
	line = journal_last_seq(j) + 1;
	journal_read_free(&r);
	k = fx_key(seed);
	assert_int_equal(journal_append(j, type, actor, cJSON_Parse(payload_json), &k, &side, 1, NULL,
					&err), 0);
	keys_lock(k);
	journal_close(j);
	s = session_load("s/journal.jsonl", &err);
	assert_non_null(s);
	assert_int_equal(session_problem(s, &problem), line);
	if (!strstr(problem, needle))
		fail_msg("\"%s\" does not say \"%s\"", problem, needle);
	session_free(s);
}

/* The journal the forger starts from: the plan verified, or only approved
 * by its author (not yet verified by the other). */
static void verified_base(bool verify)
{
	struct session *s;
	char *err = NULL;
	if (verify) {
		s = fx_open_verified();
	} else {
		s = fx_open_run();
		assert_int_equal(session_sitting_open(s, fx_both, &err), 0);
		assert_int_equal(session_plan_approve(s, CK_SIDE_A, &err), 0);
	}
	session_free(s);
}

/* The common case: one event forged onto such a journal. */
static void forge_on(bool verify, const char *type, int actor, const char *payload_json,
		     unsigned char seed, int side, const char *needle)
{
	verified_base(verify);
	forge(type, actor, payload_json, seed, side, needle);
}

static void test_session_forged_confirm_by_wrong_operator(void **state)
{
	(void)state;
	forge_on(true, "step.confirm", CK_SIDE_B, "{\"step\":\"prereq.licences\",\"resources\":\"x\"}",
		 SEED_B, CK_SIDE_B, "belongs to operator A");
}

static void test_session_forged_actor_not_signer(void **state)
{
	(void)state;
	forge_on(true, "note", CK_SIDE_A, "{\"text\":\"hello\"}", SEED_B, CK_SIDE_B,
		 "not signed by operator A");
}

/* Signed as A, but by a key the plan does not name. */
static void test_session_forged_foreign_key(void **state)
{
	(void)state;
	forge_on(true, "note", CK_SIDE_A, "{\"text\":\"hello\"}", SEED_STRANGER, CK_SIDE_A,
		 "does not match the plan's key");
}

static void test_session_forged_skip_with_one_signature(void **state)
{
	(void)state;
	forge_on(true, "step.skip", CK_SIDE_A, "{\"step\":\"prereq.licences\",\"reason\":\"why not\"}",
		 SEED_A, CK_SIDE_A, "both operators");
}

static void test_session_forged_deviation_with_one_signature(void **state)
{
	(void)state;
	forge_on(true, "deviation", CK_SIDE_B, "{\"step\":null,\"reason\":\"alone\"}", SEED_B,
		 CK_SIDE_B, "both operators");
}

static void test_session_forged_step_before_verification(void **state)
{
	(void)state;
	forge_on(false, "step.start", CK_SIDE_A, "{\"step\":\"prereq.licences\"}", SEED_A, CK_SIDE_A,
		 "before the plan is approved");
}

static void test_session_forged_verify_by_author(void **state)
{
	struct session *s;
	char *err = NULL, payload[600];
	(void)state;
	verified_base(false);
	s = session_load("s/journal.jsonl", &err);
	snprintf(payload, sizeof payload,
		 "{\"version\":1,\"plan_sha256\":\"%s\",\"checklist\":{},\"acknowledged\":[]}",
		 session_plan(s)->sha256);
	session_free(s);
	forge("plan.verify", CK_SIDE_A, payload, SEED_A, CK_SIDE_A, "cannot verify their own plan");
}

static void test_session_forged_confirm_before_prerequisites(void **state)
{
	struct session *s = fx_open_verified();
	const struct catalogue *c;
	const char *blocked = NULL;
	char payload[512];
	int owner = CK_SIDE_A;
	(void)state;
	fx_run_steps(s, 4);
	/* confirm the first blocked step as if its prerequisites were done */
	c = session_catalogue(s);
	for (size_t i = 0; i < c->n_steps && !blocked; i++) {
		struct session_step_info info;
		session_step_info(s, i, &info);
		if (info.state == STEP_BLOCKED) {
			blocked = info.blocked_by;
			owner = c->steps[i].owner;
			snprintf(payload, sizeof payload, "{\"step\":\"%s\",\"resources\":\"x\"}",
				 c->steps[i].id);
		}
	}
	session_free(s);
	assert_non_null(blocked);
	forge("step.confirm", owner, payload, owner == CK_SIDE_A ? SEED_A : SEED_B, owner,
	      "done first");
}

static void test_session_forged_evidence_form(void **state)
{
	(void)state;
	forge_on(true, "step.evidence", CK_SIDE_A,
		 "{\"step\":\"prereq.licences\",\"evidence\":\"licences\",\"value\":\"maybe\"}", SEED_A,
		 CK_SIDE_A, "not in the form");
}

static void test_session_forged_event_after_close(void **state)
{
	(void)state;
	fx_sample_ceremony("plan.yaml", "s", true, SEED_A, SEED_B);
	forge("note", CK_SIDE_A, "{\"text\":\"after the end\"}", SEED_A, CK_SIDE_A, "closed");
}

/* Journal format 2 records what a check found as a result code and its
 * arguments: a sentence in place of the code, a code no table knows, or
 * arguments that do not fit the code are refused (format 1's sentences are
 * read only in journals that say format 1: tests/verify_cli.sh). */
static void test_session_forged_result_as_prose(void **state)
{
	(void)state;
	forge_on(true, "step.check", CK_SIDE_A, "{\"step\":\"prereq.licences\",\"status\":\"pass\","
		 "\"summary\":\"All fine, trust me.\",\"detail\":\"\"}", SEED_A, CK_SIDE_A,
		 "known result code");
}

static void test_session_forged_result_unknown_code(void **state)
{
	(void)state;
	forge_on(true, "step.check", CK_SIDE_A, "{\"step\":\"prereq.licences\",\"status\":\"pass\","
		 "\"code\":\"all-fine\",\"args\":[],\"detail\":\"\"}", SEED_A, CK_SIDE_A,
		 "known result code");
}

static void test_session_forged_result_wrong_args(void **state)
{
	(void)state;
	forge_on(true, "step.check", CK_SIDE_A, "{\"step\":\"prereq.licences\",\"status\":\"fail\","
		 "\"code\":\"vault-missing\",\"args\":[\"a\",\"b\"],\"detail\":\"\"}", SEED_A,
		 CK_SIDE_A, "takes 1 arguments");
}

/* Sitting 1 open with operator A alone, whose ckwizard then died: the
 * journal a stale sitting leaves (every line at the fixed clock). */
static void stale_base(void)
{
	struct session *s = fx_open_run();
	const bool only_a[CK_SIDES] = { true, false };
	char *err = NULL;
	assert_int_equal(session_sitting_open(s, only_a, &err), 0);
	assert_int_equal(session_note(s, CK_SIDE_A, "A alone", &err), 0);
	session_free(s);
}

#define STALE_OK "{\"sitting\":1,\"last_seen\":\"2026-11-23T12:00:00Z\"}"

/* Exactly the rule's case replays: B, never in sitting 1, ends it. */
static void test_session_forged_stale_sitting_accepted(void **state)
{
	(void)state;
	struct journal_read r;
	char *err = NULL;
	const char *problem = NULL;
	stale_base();
	memset(&r, 0, sizeof r);
	struct journal *j = journal_open("s/journal.jsonl", &r, &err);
	assert_non_null(j);
	journal_read_free(&r);
	struct keys_private *k = fx_key(SEED_B);
	int side = CK_SIDE_B;
	assert_int_equal(journal_append(j, "sitting.open", CK_SIDE_B,
					cJSON_Parse("{\"sitting\":2,\"present\":[\"B\"],\"stale\":"
						    STALE_OK "}"), &k, &side, 1, NULL, &err), 0);
	keys_lock(k);
	journal_close(j);
	struct session *s = session_load("s/journal.jsonl", &err);
	assert_non_null(s);
	assert_int_equal(session_problem(s, &problem), 0);
	session_free(s);
}

static void test_session_forged_stale_sitting_not_named(void **state)
{
	(void)state;
	stale_base();
	forge("sitting.open", CK_SIDE_B, "{\"sitting\":2,\"present\":[\"B\"]}", SEED_B,
	      CK_SIDE_B, "is still open");
}

static void test_session_forged_stale_sitting_wrong_time(void **state)
{
	(void)state;
	stale_base();
	forge("sitting.open", CK_SIDE_B, "{\"sitting\":2,\"present\":[\"B\"],\"stale\":"
	      "{\"sitting\":1,\"last_seen\":\"2026-11-23T11:00:00Z\"}}", SEED_B, CK_SIDE_B,
	      "last_seen");
}

static void test_session_forged_stale_sitting_wrong_number(void **state)
{
	(void)state;
	stale_base();
	forge("sitting.open", CK_SIDE_B, "{\"sitting\":2,\"present\":[\"B\"],\"stale\":"
	      "{\"sitting\":0,\"last_seen\":\"2026-11-23T12:00:00Z\"}}", SEED_B, CK_SIDE_B,
	      "must name the open sitting");
}

/* Whoever sat in the stale sitting closes it by sitting.close, signed. */
static void test_session_forged_stale_sitting_by_its_operator(void **state)
{
	(void)state;
	stale_base();
	forge("sitting.open", CK_SIDE_A, "{\"sitting\":2,\"present\":[\"A\"],\"stale\":"
	      STALE_OK "}", SEED_A, CK_SIDE_A, "closes it (sitting.close)");
}

/* An operator who was not in the sitting still cannot sign its close. */
static void test_session_forged_stale_sitting_closed_by_other(void **state)
{
	(void)state;
	stale_base();
	forge("sitting.close", CK_SIDE_B, "{\"sitting\":1}", SEED_B, CK_SIDE_B,
	      "closing the sitting needs Bob Berg (operator B) present in this sitting");
}

/* Nor does a stranger's key end it as B. */
static void test_session_forged_stale_sitting_stranger(void **state)
{
	(void)state;
	stale_base();
	forge("sitting.open", CK_SIDE_B, "{\"sitting\":2,\"present\":[\"B\"],\"stale\":"
	      STALE_OK "}", SEED_STRANGER, CK_SIDE_B, "signature does not match");
}

/* No open sitting, nothing stale to end. */
static void test_session_forged_stale_sitting_none_open(void **state)
{
	(void)state;
	stale_base();
	struct session *s = fx_open_plan("plan.yaml", "s", SESSION_RUN, &(char *){ NULL });
	char *err = NULL;
	assert_non_null(s);
	assert_int_equal(session_unlock_key(s, CK_SIDE_A, fx_key(SEED_A), &err), 0);
	assert_int_equal(session_sitting_close(s, CK_SIDE_A, &err), 0);
	session_free(s);
	forge("sitting.open", CK_SIDE_B, "{\"sitting\":2,\"present\":[\"B\"],\"stale\":"
	      STALE_OK "}", SEED_B, CK_SIDE_B, "none is open");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup_plan, fx_teardown_plan)
	const struct CMUnitTest tests[] = {
		T(test_session_forged_confirm_by_wrong_operator),
		T(test_session_forged_actor_not_signer),
		T(test_session_forged_foreign_key),
		T(test_session_forged_skip_with_one_signature),
		T(test_session_forged_deviation_with_one_signature),
		T(test_session_forged_step_before_verification),
		T(test_session_forged_verify_by_author),
		T(test_session_forged_confirm_before_prerequisites),
		T(test_session_forged_evidence_form),
		T(test_session_forged_event_after_close),
		T(test_session_forged_result_as_prose),
		T(test_session_forged_result_unknown_code),
		T(test_session_forged_result_wrong_args),
		T(test_session_forged_stale_sitting_accepted),
		T(test_session_forged_stale_sitting_not_named),
		T(test_session_forged_stale_sitting_wrong_time),
		T(test_session_forged_stale_sitting_wrong_number),
		T(test_session_forged_stale_sitting_by_its_operator),
		T(test_session_forged_stale_sitting_closed_by_other),
		T(test_session_forged_stale_sitting_stranger),
		T(test_session_forged_stale_sitting_none_open),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
