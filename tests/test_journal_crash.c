/* test_journal_crash.c: the journal when writing goes wrong: torn tails (a
 * forked child aborted mid-write by the seam) set aside by both operators,
 * crash safety under SIGKILL (nothing reported recorded is lost), and
 * fail-closed I/O errors (/dev/full and a seam). The file's form and chain
 * are in test_journal.c; the shared fixture in journal_fixture.c. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
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
#include "journal_fixture.h"
#include "keys.h"
#include "util.h"

/* A forked child appends with the tear seam armed: it writes `bytes` of the
 * line and aborts, as a crash mid-write would. */
static void tj_child_tears(struct tj *t, size_t bytes)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		char *err = NULL;
		struct journal_read r;
		struct journal *j = journal_open(t->path, &r, &err);
		if (!j)
			_exit(3);
		journal_test_tear_next_append(bytes);
		journal_append(j, "note", CK_SIDE_A, cJSON_CreateObject(), &t->ka,
			       (const int[]){ CK_SIDE_A }, 1, NULL, &err);
		_exit(4); /* not reached: the seam aborts */
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void test_journal_torn_tail_set_aside(void **state)
{
	struct tj *t = *state;
	tj_sample(t);
	struct stat st;
	assert_int_equal(stat(t->path, &st), 0);
	long size = (long)st.st_size;
	char *err = NULL;
	/* the length of the line the child will write: the same append on a copy */
	size_t olen;
	char *obytes = tj_slurp(t->path, &olen);
	char *copy = xasprintf("%s/copy.jsonl", t->dir);
	tj_spit(copy, obytes, olen);
	free(obytes);
	struct journal_read cr;
	struct journal *cj = journal_open(copy, &cr, &err);
	assert_non_null(cj);
	journal_read_free(&cr);
	struct journal_event ev;
	assert_int_equal(journal_append(cj, "note", CK_SIDE_A, cJSON_CreateObject(), &t->ka,
					(const int[]){ CK_SIDE_A }, 1, &ev, &err), 0);
	size_t whole = ev.length;
	journal_event_free(&ev);
	journal_close(cj);
	free(copy);
	const size_t tears[] = { 1, 30, whole - 1 /* all but the newline: parses, still torn */ };
	for (size_t k = 0; k < CK_ARRAY_LEN(tears); k++) {
		size_t tear = tears[k];
		tj_child_tears(t, tear);
		struct journal_read r;
		assert_int_equal(journal_read_file(t->path, &r, &err), 0);
		assert_int_equal(r.problem, JPROB_TORN_TAIL);
		assert_int_equal(r.problem_line, 5);
		assert_int_equal(r.problem_offset, size);
		assert_int_equal(r.n, 4);
		assert_non_null(strstr(r.problem_text, "byte offset"));
		journal_read_free(&r);
		struct journal *j = journal_open(t->path, &r, &err);
		assert_non_null(j);
		assert_int_equal(r.problem, JPROB_TORN_TAIL);
		assert_int_equal(tj_append_unsigned(j, "note", &err), -1);
		assert_non_null(strstr(err, "incomplete line"));
		free(err);
		assert_false(journal_failed(j));
		assert_int_equal(journal_set_aside_tail(j, &err), 0);
		char *side = xasprintf("%s.torn-%ld", t->path, size);
		size_t slen;
		char *sbytes = tj_slurp(side, &slen);
		assert_int_equal(slen, tear);
		assert_memory_equal(sbytes, "{\"seq\":5,", tear < 9 ? tear : 9);
		assert_int_equal(stat(side, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		if (k == 0) {
			/* an interrupted earlier attempt left the same copy: accepted;
			 * a different file under that name: refused, nothing cut */
			journal_close(j);
			journal_read_free(&r);
			tj_child_tears(t, tear);
			j = journal_open(t->path, &r, &err);
			assert_non_null(j);
			assert_int_equal(journal_set_aside_tail(j, &err), 0);
			journal_close(j);
			journal_read_free(&r);
			tj_child_tears(t, tear + 1);
			j = journal_open(t->path, &r, &err);
			assert_non_null(j);
			assert_int_equal(journal_set_aside_tail(j, &err), -1);
			assert_non_null(strstr(err, "exists already with other bytes"));
			free(err);
			assert_int_equal(stat(t->path, &st), 0);
			assert_int_equal(st.st_size, size + (long)tear + 1);
			unlink(side);
			assert_int_equal(journal_set_aside_tail(j, &err), 0);
		}
		unlink(side); /* the next round tears at the same offset */
		free(sbytes);
		free(side);
		assert_int_equal(journal_set_aside_tail(j, &err), -1); /* nothing left to set aside */
		free(err);
		assert_int_equal(stat(t->path, &st), 0);
		assert_int_equal(st.st_size, size);
		journal_close(j);
		journal_read_free(&r);
	}
	struct journal_read r;
	struct journal *j = journal_open(t->path, &r, &err);
	assert_non_null(j);
	assert_int_equal(r.problem, JPROB_NONE);
	journal_read_free(&r);
	assert_int_equal(tj_append_unsigned(j, "deviation", &err), 0);
	journal_close(j);
	assert_int_equal(journal_read_file(t->path, &r, &err), 0);
	assert_int_equal(r.problem, JPROB_NONE);
	assert_int_equal(r.n, 5);
	journal_read_free(&r);
}

/* The child appends until killed, telling the parent each seq only after
 * journal_append returned (= "recorded" on screen). */
static void tj_crash_child(struct tj *t, int wfd)
{
	char *err = NULL;
	struct journal_read r;
	struct journal *j = journal_open(t->path, &r, &err);
	if (!j)
		_exit(3);
	if (r.problem == JPROB_TORN_TAIL && journal_set_aside_tail(j, &err) != 0)
		_exit(4);
	journal_read_free(&r);
	long ready = 0; /* the kill should fall among appends, not during startup */
	if (write(wfd, &ready, sizeof ready) != (ssize_t)sizeof ready)
		_exit(6);
	/* now and then a big line (like session.open with its plan): the kernel
	 * may cut a large write short when SIGKILL arrives, a real torn tail */
	char *big = xmalloc(64 * 1024);
	memset(big, 'p', 64 * 1024 - 1);
	big[64 * 1024 - 1] = '\0';
	for (long k = 0;; k++) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "text", k % 8 == 7 ? big : "crash test event");
		struct journal_event ev;
		if (journal_append(j, "note", CK_SIDE_A, p, &t->ka, (const int[]){ CK_SIDE_A }, 1,
				   &ev, &err) != 0)
			_exit(5);
		long seq = ev.seq;
		journal_event_free(&ev);
		if (write(wfd, &seq, sizeof seq) != (ssize_t)sizeof seq)
			_exit(6);
	}
}

static void test_journal_crash_sigkill_loses_nothing_recorded(void **state)
{
	struct tj *t = *state;
	char *err = NULL;
	srand(12345);
	long max_reported = 0, torn = 0, total = 0;
	for (int it = 0; it < 200; it++) {
		if (it % 20 == 0) {
			/* a fresh journal now and then: each child re-reads the
			 * whole file, which must stay small for the test to be quick */
			free(t->path);
			t->path = xasprintf("%s/crash-%d.jsonl", t->dir, it / 20);
			struct journal *j = journal_create(t->path, &err);
			assert_non_null(j);
			journal_close(j);
			total += max_reported;
			max_reported = 0;
		}
		int p[2];
		assert_int_equal(pipe(p), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			tj_crash_child(t, p[1]);
		}
		close(p[1]);
		/* wait for "ready" and a few appends, so the kill falls among
		 * appends however slow this machine (or a sanitizer) is */
		long seq;
		for (int k = rand() % 3; k >= 0; k--) {
			if (read(p[0], &seq, sizeof seq) != (ssize_t)sizeof seq)
				fail_msg("iteration %d: the child stopped early", it);
			if (seq > max_reported)
				max_reported = seq;
		}
		struct timespec ts = { 0, (long)(rand() % 4000) * 1000L };
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status))
			fail_msg("iteration %d: child exited with %d", it, WEXITSTATUS(status));
		while (read(p[0], &seq, sizeof seq) == (ssize_t)sizeof seq)
			if (seq > max_reported)
				max_reported = seq;
		close(p[0]);
		struct journal_read r;
		assert_int_equal(journal_read_file(t->path, &r, &err), 0);
		if (r.problem != JPROB_NONE && r.problem != JPROB_TORN_TAIL)
			fail_msg("iteration %d: %s", it, r.problem_text);
		torn += r.problem == JPROB_TORN_TAIL;
		if ((long)r.n < max_reported)
			fail_msg("iteration %d: event %ld was reported recorded, journal has %zu",
				 it, max_reported, r.n);
		assert_true(r.n == 0 || r.ev[r.n - 1].seq == (long)r.n);
		journal_read_free(&r);
	}
	/* each set-aside tail left a side file; the chain itself is clean */
	print_message("# %ld events recorded, %ld torn tails seen\n", total + max_reported, torn);
}

static void test_journal_enospc_and_eio_fail_closed(void **state)
{
	struct tj *t = *state;
	tj_sample(t);
	struct stat st;
	assert_int_equal(stat(t->path, &st), 0);
	off_t size = st.st_size;
	static const struct {
		const char *device;
		int write_errno, fsync_errno;
		const char *says;
	} cases[] = {
		{ "/dev/full", 0, 0, "No space left on device" }, /* the kernel's own ENOSPC */
		{ NULL, EIO, 0, "Input/output error" },
		{ NULL, ENOSPC, 0, "No space left on device" },
		{ NULL, 0, EIO, "fsync" },
	};
	for (size_t k = 0; k < CK_ARRAY_LEN(cases); k++) {
		char *err = NULL;
		struct journal_read r;
		struct journal *j = journal_open(t->path, &r, &err);
		assert_non_null(j);
		journal_read_free(&r);
		if (cases[k].device)
			journal_test_write_next_append_to(cases[k].device);
		else
			journal_test_fail_next_append(cases[k].write_errno, cases[k].fsync_errno);
		struct journal_event out;
		memset(&out, 0, sizeof out);
		assert_int_equal(journal_append(j, "step.confirm", CK_SIDE_A, cJSON_CreateObject(),
						&t->ka, (const int[]){ CK_SIDE_A }, 1, &out, &err), -1);
		assert_int_equal(out.seq, 0); /* nothing handed back as recorded */
		if (!strstr(err, cases[k].says) || !strstr(err, "Nothing more can be recorded"))
			fail_msg("case %zu: %s", k, err);
		free(err);
		assert_true(journal_failed(j));
		/* fail closed: the next append is refused even though the disk is fine */
		assert_int_equal(tj_append_unsigned(j, "note", &err), -1);
		assert_non_null(strstr(err, "could not be written"));
		free(err);
		journal_close(j);
		assert_int_equal(journal_read_file(t->path, &r, &err), 0);
		assert_int_equal(r.problem, JPROB_NONE);
		journal_read_free(&r);
		if (cases[k].fsync_errno) {
			/* the bytes were written, only durability is unknown: the line
			 * may be there, but nobody was told "recorded" */
			assert_int_equal(stat(t->path, &st), 0);
			assert_true(st.st_size > size);
			size = st.st_size;
		} else {
			assert_int_equal(stat(t->path, &st), 0);
			assert_int_equal(st.st_size, size);
		}
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tj_setup, tj_teardown)
	const struct CMUnitTest tests[] = {
		T(test_journal_torn_tail_set_aside),
		T(test_journal_crash_sigkill_loses_nothing_recorded),
		T(test_journal_enospc_and_eio_fail_closed),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
