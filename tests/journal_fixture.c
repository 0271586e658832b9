/* journal_fixture.c: see journal_fixture.h. */
#include "config.h" /* _GNU_SOURCE: mkdtemp with -std=c11 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ck.h"
#include "journal_fixture.h"
#include "util.h"

static time_t tj_clock(void)
{
	return 1790000000; /* 2026-09-21T...Z: fixed, so sample journals repeat */
}

int tj_setup(void **state)
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

int tj_teardown(void **state)
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

char *tj_slurp(const char *path, size_t *len)
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

void tj_spit(const char *path, const char *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	fclose(f);
}

/* A small ceremony-like journal: signed and unsigned events, nested payloads. */
void tj_sample(struct tj *t)
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

int tj_append_unsigned(struct journal *j, const char *type, char **err)
{
	return journal_append(j, type, CK_SIDE_NONE, cJSON_CreateObject(), NULL, NULL, 0, NULL, err);
}
