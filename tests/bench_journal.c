/* bench_journal.c N DIR: `make bench` only. Writes in DIR (created, on a
 * fast disk: one fsync per event) a real session journal of N events: a
 * run of plans/contoso-exchange.yaml by the fixed test operators (seeds 0x11
 * and 0x22, tests/session_fixture.c), the plan approved and verified, then
 * notes by either side until N events, then closed. The clock is fixed, so
 * the same N gives the same bytes. Needs CK_SRCDIR. Prints the journal's
 * path.
 * The notes are appended through the journal layer, as session_note()
 * writes them ({"text":...}, signed by the side that wrote it): the session
 * layer re-checks every append against a replay of the whole journal, which
 * would make 100k events take hours. The session is then resumed (one
 * replay, every note checked by the rules) and closed through it. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "session_fixture.h"
#include "util.h"

static time_t bj_clock(void)
{
	return fx_now;
}

int main(int argc, char **argv)
{
	if (argc != 3 || atol(argv[1]) < 10 || !getenv("CK_SRCDIR")) {
		fputs("usage: CK_SRCDIR=SRC bench_journal N DIR\n", stderr);
		return 2;
	}
	long n = atol(argv[1]);
	if (mkdir(argv[2], 0700) != 0 || chdir(argv[2]) != 0) {
		perror(argv[2]);
		return 2;
	}
	session_test_set_clock(bj_clock);
	journal_test_set_clock(bj_clock);
	fx_write_plan("plan.yaml", 0x11, 0x22);
	struct session *s = fx_open("plan.yaml", "s", SESSION_RUN, 0x11, 0x22);
	fx_verify_plan(s);
	char *err = NULL;
	long have = session_n_events(s);
	session_free(s);
	struct journal_read r;
	struct journal *j = journal_open("s/" JOURNAL_FILE, &r, &err);
	journal_read_free(&r);
	if (!j) {
		fprintf(stderr, "bench_journal: %s\n", err);
		return 1;
	}
	struct keys_private *k[CK_SIDES] = { fx_key(0x11), fx_key(0x22) };
	for (long i = 0; have + i < n - 1; i++) {
		char text[96];
		int side = (int)(i & 1);
		snprintf(text, sizeof text, "bench note %ld: the room is quiet, both operators present",
			 i);
		if (i % 60 == 0)
			fx_now++;
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "text", text);
		if (journal_append(j, "note", side, p, &k[side], &side, 1, NULL, &err) != 0) {
			fprintf(stderr, "bench_journal: note %ld: %s\n", i, err);
			return 1;
		}
	}
	journal_close(j);
	s = fx_open("plan.yaml", "s", SESSION_RUN, 0x11, 0x22);
	if (session_close(s, &err) != 0) {
		fprintf(stderr, "bench_journal: close: %s\n", err);
		return 1;
	}
	session_free(s);
	printf("%s/s/%s\n", argv[2], JOURNAL_FILE);
	return 0;
}
