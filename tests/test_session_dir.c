/* test_session_dir.c: what a session directory must be before ckwizard
 * writes into it, and what an operator is told when it is not: a
 * world-writable one is refused (a group-shared setgid one without
 * other-write is fine), a symbolic link is called one, and the loser of two
 * ckwizards starting the same session at once hears that, not "File
 * exists". */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void opens(const char *plan, const char *dir)
{
	char *err = NULL;
	struct session *s = fx_open_plan(plan, dir, SESSION_REHEARSAL, &err);
	if (!s)
		fail_msg("%s does not open: %s", dir, err);
	session_free(s);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* A session directory everyone may write into lets anyone replace its files:
 * a resume refuses it and says how to fix it; a new session made in such a
 * directory (made beforehand) ends up private. */
static void test_session_dir_world_writable_refused(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	(void)state;
	assert_int_equal(mkdir("ww", 0700), 0);
	assert_int_equal(chmod("ww", 0777), 0);
	opens(plan, "ww");
	assert_int_equal(mode_of("ww") & 0002, 0);
	assert_int_equal(chmod("ww", 0777), 0);
	assert_null(fx_open_plan(plan, "ww", SESSION_REHEARSAL, &err));
	assert_non_null(err);
	if (!strstr(err, "writable by every user") || !strstr(err, "chmod o-w 'ww'"))
		fail_msg("unexpected: %s", err);
	free(err);
	assert_int_equal(mode_of("ww"), 0777); /* refused, not changed behind the operator */
	/* sticky or not, other-write is the problem */
	assert_int_equal(chmod("ww", 01777), 0);
	err = NULL;
	assert_null(fx_open_plan(plan, "ww", SESSION_REHEARSAL, &err));
	free(err);
	/* shared with a group (setgid, group-write, no other-write): fine */
	assert_int_equal(chmod("ww", 02770), 0);
	opens(plan, "ww");
	free(plan);
}

/* Two Unix users, one session: a new session made in an empty directory
 * the operators' group shares (setgid, 2770) keeps the directory's group
 * and mode, and the files both terminals write are group-writable, never
 * anything for others; in a private directory they stay 0600. */
static void test_session_dir_group_shared(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml");
	(void)state;
	assert_int_equal(mkdir("gs", 0700), 0);
	assert_int_equal(chmod("gs", 02770), 0);
	opens(plan, "gs");
	assert_int_equal(mode_of("gs"), 02770);
	assert_int_equal(mode_of("gs/journal.jsonl"), 0660);
	assert_int_equal(mode_of("gs/plan.yaml"), 0660);
	assert_int_equal(mode_of("gs/sim.json"), 0660);
	struct stat d, f;
	assert_int_equal(stat("gs", &d), 0);
	assert_int_equal(stat("gs/journal.jsonl", &f), 0);
	assert_int_equal(f.st_gid, d.st_gid);
	opens(plan, "gs"); /* and it resumes */
	/* a session made inside a directory the group shares is the group's */
	assert_int_equal(mkdir("team", 0700), 0);
	assert_int_equal(chmod("team", 02770), 0);
	opens(plan, "team/contoso.rehearsal");
	assert_int_equal(mode_of("team/contoso.rehearsal"), 02770);
	assert_int_equal(mode_of("team/contoso.rehearsal/journal.jsonl"), 0660);
	opens(plan, "private");
	assert_int_equal(mode_of("private") & 0077, 0);
	assert_int_equal(mode_of("private/journal.jsonl"), 0600);
	assert_int_equal(mode_of("private/sim.json"), 0600);
	free(plan);
}

/* The reports the closing writes: 0660 in a directory the group shares,
 * so the operator at the other terminal (another Unix user) reads them
 * without rendering their own; 0600 in a private one; never anything for
 * others. */
static void test_session_dir_group_shared_reports(void **state)
{
	(void)state;
	static const char *const names[] = { "report.md", "report.html", "report.json" };
	fx_write_plan("plan.yaml", 0x11, 0x22);
	assert_int_equal(mkdir("gs", 0700), 0);
	assert_int_equal(chmod("gs", 02770), 0);
	fx_sample_ceremony("plan.yaml", "gs", true, 0x11, 0x22);
	fx_sample_ceremony("plan.yaml", "private", true, 0x11, 0x22);
	for (size_t i = 0; i < CK_ARRAY_LEN(names); i++) {
		char *shared = xasprintf("gs/%s", names[i]), *mine = xasprintf("private/%s", names[i]);
		assert_int_equal(mode_of(shared), 0660);
		assert_int_equal(mode_of(mine), 0600);
		free(shared);
		free(mine);
	}
}

/* A symbolic link where a new session would go is named as one. */
static void test_session_dir_symlink_named(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	(void)state;
	assert_int_equal(mkdir("real", 0700), 0);
	assert_int_equal(symlink("real", "link"), 0);
	assert_int_equal(symlink("nowhere", "dangling"), 0);
	const char *dirs[] = { "link", "dangling" };
	for (size_t i = 0; i < CK_ARRAY_LEN(dirs); i++) {
		err = NULL;
		assert_null(fx_open_plan(plan, dirs[i], SESSION_REHEARSAL, &err));
		if (!strstr(err, "symbolic link") || strstr(err, "not a directory"))
			fail_msg("%s: \"%s\"", dirs[i], err);
		free(err);
	}
	assert_int_equal(access("real/journal.jsonl", F_OK), -1);
	free(plan);
}

/* Another ckwizard finishes starting the same session while this one is
 * building its own: this one says so, records nothing, and the session the
 * other made opens. */
static const char *race_plan;

static void other_wins(enum session_create_point p)
{
	if (p != SESS_AT_SYNCED)
		return;
	session_test_create_hook(NULL);
	char *err = NULL;
	struct session *s = fx_open_plan(race_plan, "race", SESSION_REHEARSAL, &err);
	if (!s)
		fail_msg("the other start fails: %s", err);
	session_free(s);
}

static void test_session_dir_race_loser_told(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	(void)state;
	race_plan = plan;
	session_test_create_hook(other_wins);
	assert_null(fx_open_plan(plan, "race", SESSION_REHEARSAL, &err));
	session_test_create_hook(NULL);
	if (!strstr(err, "another ckwizard") || strstr(err, "exists") || strstr(err, "empty"))
		fail_msg("unexpected: %s", err);
	free(err);
	opens(plan, "race");
	free(plan);
}

/* The other one finished before this one began building (between its look
 * for a journal and its checks of the directory): told the same way. */
static int other_first(void *arg, char **err)
{
	(void)err;
	struct session *s = fx_open_plan((const char *)arg, "race2", SESSION_REHEARSAL, err);
	if (!s)
		return -1;
	session_free(s);
	return 0;
}

static void test_session_dir_race_lost_before_building(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	struct session_opts o;
	(void)state;
	memset(&o, 0, sizeof o);
	o.plan_path = plan;
	o.dir = "race2";
	o.mode = SESSION_REHEARSAL;
	o.before_create = other_first;
	o.before_create_arg = plan;
	assert_null(session_open(&o, &err));
	if (!strstr(err, "another ckwizard") || strstr(err, "not empty"))
		fail_msg("unexpected: %s", err);
	free(err);
	opens(plan, "race2");
	free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_dir_world_writable_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_session_dir_symlink_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_dir_group_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_dir_group_shared_reports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_dir_race_loser_told, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_dir_race_lost_before_building, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
