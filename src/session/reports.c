/* reports.c: the reports a closed session leaves in its directory. A
 * report file is this session's only if it holds exactly what the journal
 * renders: a file that was there before (never overwritten) or a symbolic
 * link (never written through) is not, whatever its name says. Closing
 * writes the reports; resuming a closed session writes the ones missing.
 * In a directory shared through a group (two Unix users at two terminals)
 * they are written 0660 like the journal, so either operator reads them. */
#include "ck.h"
#include "fileread.h"
#include "report.h"
#include "session/session_int.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
	enum report_format f;
	const char *ext;
} report_outs[SESSION_N_REPORTS] = {
	{ REPORT_MD, "md" }, { REPORT_HTML, "html" }, { REPORT_JSON, "json" },
};

/* What is at path, against what it should hold. *why: NULL when written or
 * missing, else why the file is not this session's report (caller frees). */
static enum session_report_state report_state(const char *path, const struct buf *want,
					      char **why)
{
	struct stat st;
	char *bytes = NULL, *rwhy = NULL;
	size_t len = 0;
	*why = NULL;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return SESSION_REPORT_MISSING;
		*why = xasprintf(_("cannot look at it: %s"), strerror(errno));
		return SESSION_REPORT_REFUSED;
	}
	if (S_ISLNK(st.st_mode)) {
		*why = xstrdup(_("a symbolic link is in its place; reports are never written "
				 "through one"));
		return SESSION_REPORT_REFUSED;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = xstrdup(_("something that is not a file is in its place"));
		return SESSION_REPORT_REFUSED;
	}
	if (fileread(path, want->len + 1, FILEREAD_NOFOLLOW, &bytes, &len, &rwhy) != FILEREAD_OK) {
		if (rwhy && (size_t)st.st_size <= want->len) {
			*why = xasprintf(_("cannot read it: %s"), rwhy);
		} else {
			*why = xstrdup(_("a file with other content was there before; reports are "
					 "never overwritten"));
		}
		free(rwhy);
		free(bytes);
		return SESSION_REPORT_REFUSED;
	}
	bool same = len == want->len && (len == 0 || memcmp(bytes, want->p, len) == 0);
	free(bytes);
	if (same)
		return SESSION_REPORT_WRITTEN;
	*why = xstrdup(_("a file with other content was there before; reports are never "
			 "overwritten"));
	return SESSION_REPORT_REFUSED;
}

static void report_one(const struct session *s, size_t i, struct session_report *r,
		       struct buf *b)
{
	r->path = xasprintf("%s/report.%s", s->dir ? s->dir : ".", report_outs[i].ext);
	report_render(s, report_outs[i].f, b);
	r->state = report_state(r->path, b, &r->why);
	/* still missing after a failed write: the error, and what to do */
	if (r->state == SESSION_REPORT_MISSING && s->report_fail[i])
		r->why = xstrdup(s->report_fail[i]);
}

void session_reports(const struct session *s, struct session_report out[SESSION_N_REPORTS])
{
	for (size_t i = 0; i < SESSION_N_REPORTS; i++) {
		struct buf b = BUF_INIT;
		report_one(s, i, &out[i], &b);
		buf_free(&b);
	}
}

static void report_free(struct session_report *r)
{
	free(r->path);
	free(r->why);
	*r = (struct session_report){ 0 };
}

void session_reports_free(struct session_report r[SESSION_N_REPORTS])
{
	for (size_t i = 0; i < SESSION_N_REPORTS; i++)
		report_free(&r[i]);
}

int session_write_reports(struct session *s, char **err)
{
	struct buf msg = BUF_INIT;
	for (size_t i = 0; i < SESSION_N_REPORTS; i++) {
		struct session_report r;
		struct buf b = BUF_INIT;
		free(s->report_fail[i]);
		s->report_fail[i] = NULL;
		report_one(s, i, &r, &b);
		if (r.state == SESSION_REPORT_MISSING &&
		    report_write_file_mode(r.path, b.p ? b.p : "", b.len,
					   util_shared_file_mode(s->dir), &r.why) == 0)
			r.state = SESSION_REPORT_WRITTEN;
		else if (r.state == SESSION_REPORT_MISSING && r.why)
			s->report_fail[i] = xstrdup(r.why);
		if (r.state != SESSION_REPORT_WRITTEN)
			buf_printf(&msg, "%s%s: %s", msg.len ? "; " : "", r.path,
				   r.why ? r.why : "?");
		buf_free(&b);
		report_free(&r);
	}
	if (!msg.len)
		return 0;
	if (err)
		*err = xasprintf(_("The ceremony is closed and recorded, but not every report was "
				   "written (%s): render it with `ckwizard report`."), buf_str(&msg));
	buf_free(&msg);
	return -1;
}
