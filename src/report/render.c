/* render.c: rendering a report in a format and a report format version,
 * and writing report files. Today's format is built from the typed report
 * model (model.c) by md.c, html.c and json.c;
 * format 1 (v1.c) is kept for `verify --report` on older reports. */
#include "ck.h"
#include "report.h"
#include "report/fmt.h"
#include "report/v1.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int report_format_parse(const char *name, enum report_format *f)
{
	if (util_streq(name, "md") || util_streq(name, "markdown"))
		*f = REPORT_MD;
	else if (util_streq(name, "html"))
		*f = REPORT_HTML;
	else if (util_streq(name, "json"))
		*f = REPORT_JSON;
	else
		return -1;
	return 0;
}

void report_render_version(const struct session *s, enum report_format f, int version,
			   struct buf *out)
{
	struct report_model m;
	if (version == 1) {
		rv1_render(s, f, out);
		return;
	}
	if (f == REPORT_JSON) {
		/* Machines read it: English, whatever the messages are in. */
		struct report_lang_saved sv;
		report_lang_push("en", &sv);
		report_model_build(s, &m);
		report_render_json(&m, out);
		report_model_free(&m);
		report_lang_pop(&sv);
		return;
	}
	report_model_build(s, &m);
	switch (f) {
	case REPORT_JSON:
		break;
	case REPORT_MD:
		report_render_md(&m, out);
		break;
	case REPORT_HTML:
		report_render_html(&m, out);
		break;
	}
	report_model_free(&m);
}

void report_render_lang(const struct session *s, enum report_format f, int version,
			const char *lang, struct buf *out)
{
	struct report_lang_saved sv;
	report_lang_push(lang, &sv);
	report_render_version(s, f, version, out);
	report_lang_pop(&sv);
}

void report_render(const struct session *s, enum report_format f, struct buf *out)
{
	report_render_version(s, f, REPORT_FORMAT, out);
}

/* A write that failed leaves nothing under the name: say so, and that the
 * same command (or resuming the wizard) writes it once the cause is gone. */
#define REPORT_NOT_WRITTEN \
	N_("cannot write %s: %s; nothing was written under that name: free disk space or " \
	   "fix the device, then write it again")

/* A report is written as every file ckwizard must never lose or overwrite
 * (util_write_new_file): under a hidden temporary name in the same
 * directory, fsync'd, linked to path (link(2) never replaces a file, so a
 * report is still never overwritten), then the directory fsync'd, so that
 * neither a kill nor a power loss leaves path a stub or loses its name. */
int report_write_file(const char *path, const char *data, size_t len, char **err)
{
	return report_write_file_mode(path, data, len, 0600, err);
}

int report_write_file_mode(const char *path, const char *data, size_t len, unsigned mode,
			   char **err)
{
	/* Never anything for others, whatever the caller asks. */
	if (util_write_new_file(path, data, len, (mode & 0660) | 0600) == 0)
		return 0;
	if (errno == EEXIST)
		*err = xasprintf(_("%s already exists: reports are never overwritten, "
				   "choose another name"),
				 path);
	else
		*err = xasprintf(_(REPORT_NOT_WRITTEN), path, strerror(errno));
	return -1;
}
