/* scr_wait.c: when everything left waits (Microsoft's five business days,
 * 72 hours for mailboxes, the other operator's signature): say what and
 * until when, offer to close the sitting, and in a rehearsal to move the
 * simulated clock forward (the session records that as an event). */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static struct {
	struct lines l;
	struct session_wait_item *items;
	size_t n;
	long *line_item;     /* line -> item, -1 */
	size_t cap;
} W;

static void wt_enter(struct ui *u)
{
	lines_init(&W.l);
	W.l.sel = 0;
}

static void wt_leave(struct ui *u)
{
	lines_free(&W.l);
	free(W.items);
	free(W.line_item);
	memset(&W, 0, sizeof W);
}

static void wt_map_from(size_t first, long item)
{
	if (W.l.n > W.cap) {
		W.cap = W.l.n * 2;
		W.line_item = xrealloc(W.line_item, W.cap * sizeof *W.line_item);
	}
	for (size_t i = first; i < W.l.n; i++)
		W.line_item[i] = item;
}

static char *wt_item_text(struct ui *u, const struct session_wait_item *it)
{
	struct session_step_view sv;
	bool known = session_step_view(u->s, it->step, &sv);
	const char *title = known ? sv.title : "?";
	char tb[40];
	switch (it->state) {
	case STEP_WAIT_TIME: {
		long left = (long)(it->until - session_now(u->s));
		long hours = left > 0 ? (left + 3599) / 3600 : 0;
		return xasprintf(ngettext("%s %s: until %s (%ld hour from now)",
					  "%s %s: until %s (%ld hours from now)", (unsigned long)hours),
				 term_glyph(G_WAIT_TIME), title, ui_time(it->until, tb, sizeof tb), hours);
	}
	case STEP_WAIT_EVENT: {
		char *who = ui_op_name(u, known ? sv.owner : CK_SIDE_NONE);
		char *r = xasprintf(_("%s %s: until %s; %s records it when it arrives (Enter)"),
				    term_glyph(G_WAIT_TIME), title, it->event ? it->event : "?", who);
		free(who);
		return r;
	}
	case STEP_WAIT_WITNESS: {
		char *who = ui_op_name(u, it->who);
		char *r = xasprintf(_("%s %s: %s must witness it (Enter)"), term_glyph(G_WAIT_OTHER),
				    title, who);
		free(who);
		return r;
	}
	default:
		return xasprintf("%s %s", term_glyph(G_TODO), title);
	}
}

static void wt_build(struct ui *u, int w)
{
	free(W.items);
	W.items = NULL;
	bool all = false;
	W.n = session_waits(u->s, &W.items, &all);
	lines_clear(&W.l);
	size_t f = W.l.n;
	lines_add(&W.l, all ? _("Everything left is waiting. What, and until when:")
			    : _("Waiting steps (other steps can be done meanwhile):"), w, 1, 0,
		  SLOT_HEADING);
	lines_blank(&W.l);
	wt_map_from(f, -1);
	for (size_t i = 0; i < W.n; i++) {
		f = W.l.n;
		char *t = wt_item_text(u, &W.items[i]);
		lines_add(&W.l, t, w, 2, 4, SLOT_WAITING);
		free(t);
		wt_map_from(f, (long)i);
	}
	f = W.l.n;
	lines_blank(&W.l);
	char tb[40];
	char *now = xasprintf(_("Now: %s%s"), ui_time(session_now(u->s), tb, sizeof tb),
			      u->rehearsal ? _(" (simulated clock)") : "");
	lines_add(&W.l, now, w, 1, 0, SLOT_DIM);
	free(now);
	lines_add(&W.l, _("z (F2) closes this sitting: the journal keeps everything and the next "
			  "sitting starts here. Esc shows the steps."), w, 1, 0, SLOT_NORMAL);
	if (u->rehearsal)
		lines_add(&W.l, _("f (F6) fast-forwards the simulated clock (rehearsal: recorded in "
				  "the journal)."), w, 1, 0, SLOT_NORMAL);
	wt_map_from(f, -1);
	if (W.l.sel >= (long)W.l.n)
		W.l.sel = (long)W.l.n - 1;
	if (W.l.sel >= 0 && W.line_item[W.l.sel] < 0) {
		for (size_t i = 0; i < W.l.n; i++)
			if (W.line_item[i] >= 0) {
				W.l.sel = (long)i;
				break;
			}
	}
}

static void wt_draw(struct ui *u, int y, int h)
{
	wt_build(u, COLS - 2);
	lines_show_sel(&W.l, h);
	lines_draw(&W.l, y, 0, COLS, h, 1);
}

static char *wt_validate_hours(void *ctx, const char *v)
{
	char *end;
	long h = strtol(v, &end, 10);
	if (!*v || *end || h <= 0 || h > 24 * 60)
		return xstrdup(_("a number of hours, 1 to 1440"));
	return NULL;
}

static int wt_forward(struct ui *u)
{
	if (!u->rehearsal) {
		ui_message(u, SLOT_WARN, _("Only a rehearsal's clock can be moved."));
		return UF_HANDLED;
	}
	/* Suggest the end of the nearest timed wait, else a working week. */
	long best = 0;
	for (size_t i = 0; i < W.n; i++)
		if (W.items[i].state == STEP_WAIT_TIME) {
			long left = (long)(W.items[i].until - session_now(u->s));
			if (left > 0 && (!best || left < best))
				best = left;
		}
	long hours = best ? (best + 3599) / 3600 : 120;
	char init[24];
	snprintf(init, sizeof init, "%ld", hours);
	char *v = NULL;
	if (ui_input(u, _("Fast-forward"), _("Move the simulated clock forward by how many hours?"),
		     init, false, wt_validate_hours, NULL, &v) != UA_OK)
		return UF_HANDLED;
	hours = strtol(v, NULL, 10);
	ui_input_free(v);
	if (u->active == CK_SIDE_NONE && !ui_handoff(u, CK_SIDE_A, NULL))
		return UF_HANDLED;
	char *err = NULL;
	if (session_clock_advance(u->s, u->active, hours * 3600, &err) == 0) {
		ui_message(u, SLOT_DONE,
			   ngettext("Recorded: the simulated clock moved %ld hour forward.",
				    "Recorded: the simulated clock moved %ld hours forward.",
				    (unsigned long)hours),
			   hours);
		ui_route(u);
	} else {
		ui_error(u, err);
	}
	return UF_HANDLED;
}

/* Enter on an item: witness it, or record the awaited event. */
static int wt_item(struct ui *u)
{
	long i = W.l.sel >= 0 && (size_t)W.l.sel < W.l.n ? W.line_item[W.l.sel] : -1;
	if (i < 0 || (size_t)i >= W.n)
		return UF_HANDLED;
	const struct session_wait_item *it = &W.items[i];
	if (it->state == STEP_WAIT_TIME) {
		ui_message(u, SLOT_NORMAL, _("This one only needs time to pass."));
		return UF_HANDLED;
	}
	/* The step screen's own handlers: the same handoff and questions. */
	int f = ui_step_action(u, it->step, it->state == STEP_WAIT_WITNESS ? ACT_WITNESS : ACT_CONFIRM);
	if (!u->next)
		ui_route(u); /* maybe something can be done now */
	return f;
}

static char *wt_validate_reason(void *ctx, const char *v)
{
	for (; *v; v++)
		if (*v != ' ')
			return NULL;
	return xstrdup(_("say what happened and why: it goes into the journal and the report"));
}

/* A deviation about the whole session (not one step): both sign it. */
static int wt_deviation(struct ui *u)
{
	char *reason = NULL, *perr = NULL;
	if (!ui_pre_ok(u, session_deviation_allowed(u->s, NULL, &perr), &perr, true))
		return UF_HANDLED;
	if (ui_input(u, _("Record a deviation"), _("What deviates from the plan for the whole "
						     "ceremony, and why? Both operators sign this."),
		     NULL, false, wt_validate_reason, NULL, &reason) != UA_OK)
		return UF_HANDLED;
	int extra;
	char *err = NULL;
	if (ui_both(u, _("A deviation needs both operators."), &extra)) {
		if (session_deviation(u->s, NULL, reason, &err) == 0)
			ui_message(u, SLOT_DONE, _("Recorded: deviation, signed by both."));
		else
			ui_error(u, err);
	}
	ui_both_done(u, extra);
	ui_input_free(reason);
	return UF_HANDLED;
}

/* Esc goes to the step screen. */
static bool wt_can_back(const struct ui *u)
{
	(void)u;
	return true;
}

static int wt_act(struct ui *u, enum ui_action a, int key)
{
	switch (a) {
	case ACT_FASTFWD: return wt_forward(u);
	case ACT_CLOSE_SITTING: return ui_close_sitting(u);
	case ACT_ENTER: return wt_item(u);
	case ACT_BACK:
		ui_goto(u, &screen_steps);
		return UF_HANDLED;
	case ACT_NOTE: return ui_note(u);
	case ACT_DEVIATE: return wt_deviation(u);
	case ACT_HANDOFF:
		ui_handoff(u, u->active == CK_SIDE_NONE ? CK_SIDE_A : ck_other_side(u->active), NULL);
		return UF_HANDLED;
	default:
		return lines_scroll(&W.l, a, LINES - 3) ? UF_HANDLED : UF_NONE;
	}
}

const struct ui_screen screen_wait = {
	.name = "wait",
	.scopes = SC_MOVE | SC_WAIT,
	.can_back = wt_can_back,
	.enter = wt_enter,
	.draw = wt_draw,
	.act = wt_act,
	.leave = wt_leave,
};
