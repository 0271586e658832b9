/* terminals.c: two terminals, one ceremony: which operator is at this
 * terminal, and what the screens say about the other one. Below people.c,
 * which asks it before any handoff, and the screens. */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "util.h"

#include <stdlib.h>

int ui_two_side(const struct ui *u)
{
	return session_holds(u->s, CK_SIDE_A) ? CK_SIDE_A : CK_SIDE_B;
}

void ui_two_header(struct ui *u, struct buf *b)
{
	if (!session_two_terminals(u->s) || session_is_closed(u->s))
		return; /* a closed ceremony has nobody present or away */
	int other = ck_other_side(ui_two_side(u));
	buf_printf(b, session_is_present(u->s, other) ? _("  %c: present") : _("  %c: away"),
		   ck_side_letter(other));
}

bool ui_two_elsewhere(struct ui *u, int side, const char *why)
{
	if (!session_two_terminals(u->s) || session_holds(u->s, side))
		return false;
	char *who = ui_op_name(u, side);
	if (session_is_present(u->s, side))
		ui_message(u, SLOT_WARN, _("%s%s%s does this at their own terminal: their screen "
					   "shows it."), why ? why : "", why ? " " : "", who);
	else
		ui_message(u, SLOT_WARN, _("%s%s%s does this at their own terminal, and has not "
					   "joined this sitting (ckwizard join)."),
			   why ? why : "", why ? " " : "", who);
	free(who);
	return true;
}
