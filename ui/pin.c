/* pin.c: the passphrase and the signing PIN at the single keyboard. Each operator types their
 * passphrase once per sitting; after that a signature prompt asks for the
 * signer's PIN (the session checks it and locks the key at the third wrong
 * one), so whoever holds the keyboard cannot sign as the other. A PIN or a
 * passphrase typed for this very action counts once: handing the keyboard
 * over and then confirming asks for one PIN, not two. */
#include "ck.h"
#include "app.h"
#include "pubkey.h"
#include "session.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static char *pin_demo_hint(const struct ui *u, int side)
{
	const struct plan *p = session_plan(u->s);
	if (!u->rehearsal || !p || !p->op[side].demo || !p->op[side].key_ok)
		return xstrdup("");
	const struct pubkey_demo *d = pubkey_demo_find(p->op[side].pub);
	if (!d || !d->pin_hint)
		return xstrdup("");
	return xasprintf(_("\n\n(Rehearsal with a bundled demo operator: the PIN is %s.)"),
			 d->pin_hint);
}

static char *pin_validate(void *ctx, const char *value)
{
	(void)ctx;
	const char *bad = session_pin_invalid(value);
	return bad ? xstrdup(bad) : NULL;
}

bool ui_pin_setup(struct ui *u, int side)
{
	char *who = ui_op_name(u, side);
	char *title = xasprintf(_("Choose a signing PIN: %s"), who);
	char *err = NULL;
	bool ok = false;
	while (!ok) {
		char *pin = NULL, *again = NULL;
		char *text = xasprintf(_("%s: your key has no signing PIN yet. Choose one (4 characters "
					 "or more). From now on each signature asks for it, while "
					 "the passphrase is asked once per sitting. It is stored as a "
					 "salted hash beside your key, never shown or recorded.%s%s"),
				       who, err ? "\n\n" : "", err ? err : "");
		free(err);
		err = NULL;
		enum ui_answer a = ui_input(u, title, text, NULL, true, pin_validate, NULL, &pin);
		free(text);
		if (a != UA_OK)
			break;
		a = ui_input(u, title, _("The same PIN again:"), NULL, true, NULL, NULL, &again);
		if (a == UA_OK && strcmp(pin, again) != 0)
			err = xstrdup(_("The two PINs differ: choose again."));
		else if (a == UA_OK && session_pin_set(u->s, side, pin, &err) == 0)
			ok = true;
		ui_input_free(pin);
		if (again)
			ui_input_free(again);
		if (a != UA_OK)
			break;
	}
	free(err);
	free(title);
	free(who);
	return ok;
}

/* A rehearsal with the bundled demo operators tells the newcomer their
 * passphrase (it is in the README anyway); `run` refuses demo keys. */
static char *pin_pass_hint(const struct ui *u, int side)
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
	char *hint = pin_pass_hint(u, side);
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
			/* A key from before signing PINs chooses one now, or
			 * stays locked: the PIN is what guards it all sitting. */
			if (session_pin_state(u->s, side) == SESSION_PIN_MISSING &&
			    !session_two_terminals(u->s) && !ui_pin_setup(u, side)) {
				session_lock(u->s, side);
				break;
			}
			ok = true;
			u->pin_fresh = side; /* the passphrase was typed for this action */
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

bool ui_pin(struct ui *u, int side, const char *title, const char *text)
{
	/* Two terminals: nobody else types at this keyboard; the passphrase of
	 * the sitting is the gate, and the question alone is asked. */
	if ((u->pin_fresh == side || session_two_terminals(u->s)) &&
	    session_is_unlocked(u->s, side))
		return ui_confirm(u, title, text) == UA_OK;
	if (!session_is_unlocked(u->s, side)) {
		if (!ui_unlock(u, side, text))
			return false;
		return u->pin_fresh == side || ui_pin(u, side, title, text);
	}
	if (session_pin_state(u->s, side) != SESSION_PIN_SET) {
		/* a key given without its files (tests): the question alone */
		bool ok = ui_confirm(u, title, text) == UA_OK;
		u->pin_fresh = ok ? side : u->pin_fresh;
		return ok;
	}
	char *who = ui_op_name(u, side);
	char *hint = pin_demo_hint(u, side);
	char *err = NULL;
	bool ok = false;
	for (;;) {
		char *q = xasprintf(_("%s\n\n%s: type your signing PIN.%s%s%s"), text, who, hint,
				    err ? "\n\n" : "", err ? err : "");
		char *t = xasprintf(_("Signing PIN: %s"), who);
		char *pin = NULL;
		enum ui_answer a = ui_input(u, t, q, NULL, true, NULL, NULL, &pin);
		free(q);
		free(t);
		free(err);
		err = NULL;
		if (a != UA_OK)
			break;
		int r = session_pin_check(u->s, side, pin, &err);
		ui_input_free(pin);
		if (r == 0) {
			ok = true;
			break;
		}
		if (r == -2) {
			/* three wrong: the key is locked, the passphrase opens it again */
			ok = ui_unlock(u, side, err);
			break;
		}
	}
	free(err);
	free(hint);
	free(who);
	if (ok)
		u->pin_fresh = side;
	return ok;
}

bool ui_pin_gate(struct ui *u, int side, const char *title, const char *text)
{
	if ((u->pin_fresh == side || session_two_terminals(u->s)) &&
	    session_is_unlocked(u->s, side))
		return true;
	if (session_is_unlocked(u->s, side) && session_pin_state(u->s, side) == SESSION_PIN_NONE)
		return true;
	return ui_pin(u, side, title, text);
}
