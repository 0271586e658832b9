/* act_step.c: what the operators do to a step: start it, give evidence,
 * check it (and perform it in a rehearsal), confirm, witness, record an
 * awaited event, skip it. */
#include "azure/results.h"
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>

int session_step_start(struct session *s, int side, const char *step_id, char **err)
{
	return sess_record1(s, SEV_STEP_START, side, sess_step_payload(step_id), err);
}

int session_step_evidence(struct session *s, int side, const char *step_id,
			  const char *evidence_id, const char *value, char **err)
{
	const struct step *st = sess_find_step(s, step_id, err);
	const struct evidence_spec *e = NULL;
	char *norm = NULL;
	cJSON *p;
	if (!st)
		return -1;
	for (size_t k = 0; k < st->n_evidence; k++)
		if (util_streq(st->evidence[k].id, evidence_id))
			e = &st->evidence[k];
	if (!e)
		return sess_fail(err, xasprintf(_("step %s asks for no evidence \"%s\""), st->id,
					   evidence_id ? evidence_id : ""));
	if (!value || steps_validate_evidence_with(s->cat, st, e, value, session_evidence, s, &norm,
						   err) < 0)
		return -1;
	p = sess_step_payload(step_id);
	cJSON_AddStringToObject(p, "evidence", e->id);
	cJSON_AddStringToObject(p, "value", norm ? norm : value);
	free(norm);
	return sess_record1(s, SEV_STEP_EVIDENCE, side, p, err);
}

/* What was found goes into the journal as its result code and arguments;
 * the summary (a sentence in the operator's language) is only for the screen. */
static int record_check_with(struct session *s, int side, const struct step *st,
			     enum sess_ev type, struct check_result *r, cJSON *observer,
			     cJSON *requests, const struct session_check **out, char **err)
{
	cJSON *p = sess_step_payload(st->id), *args;
	if (requests)
		cJSON_AddItemToObject(p, "requests", requests);
	if (observer)
		cJSON_AddItemToObject(p, "observer", observer);
	int rc;
	if (!r->code && r->summary) {
		char *text = r->summary;
		r->summary = NULL;
		check_result_set(r, R_BACKEND_TEXT, text);
		free(text);
	} else if (!r->code) {
		check_result_set(r, R_CHECK_COULD_NOT_RUN);
	}
	cJSON_AddStringToObject(p, "status", check_status_name(r->status));
	cJSON_AddStringToObject(p, "code", r->code);
	args = cJSON_AddArrayToObject(p, "args");
	for (size_t i = 0; i < r->n_args; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(r->args[i]));
	cJSON_AddStringToObject(p, "detail", r->detail ? r->detail : "");
	check_result_free(r);
	rc = sess_record1(s, type, side, p, err);
	if (rc == 0 && out)
		*out = &sess_step_get(s, (size_t)(st - s->cat->steps))->check;
	return rc;
}

static int record_check(struct session *s, int side, const struct step *st, enum sess_ev type,
			struct check_result *r, cJSON *observer, const struct session_check **out,
			char **err)
{
	return record_check_with(s, side, st, type, r, observer, NULL, out, err);
}

static int step_check(struct session *s, int side, const char *step_id,
		      const struct session_check **out, char **err);
static int step_perform(struct session *s, int side, const char *step_id,
			const struct session_check **out, char **err);

/* A check or a perform reads (and a perform changes) the simulator: the
 * whole of it under the append lock, the other terminal's changes read
 * first. */
int session_step_check(struct session *s, int side, const char *step_id,
		       const struct session_check **out, char **err)
{
	if (sess_txn_begin(s, err) < 0)
		return -1;
	int rc = step_check(s, side, step_id, out, err);
	sess_txn_end(s);
	return rc;
}

int session_step_perform(struct session *s, int side, const char *step_id,
			 const struct session_check **out, char **err)
{
	if (sess_txn_begin(s, err) < 0)
		return -1;
	int rc = step_perform(s, side, step_id, out, err);
	sess_txn_end(s);
	return rc;
}

static int step_check(struct session *s, int side, const char *step_id,
		      const struct session_check **out, char **err)
{
	const struct step *st = sess_find_step(s, step_id, err);
	struct check_result r = { .status = CHECK_UNAVAILABLE };
	cJSON *holder, *observer;
	struct backend_ui bui;
	if (!st)
		return -1;
	/* Live: who will observe it, known (signed in) before Azure is asked. */
	holder = cJSON_CreateObject();
	if (st->check.kind != CHECK_NONE && sess_live_observer(s, st, holder, err) < 0) {
		cJSON_Delete(holder);
		return -1;
	}
	observer = cJSON_DetachItemFromObject(holder, "observer");
	cJSON_Delete(holder);
	sess_live_backend_ui(s, &bui);
	if (!s->backend || st->check.kind == CHECK_NONE) {
		check_result_set(&r, s->backend ? R_NOTHING_TO_CHECK : R_GUIDE_MODE);
	} else if (backend_check_batch(s->backend, &st, 1, session_now(s), &bui, &r) < 0 &&
		   !r.code) {
		r.status = CHECK_UNAVAILABLE;
		check_result_set(&r, R_CHECK_COULD_NOT_RUN);
	}
	sess_live_still_signed(s);
	return record_check(s, side, st, SEV_STEP_CHECK, &r, observer, out, err);
}

static int step_perform(struct session *s, int side, const char *step_id,
			const struct session_check **out, char **err)
{
	const struct step *st = sess_find_step(s, step_id, err);
	struct check_result r = { .status = CHECK_UNAVAILABLE };
	char *serr = NULL;
	if (!st)
		return -1;
	if (s->mode == SESSION_RUN && session_is_live(s)) {
		cJSON *extra = NULL;
		int prc = sess_live_perform(s, side, st, &extra, &r, err);
		sess_live_still_signed(s);
		if (prc < 0)
			return -1;
		if (result_side_problem(r.code)) {
			/* the side could not ask Azure (its tokens not renewed, or
			 * its sign-in refused): nothing was sent, so nothing is
			 * recorded and the authorization still stands */
			int why = util_streq(r.code, result_table[R_REST_SIDE_REFUSED].code)
					  ? SESSION_SIGNIN_REFUSED : SESSION_NO_TOKEN;
			*err = xstrdup(r.summary ? r.summary : "?");
			check_result_free(&r);
			cJSON_Delete(extra);
			return why;
		}
		/* record_check adds the observer; the requests go in as they were authorized */
		cJSON *observer = cJSON_DetachItemFromObject(extra, "observer");
		int rc = record_check_with(s, side, st, SEV_STEP_PERFORM, &r, observer,
					   cJSON_DetachItemFromObject(extra, "requests"), out, err);
		cJSON_Delete(extra);
		return rc;
	}
	if (!s->backend || s->mode != SESSION_REHEARSAL)
		return sess_fail(err, xstrdup(_("steps are performed only in a rehearsal, on the "
					   "simulator: in a real ceremony run the commands yourself")));
	/* Ask the rules first so the simulator is not changed for nothing. */
	if (side != st->owner || !s->key[side] || !s->sitting_open || !s->present[side] ||
	    !s->verified)
		return sess_fail(err, xasprintf(_("Refused: step %s is performed by its owner, operator "
					     "%s, present, unlocked, once the plan is verified."),
					   st->id, sess_side_name(st->owner)));
	if (backend_perform(s->backend, st, session_now(s), &r) < 0 && !r.code) {
		r.status = CHECK_FAIL;
		check_result_set(&r, R_PERFORM_FAILED);
	}
	if (s->backend->ops->save && s->backend->ops->save(s->backend, &serr) < 0) {
		check_result_free(&r);
		/* nothing recorded: the operator performs it again once the disk is fixed */
		*err = xasprintf(_("%s. The step was not recorded: free disk space or fix the device, "
				   "then perform it again."), serr);
		free(serr);
		return -1;
	}
	return record_check(s, side, st, SEV_STEP_PERFORM, &r, NULL, out, err);
}

int session_step_confirm(struct session *s, int side, const char *step_id,
			 const char *typed_name, char **err)
{
	const struct step *st = sess_find_step(s, step_id, err);
	char *res, until[21];
	cJSON *p;
	if (!st)
		return -1;
	p = sess_step_payload(step_id);
	res = sess_step_resources(st);
	cJSON_AddStringToObject(p, "resources", res);
	free(res);
	if (st->critical)
		cJSON_AddStringToObject(p, "typed", typed_name ? typed_name : "");
	if (sess_record1(s, SEV_STEP_CONFIRM, side, p, err) < 0)
		return -1;
	if (st->wait.kind == WAIT_NONE)
		return 0;
	/* The wait starts now: record what it is, for the report and the screen. */
	p = sess_step_payload(step_id);
	if (st->wait.kind == WAIT_HOURS) {
		sess_format_time(sess_step_get(s, (size_t)(st - s->cat->steps))->confirmed_at +
					 (time_t)st->wait.hours * 3600, until);
		cJSON_AddStringToObject(p, "kind", "until");
		cJSON_AddStringToObject(p, "until", until);
	} else {
		cJSON_AddStringToObject(p, "kind", "event");
		cJSON_AddStringToObject(p, "event", st->wait.event ? st->wait.event : "");
	}
	return sess_record1(s, SEV_STEP_WAIT, side, p, err);
}

int session_step_witness(struct session *s, int side, const char *step_id, char **err)
{
	return sess_record1(s, SEV_STEP_WITNESS, side, sess_step_payload(step_id), err);
}

int session_step_event(struct session *s, int side, const char *step_id, const char *what,
		       char **err)
{
	cJSON *p = sess_step_payload(step_id);
	cJSON_AddStringToObject(p, "what", what ? what : "");
	return sess_record1(s, SEV_STEP_EVENT, side, p, err);
}

int session_step_skip(struct session *s, const char *step_id, const char *reason, char **err)
{
	const struct step *st = sess_find_step(s, step_id, err);
	cJSON *p;
	if (!st)
		return -1;
	p = sess_step_payload(step_id);
	cJSON_AddStringToObject(p, "reason", reason ? reason : "");
	return sess_record_both(s, SEV_STEP_SKIP, st->owner, p, err);
}
