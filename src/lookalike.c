/* lookalike.c: skeletons of names for the look-alike warning (lookalike.h
 * says what is folded and where the table comes from). */
#include "ck.h"
#include "lookalike.h"
#include "buf.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* One code point and what it reads as. After Unicode's confusables.txt
 * (UTS #39), restricted to targets in ASCII: where confusables.txt maps a
 * letter to a non-ASCII prototype (Greek iota to U+0269), the nearest ASCII
 * letter is used, since the plan's other names are ASCII. Sorted by code
 * point for the binary search. */
static const struct lookalike_map {
	uint32_t cp;
	const char *as;
} lookalike_table[] = {
	{ 0x00D8, "O" },  { 0x00F8, "o" },  { 0x0131, "i" },  { 0x017F, "s" },  { 0x01C0, "l" },
	{ 0x0251, "a" },  { 0x0261, "g" },  { 0x026A, "i" },  { 0x0391, "A" },  { 0x0392, "B" },
	{ 0x0395, "E" },  { 0x0396, "Z" },  { 0x0397, "H" },  { 0x0399, "l" },  { 0x039A, "K" },
	{ 0x039C, "M" },  { 0x039D, "N" },  { 0x039F, "O" },  { 0x03A1, "P" },  { 0x03A4, "T" },
	{ 0x03A5, "Y" },  { 0x03A7, "X" },  { 0x03B1, "a" },  { 0x03B3, "y" },  { 0x03B9, "i" },
	{ 0x03BA, "k" },  { 0x03BD, "v" },  { 0x03BF, "o" },  { 0x03C1, "p" },  { 0x03C3, "o" },
	{ 0x03C5, "u" },  { 0x03C7, "x" },  { 0x03F2, "c" },  { 0x03F3, "j" },  { 0x03F9, "C" },
	{ 0x0405, "S" },  { 0x0406, "l" },  { 0x0408, "J" },  { 0x0410, "A" },  { 0x0412, "B" },
	{ 0x0415, "E" },  { 0x041A, "K" },  { 0x041C, "M" },  { 0x041D, "H" },  { 0x041E, "O" },
	{ 0x0420, "P" },  { 0x0421, "C" },  { 0x0422, "T" },  { 0x0423, "Y" },  { 0x0425, "X" },
	{ 0x042C, "b" },  { 0x0430, "a" },  { 0x0435, "e" },  { 0x043E, "o" },  { 0x0440, "p" },
	{ 0x0441, "c" },  { 0x0443, "y" },  { 0x0445, "x" },  { 0x0455, "s" },  { 0x0456, "i" },
	{ 0x0458, "j" },  { 0x04AE, "Y" },  { 0x04AF, "y" },  { 0x04BA, "h" },  { 0x04BB, "h" },
	{ 0x04C0, "l" },  { 0x04CF, "l" },  { 0x0501, "d" },  { 0x051A, "Q" },  { 0x051B, "q" },
	{ 0x051C, "W" },  { 0x051D, "w" },  { 0x2010, "-" },  { 0x2011, "-" },  { 0x2012, "-" },
	{ 0x2013, "-" },  { 0x2018, "'" },  { 0x2019, "'" },  { 0x2212, "-" },
};

static const char *lookalike_find(uint32_t cp)
{
	size_t lo = 0, hi = CK_ARRAY_LEN(lookalike_table);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < lookalike_table[mid].cp)
			hi = mid;
		else if (cp > lookalike_table[mid].cp)
			lo = mid + 1;
		else
			return lookalike_table[mid].as;
	}
	return NULL;
}

/* Latin-1 letters U+00C0-00FF without their accents (NFKD then marks
 * dropped); '\0' where there is no single base letter (x, ß, Æ, Þ ...). */
static const char lookalike_latin1[] = "AAAAAA\0CEEEEIIII\0NOOOOO\0\0UUUUY\0\0"
				       "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y";

static bool lookalike_is_mark(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F);
}

static bool lookalike_is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x00A0 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* The compatibility fold and the table, for one code point: ASCII text
 * appended to b, or false when cp stays as it is. */
static bool lookalike_ascii(uint32_t cp, struct buf *b)
{
	static const char *const ligatures[] = { "ff", "fi", "fl", "ffi", "ffl", "st", "st" };
	if (cp >= 0xFF01 && cp <= 0xFF5E) {          /* fullwidth ASCII */
		buf_putc(b, (char)(cp - 0xFEE0));
	} else if (cp >= 0xFB00 && cp <= 0xFB06) {   /* ligatures */
		buf_puts(b, ligatures[cp - 0xFB00]);
	} else if (cp >= 0x1D400 && cp <= 0x1D6A3) { /* mathematical letters, 13 styles */
		unsigned k = (cp - 0x1D400) % 52;
		buf_putc(b, (char)(k < 26 ? 'A' + k : 'a' + (k - 26)));
	} else if (cp >= 0x1D7CE && cp <= 0x1D7FF) { /* mathematical digits, 5 styles */
		buf_putc(b, (char)('0' + (cp - 0x1D7CE) % 10));
	} else if (cp >= 0x00C0 && cp <= 0x00FF && lookalike_latin1[cp - 0x00C0]) {
		buf_putc(b, lookalike_latin1[cp - 0x00C0]);
	} else {
		const char *as = lookalike_find(cp);
		if (!as)
			return false;
		buf_puts(b, as);
	}
	return true;
}

/* ASCII look-alikes, on the lower-cased text: digits and capitals read as
 * letters ("0" as "o", "1" and "I" as "l"), and letter pairs that read as
 * one ("rn" as "m", "vv" as "w", "cl" as "d"), as in confusables.txt. */
static void lookalike_ascii_pass(char *s)
{
	static const struct { const char *from, *to; } pairs[] = {
		{ "rn", "m" }, { "vv", "w" }, { "cl", "d" },
	};
	for (char *p = s; *p; p++)
		*p = *p == '0' ? 'o' : *p == '1' || *p == '|' ? 'l' : *p;
	char *w = s;
	for (const char *r = s; *r;) {
		size_t i;
		for (i = 0; i < CK_ARRAY_LEN(pairs); i++)
			if (strncmp(r, pairs[i].from, 2) == 0)
				break;
		if (i < CK_ARRAY_LEN(pairs)) {
			*w++ = pairs[i].to[0];
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

char *lookalike_fold(const char *s)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(s ? s : ""), i = 0;
	bool space = false;
	while (i < len) {
		size_t at = i;
		uint32_t cp;
		if (text_utf8_next(s, len, &i, &cp) < 0) {
			i = at + 1;
			buf_add(&b, s + at, 1);
			space = false;
			continue;
		}
		if (text_is_invisible(cp) || lookalike_is_mark(cp))
			continue;
		if (lookalike_is_space(cp)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		size_t before = b.len;
		if (cp == 'I') /* capital I reads as l; lower-casing would make it i */
			buf_putc(&b, 'l');
		else if (!lookalike_ascii(cp, &b))
			buf_add(&b, s + at, i - at);
		for (size_t k = before; k < b.len; k++) /* ASCII lower case */
			if (b.p[k] >= 'A' && b.p[k] <= 'Z')
				b.p[k] = (char)(b.p[k] - 'A' + 'a');
	}
	char *r = buf_steal(&b);
	lookalike_ascii_pass(r);
	return r;
}

bool lookalike_collide(const char *a, const char *b)
{
	if (!a || !b || strcmp(a, b) == 0)
		return false;
	char *fa = lookalike_fold(a), *fb = lookalike_fold(b);
	bool same = strcmp(fa, fb) == 0;
	free(fa);
	free(fb);
	return same;
}
