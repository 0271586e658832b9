/* step_act.c: the step screen's actions that ask and record -- confirm,
 * witness, evidence, check or perform, skip or deviate, a note -- on the
 * selected step *sel. Each asks the rules first, hands the keyboard to
 * whoever the step needs, lets the session decide and record, and says on
 * the screen what it said; after an action *sel follows the ceremony. */
#include "ck.h"
#include "app.h"
#include "stepview.h"
#include "session.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct session_step_view *sa_step(struct ui *u, long *sel, struct session_step_info *si,
					       struct session_step_view *sv)
{
	if (*sel < 0 || !session_step_view(u->s, (size_t)*sel, sv))
		return NULL;
	session_step_info(u->s, (size_t)*sel, si);
	return sv;
}

/* Record that the step started, the first time anyone acts on it. */
static bool sa_started(struct ui *u, long *sel, const struct session_step_info *si)
{
	if (si->started)
		return true;
	char *err = NULL;
	struct session_step_view sv;
	if (session_step_view(u->s, (size_t)*sel, &sv) &&
	    session_step_start(u->s, u->active, sv.id, &err) == 0)
		return true;
	ui_error(u, err);
	return false;
}

static char *sa_why(struct ui *u, const struct session_step_view *st, const char *what)
{
	(void)u;
	return xasprintf("%s: %s", what, st->title);
}

/* The key bar's name for an action ("e", "c"), for a hint. */
static char *sa_key(enum ui_action a)
{
	struct buf b = BUF_INIT;
	action_keys_text(a, &b);
	return buf_steal(&b);
}

/* Ask the rules before anyone is asked for the keyboard, a passphrase or a
 * signature: a refused action is refused here, with what is missing and
 * the key that does it, and nobody types anything for nothing. */
static bool sa_allowed(struct ui *u, long *sel, const struct session_step_view *st,
		       const struct session_step_info *si, enum session_step_act act, int side)
{
	enum session_missing m = SESSION_MISSING_NOTHING;
	char *err = NULL, *hint = NULL, *k = NULL, *who = NULL;
	if (session_step_allowed(u->s, act, side, st->id, &m, &err) == 0)
		return true;
	switch (m) {
	case SESSION_MISSING_EVIDENCE:
		k = sa_key(ACT_EVIDENCE);
		hint = xasprintf(_("First the evidence: %s enters it."), k);
		break;
	case SESSION_MISSING_CONFIRM:
		k = sa_key(ACT_CONFIRM);
		who = ui_op_name(u, st->owner);
		hint = xasprintf(_("First %s confirms (%s)."), who, k);
		break;
	case SESSION_MISSING_CHECK:
		k = sa_key(ACT_CHECK);
		hint = xasprintf(_("First a check that passes (%s), or a deviation (D)."), k);
		break;
	case SESSION_MISSING_PREREQ:
		hint = xasprintf(_("First step %s."), si->blocked_by ? si->blocked_by : "?");
		break;
	case SESSION_MISSING_PRESENCE:
		hint = xstrdup(_("First both operators in a sitting: close this one and open one "
				 "with both."));
		break;
	default:
		break;
	}
	/* operators know steps by number and title, not by id */
	char *named = ui_name_steps(u, err ? err : "");
	if (hint) {
		char *h = ui_name_steps(u, hint);
		ui_message(u, SLOT_ERROR, "%s %s", h, named);
		free(h);
	} else {
		ui_message(u, SLOT_ERROR, "%s", named);
	}
	free(named);
	free(err);
	free(hint);
	free(k);
	free(who);
	return false;
}

/* After an action: follow the ceremony to the next step or screen. */
static void sa_after(struct ui *u, long *sel, bool advance)
{
	if (advance) {
		long next = session_next_step(u->s);
		if (next >= 0)
			*sel = next;
	}
	struct session_wait_item *w = NULL;
	bool all_waiting = false;
	size_t n = session_waits(u->s, &w, &all_waiting);
	free(w);
	if (session_next_step(u->s) < 0 && (!n || all_waiting))
		ui_route(u);
	else
		ui_alone_notice(u);
}

static char *sa_validate_name(void *ctx, const char *value)
{
	const char *want = ctx;
	if (!strcmp(value, want))
		return NULL;
	return xstrdup(_("does not match the resource name yet"));
}

static char *sa_validate_reason(void *ctx, const char *value)
{
	(void)ctx;
	for (const char *p = value; *p; p++)
		if (*p != ' ')
			return NULL;
	return xstrdup(_("say why: the reason goes into the journal and the report"));
}

int stepact_confirm(struct ui *u, long *sel)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = sa_step(u, sel, &si, &sv);
	if (!st)
		return UF_HANDLED;
	char *err = NULL;
	char *why;
	if (si.state == STEP_WAIT_EVENT) {
		if (!sa_allowed(u, sel, st, &si, SESSION_ACT_EVENT, st->owner))
			return UF_HANDLED;
		why = sa_why(u, st, _("The owner records the outside event"));
		bool ok = ui_handoff(u, st->owner, why);
		free(why);
		if (!ok)
			return UF_HANDLED;
		char *what = NULL;
		char *q = xasprintf(_("What arrived, and when? (%s)"),
				    si.wait_event ? si.wait_event : "");
		if (ui_input(u, _("Record the event"), q, NULL, false, sa_validate_reason, NULL,
			     &what) == UA_OK) {
			if (session_step_event(u->s, u->active, st->id, what, &err) == 0)
				ui_message(u, SLOT_DONE, _("Recorded: the event arrived."));
			else
				ui_error(u, err);
			ui_input_free(what);
		}
		free(q);
		sa_after(u, sel, true);
		return UF_HANDLED;
	}
	if (!sa_allowed(u, sel, st, &si, SESSION_ACT_CONFIRM, st->owner))
		return UF_HANDLED;
	why = sa_why(u, st, _("The owner confirms"));
	bool ok = ui_handoff(u, st->owner, why);
	free(why);
	if (!ok || !sa_started(u, sel, &si))
		return UF_HANDLED;
	char *typed = NULL;
	if (st->critical && st->confirm_name) {
		char *sq = xasprintf(_("Confirm \"%s\"? Your signature goes into the journal."),
				     st->title);
		bool signer = ui_pin_gate(u, u->active, _("Confirm a critical step"), sq);
		free(sq);
		if (!signer)
			return UF_HANDLED;
		char *q = xasprintf(_("This step is critical. Type the resource name to confirm:\n\n%s"),
				    st->confirm_name);
		char *want = xstrdup(st->confirm_name);
		enum ui_answer a = ui_input(u, _("Confirm a critical step"), q, NULL, false,
					    sa_validate_name, want, &typed);
		free(want);
		free(q);
		if (a != UA_OK)
			return UF_HANDLED;
	} else {
		char *q = xasprintf(_("Confirm \"%s\"? Your signature goes into the journal."),
				    st->title);
		bool signed_ = ui_pin(u, u->active, _("Confirm the step"), q);
		free(q);
		if (!signed_)
			return UF_HANDLED;
	}
	if (session_step_confirm(u->s, u->active, st->id, typed, &err) == 0) {
		char *who = ui_op_name(u, u->active);
		if (st->witness && session_two_terminals(u->s)) {
			/* the witness is the other operator, asked at their terminal */
			char *w = ui_op_name(u, ck_other_side(u->active));
			ui_message(u, SLOT_DONE, _("Recorded: confirmed by %s. Next: %s witnesses it, "
						   "at their own terminal."), who, w);
			free(w);
			free(u->witness_asked);
			u->witness_asked = xstrdup(st->id);
		} else if (st->witness)
			ui_message(u, SLOT_DONE, _("Recorded: confirmed by %s. Next: the witness (w)."),
				   who);
		else
			ui_message(u, SLOT_DONE, _("Recorded: confirmed by %s."), who);
		free(who);
		sa_after(u, sel, !st->witness);
	} else {
		ui_error(u, err);
	}
	if (typed)
		ui_input_free(typed);
	return UF_HANDLED;
}

int stepact_witness(struct ui *u, long *sel)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = sa_step(u, sel, &si, &sv);
	if (!st)
		return UF_HANDLED;
	int side = ck_other_side(st->owner);
	if (!sa_allowed(u, sel, st, &si, SESSION_ACT_WITNESS, side))
		return UF_HANDLED;
	char *why = sa_why(u, st, _("The other operator witnesses"));
	bool ok = ui_handoff(u, side, why);
	free(why);
	if (!ok)
		return UF_HANDLED;
	char *owner = ui_op_name(u, st->owner);
	char *q = xasprintf(_("Did you watch %s do \"%s\" and see the result? Your signature goes "
			      "into the journal."), owner, st->title);
	bool signed_ = ui_pin(u, u->active, _("Witness the step"), q);
	free(q);
	free(owner);
	if (!signed_)
		return UF_HANDLED;
	char *err = NULL;
	if (session_step_witness(u->s, u->active, st->id, &err) == 0) {
		ui_message(u, SLOT_DONE, _("Recorded: witnessed."));
		sa_after(u, sel, true);
	} else {
		ui_error(u, err);
	}
	return UF_HANDLED;
}

struct ev_ctx {
	struct ui *u;
	size_t step, k;
};

static char *sa_validate_ev(void *ctx, const char *value)
{
	struct ev_ctx *c = ctx;
	return session_evidence_problem(c->u->s, c->step, c->k, value);
}

int stepact_evidence(struct ui *u, long *sel)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = sa_step(u, sel, &si, &sv);
	if (!st)
		return UF_HANDLED;
	size_t i = (size_t)*sel, n = st->n_evidence;
	if (!n) {
		ui_message(u, SLOT_NORMAL, _("This step needs no evidence typed in."));
		return UF_HANDLED;
	}
	if (!sa_allowed(u, sel, st, &si, SESSION_ACT_EVIDENCE, st->owner))
		return UF_HANDLED;
	/* The first field not entered yet; when all are, the operator chooses
	 * which one to enter again. */
	struct session_evidence_view e;
	size_t k = n;
	for (size_t j = 0; j < n && k == n; j++)
		if (session_step_evidence_view(u->s, i, j, &e) && !e.value)
			k = j;
	if (k == n && n == 1)
		k = 0;
	if (k == n) {
		char **items = xcalloc(n, sizeof *items);
		for (size_t j = 0; j < n; j++) {
			session_step_evidence_view(u->s, i, j, &e);
			items[j] = xasprintf("%s: %s", e.label, e.value ? e.value : "");
		}
		int c = ui_menu(u, _("Evidence"), _("Every field is entered. Enter which one again?"),
				items, n, 0);
		for (size_t j = 0; j < n; j++)
			free(items[j]);
		free(items);
		if (c < 0)
			return UF_HANDLED;
		k = (size_t)c;
	}
	if (!session_step_evidence_view(u->s, i, k, &e))
		return UF_HANDLED;
	char *why = sa_why(u, st, _("The owner enters the evidence"));
	bool ok = ui_handoff(u, st->owner, why);
	free(why);
	if (!ok || !sa_started(u, sel, &si))
		return UF_HANDLED;
	struct ev_ctx c = { u, i, k };
	char *err = NULL;
	if (e.confirm) {
		/* "I saw it" needs no typing: a question answered with Enter. */
		char *q = xasprintf(_("%s%s%s\n\nHave you seen this yourself?"), e.label,
				    e.hint ? "\n\n" : "", e.hint ? e.hint : "");
		enum ui_answer a = ui_confirm(u, _("Evidence"), q);
		free(q);
		if (a != UA_OK)
			return UF_HANDLED;
		if (session_step_evidence(u->s, u->active, st->id, e.id, "yes", &err) == 0)
			ui_message(u, SLOT_DONE, _("Recorded: %s."), e.label);
		else
			ui_error(u, err);
		return UF_HANDLED;
	}
	char *q = xasprintf("%s%s%s%s%s%s", e.label, e.hint ? "\n\n" : "", e.hint ? e.hint : "",
			    e.choices ? _("\n\nOne of: ") : "", e.choices ? e.choices : "",
			    e.multiline ? _("\n\nPasting keeps the lines; Enter accepts.") : "");
	char *v = NULL;
	enum ui_answer a = ui_input_ex(u, _("Evidence"), q, e.value,
				       e.multiline ? UI_IN_MULTILINE : 0, sa_validate_ev, &c, &v);
	free(q);
	if (a != UA_OK)
		return UF_HANDLED;
	if (session_step_evidence(u->s, u->active, st->id, e.id, v, &err) == 0)
		ui_message(u, SLOT_DONE, _("Recorded: %s."), e.label);
	else
		ui_error(u, err);
	ui_input_free(v);
	return UF_HANDLED;
}

int stepact_check(struct ui *u, long *sel, bool perform)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = sa_step(u, sel, &si, &sv);
	if (!st)
		return UF_HANDLED;
	if (perform && session_is_executing(u->s)) { /* run --live --execute */
		if (ui_handoff(u, st->owner, NULL) && sa_started(u, sel, &si) && ui_signin(u, st->owner))
			ui_execute(u, st->id, st->owner);
		return UF_HANDLED;
	}
	if (perform && session_mode(u->s) != SESSION_REHEARSAL) {
		ui_message(u, SLOT_WARN, _("Perform works in a rehearsal, or live with --execute: in "
					   "guide mode you run the commands yourself."));
		return UF_HANDLED;
	}
	/* Ask the rules before any handoff. A live check is not asked here: it
	 * needs its operator signed in first, and the session asks the rules
	 * again before anything is recorded. */
	int actor = perform || u->active == CK_SIDE_NONE ? st->owner : u->active;
	if (!session_is_live(u->s) &&
	    !sa_allowed(u, sel, st, &si, perform ? SESSION_ACT_PERFORM : SESSION_ACT_CHECK, actor))
		return UF_HANDLED;
	/* live: a subscription's checks are observed with its operator's token */
	bool owner_signs = !perform && ui_needs_signin(u, st->owner) &&
			   session_is_live(u->s) && st->side != CK_SIDE_NONE;
	if (u->active == CK_SIDE_NONE || perform || owner_signs) {
		char *why = sa_why(u, st, perform ? _("The owner performs") : _("Check"));
		bool ok = ui_handoff(u, perform || owner_signs ? st->owner
					: u->active == CK_SIDE_NONE ? st->owner : u->active, why);
		free(why);
		if (!ok)
			return UF_HANDLED;
	}
	if (!sa_started(u, sel, &si))
		return UF_HANDLED;
	/* live: a check is observed with a token (the last sign-in may have
	 * been refused: this tries again) */
	if (session_is_live(u->s) && !ui_signin(u, u->active))
		return UF_HANDLED;
	char *err = NULL;
	const struct session_check *r = NULL;
	bool was[CK_SIDES];
	ui_signins_now(u, was);
	int rc = perform ? session_step_perform(u->s, u->active, st->id, &r, &err)
			 : session_step_check(u->s, u->active, st->id, &r, &err);
	if (rc != 0) {
		ui_error(u, err);
		ui_signins_ended(u, was, st->side);
		return UF_HANDLED;
	}
	enum term_slot slot = r && r->status == SESSION_CHECK_PASS ? SLOT_DONE : SLOT_WARN;
	ui_message(u, slot, _("Recorded: %s %s%s%s"), perform ? _("performed;") : _("check"),
		   r ? session_check_status_name(r->status) : "", r && r->summary ? ": " : "",
		   r && r->summary ? r->summary : "");
	if (r && r->no_token)
		ui_no_token(u, st->side, r->summary, false, r->signin_refused);
	/* the step's own news first, then the other subscription's */
	ui_signins_ended(u, was, st->side);
	return UF_HANDLED;
}

/* Skip or deviation: a reason, then both operators sign. */
int stepact_reason(struct ui *u, long *sel, bool skip)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = sa_step(u, sel, &si, &sv);
	if (!st)
		return UF_HANDLED;
	if (skip && !sa_allowed(u, sel, st, &si, SESSION_ACT_SKIP,
				u->active == CK_SIDE_NONE ? CK_SIDE_A : u->active))
		return UF_HANDLED;
	char *perr = NULL;
	if (!skip && !ui_pre_ok(u, session_deviation_allowed(u->s, st->id, &perr), &perr, true))
		return UF_HANDLED;
	char *q = xasprintf(skip ? _("Why is \"%s\" skipped? Both operators sign this.")
				 : _("What deviates from the plan at \"%s\", and why? Both operators "
				     "sign this."), st->title);
	char *reason = NULL;
	enum ui_answer a = ui_input(u, skip ? _("Skip a step") : _("Record a deviation"), q, NULL,
				    false, sa_validate_reason, NULL, &reason);
	free(q);
	if (a != UA_OK)
		return UF_HANDLED;
	int extra;
	char *err = NULL;
	if (ui_both(u, skip ? _("Skipping a step needs both operators.")
			    : _("A deviation needs both operators."), &extra)) {
		int rc = skip ? session_step_skip(u->s, st->id, reason, &err)
			      : session_deviation(u->s, st->id, reason, &err);
		if (rc == 0) {
			ui_message(u, SLOT_DONE, skip ? _("Recorded: skipped, signed by both.")
						      : _("Recorded: deviation, signed by both."));
			sa_after(u, sel, skip);
		} else {
			ui_error(u, err);
		}
	}
	ui_both_done(u, extra);
	ui_input_free(reason);
	return UF_HANDLED;
}

int ui_note(struct ui *u)
{
	if (u->active == CK_SIDE_NONE && !ui_handoff(u, CK_SIDE_A, NULL))
		return UF_HANDLED;
	char *text = NULL;
	if (ui_input(u, _("Note"), _("A note for the journal (who wrote it is recorded):"), NULL,
		     false, sa_validate_reason, NULL, &text) != UA_OK)
		return UF_HANDLED;
	char *err = NULL;
	if (session_note(u->s, u->active, text, &err) == 0)
		ui_message(u, SLOT_DONE, _("Recorded: the note."));
	else
		ui_error(u, err);
	ui_input_free(text);
	return UF_HANDLED;
}
