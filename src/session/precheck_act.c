/* precheck_act.c: may the plan be approved or verified, a deviation
 * recorded, the ceremony closed, now? As precheck.c does for steps, the
 * event the action would append is judged by the rules on a copy of the
 * state (shadow.c), so the screen refuses before it asks anyone for the
 * keyboard, a passphrase or a PIN. Signatures are not checked: presence and
 * the rules are. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Judge one event (payload owned here) signed by actor, or by both. */
static int dry_one(const struct session *s, enum sess_ev type, int actor, bool both,
		   cJSON *payload, char **err)
{
	struct journal_event ev;
	char *why = NULL;
	int rc;
	if (s->blocker == SESSION_TORN_TAIL || s->blocker == SESSION_FAILED ||
	    (s->blocker == SESSION_PLAN_CHANGED && !sess_ev_allowed_while_plan_changed(type))) {
		cJSON_Delete(payload);
		return sess_fail(err, xstrdup(s->blocker_text ? s->blocker_text : ""));
	}
	memset(&ev, 0, sizeof ev);
	ev.type = xstrdup(sess_ev_name(type));
	ev.payload = payload;
	ev.seq = (long)s->n_ev + 1;
	sess_format_time(session_now(s) - s->clock_offset, ev.time);
	ev.actor = actor;
	ev.sigs[0].by = both ? CK_SIDE_A : actor;
	ev.sigs[1].by = CK_SIDE_B;
	ev.n_sigs = both ? 2 : 1;
	rc = sess_dry_run(s, &ev, 1, &why);
	free(ev.type);
	cJSON_Delete(ev.payload);
	if (rc == 0)
		return 0;
	*err = xasprintf(_("Refused: %s."), why ? why : "");
	free(why);
	return -1;
}

int session_plan_approve_allowed(const struct session *s, int side, char **err)
{
	return dry_one(s, SEV_PLAN_APPROVE, side, false, sess_plan_payload(s, false, NULL, NULL, 0),
		       err);
}

int session_plan_verify_allowed(const struct session *s, int side, const bool *answers,
				const char *const *ack_ids, size_t n_ack, char **err)
{
	return dry_one(s, SEV_PLAN_VERIFY, side, false,
		       sess_plan_payload(s, true, answers, ack_ids, n_ack), err);
}

int session_deviation_allowed(const struct session *s, const char *step_id, char **err)
{
	cJSON *p = cJSON_CreateObject();
	int actor = s->plan ? s->plan->tenant_admin : CK_SIDE_A;
	if (step_id) {
		long i = session_step_index(s, step_id);
		if (i < 0) {
			cJSON_Delete(p);
			return sess_fail(err, xasprintf(_("no step %s in this plan"), step_id));
		}
		actor = s->cat->steps[i].owner;
		cJSON_AddStringToObject(p, "step", step_id);
	} else {
		cJSON_AddNullToObject(p, "step");
	}
	cJSON_AddStringToObject(p, "reason", "dry run");
	return dry_one(s, SEV_DEVIATION, actor, true, p, err);
}

int session_close_allowed(const struct session *s, char **err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "open_items", 0);
	return dry_one(s, SEV_SESSION_CLOSE, s->plan ? s->plan->tenant_admin : CK_SIDE_A, true, p,
		       err);
}
