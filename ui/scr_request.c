/* scr_request.c: two terminals, one ceremony. This terminal holds one
 * operator; the screen follows the other terminal's appends on every tick
 * (half a second), says what waits for this operator (a witness, the plan's
 * verification), records that the other's ckwizard is gone when it is, and
 * never asks for the other's passphrase: what needs them is done at their
 * terminal. The rules stay the session's. */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define REQUEST_TICK_MS 500


/* What waits for this operator now, on the message line. */
static void two_say_waiting(struct ui *u)
{
	int me = ui_two_side(u);
	struct session_plan_status ps;
	session_plan_status(u->s, &ps);
	if (session_torn_set_aside(u->s)) {
		const struct plan *p = session_plan(u->s);
		if (p && p->tenant_admin != me) {
			char *who = ui_op_name(u, p->tenant_admin);
			ui_message(u, SLOT_CURRENT, _("Waiting for %s to send the deviation that records "
						      "the torn line set aside: you co-sign it here."),
				   who);
			free(who);
		}
		return;
	}
	if (ps.approved && !ps.verified && ps.author != me) {
		ui_message(u, SLOT_CURRENT, _("Waiting for you: the plan is approved; read it and "
					      "verify it (s)."));
		return;
	}
	size_t n = session_n_steps(u->s);
	for (size_t i = 0; i < n; i++) {
		struct session_step_info si;
		struct session_step_view sv;
		session_step_info(u->s, i, &si);
		if (si.state != STEP_WAIT_WITNESS || si.who_next != me ||
		    !session_step_view(u->s, i, &sv))
			continue;
		ui_message(u, SLOT_CURRENT, _("Waiting for you: witness step %zu, %s (select it, "
					      "then w)."), i + 1, sv.title);
		return;
	}
}

/* The witness asked of the other terminal for a step confirmed here is in:
 * said here, where the message line still asks for it. */
static void two_say_witnessed(struct ui *u)
{
	struct session_step_info si;
	struct session_step_view sv;
	if (!u->witness_asked)
		return;
	/* looked up again each time: an amendment may have moved the step, or
	 * removed it (then there is nothing left to say) */
	long k = session_step_index(u->s, u->witness_asked);
	if (k >= 0) {
		session_step_info(u->s, (size_t)k, &si);
		if (si.state == STEP_WAIT_WITNESS)
			return;
	}
	free(u->witness_asked);
	u->witness_asked = NULL;
	if (k < 0)
		return;
	size_t i = (size_t)k;
	if (si.state != STEP_DONE || !session_step_view(u->s, i, &sv))
		return;
	char *who = ui_op_name(u, ck_other_side(ui_two_side(u)));
	ui_message(u, SLOT_DONE, _("%s witnessed step %zu, %s (recorded)."), who, i + 1, sv.title);
	free(who);
}

/* A torn-line question declined here is asked again when the journal grows,
 * or at once on the deviation key: the message line names that key (from
 * the action table, so it cannot drift from the key map). */
static const char *two_torn_key(char *tmp, size_t cap)
{
	return action_key_name(action_info(ACT_DEVIATE)->keys[0], tmp, cap);
}

/* A ckwizard died in the middle of writing its line. This terminal sets
 * the partial line aside (into its side file: nothing is dropped), once
 * its operator says so; nothing but presence is recorded until both sign
 * the deviation that says so. false: not set aside (declined or refused).
 * on_start: asked on the start screen, where Enter asks again (D is a key
 * of the step and wait screens only, so the message line names it only
 * there). */
static bool two_torn_aside(struct ui *u, bool on_start)
{
	char *err = NULL;
	if (session_blocker(u->s) != SESSION_TORN_TAIL || session_torn_set_aside(u->s))
		return true;
	enum ui_answer a = ui_confirm_labels(
		u, _("Torn journal line"),
		_("The journal's last line was cut off: a ckwizard ended while writing it. "
		  "Nothing can be recorded after it.\n\nThis terminal sets the partial line aside "
		  "now (it is kept in a side file, never dropped); then both operators, each at "
		  "their own terminal, sign a deviation that records it."),
		_("Enter: set it aside    Esc: not now"));
	if (a != UA_OK) {
		u->torn_asked = (long)session_n_events(u->s);
		char tmp[16];
		if (!on_start)
			ui_message(u, SLOT_WARN, _("Not set aside: nothing can be recorded until "
						   "it is. %s asks again."),
				   two_torn_key(tmp, sizeof tmp));
		return false;
	}
	if (session_set_aside_tail(u->s, NULL, &err) < 0) {
		ui_error(u, err);
		return false;
	}
	ui_message(u, SLOT_DONE, "%s", _("Set aside: the partial line is kept in its side file."));
	return true;
}

/* The deviation that records a torn line set aside: asked at the terminal
 * of the tenant admin (the deviation's actor) once both are present, and
 * co-signed at the other. */
static bool two_torn(struct ui *u)
{
	int me = ui_two_side(u), other = ck_other_side(me);
	if (session_blocker(u->s) != SESSION_TORN_TAIL || !session_is_unlocked(u->s, me) ||
	    u->torn_asked == (long)session_n_events(u->s))
		return false;
	if (!session_torn_set_aside(u->s)) {
		(void)two_torn_aside(u, false);
		return true;
	}
	if (!session_is_present(u->s, me) || !session_is_present(u->s, other) ||
	    session_plan(u->s)->tenant_admin != me)
		return false;
	char *who = ui_op_name(u, other);
	char *q = xasprintf(_("%s\n\nYou and %s sign it; they read it at their terminal. Why was "
			      "it cut off, in a few words?"), session_blocker_text(u->s), who);
	free(who);
	char *reason = NULL, *err = NULL;
	enum ui_answer a = ui_input(u, _("Torn journal line"), q, NULL, false, NULL, NULL, &reason);
	free(q);
	if (a != UA_OK) {
		u->torn_asked = (long)session_n_events(u->s);
		char tmp[16];
		ui_message(u, SLOT_WARN, _("Not recorded: the torn line still stops the journal. %s "
					   "asks for the reason again."), two_torn_key(tmp, sizeof tmp));
		return true;
	}
	int rc = session_set_aside_tail(u->s, reason, &err);
	ui_input_free(reason);
	if (rc < 0 && session_cosign_state(u->s) == SESSION_COSIGN_WAITING)
		ui_cosign_wait(u, err);
	else if (rc < 0)
		ui_error(u, err);
	return true;
}

bool ui_two_torn_again(struct ui *u)
{
	if (!session_two_terminals(u->s) || session_blocker(u->s) != SESSION_TORN_TAIL ||
	    !session_is_unlocked(u->s, ui_two_side(u)))
		return false;
	u->torn_asked = -1;
	ui_message(u, SLOT_NORMAL, NULL); /* "D asks again": said, and done */
	if (two_torn(u))
		return true;
	/* set aside, but not asked here now: say where and when it is */
	const struct plan *p = session_plan(u->s);
	if (!p)
		return false;
	char *who = ui_op_name(u, p->tenant_admin);
	ui_message(u, SLOT_WARN, _("The deviation that records the torn line is asked at the "
				   "terminal of %s, once both operators are present."), who);
	free(who);
	return true;
}

void ui_two_start_lines(struct ui *u, struct lines *l, int w)
{
	int me = ui_two_side(u), other = ck_other_side(me);
	char *a = ui_op_name(u, me), *b = ui_op_name(u, other);
	char *t = xasprintf(_("%s %s, at this terminal: Enter unlocks your key and joins the "
			      "sitting."), term_glyph(G_ARROW), a);
	l->sel = (long)lines_add(l, t, w, 3, 2, SLOT_NORMAL);
	free(t);
	t = session_is_present(u->s, other)
		    ? xasprintf(_("%s is present, at their own terminal."), b)
		    : xasprintf(_("%s joins from their own terminal (ckwizard join, or run --as)."), b);
	lines_add(l, t, w, 3, 2, SLOT_DIM);
	free(t);
	lines_add(l, _("Two terminals: each operator types only their own passphrase, at their "
		       "own keyboard."), w, 1, 0, SLOT_DIM);
	free(a);
	free(b);
}

int ui_two_start(struct ui *u)
{
	int me = ui_two_side(u);
	char *err = NULL;
	if (!session_is_unlocked(u->s, me) &&
	    !ui_unlock(u, me, _("Joining the sitting records that you are present.")))
		return UF_HANDLED;
	if (!two_torn_aside(u, true))
		return UF_HANDLED;
	if (session_join(u->s, me, &err) != 0) {
		ui_error(u, err);
		return UF_HANDLED;
	}
	u->active = me;
	u->other_was_present = session_is_present(u->s, ck_other_side(me));
	term_set_tick(REQUEST_TICK_MS);
	ui_update_header(u);
	char *who = ui_op_name(u, me);
	ui_message(u, SLOT_DONE, _("Recorded: %s is present, at this terminal."), who);
	free(who);
	(void)ui_signin(u, me);
	ui_route(u);
	two_say_waiting(u);
	return UF_HANDLED;
}

/* The other operator's ckwizard died without leaving (killed, crashed, the
 * machine went down): record it, so the sitting does not wait for nobody. */
static bool two_notice_lost(struct ui *u)
{
	int me = ui_two_side(u), other = ck_other_side(me);
	if (!session_is_present(u->s, me) || !session_is_present(u->s, other) ||
	    session_other_here(u->s, other))
		return false;
	char *err = NULL;
	int rc = session_notice_lost(u->s, me, &err);
	if (rc < 0 && session_blocker(u->s) == SESSION_TORN_TAIL) {
		free(err); /* they died writing a line: two_torn() asks to set it aside */
		return false;
	}
	if (rc < 0) {
		ui_error(u, err);
		return true;
	}
	if (rc > 0) {
		char *who = ui_op_name(u, other);
		ui_message(u, SLOT_WARN, _("%s left: their ckwizard ended without leaving (recorded). "
					   "They can join again with ckwizard join."), who);
		free(who);
	}
	return rc > 0;
}

/* The other terminal asks for this operator's signature: show what is to
 * be signed; Enter signs it here, Esc declines. */
static bool two_offer(struct ui *u)
{
	char *what = NULL, *err = NULL;
	int rc = session_cosign_offer(u->s, &what, &err);
	if (rc < 0) {
		ui_error(u, err);
		return true;
	}
	if (rc == 0)
		return false;
	char *text = xasprintf(_("%s\n\nYour signature goes into the journal with theirs."), what);
	enum ui_answer a = ui_confirm_labels(u, _("Co-sign"), text,
					     _("Enter: sign    Esc: decline"));
	free(text);
	free(what);
	if (a == UA_OK) {
		if (session_cosign_accept(u->s, ui_two_side(u), &err) == 0)
			ui_message(u, SLOT_DONE, "%s", _("Recorded: co-signed by both operators."));
		else
			ui_error(u, err);
	} else {
		session_cosign_decline(u->s);
		ui_message(u, SLOT_WARN, "%s", _("Declined: nothing was recorded."));
	}
	return true;
}

bool ui_cosign_wait(struct ui *u, char *msg)
{
	if (!session_two_terminals(u->s) || session_cosign_state(u->s) != SESSION_COSIGN_WAITING)
		return false;
	int other = ck_other_side(ui_two_side(u));
	char *who = ui_op_name(u, other);
	char *text = xasprintf(_("%s They may also decline.\n\nEsc withdraws the request."), msg);
	enum session_cosign st = SESSION_COSIGN_WAITING;
	u->cosign_wait = true;
	while (!u->leaving && (st = session_cosign_state(u->s)) == SESSION_COSIGN_WAITING) {
		ui_notice(u, _("Waiting for the other signature"), text);
		int key = 0;
		int a = ui_event(u, &key, 0);
		if (a < 0 || a == ACT_BACK) {
			session_cosign_withdraw(u->s);
			st = SESSION_COSIGN_DECLINED;
			break;
		}
	}
	u->cosign_wait = false;
	if (st == SESSION_COSIGN_SIGNED)
		ui_message(u, SLOT_DONE, _("Recorded: %s co-signed."), who);
	else
		ui_message(u, SLOT_WARN, _("Not recorded: %s declined, or the request was withdrawn."),
			   who);
	session_cosign_reset(u->s);
	free(text);
	free(who);
	free(msg);
	ui_update_header(u);
	if (u->active != CK_SIDE_NONE)
		u->follow_route = true;
	return true;
}

bool ui_follow_tick(struct ui *u)
{
	if (!session_two_terminals(u->s) || u->follow_stopped)
		return false;
	bool changed = false;
	char *err = NULL;
	if (u->cosign_wait) { /* ui_cosign_wait looks again at each tick */
		if (session_follow(u->s, &changed, &err) < 0) {
			free(err);
			session_cosign_withdraw(u->s);
		}
		return true;
	}
	if (u->in_dialog || u->in_input)
		return false;
	if (session_follow(u->s, &changed, &err) < 0) {
		u->follow_stopped = true;
		u->stopped = true;
		ui_update_header(u);
		ui_alert(u, _("A line in the journal is refused"), err);
		ui_message(u, SLOT_ERROR, "%s", err);
		free(err);
		return true;
	}
	bool lost = session_is_unlocked(u->s, ui_two_side(u)) && two_notice_lost(u);
	changed |= lost;
	if (session_is_unlocked(u->s, ui_two_side(u)) && two_offer(u))
		changed = true;
	if (!changed)
		return two_torn(u);
	ui_update_header(u);
	int other = ck_other_side(ui_two_side(u));
	bool here = session_is_present(u->s, other);
	/* the closing ends the sitting for both: nobody left it */
	if (u->other_was_present && !here && !lost && !session_is_closed(u->s)) {
		char *who = ui_op_name(u, other);
		ui_message(u, SLOT_WARN, _("%s left the sitting (recorded)."), who);
		free(who);
	} else if (!u->other_was_present && here) {
		char *who = ui_op_name(u, other);
		ui_message(u, SLOT_DONE, _("%s joined the sitting, at their own terminal."), who);
		free(who);
	}
	u->other_was_present = here;
	two_say_witnessed(u);
	if (u->active != CK_SIDE_NONE)
		u->follow_route = true; /* the loop changes screens only if the state calls for another */
	two_say_waiting(u);
	(void)two_torn(u); /* asked over the screen as it now is */
	return true;
}

void ui_follow_sync(struct ui *u)
{
	bool changed = false;
	char *err = NULL;
	if (!session_two_terminals(u->s) || u->follow_stopped)
		return;
	if (session_follow(u->s, &changed, &err) < 0) {
		u->follow_stopped = true;
		u->stopped = true;
		ui_message(u, SLOT_ERROR, "%s", err);
		free(err);
	}
	if (changed) {
		ui_update_header(u);
		if (u->active != CK_SIDE_NONE)
			u->follow_route = true; /* once this key is handled */
	}
}

void ui_two_leave(struct ui *u)
{
	int me = ui_two_side(u);
	char *err = NULL;
	if (!session_two_terminals(u->s) || !session_is_unlocked(u->s, me) ||
	    !session_is_present(u->s, me) || session_is_closed(u->s))
		return;
	if (session_leave(u->s, me, term_signal() == SIGHUP, &err) != 0)
		free(err);
}
