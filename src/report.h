/* report.h: session reports (Markdown, HTML, JSON) rendered from a replayed
 * session. Deterministic: the same journal renders the same bytes anywhere
 * (no current time, no environment, no locale: reports are in English so a
 * reviewer can re-render one and compare it byte for byte). Text from the
 * plan or typed by an operator is escaped for the format, with control and
 * bidi characters made visible. */
#ifndef CK_REPORT_H
#define CK_REPORT_H

#include "buf.h"
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
/* Write a new file, 0600 and fsync'd, that never replaces one: written under a
 * hidden temporary name beside it, then linked to path, so that a kill leaves
 * path absent or whole. */
int report_write_file(const char *path, const char *data, size_t len, char **err);

#endif
