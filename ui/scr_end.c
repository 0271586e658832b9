/* scr_end.c: the end. Close the ceremony (both sign; the session writes the
 * reports), then the summary and the journal head hash, large enough for
 * both operators to copy onto paper: it is the trust anchor of verify. */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static struct lines E;
/* The reports as they are on disk, looked at when the screen opens and
 * after the closing (rendering them is not for every frame). */
static struct session_report R[SESSION_N_REPORTS];
static bool have_reports;

static void end_reports(struct ui *u)
{
	if (have_reports)
		session_reports_free(R);
	have_reports = session_is_closed(u->s);
	if (have_reports)
		session_reports(u->s, R);
}

static void end_enter(struct ui *u)
{
	lines_init(&E);
	end_reports(u);
}

static void end_leave(struct ui *u)
{
	lines_free(&E);
	if (have_reports)
		session_reports_free(R);
	have_reports = false;
}

/* Only what was written is listed as written; what is not says why. */
static void end_report_lines(int w)
{
	static const struct {
		enum session_report_state st;
		const char *title;
		int slot;
	} groups[] = {
		{ SESSION_REPORT_WRITTEN, N_("Reports written:"), SLOT_NORMAL },
		{ SESSION_REPORT_REFUSED, N_("Reports not written (never overwritten):"), SLOT_ERROR },
		{ SESSION_REPORT_MISSING, N_("Reports missing (written when the session is resumed, "
					    "or render them with `ckwizard report`):"), SLOT_ERROR },
	};
	for (size_t g = 0; g < CK_ARRAY_LEN(groups); g++) {
		bool any = false;
		for (size_t i = 0; have_reports && i < SESSION_N_REPORTS; i++) {
			if (R[i].state != groups[g].st)
				continue;
			if (!any) {
				lines_blank(&E);
				lines_add(&E, _(groups[g].title), w, 2, 0, groups[g].slot);
			}
			any = true;
			char *line = R[i].why ? xasprintf("%s %s: %s", term_glyph(G_BULLET), R[i].path,
							  R[i].why)
					      : xasprintf("%s %s", term_glyph(G_BULLET), R[i].path);
			lines_add(&E, line, w, 4, 2, groups[g].slot);
			free(line);
		}
	}
}

static void end_build(struct ui *u, int w)
{
	lines_clear(&E);
	size_t n = session_n_steps(u->s), done = 0, skipped = 0, open = 0;
	for (size_t i = 0; i < n; i++) {
		struct session_step_info si;
		session_step_info(u->s, i, &si);
		if (si.state == STEP_DONE)
			done++;
		else if (si.state == STEP_SKIPPED)
			skipped++;
		else
			open++;
	}
	struct session_sitting st;
	session_sitting(u->s, &st);
	bool closed = session_is_closed(u->s);
	lines_add(&E, closed ? _("The ceremony is closed") : _("Every step is done or skipped"), w,
		  1, 0, SLOT_HEADING);
	lines_blank(&E);
	/* Each count its own plural; the sentence joins them. */
	long nev = session_n_events(u->s);
	char *steps = xasprintf(ngettext("%zu step", "%zu steps", n), n);
	char *sits = xasprintf(ngettext("%ld sitting", "%ld sittings", (unsigned long)st.number),
			       st.number);
	char *evs = xasprintf(ngettext("%ld journal event", "%ld journal events",
				       (unsigned long)nev), nev);
	char *t = xasprintf(_("%s: %zu done, %zu skipped, %zu open; %s; %s."), steps, done,
			    skipped, open, sits, evs);
	free(steps);
	free(sits);
	free(evs);
	lines_add(&E, t, w, 2, 2, SLOT_NORMAL);
	free(t);
	if (!closed) {
		lines_blank(&E);
		lines_add(&E, _("Enter closes the ceremony: both operators sign, and the reports "
				"(Markdown, HTML, JSON) are written to the session directory."), w, 2, 2,
			  SLOT_CURRENT);
		return;
	}
	end_report_lines(w);
	lines_blank(&E);
	lines_add(&E, _("Journal head hash: both operators write it down now. `ckwizard verify "
			"--head` checks the journal against it."), w, 2, 2, SLOT_HEADING);
	const char *head = session_head(u->s);
	/* In groups of eight: easier to copy by hand and to read back. */
	struct buf b = BUF_INIT;
	for (size_t i = 0; head && head[i]; i++) {
		if (i && i % 8 == 0)
			buf_putc(&b, i % 32 == 0 ? '\n' : ' ');
		buf_putc(&b, head[i]);
	}
	lines_add(&E, buf_str(&b), w, 6, 0, SLOT_CURRENT);
	buf_free(&b);
	lines_blank(&E);
	lines_add(&E, head ? head : "", w, 2, 0, SLOT_NORMAL);
	lines_blank(&E);
	/* The whole command, with this session's paths, to check it later. */
	lines_add(&E, _("To check the journal, the plan and the report later:"), w, 2, 0,
		  SLOT_NORMAL);
	struct buf c = BUF_INIT;
	session_verify_command(u->s, &c);
	lines_add(&E, buf_str(&c), w, 4, 4, SLOT_CURRENT);
	buf_free(&c);
	lines_blank(&E);
	lines_add(&E, _("q leaves the wizard."), w, 2, 0, SLOT_DIM);
}

static void end_draw(struct ui *u, int y, int h)
{
	end_build(u, COLS - 2);
	lines_draw(&E, y, 0, COLS, h, 1);
}

static int end_close(struct ui *u)
{
	if (session_is_closed(u->s))
		return UF_HANDLED;
	char *perr = NULL;
	if (!ui_pre_ok(u, session_close_allowed(u->s, &perr), &perr, true))
		return UF_HANDLED;
	if (ui_confirm(u, _("Close the ceremony"), _("Close the ceremony now? Both operators sign; "
						     "nothing can be recorded after this.")) != UA_OK)
		return UF_HANDLED;
	int extra;
	char *err = NULL;
	if (ui_both(u, _("Closing the ceremony needs both operators."), &extra)) {
		int rc = session_close(u->s, &err);
		end_reports(u);
		if (rc == 0)
			ui_message(u, SLOT_DONE, _("Recorded: the ceremony is closed and the reports "
						   "are written."));
		else
			ui_error(u, err);
	}
	ui_both_done(u, extra);
	return UF_HANDLED;
}

/* Esc goes to the step screen while the ceremony is open. */
static bool end_can_back(const struct ui *u)
{
	return !session_is_closed(u->s);
}

static int end_act(struct ui *u, enum ui_action a, int key)
{
	switch (a) {
	case ACT_ENTER:
		return end_close(u);
	case ACT_BACK:
		if (!session_is_closed(u->s))
			ui_goto(u, &screen_steps);
		return UF_HANDLED;
	case ACT_QUIT:
		return session_is_closed(u->s) ? UF_QUIT_NOW : UF_QUIT;
	default:
		return lines_scroll(&E, a, LINES - 3) ? UF_HANDLED : UF_NONE;
	}
}

const struct ui_screen screen_end = {
	.name = "end",
	.scopes = SC_MOVE,
	.can_back = end_can_back,
	.enter = end_enter,
	.draw = end_draw,
	.act = end_act,
	.leave = end_leave,
};
