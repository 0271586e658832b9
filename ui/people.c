/* people.c: who is at the keyboard. Handoffs (unlocking and PINs: pin.c),
 * actions that need both operators, the idle lock. The rules themselves
 * (who may confirm what) are the session's; this file only makes sure the
 * right person is typing when the session is asked. */
#include "ck.h"
#include "app.h"
#include "pubkey.h"
#include "session.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void ui_error(struct ui *u, char *err)
{
	/* Two terminals: sent to the other one, not refused. The loop (app.c)
	 * waits for their signature once the handler returns. */
	if (err && session_two_terminals(u->s) &&
	    session_cosign_state(u->s) == SESSION_COSIGN_WAITING) {
		free(u->cosign_msg);
		u->cosign_msg = err;
		return;
	}
	char *e = ui_name_steps(u, err ? err : _("refused"));
	ui_message(u, SLOT_ERROR, "%s", e);
	/* A refusal must be read whole: when it does not fit the message
	 * line, it is shown in a box as well. */
	if ((int)text_width(e) > COLS - 2)
		ui_alert(u, _("Refused"), e);
	free(e);
	free(err);
}

void ui_update_header(struct ui *u)
{
	const struct plan *p = session_plan(u->s);
	struct session_sitting st;
	session_sitting(u->s, &st);
	struct buf b = BUF_INIT;
	buf_puts(&b, p && p->org.name ? p->org.name : "");
	if (st.number > 0)
		buf_printf(&b, _("  sitting %ld%s"), st.number, st.open ? "" : _(" (closed)"));
	/* Two terminals: whether the other is present first, where a narrow
	 * header would cut it; this terminal's operator after it. */
	ui_two_header(u, &b);
	if (u->active != CK_SIDE_NONE && session_two_terminals(u->s) && p) {
		/* nobody hands this keyboard over: it is its operator's */
		buf_printf(&b, _("  you: %s (%c)"), p->op[u->active].name ? p->op[u->active].name : "?",
			   ck_side_letter(u->active));
	} else if (u->active != CK_SIDE_NONE) {
		char *who = ui_op_name(u, u->active);
		buf_printf(&b, _("  keyboard: %s"), who);
		free(who);
	}
	free(u->header);
	u->header = buf_steal(&b);
}

bool ui_handoff(struct ui *u, int side, const char *why)
{
	if (u->active == side && session_is_unlocked(u->s, side))
		return true;
	if (ui_two_elsewhere(u, side, why))
		return false;
	if (!session_is_present(u->s, side)) {
		char *who = ui_op_name(u, side);
		ui_message(u, SLOT_ERROR, _("%s is not present in this sitting: close the sitting and "
					    "open one with both operators."), who);
		free(who);
		return false;
	}
	char *who = ui_op_name(u, side);
	char *title = xasprintf(_("Hand the keyboard to %s"), who);
	bool ok;
	if (session_is_unlocked(u->s, side) &&
	    session_pin_state(u->s, side) == SESSION_PIN_SET) {
		/* Unlocked this sitting already: the PIN says who took the
		 * keyboard, the passphrase is not typed again. */
		char *text = xasprintf(_("Hand the keyboard to %s.%s%s"), who, why ? "\n\n" : "",
				       why ? why : "");
		int fresh = u->pin_fresh;
		u->pin_fresh = CK_SIDE_NONE; /* the keyboard changes hands: a PIN, always */
		ok = ui_pin(u, side, title, text);
		if (!ok)
			u->pin_fresh = fresh;
		free(text);
	} else {
		char *text = xasprintf(_("Hand the keyboard to %s.%s%s\n\n%s: press Enter, then type "
					 "your passphrase."),
				       who, why ? "\n\n" : "", why ? why : "", who);
		enum ui_answer a =
			u->active == side || session_is_unlocked(u->s, side)
				? UA_OK
				: ui_confirm_labels(u, title, text,
						    _("Enter: I have the keyboard    Esc: not now"));
		free(text);
		ok = a == UA_OK && ui_pin(u, side, title, _("Hand the keyboard over."));
		if (a == UA_OK && !ok && u->active == side) {
			u->active = CK_SIDE_NONE;
			ui_update_header(u);
			ui_message(u, SLOT_WARN, _("Nobody is at the keyboard: press h to hand it "
						   "to an operator."));
		}
	}
	free(title);
	free(who);
	if (!ok)
		return false;
	u->active = side;
	ui_update_header(u);
	/* live: a key unlocked earlier in the sitting has not signed in yet */
	if (ui_needs_signin(u, side))
		(void)ui_signin(u, side);
	who = ui_op_name(u, side);
	ui_message(u, SLOT_DONE, _("%s has the keyboard."), who);
	free(who);
	return true;
}

bool ui_both(struct ui *u, const char *why, int *extra)
{
	*extra = CK_SIDE_NONE;
	/* Two terminals: the other signs at theirs (the session sends it). */
	if (session_two_terminals(u->s))
		return u->active != CK_SIDE_NONE && session_is_unlocked(u->s, u->active);
	if (u->active == CK_SIDE_NONE && !ui_handoff(u, CK_SIDE_A, why))
		return false;
	int other = ck_other_side(u->active);
	if (!session_is_present(u->s, other)) {
		ui_message(u, SLOT_ERROR, _("This needs both operators, and only one is present in "
					    "this sitting."));
		return false;
	}
	/* Two signatures: each signer's PIN (one typed for this action
	 * already counts), the other's passphrase if their key is locked. */
	const char *text = why ? why : _("This needs both operators.");
	char *who = ui_op_name(u, u->active);
	char *title = xasprintf(_("Sign: %s"), who);
	bool ok = ui_pin_gate(u, u->active, title, text);
	free(title);
	free(who);
	if (!ok)
		return false;
	int fresh = u->pin_fresh;
	u->pin_fresh = CK_SIDE_NONE; /* the active one's PIN does not count for the other */
	who = ui_op_name(u, other);
	title = xasprintf(_("Sign: %s"), who);
	ok = ui_pin_gate(u, other, title, text);
	free(title);
	free(who);
	if (!ok)
		u->pin_fresh = fresh;
	return ok;
}

void ui_both_done(struct ui *u, int extra)
{
	/* Both keys stay unlocked for the sitting: the PIN guards them. */
	(void)u;
	(void)extra;
}

void ui_idle_lock(struct ui *u)
{
	u->lock_pending = false;
	int side = u->active;
	if (side == CK_SIDE_NONE)
		return;
	/* Nobody at the keyboard: both keys are locked, each passphrase is
	 * typed again when its operator next signs. */
	session_lock(u->s, CK_SIDE_A);
	session_lock(u->s, CK_SIDE_B);
	u->pin_fresh = CK_SIDE_NONE;
	char *why = u->opt->idle_lock > 0
			    ? xasprintf(_("Locked: nobody touched the keyboard for %ld seconds."),
					u->opt->idle_lock)
			    : xstrdup(_("Locked: the keyboard was left idle."));
	while (!u->leaving) {
		if (ui_unlock(u, side, why))
			break;
		if (u->leaving)
			break;
		/* Esc at the lock: the other operator may take over instead. */
		int other = ck_other_side(side);
		if (session_holds(u->s, other) && session_is_present(u->s, other) &&
		    ui_unlock(u, other, why)) {
			u->active = other;
			break;
		}
		u->lock_pending = false;
	}
	free(why);
	ui_update_header(u);
}
