/* precheck.c: may this operator do this to this step now? The same rule
 * engine that judges every event before it is written answers, on a copy
 * of the state (shadow.c), before the screen asks anyone for a keyboard, a passphrase or a
 * signature: an action the rules will refuse is never prompted for. */
#include "azure/backend.h"
#include "azure/results.h"
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A result payload of the session's journal format, as record_check writes
 * one: the dry run needs one the rules accept, whatever is found later. */
static cJSON *dry_result(const struct session *s, const char *step_id)
{
	struct check_result r = { .status = CHECK_UNAVAILABLE };
	cJSON *p = sess_step_payload(step_id);
	check_result_set(&r, R_GUIDE_MODE);
	cJSON_AddStringToObject(p, "status", check_status_name(r.status));
	if (s->h.format < 2) {
		cJSON_AddStringToObject(p, "summary", "dry run");
	} else {
		cJSON_AddStringToObject(p, "code", r.code);
		cJSON_AddArrayToObject(p, "args");
	}
	cJSON_AddStringToObject(p, "detail", "");
	check_result_free(&r);
	return p;
}

/* The events the action would append, in order (a step not started yet is
 * started first, as the screen does). Returns how many (at most 2). */
static size_t dry_events(const struct session *s, enum session_step_act act, int side,
			 const struct step *st, size_t i, struct journal_event ev[2])
{
	size_t n = 0;
	bool start = !sess_step_get(s, i)->started &&
		     (act == SESSION_ACT_EVIDENCE || act == SESSION_ACT_CHECK ||
		      act == SESSION_ACT_PERFORM || act == SESSION_ACT_CONFIRM);
	memset(ev, 0, 2 * sizeof *ev);
	if (start || act == SESSION_ACT_EVIDENCE) {
		/* Evidence has no value yet: what its rule asks beyond the value
		 * (the owner, a step still open) is what starting asks. */
		ev[n].type = xstrdup(sess_ev_name(SEV_STEP_START));
		ev[n].payload = sess_step_payload(st->id);
		n++;
	}
	cJSON *p = NULL;
	enum sess_ev type = SEV_STEP_START;
	switch (act) {
	case SESSION_ACT_EVIDENCE:
		break;
	case SESSION_ACT_CHECK:
	case SESSION_ACT_PERFORM:
		type = act == SESSION_ACT_CHECK ? SEV_STEP_CHECK : SEV_STEP_PERFORM;
		p = dry_result(s, st->id);
		break;
	case SESSION_ACT_CONFIRM: {
		char *res = sess_step_resources(st);
		type = SEV_STEP_CONFIRM;
		p = sess_step_payload(st->id);
		cJSON_AddStringToObject(p, "resources", res);
		free(res);
		/* The name is checked as it is typed; the rest is judged here. */
		if (st->critical)
			cJSON_AddStringToObject(p, "typed", st->confirm_name ? st->confirm_name : "");
		break;
	}
	case SESSION_ACT_WITNESS:
		type = SEV_STEP_WITNESS;
		p = sess_step_payload(st->id);
		break;
	case SESSION_ACT_SKIP:
		type = SEV_STEP_SKIP;
		p = sess_step_payload(st->id);
		cJSON_AddStringToObject(p, "reason", "dry run");
		break;
	case SESSION_ACT_EVENT:
		type = SEV_STEP_EVENT;
		p = sess_step_payload(st->id);
		cJSON_AddStringToObject(p, "what", "dry run");
		break;
	}
	if (p) {
		ev[n].type = xstrdup(sess_ev_name(type));
		ev[n].payload = p;
		n++;
	}
	for (size_t k = 0; k < n; k++) {
		ev[k].seq = (long)s->n_ev + 1 + (long)k;
		sess_format_time(session_now(s) - s->clock_offset, ev[k].time);
		ev[k].actor = act == SESSION_ACT_SKIP ? st->owner : side;
		ev[k].sigs[0].by = ev[k].actor;
		ev[k].n_sigs = 1;
	}
	if (act == SESSION_ACT_SKIP) { /* as session_step_skip records it */
		ev[n - 1].sigs[0].by = CK_SIDE_A;
		ev[n - 1].sigs[1].by = CK_SIDE_B;
		ev[n - 1].n_sigs = 2;
	}
	return n;
}

/* What is missing, read from the state the refusal met, so the screen can
 * name the key that does it. */
static enum session_missing dry_missing(const struct session *s, enum session_step_act act,
					int side, const struct step *st, size_t i)
{
	const struct sess_step *ss = sess_step_get(s, i);
	const char *blocked = NULL;
	if (!s->sitting_open || !s->present[side] ||
	    (act == SESSION_ACT_SKIP && !s->present[ck_other_side(side)]))
		return SESSION_MISSING_PRESENCE;
	if (act == SESSION_ACT_SKIP)
		return SESSION_MISSING_NOTHING;
	if (act == SESSION_ACT_WITNESS) {
		if (!st->witness)
			return SESSION_MISSING_NOTHING;
		if (side == st->owner)
			return SESSION_MISSING_OTHER_OPERATOR;
		return ss->confirmed_by == CK_SIDE_NONE ? SESSION_MISSING_CONFIRM
							: SESSION_MISSING_NOTHING;
	}
	if (side != st->owner)
		return SESSION_MISSING_OWNER;
	if (sess_step_state(s, i, session_now(s), &blocked) == STEP_BLOCKED)
		return SESSION_MISSING_PREREQ;
	if (act == SESSION_ACT_CONFIRM) {
		for (size_t k = 0; k < st->n_evidence; k++) {
			bool have = false;
			for (size_t e = 0; e < ss->n_ev && !have; e++)
				have = strcmp(ss->ev[e].id, st->evidence[k].id) == 0;
			if (!st->evidence[k].optional && !have)
				return SESSION_MISSING_EVIDENCE;
		}
		if (ss->has_check && ss->check.status == SESSION_CHECK_FAIL)
			return SESSION_MISSING_CHECK;
		if (st->witness && !s->present[ck_other_side(st->owner)])
			return SESSION_MISSING_PRESENCE;
	}
	return SESSION_MISSING_NOTHING;
}

int session_step_allowed(const struct session *s, enum session_step_act act, int side,
			 const char *step_id, enum session_missing *missing, char **err)
{
	struct journal_event ev[2];
	char *why = NULL;
	long i = session_step_index(s, step_id);
	size_t n;
	int rc = 0;
	if (missing)
		*missing = SESSION_MISSING_NOTHING;
	if (i < 0)
		return sess_fail(err, xasprintf(_("no step %s in this plan"), step_id ? step_id : ""));
	if (side != CK_SIDE_A && side != CK_SIDE_B)
		return sess_fail(err, xstrdup(_("say which operator (A or B) is acting")));
	if (s->blocker == SESSION_TORN_TAIL || s->blocker == SESSION_FAILED ||
	    (s->blocker == SESSION_PLAN_CHANGED && !sess_ev_allowed_while_plan_changed(SEV_STEP_START)))
		return sess_fail(err, xstrdup(s->blocker_text ? s->blocker_text : ""));
	n = dry_events(s, act, side, &s->cat->steps[i], (size_t)i, ev);
	rc = sess_dry_run(s, ev, n, &why);
	for (size_t k = 0; k < n; k++) {
		free(ev[k].type);
		cJSON_Delete(ev[k].payload);
	}
	if (rc == 0)
		return 0;
	if (missing)
		*missing = dry_missing(s, act, side, &s->cat->steps[i], (size_t)i);
	*err = xasprintf(_("Refused: %s."), why);
	free(why);
	return -1;
}
