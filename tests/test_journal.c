/* test_journal.c: the journal file: round trips, the one fixed form, the
 * chain (every single-byte change, reordered, deleted, inserted lines),
 * locking, torn tails (a forked child aborted mid-write by the seam), crash
 * safety under SIGKILL, and fail-closed I/O errors (/dev/full and a seam). */
#include "config.h" /* _GNU_SOURCE: mkdtemp, O_CLOEXEC with -std=c11 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ck.h"
#include "journal.h"
#include "keys.h"
#include "pubkey.h"
#include "util.h"

struct tj {
	char dir[64];
	char *path;
	struct keys_private *ka, *kb;
	unsigned char pa[PUBKEY_LEN], pb[PUBKEY_LEN];
};

static time_t tj_clock(void)
{
	return 1790000000; /* 2026-09-21T...Z: fixed, so sample journals repeat */
}

static int tj_setup(void **state)
{
	struct tj *t = xcalloc(1, sizeof *t);
	strcpy(t->dir, "/tmp/ckw-journal.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	t->path = xasprintf("%s/%s", t->dir, JOURNAL_FILE);
	unsigned char seed[32];
	memset(seed, 0xa1, sizeof seed);
	t->ka = keys_from_raw(seed);
	memset(seed, 0xb2, sizeof seed);
	t->kb = keys_from_raw(seed);
	keys_public(t->ka, t->pa);
	keys_public(t->kb, t->pb);
	journal_test_set_clock(tj_clock);
	*state = t;
	return 0;
}

static int tj_teardown(void **state)
{
	struct tj *t = *state;
	char *cmd = xasprintf("rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	free(t->path);
	keys_lock(t->ka);
	keys_lock(t->kb);
	free(t);
	return 0;
}

static char *tj_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		buf = xrealloc(buf, cap = cap * 2 + 4096);
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void tj_spit(const char *path, const char *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	fclose(f);
}

/* A small ceremony-like journal: signed and unsigned events, nested payloads. */
static void tj_sample(struct tj *t)
{
	char *err = NULL;
	struct journal *j = journal_create(t->path, &err);
	assert_non_null(j);
	struct keys_private *both[2] = { t->kb, t->ka };
	int sides[2] = { CK_SIDE_B, CK_SIDE_A };
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "plan", "ckwizard: 1\norganization: { name: \"Contoso\" }\n");
	cJSON_AddStringToObject(p, "plan_sha256", "00ff");
	cJSON_AddStringToObject(p, "tool", "ckwizard 0.1.0");
	assert_int_equal(journal_append(j, "session.open", CK_SIDE_NONE, p, NULL, NULL, 0, NULL,
					&err), 0);
	p = cJSON_CreateObject();
	cJSON_AddItemToObject(p, "present", cJSON_CreateString("A,B"));
	cJSON_AddNumberToObject(p, "n", -42);
	cJSON_AddTrueToObject(p, "ok");
	cJSON_AddNullToObject(p, "none");
	assert_int_equal(journal_append(j, "sitting.open", CK_SIDE_A, p, both, sides, 2, NULL,
					&err), 0);
	p = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(p, "acks");
	cJSON_AddItemToArray(arr, cJSON_CreateString("W-NAME-001 \"quoted\" \\ tab\t é"));
	cJSON_AddItemToArray(arr, cJSON_CreateNumber(9007199254740991.0));
	assert_int_equal(journal_append(j, "plan.verify", CK_SIDE_B, p, &t->kb, &sides[0], 1, NULL,
					&err), 0);
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "text", "note");
	assert_int_equal(journal_append(j, "note", CK_SIDE_A, p, &t->ka, &sides[1], 1, NULL, &err),
			 0);
	journal_close(j);
}

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_journal_roundtrip, tj_setup, tj_teardown),
		cmocka_unit_test_setup_teardown(test_journal_only_the_fixed_form, tj_setup,
						tj_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
