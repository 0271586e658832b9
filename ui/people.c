/* people.c: who is at the keyboard. Handoffs, unlocking with a passphrase,
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
	const char *e = err ? err : _("refused");
	ui_message(u, SLOT_ERROR, "%s", e);
	/* A refusal must be read whole: when it does not fit the message
	 * line, it is shown in a box as well. */
	if ((int)text_width(e) > COLS - 2)
		ui_alert(u, _("Refused"), e);
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
	if (u->active != CK_SIDE_NONE) {
		char *who = ui_op_name(u, u->active);
		buf_printf(&b, _("  keyboard: %s"), who);
		free(who);
	}
	free(u->header);
	u->header = buf_steal(&b);
}

/* A rehearsal with the bundled demo operators tells the newcomer their
 * passphrase (it is in the README anyway); `run` refuses demo keys. */
static char *people_demo_hint(const struct ui *u, int side)
{
	const struct plan *p = session_plan(u->s);
	if (!u->rehearsal || !p || !p->op[side].demo || !p->op[side].key_ok)
		return xstrdup("");
	const struct pubkey_demo *d = pubkey_demo_find(p->op[side].pub);
	if (!d || !d->passphrase_hint)
		return xstrdup("");
	return xasprintf(_("\n\n(Rehearsal with a bundled demo operator: the passphrase is %s.)"),
			 d->passphrase_hint);
}

bool ui_unlock(struct ui *u, int side, const char *why)
{
	char *who = ui_op_name(u, side);
	char *err = NULL;
	char *hint = people_demo_hint(u, side);
	bool ok = false;
	for (;;) {
		char *text = xasprintf(_("%s%s%s: type your passphrase to unlock your signing key.%s%s%s"),
				       why ? why : "", why ? "\n\n" : "", who, hint,
				       err ? "\n\n" : "", err ? err : "");
		char *title = xasprintf(_("Unlock: %s"), who);
		char *pass = NULL;
		enum ui_answer a = ui_input(u, title, text, NULL, true, NULL, NULL, &pass);
		free(text);
		free(title);
		free(err);
		err = NULL;
		if (a != UA_OK)
			break;
		int r = session_unlock(u->s, side, pass, &err);
		ui_input_free(pass); /* wiped at once: the session holds the key now */
		if (r == 0) {
			ok = true;
			/* live: the key unlocked, the operator signs in to Azure
			 * (a refusal is shown; the next handoff tries again) */
			if (session_is_present(u->s, side))
				(void)ui_signin(u, side);
			break;
		}
	}
	free(err);
	free(who);
	free(hint);
	return ok;
}

bool ui_handoff(struct ui *u, int side, const char *why)
{
	if (u->active == side && session_is_unlocked(u->s, side))
		return true;
	if (!session_is_present(u->s, side)) {
		char *who = ui_op_name(u, side);
		ui_message(u, SLOT_ERROR, _("%s is not present in this sitting: close the sitting and "
					    "open one with both operators."), who);
		free(who);
		return false;
	}
	char *who = ui_op_name(u, side);
	char *title = xasprintf(_("Hand the keyboard to %s"), who);
	char *text = xasprintf(_("Hand the keyboard to %s.%s%s\n\n%s: press Enter, then type "
				 "your passphrase."),
			       who, why ? "\n\n" : "", why ? why : "", who);
	enum ui_answer a = u->active == side ? UA_OK
			   : ui_confirm_labels(u, title, text,
					       _("Enter: I have the keyboard    Esc: not now"));
	free(title);
	free(text);
	free(who);
	if (a != UA_OK)
		return false;
	int old = u->active;
	if (old != CK_SIDE_NONE && old != side)
		session_lock(u->s, old); /* a key is unlocked for its operator's turn only */
	u->active = CK_SIDE_NONE;
	ui_update_header(u);
	if (!ui_unlock(u, side, NULL)) {
		ui_message(u, SLOT_WARN, _("Nobody is at the keyboard: press h to hand it to an operator."));
		return false;
	}
	u->active = side;
	ui_update_header(u);
	who = ui_op_name(u, side);
	ui_message(u, SLOT_DONE, _("%s has the keyboard."), who);
	free(who);
	return true;
}

bool ui_both(struct ui *u, const char *why, int *extra)
{
	*extra = CK_SIDE_NONE;
	if (u->active == CK_SIDE_NONE && !ui_handoff(u, CK_SIDE_A, why))
		return false;
	int other = ck_other_side(u->active);
	if (session_is_unlocked(u->s, other))
		return true;
	if (!session_is_present(u->s, other)) {
		ui_message(u, SLOT_ERROR, _("This needs both operators, and only one is present in "
					    "this sitting."));
		return false;
	}
	if (!ui_unlock(u, other, why))
		return false;
	*extra = other;
	return true;
}

void ui_both_done(struct ui *u, int extra)
{
	if (extra != CK_SIDE_NONE && extra != u->active)
		session_lock(u->s, extra);
}

void ui_idle_lock(struct ui *u)
{
	u->lock_pending = false;
	int side = u->active;
	if (side == CK_SIDE_NONE)
		return;
	session_lock(u->s, side);
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
		if (session_is_present(u->s, other) && ui_unlock(u, other, why)) {
			u->active = other;
			break;
		}
		u->lock_pending = false;
	}
	free(why);
	ui_update_header(u);
}
