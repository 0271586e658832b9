/* naming.c: how every screen writes an operator and a moment. Below the
 * screens, people.c and the sign-in (scr_signin.c), which all name
 * operators: people.c signs an operator in after unlocking, so the naming
 * cannot live in it without a circle. */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "util.h"

#include <stdio.h>
#include <time.h>

char *ui_op_name(const struct ui *u, int side)
{
	if (side != CK_SIDE_A && side != CK_SIDE_B)
		return xstrdup(_("nobody"));
	const struct plan *p = session_plan(u->s);
	const char *name = p && p->op[side].name ? p->op[side].name : "?";
	return xasprintf(_("%s (operator %c)"), name, ck_side_letter(side));
}

const char *ui_time(time_t t, char *buf, size_t cap)
{
	struct tm tm;
	if (!t || !gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, cap, "-");
	return buf;
}
