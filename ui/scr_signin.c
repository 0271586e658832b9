/* scr_signin.c: live mode's sign-in to Azure, as the screens show it. The
 * session does the signing in (through the REST backend); it calls back
 * here to show the device code (where to go, what to type) and how a batch
 * of requests progresses, so the screens never reach the network. What
 * Azure sends (the URL, the code) is made visible before it is drawn. */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>

static void signin_show_code(void *cookie, int sub, const char *who, const char *url,
			     const char *code)
{
	struct ui *u = cookie;
	char *vw = text_visible_line(who), *vu = text_visible_line(url),
	     *vc = text_visible_line(code);
	(void)sub; /* who names the operator and the subscription */
	char *text = xasprintf(_("%s signs in to Azure.\n\n"
				 "On your own device, open\n\n    %s\n\nand enter the code\n\n    %s\n\n"
				 "ckwizard waits until the sign-in is done (or refused)."),
			       vw, vu, vc);
	ui_notice(u, _("Sign in to Azure"), text);
	free(text);
	free(vw);
	free(vu);
	free(vc);
}

static void signin_progress(void *cookie, size_t done, size_t total)
{
	struct ui *u = cookie;
	ui_message(u, SLOT_NORMAL, _("Azure: %zu of %zu requests answered"), done, total);
	ui_draw(u);
	term_flush();
}

bool ui_needs_signin(const struct ui *u, int side)
{
	if (!session_is_live(u->s))
		return false;
	const struct plan *p = session_plan(u->s);
	for (int sub = 0; sub < CK_SIDES; sub++)
		if (p && p->sub[sub].operator_side == side && !session_signed_in(u->s, sub))
			return true;
	return false;
}

bool ui_signin(struct ui *u, int side)
{
	if (!ui_needs_signin(u, side))
		return true;
	struct session_live_ui lu = { signin_show_code, signin_progress, u };
	session_set_live_ui(u->s, &lu);
	char *who = ui_op_name(u, side);
	char *text = xasprintf(_("%s signs in to Azure..."), who);
	ui_notice(u, _("Sign in to Azure"), text);
	free(text);
	char *err = NULL;
	int rc = session_sign_in(u->s, side, &err);
	if (rc != 0) {
		char *vis = text_visible(err ? err : _("refused"));
		char *msg = xasprintf(_("%s\n\nChecks of this operator's subscription wait until the "
					"sign-in succeeds: hand the keyboard over again (h) to retry."),
				      vis);
		ui_alert(u, _("Sign-in refused"), msg);
		ui_message(u, SLOT_ERROR, "%s", vis);
		free(msg);
		free(vis);
		free(err);
		free(who);
		return false;
	}
	const struct plan *p = session_plan(u->s);
	for (int sub = 0; sub < CK_SIDES; sub++) {
		if (p->sub[sub].operator_side != side)
			continue;
		char *id = session_signed_in_as(u->s, sub);
		char *vis = text_visible_line(id ? id : "?");
		ui_message(u, SLOT_DONE, _("%s signed in to Azure for subscription %c as %s."), who,
			   ck_side_letter(sub), vis);
		free(vis);
		free(id);
	}
	free(who);
	return true;
}

/* A sign-in found to be another identity than the plan's (or the other
 * side's): the backend has signed the side out, so its operator signs in
 * again first, as the one the plan names. */
static char *signin_refused_text(const char *who, int sub, const char *vis, bool perform)
{
	if (perform)
		return xasprintf(_("Nothing was sent to Azure: the Azure sign-in of %s for "
				   "subscription %c was refused.\n\n%s\n\nThe authorization "
				   "still stands. Perform again (p): they sign in to Azure again "
				   "first, as the identity the plan names."),
				 who, ck_side_letter(sub), vis);
	return xasprintf(_("Nothing was checked: the Azure sign-in of %s for subscription %c "
			   "was refused.\n\n%s\n\nCheck again (v): they sign in to Azure again "
			   "first, as the identity the plan names."),
			 who, ck_side_letter(sub), vis);
}

/* The message line cuts a long cause at 80 columns: the box holds it whole.
 * A refresh token Entra refused for good has signed the side out, so the
 * next check or perform signs in again; any other failure leaves the
 * sign-in as it was. A perform that got no token sent nothing and recorded
 * nothing: its authorization still stands for the next try. */
void ui_no_token(struct ui *u, int sub, const char *why, bool perform, bool refused)
{
	const struct plan *p = session_plan(u->s);
	if (!p || (sub != CK_SIDE_A && sub != CK_SIDE_B))
		return;
	int side = p->sub[sub].operator_side;
	bool again = ui_needs_signin(u, side);
	char *who = ui_op_name(u, side);
	char *vis = text_visible(why ? why : "");
	char *msg;
	if (refused)
		msg = signin_refused_text(who, sub, vis, perform);
	else if (perform)
		msg = xasprintf(again
				? _("Nothing was sent to Azure: the Azure tokens of %s for "
				    "subscription %c could not be renewed.\n\n%s\n\nThe "
				    "authorization still stands. Perform again (p): they sign in "
				    "to Azure again first.")
				: _("Nothing was sent to Azure: the Azure tokens of %s for "
				    "subscription %c could not be renewed.\n\n%s\n\nThe sign-in "
				    "and the authorization still hold: perform again (p) once the "
				    "cause is cleared."),
				who, ck_side_letter(sub), vis);
	else
		msg = xasprintf(again
				? _("Nothing was checked: the Azure tokens of %s for subscription "
				    "%c could not be renewed.\n\n%s\n\nCheck again (v): they "
				    "sign in to Azure again first.")
				: _("Nothing was checked: the Azure tokens of %s for subscription "
				    "%c could not be renewed.\n\n%s\n\nThe sign-in still holds: "
				    "check again (v) once the cause is cleared."),
				who, ck_side_letter(sub), vis);
	ui_alert(u, refused ? _("Azure sign-in refused") : _("Azure token not renewed"), msg);
	free(msg);
	free(vis);
	free(who);
}

void ui_signins_now(const struct ui *u, bool was[CK_SIDES])
{
	for (int sub = 0; sub < CK_SIDES; sub++)
		was[sub] = session_signed_in(u->s, sub);
}

void ui_signins_ended(struct ui *u, const bool was[CK_SIDES], int own)
{
	const struct plan *p = session_plan(u->s);
	for (int sub = 0; p && sub < CK_SIDES; sub++) {
		const char *why = session_signed_out_why(u->s, sub);
		if (sub == own || !was[sub] || session_signed_in(u->s, sub) || !why)
			continue;
		char *who = ui_op_name(u, p->sub[sub].operator_side);
		char *vis = text_visible(why);
		char *msg = xasprintf(_("The Azure sign-in of %s for subscription %c has ended.\n\n"
					"%s\n\nTheir next check or perform signs them in to Azure "
					"again first."),
				      who, ck_side_letter(sub), vis);
		ui_alert(u, _("Azure sign-in ended"), msg);
		free(msg);
		free(vis);
		free(who);
	}
}
