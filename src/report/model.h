/* model.h: what a report shows, as typed data, built once from the
 * session's typed record (session_int.h) and read by every renderer
 * (md.c, html.c, json.c) through these fields: a field
 * renamed here breaks the build of every format, not one report.
 *
 * The state is judged as of the last event (not "now"), so the same journal
 * gives the same report on any day. Internal to the reports. */
#ifndef CK_REPORT_MODEL_H
#define CK_REPORT_MODEL_H

#include "buf.h"
#include "report.h"
#include "session/session_int.h"

/* One step as a reviewer reads it. */
struct report_step {
	long number;                 /* 1-based, catalogue order: the step table's # */
	const struct step *step;
	const struct sess_step *ss;
	enum session_step_state state;
	const char *blocked_by;      /* STEP_BLOCKED: the prerequisite not done */
	const char *state_key;       /* "done", "waiting-witness", ...: JSON and CSS */
	const char *state_words;     /* "waiting for witness" */
	bool active;                 /* something was recorded: it has a details section */
	char *resource;              /* what it touches ("vault X, key Y"), or NULL */
	const struct sess_result *result; /* the latest check or perform, or NULL */
	char *result_text;           /* that result, phrased (English in JSON) */
	char *check_text, *perform_text; /* the last check and perform, phrased, or NULL */
	time_t wait_until;           /* WAIT_HOURS once confirmed, else 0 */
	/* What concerns this step elsewhere in the report (indices). */
	size_t *devs, n_devs;        /* into h->devs: its deviations and skip */
	size_t *notes, n_notes;      /* into h->notes: notes taken while it was in hand */
	size_t *amends, n_amends;    /* into h->plan: amendments that changed it */
};

struct report_model {
	const struct session *s;
	const struct plan *plan;     /* NULL: the journal holds no usable session */
	const struct sess_history *h;
	/* Shown as given; tests put hostile text here. */
	const char *org_name, *tenant_domain, *tenant_id;
	const char *operator_name[CK_SIDES];
	const char *problem;         /* the journal's first problem, or NULL */
	bool rehearsal, demo_keys, closed;
	/* One clock: a rehearsal may move its simulated clock forward; then every
	 * time of a step is shown on both clocks, never mixed in one column. */
	bool two_clocks;
	struct sess_stamp first, last;
	struct report_step *steps;
	size_t n_steps;
	size_t n_open, n_skips, n_deviations, n_amends;
	char lang[REPORT_LANG_MAX + 1]; /* the language it is rendered in */
};

void report_model_build(const struct session *s, struct report_model *m);
void report_model_free(struct report_model *m);

/* "Alice Ames (A)"; NULL-safe for CK_SIDE_NONE ("nobody"). Untrusted (the
 * name comes from the plan): renderers escape it. Caller frees. */
/* lang.c: the first line of a Markdown report not in English. */
void report_lang_md_mark(struct buf *o, const char *lang);

char *report_person(const struct report_model *m, int side);
/* Live: the Azure sign-in recorded on journal line `line` (a result's
 * observer), or NULL. */
const struct sess_signin *report_signin(const struct report_model *m, long line);
/* "5 days", "3 hours 10 minutes", "45 seconds". */
void report_duration(struct buf *o, long seconds);
/* "2026-11-23 12:10:00 UTC" (the real or the session clock of a stamp). */
void report_time(char out[32], time_t t);

#endif
