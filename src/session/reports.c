/* reports.c: the reports of a closed ceremony, written beside its journal
 * (never overwriting) by the process that recorded the closing: at one
 * keyboard, or the terminal that co-signed it last. */
#include "ck.h"
#include "report.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>

int sess_write_reports(struct session *s, char **err)
{
	static const struct { enum report_format f; const char *ext; } outs[] = {
		{ REPORT_MD, "md" }, { REPORT_HTML, "html" }, { REPORT_JSON, "json" },
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(outs); i++) {
		struct buf b = BUF_INIT;
		char *path = xasprintf("%s/report.%s", s->dir, outs[i].ext), *werr = NULL;
		report_render(s, outs[i].f, &b);
		if (report_write_file(path, b.p ? b.p : "", b.len, &werr) < 0) {
			*err = xasprintf(_("The ceremony is closed and recorded, but a report could "
					   "not be written (%s): render it with `ckwizard report`."),
					 werr);
			free(werr);
			free(path);
			buf_free(&b);
			return -1;
		}
		free(path);
		buf_free(&b);
	}
	return 0;
}
