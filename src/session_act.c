/* session_act.c: what the operators do to the plan and the steps, and
 * closing the ceremony. Each action builds its event and hands it to
 * sess_record() (session_record.c), which the rules judge first. */
#include "azure/results.h"
#include "ck.h"
#include "report.h"
#include "session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- plan --------------------------------------------------------------- */

static cJSON *plan_payload(const struct session *s)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "version", (double)s->plan_version);
	cJSON_AddStringToObject(p, "plan_sha256", s->plan ? s->plan->sha256 : "");
	return p;
}

int session_plan_approve(struct session *s, int side, char **err)
{
	return sess_record1(s, SEV_PLAN_APPROVE, side, plan_payload(s), err);
}

int session_plan_verify(struct session *s, int side, const bool *answers,
			const char *const *ack_ids, size_t n_ack, char **err)
{
	cJSON *p = plan_payload(s), *cl = cJSON_AddObjectToObject(p, "checklist");
	cJSON *ack = cJSON_AddArrayToObject(p, "acknowledged");
	for (size_t i = 0; i < session_n_checklist; i++)
		cJSON_AddBoolToObject(cl, session_checklist[i].id, answers && answers[i]);
	for (size_t i = 0; i < n_ack; i++)
		cJSON_AddItemToArray(ack, cJSON_CreateString(ack_ids[i]));
	return sess_record1(s, SEV_PLAN_VERIFY, side, p, err);
}

int session_amend(struct session *s, char **err)
{
	char hex[HASH_SHA256_HEX_LEN + 1], *path;
	cJSON *p;
	if (!s->pending_bytes)
		return sess_fail(err, xstrdup(_("the plan file has not changed: nothing to amend")));
	if (strlen(s->pending_bytes) != s->pending_len)
		return sess_fail(err, xstrdup(_("the plan file holds a NUL byte")));
	hash_sha256_hex(s->pending_bytes, s->pending_len, hex);
	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "version", (double)(s->plan_version + 1));
	cJSON_AddStringToObject(p, "plan_sha256", hex);
	cJSON_AddStringToObject(p, "plan", s->pending_bytes);
	cJSON_AddStringToObject(p, "diff", s->pending_diff);
	if (sess_record_both(s, SEV_PLAN_AMEND, s->plan->author, p, err) < 0)
		return -1;
	/* Keep each version next to the first: plan-v2.yaml, ... */
	path = xasprintf("%s/plan-v%ld.yaml", s->dir, s->plan_version);
	if (sess_write_new_file(path, s->pending_bytes, s->pending_len, err) < 0) {
		free(path);
		return -1;
	}
	free(path);
	free(s->pending_bytes);
	free(s->pending_diff);
	s->pending_bytes = s->pending_diff = NULL;
	sess_refresh_blocker(s);
	return sess_reopen_backend(s, err);
}

/* ---- steps -------------------------------------------------------------- */

static const struct step *find_step(const struct session *s, const char *id, char **err)
{
	long i = session_step_index(s, id);
	if (i < 0)
		*err = xasprintf(_("unknown step \"%s\""), id ? id : "");
	return i < 0 ? NULL : &s->cat->steps[i];
}

int session_step_start(struct session *s, int side, const char *step_id, char **err)
{
	return sess_record1(s, SEV_STEP_START, side, sess_step_payload(step_id), err);
}

int session_step_evidence(struct session *s, int side, const char *step_id,
			  const char *evidence_id, const char *value, char **err)
{
	const struct step *st = find_step(s, step_id, err);
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
static int record_check(struct session *s, int side, const struct step *st, enum sess_ev type,
			struct check_result *r, const struct session_check **out, char **err)
{
	cJSON *p = sess_step_payload(st->id), *args;
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
		*out = &s->steps[st - s->cat->steps].check;
	return rc;
}

int session_step_check(struct session *s, int side, const char *step_id,
		       const struct session_check **out, char **err)
{
	const struct step *st = find_step(s, step_id, err);
	struct check_result r = { .status = CHECK_UNAVAILABLE };
	if (!st)
		return -1;
	if (!s->backend || st->check.kind == CHECK_NONE) {
		check_result_set(&r, s->backend ? R_NOTHING_TO_CHECK : R_GUIDE_MODE);
	} else if (backend_check(s->backend, st, session_now(s), &r) < 0 && !r.code) {
		r.status = CHECK_UNAVAILABLE;
		check_result_set(&r, R_CHECK_COULD_NOT_RUN);
	}
	return record_check(s, side, st, SEV_STEP_CHECK, &r, out, err);
}

int session_step_perform(struct session *s, int side, const char *step_id,
			 const struct session_check **out, char **err)
{
	const struct step *st = find_step(s, step_id, err);
	struct check_result r = { .status = CHECK_UNAVAILABLE };
	char *serr = NULL;
	if (!st)
		return -1;
	if (!s->backend)
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
		*err = serr;
		return -1;
	}
	return record_check(s, side, st, SEV_STEP_PERFORM, &r, out, err);
}

int session_step_confirm(struct session *s, int side, const char *step_id,
			 const char *typed_name, char **err)
{
	const struct step *st = find_step(s, step_id, err);
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
		sess_format_time(s->steps[st - s->cat->steps].confirmed_at +
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
	const struct step *st = find_step(s, step_id, err);
	cJSON *p;
	if (!st)
		return -1;
	p = sess_step_payload(step_id);
	cJSON_AddStringToObject(p, "reason", reason ? reason : "");
	return sess_record_both(s, SEV_STEP_SKIP, st->owner, p, err);
}

int session_deviation(struct session *s, const char *step_id, const char *reason, char **err)
{
	cJSON *p = cJSON_CreateObject();
	int actor = s->plan ? s->plan->tenant_admin : CK_SIDE_A;
	if (step_id) {
		const struct step *st = find_step(s, step_id, err);
		if (!st) {
			cJSON_Delete(p);
			return -1;
		}
		actor = st->owner;
		cJSON_AddStringToObject(p, "step", step_id);
	} else {
		cJSON_AddNullToObject(p, "step");
	}
	cJSON_AddStringToObject(p, "reason", reason ? reason : "");
	return sess_record_both(s, SEV_DEVIATION, actor, p, err);
}

int session_note(struct session *s, int side, const char *text, char **err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "text", text ? text : "");
	return sess_record1(s, SEV_NOTE, side, p, err);
}

int session_clock_advance(struct session *s, int side, long seconds, char **err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "seconds", (double)seconds);
	cJSON_AddNumberToObject(p, "offset", (double)(s->clock_offset + seconds));
	return sess_record1(s, SEV_CLOCK_ADVANCE, side, p, err);
}

int session_set_aside_tail(struct session *s, const char *reason, char **err)
{
	static const bool both[CK_SIDES] = { true, true };
	cJSON *p;
	long off = s->torn_offset;
	if (s->blocker != SESSION_TORN_TAIL)
		return sess_fail(err, xstrdup(_("the journal has no torn tail to set aside")));
	if (!s->key[0] || !s->key[1])
		return sess_fail(err, xstrdup(_("both operators must unlock their keys to set a torn "
					   "tail aside")));
	if (!reason || !*reason)
		return sess_fail(err, xstrdup(_("say why the torn tail is set aside")));
	if (journal_set_aside_tail(s->j, err) < 0)
		return -1;
	s->blocker = SESSION_OK;
	sess_refresh_blocker(s);
	if (!(s->sitting_open && s->present[0] && s->present[1]) &&
	    session_sitting_open(s, both, err) < 0)
		return -1;
	p = cJSON_CreateObject();
	cJSON_AddNullToObject(p, "step");
	cJSON_AddStringToObject(p, "reason", reason);
	cJSON_AddNumberToObject(p, "torn_offset", (double)off);
	return sess_record_both(s, SEV_DEVIATION, s->plan->tenant_admin, p, err);
}

int session_close(struct session *s, char **err)
{
	static const struct { enum report_format f; const char *ext; } outs[] = {
		{ REPORT_MD, "md" }, { REPORT_HTML, "html" }, { REPORT_JSON, "json" },
	};
	cJSON *p = cJSON_CreateObject();
	long open_items = 0;
	time_t now = session_now(s);
	for (size_t i = 0; s->cat && i < s->cat->n_steps; i++) {
		enum session_step_state st = sess_step_state(s, i, now, NULL);
		open_items += st != STEP_DONE && st != STEP_SKIPPED;
	}
	cJSON_AddNumberToObject(p, "open_items", (double)open_items);
	if (sess_record_both(s, SEV_SESSION_CLOSE, s->plan ? s->plan->tenant_admin : CK_SIDE_A, p, err) < 0)
		return -1;
	for (size_t i = 0; i < CK_ARRAY_LEN(outs); i++) {
		struct buf b = BUF_INIT;
		char *path = xasprintf("%s/report.%s", s->dir, outs[i].ext), *werr = NULL;
		report_render(s, outs[i].f, &b);
		if (report_write_file(path, b.p ? b.p : "", b.len, &werr) < 0) {
			*err = xasprintf(_("The ceremony is closed and recorded, but a report could "
					   "not be written (%s): render it with `ckwizard report`."),
					 werr);
			free(werr);
			free(path);
			buf_free(&b);
			return -1;
		}
		free(path);
		buf_free(&b);
	}
	return 0;
}
