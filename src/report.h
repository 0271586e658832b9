/* report.h: session reports (Markdown, HTML, JSON) rendered from a replayed
 * session. Deterministic: the same journal renders the same bytes anywhere
 * (no current time, no environment), given the language: Markdown and HTML
 * are rendered in the language of the messages and record it, so a reviewer
 * re-renders one in that language and compares it byte for byte; JSON is
 * always rendered in English (report/lang.c). Text from the
 * plan or typed by an operator is escaped for the format, with control and
 * bidi characters made visible. */
#ifndef CK_REPORT_H
#define CK_REPORT_H

#include "buf.h"
#include <stdbool.h>
#include "session.h"


enum report_format { REPORT_MD, REPORT_HTML, REPORT_JSON };

/* The report format: what a report looks like (every output format). A
 * report says which one rendered it; `verify --report` re-renders in each
 * format back to REPORT_FORMAT_MIN, so a report rendered by an earlier
 * version still verifies. doc/report-schema.md documents the JSON keys. */
#define REPORT_FORMAT 2
#define REPORT_FORMAT_MIN 1

/* "md" | "markdown" | "html" | "json" -> 0, else -1. */
int report_format_parse(const char *name, enum report_format *f);
/* Render in today's report format; the session must have loaded without a
 * problem. */
void report_render(const struct session *s, enum report_format f, struct buf *out);
/* Render in a given report format (REPORT_FORMAT_MIN..REPORT_FORMAT). */
void report_render_version(const struct session *s, enum report_format f, int version,
			   struct buf *out);
/* The language of a report: "en", "de", "pt_BR"... (report/lang.c). */
#define REPORT_LANG_MAX 15
/* The language the messages are in now (the catalogue's own header). */
void report_lang_now(char out[REPORT_LANG_MAX + 1]);
/* The language a rendered report records ("en" when it records none). */
void report_lang_of(const char *bytes, size_t len, char out[REPORT_LANG_MAX + 1]);
bool report_lang_valid(const char *lang);
/* Switch the messages to a language and back (nothing else changes). */
struct report_lang_saved {
	char *language, *codeset, *messages;
};
void report_lang_push(const char *lang, struct report_lang_saved *sv);
void report_lang_pop(struct report_lang_saved *sv);
/* Render a report as rendered in language lang (verify re-renders so). */
void report_render_lang(const struct session *s, enum report_format f, int version,
			const char *lang, struct buf *out);

/* Write a new file, 0600 and fsync'd, that never replaces one: written under a
 * hidden temporary name beside it, then linked to path, so that a kill leaves
 * path absent or whole. */
int report_write_file(const char *path, const char *data, size_t len, char **err);
/* The same with the group's read and write bits of mode (0660 in a session
 * directory shared through a group); never any bit for others. */
int report_write_file_mode(const char *path, const char *data, size_t len, unsigned mode,
			   char **err);

#endif
