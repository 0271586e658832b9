/* state.c: what each step's state is, derived from the typed record and the
 * clock (never stored), and what can be done next and by whom. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <string.h>

/* The state a confirmed or skipped step is in; -1 for one still open. A
 * prerequisite only needs this part: it was itself confirmed with its own
 * prerequisites done, so no recursion through the catalogue is needed. */
static int closed_state(const struct session *s, size_t i, time_t now)
{
	const struct step *st = &s->cat->steps[i];
	const struct sess_step *ss = sess_step_get(s, i);
	if (ss->skipped)
		return STEP_SKIPPED;
	if (ss->confirmed_by == CK_SIDE_NONE)
		return -1;
	if (st->witness && ss->witnessed_by == CK_SIDE_NONE)
		return STEP_WAIT_WITNESS;
	if (st->wait.kind == WAIT_HOURS && now < ss->confirmed_at + (time_t)st->wait.hours * 3600)
		return STEP_WAIT_TIME;
	if (st->wait.kind == WAIT_EVENT && !ss->arrived)
		return STEP_WAIT_EVENT;
	return STEP_DONE;
}

enum session_step_state sess_step_state(const struct session *s, size_t i, time_t now,
					const char **blocked_by)
{
	const struct step *st = &s->cat->steps[i];
	const struct sess_step *ss = sess_step_get(s, i);
	int cs = closed_state(s, i, now);
	if (cs >= 0)
		return (enum session_step_state)cs;
	if (!s->verified)
		return STEP_PENDING;
	for (size_t k = 0; k < st->n_prereqs; k++) {
		long j = session_step_index(s, st->prereqs[k]);
		int ps;
		if (j < 0 || (size_t)j == i)
			continue; /* the catalogue's own tests keep its references whole */
		ps = closed_state(s, (size_t)j, now);
		if (ps != STEP_DONE && ps != STEP_SKIPPED) {
			if (blocked_by)
				*blocked_by = st->prereqs[k];
			return STEP_BLOCKED;
		}
	}
	if (ss->started && ss->has_check && ss->check.status == SESSION_CHECK_FAIL)
		return STEP_FAILED;
	return STEP_READY;
}

/* Who can move a step on now: the owner to work and confirm, the other
 * operator to witness; nobody while it waits for time or Microsoft. */
static int step_who_next(const struct session *s, size_t i, enum session_step_state st)
{
	const struct step *step = &s->cat->steps[i];
	switch (st) {
	case STEP_READY:
	case STEP_FAILED:
	case STEP_WAIT_EVENT:
		return step->owner;
	case STEP_WAIT_WITNESS:
		return ck_other_side(step->owner);
	default:
		return CK_SIDE_NONE;
	}
}

void session_step_info(const struct session *s, size_t i, struct session_step_info *out)
{
	const struct sess_step *ss = sess_step_get(s, i);
	const struct step *st = &s->cat->steps[i];
	memset(out, 0, sizeof *out);
	out->step = st;
	out->state = sess_step_state(s, i, session_now(s), &out->blocked_by);
	out->started = ss->started;
	out->confirmed_by = ss->confirmed_by;
	out->confirmed_at = ss->confirmed_at;
	out->witnessed_by = ss->witnessed_by;
	if (ss->confirmed_by != CK_SIDE_NONE && st->wait.kind == WAIT_HOURS)
		out->wait_until = ss->confirmed_at + (time_t)st->wait.hours * 3600;
	out->wait_event = st->wait.kind == WAIT_EVENT && st->wait.event ? _(st->wait.event) : NULL;
	out->reason = ss->reason;
	out->check = ss->has_check ? &ss->check : NULL;
	out->who_next = step_who_next(s, i, out->state);
}

const char *session_evidence(void *session, const char *step_id, const char *evidence_id)
{
	const struct session *s = session;
	long i = session_step_index(s, step_id);
	if (i < 0 || !evidence_id)
		return NULL;
	const struct sess_step *ss = sess_step_get(s, (size_t)i);
	for (size_t k = 0; k < ss->n_ev; k++)
		if (strcmp(ss->ev[k].id, evidence_id) == 0)
			return ss->ev[k].value;
	return NULL;
}

time_t session_evidence_time(void *session, const char *step_id, const char *evidence_id)
{
	const struct session *s = session;
	long i = session_step_index(s, step_id);
	if (i < 0 || !evidence_id)
		return 0;
	const struct sess_step *ss = sess_step_get(s, (size_t)i);
	for (size_t k = 0; k < ss->n_ev; k++) {
		if (strcmp(ss->ev[k].id, evidence_id) != 0)
			continue;
		long seq = ss->ev[k].seq;
		for (size_t e = 0; e < s->n_ev; e++)
			if (s->ev[e].seq == seq) {
				time_t t = sess_parse_time(s->ev[e].time);
				return t > 0 ? t : 0;
			}
		return 0;
	}
	return 0;
}

static bool can_act(const struct session *s, int who)
{
	return who != CK_SIDE_NONE && s->sitting_open && s->present[who];
}

long session_next_step(const struct session *s)
{
	time_t now = session_now(s);
	long first = -1;
	if (!s->cat || !s->verified || s->closed)
		return -1;
	for (size_t i = 0; i < s->cat->n_steps; i++) {
		enum session_step_state st = sess_step_state(s, i, now, NULL);
		if (st == STEP_WAIT_EVENT || !can_act(s, step_who_next(s, i, st)))
			continue; /* an outside event is waited for, not worked on */
		if (st == STEP_WAIT_WITNESS && !s->present[s->cat->steps[i].owner])
			continue;
		if (st == STEP_READY && s->cat->steps[i].witness &&
		    !s->present[ck_other_side(s->cat->steps[i].owner)])
			continue; /* a one-operator sitting cannot do witnessed steps */
		if (sess_step_get(s, i)->started || st == STEP_WAIT_WITNESS)
			return (long)i;
		if (first < 0)
			first = (long)i;
	}
	return first;
}

size_t session_waits(const struct session *s, struct session_wait_item **items, bool *all_waiting)
{
	time_t now = session_now(s);
	size_t n = 0;
	*items = NULL;
	for (size_t i = 0; s->cat && i < s->cat->n_steps; i++) {
		struct session_step_info info;
		session_step_info(s, i, &info);
		if (info.state != STEP_WAIT_TIME && info.state != STEP_WAIT_EVENT &&
		    info.state != STEP_WAIT_WITNESS)
			continue;
		*items = xrealloc(*items, (n + 1) * sizeof **items);
		(*items)[n++] = (struct session_wait_item){
			(size_t)i, info.state, info.wait_until, info.wait_event,
			info.state == STEP_WAIT_WITNESS ? ck_other_side(info.step->owner) : CK_SIDE_NONE
		};
	}
	(void)now;
	if (all_waiting)
		*all_waiting = n > 0 && session_next_step(s) < 0;
	return n;
}
