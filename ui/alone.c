/* alone.c: a sitting with one operator never dead-ends. When nothing left
 * can be done by the operator present (every open step needs the other, as
 * its owner, its witness or its co-signer), the screen says so and z closes
 * the sitting from the step screen as from the wait screen. */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "util.h"

#include <stdlib.h>

/* Can side move step i on alone? Asked of the rules, as the screens ask
 * before a prompt. */
static bool alone_can(const struct ui *u, size_t i, int side)
{
	struct session_step_info si;
	struct session_step_view sv;
	session_step_info(u->s, i, &si);
	if (!session_step_view(u->s, i, &sv) || sv.management)
		return false;
	enum session_step_act act;
	if (si.state == STEP_READY && sv.owner == side)
		act = SESSION_ACT_CONFIRM;
	else if (si.state == STEP_WAIT_WITNESS && sv.owner != side)
		act = SESSION_ACT_WITNESS;
	else if (si.state == STEP_WAIT_EVENT && sv.owner == side)
		act = SESSION_ACT_EVENT;
	else
		return false;
	enum session_missing m = SESSION_MISSING_NOTHING;
	char *err = NULL;
	int rc = session_step_allowed(u->s, act, side, sv.id, &m, &err);
	free(err);
	/* refused for evidence or a check: there is still work for side */
	return rc == 0 || m != SESSION_MISSING_PRESENCE;
}

bool ui_alone_stuck(const struct ui *u, int *side)
{
	struct session_sitting st;
	session_sitting(u->s, &st);
	*side = CK_SIDE_NONE;
	if (!st.open || st.present[CK_SIDE_A] == st.present[CK_SIDE_B] || session_is_closed(u->s))
		return false;
	*side = st.present[CK_SIDE_A] ? CK_SIDE_A : CK_SIDE_B;
	size_t n = session_n_steps(u->s);
	for (size_t i = 0; i < n; i++)
		if (alone_can(u, i, *side))
			return false;
	return true;
}

void ui_alone_notice(struct ui *u)
{
	int side;
	if (!ui_alone_stuck(u, &side))
		return;
	(void)side; /* the header names who is at the keyboard */
	ui_message(u, SLOT_WARN, _("Everything left needs both operators: z closes this sitting."));
}

int ui_close_sitting(struct ui *u)
{
	if (u->active == CK_SIDE_NONE && !ui_handoff(u, CK_SIDE_A, NULL))
		return UF_HANDLED;
	/* signed by the operator at the keyboard: their PIN is the question */
	if (!ui_pin(u, u->active, _("Close the sitting"),
		    _("Close this sitting? Everything is recorded; run the same command to open "
		      "the next sitting, when both operators or the wait are there.")))
		return UF_HANDLED;
	char *err = NULL;
	if (session_sitting_close(u->s, u->active, &err) != 0) {
		ui_error(u, err);
		return UF_HANDLED;
	}
	session_lock(u->s, CK_SIDE_A);
	session_lock(u->s, CK_SIDE_B);
	u->active = CK_SIDE_NONE;
	ui_update_header(u);
	ui_message(u, SLOT_DONE, _("Recorded: the sitting is closed. q quits; the next sitting "
				   "starts here."));
	ui_goto(u, &screen_start);
	return UF_HANDLED;
}
