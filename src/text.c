/* text.c: UTF-8 validation and visible rendering of untrusted text. */
#include "ck.h"
#include "text.h"
#include "buf.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

int text_utf8_next(const char *s, size_t len, size_t *i, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k = *i;
	if (k >= len)
		return -1;
	unsigned char c = u[k];
	uint32_t v;
	size_t n;
	if (c < 0x80) {
		*cp = c;
		*i = k + 1;
		return 0;
	} else if (c >= 0xC2 && c <= 0xDF) {
		v = c & 0x1F;
		n = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		v = c & 0x0F;
		n = 2;
	} else if (c >= 0xF0 && c <= 0xF4) {
		v = c & 0x07;
		n = 3;
	} else {
		return -1;
	}
	if (k + n >= len) /* truncated sequence */
		return -1;
	for (size_t j = 1; j <= n; j++) {
		unsigned char t = u[k + j];
		if ((t & 0xC0) != 0x80)
			return -1;
		v = (v << 6) | (t & 0x3F);
	}
	/* overlong forms, surrogates and values past Unicode */
	if ((n == 2 && v < 0x800) || (n == 3 && v < 0x10000) || v > 0x10FFFF ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return -1;
	*cp = v;
	*i = k + n + 1;
	return 0;
}

int text_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	size_t i = 0;
	uint32_t cp;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) { /* ASCII, most of any text: no decoding */
			i++;
			continue;
		}
		size_t at = i;
		if (text_utf8_next(s, len, &i, &cp) < 0) {
			if (bad_offset)
				*bad_offset = at;
			return 0;
		}
	}
	return 1;
}

int text_is_bidi(uint32_t cp)
{
	if (cp < 0x061C) /* the lowest below: most text is checked at once */
		return 0;
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

int text_is_control(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F ||
	       (cp >= 0x80 && cp <= 0x9F);
}

/* Characters that draw nothing, or nothing a reader would notice, so text
 * holding them can read as other text: every format character (General
 * Category Cf in Unicode 14.0's UnicodeData.txt: soft hyphen, zero-width
 * space and joiners, word joiner, byte-order mark, tag characters, ...), the
 * line and paragraph separators U+2028/U+2029 (a terminal shows no break),
 * the combining grapheme joiner and the Hangul fillers, which are letters
 * that render as blanks. Sorted ranges, inclusive. */
static const uint32_t text_invisible_ranges[][2] = {
	{ 0x00AD, 0x00AD },   { 0x034F, 0x034F },   { 0x0600, 0x0605 },   { 0x061C, 0x061C },
	{ 0x06DD, 0x06DD },   { 0x070F, 0x070F },   { 0x0890, 0x0891 },   { 0x08E2, 0x08E2 },
	{ 0x115F, 0x1160 },   { 0x180E, 0x180E },   { 0x200B, 0x200F },   { 0x2028, 0x202E },
	{ 0x2060, 0x2064 },   { 0x2066, 0x206F },   { 0x3164, 0x3164 },   { 0xFEFF, 0xFEFF },
	{ 0xFFA0, 0xFFA0 },   { 0xFFF9, 0xFFFB },   { 0x110BD, 0x110BD }, { 0x110CD, 0x110CD },
	{ 0x13430, 0x13438 }, { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A }, { 0xE0000, 0xE007F },
};

int text_is_invisible(uint32_t cp)
{
	if (cp < text_invisible_ranges[0][0]) /* ASCII and most of Latin-1 */
		return 0;
	size_t lo = 0, hi = CK_ARRAY_LEN(text_invisible_ranges);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < text_invisible_ranges[mid][0])
			hi = mid;
		else if (cp > text_invisible_ranges[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* How many bytes from s on are printable ASCII (space to '~'): no control,
 * bidi or invisible character, one column each. The scanners below skip
 * such runs without decoding them: plan values, names and most text shown
 * are nothing else. */
static size_t text_ascii_run(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && (unsigned char)s[n] >= 0x20 && (unsigned char)s[n] < 0x7f)
		n++;
	return n;
}

int text_find_forbidden(const char *s, size_t len, int allow_space, size_t *offset, uint32_t *cp)
{
	size_t i = 0;
	while (i < len) {
		size_t run = text_ascii_run(s + i, len - i);
		if (run) { /* never forbidden */
			i += run;
			continue;
		}
		size_t at = i;
		uint32_t c;
		if (text_utf8_next(s, len, &i, &c) < 0) {
			i = at + 1;
			continue; /* invalid UTF-8 is reported by text_utf8_valid */
		}
		int bad = c == 0 || text_is_control(c) || text_is_bidi(c) ||
			  (!allow_space && (c == '\t' || c == '\n' || c == '\r'));
		if (bad) {
			if (offset)
				*offset = at;
			if (cp)
				*cp = c;
			return 1;
		}
	}
	return 0;
}

int text_first_problem(const char *s, size_t len, int allow_space, size_t *offset,
		       uint32_t *cp)
{
	size_t i = 0, forbidden_at = 0;
	uint32_t forbidden = 0;
	int found = 0;
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		if (b >= 0x20 && b < 0x7F) { /* printable ASCII: nothing to decode or look up */
			i++;
			continue;
		}
		size_t at = i;
		uint32_t c;
		if (text_utf8_next(s, len, &i, &c) < 0) {
			*offset = at;
			return TEXT_BAD_UTF8; /* outranks a forbidden character before it */
		}
		if (!found && (c == 0 || text_is_control(c) || text_is_bidi(c) ||
			       (!allow_space && (c == '\t' || c == '\n' || c == '\r')))) {
			found = 1;
			forbidden_at = at;
			forbidden = c;
		}
	}
	if (!found)
		return TEXT_OK;
	*offset = forbidden_at;
	if (cp)
		*cp = forbidden;
	return TEXT_FORBIDDEN;
}

static char *text_visible_impl(const char *s, int one_line)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		size_t run = text_ascii_run(s + i, len - i);
		if (run) { /* kept as it is */
			buf_add(&b, s + i, run);
			i += run;
			continue;
		}
		size_t at = i;
		uint32_t c;
		/* The marks are formatted on the stack: a printf into the
		 * buffer allocated a string per mark (text_visible runs on every
		 * untrusted string shown). */
		char mark[16];
		if (text_utf8_next(s, len, &i, &c) < 0) {
			snprintf(mark, sizeof mark, "<0x%02X>", (unsigned char)s[at]);
			buf_puts(&b, mark);
			i = at + 1;
			continue;
		}
		int keep = !(text_is_control(c) || text_is_bidi(c) || text_is_invisible(c) ||
			     c == '\r') &&
			   !(one_line && (c == '\n' || c == '\t'));
		if (keep)
			buf_add(&b, s + at, i - at);
		else {
			snprintf(mark, sizeof mark, "<U+%04X>", (unsigned)c);
			buf_puts(&b, mark);
		}
	}
	return buf_steal(&b);
}

char *text_visible(const char *s)
{
	return text_visible_impl(s ? s : "", 0);
}

char *text_visible_line(const char *s)
{
	return text_visible_impl(s ? s : "", 1);
}

size_t text_width(const char *s)
{
	size_t len = strlen(s), i = 0, w = 0;
	while (i < len) {
		size_t run = text_ascii_run(s + i, len - i);
		if (run) { /* one column each */
			w += run;
			i += run;
			continue;
		}
		uint32_t c;
		size_t at = i;
		if (text_utf8_next(s, len, &i, &c) < 0) {
			i = at + 1;
			w++;
			continue;
		}
		int cw = wcwidth((wchar_t)c);
		w += cw < 0 ? 1 : (size_t)cw;
	}
	return w;
}
