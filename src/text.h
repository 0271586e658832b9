/* text.h: UTF-8 checks and making untrusted text safe to show.
 * Text from a plan or typed by an operator never reaches a terminal, a report
 * or a diagnostic raw: control and bidirectional-override characters are shown
 * as <U+XXXX> instead. */
#ifndef CK_TEXT_H
#define CK_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decode one code point at s[*i] (advancing *i); -1 on invalid UTF-8
 * (overlong, surrogate, > U+10FFFF, truncated). */
int text_utf8_next(const char *s, size_t len, size_t *i, uint32_t *cp);
/* 1 if valid UTF-8; else 0 and *bad_offset is the byte offset of the problem. */
int text_utf8_valid(const char *s, size_t len, size_t *bad_offset);
/* Bidirectional formatting characters (U+202A-202E, U+2066-2069, U+200E/F, U+061C). */
int text_is_bidi(uint32_t cp);
/* C0 controls other than tab/newline/CR, DEL, and C1 controls. */
int text_is_control(uint32_t cp);
/* Characters that show nothing: format characters (Cf: U+200B, U+00AD,
 * U+FEFF, tags U+E0000-E007F, ...), U+2028/U+2029, U+034F and the Hangul
 * fillers (U+115F, U+1160, U+3164, U+FFA0). Allowed in text, shown visibly. */
int text_is_invisible(uint32_t cp);
/* First forbidden character (NUL, control, bidi) in s: its byte offset and code
 * point; returns 0 if there is none. Tab/LF/CR are allowed when allow_space. */
int text_find_forbidden(const char *s, size_t len, int allow_space, size_t *offset, uint32_t *cp);
/* Both checks in one pass, as a reader of raw bytes needs them: TEXT_BAD_UTF8
 * with the offset of the first invalid byte (wherever a forbidden character
 * is), else TEXT_FORBIDDEN as text_find_forbidden says, else TEXT_OK. */
enum { TEXT_OK, TEXT_BAD_UTF8, TEXT_FORBIDDEN };
int text_first_problem(const char *s, size_t len, int allow_space, size_t *offset,
		       uint32_t *cp);
/* A copy with every control, bidi and invisible character (and invalid byte)
 * written <U+XXXX> (or <0xNN>); newline and tab are kept. */
char *text_visible(const char *s);
/* As text_visible, and also newline/tab made visible: one-line contexts. */
char *text_visible_line(const char *s);
/* Display columns of a UTF-8 string (East Asian wide characters count 2). */
size_t text_width(const char *s);

#endif
