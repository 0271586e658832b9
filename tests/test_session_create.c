/* test_session_create.c: a new session directory appears whole or not at
 * all. A child process is killed (SIGKILL, through the test seam) at every
 * point of creating one; afterwards the directory is either absent, and a
 * new start works and leaves no temporary directory behind, or it opens with
 * its session.open. Directories an older version left half-made are named
 * with the command that removes them; anything else is never touched. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "journal.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

static enum session_create_point kill_point;

static void kill_here(enum session_create_point p)
{
	if (p == kill_point)
		raise(SIGKILL);
}

/* Entries of the current directory whose name starts with prefix. */
static int count_prefixed(const char *prefix)
{
	DIR *d = opendir(".");
	struct dirent *de;
	int n = 0;
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += util_has_prefix(de->d_name, prefix);
	closedir(d);
	return n;
}

/* Open (create or resume) dir as a rehearsal: it must work and hold exactly
 * session.open. */
static void opens_with_one_event(const char *plan, const char *dir)
{
	char *err = NULL;
	struct session *s = fx_open_plan(plan, dir, SESSION_REHEARSAL, &err);
	if (!s)
		fail_msg("%s does not open: %s", dir, err);
	assert_int_equal(session_n_events(s), 1);
	session_free(s);
}

static void test_session_create_kill_at_every_point(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml");
	(void)state;
	for (int p = 0; p < SESS_AT_COUNT; p++) {
		char dir[32];
		snprintf(dir, sizeof dir, "s%d", p);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			char *err = NULL;
			kill_point = (enum session_create_point)p;
			session_test_create_hook(kill_here);
			struct session *s = fx_open_plan(plan, dir, SESSION_REHEARSAL, &err);
			_exit(s ? 0 : 1); /* the point was never reached */
		}
		int st;
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
			fail_msg("point %d: the child was not killed there (status %d)", p, st);
		struct stat sb;
		bool present = lstat(dir, &sb) == 0;
		/* Up to the rename, nothing is in place; from then on, all of it. */
		assert_int_equal(present, p >= SESS_AT_RENAMED);
		opens_with_one_event(plan, dir);
		char *prefix = xasprintf(".%s.ckw-new.", dir);
		if (count_prefixed(prefix) != 0)
			fail_msg("point %d: a temporary directory is left after the next start", p);
		free(prefix);
		if (p == SESS_AT_SIM_SAVED || p >= SESS_AT_RENAMED) {
			char *sim = xasprintf("%s/%s", dir, SESSION_SIM_FILE);
			assert_int_equal(access(sim, F_OK), 0); /* moved in with the rest */
			free(sim);
		}
	}
	free(plan);
}

/* A rehearsal's faults are in sim.json the moment the session exists. */
static void test_session_create_keeps_faults_from_the_start(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	struct session_opts o;
	(void)state;
	memset(&o, 0, sizeof o);
	o.plan_path = plan;
	o.dir = "f";
	o.mode = SESSION_REHEARSAL;
	o.sim_faults = "missing-permission";
	struct session *s = session_open(&o, &err);
	assert_non_null(s);
	session_free(s);
	char *text = fx_read_text("f/" SESSION_SIM_FILE);
	assert_non_null(strstr(text, "missing-permission"));
	free(text);
	free(plan);
}

static int refuse_all(void *arg, char **err)
{
	++*(int *)arg;
	*err = xstrdup("no terminal here");
	return -1;
}

/* The caller's last check (the wizard's terminal) comes after the session's
 * own and before anything exists. */
static void test_session_create_nothing_when_the_caller_refuses(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	int calls = 0;
	struct session_opts o;
	(void)state;
	memset(&o, 0, sizeof o);
	o.plan_path = plan;
	o.dir = "n";
	o.mode = SESSION_REHEARSAL;
	o.before_create = refuse_all;
	o.before_create_arg = &calls;
	assert_null(session_open(&o, &err));
	assert_string_equal(err, "no terminal here");
	free(err);
	assert_int_equal(calls, 1);
	assert_int_equal(access("n", F_OK), -1);
	assert_int_equal(count_prefixed(".n."), 0);
	free(plan);
}

static void mkdir_with(const char *dir, const char *file, const char *text)
{
	char *path = xasprintf("%s/%s", dir, file);
	mkdir(dir, 0700);
	fx_write_text(path, "w", text);
	free(path);
}

/* What an older ckwizard left when killed while starting: only plan.yaml,
 * or plan.yaml and an empty journal. Named, with the command, untouched. */
static void test_session_create_half_made_by_old_version(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	(void)state;
	mkdir_with("old1", "plan.yaml", "x");
	mkdir_with("old2", "plan.yaml", "x");
	mkdir_with("old2", "journal.jsonl", "");
	mkdir_with("it's", "plan.yaml", "x");
	const char *dirs[] = { "old1", "old2", "it's" };
	const char *cmds[] = { "rm -r -- 'old1'", "rm -r -- 'old2'", "rm -r -- 'it'\\''s'" };
	for (size_t i = 0; i < CK_ARRAY_LEN(dirs); i++) {
		assert_null(fx_open_plan(plan, dirs[i], SESSION_REHEARSAL, &err));
		if (!strstr(err, "half-made") || !strstr(err, cmds[i]))
			fail_msg("%s: \"%s\"", dirs[i], err);
		free(err);
		err = NULL;
		char *p = xasprintf("%s/plan.yaml", dirs[i]);
		assert_int_equal(access(p, F_OK), 0);
		free(p);
	}
	free(plan);
}

/* A directory with anything else is no session and is left alone; an empty
 * one becomes the session. */
static void test_session_create_other_directories(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	(void)state;
	mkdir_with("notes", "notes.txt", "mine");
	assert_null(fx_open_plan(plan, "notes", SESSION_REHEARSAL, &err));
	assert_non_null(strstr(err, "not empty"));
	free(err);
	char *text = fx_read_text("notes/notes.txt");
	assert_string_equal(text, "mine");
	free(text);
	assert_int_equal(mkdir("empty", 0700), 0);
	opens_with_one_event(plan, "empty");
	opens_with_one_event(plan, "empty/"); /* resumed, trailing slash and all */
	free(plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_session_create_kill_at_every_point, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_session_create_keeps_faults_from_the_start,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_create_nothing_when_the_caller_refuses,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_create_half_made_by_old_version, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_session_create_other_directories, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
