/* clock.c: the session's clock: real time (or a test clock) plus a
 * rehearsal's recorded offset, and the instant an event is stamped with,
 * pinned while it is judged and appended so both see one time. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"


static time_t (*sess_clock)(void);

static time_t stamp_now = (time_t)-1;

static time_t sess_real_now(void)
{
	return sess_clock ? sess_clock() : time(NULL);
}

static time_t sess_journal_clock(void)
{
	return stamp_now != (time_t)-1 ? stamp_now : sess_real_now();
}

void session_test_set_clock(time_t (*clock)(void))
{
	sess_clock = clock;
}

time_t session_now(const struct session *s)
{
	return sess_real_now() + s->clock_offset;
}

time_t sess_clock_stamp(void)
{
	stamp_now = sess_real_now();
	return stamp_now;
}

void sess_clock_unstamp(void)
{
	stamp_now = (time_t)-1;
}

void sess_clock_pin_journal(void)
{
	journal_test_set_clock(sess_journal_clock);
}
