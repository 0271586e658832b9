/* lines.h: text prepared for the screen: wrapped to a width, each line with
 * its slot, plus a scroll position. Screens build a `struct lines` and a
 * pager draws it; nothing here touches the terminal except lines_draw(). */
#ifndef CK_UI_LINES_H
#define CK_UI_LINES_H

#include "term.h"

#include <stddef.h>

struct lines {
	char **text;             /* already made visible (text_visible) */
	enum term_slot *slot;
	int *indent;
	size_t n, cap;
	long top;                /* first line shown */
	long sel;                /* selected line (-1: none, plain scrolling) */
};

void lines_init(struct lines *l);
void lines_free(struct lines *l);
void lines_clear(struct lines *l);  /* keeps the scroll position */
/* Add text word-wrapped to width columns (continuations indented by hang);
 * untrusted text is made visible first. Returns the first line's index. */
size_t lines_add(struct lines *l, const char *s, int width, int indent, int hang,
		 enum term_slot slot);
/* Commands in a pane: wrapped like lines_add, except that a comment line
 * ('#' after its indentation) stays a comment on every row it takes: each
 * continuation starts with the same indentation and "# ". */
size_t lines_add_code(struct lines *l, const char *s, int width, int indent, int hang,
		      enum term_slot slot);
/* Add text without wrapping (commands: what you copy must be what was
 * written). Each '\n'-separated line becomes one line, tabs kept as spaces. */
size_t lines_add_raw(struct lines *l, const char *s, enum term_slot slot);
/* Bytes of the longest head of s that takes at most cols columns and ends
 * where a line may break (before a space, or beside a double-width character);
 * all of s when it fits, 0 when no break fits. */
size_t lines_fit(const char *s, int cols);
void lines_blank(struct lines *l);
/* Draw rows [top, top+h) at (y, x) w wide; the selected line highlighted
 * with SLOT_SELECT (focused) or SLOT_SELECT_DIM. */
void lines_draw(const struct lines *l, int y, int x, int w, int h, int focused);
/* Scroll for an action; h is the visible height. Returns 1 if it moved. */
int lines_scroll(struct lines *l, int action, int h);
/* Keep sel visible in a window of h rows. */
void lines_show_sel(struct lines *l, int h);

#endif
