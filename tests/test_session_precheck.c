/* test_session_precheck.c: session_step_allowed, the dry run the screens ask
 * before any handoff, passphrase or signature prompt, says what recording
 * would say, names what is missing, and writes nothing. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "session.h"
#include "session_fixture.h"
#include "steps.h"

#include <stdlib.h>
#include <string.h>

/* The first ready step with required evidence and a witness: the one the
 * refusals of the issue were met on. */
static long first_step_with(struct session *s, bool evidence, bool witness)
{
	const struct catalogue *c = session_catalogue(s);
	for (size_t i = 0; i < c->n_steps; i++) {
		struct session_step_info si;
		const struct step *st = &c->steps[i];
		bool req = false;
		for (size_t k = 0; k < st->n_evidence; k++)
			req |= !st->evidence[k].optional && st->evidence[k].kind != EV_CONFIRM;
		session_step_info(s, i, &si);
		if (si.state == STEP_READY && req == evidence && st->witness == witness)
			return (long)i;
	}
	return -1;
}

static void allowed_refuses(struct session *s, enum session_step_act act, int side,
			    const char *id, enum session_missing want, const char *needle)
{
	enum session_missing m = SESSION_MISSING_NOTHING;
	char *err = NULL;
	long n = session_n_events(s);
	assert_int_equal(session_step_allowed(s, act, side, id, &m, &err), -1);
	assert_non_null(err);
	if (!strstr(err, needle))
		fail_msg("\"%s\" does not say \"%s\"", err, needle);
	assert_int_equal(m, want);
	assert_int_equal(session_n_events(s), n); /* a dry run writes nothing */
	free(err);
}

static void test_precheck_agrees_with_recording(void **state)
{
	struct session *s = fx_open_verified();
	const struct catalogue *c = session_catalogue(s);
	char *err = NULL;
	(void)state;
	/* Run until a step with evidence and a witness is ready. */
	long i = first_step_with(s, true, true);
	for (size_t round = 0; i < 0 && round < c->n_steps; round++) {
		assert_true(fx_run_steps(s, 1) == 1);
		i = first_step_with(s, true, true);
	}
	assert_true(i >= 0);
	const struct step *st = &c->steps[i];
	int owner = st->owner, other = ck_other_side(owner);

	/* Witnessing a step its owner has not confirmed. */
	allowed_refuses(s, SESSION_ACT_WITNESS, other, st->id, SESSION_MISSING_CONFIRM,
			"confirmed by its owner");
	fx_refused(s, session_step_witness(s, other, st->id, &err), &err, "confirmed by its owner");
	/* Confirming before the evidence is in. */
	allowed_refuses(s, SESSION_ACT_CONFIRM, owner, st->id, SESSION_MISSING_EVIDENCE,
			"needs the evidence");
	/* The other operator confirming, or entering the owner's evidence. */
	allowed_refuses(s, SESSION_ACT_CONFIRM, other, st->id, SESSION_MISSING_OWNER, "belongs to");
	allowed_refuses(s, SESSION_ACT_EVIDENCE, other, st->id, SESSION_MISSING_OWNER, "belongs to");
	/* What will be accepted is allowed, and then recorded. */
	assert_int_equal(session_step_allowed(s, SESSION_ACT_EVIDENCE, owner, st->id, NULL, &err), 0);
	assert_int_equal(session_step_allowed(s, SESSION_ACT_CHECK, owner, st->id, NULL, &err), 0);
	assert_int_equal(session_step_start(s, owner, st->id, &err), 0);
	for (size_t k = 0; k < st->n_evidence; k++) {
		char *v = fx_evidence(s, st, &st->evidence[k]);
		assert_int_equal(session_step_evidence(s, owner, st->id, st->evidence[k].id, v, &err), 0);
		free(v);
	}
	assert_int_equal(session_step_allowed(s, SESSION_ACT_CONFIRM, owner, st->id, NULL, &err), 0);
	allowed_refuses(s, SESSION_ACT_WITNESS, other, st->id, SESSION_MISSING_CONFIRM,
			"confirmed by its owner");
	assert_int_equal(session_step_confirm(s, owner, st->id, st->confirm_name, &err), 0);
	/* The owner cannot witness; the other can, and does. */
	allowed_refuses(s, SESSION_ACT_WITNESS, owner, st->id, SESSION_MISSING_OTHER_OPERATOR,
			"cannot witness");
	assert_int_equal(session_step_allowed(s, SESSION_ACT_WITNESS, other, st->id, NULL, &err), 0);
	assert_int_equal(session_step_witness(s, other, st->id, &err), 0);
	allowed_refuses(s, SESSION_ACT_WITNESS, other, st->id, SESSION_MISSING_NOTHING,
			"already witnessed");
	allowed_refuses(s, SESSION_ACT_CONFIRM, owner, st->id, SESSION_MISSING_NOTHING,
			"already confirmed");
	/* A done step is not skipped; the next one can be, by both. */
	allowed_refuses(s, SESSION_ACT_SKIP, other, st->id, SESSION_MISSING_NOTHING,
			"already confirmed");
	fx_refused(s, session_step_skip(s, st->id, "dry", &err), &err, "already confirmed");
	session_free(s);
}

/* An operator not in the sitting: refused before anyone is asked for a key. */
static void test_precheck_needs_presence(void **state)
{
	struct session *s = fx_open_verified();
	char *err = NULL;
	bool only_other[CK_SIDES] = { true, true };
	(void)state;
	const struct catalogue *c = session_catalogue(s);
	size_t i = 0;
	for (; i < c->n_steps; i++) {
		struct session_step_info si;
		session_step_info(s, i, &si);
		if (si.state == STEP_READY && c->steps[i].owner != CK_SIDE_NONE)
			break;
	}
	assert_true(i < c->n_steps);
	const char *id = c->steps[i].id;
	int owner = c->steps[i].owner;
	only_other[owner] = false;
	assert_int_equal(session_sitting_close(s, ck_other_side(owner), &err), 0);
	assert_int_equal(session_sitting_open(s, only_other, &err), 0);
	allowed_refuses(s, SESSION_ACT_EVIDENCE, owner, id, SESSION_MISSING_PRESENCE, "");
	/* A skip needs both: one operator alone is refused before the reason. */
	allowed_refuses(s, SESSION_ACT_SKIP, ck_other_side(owner), id, SESSION_MISSING_PRESENCE, "");
	assert_int_equal(session_step_allowed(s, SESSION_ACT_EVIDENCE, 7, id, NULL, &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(session_step_allowed(s, SESSION_ACT_EVIDENCE, CK_SIDE_A, "no.such/step",
					      NULL, &err), -1);
	free(err);
	session_free(s);
}

/* Judging an event costs the event, not the journal: a note recorded on a
 * long journal is judged once and applied once, as on a short one, and so
 * is the dry run the screens ask. Counted in events the rules judged (a
 * measure that does not depend on the machine's load). */
static void test_precheck_costs_the_event(void **state)
{
	struct session *s = fx_open_verified();
	const struct catalogue *c = session_catalogue(s);
	char *err = NULL;
	long before;
	(void)state;
	long i = first_step_with(s, false, false);
	assert_true(i >= 0);
	for (int k = 0; k < 60; k++) {
		before = session_test_rules_applied();
		assert_int_equal(session_note(s, CK_SIDE_A, "a note", &err), 0);
		/* once judged, once applied; a replay would be n_events + 1 */
		assert_int_equal(session_test_rules_applied() - before, 2);
	}
	assert_true(session_n_events(s) > 60);
	/* the dry runs of a deviation and of the closing, the same */
	before = session_test_rules_applied();
	assert_int_equal(session_deviation_allowed(s, NULL, &err), 0);
	assert_int_equal(session_close_allowed(s, &err), 0);
	assert_int_equal(session_test_rules_applied() - before, 2);
	before = session_test_rules_applied();
	assert_int_equal(session_step_allowed(s, SESSION_ACT_CHECK, c->steps[i].owner,
					      c->steps[i].id, NULL, &err), 0);
	/* the step's start, then the check */
	assert_int_equal(session_test_rules_applied() - before, 2);
	assert_int_equal(session_step_start(s, c->steps[i].owner, c->steps[i].id, &err), 0);
	before = session_test_rules_applied();
	allowed_refuses(s, SESSION_ACT_CONFIRM, ck_other_side(c->steps[i].owner), c->steps[i].id,
			SESSION_MISSING_OWNER, "belongs to");
	assert_int_equal(session_test_rules_applied() - before, 1);
	session_free(s);
}

/* A new session loads its plan once: session.open is judged on the new
 * session itself, not judged on a scratch session and applied again. */
static void test_precheck_create_applies_once(void **state)
{
	char *err = NULL;
	(void)state;
	long before = session_test_rules_applied();
	struct session *s = fx_open_plan("plan.yaml", "s", SESSION_RUN, &err);
	assert_non_null(s);
	assert_int_equal(session_n_events(s), 1);
	assert_int_equal(session_test_rules_applied() - before, 1);
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_precheck_agrees_with_recording, fx_setup_plan,
						fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_precheck_needs_presence, fx_setup_plan,
						fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_precheck_costs_the_event, fx_setup_plan,
						fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_precheck_create_applies_once, fx_setup_plan,
						fx_teardown_plan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
