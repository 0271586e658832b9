/* quote.c: PowerShell and POSIX single quoting (see quote.h for the rules). */
#include "quote.h"
#include "text.h"

#include <stdint.h>
#include <string.h>

int quote_check(const char *s)
{
	size_t len = strlen(s), off;
	uint32_t cp;
	if (!text_utf8_valid(s, len, &off))
		return -1;
	if (text_find_forbidden(s, len, 0, &off, &cp))
		return -1;
	/* Line and paragraph separators: some viewers break the line there, so
	 * what the operator reads would not be what the shell runs. */
	size_t i = 0;
	while (i < len) {
		if (text_utf8_next(s, len, &i, &cp) < 0 || cp == 0x2028 || cp == 0x2029)
			return -1;
	}
	return 0;
}

/* PowerShell's single-quote characters (its tokenizer's IsSingleQuote). */
int quote_ps_is_single_quote(uint32_t cp)
{
	return cp == 0x27 || cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201B;
}

int quote_ps(struct buf *out, const char *s)
{
	if (quote_check(s) != 0)
		return -1;
	size_t len = strlen(s), i = 0;
	buf_putc(out, '\'');
	while (i < len) {
		size_t start = i;
		uint32_t cp;
		if (text_utf8_next(s, len, &i, &cp) < 0)
			return -1; /* not reached: checked above */
		buf_add(out, s + start, i - start);
		if (quote_ps_is_single_quote(cp)) /* doubled: the pair reads as one literal */
			buf_add(out, s + start, i - start);
	}
	buf_putc(out, '\'');
	return 0;
}

int quote_sh(struct buf *out, const char *s)
{
	if (quote_check(s) != 0)
		return -1;
	buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			buf_puts(out, "'\\''");
		else
			buf_putc(out, *p);
	}
	buf_putc(out, '\'');
	return 0;
}
