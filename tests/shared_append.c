/* shared_append.c: one operator's ckwizard, reduced to appending notes, for
 * tests/shared_cli.sh: `shared_append SIDE N` in a directory holding
 * plan.yaml (seeds 0x11 and 0x22: `shared_append plan` writes it) opens or joins session "s" as operator
 * SIDE (A creates it), joins the sitting, waits until the other operator is
 * present, appends N notes in turn with the other process, and leaves. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "session.h"
#include "session_fixture.h"
#include "shared_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int sa_fail(const char *what, char *err)
{
	fprintf(stderr, "shared_append: %s: %s\n", what, err ? err : "?");
	free(err);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "plan") == 0) {
		fx_write_plan("plan.yaml", 0x11, 0x22);
		return 0;
	}
	if (argc != 3 || (strcmp(argv[1], "A") && strcmp(argv[1], "B"))) {
		fprintf(stderr, "usage: shared_append A|B N\n");
		return 2;
	}
	int side = argv[1][0] == 'A' ? CK_SIDE_A : CK_SIDE_B;
	long n = atol(argv[2]);
	char *err = NULL;
	struct session *s = shx_open(side, side == CK_SIDE_A ? 0x11 : 0x22, side == CK_SIDE_B, &err);
	if (!s)
		return sa_fail("open", err);
	if (session_join(s, side, &err) < 0)
		return sa_fail("join", err);
	/* Start together, so that the appends really take turns. */
	for (int tries = 0; !session_is_present(s, ck_other_side(side)); tries++) {
		bool changed;
		if (tries > 6000 || session_follow(s, &changed, &err) < 0)
			return sa_fail("waiting for the other operator", err);
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	for (long i = 0; i < n; i++) {
		char text[64];
		snprintf(text, sizeof text, "note %ld from %s", i, argv[1]);
		if (session_note(s, side, text, &err) < 0)
			return sa_fail("note", err);
	}
	if (session_leave(s, side, false, &err) < 0)
		return sa_fail("leave", err);
	session_free(s);
	return 0;
}
