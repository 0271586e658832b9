/* fuzz_text.c: libFuzzer target for the text-safety functions every
 * untrusted string passes before a terminal, a report or a diagnostic
 * shows it (text_visible, text_visible_line), and for the look-alike fold
 * (lookalike_fold) the operator check uses. Checks what text.h promises:
 * the visible forms are valid UTF-8 and hold no control, bidi or invisible
 * character (the one-line form no newline or tab either); the fold never
 * grows text into something with a forbidden character either. */
#include "ck.h"
#include "lookalike.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_text_check_visible(const char *v, int one_line)
{
	size_t len = strlen(v), i = 0, off;
	if (!text_utf8_valid(v, len, &off))
		abort();
	while (i < len) {
		uint32_t cp;
		if (text_utf8_next(v, len, &i, &cp) < 0)
			abort();
		if (text_is_control(cp) || text_is_bidi(cp) || text_is_invisible(cp) || cp == '\r' ||
		    (one_line && (cp == '\n' || cp == '\t')))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char *v = text_visible(s), *l = text_visible_line(s);
	fuzz_text_check_visible(v, 0);
	fuzz_text_check_visible(l, 1);
	(void)text_width(v);
	char *f = lookalike_fold(s);
	char *fv = text_visible_line(f);
	fuzz_text_check_visible(fv, 1);
	free(fv);
	free(f);
	free(l);
	free(v);
	free(s);
	return 0;
}
