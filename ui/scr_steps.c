/* scr_steps.c: the step screen. Left, every step with its state, grouped by
 * phase; right, the selected step explained (stepview.c). The actions hand
 * the keyboard to whoever the step needs before asking the session, which
 * decides and records; the screen reports what it said. */
#include "ck.h"
#include "app.h"
#include "stepview.h"
#include "session.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
	struct lines left, right;
	long *line_step;           /* left line -> step index, -1 for headings */
	size_t line_cap;
	long sel;                  /* selected step index */
	long shown;                /* step the right pane was built for */
	bool focus_right;
	enum session_shell shell;
} P;

static void st_enter(struct ui *u)
{
	lines_init(&P.left);
	lines_init(&P.right);
	P.sel = session_next_step(u->s);
	if (P.sel < 0)
		P.sel = 0;
	P.shown = -1;
	P.focus_right = false;
	ui_alone_notice(u);
}

static void st_leave(struct ui *u)
{
	lines_free(&P.left);
	lines_free(&P.right);
	free(P.line_step);
	P.line_step = NULL;
	P.line_cap = 0;
}

static int st_left_width(void)
{
	int w = COLS / 3;
	return w < 28 ? 28 : w > 44 ? 44 : w;
}

static void st_map(size_t line, long step)
{
	if (line >= P.line_cap) {
		P.line_cap = (line + 1) * 2;
		P.line_step = xrealloc(P.line_step, P.line_cap * sizeof *P.line_step);
	}
	P.line_step[line] = step;
}

/* s cut to w columns, ending in an ellipsis when it was longer. */
static char *st_ellipsis(const char *s, int w)
{
	if ((int)text_width(s) <= w)
		return xstrdup(s);
	const char *ell = term_glyph(G_ELLIPSIS);
	int ew = (int)text_width(ell);
	size_t len = strlen(s), i = 0, cut = 0;
	int cols = 0;
	while (i < len) {
		size_t j = i;
		uint32_t cp;
		if (text_utf8_next(s, len, &j, &cp) < 0)
			break;
		char one[8] = { 0 };
		memcpy(one, s + i, j - i < 7 ? j - i : 7);
		int cw = (int)text_width(one);
		if (cols + cw > w - ew)
			break;
		cols += cw;
		i = j;
		cut = i;
	}
	char *head = xstrndup(s, cut);
	char *r = xasprintf("%s%s", head, ell);
	free(head);
	return r;
}

static void st_build_left(struct ui *u, int w)
{
	lines_clear(&P.left);
	P.left.sel = -1;
	size_t n = session_n_steps(u->s);
	long next = session_next_step(u->s);
	int phase = -1;
	for (size_t i = 0; i < n; i++) {
		struct session_step_info si;
		struct session_step_view sv;
		if (!session_step_view(u->s, i, &sv))
			continue;
		session_step_info(u->s, i, &si);
		if (sv.phase != phase) {
			phase = sv.phase;
			/* Progress per phase: how much of it is behind us. */
			size_t done = 0, all = 0;
			for (size_t j = i; j < n; j++) {
				struct session_step_info sj;
				struct session_step_view vj;
				if (!session_step_view(u->s, j, &vj) || vj.phase != phase)
					break;
				session_step_info(u->s, j, &sj);
				all++;
				done += sj.state == STEP_DONE || sj.state == STEP_SKIPPED;
			}
			char count[48];
			snprintf(count, sizeof count, "%zu/%zu", done, all);
			/* One line: the name gives way, the count stays. */
			char *name = st_ellipsis(sv.phase_name,
						 w - 2 - (int)strlen(count));
			char *head = xasprintf("%s %s", name, count);
			size_t k = P.left.n;
			lines_add_raw(&P.left, head, SLOT_HEADING);
			free(head);
			free(name);
			for (size_t j = k; j < P.left.n; j++)
				st_map(j, -1);
		}
		enum term_slot slot;
		enum term_glyph g = stepview_glyph(si.state, (long)i == next, &slot);
		/* One line per step, cut with an ellipsis: the list must stay
		 * scannable; the right pane has the whole title. */
		char side = sv.side == CK_SIDE_NONE ? ' ' : ck_side_letter(sv.side);
		char *full = xasprintf("%s %c %s", term_glyph(g), side, sv.title);
		char *t = st_ellipsis(full, w - 1);
		free(full);
		size_t k = P.left.n;
		lines_add_raw(&P.left, t, slot);
		P.left.indent[k] = 1;
		st_map(k, (long)i);
		if ((long)i == P.sel)
			P.left.sel = (long)k;
		free(t);
	}
}

static void st_draw(struct ui *u, int y, int h)
{
	int lw = st_left_width();
	int rx = lw + 1, rw = COLS - rx - 1;
	size_t n = session_n_steps(u->s);
	long next = session_next_step(u->s);
	char *title;
	if (next >= 0)
		title = xasprintf(ngettext("Steps: %zu in all; the next one is number %ld.  %s",
					   "Steps: %zu in all; the next one is number %ld.  %s", n),
				  n, next + 1, P.focus_right ? _("Focus: the step") : _("Focus: the list"));
	else
		title = xasprintf(ngettext("Steps: %zu in all; nothing can be done right now.  %s",
					   "Steps: %zu in all; nothing can be done right now.  %s", n),
				  n, P.focus_right ? _("Focus: the step") : _("Focus: the list"));
	term_put(y, 1, COLS - 2, title, SLOT_HEADING);
	free(title);
	int ph = h - 1;
	st_build_left(u, lw - 1);
	lines_show_sel(&P.left, ph);
	lines_draw(&P.left, y + 1, 0, lw, ph, !P.focus_right);
	term_vline(y + 1, lw, ph, SLOT_DIM);
	/* The focused pane, unmistakable without colour and in ASCII too: the
	 * divider points at it, top and bottom, in the selection's colour. */
	const char *arrow = term_glyph(P.focus_right ? G_FOCUS_RIGHT : G_FOCUS_LEFT);
	term_put(y + 1, lw, 1, arrow, SLOT_SELECT);
	if (ph > 1)
		term_put(y + ph, lw, 1, arrow, SLOT_SELECT);
	long keep_top = P.shown == P.sel ? P.right.top : 0;
	lines_clear(&P.right);
	if (P.sel >= 0 && (size_t)P.sel < n)
		stepview_build(u, (size_t)P.sel, P.shell, rw, &P.right);
	P.right.top = keep_top;
	P.shown = P.sel;
	long max_top = (long)P.right.n > ph ? (long)P.right.n - ph : 0;
	if (P.right.top > max_top)
		P.right.top = max_top;
	lines_draw(&P.right, y + 1, rx, rw, ph, P.focus_right);
	if ((long)P.right.n > ph) {
		/* Where the right pane is, on the title row: no text hidden under it. */
		char *pos = xasprintf(_("[%ld-%ld/%zu]"), P.right.top + 1,
				      P.right.top + ph < (long)P.right.n ? P.right.top + ph
									 : (long)P.right.n,
				      P.right.n);
		int pw = (int)strlen(pos);
		term_fill(y, COLS - pw - 2, pw + 2, SLOT_NORMAL);
		term_put(y, COLS - pw - 1, pw, pos, SLOT_DIM);
		free(pos);
	}
}

static void st_move(struct ui *u, enum ui_action a)
{
	/* Move between step lines of the left list, skipping the headings. */
	long line = P.left.sel < 0 ? 0 : P.left.sel;
	long dir = (a == ACT_UP || a == ACT_PGUP || a == ACT_HOME) ? -1 : 1;
	long count = (a == ACT_PGUP || a == ACT_PGDN) ? LINES - 6 : 1;
	if (a == ACT_HOME)
		line = -1, dir = 1, count = 1;
	if (a == ACT_END)
		line = (long)P.left.n, dir = -1, count = 1;
	long found = -1;
	for (long j = line + dir; j >= 0 && j < (long)P.left.n; j += dir) {
		if (P.line_step[j] < 0)
			continue;
		found = j;
		if (--count == 0)
			break;
	}
	if (found >= 0) {
		P.sel = P.line_step[found];
		P.right.top = 0;
	}
}

/* The selected step: its state into *si, what to show into *sv; NULL when
 * nothing is selected. */
static const struct session_step_view *st_step(struct ui *u, struct session_step_info *si,
					       struct session_step_view *sv)
{
	if (P.sel < 0 || !session_step_view(u->s, (size_t)P.sel, sv))
		return NULL;
	session_step_info(u->s, (size_t)P.sel, si);
	return sv;
}

/* Record that the step started, the first time anyone acts on it. */
static bool st_started(struct ui *u, const struct session_step_info *si)
{
	if (si->started)
		return true;
	char *err = NULL;
	struct session_step_view sv;
	if (session_step_view(u->s, (size_t)P.sel, &sv) &&
	    session_step_start(u->s, u->active, sv.id, &err) == 0)
		return true;
	ui_error(u, err);
	return false;
}

static char *st_why(struct ui *u, const struct session_step_view *st, const char *what)
{
	(void)u;
	return xasprintf("%s: %s", what, st->title);
}

/* The key bar's name for an action ("e", "c"), for a hint. */
static char *st_key(enum ui_action a)
{
	struct buf b = BUF_INIT;
	action_keys_text(a, &b);
	return buf_steal(&b);
}

/* Ask the rules before anyone is asked for the keyboard, a passphrase or a
 * signature: a refused action is refused here, with what is missing and
 * the key that does it, and nobody types anything for nothing. */
static bool st_allowed(struct ui *u, const struct session_step_view *st,
		       const struct session_step_info *si, enum session_step_act act, int side)
{
	enum session_missing m = SESSION_MISSING_NOTHING;
	char *err = NULL, *hint = NULL, *k = NULL, *who = NULL;
	if (session_step_allowed(u->s, act, side, st->id, &m, &err) == 0)
		return true;
	switch (m) {
	case SESSION_MISSING_EVIDENCE:
		k = st_key(ACT_EVIDENCE);
		hint = xasprintf(_("First the evidence: %s enters it."), k);
		break;
	case SESSION_MISSING_CONFIRM:
		k = st_key(ACT_CONFIRM);
		who = ui_op_name(u, st->owner);
		hint = xasprintf(_("First %s confirms (%s)."), who, k);
		break;
	case SESSION_MISSING_CHECK:
		k = st_key(ACT_CHECK);
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
static void st_after(struct ui *u, bool advance)
{
	if (advance) {
		long next = session_next_step(u->s);
		if (next >= 0)
			P.sel = next;
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

static char *st_validate_name(void *ctx, const char *value)
{
	const char *want = ctx;
	if (!strcmp(value, want))
		return NULL;
	return xstrdup(_("does not match the resource name yet"));
}

static char *st_validate_reason(void *ctx, const char *value)
{
	(void)ctx;
	for (const char *p = value; *p; p++)
		if (*p != ' ')
			return NULL;
	return xstrdup(_("say why: the reason goes into the journal and the report"));
}

static int st_confirm(struct ui *u)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = st_step(u, &si, &sv);
	if (!st)
		return UF_HANDLED;
	char *err = NULL;
	char *why;
	if (si.state == STEP_WAIT_EVENT) {
		if (!st_allowed(u, st, &si, SESSION_ACT_EVENT, st->owner))
			return UF_HANDLED;
		why = st_why(u, st, _("The owner records the outside event"));
		bool ok = ui_handoff(u, st->owner, why);
		free(why);
		if (!ok)
			return UF_HANDLED;
		char *what = NULL;
		char *q = xasprintf(_("What arrived, and when? (%s)"),
				    si.wait_event ? si.wait_event : "");
		if (ui_input(u, _("Record the event"), q, NULL, false, st_validate_reason, NULL,
			     &what) == UA_OK) {
			if (session_step_event(u->s, u->active, st->id, what, &err) == 0)
				ui_message(u, SLOT_DONE, _("Recorded: the event arrived."));
			else
				ui_error(u, err);
			ui_input_free(what);
		}
		free(q);
		st_after(u, true);
		return UF_HANDLED;
	}
	if (!st_allowed(u, st, &si, SESSION_ACT_CONFIRM, st->owner))
		return UF_HANDLED;
	why = st_why(u, st, _("The owner confirms"));
	bool ok = ui_handoff(u, st->owner, why);
	free(why);
	if (!ok || !st_started(u, &si))
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
					    st_validate_name, want, &typed);
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
		st_after(u, !st->witness);
	} else {
		ui_error(u, err);
	}
	if (typed)
		ui_input_free(typed);
	return UF_HANDLED;
}

static int st_witness(struct ui *u)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = st_step(u, &si, &sv);
	if (!st)
		return UF_HANDLED;
	int side = ck_other_side(st->owner);
	if (!st_allowed(u, st, &si, SESSION_ACT_WITNESS, side))
		return UF_HANDLED;
	char *why = st_why(u, st, _("The other operator witnesses"));
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
		st_after(u, true);
	} else {
		ui_error(u, err);
	}
	return UF_HANDLED;
}

struct ev_ctx {
	struct ui *u;
	size_t step, k;
};

static char *st_validate_ev(void *ctx, const char *value)
{
	struct ev_ctx *c = ctx;
	return session_evidence_problem(c->u->s, c->step, c->k, value);
}

static int st_evidence(struct ui *u)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = st_step(u, &si, &sv);
	if (!st)
		return UF_HANDLED;
	size_t i = (size_t)P.sel, n = st->n_evidence;
	if (!n) {
		ui_message(u, SLOT_NORMAL, _("This step needs no evidence typed in."));
		return UF_HANDLED;
	}
	if (!st_allowed(u, st, &si, SESSION_ACT_EVIDENCE, st->owner))
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
	char *why = st_why(u, st, _("The owner enters the evidence"));
	bool ok = ui_handoff(u, st->owner, why);
	free(why);
	if (!ok || !st_started(u, &si))
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
				       e.multiline ? UI_IN_MULTILINE : 0, st_validate_ev, &c, &v);
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

static int st_check(struct ui *u, bool perform)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = st_step(u, &si, &sv);
	if (!st)
		return UF_HANDLED;
	if (perform && session_is_executing(u->s)) { /* run --live --execute */
		if (ui_handoff(u, st->owner, NULL) && st_started(u, &si) && ui_signin(u, st->owner))
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
	    !st_allowed(u, st, &si, perform ? SESSION_ACT_PERFORM : SESSION_ACT_CHECK, actor))
		return UF_HANDLED;
	/* live: a subscription's checks are observed with its operator's token */
	bool owner_signs = !perform && ui_needs_signin(u, st->owner) &&
			   session_is_live(u->s) && st->side != CK_SIDE_NONE;
	if (u->active == CK_SIDE_NONE || perform || owner_signs) {
		char *why = st_why(u, st, perform ? _("The owner performs") : _("Check"));
		bool ok = ui_handoff(u, perform || owner_signs ? st->owner
					: u->active == CK_SIDE_NONE ? st->owner : u->active, why);
		free(why);
		if (!ok)
			return UF_HANDLED;
	}
	if (!st_started(u, &si))
		return UF_HANDLED;
	/* live: a check is observed with a token (the last sign-in may have
	 * been refused: this tries again) */
	if (session_is_live(u->s) && !ui_signin(u, u->active))
		return UF_HANDLED;
	char *err = NULL;
	const struct session_check *r = NULL;
	int rc = perform ? session_step_perform(u->s, u->active, st->id, &r, &err)
			 : session_step_check(u->s, u->active, st->id, &r, &err);
	if (rc != 0) {
		ui_error(u, err);
		return UF_HANDLED;
	}
	enum term_slot slot = r && r->status == SESSION_CHECK_PASS ? SLOT_DONE : SLOT_WARN;
	ui_message(u, slot, _("Recorded: %s %s%s%s"), perform ? _("performed;") : _("check"),
		   r ? session_check_status_name(r->status) : "", r && r->summary ? ": " : "",
		   r && r->summary ? r->summary : "");
	if (r && r->no_token)
		ui_no_token(u, st->side, r->summary, false);
	return UF_HANDLED;
}

/* Skip or deviation: a reason, then both operators sign. */
static int st_reason(struct ui *u, bool skip)
{
	struct session_step_info si;
	struct session_step_view sv;
	const struct session_step_view *st = st_step(u, &si, &sv);
	if (!st)
		return UF_HANDLED;
	if (skip && !st_allowed(u, st, &si, SESSION_ACT_SKIP,
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
				    false, st_validate_reason, NULL, &reason);
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
			st_after(u, skip);
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
		     false, st_validate_reason, NULL, &text) != UA_OK)
		return UF_HANDLED;
	char *err = NULL;
	if (session_note(u->s, u->active, text, &err) == 0)
		ui_message(u, SLOT_DONE, _("Recorded: the note."));
	else
		ui_error(u, err);
	ui_input_free(text);
	return UF_HANDLED;
}

static int st_export(struct ui *u)
{
	return P.sel >= 0 ? stepcopy_export(u, (size_t)P.sel, P.shell) : UF_HANDLED;
}

static int st_clipboard(struct ui *u)
{
	return P.sel >= 0 ? stepcopy_clipboard(u, (size_t)P.sel, P.shell) : UF_HANDLED;
}

static int st_commands(struct ui *u)
{
	return P.sel >= 0 ? stepcopy_view(u, (size_t)P.sel, P.shell) : UF_HANDLED;
}

/* Esc takes the focus back to the list. */
static bool st_can_back(const struct ui *u)
{
	(void)u;
	return P.focus_right;
}

static int st_act(struct ui *u, enum ui_action a, int key)
{
	int ph = LINES - 4;
	switch (a) {
	case ACT_UP: case ACT_DOWN: case ACT_PGUP: case ACT_PGDN: case ACT_HOME: case ACT_END:
		if (P.focus_right)
			lines_scroll(&P.right, a, ph);
		else
			st_move(u, a);
		return UF_HANDLED;
	case ACT_TAB:
		P.focus_right = !P.focus_right;
		return UF_HANDLED;
	case ACT_ENTER:
		P.focus_right = true;
		return UF_HANDLED;
	case ACT_BACK:
		P.focus_right = false;
		return UF_HANDLED;
	case ACT_NEXT: {
		long next = session_next_step(u->s);
		if (next < 0) {
			ui_message(u, SLOT_NORMAL, _("No step can be done now: everything left waits."));
		} else {
			P.sel = next;
			P.right.top = 0;
		}
		return UF_HANDLED;
	}
	case ACT_CONFIRM: return st_confirm(u);
	case ACT_WITNESS: return st_witness(u);
	case ACT_EVIDENCE: return st_evidence(u);
	case ACT_CHECK: return st_check(u, false);
	case ACT_PERFORM: return st_check(u, true);
	case ACT_SHELL:
		P.shell = P.shell == SESSION_SHELL_BASH ? SESSION_SHELL_POWERSHELL : SESSION_SHELL_BASH;
		ui_message(u, SLOT_NORMAL, _("Commands for %s."), stepview_shell_name(P.shell));
		return UF_HANDLED;
	case ACT_COMMANDS: return st_commands(u);
	case ACT_EXPORT: return st_export(u);
	case ACT_CLIPBOARD: return st_clipboard(u);
	case ACT_SKIP: return st_reason(u, true);
	case ACT_DEVIATE: return st_reason(u, false);
	case ACT_NOTE: return ui_note(u);
	case ACT_CLOSE_SITTING: return ui_close_sitting(u);
	case ACT_HANDOFF:
		ui_handoff(u, u->active == CK_SIDE_NONE ? CK_SIDE_A : ck_other_side(u->active), NULL);
		return UF_HANDLED;
	default:
		return UF_NONE;
	}
}

int ui_step_action(struct ui *u, size_t step, enum ui_action a)
{
	P.sel = (long)step;
	return st_act(u, a, 0);
}

const struct ui_screen screen_steps = {
	.name = "steps",
	.scopes = SC_MOVE | SC_PANES | SC_STEP,
	.can_back = st_can_back,
	.enter = st_enter,
	.draw = st_draw,
	.act = st_act,
	.leave = st_leave,
};
