/* v1.h: report format 1 (frozen, see v1.c): its cJSON model
 * and the helpers its renderers read it with. */
#ifndef CK_REPORT_V1_H
#define CK_REPORT_V1_H

#include "buf.h"
#include "report.h"
#include "session.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

static inline const cJSON *rm_get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}
/* A string member, or NULL (absent or null). */
static inline const char *rm_str(const cJSON *o, const char *k)
{
	const cJSON *v = rm_get(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}
/* A non-empty string member. */
static inline bool rm_len_str(const cJSON *o, const char *k)
{
	const char *v = rm_str(o, k);
	return v && v[0];
}
static inline long rm_num(const cJSON *o, const char *k)
{
	const cJSON *v = rm_get(o, k);
	return cJSON_IsNumber(v) ? (long)v->valuedouble : 0;
}
static inline bool rm_bool(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(rm_get(o, k));
}
static inline int rm_len(const cJSON *o, const char *k)
{
	const cJSON *v = rm_get(o, k);
	return cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;
}

/* A step worth a section of its own: something was recorded about it. */
static inline bool rm_step_active(const cJSON *st)
{
	return rm_bool(st, "started") || rm_str(st, "confirmed_by") || rm_len(st, "evidence") ||
	       cJSON_IsObject(rm_get(st, "check")) || rm_str(st, "skip_reason");
}

/* Operator roles as words: "plan author, tenant admin, demo key". */
static inline void rm_roles(const cJSON *op, char *out, unsigned long cap)
{
	const char *r[3] = { rm_bool(op, "author") ? "plan author" : NULL,
			     rm_bool(op, "tenant_admin") ? "tenant admin" : NULL,
			     rm_bool(op, "demo") ? "DEMO KEY" : NULL };
	unsigned long n = 0;
	out[0] = '\0';
	for (int i = 0; i < 3; i++)
		if (r[i] && n + __builtin_strlen(r[i]) + 3 < cap) {
			if (n) {
				__builtin_memcpy(out + n, ", ", 2);
				n += 2;
			}
			__builtin_memcpy(out + n, r[i], __builtin_strlen(r[i]) + 1);
			n += __builtin_strlen(r[i]);
		}
	if (!n && cap > 1)
		__builtin_memcpy(out, "-", 2);
}

/* Human words for the model's step states. */
static inline const char *rm_state_words(const char *state)
{
	static const struct { const char *k, *v; } w[] = {
		{ "pending", "pending (plan not verified)" }, { "ready", "to do" },
		{ "blocked", "blocked by a prerequisite" }, { "waiting-witness", "waiting for witness" },
		{ "waiting-time", "waiting until a time" }, { "waiting-event", "waiting for an outside event" },
		{ "done", "done" }, { "skipped", "skipped" }, { "failed", "check failed" },
	};
	for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++)
		if (state && __builtin_strcmp(w[i].k, state) == 0)
			return w[i].v;
	return state ? state : "?";
}

/* What differs between the report formats, as a table of emitters; the walk
 * over the model (walk.c) exists once, so a field added to the report
 * is added in one place and appears in every format. Strings are written as
 * they are; functions escape what they are given. */
struct rv1_fmt {
	void (*text)(struct buf *o, const char *s);	/* untrusted text; NULL is a dash */
	void (*code)(struct buf *o, const char *s);	/* untrusted token as code */
	/* A multi-line block that ends the current list item (in Markdown the
	 * block interrupts the list; in HTML it sits inside the item). */
	void (*pre_item)(struct buf *o, const char *s);
	void (*state)(struct buf *o, const char *state); /* a step's state, in words */
	/* A section heading that opens a list (id: the HTML list's id). */
	void (*section)(struct buf *o, const char *title, const char *id);
	void (*para_list)(struct buf *o, const char *para, const char *id);
	void (*none)(struct buf *o, const char *msg);	/* the only line of an empty list */
	void (*banner)(struct buf *o, const char *id, const char *word); /* opens a warning */
	/* A section heading, then a table with these column heads (NULL-ended). */
	void (*table)(struct buf *o, const char *title, const char *id, const char *const *cols);
	/* A step's heading and first lines, up to "State: " (the layouts differ). */
	void (*step_open)(struct buf *o, const cJSON *st, long n);
	const char *li, *li_end, *br, *list_close, *step_close;
	const char *row_open, *cell, *row_close, *table_close, *banner_close;
	const char *code_open, *code_close;		/* around our own hashes */
	const char *strong_open, *strong_close;
	const char *checklist_no;	/* after a checklist item answered no */
	const char *never_approved;	/* the plan history when there is none */
};

cJSON *rv1_model(const struct session *s);
void rv1_render(const struct session *s, enum report_format f, struct buf *out);
void rv1_render_md(const cJSON *m, struct buf *out);
void rv1_render_html(const cJSON *m, struct buf *out);

/* The warnings above the summary: rehearsal, demo keys, a journal problem. */
void rv1_walk_banners(const struct rv1_fmt *f, const cJSON *m, struct buf *o);
void rv1_walk_operators(const struct rv1_fmt *f, const cJSON *m, struct buf *o);
void rv1_walk_plan(const struct rv1_fmt *f, const cJSON *m, struct buf *o);
/* Steps with something recorded, numbered as in the step table. */
void rv1_walk_steps(const struct rv1_fmt *f, const cJSON *m, struct buf *o);
/* Deviations, notes, the simulated clock and open items. */
void rv1_walk_events(const struct rv1_fmt *f, const cJSON *m, struct buf *o);

#endif
