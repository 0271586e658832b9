/* words.c: the words every part of the report shares: people by
 * name, moments on the clock they were recorded with, links within the
 * report, headings. */
#include "ck.h"
#include "report/fmt.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void rw_person(const struct report_fmt *f, const struct report_model *m, struct buf *o,
	       int side)
{
	char *p = report_person(m, side);
	f->text(o, p);
	free(p);
}

/* Every side flagged, by name, joined with "and". */
void rw_people(const struct report_fmt *f, const struct report_model *m, struct buf *o,
	       const bool by[CK_SIDES])
{
	bool first = true;
	for (int side = 0; side < CK_SIDES; side++)
		if (by[side]) {
			buf_puts(o, first ? "" : _(" and "));
			rw_person(f, m, o, side);
			first = false;
		}
	if (first)
		buf_puts(o, _("nobody"));
}

/* A moment in prose: real time, and the simulated clock when it differs. */
void rw_when(const struct report_model *m, struct buf *o, const struct sess_stamp *w)
{
	char t[32];
	report_time(t, w->real);
	buf_puts(o, t);
	if (m->two_clocks && w->at != w->real) {
		report_time(t, w->at);
		buf_printf(o, _(" (simulated clock: %s)"), t);
	}
}

void rw_link(const struct report_fmt *f, struct buf *o, const char *id, const char *words)
{
	f->link(o, id, words);
}

void rw_step_link(const struct report_fmt *f, const struct report_model *m, struct buf *o,
		  const char *step_id)
{
	long i = step_id ? session_step_index(m->s, step_id) : -1;
	char id[32], words[128];
	if (i < 0) {
		f->code(o, step_id ? step_id : "?");
		return;
	}
	snprintf(id, sizeof id, "step-%ld", i + 1);
	snprintf(words, sizeof words, _("step %ld"), i + 1);
	rw_link(f, o, id, words);
	buf_puts(o, " ");
	f->code(o, step_id);
}

void rw_heading(const struct report_fmt *f, struct buf *o, int level, const char *id,
		const char *words)
{
	f->heading(o, level, id);
	buf_puts(o, words);
	buf_puts(o, f->heading_end[level]);
}

/* ---- top ---------------------------------------------------------------- */
