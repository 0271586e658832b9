/* test_session_shared.c: two terminals, one journal. Two session handles
 * on one directory, each holding one operator, take turns appending: each
 * append first replays what the other wrote, so the chain never forks. A
 * line another process did not legitimately sign is refused and stops the
 * session. Presence: joining, leaving, and the other's ckwizard gone. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "buf.h"
#include "journal.h"
#include "report.h"
#include "keys.h"
#include "session.h"
#include "session_fixture.h"
#include "shared_fixture.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { SEED_A = 0x11, SEED_B = 0x22, SEED_STRANGER = 0x33 };

/* *err is read after the call (an argument's value could be taken first). */
static void need_ok(int rc, char **err)
{
	if (rc != 0)
		fail_msg("%s", *err ? *err : "?");
}

/* A and B, each at their terminal, both present in sitting 1. */
static void open_both(struct session **a, struct session **b)
{
	char *err = NULL;
	*a = shx_open(CK_SIDE_A, SEED_A, false, &err);
	if (!*a)
		fail_msg("%s", err);
	*b = shx_open(CK_SIDE_B, SEED_B, true, &err);
	if (!*b)
		fail_msg("%s", err);
	session_set_terminal(*a, "/dev/pts/7", "alice");
	session_set_terminal(*b, "/dev/pts/9", "bob");
	need_ok(session_join(*a, CK_SIDE_A, &err), &err);
	need_ok(session_join(*b, CK_SIDE_B, &err), &err);
	assert_false(session_is_present(*a, CK_SIDE_B));
	bool changed = false;
	need_ok(session_follow(*a, &changed, &err), &err); /* A replays B's join */
	assert_true(changed);
	assert_true(session_is_present(*a, CK_SIDE_B));
	assert_true(session_is_present(*b, CK_SIDE_A));
}

static long journal_lines(void)
{
	char *err = NULL;
	struct session *s = session_load("s/journal.jsonl", &err);
	const char *problem = NULL;
	assert_non_null(s);
	if (session_problem(s, &problem))
		fail_msg("the journal does not replay: %s", problem);
	long n = session_n_events(s);
	session_free(s);
	return n;
}

static void test_shared_two_handles_alternate(void **state)
{
	(void)state;
	struct session *a, *b;
	char *err = NULL;
	open_both(&a, &b);
	for (int i = 0; i < 25; i++) {
		need_ok(session_note(a, CK_SIDE_A, "from A", &err), &err);
		need_ok(session_note(b, CK_SIDE_B, "from B", &err), &err);
	}
	/* each handle's head follows the other's appends */
	bool changed = false;
	need_ok(session_follow(a, &changed, &err), &err);
	assert_true(changed);
	assert_string_equal(session_head(a), session_head(b));
	assert_int_equal(session_n_events(a), 3 + 50);
	assert_int_equal(journal_lines(), 3 + 50);
	need_ok(session_follow(a, &changed, &err), &err);
	assert_false(changed);
	/* the other operator's key is never unlocked here */
	assert_int_equal(session_unlock_key(a, CK_SIDE_B, fx_key(SEED_B), &err), -1);
	assert_non_null(strstr(err, "own terminal"));
	free(err);
	err = NULL;
	/* and nobody opens a second terminal as A */
	assert_null(shx_open(CK_SIDE_A, SEED_A, true, &err));
	assert_non_null(strstr(err, "operator A already has this session open"));
	free(err);
	err = NULL;
	/* nor one keyboard over a session where both sit at their terminals */
	assert_null(fx_open_plan("plan.yaml", "s", SESSION_RUN, &err));
	assert_non_null(strstr(err, "already has this session open"));
	free(err);
	session_free(a);
	session_free(b);
}

/* Append one line to s/journal.jsonl under the append lock, as a process
 * that does not follow the rules would. */
static void forge(const char *type, int actor, const char *payload, unsigned char seed)
{
	struct journal_read r, news;
	char *err = NULL;
	struct journal *j = journal_open_shared("s/journal.jsonl", &r, &err);
	assert_non_null(j);
	journal_read_free(&r);
	need_ok(journal_lock(j, true, &news, &err), &err);
	journal_read_free(&news);
	struct keys_private *k = fx_key(seed);
	int side = actor;
	need_ok(journal_append(j, type, actor, cJSON_Parse(payload), &k, &side, 1, NULL, &err), &err);
	keys_lock(k);
	journal_unlock(j);
	journal_close(j);
}

/* Lines in the file, whatever they hold. */
static long journal_lines_raw(void)
{
	FILE *f = fopen("s/journal.jsonl", "r");
	long n = 0;
	int ch;
	assert_non_null(f);
	while ((ch = fgetc(f)) != EOF)
		n += ch == '\n';
	fclose(f);
	return n;
}

/* The forged line is refused by the handle that meets it: nothing more is
 * appended, the reason is on screen (the blocker), both handles stop. */
static void refused_after(struct session *a, struct session *b, const char *needle)
{
	char *err = NULL;
	long before = journal_lines_raw();
	assert_int_equal(session_note(a, CK_SIDE_A, "after the forgery", &err), -1);
	if (!strstr(err, needle) || !strstr(err, "appended by another ckwizard"))
		fail_msg("%s", err);
	free(err);
	err = NULL;
	assert_true(session_failed(a));
	assert_int_equal(session_blocker(a), SESSION_FAILED);
	assert_non_null(strstr(session_blocker_text(a), needle));
	assert_int_equal(session_note(a, CK_SIDE_A, "again", &err), -1);
	free(err);
	err = NULL;
	bool changed;
	assert_int_equal(session_follow(b, &changed, &err), -1); /* the other screen says so */
	assert_non_null(strstr(err, needle));
	free(err);
	assert_int_equal(journal_lines_raw(), before);
}

static void test_shared_forged_signature_refused(void **state)
{
	(void)state;
	struct session *a, *b;
	open_both(&a, &b);
	/* "B" signed by a key the plan does not name */
	forge("note", CK_SIDE_B, "{\"text\":\"forged\"}", SEED_STRANGER);
	refused_after(a, b, "signature does not match");
	session_free(a);
	session_free(b);
}

static void test_shared_forged_rule_refused(void **state)
{
	(void)state;
	struct session *a, *b;
	open_both(&a, &b);
	/* B's own key, but B cannot verify a plan nobody approved */
	forge("plan.verify", CK_SIDE_B,
	      "{\"version\":1,\"plan_sha256\":\"x\",\"checklist\":{},\"acknowledged\":[]}", SEED_B);
	refused_after(a, b, "approve the plan before");
	session_free(a);
	session_free(b);
}

static void test_shared_broken_chain_refused(void **state)
{
	(void)state;
	struct session *a, *b;
	char *err = NULL;
	open_both(&a, &b);
	FILE *f = fopen("s/journal.jsonl", "a");
	assert_non_null(f);
	fputs("{\"seq\":99}\n", f);
	fclose(f);
	assert_int_equal(session_note(a, CK_SIDE_A, "after", &err), -1);
	assert_non_null(strstr(err, "breaks the chain"));
	free(err);
	assert_true(session_failed(a));
	session_free(a);
	session_free(b);
}

static void test_shared_presence(void **state)
{
	(void)state;
	struct session *a, *b;
	char *err = NULL;
	open_both(&a, &b);
	need_ok(session_leave(b, CK_SIDE_B, false, &err), &err);
	assert_false(session_is_present(b, CK_SIDE_B));
	need_ok(session_note(a, CK_SIDE_A, "alone", &err), &err);
	assert_false(session_is_present(a, CK_SIDE_B));
	/* B cannot act outside the sitting; joining again brings B back */
	assert_int_equal(session_note(b, CK_SIDE_B, "not here", &err), -1);
	free(err);
	err = NULL;
	need_ok(session_join(b, CK_SIDE_B, &err), &err);
	need_ok(session_note(b, CK_SIDE_B, "back", &err), &err);
	/* nothing lost while B's ckwizard runs */
	assert_int_equal(session_notice_lost(a, CK_SIDE_A, &err), 0);
	session_free(b);  /* B's process ends without leaving (killed) */
	assert_false(session_other_here(a, CK_SIDE_B));
	assert_int_equal(session_notice_lost(a, CK_SIDE_A, &err), 1);
	assert_false(session_is_present(a, CK_SIDE_B));
	/* the last one leaving closes the sitting */
	need_ok(session_leave(a, CK_SIDE_A, true, &err), &err);
	struct session_sitting st;
	session_sitting(a, &st);
	assert_false(st.open);
	session_free(a);
	/* open, sitting, join; leave, note, join, note, lost, close */
	assert_int_equal(journal_lines(), 3 + 6);
	/* the report says who came and went, and where each signature came from */
	struct session *r = session_load("s/journal.jsonl", &err);
	struct buf md = BUF_INIT, js = BUF_INIT;
	assert_non_null(r);
	report_render(r, REPORT_MD, &md);
	report_render(r, REPORT_JSON, &js);
	buf_putc(&md, '\0');
	buf_putc(&js, '\0');
	const char *want[] = { "Presence and terminals", " left", " was lost",
			       "two-terminals, /dev/pts/7, user alice",
			       "two-terminals, /dev/pts/9, user bob" };
	for (size_t i = 0; i < CK_ARRAY_LEN(want); i++)
		if (!strstr(md.p, want[i]))
			fail_msg("the report lacks \"%s\":\n%s", want[i], md.p);
	assert_non_null(strstr(js.p, "\"presence\""));
	assert_non_null(strstr(js.p, "\"lost\""));
	buf_free(&md);
	buf_free(&js);
	session_free(r);
}

/* The other process's claim dies with it, however it dies. */
static void test_shared_claim_dies_with_process(void **state)
{
	(void)state;
	struct session *a;
	char *err = NULL;
	a = shx_open(CK_SIDE_A, SEED_A, false, &err);
	assert_non_null(a);
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *e = NULL;
		struct session *b = shx_open(CK_SIDE_B, SEED_B, true, &e);
		char c = b ? 'y' : 'n';
		(void)!write(go[1], &c, 1);
		pause();
		_exit(0);
	}
	char c = 0;
	assert_int_equal(read(go[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	assert_true(session_other_here(a, CK_SIDE_B));
	kill(pid, SIGKILL);
	int status;
	waitpid(pid, &status, 0);
	assert_false(session_other_here(a, CK_SIDE_B));
	close(go[0]);
	close(go[1]);
	session_free(a);
}

static bool follow(struct session *s)
{
	bool changed = false;
	char *err = NULL;
	need_ok(session_follow(s, &changed, &err), &err);
	return changed;
}

/* A deviation, asked at A's terminal, signed at B's: one line, both
 * signatures, neither process ever held the other's key. */
static void test_shared_cosign(void **state)
{
	(void)state;
	struct session *a, *b;
	char *err = NULL, *what = NULL;
	open_both(&a, &b);
	long before = session_n_events(a);
	assert_int_equal(session_deviation(a, NULL, "the change window moved", &err), -1);
	assert_non_null(strstr(err, "Sent to Bob"));
	free(err);
	err = NULL;
	assert_int_equal(session_cosign_state(a), SESSION_COSIGN_WAITING);
	assert_int_equal(session_n_events(a), before); /* nothing recorded yet */
	follow(b);
	assert_int_equal(session_cosign_offer(b, &what, &err), 1);
	if (!strstr(what, "(operator A) asks you to co-sign") || !strstr(what, "change window moved"))
		fail_msg("%s", what);
	free(what);
	assert_int_equal(session_cosign_offer(b, &what, &err), 0); /* shown once */
	need_ok(session_cosign_accept(b, CK_SIDE_B, &err), &err);
	assert_true(follow(a));
	assert_int_equal(session_cosign_state(a), SESSION_COSIGN_SIGNED);
	assert_int_equal(session_n_events(a), before + 1);
	assert_string_equal(session_head(a), session_head(b));
	assert_int_equal(journal_lines(), before + 1);
	session_cosign_reset(a);

	/* stale: A records something after asking; B's signature is refused */
	assert_int_equal(session_deviation(a, NULL, "second", &err), -1);
	free(err);
	err = NULL;
	session_cosign_withdraw(a);
	assert_int_equal(session_deviation(a, NULL, "third", &err), -1);
	free(err);
	err = NULL;
	need_ok(session_note(a, CK_SIDE_A, "meanwhile", &err), &err);
	follow(b);
	assert_int_equal(session_cosign_offer(b, &what, &err), -1);
	assert_non_null(strstr(err, "stale"));
	free(err);
	err = NULL;
	assert_int_equal(journal_lines(), before + 2);
	follow(a);
	assert_int_equal(session_cosign_state(a), SESSION_COSIGN_DECLINED);
	session_cosign_reset(a);

	/* declined */
	assert_int_equal(session_deviation(a, NULL, "fourth", &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(session_cosign_offer(b, &what, &err), 1);
	free(what);
	session_cosign_decline(b);
	assert_int_equal(session_cosign_state(a), SESSION_COSIGN_DECLINED);
	session_cosign_reset(a);

	/* the closing, asked by B, signed by A: A's process writes the reports */
	assert_int_equal(session_close(b, &err), -1);
	free(err);
	err = NULL;
	follow(a);
	assert_int_equal(session_cosign_offer(a, &what, &err), 1);
	assert_non_null(strstr(what, "Close the ceremony"));
	free(what);
	need_ok(session_cosign_accept(a, CK_SIDE_A, &err), &err);
	assert_true(session_is_closed(a));
	struct stat st;
	assert_int_equal(stat("s/report.json", &st), 0);
	follow(b);
	assert_true(session_is_closed(b));
	session_free(a);
	session_free(b);
	assert_int_equal(journal_lines(), before + 3);
}

/* A request not signed by the plan's other operator is refused, never
 * co-signed. */
static void test_shared_cosign_forged_request(void **state)
{
	(void)state;
	struct session *a, *b;
	char *err = NULL, *what = NULL;
	open_both(&a, &b);
	assert_int_equal(session_deviation(a, NULL, "genuine", &err), -1);
	free(err);
	err = NULL;
	/* the stranger's signature in place of A's: flip a byte of it */
	char *text = fx_read_text("s/cosign.request");
	char *sig = strstr(text, "\"sig\":\"");
	assert_non_null(sig);
	sig[7] = sig[7] == 'A' ? 'B' : 'A';
	fx_write_text("s/cosign.request", "w", text);
	free(text);
	follow(b);
	assert_int_equal(session_cosign_offer(b, &what, &err), -1);
	assert_non_null(strstr(err, "valid signature"));
	free(err);
	err = NULL;
	assert_int_equal(session_cosign_accept(b, CK_SIDE_B, &err), -1);
	free(err);
	session_free(a);
	session_free(b);
	assert_int_equal(journal_lines(), 3);
}

/* An amendment asked where the changed plan file is (A), co-signed at B's
 * terminal: both take version 2, A keeps it as plan-v2.yaml, B verifies it
 * again at B's terminal. */
static void test_shared_cosign_amendment(void **state)
{
	(void)state;
	struct session *a, *b;
	char *err = NULL, *what = NULL;
	open_both(&a, &b);
	bool answers[32];
	const char *const *ids;
	for (size_t i = 0; i < session_n_checklist; i++)
		answers[i] = true;
	need_ok(session_plan_approve(a, CK_SIDE_A, &err), &err);
	follow(b);
	size_t n = session_plan_warnings(b, &ids, NULL);
	need_ok(session_plan_verify(b, CK_SIDE_B, answers, ids, n, &err), &err);
	/* A quits, changes the vault names in the plan, and comes back */
	need_ok(session_leave(a, CK_SIDE_A, false, &err), &err);
	session_free(a);
	char *text = fx_read_text("plan.yaml");
	char *at = strstr(text, "-Vault{side}");
	assert_non_null(at);
	*at = '\0';
	char *changed = xasprintf("%s-Vlt%s", text, at + strlen("-Vault"));
	fx_write_text("plan.yaml", "w", changed);
	free(changed);
	free(text);
	a = shx_open(CK_SIDE_A, SEED_A, false, &err);
	if (!a)
		fail_msg("%s", err);
	assert_int_equal(session_blocker(a), SESSION_PLAN_CHANGED);
	need_ok(session_join(a, CK_SIDE_A, &err), &err);
	assert_int_equal(session_amend(a, &err), -1);
	if (!strstr(err, "Sent to"))
		fail_msg("amend: [%s]", err);
	free(err);
	err = NULL;
	follow(b);
	assert_int_equal(session_cosign_offer(b, &what, &err), 1);
	if (!strstr(what, "Amend the plan to version 2") || !strstr(what, "Vlt{side}"))
		fail_msg("%s", what);
	free(what);
	need_ok(session_cosign_accept(b, CK_SIDE_B, &err), &err);
	follow(a);
	assert_int_equal(session_cosign_state(a), SESSION_COSIGN_SIGNED);
	struct session_plan_status pa, pb;
	session_plan_status(a, &pa);
	session_plan_status(b, &pb);
	assert_int_equal(pa.version, 2);
	assert_int_equal(pb.version, 2);
	assert_false(pa.file_differs);
	assert_int_equal(session_blocker(a), SESSION_OK);
	assert_false(pb.verified);
	struct stat st;
	assert_int_equal(stat("s/plan-v2.yaml", &st), 0);
	/* B verifies version 2 at B's terminal */
	n = session_plan_warnings(b, &ids, NULL);
	need_ok(session_plan_verify(b, CK_SIDE_B, answers, ids, n, &err), &err);
	follow(a);
	session_plan_status(a, &pa);
	assert_true(pa.verified);
	session_free(a);
	session_free(b);
	journal_lines();
}

/* sim.json under the same lock: each terminal performs on the simulator
 * after reading what the other saved, so neither's change is lost. */
static void test_shared_simulator(void **state)
{
	(void)state;
	char *err = NULL;
	struct session *s = fx_open("plan.yaml", "s", SESSION_REHEARSAL, SEED_A, SEED_B);
	fx_verify_plan(s);
	assert_int_equal(fx_run_steps(s, 6), 6); /* up to the retention registrations */
	session_free(s);
	struct session *a = shx_open_mode(CK_SIDE_A, SEED_A, false, SESSION_REHEARSAL, &err);
	if (!a)
		fail_msg("%s", err);
	struct session *b = shx_open_mode(CK_SIDE_B, SEED_B, true, SESSION_REHEARSAL, &err);
	if (!b)
		fail_msg("%s", err);
	need_ok(session_join(a, CK_SIDE_A, &err), &err);
	need_ok(session_join(b, CK_SIDE_B, &err), &err);
	need_ok(session_step_perform(a, CK_SIDE_A, "retention.register/A", NULL, &err), &err);
	need_ok(session_step_perform(b, CK_SIDE_B, "retention.register/B", NULL, &err), &err);
	need_ok(session_step_perform(a, CK_SIDE_A, "retention.register/A", NULL, &err), &err);
	session_free(a);
	session_free(b);
	/* both registrations are in the simulator's file */
	char *text = fx_read_text("s/sim.json");
	size_t requested = 0;
	for (const char *p = text; (p = strstr(p, "\"featureRequested\":")); p++) {
		const char *v = p + strlen("\"featureRequested\":");
		v += strspn(v, " \t");
		requested += *v != '0';
	}
	free(text);
	assert_int_equal(requested, 2);
}

/* The first sitting's closing line in the JSON report of the journal. */
static long first_sitting_closed_line(void)
{
	char *err = NULL;
	struct session *r = session_load("s/journal.jsonl", &err);
	struct buf js = BUF_INIT;
	assert_non_null(r);
	report_render(r, REPORT_JSON, &js);
	buf_putc(&js, '\0');
	cJSON *doc = cJSON_Parse(js.p);
	assert_non_null(doc);
	cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "sittings"), 0);
	cJSON *closed = cJSON_GetObjectItemCaseSensitive(st, "closed");
	cJSON *line = cJSON_GetObjectItemCaseSensitive(closed, "line");
	long n = cJSON_IsNumber(line) ? (long)line->valuedouble : 0;
	cJSON_Delete(doc);
	buf_free(&js);
	session_free(r);
	return n;
}

/* A sat alone and their ckwizard died (kill -9): B, who was never in that
 * sitting and so cannot sign its close, opens the next sitting alone at
 * one keyboard; the new sitting ends the dead one at the time of its last
 * line, and the journal replays. */
static void test_shared_stale_sitting_one_keyboard(void **state)
{
	(void)state;
	char *err = NULL;
	struct session *a = shx_open(CK_SIDE_A, SEED_A, false, &err);
	if (!a)
		fail_msg("%s", err);
	need_ok(session_join(a, CK_SIDE_A, &err), &err);
	need_ok(session_note(a, CK_SIDE_A, "A alone", &err), &err);
	session_free(a); /* killed: no leave, no close */
	long last = journal_lines();
	fx_now += 3600;
	struct session *b = fx_open_plan("plan.yaml", "s", SESSION_RUN, &err);
	if (!b)
		fail_msg("%s", err);
	need_ok(session_unlock_key(b, CK_SIDE_B, fx_key(SEED_B), &err), &err);
	const bool only_b[CK_SIDES] = { false, true };
	need_ok(session_sitting_open(b, only_b, &err), &err);
	struct session_sitting st;
	session_sitting(b, &st);
	assert_true(st.open);
	assert_int_equal(st.number, 2);
	/* it ends the dead sitting, nothing more: B alone cannot close the
	 * ceremony or act for A */
	assert_int_equal(session_close(b, &err), -1);
	free(err);
	err = NULL;
	session_free(b);
	assert_int_equal(journal_lines(), last + 1);
	assert_int_equal(first_sitting_closed_line(), last);
	/* the report says it was last seen then, not closed */
	struct session *r = session_load("s/journal.jsonl", &err);
	struct buf md = BUF_INIT;
	assert_non_null(r);
	report_render(r, REPORT_MD, &md);
	buf_putc(&md, '\0');
	if (!strstr(md.p, "ended by the next sitting"))
		fail_msg("the report does not say the sitting was ended:\n%s", md.p);
	buf_free(&md);
	session_free(r);
}

/* The same across two terminals: B joins a sitting whose only operator's
 * ckwizard is gone, and opens the next one instead of sitting down beside
 * nobody; while A's ckwizard runs, B joins A's sitting as before. */
static void test_shared_stale_sitting_join(void **state)
{
	(void)state;
	char *err = NULL;
	struct session *a = shx_open(CK_SIDE_A, SEED_A, false, &err);
	if (!a)
		fail_msg("%s", err);
	need_ok(session_join(a, CK_SIDE_A, &err), &err);
	session_free(a); /* killed */
	long last = journal_lines();
	struct session *b = shx_open(CK_SIDE_B, SEED_B, true, &err);
	if (!b)
		fail_msg("%s", err);
	need_ok(session_join(b, CK_SIDE_B, &err), &err);
	struct session_sitting st;
	session_sitting(b, &st);
	assert_int_equal(st.number, 2);
	assert_false(session_is_present(b, CK_SIDE_A));
	/* A comes back while B sits: A joins B's sitting, it does not end it */
	a = shx_open(CK_SIDE_A, SEED_A, false, &err);
	if (!a)
		fail_msg("%s", err);
	need_ok(session_join(a, CK_SIDE_A, &err), &err);
	session_sitting(a, &st);
	assert_int_equal(st.number, 2);
	assert_true(session_is_present(a, CK_SIDE_B));
	session_free(a);
	session_free(b);
	assert_int_equal(journal_lines(), last + 2);
	assert_int_equal(first_sitting_closed_line(), last);
}

/* B's ckwizard dies in the middle of writing its line. A, at the other
 * terminal, sets the torn line aside there; nothing but presence and the
 * deviation that records it is taken until B, back at their own terminal,
 * co-signs that deviation. Neither process holds the other's key. */
static void test_shared_torn_tail_two_terminals(void **state)
{
	(void)state;
	struct session *a, *b;
	char *err = NULL, *what = NULL;
	struct stat st;
	open_both(&a, &b);
	session_free(b); /* killed while writing: */
	assert_int_equal(stat("s/journal.jsonl", &st), 0);
	long off = (long)st.st_size;
	fx_write_text("s/journal.jsonl", "a", "{\"seq\":4,\"time\":\"2026-11-");
	assert_int_equal(session_note(a, CK_SIDE_A, "after", &err), -1);
	free(err);
	err = NULL;
	assert_int_equal(session_blocker(a), SESSION_TORN_TAIL);
	assert_false(session_torn_set_aside(a));
	/* A sets it aside at their terminal, alone: kept, not yet recorded */
	assert_int_equal(session_set_aside_tail(a, NULL, &err), 1);
	assert_true(session_torn_set_aside(a));
	char *side = xasprintf("s/journal.jsonl.torn-%ld", off);
	assert_int_equal(stat(side, &st), 0);
	free(side);
	assert_int_equal(session_note(a, CK_SIDE_A, "not yet", &err), -1);
	free(err);
	err = NULL;
	/* B starts again and finds it set aside, waiting for the deviation */
	b = shx_open(CK_SIDE_B, SEED_B, true, &err);
	if (!b)
		fail_msg("%s", err);
	assert_int_equal(session_blocker(b), SESSION_TORN_TAIL);
	assert_true(session_torn_set_aside(b));
	need_ok(session_join(b, CK_SIDE_B, &err), &err);
	/* A asks, B co-signs at their own terminal */
	assert_int_equal(session_set_aside_tail(a, "B's ckwizard was killed mid-line", &err), -1);
	assert_non_null(strstr(err, "Sent to"));
	free(err);
	err = NULL;
	assert_int_equal(session_cosign_state(a), SESSION_COSIGN_WAITING);
	assert_int_equal(session_cosign_offer(b, &what, &err), 1);
	assert_non_null(strstr(what, "cut off"));
	free(what);
	need_ok(session_cosign_accept(b, CK_SIDE_B, &err), &err);
	assert_int_equal(session_blocker(b), SESSION_OK);
	(void)follow(a);
	assert_int_equal(session_cosign_state(a), SESSION_COSIGN_SIGNED);
	assert_int_equal(session_blocker(a), SESSION_OK);
	need_ok(session_note(a, CK_SIDE_A, "going on", &err), &err);
	need_ok(session_note(b, CK_SIDE_B, "me too", &err), &err);
	session_free(a);
	session_free(b);
	/* open, approve..., the deviation with its offset; the journal replays */
	char *text = fx_read_text("s/journal.jsonl");
	char *want = xasprintf("\"torn_offset\":%ld", off);
	assert_non_null(strstr(text, want));
	free(want);
	free(text);
	(void)journal_lines();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shared_two_handles_alternate, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_forged_signature_refused, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_forged_rule_refused, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_broken_chain_refused, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_presence, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_claim_dies_with_process, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_cosign, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_cosign_forged_request, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_cosign_amendment, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_simulator, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_stale_sitting_one_keyboard, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_stale_sitting_join, fx_setup_plan, fx_teardown_plan),
		cmocka_unit_test_setup_teardown(test_shared_torn_tail_two_terminals, fx_setup_plan, fx_teardown_plan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
