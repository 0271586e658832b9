/* test_journal.c: the journal file: round trips, the one fixed form, the
 * chain (every single-byte change, reordered, deleted, inserted lines),
 * locking, and payloads that cannot be written. Crashes, torn tails and
 * I/O failures are in test_journal_crash.c; the shared fixture (keys,
 * clock, sample journal) in journal_fixture.c. */
#include "config.h" /* _GNU_SOURCE: O_CLOEXEC with -std=c11 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ck.h"
#include "journal.h"
#include "journal_fixture.h"
#include "keys.h"
#include "pubkey.h"
#include "util.h"

static void test_journal_roundtrip(void **state)
{
	struct tj *t = *state;
	tj_sample(t);
	struct journal_read r;
	char *err = NULL;
	assert_int_equal(journal_read_file(t->path, &r, &err), 0);
	assert_int_equal(r.problem, JPROB_NONE);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.ev[0].type, "session.open");
	assert_int_equal(r.ev[0].actor, CK_SIDE_NONE);
	assert_string_equal(r.ev[0].prev, "0000000000000000000000000000000000000000000000000000000000000000");
	assert_string_equal(r.ev[1].time, "2026-09-21T14:13:20Z");
	assert_int_equal(r.ev[1].n_sigs, 2);
	assert_int_equal(r.ev[1].sigs[0].by, CK_SIDE_A); /* always A then B */
	assert_int_equal(r.ev[1].sigs[1].by, CK_SIDE_B);
	char msg[128];
	journal_sig_message(r.ev[1].hash, msg, sizeof msg);
	assert_int_equal(pubkey_verify(t->pa, msg, strlen(msg), r.ev[1].sigs[0].sig), 1);
	assert_int_equal(pubkey_verify(t->pb, msg, strlen(msg), r.ev[1].sigs[1].sig), 1);
	const cJSON *acks = cJSON_GetObjectItemCaseSensitive(r.ev[2].payload, "acks");
	assert_string_equal(cJSON_GetArrayItem(acks, 0)->valuestring,
			    "W-NAME-001 \"quoted\" \\ tab\t é");
	assert_true(cJSON_GetArrayItem(acks, 1)->valuedouble == 9007199254740991.0);
	for (size_t i = 1; i < r.n; i++) {
		assert_string_equal(r.ev[i].prev, r.ev[i - 1].hash);
		assert_int_equal(r.ev[i].offset, r.ev[i - 1].offset + (long)r.ev[i - 1].length);
	}
	/* reopening finds the head and continues the chain */
	struct journal_read r2;
	struct journal *j = journal_open(t->path, &r2, &err);
	assert_non_null(j);
	assert_string_equal(journal_head(j), r.ev[3].hash);
	assert_int_equal(journal_last_seq(j), 4);
	struct journal_event out;
	assert_int_equal(journal_append(j, "session.close", CK_SIDE_NONE, cJSON_CreateObject(),
					NULL, NULL, 0, &out, &err), 0);
	assert_int_equal(out.seq, 5);
	assert_string_equal(out.prev, r.ev[3].hash);
	assert_string_equal(journal_head(j), out.hash);
	journal_event_free(&out);
	journal_close(j);
	journal_read_free(&r2);
	journal_read_free(&r);
	assert_int_equal(journal_read_file(t->path, &r, &err), 0);
	assert_int_equal(r.problem, JPROB_NONE);
	assert_int_equal(r.n, 5);
	journal_read_free(&r);
}

/* Replace the first occurrence of from with to in the file's line lineno
 * (1-based), then read: the reader must refuse with this problem on that line. */
static void tj_expect_edit(struct tj *t, const char *orig, size_t len, const char *from,
			   const char *to, enum journal_problem want, long want_line)
{
	const char *at = strstr(orig, from);
	assert_non_null(at);
	size_t pre = (size_t)(at - orig), fl = strlen(from), tl = strlen(to);
	char *bytes = xmalloc(len - fl + tl + 1);
	memcpy(bytes, orig, pre);
	memcpy(bytes + pre, to, tl);
	memcpy(bytes + pre + tl, at + fl, len - pre - fl);
	struct journal_read r;
	journal_read_mem(bytes, len - fl + tl, &r);
	if (r.problem != want || r.problem_line != want_line)
		fail_msg("edit \"%s\" -> \"%s\": problem %d line %ld (%s), wanted %d line %ld",
			 from, to, r.problem, r.problem_line,
			 r.problem_text ? r.problem_text : "-", want, want_line);
	assert_non_null(r.problem_text);
	journal_read_free(&r);
	free(bytes);
}

/* Any spelling but the one ckwizard writes is refused, even when it would
 * mean the same JSON. */
static void test_journal_only_the_fixed_form(void **state)
{
	struct tj *t = *state;
	tj_sample(t);
	size_t len;
	char *orig = tj_slurp(t->path, &len);
	static const struct {
		const char *from, *to;
		enum journal_problem want;
		long line;
	} edits[] = {
		{ "{\"seq\":1,", "{\"seq\": 1,", JPROB_BAD_FORM, 1 },
		{ "{\"seq\":1,", "{ \"seq\":1,", JPROB_BAD_FORM, 1 },
		{ "{\"seq\":2,", "{\"seq\":2.0,", JPROB_BAD_FORM, 2 },
		{ "{\"seq\":2,", "{\"seq\":2e0,", JPROB_BAD_FORM, 2 },
		{ "\"n\":-42", "\"n\":-42.0", JPROB_BAD_FORM, 2 },
		{ "\"n\":-42", "\"n\":-4.2e1", JPROB_BAD_FORM, 2 },
		{ "\"n\":-42", "\"n\":-42,\"n\":-42", JPROB_BAD_FORM, 2 },
		{ "\"present\"", "\"pr\\u0065sent\"", JPROB_BAD_FORM, 2 },
		{ "\"A,B\"", "\"A\\/B\"", JPROB_BAD_FORM, 2 },
		{ "\"text\":\"note\"", "\"text\":\"no\\u0000te\"", JPROB_BAD_FORM, 4 },
		{ "\"text\":\"note\"", "\"text\":\"n\xc3\x28te\"", JPROB_BAD_FORM, 4 },
		{ "\"text\":\"note\"", "\"text\":\"n\xc0\xafte\"", JPROB_BAD_FORM, 4 },
		{ "\"text\":\"note\"", "\"text\":\"no\tte\"", JPROB_BAD_FORM, 4 },
		{ "\"text\":\"note\"", "\"text\":1.5", JPROB_BAD_FORM, 4 },
		{ "\"text\":\"note\"", "\"text\":9007199254740993", JPROB_BAD_FORM, 4 },
		{ "\"type\":\"note\"", "\"Type\":\"note\"", JPROB_BAD_FORM, 4 },
		{ "\"type\":\"note\"", "\"type\":\"Note\"", JPROB_BAD_FORM, 4 },
		{ "\"actor\":\"A\",\"payload\":{\"text\"",
		  "\"actor\":\"C\",\"payload\":{\"text\"", JPROB_BAD_FORM, 4 },
		{ "\"time\":\"2026-09-21T14:13:20Z\",\"type\":\"note\"",
		  "\"time\":\"2026-09-21 14:13:20Z\",\"type\":\"note\"", JPROB_BAD_FORM, 4 },
		{ "\"time\":\"2026-09-21T14:13:20Z\",\"type\":\"note\"",
		  "\"type\":\"note\",\"time\":\"2026-09-21T14:13:20Z\"", JPROB_BAD_FORM, 4 },
		{ "]}\n{\"seq\":4", "]} \n{\"seq\":4", JPROB_BAD_FORM, 3 },
		{ "]}\n{\"seq\":4", "]}x\n{\"seq\":4", JPROB_BAD_FORM, 3 },
		{ "]}\n{\"seq\":4", "]}\r\n{\"seq\":4", JPROB_BAD_FORM, 3 },
		{ "]}\n{\"seq\":4", "]}\n\n{\"seq\":4", JPROB_BAD_FORM, 4 },
		{ "\"sigs\":[]}\n{\"seq\":2", "\"sigs\":[],\"x\":1}\n{\"seq\":2", JPROB_BAD_FORM, 1 },
		{ "\"prev\":\"0000", "\"prev\":\"0001", JPROB_BAD_PREV, 1 },
		{ "{\"seq\":3,", "{\"seq\":4,", JPROB_BAD_SEQ, 3 },
		{ "{\"by\":\"A\",\"sig\":\"", "{\"sig\":\"", JPROB_BAD_FORM, 2 },
		{ "\"tool\":\"ckwizard 0.1.0\"", "\"tool\":\"ckwizard 0.1.1\"", JPROB_BAD_HASH, 1 },
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(edits); i++)
		tj_expect_edit(t, orig, len, edits[i].from, edits[i].to, edits[i].want, edits[i].line);
	/* upper-case hex in "hash" */
	struct journal_read r;
	journal_read_mem(orig, len, &r);
	char *hash_up = xstrdup(r.ev[0].hash);
	for (char *c = hash_up; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	if (strcmp(hash_up, r.ev[0].hash) != 0)
		tj_expect_edit(t, orig, len, r.ev[0].hash, hash_up, JPROB_BAD_FORM, 1);
	free(hash_up);
	journal_read_free(&r);
	tj_spit(t->path, orig, len);
	free(orig);
}

/* The 1-based line holding byte i. */
static long tj_line_of(const char *bytes, size_t i)
{
	long line = 1;
	for (size_t k = 0; k < i; k++)
		if (bytes[k] == '\n')
			line++;
	return line;
}

/* True when every signature of every event verifies with its side's key. */
static int tj_sigs_hold(struct tj *t, const struct journal_read *r)
{
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; k < r->ev[i].n_sigs; k++) {
			char msg[128];
			journal_sig_message(r->ev[i].hash, msg, sizeof msg);
			const unsigned char *pub = r->ev[i].sigs[k].by == CK_SIDE_A ? t->pa : t->pb;
			if (!pubkey_verify(pub, msg, strlen(msg), r->ev[i].sigs[k].sig))
				return 0;
		}
	return 1;
}

/* Flip every bit of every byte, and overwrite every byte with each of a set
 * of structural characters: the reader names a problem at or before the
 * changed line, or else a signature no longer verifies. */
static void test_journal_every_byte_change_detected(void **state)
{
	struct tj *t = *state;
	tj_sample(t);
	size_t len;
	char *orig = tj_slurp(t->path, &len);
	struct journal_read r;
	journal_read_mem(orig, len, &r);
	assert_int_equal(r.problem, JPROB_NONE);
	assert_true(tj_sigs_hold(t, &r));
	size_t n_events = r.n;
	journal_read_free(&r);
	char *copy = xmalloc(len);
	size_t by_reader = 0, by_sig = 0;
	/* every bit flipped, then bytes that mean something to JSON or to lines */
	static const char specials[] = { '\n', '\r', ' ', '"', '\\', '0', '9', 'a', 'A', '=', '{',
					 '}', ',', ':', '\0', '\x80' };
	const int n_changes = 8 + (int)sizeof specials;
	for (size_t i = 0; i < len; i++) {
		long line = tj_line_of(orig, i);
		for (int bit = 0; bit < n_changes; bit++) {
			memcpy(copy, orig, len);
			if (bit < 8)
				copy[i] = (char)(copy[i] ^ (1 << bit));
			else if (orig[i] != specials[bit - 8])
				copy[i] = specials[bit - 8];
			else
				continue; /* not a change */
			journal_read_mem(copy, len, &r);
			if (r.problem != JPROB_NONE) {
				if (r.problem_line > line)
					fail_msg("byte %zu change %d (line %ld): problem reported on line "
						 "%ld", i, bit, line, r.problem_line);
				by_reader++;
			} else {
				assert_int_equal(r.n, n_events);
				if (tj_sigs_hold(t, &r))
					fail_msg("byte %zu change %d (line %ld, '%c'): not detected",
						 i, bit, line, orig[i]);
				by_sig++;
			}
			journal_read_free(&r);
		}
	}
	assert_true(by_reader + by_sig >= 8 * len);
	assert_true(by_sig > 0); /* the signature bytes really were exercised */
	free(copy);
	free(orig);
}

/* Lines as separate strings, to shuffle them. */
static size_t tj_lines(const char *bytes, size_t len, char *lines[], size_t max)
{
	size_t n = 0, off = 0;
	while (off < len && n < max) {
		const char *nl = memchr(bytes + off, '\n', len - off);
		size_t l = (size_t)(nl - (bytes + off)) + 1;
		lines[n++] = xstrndup(bytes + off, l);
		off += l;
	}
	return n;
}

static void tj_expect_lines(char *const lines[], const int order[], size_t n,
			    enum journal_problem want, long want_line)
{
	struct buf_like {
		char *p;
		size_t len;
	} b = { NULL, 0 };
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(lines[order[i]]);
		b.p = xrealloc(b.p, b.len + l + 1);
		memcpy(b.p + b.len, lines[order[i]], l);
		b.len += l;
	}
	struct journal_read r;
	journal_read_mem(b.p ? b.p : "", b.len, &r);
	assert_int_equal(r.problem, want);
	if (want != JPROB_NONE)
		assert_int_equal(r.problem_line, want_line);
	journal_read_free(&r);
	free(b.p);
}

static void test_journal_reordered_deleted_inserted_lines(void **state)
{
	struct tj *t = *state;
	tj_sample(t);
	size_t len;
	char *orig = tj_slurp(t->path, &len);
	char *lines[8];
	size_t n = tj_lines(orig, len, lines, 8);
	assert_int_equal(n, 4);
	tj_expect_lines(lines, (const int[]){ 0, 1, 2, 3 }, 4, JPROB_NONE, 0);
	tj_expect_lines(lines, (const int[]){ 0, 2, 1, 3 }, 4, JPROB_BAD_SEQ, 2);  /* swapped */
	tj_expect_lines(lines, (const int[]){ 1, 0, 2, 3 }, 4, JPROB_BAD_SEQ, 1);
	tj_expect_lines(lines, (const int[]){ 0, 2, 3 }, 3, JPROB_BAD_SEQ, 2);     /* deleted */
	tj_expect_lines(lines, (const int[]){ 1, 2, 3 }, 3, JPROB_BAD_SEQ, 1);
	tj_expect_lines(lines, (const int[]){ 0, 1, 1, 2, 3 }, 5, JPROB_BAD_SEQ, 3); /* inserted */
	tj_expect_lines(lines, (const int[]){ 0, 1, 2, 3, 3 }, 5, JPROB_BAD_SEQ, 5);
	/* A cut-off tail is a valid shorter chain: only the head hash noted on
	 * paper (verify --head) can tell; its head differs from the real one. */
	tj_expect_lines(lines, (const int[]){ 0, 1, 2 }, 3, JPROB_NONE, 0);
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(orig);
}

static void test_journal_second_writer_refused(void **state)
{
	struct tj *t = *state;
	char *err = NULL;
	struct journal *j = journal_create(t->path, &err);
	assert_non_null(j);
	assert_null(journal_create(t->path, &err));
	assert_non_null(strstr(err, "exists already"));
	free(err);
	struct journal_read r;
	assert_null(journal_open(t->path, &r, &err));
	char *want = xasprintf("in use by another ckwizard (pid %ld)", (long)getpid());
	if (!strstr(err, want))
		fail_msg("%s", err);
	free(want);
	free(err);
	journal_read_free(&r);
	struct stat st;
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* a child process is refused too, and says who holds it */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct journal_read cr;
		char *cerr = NULL;
		struct journal *cj = journal_open(t->path, &cr, &cerr);
		_exit(!cj && strstr(cerr, "in use by another ckwizard") ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* never through a symlink, never over anything */
	char *link = xasprintf("%s/link.jsonl", t->dir);
	assert_int_equal(symlink(t->path, link), 0);
	assert_null(journal_create(link, &err));
	free(err);
	assert_null(journal_open(link, &r, &err));
	free(err);
	journal_read_free(&r);
	char *nodir = xasprintf("%s/missing/journal.jsonl", t->dir);
	assert_null(journal_create(nodir, &err));
	assert_non_null(strstr(err, "No such file"));
	free(err);
	free(nodir);
	free(link);
	journal_close(j);
	j = journal_open(t->path, &r, &err);
	assert_non_null(j);
	assert_int_equal(r.n, 0);
	assert_string_equal(journal_head(j), "0000000000000000000000000000000000000000000000000000000000000000");
	journal_close(j);
	journal_read_free(&r);
}

/* Payloads that have no fixed form, and misuse, are refused without
 * poisoning the journal. */
static void test_journal_refuses_unwritable_payloads(void **state)
{
	struct tj *t = *state;
	char *err = NULL;
	struct journal *j = journal_create(t->path, &err);
	assert_non_null(j);
	cJSON *bad[8];
	size_t nb = 0;
	bad[nb] = cJSON_CreateObject();
	cJSON_AddNumberToObject(bad[nb++], "x", 1.5);
	bad[nb] = cJSON_CreateObject();
	cJSON_AddNumberToObject(bad[nb++], "x", 9007199254740992.0);
	bad[nb] = cJSON_CreateObject();
	cJSON_AddStringToObject(bad[nb++], "x", "bad \xff utf-8");
	bad[nb] = cJSON_CreateObject();
	cJSON_AddStringToObject(bad[nb], "x", "1");
	cJSON_AddStringToObject(bad[nb++], "x", "2");
	bad[nb++] = cJSON_CreateArray();
	bad[nb] = cJSON_CreateObject();
	cJSON_AddItemToObject(bad[nb++], "x", cJSON_CreateRaw("1.0"));
	for (size_t i = 0; i < nb; i++) {
		assert_int_equal(journal_append(j, "note", CK_SIDE_NONE, bad[i], NULL, NULL, 0, NULL,
						&err), -1);
		free(err);
	}
	assert_int_equal(tj_append_unsigned(j, "Bad Type", &err), -1);
	free(err);
	struct keys_private *three[3] = { t->ka, t->kb, t->ka };
	assert_int_equal(journal_append(j, "note", CK_SIDE_NONE, cJSON_CreateObject(), three,
					(const int[]){ 0, 1, 0 }, 3, NULL, &err), -1);
	free(err);
	assert_int_equal(journal_append(j, "note", CK_SIDE_NONE, cJSON_CreateObject(), three,
					(const int[]){ 0, 0 }, 2, NULL, &err), -1);
	free(err);
	/* one line at most JOURNAL_MAX_LINE bytes */
	char *big = xmalloc(JOURNAL_MAX_LINE + 1);
	memset(big, 'x', JOURNAL_MAX_LINE);
	big[JOURNAL_MAX_LINE] = '\0';
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "plan", big);
	assert_int_equal(journal_append(j, "note", CK_SIDE_NONE, p, NULL, NULL, 0, NULL, &err), -1);
	assert_non_null(strstr(err, "longer than"));
	free(err);
	assert_false(journal_failed(j));
	assert_int_equal(tj_append_unsigned(j, "note", &err), 0);
	journal_close(j);
	/* and a reader meeting an overlong line says so */
	memset(big, 'x', JOURNAL_MAX_LINE);
	big[JOURNAL_MAX_LINE - 1] = 'y';
	char *line = xmalloc(JOURNAL_MAX_LINE + 3);
	memcpy(line, big, JOURNAL_MAX_LINE);
	line[JOURNAL_MAX_LINE] = 'z';
	line[JOURNAL_MAX_LINE + 1] = '\n';
	struct journal_read r;
	journal_read_mem(line, JOURNAL_MAX_LINE + 2, &r);
	assert_int_equal(r.problem, JPROB_TOO_LONG);
	journal_read_free(&r);
	free(line);
	free(big);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tj_setup, tj_teardown)
	const struct CMUnitTest tests[] = {
		T(test_journal_roundtrip),
		T(test_journal_only_the_fixed_form),
		T(test_journal_every_byte_change_detected),
		T(test_journal_reordered_deleted_inserted_lines),
		T(test_journal_second_writer_refused),
		T(test_journal_refuses_unwritable_payloads),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
