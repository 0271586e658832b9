/* scr_start.c: start or resume. What the operators must see before they
 * begin: organisation, plan and its SHA-256, mode, session directory, the
 * sitting, and who is present (each present operator unlocks their key,
 * because presence is signed). */
#include "ck.h"
#include "app.h"
#include "pubkey.h"
#include "session.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum start_choice { START_BOTH, START_A, START_B, START_N };

static struct {
	int choice;
	struct lines l;
} S;

static void start_enter(struct ui *u)
{
	lines_init(&S.l);
	S.choice = START_BOTH;
}

static void start_leave(struct ui *u)
{
	lines_free(&S.l);
}

/* The rows' labels share one column, as wide as the longest in the language
 * shown, measured in screen columns: a translation may be longer than the
 * English or hold double-width characters, which printf's %-12s counts as bytes. */
static const char *const start_labels[] = {
	N_("Organisation"), N_("Plan file"), N_("Plan SHA-256"), N_("Plan status"), N_("Mode"),
	N_("Session"), N_("Sitting"), N_("Operators"), N_("Progress"), N_("Attention"),
};

static int start_label_cols(void)
{
	int cols = 12;
	for (size_t i = 0; i < CK_ARRAY_LEN(start_labels); i++) {
		int c = (int)text_width(_(start_labels[i]));
		if (c > cols)
			cols = c;
	}
	return cols > 24 ? 24 : cols;
}

static void start_row(struct lines *l, int w, const char *label, const char *value,
		      enum term_slot slot)
{
	int cols = start_label_cols(), pad = cols - (int)text_width(label);
	char *t = xasprintf("%s%*s %s", label, pad > 0 ? pad : 0, "", value ? value : "");
	lines_add(l, t, w, 1, cols + 1, slot);
	free(t);
}

static void start_operator(struct ui *u, struct lines *l, int w, int side)
{
	const struct plan *p = session_plan(u->s);
	const struct plan_operator *op = &p->op[side];
	char *fp = op->key_ok ? pubkey_fingerprint(op->pub) : xstrdup(_("(no valid key)"));
	char *t = xasprintf("%c  %s <%s>%s", ck_side_letter(side), op->name ? op->name : "?",
			    op->upn ? op->upn : "?", op->demo ? _(" (demo operator)") : "");
	start_row(l, w, side == CK_SIDE_A ? _("Operators") : "", t, SLOT_NORMAL);
	free(t);
	t = xasprintf("   %s", fp);
	start_row(l, w, "", t, SLOT_DIM);
	free(t);
	free(fp);
}

/* How far the ceremony is, for those who come back to it. */
static char *start_progress(struct ui *u)
{
	size_t n = session_n_steps(u->s), done = 0, skipped = 0;
	for (size_t i = 0; i < n; i++) {
		struct session_step_info si;
		session_step_info(u->s, i, &si);
		done += si.state == STEP_DONE;
		skipped += si.state == STEP_SKIPPED;
	}
	if (session_is_closed(u->s))
		return xasprintf(_("%zu of %zu done, %zu skipped; the ceremony is closed"), done, n,
				 skipped);
	if (done + skipped == n)
		return skipped ? xasprintf(_("%zu of %zu done, %zu skipped: only the closing remains"),
					   done, n, skipped)
			       : xasprintf(_("%zu of %zu done: only the closing remains"), done, n);
	return skipped ? xasprintf(_("%zu of %zu done, %zu skipped, %zu to go"), done, n, skipped,
				   n - done - skipped)
		       : xasprintf(_("%zu of %zu done, %zu to go"), done, n, n - done);
}

static void start_build(struct ui *u, int w)
{
	struct lines *l = &S.l;
	lines_clear(l);
	const struct plan *p = session_plan(u->s);
	struct session_plan_status ps;
	session_plan_status(u->s, &ps);
	struct session_sitting st;
	session_sitting(u->s, &st);
	char tb[40], tb2[40];

	lines_add(l, session_resumed(u->s) ? _("Resume the ceremony") : _("Start the ceremony"),
		  w, 1, 0, SLOT_HEADING);
	lines_blank(l);
	char *org = xasprintf("%s (%s)", p->org.name ? p->org.name : "?",
			      p->org.tenant_domain ? p->org.tenant_domain : "?");
	start_row(l, w, _("Organisation"), org, SLOT_NORMAL);
	free(org);
	start_row(l, w, _("Plan file"), session_plan_path(u->s), SLOT_NORMAL);
	start_row(l, w, _("Plan SHA-256"), ps.sha256, SLOT_NORMAL);
	char *ver = xasprintf(_("version %ld, %s, %s"), ps.version,
			      ps.approved ? _("approved by its author") : _("not approved yet"),
			      ps.verified ? _("verified by the other operator") : _("not verified yet"));
	start_row(l, w, _("Plan status"), ver, SLOT_NORMAL);
	free(ver);
	start_row(l, w, _("Mode"),
		  u->rehearsal ? _("REHEARSAL: the built-in simulator; nothing touches Azure")
				    : _("guide mode: you run the commands, the wizard records"),
		  u->rehearsal ? SLOT_WARN : SLOT_NORMAL);
	char *dir = xasprintf(_("%s (%s; journal events: %ld)"), session_dir(u->s),
			      session_resumed(u->s) ? _("resumed") : _("new"), session_n_events(u->s));
	start_row(l, w, _("Session"), dir, SLOT_NORMAL);
	free(dir);
	char *sit;
	if (st.number == 0)
		sit = xstrdup(_("this is the first sitting"));
	else if (st.open)
		sit = xasprintf(_("sitting %ld is open since %s"), st.number,
				ui_time(st.opened, tb, sizeof tb));
	else
		sit = xasprintf(_("this will be sitting %ld (the last one: %s to %s)"), st.number + 1,
				ui_time(st.opened, tb, sizeof tb), ui_time(st.closed, tb2, sizeof tb2));
	start_row(l, w, _("Sitting"), sit, SLOT_NORMAL);
	free(sit);
	if (session_resumed(u->s)) {
		char *pr = start_progress(u);
		start_row(l, w, _("Progress"), pr, SLOT_NORMAL);
		free(pr);
	}
	start_operator(u, l, w, CK_SIDE_A);
	start_operator(u, l, w, CK_SIDE_B);
	const char *bt = session_blocker_text(u->s);
	if (bt)
		start_row(l, w, _("Attention"), bt, SLOT_ERROR);
	lines_blank(l);
	lines_add(l, _("Who is present for this sitting? Up/Down, then Enter:"), w, 1, 0,
		  SLOT_HEADING);
}

static void start_draw(struct ui *u, int y, int h)
{
	int w = COLS - 2;
	start_build(u, w);
	if (session_two_terminals(u->s)) {
		ui_two_start_lines(u, &S.l, w);
		S.l.top = 0;
		lines_show_sel(&S.l, h);
		lines_draw(&S.l, y, 0, COLS, h, 1);
		return;
	}
	char *who[START_N];
	char *a = ui_op_name(u, CK_SIDE_A), *b = ui_op_name(u, CK_SIDE_B);
	who[START_BOTH] = xasprintf(_("Both: %s and %s"), a, b);
	who[START_A] = xasprintf(_("%s only"), a);
	who[START_B] = xasprintf(_("%s only"), b);
	for (int i = 0; i < START_N; i++) {
		char *t = xasprintf("%s %s", i == S.choice ? term_glyph(G_ARROW) : " ", who[i]);
		size_t k = lines_add(&S.l, t, w, 3, 2, SLOT_NORMAL);
		if (i == S.choice)
			S.l.sel = (long)k;
		free(t);
		free(who[i]);
	}
	free(a);
	free(b);
	lines_add(&S.l, _("Each operator present types their passphrase: presence is signed."),
		  w, 1, 0, SLOT_DIM);
	S.l.top = 0;
	lines_show_sel(&S.l, h);
	lines_draw(&S.l, y, 0, COLS, h, 1);
}

/* Close a sitting left open by a crash or a quit, with whoever is unlocked. */
static void start_close_stale(struct ui *u)
{
	struct session_sitting st;
	session_sitting(u->s, &st);
	if (!st.open)
		return;
	for (int side = 0; side < CK_SIDES; side++) {
		char *err = NULL;
		if (session_is_unlocked(u->s, side) && session_sitting_close(u->s, side, &err) == 0)
			return;
		free(err);
	}
}

/* A crash left a partial last line: nothing can be appended until both
 * operators set it aside (kept in a side file, recorded as a deviation). This
 * comes before the sitting, which is itself an append. */
static bool start_torn_tail(struct ui *u)
{
	if (session_blocker(u->s) != SESSION_TORN_TAIL)
		return true;
	if (!session_is_unlocked(u->s, CK_SIDE_A) || !session_is_unlocked(u->s, CK_SIDE_B)) {
		ui_alert(u, _("Torn journal line"),
			 _("The journal's last line was cut off by a crash. Setting it aside needs "
			   "both operators: open the sitting with both present."));
		return false;
	}
	char *q = xasprintf(_("%s\n\nBoth operators set the partial line aside (it is kept in a "
			      "side file, never dropped). Why, in a few words?"),
			    session_blocker_text(u->s));
	char *reason = NULL;
	enum ui_answer a = ui_input(u, _("Torn journal line"), q, NULL, false, NULL, NULL, &reason);
	free(q);
	if (a != UA_OK)
		return false;
	char *err = NULL;
	bool ok = session_set_aside_tail(u->s, reason, &err) == 0;
	ui_input_free(reason);
	if (!ok)
		ui_error(u, err);
	return ok;
}

static int start_open(struct ui *u)
{
	bool present[CK_SIDES] = { S.choice != START_B, S.choice != START_A };
	for (int side = 0; side < CK_SIDES; side++) {
		if (!present[side] || session_is_unlocked(u->s, side))
			continue;
		if (!ui_unlock(u, side, _("Opening the sitting records who is present.")))
			return UF_HANDLED;
	}
	if (!start_torn_tail(u))
		return UF_HANDLED;
	start_close_stale(u);
	char *err = NULL;
	if (session_sitting_open(u->s, present, &err) != 0) {
		ui_error(u, err);
		return UF_HANDLED;
	}
	/* Every present key stays unlocked for the sitting (the signing PIN
	 * guards each signature); the first present operator has the keyboard. */
	u->active = present[CK_SIDE_A] ? CK_SIDE_A : CK_SIDE_B;
	ui_update_header(u);
	if (session_failed(u->s)) {
		ui_alert(u, _("The journal cannot be written"), session_blocker_text(u->s));
		return UF_HANDLED;
	}
	struct session_sitting st;
	session_sitting(u->s, &st);
	ui_message(u, SLOT_DONE, _("Recorded: sitting %ld opened."), st.number);
	/* live: the operator at the keyboard signs in to Azure now; the other
	 * signs in when the keyboard is handed over */
	(void)ui_signin(u, u->active);
	ui_route(u);
	return UF_HANDLED;
}

static int start_act(struct ui *u, enum ui_action a, int key)
{
	switch (a) {
	case ACT_UP:
		S.choice = S.choice > 0 ? S.choice - 1 : 0;
		return UF_HANDLED;
	case ACT_DOWN:
		S.choice = S.choice < START_N - 1 ? S.choice + 1 : START_N - 1;
		return UF_HANDLED;
	case ACT_ENTER:
		if (session_two_terminals(u->s))
			return ui_two_start(u);
		return start_open(u);
	case ACT_BACK:
		return UF_QUIT;
	default:
		break;
	}
	if (key == 'a' || key == 'A') {
		S.choice = START_A;
		return UF_HANDLED;
	}
	if (key == 'B' || key == 'b') {
		S.choice = START_B;
		return UF_HANDLED;
	}
	return UF_NONE;
}

const struct ui_screen screen_start = {
	.name = "start",
	.scopes = SC_MOVE,
	.enter = start_enter,
	.draw = start_draw,
	.act = start_act,
	.leave = start_leave,
};
