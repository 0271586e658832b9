/* scr_execute.c: run --live --execute, as the screens show it. Nothing is
 * written to Azure before its owner has read exactly what will be sent and
 * signed it; a write that cannot be undone waits for the witness's
 * co-signature as well. The session enforces both (and the rules again on
 * replay); these screens only put the right person at the keyboard. */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>

static bool exec_authorize(struct ui *u, const char *step_id, int owner)
{
	char *err = NULL;
	bool cosigned = false;
	if (session_step_authorized(u->s, step_id, &cosigned))
		return true; /* a standing authorization: perform it */
	char *writes = session_step_writes(u->s, step_id, &err);
	if (!writes) {
		ui_error(u, err);
		return false;
	}
	char *vis = text_visible(writes);
	char *who = ui_op_name(u, owner);
	char *text = xasprintf(_("%s: ckwizard will send exactly this to Azure:\n\n%s\n"
				 "Enter signs this authorization with your key. Nothing is sent "
				 "before you do."), who, vis);
	enum ui_answer a = ui_confirm_labels(u, _("Authorize the writes"), text,
					     _("Enter: I authorize    Esc: not now"));
	free(text);
	free(who);
	free(vis);
	free(writes);
	if (a != UA_OK)
		return false;
	/* the owner's signature: their PIN, unless typed for this action */
	if (!ui_pin_gate(u, owner, _("Authorize the writes"),
			 _("Your signature authorizes exactly these writes.")))
		return false;
	if (session_step_authorize(u->s, owner, step_id, &err) != 0) {
		ui_error(u, err);
		return false;
	}
	ui_message(u, SLOT_DONE, _("Authorized."));
	return true;
}

static bool exec_cosign(struct ui *u, const char *step_id, int owner)
{
	bool cosigned = false;
	if (!session_step_needs_cosign(u->s, step_id) ||
	    (session_step_authorized(u->s, step_id, &cosigned) && cosigned))
		return true;
	int extra;
	if (!ui_both(u, _("This write cannot be undone: the witness co-signs its authorization."),
		     &extra))
		return false;
	char *err = NULL;
	int witness = ck_other_side(owner);
	char *writes = session_step_writes(u->s, step_id, &err);
	char *vis = text_visible(writes ? writes : "");
	char *who = ui_op_name(u, witness);
	char *text = xasprintf(_("%s, as witness: the owner authorized exactly this, which cannot "
				 "be undone:\n\n%s\nEnter co-signs it with your key."), who, vis);
	enum ui_answer a = ui_confirm_labels(u, _("Co-sign the authorization"), text,
					     _("Enter: I co-sign    Esc: not now"));
	free(text);
	free(who);
	free(vis);
	free(writes);
	free(err);
	err = NULL;
	bool ok = false;
	if (a == UA_OK) {
		if (session_step_cosign(u->s, witness, step_id, &err) == 0)
			ok = true;
		else
			ui_error(u, err);
	}
	ui_both_done(u, extra);
	return ok;
}

void ui_execute(struct ui *u, const char *step_id, int owner)
{
	if (!exec_authorize(u, step_id, owner) || !exec_cosign(u, step_id, owner))
		return;
	if (!ui_handoff(u, owner, _("The owner performs the authorized writes.")) ||
	    !ui_signin(u, owner))
		return;
	char *err = NULL;
	const struct session_check *r = NULL;
	ui_notice(u, _("Writing to Azure"), _("Sending the authorized requests..."));
	bool was[CK_SIDES];
	ui_signins_now(u, was);
	int rc = session_step_perform(u->s, owner, step_id, &r, &err);
	long i = session_step_index(u->s, step_id);
	struct session_step_view sv;
	int sub = i >= 0 && session_step_view(u->s, (size_t)i, &sv) ? sv.side : CK_SIDE_NONE;
	if (rc == SESSION_NO_TOKEN || rc == SESSION_SIGNIN_REFUSED) {
		char *line = text_visible_line(err ? err : "");
		ui_message(u, SLOT_WARN, _("Not performed, nothing sent: %s"), line);
		free(line);
		if (sub != CK_SIDE_NONE)
			ui_no_token(u, sub, err, true, rc == SESSION_SIGNIN_REFUSED);
		free(err);
		ui_signins_ended(u, was, sub);
		return;
	}
	if (rc != 0) {
		ui_error(u, err);
		ui_signins_ended(u, was, sub);
		return;
	}
	enum term_slot slot = r && r->status == SESSION_CHECK_PASS ? SLOT_DONE : SLOT_WARN;
	char *vis = text_visible_line(r && r->summary ? r->summary : "");
	ui_message(u, slot, _("Recorded: performed; %s: %s. Check it (c), then confirm."),
		   r ? session_check_status_name(r->status) : "", vis);
	free(vis);
	ui_signins_ended(u, was, sub);
}
