/* names.c: the session's small words: UTC times as the journal writes them,
 * mode and side names, step state names. */
#define _GNU_SOURCE 1 /* timegm */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

time_t sess_parse_time(const char *t)
{
	struct tm tm;
	char back[21];
	time_t v;
	memset(&tm, 0, sizeof tm);
	if (!t || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	v = timegm(&tm);
	sess_format_time(v, back);
	return strcmp(back, t) == 0 ? v : (time_t)-1; /* one spelling per instant */
}

void sess_format_time(time_t t, char out[21])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		strcpy(out, "0000-00-00T00:00:00Z");
}

const char *sess_mode_name(enum session_mode m)
{
	return m == SESSION_REHEARSAL ? "rehearsal" : "run";
}

const char *sess_side_name(int side)
{
	return side == CK_SIDE_A ? "A" : side == CK_SIDE_B ? "B" : "-";
}

int sess_side_parse(const char *s)
{
	if (util_streq(s, "A"))
		return CK_SIDE_A;
	if (util_streq(s, "B"))
		return CK_SIDE_B;
	return CK_SIDE_NONE;
}

const char *session_step_state_name(enum session_step_state st)
{
	static const char *const names[] = {
		N_("pending"), N_("ready"), N_("blocked"), N_("waiting for witness"),
		N_("waiting until"), N_("waiting for event"), N_("done"), N_("skipped"),
		N_("check failed"),
	};
	return (unsigned)st < CK_ARRAY_LEN(names) ? _(names[st]) : "?";
}
