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

#include <cjson/cJSON.h>

enum report_format { REPORT_MD, REPORT_HTML, REPORT_JSON };

/* "md" | "markdown" | "html" | "json" -> 0, else -1. */
int report_format_parse(const char *name, enum report_format *f);
/* Render; the session must have loaded without a problem. */
void report_render(const struct session *s, enum report_format f, struct buf *out);
/* Write a new file: 0600, O_EXCL | O_NOFOLLOW (never overwrites), fsync'd. */
int report_write_file(const char *path, const char *data, size_t len, char **err);

/* The report's content as data; every renderer walks this one model. */
cJSON *report_model(const struct session *s);
void report_render_md(const cJSON *m, struct buf *out);
void report_render_html(const cJSON *m, struct buf *out);

#endif
