/* dialog.c: modal widgets in dialog's manner: each loops until it has one of
 * a fixed set of answers, drawing over the current screen, and rebuilds
 * itself from scratch after a resize. */
#include "ck.h"
#include "app.h"
#include "secret.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Room for pasted command output (the session takes up to SESSION_MAX_TEXT
 * bytes of text; the validator says when a value is too long). */
#define DIALOG_INPUT_MAX 16384

struct box {
	int y, x, h, w;
};

/* A framed box centred on the screen for n text lines. */
static struct box dialog_box(int n_lines, int w)
{
	struct box b;
	b.w = w < COLS - 4 ? w : COLS - 4;
	b.h = n_lines + 4;
	if (b.h > LINES - 2)
		b.h = LINES - 2;
	b.y = (LINES - b.h) / 2;
	b.x = (COLS - b.w) / 2;
	return b;
}

static void dialog_frame(const struct box *b, const char *title)
{
	for (int r = 0; r < b->h; r++)
		term_fill(b->y + r, b->x, b->w, SLOT_NORMAL);
	term_put(b->y, b->x, 1, term_glyph(G_TL), SLOT_NORMAL);
	term_hline(b->y, b->x + 1, b->w - 2, SLOT_NORMAL);
	term_put(b->y, b->x + b->w - 1, 1, term_glyph(G_TR), SLOT_NORMAL);
	term_vline(b->y + 1, b->x, b->h - 2, SLOT_NORMAL);
	term_vline(b->y + 1, b->x + b->w - 1, b->h - 2, SLOT_NORMAL);
	term_put(b->y + b->h - 1, b->x, 1, term_glyph(G_BL), SLOT_NORMAL);
	term_hline(b->y + b->h - 1, b->x + 1, b->w - 2, SLOT_NORMAL);
	term_put(b->y + b->h - 1, b->x + b->w - 1, 1, term_glyph(G_BR), SLOT_NORMAL);
	if (title) {
		char *t = xasprintf(" %s ", title);
		term_put(b->y, b->x + 2, b->w - 4, t, SLOT_HEADING);
		free(t);
	}
}

static void dialog_text(struct lines *l, const char *text, int w)
{
	lines_clear(l);
	lines_add(l, text, w, 0, 0, SLOT_NORMAL);
}

/* A framed message with a line of key labels under it, at most max_w wide;
 * nothing when the terminal is too small (the frame says so instead). */
static void dialog_draw_message(struct lines *l, const char *title, const char *text,
				const char *labels, int max_w)
{
	if (ui_too_small())
		return;
	int w = COLS - 8 < max_w ? COLS - 8 : max_w;
	dialog_text(l, text, w - 4);
	struct box b = dialog_box((int)l->n + 1, w);
	dialog_frame(&b, title);
	lines_draw(l, b.y + 2, b.x + 2, b.w - 4, b.h - 5, 0);
	term_put(b.y + b.h - 2, b.x + 2, b.w - 4, labels, SLOT_HEADING);
}

enum ui_answer ui_confirm(struct ui *u, const char *title, const char *text)
{
	return ui_confirm_labels(u, title, text, _("Enter: yes    Esc: no"));
}

enum ui_answer ui_confirm_labels(struct ui *u, const char *title, const char *text,
				 const char *labels)
{
	u->in_dialog++;
	struct lines l;
	lines_init(&l);
	enum ui_answer ans = UA_CANCEL;
	for (;;) {
		ui_draw(u);
		dialog_draw_message(&l, title, text, labels, 66);
		int key;
		int a = ui_event(u, &key, 0);
		if (a < 0) {
			ans = UA_UNWIND;
			break;
		}
		if (u->lock_pending)
			break;
		if (a == ACT_ENTER || key == 'y' || key == 'Y') {
			ans = UA_OK;
			break;
		}
		if (a == ACT_BACK || key == 'n' || key == 'N' || a == ACT_QUIT)
			break;
	}
	lines_free(&l);
	u->in_dialog--;
	return ans;
}

void ui_alert(struct ui *u, const char *title, const char *text)
{
	u->in_dialog++;
	struct lines l;
	lines_init(&l);
	for (;;) {
		ui_draw(u);
		dialog_draw_message(&l, title, text, _("Enter: OK"), 70);
		int key;
		int a = ui_event(u, &key, 0);
		if (a < 0 || u->lock_pending || a == ACT_ENTER || a == ACT_BACK)
			break;
	}
	lines_free(&l);
	u->in_dialog--;
}

void ui_notice(struct ui *u, const char *title, const char *text)
{
	struct lines l;
	lines_init(&l);
	ui_draw(u);
	dialog_draw_message(&l, title, text, _("Please wait..."), 70);
	term_flush();
	lines_free(&l);
}

static bool dialog_is_text_key(int key)
{
	return key >= ' ' && key != 0x7f && key < 0x110000 && !(key >= 0x80 && key < 0xa0);
}

static void dialog_backspace(char *v, size_t *len)
{
	/* Remove one whole UTF-8 character. */
	while (*len > 0) {
		unsigned char c = (unsigned char)v[--(*len)];
		if ((c & 0xc0) != 0x80)
			break;
	}
	v[*len] = 0;
}

/* false when it does not fit: the caller says so rather than cutting text. */
static bool dialog_append(char *v, size_t *len, int key)
{
	char enc[5];
	size_t n;
	uint32_t c = (uint32_t)key;
	if (c < 0x80) {
		enc[0] = (char)c; n = 1;
	} else if (c < 0x800) {
		enc[0] = (char)(0xc0 | (c >> 6)); enc[1] = (char)(0x80 | (c & 0x3f)); n = 2;
	} else if (c < 0x10000) {
		enc[0] = (char)(0xe0 | (c >> 12)); enc[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		enc[2] = (char)(0x80 | (c & 0x3f)); n = 3;
	} else {
		enc[0] = (char)(0xf0 | (c >> 18)); enc[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		enc[2] = (char)(0x80 | ((c >> 6) & 0x3f)); enc[3] = (char)(0x80 | (c & 0x3f)); n = 4;
	}
	bool fits = *len + n + 1 <= DIALOG_INPUT_MAX;
	if (fits) {
		memcpy(v + *len, enc, n);
		*len += n;
		v[*len] = 0;
	}
	util_wipe(enc, sizeof enc);
	return fits;
}

/* A pasted block's line ends, shown as a glyph on the one-line field. */
static char *dialog_shown(const char *v)
{
	struct buf b = BUF_INIT;
	for (const char *p = v; *p; p++) {
		if (*p == '\n')
			buf_puts(&b, term_glyph(G_NEWLINE));
		else
			buf_putc(&b, *p);
	}
	return buf_steal(&b);
}

/* The visible tail of the value that fits w columns. */
static const char *dialog_tail(const char *v, int w)
{
	while (*v && (int)text_width(v) > w - 1) {
		v++;
		while ((*v & 0xc0) == 0x80)
			v++;
	}
	return v;
}

/* Rows a multi-line field shows: its last lines, at most this many. */
#define DIALOG_FIELD_ROWS 6

static void dialog_input_draw(struct ui *u, struct lines *l, const char *title, const char *text,
			      const char *value, bool secret, bool multiline, const char *error)
{
	ui_draw(u);
	if (ui_too_small())
		return;
	int w = COLS - 8 < 72 ? COLS - 8 : 72;
	dialog_text(l, text, w - 4);
	/* The validation message wraps too: it says what is wrong and how to fix it. */
	struct lines el;
	lines_init(&el);
	if (error && *error)
		lines_add(&el, error, w - 4, 0, 2, SLOT_ERROR);
	int ne = el.n ? (int)el.n : 1;
	/* A pasted block in a multi-line field shows as lines (its last
	 * ones), each ending in the line-end glyph, not as one long row. */
	int fr = 1;
	const char *from = value;
	if (multiline && !secret) {
		int nl = 0;
		for (const char *p = value; *p; p++)
			nl += *p == '\n';
		fr = nl + 1 < DIALOG_FIELD_ROWS ? nl + 1 : DIALOG_FIELD_ROWS;
		for (int skip = nl + 1 - fr; skip > 0; skip--)
			from = strchr(from, '\n') + 1;
	}
	struct box b = dialog_box((int)l->n + 1 + fr + ne, w);
	dialog_frame(&b, title);
	lines_draw(l, b.y + 2, b.x + 2, b.w - 4, b.h - 5 - fr - ne, 0);
	int fy = b.y + b.h - 2 - fr - ne;
	for (int r = 0; r < fr; r++)
		term_fill(fy + r, b.x + 2, b.w - 4, SLOT_INPUT);
	if (secret) {
		term_put(fy, b.x + 2, b.w - 4, _("(typing is not shown)"), SLOT_INPUT);
	} else if (fr > 1) {
		const char *p = from;
		for (int r = 0; r < fr && p; r++) {
			const char *nl = strchr(p, '\n');
			char *row = nl ? xstrndup(p, (size_t)(nl - p) + 1) : xstrdup(p);
			char *shown = dialog_shown(row);
			term_put(fy + r, b.x + 2, b.w - 4, dialog_tail(shown, b.w - 4), SLOT_INPUT);
			free(shown);
			free(row);
			p = nl ? nl + 1 : NULL;
		}
	} else {
		char *shown = dialog_shown(value);
		term_put(fy, b.x + 2, b.w - 4, dialog_tail(shown, b.w - 4), SLOT_INPUT);
		free(shown);
	}
	lines_draw(&el, fy + 1, b.x + 2, b.w - 4, ne, 0);
	lines_free(&el);
	term_put(b.y + b.h - 2, b.x + 2, b.w - 4, _("Enter: accept    Esc: cancel"),
		 SLOT_HEADING);
}

enum ui_answer ui_input(struct ui *u, const char *title, const char *text, const char *initial,
			bool secret, ui_validate_fn validate, void *ctx, char **out)
{
	return ui_input_ex(u, title, text, initial, secret ? UI_IN_SECRET : 0, validate, ctx, out);
}

enum ui_answer ui_input_ex(struct ui *u, const char *title, const char *text, const char *initial,
			   unsigned flags, ui_validate_fn validate, void *ctx, char **out)
{
	bool secret = flags & UI_IN_SECRET;
	bool overflow = false;
	u->in_dialog++;
	u->in_input++;
	/* Secret memory for both kinds: evidence is not secret, but one code
	 * path is easier to get right than two. */
	char *v = secret_alloc(DIALOG_INPUT_MAX);
	size_t len = 0;
	v[0] = 0;
	if (initial && !secret) {
		len = strlen(initial) < DIALOG_INPUT_MAX - 1 ? strlen(initial) : DIALOG_INPUT_MAX - 1;
		memcpy(v, initial, len);
		v[len] = 0;
	}
	char *error = NULL;
	struct lines l;
	lines_init(&l);
	enum ui_answer ans = UA_CANCEL;
	if (validate && len)
		error = validate(ctx, v);
	for (;;) {
		dialog_input_draw(u, &l, title, text, v, secret, flags & UI_IN_MULTILINE, error);
		int key;
		int a = ui_event(u, &key, 0);
		if (a < 0) {
			ans = UA_UNWIND;
			break;
		}
		if (u->lock_pending)
			break;
		if (key == TERM_PASTE) {
			/* All of it is text (term_paste.c): pasted output keeps its
			 * lines where the field takes them; elsewhere a line end is
			 * just a space. */
			const int *pk;
			size_t n = term_paste(&pk);
			for (size_t i = 0; i < n; i++) {
				int c = pk[i];
				if ((c == '\n' || c == '\t') && !(flags & UI_IN_MULTILINE))
					c = ' ';
				overflow |= !dialog_append(v, &len, c);
			}
			const char *problem = term_paste_problem();
			term_paste_wipe();
			free(error);
			error = validate ? validate(ctx, v) : NULL;
			if (problem) { /* what happened to the paste comes first */
				free(error);
				error = xstrdup(problem);
			} else if (overflow && !error)
				error = xasprintf(_("too long: only the first %d bytes fit; nothing is "
						    "accepted cut short (C-u clears)"), DIALOG_INPUT_MAX - 1);
			continue;
		} else if (key == 27) {
			break;
		} else if (key == '\r' || key == '\n' || key == TERM_FN(KEY_ENTER)) {
			if (!error) {
				ans = UA_OK;
				break;
			}
			continue;
		} else if (key == TERM_FN(KEY_BACKSPACE) || key == 0x7f || key == 8) {
			dialog_backspace(v, &len);
			overflow = false;
		} else if (key == 21) { /* C-u */
			util_wipe(v, len);
			len = 0;
			v[0] = 0;
			overflow = false;
		} else if (dialog_is_text_key(key) && key < TERM_FN(0)) {
			overflow |= !dialog_append(v, &len, key);
		} else {
			continue;
		}
		free(error);
		error = validate ? validate(ctx, v) : NULL;
		if (overflow && !error)
			error = xasprintf(_("too long: only the first %d bytes fit; nothing is "
					    "accepted cut short (C-u clears)"), DIALOG_INPUT_MAX - 1);
	}
	free(error);
	lines_free(&l);
	u->in_input--;
	if (ans == UA_OK) {
		*out = v;
	} else {
		*out = NULL;
		secret_free(v, DIALOG_INPUT_MAX);
	}
	u->in_dialog--;
	return ans;
}

void ui_input_free(char *v)
{
	secret_free(v, DIALOG_INPUT_MAX);
}

int ui_menu(struct ui *u, const char *title, const char *text, char *const *items, size_t n,
	    size_t initial)
{
	struct lines l, m;
	lines_init(&l);
	lines_init(&m);
	long sel = (long)(initial < n ? initial : 0);
	int result = -1;
	u->in_dialog++;
	for (;;) {
		ui_draw(u);
		if (!ui_too_small()) {
			int w = COLS - 8 < 72 ? COLS - 8 : 72;
			dialog_text(&l, text, w - 4);
			lines_clear(&m);
			for (size_t i = 0; i < n; i++)
				lines_add_raw(&m, items[i], SLOT_NORMAL);
			m.sel = sel;
			struct box b = dialog_box((int)l.n + (int)n + 2, w);
			dialog_frame(&b, title);
			lines_draw(&l, b.y + 2, b.x + 2, b.w - 4, (int)l.n, 0);
			lines_draw(&m, b.y + 3 + (int)l.n, b.x + 2, b.w - 4, (int)n, 1);
			term_put(b.y + b.h - 2, b.x + 2, b.w - 4, _("Up/Down, Enter: choose    Esc: cancel"),
				 SLOT_HEADING);
		}
		int key;
		int a = ui_event(u, &key, SC_MOVE);
		if (a < 0 || u->lock_pending || a == ACT_BACK)
			break;
		if (a == ACT_ENTER) {
			result = (int)sel;
			break;
		}
		if (a == ACT_UP && sel > 0)
			sel--;
		else if (a == ACT_DOWN && sel + 1 < (long)n)
			sel++;
	}
	lines_free(&l);
	lines_free(&m);
	u->in_dialog--;
	return result;
}
