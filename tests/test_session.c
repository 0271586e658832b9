/* test_session.c: dual control enforced by the session, live and on replay.
 * Each rule is tried through the API (refused, nothing written) and by a
 * journal forged with the journal writer itself (valid chain, valid
 * signatures, broken rule): replay names the line and the rule. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "journal.h"
#include "keys.h"
#include "keystore.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const bool both[CK_SIDES] = { true, true };

static int setup(void **state)
{
	*state = fx_setup();
	fx_write_plan("plan.yaml", 0x11, 0x22);
	return 0;
}

static int teardown(void **state)
{
	fx_teardown(*state);
	return 0;
}

static struct session *open_run(void)
{
	return fx_open("plan.yaml", "s", SESSION_RUN, 0x11, 0x22);
}

/* A refused action: -1, a message naming the rule, and nothing written. */
static void refused(struct session *s, int rc, char **err, const char *needle)
{
	(void)s;
	assert_int_equal(rc, -1);
	assert_non_null(*err);
	if (!strstr(*err, needle))
		fail_msg("message \"%s\" does not say \"%s\"", *err, needle);
	free(*err);
	*err = NULL;
}

/* The first step of this owner (needing a witness or not) that can be worked
 * on; steps before it in the ceremony are done as the operators would. */
static long first_step_of(struct session *s, int owner, bool witness)
{
	const struct catalogue *c = session_catalogue(s);
	for (size_t round = 0; round <= c->n_steps; round++) {
		for (size_t i = 0; i < c->n_steps; i++) {
			struct session_step_info info;
			session_step_info(s, i, &info);
			if (c->steps[i].owner == owner && c->steps[i].witness == witness &&
			    info.state == STEP_READY && !info.started)
				return (long)i;
		}
		if (fx_run_steps(s, 1) == 0)
			break;
	}
	return -1;
}

static void test_session_sample_ceremony_runs(void **state)
{
	struct session *s;
	char *err = NULL;
	(void)state;
	fx_sample_ceremony("plan.yaml", "sess", true, 0x11, 0x22);
	s = session_load("sess/journal.jsonl", &err);
	assert_non_null(s);
	assert_int_equal(session_problem(s, NULL), 0);
	assert_true(session_is_closed(s));
	session_free(s);
}

/* The whole ceremony through the API, as the wizard drives it: every step
 * done, the waits reported with what and until when while nothing else can
 * be done, the outside event recorded by the owner, then closed; verify
 * holds on the result. */
static void test_session_whole_ceremony_completes(void **state)
{
	struct session *s = open_run();
	size_t n, waits_seen = 0, events_seen = 0;
	char *err = NULL;
	struct buf out = BUF_INIT;
	(void)state;
	fx_verify_plan(s);
	n = session_n_steps(s);
	for (size_t round = 0; round < 4 * n; round++) {
		struct session_wait_item *w;
		bool all;
		size_t nw;
		long next = session_next_step(s);
		if (next >= 0) {
			struct session_step_info info;
			session_step_info(s, (size_t)next, &info);
			if (info.state == STEP_WAIT_WITNESS)
				assert_int_equal(session_step_witness(s, ck_other_side(info.step->owner),
								      info.step->id, &err), 0);
			else
				fx_run_steps(s, 1);
			continue;
		}
		nw = session_waits(s, &w, &all);
		if (nw == 0) {
			free(w);
			break;
		}
		assert_true(all);
		for (size_t k = 0; k < nw; k++) {
			if (w[k].state == STEP_WAIT_TIME)
				assert_true(w[k].until > session_now(s));
			if (w[k].state == STEP_WAIT_EVENT) {
				assert_non_null(w[k].event);
				events_seen++;
			}
		}
		waits_seen++;
		free(w);
		fx_run_steps(s, 1); /* moves the clock or records the event */
	}
	assert_true(waits_seen > 0);
	assert_true(events_seen > 0);
	for (size_t i = 0; i < n; i++) {
		struct session_step_info info;
		session_step_info(s, i, &info);
		if (info.state != STEP_DONE)
			fail_msg("step %s is %s", info.step->id, session_step_state_name(info.state));
	}
	assert_int_equal(session_close(s, &err), 0);
	refused(s, session_note(s, CK_SIDE_A, "after the end", &err), &err, "closed");
	session_free(s);
	assert_int_equal(verify_journal("s/journal.jsonl", NULL, &out), CK_EXIT_OK);
	buf_free(&out);
}

static void test_session_steps_refused_before_verification(void **state)
{
	struct session *s = open_run();
	const struct step *st = &session_catalogue(s)->steps[0];
	char *err = NULL;
	long n;
	(void)state;
	assert_int_equal(session_sitting_open(s, both, &err), 0);
	n = session_n_events(s);
	refused(s, session_step_start(s, st->owner, st->id, &err), &err, "before the plan is approved");
	assert_int_equal(session_plan_approve(s, CK_SIDE_A, &err), 0);
	refused(s, session_step_start(s, st->owner, st->id, &err), &err, "verified by the other");
	assert_int_equal(session_n_events(s), n + 1);
	assert_int_equal(session_next_step(s), -1);
	session_free(s);
}

static void test_session_author_approves_other_verifies(void **state)
{
	struct session *s = open_run();
	bool yes[16];
	char *err = NULL;
	const char *const *ids;
	size_t nw = session_plan_warnings(s, &ids, NULL);
	(void)state;
	for (size_t i = 0; i < session_n_checklist; i++)
		yes[i] = true;
	assert_int_equal(session_sitting_open(s, both, &err), 0);
	refused(s, session_plan_approve(s, CK_SIDE_B, &err), &err, "only the plan's author");
	refused(s, session_plan_verify(s, CK_SIDE_B, yes, ids, nw, &err), &err, "approve the plan before");
	assert_int_equal(session_plan_approve(s, CK_SIDE_A, &err), 0);
	refused(s, session_plan_verify(s, CK_SIDE_A, yes, ids, nw, &err), &err, "cannot verify their own");
	yes[2] = false;
	refused(s, session_plan_verify(s, CK_SIDE_B, yes, ids, nw, &err), &err, "not answered yes");
	yes[2] = true;
	if (nw)
		refused(s, session_plan_verify(s, CK_SIDE_B, yes, ids, 0, &err), &err, "not acknowledged");
	assert_int_equal(session_plan_verify(s, CK_SIDE_B, yes, ids, nw, &err), 0);
	assert_true(session_next_step(s) >= 0);
	session_free(s);
}

static void test_session_only_owner_confirms_and_other_witnesses(void **state)
{
	struct session *s = open_run();
	long i;
	const struct step *st;
	char *err = NULL;
	struct session_step_info info;
	(void)state;
	fx_verify_plan(s);
	i = first_step_of(s, CK_SIDE_B, true);
	assert_true(i >= 0);
	st = &session_catalogue(s)->steps[i];
	refused(s, session_step_start(s, CK_SIDE_A, st->id, &err), &err, "belongs to operator B");
	for (size_t k = 0; k < st->n_evidence; k++) {
		char *v = fx_evidence(s, st, &st->evidence[k]);
		refused(s, session_step_evidence(s, CK_SIDE_A, st->id, st->evidence[k].id, v, &err),
			&err, "belongs to operator B");
		assert_int_equal(session_step_evidence(s, CK_SIDE_B, st->id, st->evidence[k].id, v, &err), 0);
		free(v);
	}
	refused(s, session_step_confirm(s, CK_SIDE_A, st->id, NULL, &err), &err, "belongs to operator B");
	refused(s, session_step_witness(s, CK_SIDE_A, st->id, &err), &err, "must be confirmed by its owner");
	assert_int_equal(session_step_confirm(s, CK_SIDE_B, st->id, NULL, &err), 0);
	session_step_info(s, (size_t)i, &info);
	assert_int_equal(info.state, STEP_WAIT_WITNESS);
	assert_int_equal(info.who_next, CK_SIDE_A);
	refused(s, session_step_witness(s, CK_SIDE_B, st->id, &err), &err, "cannot witness it");
	assert_int_equal(session_step_witness(s, CK_SIDE_A, st->id, &err), 0);
	session_step_info(s, (size_t)i, &info);
	assert_int_equal(info.state, STEP_DONE);
	assert_int_equal(info.witnessed_by, CK_SIDE_A);
	refused(s, session_step_witness(s, CK_SIDE_A, st->id, &err), &err, "already witnessed");
	session_free(s);
}

static void test_session_required_evidence_and_prerequisites(void **state)
{
	struct session *s = open_run();
	const struct catalogue *c;
	char *err = NULL;
	(void)state;
	fx_verify_plan(s);
	c = session_catalogue(s);
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *st = &c->steps[i];
		struct session_step_info info;
		session_step_info(s, i, &info);
		if (info.state == STEP_BLOCKED) {
			refused(s, session_step_confirm(s, st->owner, st->id, st->confirm_name, &err), &err,
				"done first");
			break;
		}
	}
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *st = &c->steps[i];
		if (st->n_prereqs == 0 && st->n_evidence && !st->evidence[0].optional) {
			refused(s, session_step_confirm(s, st->owner, st->id, st->confirm_name, &err), &err,
				"needs the evidence");
			refused(s, session_step_evidence(s, st->owner, st->id, st->evidence[0].id, "", &err),
				&err, "");
			break;
		}
	}
	session_free(s);
}

static void test_session_critical_step_needs_typed_name(void **state)
{
	struct session *s = open_run();
	const struct catalogue *c;
	const struct step *crit = NULL;
	char *err = NULL;
	(void)state;
	fx_verify_plan(s);
	c = session_catalogue(s);
	for (size_t n = 0; n < c->n_steps && !crit; n++) {
		long i = session_next_step(s);
		if (i >= 0 && c->steps[i].critical) {
			crit = &c->steps[i];
			break;
		}
		assert_true(fx_run_steps(s, 1) <= 1);
	}
	if (!crit || !crit->confirm_name) {
		fail_msg("no critical step with a name to type");
		return;
	}
	for (size_t k = 0; k < crit->n_evidence; k++) {
		char *v = fx_evidence(s, crit, &crit->evidence[k]);
		assert_int_equal(session_step_evidence(s, crit->owner, crit->id, crit->evidence[k].id, v,
						       &err), 0);
		free(v);
	}
	refused(s, session_step_confirm(s, crit->owner, crit->id, NULL, &err), &err, "is critical");
	refused(s, session_step_confirm(s, crit->owner, crit->id, "Contoso-CK-EX-NA-VaultA2", &err),
		&err, crit->confirm_name);
	assert_int_equal(session_step_confirm(s, crit->owner, crit->id, crit->confirm_name, &err), 0);
	session_free(s);
}

static void test_session_skip_and_deviation_need_both(void **state)
{
	struct session *s = open_run();
	const struct step *st;
	struct session_step_info info;
	char *err = NULL;
	(void)state;
	fx_verify_plan(s);
	st = &session_catalogue(s)->steps[0];
	session_lock(s, CK_SIDE_B);
	refused(s, session_step_skip(s, st->id, "not needed", &err), &err, "operator B must unlock");
	refused(s, session_deviation(s, NULL, "late start", &err), &err, "operator B must unlock");
	assert_int_equal(session_unlock_key(s, CK_SIDE_B, fx_key(0x22), &err), 0);
	refused(s, session_step_skip(s, st->id, "", &err), &err, "missing or empty");
	refused(s, session_step_skip(s, st->id, "bidi \xe2\x80\xae trick", &err), &err, "U+202E");
	assert_int_equal(session_step_skip(s, st->id, "Licences checked by procurement.", &err), 0);
	session_step_info(s, 0, &info);
	assert_int_equal(info.state, STEP_SKIPPED);
	assert_string_equal(info.reason, "Licences checked by procurement.");
	assert_int_equal(session_deviation(s, NULL, "Started an hour late.", &err), 0);
	session_free(s);
}

static void test_session_one_operator_sitting(void **state)
{
	struct session *s = open_run();
	bool only_a[CK_SIDES] = { true, false };
	long i;
	char *err = NULL;
	const struct step *st;
	(void)state;
	fx_verify_plan(s);
	assert_int_equal(session_sitting_close(s, CK_SIDE_B, &err), 0);
	assert_int_equal(session_sitting_open(s, only_a, &err), 0);
	assert_false(session_is_present(s, CK_SIDE_B));
	i = session_next_step(s);
	assert_true(i >= 0);
	assert_int_equal(session_catalogue(s)->steps[i].owner, CK_SIDE_A);
	assert_false(session_catalogue(s)->steps[i].witness);
	/* B's steps and witnessed steps wait for a sitting with both. */
	i = first_step_of(s, CK_SIDE_B, false);
	st = &session_catalogue(s)->steps[i];
	refused(s, session_step_start(s, CK_SIDE_B, st->id, &err), &err, "present");
	i = first_step_of(s, CK_SIDE_A, true);
	st = &session_catalogue(s)->steps[i];
	for (size_t k = 0; k < st->n_evidence; k++) {
		char *v = fx_evidence(s, st, &st->evidence[k]);
		assert_int_equal(session_step_evidence(s, CK_SIDE_A, st->id, st->evidence[k].id, v, &err), 0);
		free(v);
	}
	refused(s, session_step_confirm(s, CK_SIDE_A, st->id, st->confirm_name, &err), &err,
		"needs a witness");
	refused(s, session_note(s, CK_SIDE_B, "I am not here", &err), &err, "present");
	assert_int_equal(session_note(s, CK_SIDE_A, "Alone today: only my own steps.", &err), 0);
	session_free(s);
}

/* RUN mode: each operator's key comes from the keystore (found by the
 * plan's public key) or from an explicit file; the passphrase unlocks it. */
static void test_session_unlock_from_keystore_and_file(void **state)
{
	struct keystore_entry ea, eb;
	char *warn = NULL, *err = NULL, *text, *src = fx_src("plans/contoso-exchange.yaml");
	bool exists = false;
	struct session_opts o;
	struct session *s;
	FILE *f;
	size_t len;
	(void)state;
	assert_int_equal(keystore_enroll("ks", false, "Alice Ames", "alice@contoso.example", "pass-a",
					 &ea, &warn, &exists, &err), 0);
	free(warn);
	warn = NULL;
	assert_int_equal(keystore_enroll("ks2", false, "Bob Berg", "bob@contoso.example", "pass-b",
					 &eb, &warn, &exists, &err), 0);
	free(warn);
	f = fopen(src, "r");
	text = xcalloc(1, 65536);
	len = fread(text, 1, 65535, f);
	fclose(f);
	assert_true(len > 0);
	{
		char *a = strstr(text, "ed25519:KP6+"), *b = strstr(text, "ed25519:sSxT");
		memcpy(a, ea.key_line, strlen(ea.key_line));
		memcpy(b, eb.key_line, strlen(eb.key_line));
	}
	f = fopen("ks.yaml", "w");
	fputs(text, f);
	fclose(f);
	memset(&o, 0, sizeof o);
	o.plan_path = "ks.yaml";
	o.dir = "ks-session";
	o.mode = SESSION_RUN;
	o.keystore_dir = "ks";
	o.key_path[CK_SIDE_B] = eb.key_path;
	s = session_open(&o, &err);
	assert_non_null(s);
	refused(s, session_unlock(s, CK_SIDE_A, "wrong", &err), &err, "passphrase");
	assert_int_equal(session_unlock(s, CK_SIDE_A, "pass-a", &err), 0);
	assert_int_equal(session_unlock(s, CK_SIDE_B, "pass-b", &err), 0);
	assert_true(session_is_unlocked(s, CK_SIDE_A) && session_is_unlocked(s, CK_SIDE_B));
	session_lock(s, CK_SIDE_A);
	assert_false(session_is_unlocked(s, CK_SIDE_A));
	session_free(s);
	keystore_entry_free(&ea);
	keystore_entry_free(&eb);
	free(text);
	free(src);
}

static void test_session_keys_must_be_the_plans(void **state)
{
	struct session *s = open_run();
	char *err = NULL;
	(void)state;
	session_lock(s, CK_SIDE_B);
	refused(s, session_unlock_key(s, CK_SIDE_B, fx_key(0x11), &err), &err, "one person cannot act as both");
	refused(s, session_unlock_key(s, CK_SIDE_B, fx_key(0x33), &err), &err, "not operator B's key");
	assert_false(session_is_unlocked(s, CK_SIDE_B));
	refused(s, session_sitting_open(s, both, &err), &err, "operator B must unlock");
	session_free(s);
}

static void test_session_run_refuses_demo_keys(void **state)
{
	struct session_opts o;
	char *err = NULL, *plan = fx_src("plans/contoso-exchange.yaml");
	(void)state;
	memset(&o, 0, sizeof o);
	o.plan_path = plan;
	o.dir = "demo";
	o.mode = SESSION_RUN;
	assert_null(session_open(&o, &err));
	assert_non_null(strstr(err, "demo"));
	free(err);
	assert_null(fopen("demo/journal.jsonl", "r")); /* refused before any side effect */
	free(plan);
}

static void test_session_same_person_twice_refused(void **state)
{
	struct session_opts o;
	char *err = NULL;
	(void)state;
	fx_write_plan("twice.yaml", 0x11, 0x11);
	memset(&o, 0, sizeof o);
	o.plan_path = "twice.yaml";
	o.dir = "twice";
	o.mode = SESSION_RUN;
	assert_null(session_open(&o, &err));
	if (!strstr(err, "same") && !strstr(err, "both operators"))
		fail_msg("%s", err);
	free(err);
}

static void test_session_resume_rebuilds_state(void **state)
{
	struct session *s = open_run();
	char head[65], *err = NULL;
	enum session_step_state st[128];
	size_t n;
	struct session_opts o;
	(void)state;
	fx_verify_plan(s);
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
	memset(&o, 0, sizeof o);
	o.plan_path = "plan.yaml";
	o.dir = "s";
	o.mode = SESSION_RUN;
	s = session_open(&o, &err);
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
	o.mode = SESSION_REHEARSAL;
	session_free(s);
	assert_null(session_open(&o, &err));
	assert_non_null(strstr(err, "cannot continue as a rehearsal"));
	free(err);
}

static void append_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_session_plan_change_needs_amendment(void **state)
{
	struct session *s = open_run();
	struct session_opts o;
	struct session_plan_status ps;
	char *err = NULL;
	long i;
	struct session_step_info info;
	(void)state;
	fx_verify_plan(s);
	fx_run_steps(s, 2);
	session_free(s);
	/* A harmless change: a comment. Resources stay, so do the steps. */
	append_text("plan.yaml", "# amended: a note for the record\n");
	memset(&o, 0, sizeof o);
	o.plan_path = "plan.yaml";
	o.dir = "s";
	o.mode = SESSION_RUN;
	s = session_open(&o, &err);
	assert_non_null(s);
	assert_int_equal(session_blocker(s), SESSION_PLAN_CHANGED);
	session_plan_status(s, &ps);
	assert_true(ps.file_differs);
	assert_non_null(strstr(ps.diff, "+ # amended: a note for the record"));
	assert_int_equal(session_unlock_key(s, CK_SIDE_A, fx_key(0x11), &err), 0);
	assert_int_equal(session_unlock_key(s, CK_SIDE_B, fx_key(0x22), &err), 0);
	assert_int_equal(session_sitting_open(s, both, &err), 0);
	i = session_next_step(s);
	assert_true(i >= 0);
	refused(s, session_step_start(s, session_catalogue(s)->steps[i].owner,
				      session_catalogue(s)->steps[i].id, &err), &err, "Amend the plan");
	assert_int_equal(session_amend(s, &err), 0);
	session_plan_status(s, &ps);
	assert_int_equal(ps.version, 2);
	assert_false(ps.verified);
	assert_int_equal(session_blocker(s), SESSION_OK);
	session_step_info(s, 0, &info);
	assert_int_equal(info.state, STEP_DONE); /* the licences step: nothing changed */
	assert_int_equal(session_next_step(s), -1); /* until verified again */
	{
		bool yes[16];
		const char *const *ids;
		size_t nw = session_plan_warnings(s, &ids, NULL);
		for (size_t k = 0; k < session_n_checklist; k++)
			yes[k] = true;
		assert_int_equal(session_plan_verify(s, CK_SIDE_B, yes, ids, nw, &err), 0);
	}
	assert_true(session_next_step(s) >= 0);
	session_free(s);
	s = session_load("s/journal.jsonl", &err);
	assert_int_equal(session_problem(s, NULL), 0);
	session_free(s);
}

/* An amendment that changes a resource (subscription A's ID) undoes the
 * steps that touched it, and only those. */
static void test_session_amendment_resets_changed_steps(void **state)
{
	struct session *s = open_run();
	struct session_opts o;
	char *err = NULL, *text;
	long sub_a, lic;
	struct session_step_info info;
	FILE *f;
	size_t len;
	bool yes[16];
	const char *const *ids;
	size_t nw;
	(void)state;
	fx_verify_plan(s);
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
	f = fopen("plan.yaml", "r");
	text = xcalloc(1, 65536);
	len = fread(text, 1, 65535, f);
	fclose(f);
	assert_true(len > 0);
	memcpy(strstr(text, "0a1b2c3d-1111-4aaa-8bbb-000000000001"),
	       "0a1b2c3d-1111-4aaa-8bbb-000000000009", 36);
	f = fopen("plan.yaml", "w");
	fputs(text, f);
	fclose(f);
	free(text);
	memset(&o, 0, sizeof o);
	o.plan_path = "plan.yaml";
	o.dir = "s";
	o.mode = SESSION_RUN;
	s = session_open(&o, &err);
	assert_non_null(s);
	assert_non_null(strstr(session_blocker_text(s), "not the verified version 1"));
	assert_int_equal(session_unlock_key(s, CK_SIDE_A, fx_key(0x11), &err), 0);
	assert_int_equal(session_unlock_key(s, CK_SIDE_B, fx_key(0x22), &err), 0);
	assert_int_equal(session_sitting_open(s, both, &err), 0);
	assert_int_equal(session_amend(s, &err), 0);
	for (size_t k = 0; k < session_n_checklist; k++)
		yes[k] = true;
	nw = session_plan_warnings(s, &ids, NULL);
	assert_int_equal(session_plan_verify(s, CK_SIDE_B, yes, ids, nw, &err), 0);
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
	struct session *s = open_run();
	char *err = NULL;
	long i;
	(void)state;
	fx_verify_plan(s);
	i = session_next_step(s);
	journal_test_write_next_append_to("/dev/full");
	assert_int_equal(session_note(s, CK_SIDE_A, "this cannot be written", &err), -1);
	free(err);
	assert_true(session_failed(s));
	assert_int_equal(session_blocker(s), SESSION_FAILED);
	refused(s, session_step_start(s, session_catalogue(s)->steps[i].owner,
				      session_catalogue(s)->steps[i].id, &err), &err, "could not be written");
	session_free(s);
}

static void test_session_torn_tail_set_aside_by_both(void **state)
{
	struct session *s = open_run();
	struct session_opts o;
	char *err = NULL;
	(void)state;
	fx_verify_plan(s);
	session_free(s);
	append_text("s/journal.jsonl", "{\"seq\":9,\"time\":\"2026-11-2");
	memset(&o, 0, sizeof o);
	o.plan_path = "plan.yaml";
	o.dir = "s";
	o.mode = SESSION_RUN;
	s = session_open(&o, &err);
	assert_non_null(s);
	assert_int_equal(session_blocker(s), SESSION_TORN_TAIL);
	assert_non_null(strstr(session_blocker_text(s), "partial line"));
	assert_int_equal(session_unlock_key(s, CK_SIDE_A, fx_key(0x11), &err), 0);
	refused(s, session_set_aside_tail(s, "crash", &err), &err, "both operators");
	refused(s, session_note(s, CK_SIDE_A, "x", &err), &err, "partial line");
	assert_int_equal(session_unlock_key(s, CK_SIDE_B, fx_key(0x22), &err), 0);
	assert_int_equal(session_set_aside_tail(s, "Power cut during the last write.", &err), 0);
	assert_int_equal(session_blocker(s), SESSION_OK);
	session_free(s);
	s = session_load("s/journal.jsonl", &err);
	assert_int_equal(session_problem(s, NULL), 0);
	session_free(s);
}

static void test_session_clock_moves_only_in_rehearsal(void **state)
{
	struct session *s = open_run();
	char *err = NULL;
	(void)state;
	fx_verify_plan(s);
	refused(s, session_clock_advance(s, CK_SIDE_A, 3600, &err), &err, "rehearsal");
	assert_int_equal(session_clock_offset(s), 0);
	session_free(s);
}

static void test_session_rehearsal_with_demo_operators(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	struct session *s = fx_open(plan, "r", SESSION_REHEARSAL, 0, 0);
	time_t before;
	(void)state;
	assert_true(session_uses_demo_keys(s));
	fx_verify_plan(s);
	assert_true(fx_run_steps(s, 3) == 3);
	before = session_now(s);
	assert_int_equal(session_clock_advance(s, CK_SIDE_A, 72 * 3600, &err), 0);
	assert_int_equal(session_now(s) - before, 72 * 3600);
	refused(s, session_clock_advance(s, CK_SIDE_A, -5, &err), &err, "1 s to 400 days");
	session_free(s);
	free(plan);
}

/* ---- forged journals: the journal writer used directly ----------------- */

/* A verified session's journal, closed; the forger appends one event to it
 * with the signers it likes, and replay must refuse exactly that line. */
static void forge(const char *type, int actor, const char *payload_json, const unsigned char *seeds,
		  const int *sides, size_t n, const char *needle)
{
	struct journal_read r;
	struct journal *j;
	struct keys_private *k[2] = { NULL, NULL };
	char *err = NULL;
	const char *problem = NULL;
	long line;
	struct session *s;
	memset(&r, 0, sizeof r);
	j = journal_open("s/journal.jsonl", &r, &err);
	assert_non_null(j);
	line = journal_last_seq(j) + 1;
	journal_read_free(&r);
	for (size_t i = 0; i < n; i++)
		k[i] = fx_key(seeds[i]);
	assert_int_equal(journal_append(j, type, actor, cJSON_Parse(payload_json), k, sides, n, NULL,
					&err), 0);
	for (size_t i = 0; i < n; i++)
		keys_lock(k[i]);
	journal_close(j);
	s = session_load("s/journal.jsonl", &err);
	assert_non_null(s);
	assert_int_equal(session_problem(s, &problem), line);
	if (!strstr(problem, needle))
		fail_msg("\"%s\" does not say \"%s\"", problem, needle);
	session_free(s);
}

static const unsigned char SA[] = { 0x11 }, SB[] = { 0x22 }, SX[] = { 0x33 };
static const int A_[] = { CK_SIDE_A }, B_[] = { CK_SIDE_B };

static void verified_base(bool verify)
{
	struct session *s = open_run();
	char *err = NULL;
	if (verify) {
		fx_verify_plan(s);
	} else {
		assert_int_equal(session_sitting_open(s, both, &err), 0);
		assert_int_equal(session_plan_approve(s, CK_SIDE_A, &err), 0);
	}
	session_free(s);
}

static void test_session_forged_confirm_by_wrong_operator(void **state)
{
	(void)state;
	verified_base(true);
	forge("step.confirm", CK_SIDE_B, "{\"step\":\"prereq.licences\",\"resources\":\"x\"}", SB, B_, 1,
	      "belongs to operator A");
}

static void test_session_forged_actor_not_signer(void **state)
{
	(void)state;
	verified_base(true);
	forge("note", CK_SIDE_A, "{\"text\":\"hello\"}", SB, B_, 1, "not signed by operator A");
}

static void test_session_forged_foreign_key(void **state)
{
	(void)state;
	verified_base(true);
	forge("note", CK_SIDE_A, "{\"text\":\"hello\"}", SX, A_, 1, "does not match the plan's key");
}

static void test_session_forged_skip_with_one_signature(void **state)
{
	(void)state;
	verified_base(true);
	forge("step.skip", CK_SIDE_A, "{\"step\":\"prereq.licences\",\"reason\":\"why not\"}", SA, A_, 1,
	      "both operators");
}

static void test_session_forged_deviation_with_one_signature(void **state)
{
	(void)state;
	verified_base(true);
	forge("deviation", CK_SIDE_B, "{\"step\":null,\"reason\":\"alone\"}", SB, B_, 1,
	      "both operators");
}

static void test_session_forged_step_before_verification(void **state)
{
	(void)state;
	verified_base(false);
	forge("step.start", CK_SIDE_A, "{\"step\":\"prereq.licences\"}", SA, A_, 1,
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
	forge("plan.verify", CK_SIDE_A, payload, SA, A_, 1, "cannot verify their own plan");
}

static void test_session_forged_confirm_before_prerequisites(void **state)
{
	struct session *s = open_run();
	const struct catalogue *c;
	const char *blocked = NULL;
	char payload[512];
	int owner = CK_SIDE_A;
	(void)state;
	fx_verify_plan(s);
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
	forge("step.confirm", owner, payload, owner == CK_SIDE_A ? SA : SB,
	      owner == CK_SIDE_A ? A_ : B_, 1, "done first");
}

static void test_session_forged_evidence_form(void **state)
{
	(void)state;
	verified_base(true);
	forge("step.evidence", CK_SIDE_A,
	      "{\"step\":\"prereq.licences\",\"evidence\":\"licences\",\"value\":\"maybe\"}", SA, A_,
	      1, "not in the form");
}

static void test_session_forged_event_after_close(void **state)
{
	(void)state;
	fx_sample_ceremony("plan.yaml", "s", true, 0x11, 0x22);
	forge("note", CK_SIDE_A, "{\"text\":\"after the end\"}", SA, A_, 1, "closed");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_session_sample_ceremony_runs),
		T(test_session_whole_ceremony_completes),
		T(test_session_steps_refused_before_verification),
		T(test_session_author_approves_other_verifies),
		T(test_session_only_owner_confirms_and_other_witnesses),
		T(test_session_required_evidence_and_prerequisites),
		T(test_session_critical_step_needs_typed_name),
		T(test_session_skip_and_deviation_need_both),
		T(test_session_one_operator_sitting),
		T(test_session_unlock_from_keystore_and_file),
		T(test_session_keys_must_be_the_plans),
		T(test_session_run_refuses_demo_keys),
		T(test_session_same_person_twice_refused),
		T(test_session_resume_rebuilds_state),
		T(test_session_plan_change_needs_amendment),
		T(test_session_amendment_resets_changed_steps),
		T(test_session_write_failure_fails_closed),
		T(test_session_torn_tail_set_aside_by_both),
		T(test_session_clock_moves_only_in_rehearsal),
		T(test_session_rehearsal_with_demo_operators),
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
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
