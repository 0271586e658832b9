/* fmt.h: what differs between the Markdown and the HTML report, as a
 * table of emitters; the walk over the report model (walk.c) exists
 * once, so a field added to the report is added in one place and appears in
 * both. Functions that take untrusted text escape it for their format; the
 * others are given our own words. Internal to the reports. */
#ifndef CK_REPORT_FMT_H
#define CK_REPORT_FMT_H

#include "report/model.h"

struct report_fmt {
	void (*text)(struct buf *o, const char *s);	/* untrusted text; NULL is a dash */
	void (*code)(struct buf *o, const char *s);	/* untrusted token, as code */
	void (*block)(struct buf *o, const char *s);	/* untrusted multi-line text */
	void (*doc_open)(struct buf *o, const struct report_model *m);
	void (*doc_close)(struct buf *o);
	void (*heading)(struct buf *o, int level, const char *id); /* then text, then heading_end */
	const char *heading_end[4];
	void (*anchor)(struct buf *o, const char *id);	/* a target for links, before a line */
	void (*link)(struct buf *o, const char *id, const char *words); /* our own words */
	void (*banner)(struct buf *o, const char *id, const char *word); /* then words, banner_close */
	const char *banner_close;
	void (*state)(struct buf *o, const char *key, const char *words);
	/* A table: its column heads (NULL-ended), then rows of cells. */
	void (*table)(struct buf *o, const char *id, const char *const *cols);
	const char *row_open, *cell, *row_close, *table_close;
	const char *ul_open, *li, *li_end, *ul_close;	/* lists */
	const char *p_open, *p_close;			/* paragraphs */
	const char *strong_open, *strong_close;
	const char *code_open, *code_close;		/* around our own hashes and ids */
	const char *step_open, *step_close;		/* around a step's details */
	/* Around the head hash to note: open, our words, mid, the hash, close. */
	const char *head_open, *head_mid, *head_close;
	/* A multi-line block ends the list item it belongs to (Markdown puts it
	 * after the item; HTML inside it). */
	bool block_ends_item;
};

/* words.c: shared wording. A person by name ("Alice Ames (A)"), all
 * flagged sides joined with "and", a moment (real time, and the simulated
 * clock where it differs), a link within the report, a link to a step, a
 * heading in our own words. */
void rw_person(const struct report_fmt *f, const struct report_model *m, struct buf *o, int side);
void rw_people(const struct report_fmt *f, const struct report_model *m, struct buf *o,
	       const bool by[CK_SIDES]);
void rw_when(const struct report_model *m, struct buf *o, const struct sess_stamp *w);
void rw_link(const struct report_fmt *f, struct buf *o, const char *id, const char *words);
void rw_step_link(const struct report_fmt *f, const struct report_model *m, struct buf *o,
		  const char *step_id);
void rw_heading(const struct report_fmt *f, struct buf *o, int level, const char *id,
		const char *words);
/* steps.c: the step table, and one step's details. */
void rw_steps_table(const struct report_fmt *f, const struct report_model *m, struct buf *o);
void rw_step(const struct report_fmt *f, const struct report_model *m, struct buf *o,
	     const struct report_step *r);

/* The whole report, in the format f describes. */
void report_walk(const struct report_fmt *f, const struct report_model *m, struct buf *o);

void report_render_md(const struct report_model *m, struct buf *out);
void report_render_html(const struct report_model *m, struct buf *out);
void report_render_json(const struct report_model *m, struct buf *out);

#endif
