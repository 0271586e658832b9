/* frame.c: what surrounds every screen (header with the REHEARSAL watermark,
 * message line, function-key bar), the "enlarge the terminal" screen, and
 * the event source that handles resizes, idle time and signals for every
 * loop, modal or not. */
#include "ck.h"
#include "app.h"
#include "lines.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool ui_too_small(void)
{
	return COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
}

void ui_body(int *y, int *h)
{
	*y = 1;
	*h = LINES - 3;
}

/* A message longer than its line ends at a word, with an ellipsis: a word
 * cut in the middle reads as another word. Japanese has no spaces, so a
 * break beside a double-width character counts as a word's end. Caller frees. */
static char *frame_fit(const char *msg, int w)
{
	if ((int)text_width(msg) <= w)
		return xstrdup(msg);
	const char *ell = term_glyph(G_ELLIPSIS);
	size_t cut = lines_fit(msg, w - (int)text_width(ell));
	while (cut > 0 && msg[cut - 1] == ' ')
		cut--;
	char *head = xstrndup(msg, cut);
	char *r = xasprintf("%s%s", head, ell);
	free(head);
	return r;
}

void ui_message(struct ui *u, enum term_slot slot, const char *fmt, ...)
{
	free(u->msg);
	u->msg = NULL;
	if (!fmt)
		return;
	va_list ap;
	va_start(ap, fmt);
	u->msg = xvasprintf(fmt, ap);
	va_end(ap);
	u->msg_slot = slot;
}

void ui_goto(struct ui *u, const struct ui_screen *s)
{
	u->next = s;
	u->route = false;
}

/* Only a request: the loop (app.c), which knows the screens, picks the
 * screen once the handler returns, so no screen calls up into it. The
 * session's state is the same then, and the later of ui_goto and ui_route
 * wins, as when the screen was chosen at once. */
void ui_route(struct ui *u)
{
	u->next = NULL;
	u->route = true;
}

static void frame_header(struct ui *u)
{
	term_fill(0, 0, COLS, SLOT_TITLE);
	int x = term_put(0, 1, COLS - 1, "ckwizard", SLOT_TITLE) + 2;
	const char *wm = u->rehearsal ? _(" REHEARSAL ") : NULL;
	int wmw = wm ? (int)text_width(wm) : 0; /* columns, not bytes: translations */
	if (u->header) {
		char *h = frame_fit(u->header, COLS - x - wmw - 1);
		term_put(0, x, COLS - x - wmw - 1, h, SLOT_TITLE);
		free(h);
	}
	if (wm)
		term_put(0, COLS - wmw, wmw, wm, SLOT_WATERMARK);
}

/* F-keys in order, then the others (Enter, Tab, Esc): the bar is generated
 * from the action table and cut where the terminal ends. */
static void frame_fbar(struct ui *u, unsigned scopes)
{
	term_fill(LINES - 1, 0, COLS, SLOT_NORMAL);
	int x = 0;
	/* Esc is shown where it goes back: in a pager, or where the screen
	 * says so now. */
	bool back = u->pager_scopes ||
		    (u->screen && u->screen->can_back && u->screen->can_back(u));
	for (int pass = 0; pass < 2; pass++) {
		for (int fn = pass ? 0 : 1; fn <= (pass ? 0 : 12); fn++) {
			bool shown = false; /* one label per function key: the first action's */
			for (int a = 1; a < ACT_COUNT; a++) {
				const struct ui_action_info *ai = action_info((enum ui_action)a);
				if (!ai->bar || !(ai->scope & (scopes | SC_ALL)))
					continue;
				if (a == ACT_BACK && !back)
					continue;
				/* a stopped journal refuses every key that would
				 * record: those are not offered */
				if (u->stopped && !(ai->scope & SC_STOPPED))
					continue;
				int k = ai->keys[0];
				bool isfn = k >= TERM_FN(KEY_F(1)) && k <= TERM_FN(KEY_F(12));
				if (pass == 0 && (!isfn || k != TERM_FN(KEY_F(fn)) || shown))
					continue;
				shown = pass == 0;
				if (pass == 1 && isfn)
					continue;
				if (a == ACT_QUIT && pass == 1)
					continue;
				char tmp[16];
				const char *kn = action_key_name(k, tmp, sizeof tmp);
				const char *label = _(ai->bar);
				/* htop's "F1Help"; named keys get a space: "Esc Back". */
				const char *gap = isfn ? "" : " ";
				int need = (int)strlen(kn) + (int)strlen(gap) + (int)text_width(label) + 1;
				if (x + need > COLS)
					return;
				x += term_put(LINES - 1, x, COLS - x, kn, SLOT_FKEY);
				x += term_put(LINES - 1, x, COLS - x, gap, SLOT_FKEY);
				x += term_put(LINES - 1, x, COLS - x, label, SLOT_FLABEL);
				x += term_put(LINES - 1, x, COLS - x, " ", SLOT_NORMAL);
			}
		}
	}
}

static void frame_small(struct ui *u)
{
	term_clear();
	char *m = xasprintf(_("Please enlarge the terminal to at least %dx%d (it is %dx%d now)."),
			    UI_MIN_COLS, UI_MIN_LINES, COLS, LINES);
	struct lines l;
	lines_init(&l);
	if (u->rehearsal)
		lines_add(&l, _("REHEARSAL"), COLS, 0, 0, SLOT_WATERMARK);
	lines_add(&l, m, COLS, 0, 0, SLOT_WARN);
	lines_add(&l, _("Nothing is lost meanwhile. q quits."), COLS, 0, 0, SLOT_NORMAL);
	int top = (LINES - (int)l.n) / 2;
	lines_draw(&l, top < 0 ? 0 : top, 0, COLS, LINES, 0);
	lines_free(&l);
	free(m);
}

static unsigned frame_scopes(const struct ui *u)
{
	if (u->pager_scopes)
		return u->pager_scopes;
	return u->screen ? u->screen->scopes : 0;
}

/* Rows the message may take above the function keys. */
enum { FRAME_MSG_ROWS = 3 };

/* The message line: one row, or wrapped over up to FRAME_MSG_ROWS rows that
 * cover the bottom of the body, so that a long message (a journal that cannot
 * be written, and what to do about it) is read whole, not cut at its cause.
 * Once the journal is stopped the body serves nothing more, so the message
 * may take half of it. A message's last line after a newline is what to do
 * (a command to copy): it is drawn whole, below the rest, and when rows run
 * short the text before it is what ends in an ellipsis. */
static void frame_message(struct ui *u)
{
	int y, h;
	ui_body(&y, &h);
	int cap = u->stopped && h / 2 > FRAME_MSG_ROWS ? h / 2 : FRAME_MSG_ROWS;
	struct lines l, todo;
	lines_init(&l);
	lines_init(&todo);
	const char *nl = strrchr(u->msg, '\n');
	if (nl && nl[1]) {
		char *head = xstrndup(u->msg, (size_t)(nl - u->msg));
		lines_add(&l, head, COLS - 2, 0, 0, u->msg_slot);
		lines_add(&todo, nl + 1, COLS - 2, 0, 0, u->msg_slot);
		free(head);
	} else {
		lines_add(&l, u->msg, COLS - 2, 0, 0, u->msg_slot);
	}
	int nt = todo.n < (size_t)cap ? (int)todo.n : cap;
	int n = l.n < (size_t)(cap - nt) ? (int)l.n : cap - nt;
	for (int i = 0; i < n + nt; i++) {
		int row = LINES - 1 - (n + nt) + i;
		const char *text = i < n ? l.text[i] : todo.text[i - n];
		char *m = NULL;
		if (i == n - 1 && (size_t)n < l.n) { /* more than fits: end in an ellipsis */
			char *rest = xasprintf("%s %s", l.text[i], l.text[i + 1]);
			m = frame_fit(rest, COLS - 2);
			free(rest);
		}
		term_fill(row, 0, COLS, SLOT_NORMAL);
		term_put(row, 1, COLS - 2, m ? m : text, u->msg_slot);
		free(m);
	}
	lines_free(&todo);
	lines_free(&l);
}

void ui_draw(struct ui *u)
{
	if (ui_too_small()) {
		frame_small(u);
		return;
	}
	term_clear();
	frame_header(u);
	int y, h;
	ui_body(&y, &h);
	if (u->screen && u->screen->draw)
		u->screen->draw(u, y, h);
	term_fill(LINES - 2, 0, COLS, SLOT_NORMAL);
	if (u->msg)
		frame_message(u);
	if (u->in_dialog)
		term_fill(LINES - 1, 0, COLS, SLOT_NORMAL); /* the dialog lists its keys */
	else
		frame_fbar(u, frame_scopes(u));
}

int ui_event(struct ui *u, int *key, unsigned scopes)
{
	for (;;) {
		if (u->leaving)
			return -1;
		term_flush();
		enum term_event ev = term_next(key);
		switch (ev) {
		case TEV_KEY:
			if (*key == TERM_PASTE && !u->in_input) {
				/* Pasted text is never keys: only a text field takes it. */
				term_paste_wipe();
				ui_message(u, SLOT_WARN, "%s",
					   _("Pasted text goes only into a text field: ignored."));
				*key = 0;
				return ACT_NONE;
			}
			if (*key == TERM_PASTE)
				return ACT_NONE;
			if (ui_too_small()) {
				/* Only quitting means something on the small screen. */
				if (action_for_key(*key, 0) == ACT_QUIT) {
					u->leaving = true;
					return -1;
				}
				continue;
			}
			if (action_for_key(*key, scopes) == ACT_REDRAW) {
				/* Something scribbled on the terminal: repaint it all. */
				clearok(curscr, TRUE);
				*key = 0;
				return ACT_NONE;
			}
			/* Two terminals: act on the state as it is now, the other's
			 * last appends included. */
			if (u->sync)
				u->sync(u);
			return action_for_key(*key, scopes);
		case TEV_RESIZE:
			return ACT_NONE; /* the caller redraws */
		case TEV_TICK:
			if (u->tick && u->tick(u)) {
				*key = 0;
				return ACT_NONE; /* the other terminal recorded something: redraw */
			}
			continue;
		case TEV_IDLE:
			u->lock_pending = true;
			return ACT_NONE;
		case TEV_SIGNAL:
		case TEV_END:
			u->leaving = true;
			return -1;
		}
	}
}
