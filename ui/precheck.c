/* precheck.c: the screens' side of "never ask for what will be refused"
 * for the plan's signatures, deviations and the closing: the session runs
 * the action dry (session_*_allowed) and a refusal is said at once, with
 * what comes first and the key that does it, before any handoff,
 * passphrase or PIN. (Steps: scr_steps.c, st_allowed.) */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "util.h"

#include <stdlib.h>

bool ui_pre_ok(struct ui *u, int rc, char **errp, bool both)
{
	char *err = *errp; /* read only now: the call that set it is an argument */
	*errp = NULL;
	if (rc == 0) {
		free(err);
		return true;
	}
	struct session_sitting st;
	session_sitting(u->s, &st);
	if (both && (!st.open || !st.present[CK_SIDE_A] || !st.present[CK_SIDE_B]))
		ui_message(u, SLOT_ERROR, _("First both operators in a sitting: z closes this one, "
					    "then open one with both."));
	else if (!st.open)
		ui_message(u, SLOT_ERROR, _("First a sitting: open one from the start screen. %s"),
			   err ? err : "");
	else {
		char *named = ui_name_steps(u, err ? err : _("refused"));
		ui_message(u, SLOT_ERROR, "%s", named);
		free(named);
	}
	free(err);
	return false;
}
