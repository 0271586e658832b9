/* quote.h: quoting values for the shell an operator pastes a command into.
 *
 * Every value from a plan or from recorded evidence that goes into a command
 * is quoted as ONE literal argument, even identifiers the rules have already
 * validated:
 *   PowerShell  '...' with every single-quote character doubled: the ASCII
 *               apostrophe and U+2018, U+2019, U+201A, U+201B, all of which
 *               PowerShell's tokenizer treats as single quotes;
 *   POSIX sh    '...' with each ' written '\'' (close, escaped quote, reopen).
 *
 * Refused (return -1, nothing appended): invalid UTF-8, NUL, any control
 * character (newline and tab included), bidirectional formatting
 * characters, and U+2028/U+2029 (line and paragraph separators). Quoting
 * would keep them literal, but pasted into a terminal a newline or tab acts
 * before the shell ever parses the quotes (line submission, completion), and
 * bidi controls or separators make the line read differently from what runs. Callers show a marked placeholder instead. */
#ifndef CK_QUOTE_H
#define CK_QUOTE_H

#include "buf.h"

#include <stdint.h>

/* 0 if s may be quoted into a command line, else -1. */
int quote_check(const char *s);
int quote_ps(struct buf *out, const char *s);
/* The characters PowerShell reads as a single quote. */
int quote_ps_is_single_quote(uint32_t cp);
int quote_sh(struct buf *out, const char *s);

#endif
