/* lines.c: wrapping and scrolling text for the screens; see lines.h. */
#include "ck.h"
#include "lines.h"
#include "action.h"
#include "text.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void lines_init(struct lines *l)
{
	memset(l, 0, sizeof *l);
	l->sel = -1;
}

void lines_clear(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->text[i]);
	l->n = 0;
}

void lines_free(struct lines *l)
{
	lines_clear(l);
	free(l->text);
	free(l->slot);
	free(l->indent);
	lines_init(l);
}

static size_t lines_push(struct lines *l, char *text, int indent, enum term_slot slot)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->text = xrealloc(l->text, l->cap * sizeof *l->text);
		l->slot = xrealloc(l->slot, l->cap * sizeof *l->slot);
		l->indent = xrealloc(l->indent, l->cap * sizeof *l->indent);
	}
	l->text[l->n] = text;
	l->slot[l->n] = slot;
	l->indent[l->n] = indent;
	return l->n++;
}

void lines_blank(struct lines *l)
{
	lines_push(l, xstrdup(""), 0, SLOT_NORMAL);
}

/* Columns of s[0..n) */
static int lines_cols(const char *s, size_t n)
{
	char *t = xstrndup(s, n);
	int w = (int)text_width(t);
	free(t);
	return w;
}

/* Closing marks that never start a line and opening marks that never end one
 * (the usual Japanese line-breaking rules, JIS X 4051 "kinsoku"), in UTF-8. */
static const char lines_no_start[] = "\xe3\x80\x81\xe3\x80\x82\xef\xbc\x8c\xef\xbc\x8e"
	"\xef\xbc\x89\xe3\x80\x8d\xe3\x80\x8f\xe3\x80\x91\xe3\x80\x95\xe3\x80\x89"
	"\xe3\x80\x8b\xef\xbc\x81\xef\xbc\x9f\xef\xbc\x9a\xe3\x83\xbc\xe2\x80\xa6"
	"\xe3\x81\x81\xe3\x81\x83\xe3\x81\x85\xe3\x81\x87\xe3\x81\x89\xe3\x81\xa3"
	"\xe3\x82\x83\xe3\x82\x85\xe3\x82\x87\xe3\x82\xa1\xe3\x82\xa3\xe3\x82\xa5"
	"\xe3\x82\xa7\xe3\x82\xa9\xe3\x83\x83\xe3\x83\xa3\xe3\x83\xa5\xe3\x83\xa7"
	").,:;!?";
static const char lines_no_end[] = "\xef\xbc\x88\xe3\x80\x8c\xe3\x80\x8e\xe3\x80\x90"
	"\xe3\x80\x94\xe3\x80\x88\xe3\x80\x8a(";

static bool lines_in(const char *set, const char *ch, size_t n)
{
	for (const char *s = set; *s;) {
		size_t k = 1;
		while (s[k] && (s[k] & 0xc0) == 0x80)
			k++;
		if (k == n && memcmp(s, ch, n) == 0)
			return true;
		s += k;
	}
	return false;
}

/* East Asian text has no spaces between words: a line may break beside any
 * double-width character, except before a closing or after an opening mark. */
static bool lines_may_break(const char *a, size_t an, int aw, const char *b, size_t bn, int bw)
{
	if (aw < 2 && bw < 2)
		return false;
	return !lines_in(lines_no_start, b, bn) && !lines_in(lines_no_end, a, an);
}

size_t lines_fit(const char *s, int cols)
{
	size_t len = strlen(s), i = 0, prev = 0, best = 0;
	int used = 0, prev_w = 0;
	while (i < len) {
		size_t j = i;
		uint32_t cp;
		if (text_utf8_next(s, len, &j, &cp) < 0)
			j = i + 1;
		int cw = lines_cols(s + i, j - i);
		if (i > 0 && (cp == ' ' || lines_may_break(s + prev, i - prev, prev_w, s + i, j - i, cw)))
			best = i;
		if (used + cw > cols)
			break;
		used += cw;
		prev = i;
		prev_w = cw;
		i = j;
	}
	return i >= len ? len : best;
}

/* Wrap one paragraph (no '\n'). */
static void lines_wrap_para(struct lines *l, const char *p, size_t len, int width, int indent,
			    int hang, enum term_slot slot, size_t *first, int *have_first)
{
	size_t start = 0;
	int ind = indent;
	do {
		int avail = width - ind;
		if (avail < 8)
			avail = 8;
		size_t end = start, last_break = 0, i = start, prev = start;
		int cols = 0, prev_w = 0;
		while (i < len) {
			size_t j = i;
			uint32_t cp;
			if (text_utf8_next(p, len, &j, &cp) < 0)
				j = i + 1;
			int cw = lines_cols(p + i, j - i);
			if (i > start && cp != ' ' &&
			    lines_may_break(p + prev, i - prev, prev_w, p + i, j - i, cw))
				last_break = i;
			if (cols + cw > avail)
				break;
			if (cp == ' ')
				last_break = i;
			cols += cw;
			prev = i;
			prev_w = cw;
			i = j;
		}
		end = i;
		if (end < len && p[end] != ' ' && last_break > start)
			end = last_break; /* break at the last space (or wide character) that fits */
		if (end == start && start < len)
			end = start + 1;
		size_t idx = lines_push(l, xstrndup(p + start, end - start), ind, slot);
		if (!*have_first) {
			*first = idx;
			*have_first = 1;
		}
		start = end;
		while (start < len && p[start] == ' ')
			start++;
		ind = indent + hang;
	} while (start < len);
}

size_t lines_add(struct lines *l, const char *s, int width, int indent, int hang,
		 enum term_slot slot)
{
	char *vis = text_visible(s ? s : "");
	for (char *t = vis; *t; t++)
		if (*t == '\t')
			*t = ' ';
	size_t first = l->n;
	int have_first = 0;
	const char *p = vis;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == 0) {
			size_t idx = lines_push(l, xstrdup(""), indent, slot);
			if (!have_first) {
				first = idx;
				have_first = 1;
			}
		} else {
			lines_wrap_para(l, p, len, width, indent, hang, slot, &first, &have_first);
		}
		if (!nl || !nl[1])
			break;
		p = nl + 1;
	}
	free(vis);
	return first;
}

size_t lines_add_code(struct lines *l, const char *s, int width, int indent, int hang,
		      enum term_slot slot)
{
	size_t first = l->n;
	const char *p = s ? s : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t k = 0;
		while (k < len && p[k] == ' ')
			k++;
		int body_w = width - indent - (int)k - 2;
		if (k < len && p[k] == '#' && body_w >= 10) {
			/* "#" and what follows, wrapped narrower, then "# " put
			 * back in front of every row */
			size_t skip = k + 1 + (k + 1 < len && p[k + 1] == ' ');
			char *body = xstrndup(p + skip, len - skip);
			struct lines tmp;
			lines_init(&tmp);
			lines_add(&tmp, body, body_w, 0, 0, slot);
			for (size_t i = 0; i < tmp.n; i++)
				lines_push(l, xasprintf("%*s# %s", (int)k, "", tmp.text[i]), indent, slot);
			if (!tmp.n)
				lines_push(l, xasprintf("%*s#", (int)k, ""), indent, slot);
			lines_free(&tmp);
			free(body);
		} else {
			char *one = xstrndup(p, len);
			lines_add(l, one, width, indent, hang, slot);
			free(one);
		}
		if (!nl || !nl[1])
			break;
		p = nl + 1;
	}
	return first;
}

size_t lines_add_raw(struct lines *l, const char *s, enum term_slot slot)
{
	char *vis = text_visible(s ? s : "");
	size_t first = l->n;
	char *p = vis;
	for (;;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '\t')
				buf_puts(&b, "    ");
			else
				buf_putc(&b, p[i]);
		}
		lines_push(l, buf_steal(&b), 0, slot);
		if (!nl || !nl[1])
			break;
		p = nl + 1;
	}
	free(vis);
	return first;
}

void lines_draw(const struct lines *l, int y, int x, int w, int h, int focused)
{
	for (int r = 0; r < h; r++) {
		long i = l->top + r;
		if (i < 0 || (size_t)i >= l->n)
			break;
		enum term_slot slot = l->slot[i];
		if (i == l->sel) {
			slot = focused ? SLOT_SELECT : SLOT_SELECT_DIM;
			term_fill(y + r, x, w, slot);
		}
		int ind = l->indent[i] < w ? l->indent[i] : 0;
		term_put(y + r, x + ind, w - ind, l->text[i], slot);
	}
}

void lines_show_sel(struct lines *l, int h)
{
	if (l->sel < 0 || h <= 0)
		return;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
}

int lines_scroll(struct lines *l, int action, int h)
{
	long n = (long)l->n, old_top = l->top, old_sel = l->sel;
	long page = h > 1 ? h - 1 : 1;
	long max_top = n > h ? n - h : 0;
	if (l->sel >= 0) {
		switch (action) {
		case ACT_UP: l->sel--; break;
		case ACT_DOWN: l->sel++; break;
		case ACT_PGUP: l->sel -= page; break;
		case ACT_PGDN: l->sel += page; break;
		case ACT_HOME: l->sel = 0; break;
		case ACT_END: l->sel = n - 1; break;
		default: return 0;
		}
		if (l->sel >= n)
			l->sel = n - 1;
		if (l->sel < 0)
			l->sel = 0;
		lines_show_sel(l, h);
		return l->sel != old_sel;
	}
	switch (action) {
	case ACT_UP: l->top--; break;
	case ACT_DOWN: l->top++; break;
	case ACT_PGUP: l->top -= page; break;
	case ACT_PGDN: l->top += page; break;
	case ACT_HOME: l->top = 0; break;
	case ACT_END: l->top = max_top; break;
	default: return 0;
	}
	if (l->top > max_top)
		l->top = max_top;
	if (l->top < 0)
		l->top = 0;
	return l->top != old_top;
}
