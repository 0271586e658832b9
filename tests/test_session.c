/* test_session.c: dual control enforced by the session, live: each rule is
 * tried through the API (refused, nothing written); resume, amendments,
 * write failures and torn tails. The same rules broken by a forged journal
 * (the replay side) are in test_session_forged.c. */
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

/* Open plan in dir with no key unlocked yet, as a fresh start or a resume
 * does. NULL (and *err) when refused. */
static struct session *open_plan(const char *plan, const char *dir, enum session_mode m,
				 char **err)
{
	struct session_opts o;
	memset(&o, 0, sizeof o);
	o.plan_path = plan;
	o.dir = dir;
	o.mode = m;
	return session_open(&o, err);
}

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

/* The owner records every evidence of the step, each accepted. */
static void give_evidence(struct session *s, int side, const struct step *st)
{
	char *err = NULL;
	for (size_t k = 0; k < st->n_evidence; k++) {
		char *v = fx_evidence(s, st, &st->evidence[k]);
		assert_int_equal(session_step_evidence(s, side, st->id, st->evidence[k].id, v, &err), 0);
		free(v);
	}
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

/* A plan file's text (plans are small), to edit. Caller frees. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = xcalloc(1, 65536);
	size_t len;
	assert_non_null(f);
	len = fread(text, 1, 65535, f);
	fclose(f);
	assert_true(len > 0);
	return text;
}

/* text written to path, opened with this fopen mode ("w" or "a"). */
static void write_text(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
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
	struct session *s = fx_open_verified();
	size_t n, waits_seen = 0, events_seen = 0;
	char *err = NULL;
	struct buf out = BUF_INIT;
	(void)state;
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
	struct session *s = fx_open_run();
	const struct step *st = &session_catalogue(s)->steps[0];
	char *err = NULL;
	long n;
	(void)state;
	assert_int_equal(session_sitting_open(s, fx_both, &err), 0);
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
	struct session *s = fx_open_run();
	bool yes[16];
	char *err = NULL;
	const char *const *ids;
	size_t nw = session_plan_warnings(s, &ids, NULL);
	(void)state;
	for (size_t i = 0; i < session_n_checklist; i++)
		yes[i] = true;
	assert_int_equal(session_sitting_open(s, fx_both, &err), 0);
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
	struct session *s = fx_open_verified();
	long i;
	const struct step *st;
	char *err = NULL;
	struct session_step_info info;
	(void)state;
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
	struct session *s = fx_open_verified();
	const struct catalogue *c;
	char *err = NULL;
	(void)state;
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
	struct session *s = fx_open_verified();
	const struct catalogue *c;
	const struct step *crit = NULL;
	char *err = NULL;
	(void)state;
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
	give_evidence(s, crit->owner, crit);
	refused(s, session_step_confirm(s, crit->owner, crit->id, NULL, &err), &err, "is critical");
	refused(s, session_step_confirm(s, crit->owner, crit->id, "Contoso-CK-EX-NA-VaultA2", &err),
		&err, crit->confirm_name);
	assert_int_equal(session_step_confirm(s, crit->owner, crit->id, crit->confirm_name, &err), 0);
	session_free(s);
}

static void test_session_skip_and_deviation_need_both(void **state)
{
	struct session *s = fx_open_verified();
	const struct step *st;
	struct session_step_info info;
	char *err = NULL;
	(void)state;
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
	struct session *s = fx_open_verified();
	bool only_a[CK_SIDES] = { true, false };
	long i;
	char *err = NULL;
	const struct step *st;
	(void)state;
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
	give_evidence(s, CK_SIDE_A, st);
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
	(void)state;
	assert_int_equal(keystore_enroll("ks", false, "Alice Ames", "alice@contoso.example", "pass-a",
					 &ea, &warn, &exists, &err), 0);
	free(warn);
	warn = NULL;
	assert_int_equal(keystore_enroll("ks2", false, "Bob Berg", "bob@contoso.example", "pass-b",
					 &eb, &warn, &exists, &err), 0);
	free(warn);
	text = read_text(src);
	{
		char *a = strstr(text, "ed25519:KP6+"), *b = strstr(text, "ed25519:sSxT");
		memcpy(a, ea.key_line, strlen(ea.key_line));
		memcpy(b, eb.key_line, strlen(eb.key_line));
	}
	write_text("ks.yaml", "w", text);
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
	struct session *s = fx_open_run();
	char *err = NULL;
	(void)state;
	session_lock(s, CK_SIDE_B);
	refused(s, session_unlock_key(s, CK_SIDE_B, fx_key(0x11), &err), &err, "one person cannot act as both");
	refused(s, session_unlock_key(s, CK_SIDE_B, fx_key(0x33), &err), &err, "not operator B's key");
	assert_false(session_is_unlocked(s, CK_SIDE_B));
	refused(s, session_sitting_open(s, fx_both, &err), &err, "operator B must unlock");
	session_free(s);
}

static void test_session_run_refuses_demo_keys(void **state)
{
	char *err = NULL, *plan = fx_src("plans/contoso-exchange.yaml");
	(void)state;
	assert_null(open_plan(plan, "demo", SESSION_RUN, &err));
	assert_non_null(strstr(err, "demo"));
	free(err);
	assert_null(fopen("demo/journal.jsonl", "r")); /* refused before any side effect */
	free(plan);
}

static void test_session_same_person_twice_refused(void **state)
{
	char *err = NULL;
	(void)state;
	fx_write_plan("twice.yaml", 0x11, 0x11);
	assert_null(open_plan("twice.yaml", "twice", SESSION_RUN, &err));
	if (!strstr(err, "same") && !strstr(err, "both operators"))
		fail_msg("%s", err);
	free(err);
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
	s = open_plan("plan.yaml", "s", SESSION_RUN, &err);
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
	assert_null(open_plan("plan.yaml", "s", SESSION_REHEARSAL, &err));
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
	write_text("plan.yaml", "a", "# amended: a note for the record\n");
	s = open_plan("plan.yaml", "s", SESSION_RUN, &err);
	assert_non_null(s);
	assert_int_equal(session_blocker(s), SESSION_PLAN_CHANGED);
	session_plan_status(s, &ps);
	assert_true(ps.file_differs);
	assert_non_null(strstr(ps.diff, "+ # amended: a note for the record"));
	both_return(s);
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
	text = read_text("plan.yaml");
	memcpy(strstr(text, "0a1b2c3d-1111-4aaa-8bbb-000000000001"),
	       "0a1b2c3d-1111-4aaa-8bbb-000000000009", 36);
	write_text("plan.yaml", "w", text);
	free(text);
	s = open_plan("plan.yaml", "s", SESSION_RUN, &err);
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
	refused(s, session_step_start(s, session_catalogue(s)->steps[i].owner,
				      session_catalogue(s)->steps[i].id, &err), &err, "could not be written");
	session_free(s);
}

static void test_session_torn_tail_set_aside_by_both(void **state)
{
	struct session *s = fx_open_verified();
	char *err = NULL;
	(void)state;
	session_free(s);
	write_text("s/journal.jsonl", "a", "{\"seq\":9,\"time\":\"2026-11-2");
	s = open_plan("plan.yaml", "s", SESSION_RUN, &err);
	assert_non_null(s);
	assert_int_equal(session_blocker(s), SESSION_TORN_TAIL);
	assert_non_null(strstr(session_blocker_text(s), "partial line"));
	assert_int_equal(session_unlock_key(s, CK_SIDE_A, fx_key(0x11), &err), 0);
	refused(s, session_set_aside_tail(s, "crash", &err), &err, "both operators");
	refused(s, session_note(s, CK_SIDE_A, "x", &err), &err, "partial line");
	assert_int_equal(session_unlock_key(s, CK_SIDE_B, fx_key(0x22), &err), 0);
	assert_int_equal(session_set_aside_tail(s, "Power cut during the last write.", &err), 0);
	assert_int_equal(session_blocker(s), SESSION_OK);
	replays_clean(s);
}

static void test_session_clock_moves_only_in_rehearsal(void **state)
{
	struct session *s = fx_open_verified();
	char *err = NULL;
	(void)state;
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

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fx_setup_plan, fx_teardown_plan)
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
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
