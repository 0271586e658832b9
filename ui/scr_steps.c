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
	case ACT_CONFIRM: return stepact_confirm(u, &P.sel);
	case ACT_WITNESS: return stepact_witness(u, &P.sel);
	case ACT_EVIDENCE: return stepact_evidence(u, &P.sel);
	case ACT_CHECK: return stepact_check(u, &P.sel, false);
	case ACT_PERFORM: return stepact_check(u, &P.sel, true);
	case ACT_SHELL:
		P.shell = P.shell == SESSION_SHELL_BASH ? SESSION_SHELL_POWERSHELL : SESSION_SHELL_BASH;
		ui_message(u, SLOT_NORMAL, _("Commands for %s."), stepview_shell_name(P.shell));
		return UF_HANDLED;
	case ACT_COMMANDS: return st_commands(u);
	case ACT_EXPORT: return st_export(u);
	case ACT_CLIPBOARD: return st_clipboard(u);
	case ACT_SKIP: return stepact_reason(u, &P.sel, true);
	case ACT_DEVIATE: return stepact_reason(u, &P.sel, false);
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
