/* pager.c: a scrolling text view over the body rows, the help screen
 * generated from the action table, and the plain (curses-free) view that
 * lets commands leave the terminal intact. */
#include "ck.h"
#include "app.h"
#include "text.h"
#include "util.h"


#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The current screen stays drawn around the pager, which takes the body. */
static void pager_loop(struct ui *u, const char *title, struct lines *l, unsigned scopes,
			  int (*act)(struct ui *u, enum ui_action a, void *ctx), void *ctx)
{
	for (;;) {
		ui_draw(u);
		int y, h;
		ui_body(&y, &h);
		if (!ui_too_small()) {
			for (int r = 0; r < h; r++)
				term_fill(y + r, 0, COLS, SLOT_NORMAL);
			term_put(y, 0, COLS, title, SLOT_HEADING);
			lines_draw(l, y + 1, 0, COLS, h - 1, 1);
			if ((long)l->n > h - 1) {
				char *pos = xasprintf(_("lines %ld-%ld of %zu"), l->top + 1,
						      l->top + h - 1 < (long)l->n ? l->top + h - 1 : (long)l->n,
						      l->n);
				int pw = (int)strlen(pos);
				term_put(y, COLS - pw, pw, pos, SLOT_DIM);
				free(pos);
			}
		}
		int key;
		int a = ui_event(u, &key, scopes | SC_MOVE);
		if (a < 0 || u->lock_pending)
			return;
		if (a == ACT_BACK || a == ACT_ENTER || a == ACT_HELP)
			return;
		if (a == ACT_QUIT) {
			/* Quit from inside a view asks like everywhere else. */
			enum ui_answer ans = ui_confirm(u, _("Quit"), _("Leave the wizard? The journal "
						"is always consistent: nothing recorded is lost, and "
						"the session resumes where it stopped."));
			if (ans == UA_OK)
				u->leaving = true;
			if (ans != UA_CANCEL || u->leaving)
				return;
			continue;
		}
		int ph = LINES - 4;
		if (lines_scroll(l, a, ph))
			continue;
		if (act && a > 0 && act(u, (enum ui_action)a, ctx))
			continue;
	}
}

void ui_pager(struct ui *u, const char *title, struct lines *l, unsigned scopes,
	      int (*act)(struct ui *u, enum ui_action a, void *ctx), void *ctx)
{
	unsigned saved = u->pager_scopes;
	u->pager_scopes = scopes | SC_MOVE;
	pager_loop(u, title, l, scopes, act, ctx);
	u->pager_scopes = saved;
}

void ui_help(struct ui *u)
{
	struct lines l;
	lines_init(&l);
	int w = COLS - 2;
	lines_add(&l, _("Keys are the same on every screen; a screen lists what applies to it "
			"in the bar at the bottom. Quitting loses nothing: every answer is "
			"recorded in the journal the moment it is given."), w, 1, 0, SLOT_NORMAL);
	unsigned scopes[] = { SC_ALL, SC_MOVE, SC_PANES, SC_REVIEW, SC_STEP, SC_COMMANDS, SC_WAIT };
	for (size_t s = 0; s < CK_ARRAY_LEN(scopes); s++) {
		bool heading = false;
		for (int a = 1; a < ACT_COUNT; a++) {
			const struct ui_action_info *ai = action_info((enum ui_action)a);
			if ((ai->scope & -ai->scope) != scopes[s])
				continue;
			if (!heading) {
				lines_blank(&l);
				lines_add(&l, _(action_scope_name(scopes[s])), w, 1, 0, SLOT_HEADING);
				heading = true;
			}
			struct buf k = BUF_INIT;
			action_keys_text((enum ui_action)a, &k);
			char *line = xasprintf("%-14s %s", buf_str(&k), _(ai->help));
			lines_add(&l, line, w, 3, 15, SLOT_NORMAL);
			free(line);
			buf_free(&k);
		}
	}
	lines_blank(&l);
	lines_add(&l, _("Esc or Enter returns."), w, 1, 0, SLOT_DIM);
	ui_pager(u, _("Help: keys of the wizard"), &l, 0, NULL, NULL);
	lines_free(&l);
}

/* How far c takes a match of marker (0 when it breaks it). */
static size_t pager_match(const char *marker, size_t at, char c)
{
	return c == marker[at] ? at + 1 : c == marker[0] ? 1 : 0;
}

/* Wait for Enter on the plain terminal, still honouring signals; the idle
 * lock takes effect when the wizard returns. A bracketed paste is not
 * Enter: its line ends are passed over up to its end marker (the caller
 * then drops whatever else was sent, so none of it becomes wizard keys). */
static void pager_wait_enter(void)
{
	static const char begin[] = "\033[200~", end[] = "\033[201~";
	size_t at = 0;
	bool pasting = false;
	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		int r = poll(&p, 1, 1000);
		if (r < 0)
			return; /* a signal: the main loop sees its flag */
		if (r == 0)
			continue;
		char c;
		if (read(STDIN_FILENO, &c, 1) != 1)
			return;
		at = pager_match(pasting ? end : begin, at, c);
		if (at == sizeof begin - 1) {
			pasting = !pasting;
			at = 0;
		} else if (!pasting && (c == '\n' || c == '\r')) {
			return;
		}
	}
}

void ui_plain_view(struct ui *u, const char *title, const char *text)
{
	char *vis = text_visible(text);
	if (term_scripted()) {
		struct lines l;
		lines_init(&l);
		/* Hard-wrapped at the width, no indent: what a copy would get. */
		lines_add_raw(&l, vis, SLOT_NORMAL);
		ui_pager(u, title, &l, SC_COMMANDS, NULL, NULL);
		lines_free(&l);
		free(vis);
		return;
	}
	def_prog_mode();
	endwin();
	/* A clean page: only this step's commands to select and copy. */
	const char *cl = tigetstr("clear");
	if (cl && cl != (const char *)-1)
		putp(cl);
	if (u->rehearsal)
		printf("%s ", _("REHEARSAL"));
	char *t = text_visible_line(title);
	printf("%s\n\n%s\n\n%s", t, vis, _("Copy what you need, then press Enter to return to the wizard."));
	fflush(stdout);
	free(t);
	pager_wait_enter();
	reset_prog_mode();
	flushinp(); /* the rest of a paste, or keys typed meanwhile */
	clearok(curscr, TRUE);
	free(vis);
}
