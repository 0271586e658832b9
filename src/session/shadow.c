/* shadow.c: judging an event before it is written, without replaying the
 * journal. The session's state is what the rules made of every event on
 * disk, so an event is judged on a copy of that state. Copying all of it
 * would copy the plan; instead the copy shares what the event's rule only
 * reads and owns what it may change: the steps the events name (deep
 * copies) and the history arrays (element pointers shared, the array its
 * own, so a rule appends to the copy). Events that replace the plan
 * (session.open, plan.amend) are judged on a scratch replay, as before.
 * Judging then costs the event, not the length of the journal: recording n
 * events costs O(n), not O(n^2). */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The full scratch replay: the journal's events, then these. */
static int dry_replay(const struct session *s, const struct journal_event *ev, size_t n,
		      char **why)
{
	struct session *x = sess_new();
	int rc = 0;
	x->torn_offset = -1;
	for (size_t k = 0; k < s->n_ev && rc == 0; k++)
		rc = sess_apply(x, &s->ev[k], false, why);
	for (size_t k = 0; k < n && rc == 0; k++)
		rc = sess_apply(x, &ev[k], false, why);
	session_free(x);
	return rc;
}

static bool replaces_plan(const struct journal_event *ev)
{
	return strcmp(ev->type, sess_ev_name(SEV_SESSION_OPEN)) == 0 ||
	       strcmp(ev->type, sess_ev_name(SEV_PLAN_AMEND)) == 0;
}

static void *dup_array(const void *a, size_t n, size_t size)
{
	void *c = n ? xmalloc(n * size) : NULL;
	if (n)
		memcpy(c, a, n * size);
	return c;
}

/* The steps the events name, at most one per event (-1: none). */
static void dry_steps(const struct session *s, const struct journal_event *ev, size_t n,
		      long *idx)
{
	for (size_t k = 0; k < n; k++) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(ev[k].payload, "step");
		idx[k] = cJSON_IsString(o) ? session_step_index(s, o->valuestring) : -1;
		for (size_t j = 0; j < k; j++)
			if (idx[j] == idx[k])
				idx[k] = -1; /* copied once */
	}
}

/* Free what the copy owns; check that what it shares was left alone. */
static void dry_release(const struct session *s, struct session *x, const long *idx, size_t n)
{
	const struct sess_history *h = &s->h;
	struct sess_history *xh = &x->h;
	for (size_t k = h->n_plan; k < xh->n_plan; k++)
		sess_plan_event_free(&xh->plan[k]);
	for (size_t k = h->n_devs; k < xh->n_devs; k++)
		sess_deviation_free(&xh->devs[k]);
	for (size_t k = h->n_notes; k < xh->n_notes; k++)
		sess_note_free(&xh->notes[k]);
	for (size_t k = h->n_signins; k < xh->n_signins; k++)
		sess_signin_free(&xh->signins[k]);
	for (size_t k = h->n_sittings; k < xh->n_sittings; k++)
		sess_terminal_free(&xh->sittings[k].term);
	for (size_t k = h->n_presence; k < xh->n_presence; k++) {
		free(xh->presence[k].how);
		sess_terminal_free(&xh->presence[k].term);
	}
	/* Elements the session had are never changed by a rule, except a
	 * sitting's closing time (plain data, in the copy's own array). */
	if ((h->n_plan && memcmp(xh->plan, h->plan, h->n_plan * sizeof *h->plan)) ||
	    (h->n_devs && memcmp(xh->devs, h->devs, h->n_devs * sizeof *h->devs)) ||
	    (h->n_notes && memcmp(xh->notes, h->notes, h->n_notes * sizeof *h->notes)) ||
	    (h->n_signins && memcmp(xh->signins, h->signins, h->n_signins * sizeof *h->signins)) ||
	    (h->n_presence && memcmp(xh->presence, h->presence, h->n_presence * sizeof *h->presence)))
		sess_dry_broken("a recorded history entry");
	free(xh->plan);
	free(xh->sittings);
	free(xh->devs);
	free(xh->notes);
	free(xh->clock);
	free(xh->signins);
	free(xh->presence);
	for (size_t k = 0; k < n; k++)
		if (idx[k] >= 0) {
			sess_step_state_free(x->steps[idx[k]]);
			free(x->steps[idx[k]]);
		}
	for (size_t i = 0; i < s->cat->n_steps; i++) {
		bool own = false;
		for (size_t k = 0; k < n; k++)
			own |= idx[k] == (long)i;
		if (!own && x->steps[i] != s->steps[i])
			sess_dry_broken("a step the events do not name");
	}
	free(x->steps);
	/* What else may change is plain data (last, closing); anything else in
	 * the history, or the plan, the events, the warnings, is shared. */
	xh->plan = h->plan, xh->n_plan = h->n_plan;
	xh->sittings = h->sittings, xh->n_sittings = h->n_sittings;
	xh->devs = h->devs, xh->n_devs = h->n_devs;
	xh->notes = h->notes, xh->n_notes = h->n_notes;
	xh->clock = h->clock, xh->n_clock = h->n_clock;
	xh->signins = h->signins, xh->n_signins = h->n_signins;
	xh->presence = h->presence, xh->n_presence = h->n_presence;
	xh->last = h->last;
	xh->closing = h->closing;
	if (memcmp(xh, h, sizeof *h) != 0)
		sess_dry_broken("the session's history");
	if (x->plan != s->plan || x->inv != s->inv || x->cat != s->cat || x->ev != s->ev ||
	    x->n_ev != s->n_ev || x->warn_ids != s->warn_ids || x->warn_msgs != s->warn_msgs ||
	    x->n_warn != s->n_warn || x->tool_version != s->tool_version ||
	    x->rebuilt != s->rebuilt || x->n_rebuilt != s->n_rebuilt ||
	    x->pending_bytes != s->pending_bytes || x->pending_diff != s->pending_diff)
		sess_dry_broken("the session's plan");
}

int sess_dry_run(const struct session *s, const struct journal_event *ev, size_t n, char **why)
{
	struct session x;
	long idx[2];
	int rc = 0;
	bool replay = !s->cat || !s->steps || n > CK_ARRAY_LEN(idx);
	for (size_t k = 0; k < n && !replay; k++)
		replay = replaces_plan(&ev[k]);
	if (replay)
		return dry_replay(s, ev, n, why);
	dry_steps(s, ev, n, idx);
	memcpy(&x, s, sizeof x);
	x.steps = dup_array(s->steps, s->cat->n_steps, sizeof *s->steps);
	for (size_t k = 0; k < n; k++)
		if (idx[k] >= 0) {
			x.steps[idx[k]] = xmalloc(sizeof *x.steps[idx[k]]);
			sess_step_dup(x.steps[idx[k]], sess_step_get(s, (size_t)idx[k]));
		}
	x.dry_own = idx;
	x.n_dry_own = n;
	x.h.plan = dup_array(s->h.plan, s->h.n_plan, sizeof *s->h.plan);
	x.h.sittings = dup_array(s->h.sittings, s->h.n_sittings, sizeof *s->h.sittings);
	x.h.devs = dup_array(s->h.devs, s->h.n_devs, sizeof *s->h.devs);
	x.h.notes = dup_array(s->h.notes, s->h.n_notes, sizeof *s->h.notes);
	x.h.clock = dup_array(s->h.clock, s->h.n_clock, sizeof *s->h.clock);
	x.h.signins = dup_array(s->h.signins, s->h.n_signins, sizeof *s->h.signins);
	x.h.presence = dup_array(s->h.presence, s->h.n_presence, sizeof *s->h.presence);
	for (size_t k = 0; k < n && rc == 0; k++)
		rc = sess_apply(&x, &ev[k], false, why);
	dry_release(s, &x, idx, n);
	return rc;
}
