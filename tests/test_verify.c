/* test_verify.c: verify catches every change to the sample ceremony journal
 * (tests/journals/sample.jsonl, built through the session API by the
 * fixture: see tests/journals/README), and the anchors catch what a
 * self-consistent rewrite hides. */
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
#include "session_fixture.h"
#include "session/session_int.h"
#include "util.h"
#include "verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	*state = fx_setup();
	return 0;
}

static int teardown(void **state)
{
	fx_teardown(*state);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	if (!f)
		fail_msg("cannot read %s", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_steal(&b);
}

static void spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int verify(const char *journal, const char *plan, const char *head, const char *report,
		  struct buf *out)
{
	struct verify_anchors a = { plan, head, report };
	buf_reset(out);
	return verify_journal(journal, &a, out);
}

static int verify_quiet(const char *journal)
{
	struct buf out = BUF_INIT;
	int rc = verify(journal, NULL, NULL, NULL, &out);
	buf_free(&out);
	return rc;
}

/* The shipped sample of today's journal format is what the fixture builds
 * today, byte for byte: the session writes reproducible journals.
 * CK_WRITE_SAMPLE=1 regenerates it. (sample.jsonl is the same ceremony in
 * journal format 1, kept as it was recorded: it must keep verifying.) */
static void test_verify_sample_is_reproducible(void **state)
{
	char *plan = fx_src("tests/journals/sample-plan.yaml");
	char *shipped = fx_src("tests/journals/sample-v2.jsonl");
	size_t a_len, b_len;
	char *a, *b;
	(void)state;
	if (getenv("CK_WRITE_SAMPLE")) {
		fx_write_plan("plan.yaml", 0x11, 0x22);
		a = slurp("plan.yaml", &a_len);
		spit(plan, a, a_len);
		free(a);
	}
	a = slurp(plan, &a_len);
	spit("sample-plan.yaml", a, a_len);
	free(a);
	fx_sample_ceremony("sample-plan.yaml", "sess", true, 0x11, 0x22);
	a = slurp("sess/journal.jsonl", &a_len);
	if (getenv("CK_WRITE_SAMPLE"))
		spit(shipped, a, a_len);
	b = slurp(shipped, &b_len);
	assert_int_equal(a_len, b_len);
	assert_memory_equal(a, b, a_len);
	free(a);
	free(b);
	free(plan);
	free(shipped);
}

/* A journal recorded under the first step catalogue (the shipped sample has
 * no "catalogue" in session.open) replays with that catalogue's steps, while
 * a session opened today on the same plan gets the current one and records
 * it. Adding a step must never break an older journal. */
static void test_verify_old_catalogue_replays_as_recorded(void **state)
{
	char *plan = fx_src("tests/journals/sample-plan.yaml");
	char *journal = fx_src("tests/journals/sample.jsonl");
	struct session *s = session_load(journal, NULL);
	char *err = NULL;
	size_t len;
	(void)state;
	assert_non_null(s);
	assert_int_equal(session_problem(s, NULL), 0);
	assert_int_equal(session_catalogue(s)->version, 1);
	assert_null(catalogue_find(session_catalogue(s), "sp.register/EX"));
	assert_non_null(catalogue_find(session_catalogue(s), "vault.service/EX-USA_mailboxes/A"));
	session_free(s);

	char *bytes = slurp(plan, &len);
	spit("plan-v2.yaml", bytes, len);
	s = fx_open_plan("plan-v2.yaml", "sess-v2", SESSION_RUN, &err);
	assert_non_null(s);
	assert_int_equal(session_catalogue(s)->version, STEPS_CATALOGUE_VERSION);
	assert_true(STEPS_CATALOGUE_VERSION >= 2);
	const struct step *sv = catalogue_find(session_catalogue(s), "vault.service/EX-USA_mailboxes/A");
	assert_non_null(catalogue_find(session_catalogue(s), "sp.register/EX"));
	bool needs_sp = false;
	for (size_t k = 0; k < sv->n_prereqs; k++)
		needs_sp |= strcmp(sv->prereqs[k], "sp.register/EX") == 0;
	assert_true(needs_sp);
	session_free(s);
	/* ... and the new journal says so, so it replays as that version */
	char *j2 = slurp("sess-v2/journal.jsonl", &len);
	char *want = xasprintf("\"catalogue\":%u", STEPS_CATALOGUE_VERSION);
	assert_non_null(strstr(j2, want));
	free(want);
	s = session_load("sess-v2/journal.jsonl", NULL);
	assert_non_null(s);
	assert_int_equal(session_catalogue(s)->version, STEPS_CATALOGUE_VERSION);
	session_free(s);
	assert_int_equal(verify_quiet("sess-v2/journal.jsonl"), CK_EXIT_OPEN);
	free(j2);
	free(bytes);
	free(plan);
	free(journal);
}

/* The offboarding ceremony is a session of its own: recorded as such in
 * session.open, replayed with the offboarding steps only, and a resume that
 * asks for the other ceremony is refused. */
static void test_verify_offboarding_is_its_own_ceremony(void **state)
{
	char *plan = fx_src("tests/journals/sample-plan.yaml");
	struct session_opts o;
	char *err = NULL;
	size_t len;
	(void)state;
	char *bytes = slurp(plan, &len);
	spit("plan-off.yaml", bytes, len);
	memset(&o, 0, sizeof o);
	o.plan_path = "plan-off.yaml";
	o.dir = "sess-off";
	o.mode = SESSION_RUN;
	o.offboarding = true;
	struct session *s = session_open(&o, &err);
	assert_non_null(s);
	const struct catalogue *c = session_catalogue(s);
	assert_true(c->offboarding);
	assert_true(c->n_steps >= 4);
	for (size_t i = 0; i < c->n_steps; i++) {
		assert_int_equal(strncmp(c->steps[i].id, "offboard.", 9), 0);
		assert_true(c->steps[i].critical && c->steps[i].witness);
	}
	session_free(s);
	char *j = slurp("sess-off/journal.jsonl", &len);
	assert_non_null(strstr(j, "\"ceremony\":\"offboarding\""));
	free(j);
	s = session_load("sess-off/journal.jsonl", NULL);
	assert_non_null(s);
	assert_true(session_catalogue(s)->offboarding);
	session_free(s);
	o.offboarding = false; /* the same directory as the onboarding ceremony: refused */
	assert_null(session_open(&o, &err));
	assert_non_null(strstr(err, "offboarding"));
	free(err);
	free(bytes);
	free(plan);
}

static void test_verify_sample_holds_with_every_anchor(void **state)
{
	char *plan = fx_src("tests/journals/sample-plan.yaml");
	char *journal = fx_src("tests/journals/sample.jsonl");
	struct session *s = session_load(journal, NULL);
	struct buf out = BUF_INIT, rep = BUF_INIT;
	(void)state;
	assert_non_null(s);
	report_render(s, REPORT_HTML, &rep);
	spit("report.html", rep.p, rep.len);
	assert_int_equal(verify(journal, plan, session_head(s), "report.html", &out), CK_EXIT_OK);
	assert_non_null(strstr(out.p, "ok    plan anchor"));
	assert_non_null(strstr(out.p, "ok    head anchor"));
	assert_non_null(strstr(out.p, "ok    report anchor"));
	/* Without anchors it still holds, and says what it did not check. */
	assert_int_equal(verify(journal, NULL, NULL, NULL, &out), CK_EXIT_OK);
	assert_non_null(strstr(out.p, "plan anchor not checked"));
	assert_non_null(strstr(out.p, "head anchor not checked"));
	/* A report changed by one byte is not the report of this journal. */
	rep.p[rep.len / 2] ^= 0x20;
	spit("report2.html", rep.p, rep.len);
	assert_int_equal(verify(journal, NULL, NULL, "report2.html", &out), CK_EXIT_FAIL);
	buf_free(&out);
	buf_free(&rep);
	session_free(s);
	free(plan);
	free(journal);
}

/* The state verify has built when it reaches a line: the lines before it. */
static struct session *state_before(const char *bytes, size_t start)
{
	struct session *s;
	if (start) {
		spit("prefix.jsonl", bytes, start);
		s = session_load("prefix.jsonl", NULL);
		assert_non_null(s);
		assert_int_equal(session_problem(s, NULL), 0);
		return s;
	}
	s = xcalloc(1, sizeof *s);
	s->verifier = CK_SIDE_NONE;
	return s;
}

/* Every single-byte change anywhere in the sample is refused. The lines
 * before the changed one are replayed once per line (the state verify has
 * when it reaches it); each changed line is then read by the chain reader
 * and, when that holds, applied with its signatures and rules exactly as
 * verify does. Each byte gets one change, the low bit, the case bit or the
 * high bit in turn (every byte changed; each kind of change everywhere). */
static void test_verify_every_byte_change_is_detected(void **state)
{
	char *journal = fx_src("tests/journals/sample.jsonl");
	size_t len, start = 0, checked = 0;
	char *bytes = slurp(journal, &len);
	long line = 1;
	static const unsigned char deltas[] = { 0x01, 0x20, 0x80 };
	(void)state;
	while (start < len) {
		size_t end = start;
		struct session *pre;
		while (end < len && bytes[end] != '\n')
			end++;
		end++; /* with its newline */
		pre = state_before(bytes, start);
		for (size_t off = start; off < end; off++) {
			char saved = bytes[off];
			{
				size_t d = off % sizeof deltas;
				struct journal_read r;
				memset(&r, 0, sizeof r);
				bytes[off] = (char)(saved ^ deltas[d]);
				journal_read_mem(bytes, end, &r);
				if (r.problem == JPROB_NONE) {
					char *why = NULL;
					assert_int_equal(r.n, (size_t)line);
					if (sess_apply(pre, &r.ev[line - 1], true, &why) == 0)
						fail_msg("line %ld byte %zu ^0x%02x accepted", line, off,
							 deltas[d]);
					free(why);
					/* a refused event may have touched the state: rebuild */
					session_free(pre);
					pre = state_before(bytes, start);
				} else {
					assert_true(r.problem_line <= line);
				}
				journal_read_free(&r);
				checked++;
			}
			bytes[off] = saved;
		}
		session_free(pre);
		start = end;
		line++;
	}
	assert_int_equal(checked, len);
	free(bytes);
	free(journal);
}

/* Split the sample into lines (each with its newline). */
static size_t lines_of(char *bytes, size_t len, char **lines, size_t *lens, size_t cap)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i < len && n < cap; i++)
		if (bytes[i] == '\n') {
			lines[n] = bytes + start;
			lens[n++] = i + 1 - start;
			start = i + 1;
		}
	return n;
}

static void write_lines(const char *path, char **lines, size_t *lens, const size_t *order,
			size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_add(&b, lines[order[i]], lens[order[i]]);
	spit(path, b.p ? b.p : "", b.len);
	buf_free(&b);
}

static void test_verify_reordered_deleted_inserted_lines_fail(void **state)
{
	char *journal = fx_src("tests/journals/sample.jsonl");
	size_t len, n, order[1024], lens[1024];
	char *bytes = slurp(journal, &len), *lines[1024];
	struct buf out = BUF_INIT;
	(void)state;
	n = lines_of(bytes, len, lines, lens, 1024);
	assert_true(n > 10 && n < 1024);
	for (size_t k = 1; k + 1 < n; k++) {
		size_t m = 0;
		/* swap line k and k+1 */
		for (size_t i = 0; i < n; i++)
			order[i] = i == k ? k + 1 : i == k + 1 ? k : i;
		write_lines("j.jsonl", lines, lens, order, n);
		assert_int_equal(verify("j.jsonl", NULL, NULL, NULL, &out), CK_EXIT_FAIL);
		assert_non_null(strstr(out.p, "line"));
		/* delete line k (not the last: a cut tail is the head anchor's job) */
		for (size_t i = 0; i < n; i++)
			if (i != k)
				order[m++] = i;
		write_lines("j.jsonl", lines, lens, order, m);
		assert_int_equal(verify("j.jsonl", NULL, NULL, NULL, &out), CK_EXIT_FAIL);
		/* insert a copy of line k after it */
		m = 0;
		for (size_t i = 0; i < n; i++) {
			order[m++] = i;
			if (i == k)
				order[m++] = i;
		}
		write_lines("j.jsonl", lines, lens, order, m);
		assert_int_equal(verify("j.jsonl", NULL, NULL, NULL, &out), CK_EXIT_FAIL);
	}
	buf_free(&out);
	free(bytes);
	free(journal);
}

/* A tail cut off after a whole line is a valid, open journal: only the head
 * noted on paper shows that lines are missing. */
static void test_verify_cut_tail_caught_by_head(void **state)
{
	char *journal = fx_src("tests/journals/sample.jsonl");
	size_t len, n, lens[1024], order[1024];
	char *bytes = slurp(journal, &len), *lines[1024];
	struct session *s = session_load(journal, NULL);
	struct buf out = BUF_INIT;
	char head[65];
	(void)state;
	memcpy(head, session_head(s), sizeof head);
	n = lines_of(bytes, len, lines, lens, 1024);
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	write_lines("cut.jsonl", lines, lens, order, n - 3);
	assert_int_equal(verify("cut.jsonl", NULL, NULL, NULL, &out), CK_EXIT_OPEN);
	assert_int_equal(verify("cut.jsonl", NULL, head, NULL, &out), CK_EXIT_FAIL);
	assert_non_null(strstr(out.p, "not in this journal"));
	/* The full journal against an earlier head: lines were added after it. */
	assert_int_equal(verify(journal, NULL, s->ev[n - 4].hash, NULL, &out), CK_EXIT_FAIL);
	assert_non_null(strstr(out.p, "added after it"));
	assert_int_equal(verify(journal, NULL, "xyz", NULL, &out), CK_EXIT_FAIL);
	buf_free(&out);
	session_free(s);
	free(bytes);
	free(journal);
}

/* The same ceremony rewritten end to end with other keys (and a plan naming
 * them) is self-consistent: only the plan the team holds shows it. */
static void test_verify_rewrite_with_other_keys_caught_by_plan(void **state)
{
	char *plan = fx_src("tests/journals/sample-plan.yaml");
	struct buf out = BUF_INIT;
	(void)state;
	fx_write_plan("forged.yaml", 0x33, 0x44);
	fx_sample_ceremony("forged.yaml", "forged", true, 0x33, 0x44);
	assert_int_equal(verify("forged/journal.jsonl", NULL, NULL, NULL, &out), CK_EXIT_OK);
	assert_int_equal(verify("forged/journal.jsonl", plan, NULL, NULL, &out), CK_EXIT_FAIL);
	assert_non_null(strstr(out.p, "is not the plan in the journal"));
	assert_int_equal(verify("forged/journal.jsonl", "forged.yaml", NULL, NULL, &out), CK_EXIT_OK);
	buf_free(&out);
	free(plan);
}

/* A rehearsal signed by the bundled demo operators verifies, and says so. */
static void test_verify_flags_rehearsal_and_demo_keys(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml");
	struct session *s = fx_open(plan, "r", SESSION_REHEARSAL, 0, 0);
	struct buf out = BUF_INIT;
	(void)state;
	fx_verify_plan(s);
	session_free(s);
	assert_int_equal(verify("r/journal.jsonl", plan, NULL, NULL, &out), CK_EXIT_OPEN);
	assert_non_null(strstr(out.p, "DEMO KEYS"));
	assert_non_null(strstr(out.p, "REHEARSAL"));
	buf_free(&out);
	free(plan);
}

static void test_verify_missing_journal_is_bad_input(void **state)
{
	struct buf b = BUF_INIT;
	(void)state;
	assert_int_equal(verify_journal("/nonexistent/journal.jsonl", NULL, &b), CK_EXIT_INPUT);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_verify_sample_is_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_old_catalogue_replays_as_recorded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify_offboarding_is_its_own_ceremony, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify_sample_holds_with_every_anchor, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify_every_byte_change_is_detected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify_reordered_deleted_inserted_lines_fail,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_cut_tail_caught_by_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_rewrite_with_other_keys_caught_by_plan,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_flags_rehearsal_and_demo_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify_missing_journal_is_bad_input, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
