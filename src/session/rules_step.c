/* rules_step.c: the rules of the step events: who may start, give
 * evidence for, check, confirm, witness, wait on or skip a step, and when. */
#include "azure/results.h"
#include "ck.h"
#include "session/rule_ctx.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int sr_step_start(struct rule_ctx *c)
{
	long i = sr_step(c);
	if (i < 0 || sr_need_owner(c, sr_cstep(c, i)) || sr_need_open_step(c, i) || sr_need_prereqs(c, i))
		return -1;
	sess_step_mut(c->s, (size_t)i)->started = true;
	sess_step_mut(c->s, (size_t)i)->start_at = c->at;
	return 0;
}

static const struct evidence_spec *spec_find(const struct step *st, const char *id)
{
	for (size_t k = 0; id && k < st->n_evidence; k++)
		if (strcmp(st->evidence[k].id, id) == 0)
			return &st->evidence[k];
	return NULL;
}

/* A recorded value must be what the validator makes of itself: the same
 * rules on replay as on entry. A backup file is recorded with its hash and
 * the path it had on the operator's machine, which is not here: its form is
 * checked instead. */
static int evidence_form(struct rule_ctx *c, long i, const struct evidence_spec *e, const char *v)
{
	char *norm = NULL, *err = NULL;
	int ok;
	if (e->kind == EV_FILE_SHA256) {
		ok = strncmp(v, "sha256:", 7) == 0 && strspn(v + 7, "0123456789abcdef") == 64 &&
		     strncmp(v + 71, "  ", 2) == 0 && v[73] != '\0';
	} else {
		ok = steps_validate_evidence_with(c->s->cat, sr_cstep(c, i), e, v, session_evidence,
						  c->s, &norm, &err) == 0 && util_streq(norm, v);
	}
	free(norm);
	if (ok) {
		free(err);
		return 0;
	}
	sr_refuse(c->why, _("the evidence \"%s\" of step %s is not in the form its validator "
			    "records%s%s"), e->id, sr_cstep(c, i)->id, err ? ": " : "", err ? err : "");
	free(err);
	return -1;
}

int sr_step_evidence(struct rule_ctx *c)
{
	long i = sr_step(c);
	const struct evidence_spec *e;
	const char *v;
	struct sess_step *ss;
	if (i < 0 || sr_need_owner(c, sr_cstep(c, i)) || sr_need_open_step(c, i))
		return -1;
	e = spec_find(sr_cstep(c, i), sr_str(c->p, "evidence"));
	if (!e)
		return sr_refuse(c->why, _("step %s asks for no evidence \"%s\""), sr_cstep(c, i)->id,
			      sr_str(c->p, "evidence") ? sr_str(c->p, "evidence") : "(none)");
	if (sr_text(c, "value", evidence_kind_multiline(e->kind), &v) < 0 || evidence_form(c, i, e, v) < 0)
		return -1;
	ss = sess_step_mut(c->s, (size_t)i);
	for (size_t k = 0; k < ss->n_ev; k++)
		if (strcmp(ss->ev[k].id, e->id) == 0) { /* a correction: the later value counts */
			free(ss->ev[k].value);
			ss->ev[k].value = xstrdup(v);
			ss->ev[k].seq = c->ev->seq;
			return 0;
		}
	ss->ev = xrealloc(ss->ev, (ss->n_ev + 1) * sizeof *ss->ev);
	ss->ev[ss->n_ev++] = (struct sess_evidence){ xstrdup(e->id), xstrdup(v), c->ev->seq };
	return 0;
}

/* A result as the journal format of this session records it: format 1 an
 * English sentence, format 2 a known result code with its arguments. */
static int read_result(struct rule_ctx *c, struct sess_result *r)
{
	const char *st = sr_str(c->p, "status"), *det = sr_str(c->p, "detail");
	int status = -1;
	for (int k = CHECK_PASS; k <= CHECK_UNAVAILABLE; k++)
		if (st && strcmp(st, check_status_name((enum check_status)k)) == 0)
			status = k;
	memset(r, 0, sizeof *r);
	if (c->s->h.format < 2) {
		const char *sum = sr_str(c->p, "summary");
		if (status < 0 || !sum || !det)
			return sr_refuse(c->why, _("a check needs a known status, a summary and a detail"));
		r->prose = xstrdup(sum);
	} else {
		const char *code = sr_str(c->p, "code");
		const cJSON *args = cJSON_GetObjectItemCaseSensitive(c->p, "args");
		const struct result_code *rc = code ? result_find(code) : NULL;
		if (status < 0 || !rc || !cJSON_IsArray(args) || !det)
			return sr_refuse(c->why, _("a check needs a known status, a known result code, "
						"its arguments and a detail"));
		r->args = sr_strv(c->p, "args", &r->n_args);
		if (r->n_args != (size_t)cJSON_GetArraySize(args) || r->n_args != result_n_args(rc)) {
			sess_result_free(r);
			return sr_refuse(c->why, _("result %s takes %zu arguments (text)"), code,
					 result_n_args(rc));
		}
		r->code = xstrdup(code);
	}
	r->set = true;
	r->status = status;
	r->detail = xstrdup(det);
	r->when = c->at;
	r->by = c->ev->actor;
	return 0;
}

static int step_check_common(struct rule_ctx *c, bool performed)
{
	long i = sr_step(c);
	struct sess_step *ss;
	struct sess_result r;
	if (i < 0)
		return -1;
	if (performed && sr_need_owner(c, sr_cstep(c, i)))
		return -1;
	/* a real ceremony performs only what was authorized (run --live --execute) */
	if (performed && c->s->mode != SESSION_REHEARSAL && sr_live_perform(c, i) < 0)
		return -1;
	if (sr_live_observer(c, sr_cstep(c, i)) < 0)
		return -1;
	if (read_result(c, &r) < 0)
		return -1;
	ss = sess_step_mut(c->s, (size_t)i);
	if (cJSON_GetObjectItemCaseSensitive(c->p, "observer")) /* checked: the side's sign-in */
		r.observer = sess_live_signin(c->s, sr_cstep(c, i)->side)->when.line;
	if (performed && c->s->mode != SESSION_REHEARSAL) { /* one authorization, one perform */
		free(ss->auth_done.requests);
		ss->auth_done = (struct sess_auth_done){ ss->auth, ss->auth_at, ss->cosign_at,
							 ss->auth_by, ss->cosign_by };
		ss->auth = NULL;
		ss->auth_cosigned = false;
	}
	free(ss->check_summary);
	free(ss->check_detail);
	ss->check_summary = r.code ? result_phrase(r.code, r.args, r.n_args, true) : xstrdup(r.prose);
	ss->check_detail = xstrdup(r.detail);
	ss->has_check = true;
	ss->check = (struct session_check){ r.status, ss->check_summary, ss->check_detail, c->t,
					    performed, result_side_problem(r.code),
					    util_streq(r.code, result_table[R_REST_SIDE_REFUSED].code) };
	sess_result_free(performed ? &ss->last_perform : &ss->last_check);
	*(performed ? &ss->last_perform : &ss->last_check) = r;
	return 0;
}

int sr_step_check(struct rule_ctx *c) { return step_check_common(c, false); }
int sr_step_perform(struct rule_ctx *c) { return step_check_common(c, true); }

int sr_step_confirm(struct rule_ctx *c)
{
	struct session *s = c->s;
	long i = sr_step(c);
	const struct step *st;
	struct sess_step *ss;
	const char *res;
	char *want;
	if (i < 0)
		return -1;
	st = sr_cstep(c, i);
	ss = sess_step_mut(s, (size_t)i);
	if (sr_need_owner(c, st) || sr_need_open_step(c, i) || sr_need_prereqs(c, i))
		return -1;
	for (size_t k = 0; k < st->n_evidence; k++)
		if (!st->evidence[k].optional && !session_evidence(s, st->id, st->evidence[k].id))
			return sr_refuse(c->why, _("step %s needs the evidence \"%s\" before it is confirmed"),
				      st->id, st->evidence[k].id);
	if (st->critical && !util_streq(sr_str(c->p, "typed"), st->confirm_name))
		return sr_refuse(c->why, _("step %s is critical: the name typed must be \"%s\""),
			      st->id, st->confirm_name ? st->confirm_name : "");
	if (st->witness && !s->present[ck_other_side(st->owner)])
		return sr_refuse(c->why, _("step %s needs a witness: operator %s must be present"),
			      st->id, sess_side_name(ck_other_side(st->owner)));
	if (ss->has_check && ss->check.status == SESSION_CHECK_FAIL)
		return sr_refuse(c->why, _("the last check of step %s failed: fix it and check again, "
					"or record a deviation"), st->id);
	res = sr_str(c->p, "resources");
	want = sess_step_resources(st);
	if (!res || strcmp(res, want) != 0) {
		sr_refuse(c->why, _("the confirmation of step %s names other resources than the plan's"),
		       st->id);
		free(want);
		return -1;
	}
	ss->confirmed_by = c->ev->actor;
	ss->confirmed_at = c->t;
	ss->confirm_seq = c->ev->seq;
	ss->confirm_at = c->at;
	free(ss->typed);
	ss->typed = st->critical ? xstrdup(sr_str(c->p, "typed")) : NULL;
	free(ss->resources);
	ss->resources = want;
	return 0;
}

int sr_step_wait(struct rule_ctx *c)
{
	long i = sr_step(c);
	const struct step *st;
	const char *kind = sr_str(c->p, "kind");
	char until[21];
	if (i < 0)
		return -1;
	st = sr_cstep(c, i);
	if (sr_need_owner(c, st))
		return -1;
	if (sess_step_get(c->s, (size_t)i)->confirmed_by == CK_SIDE_NONE || st->wait.kind == WAIT_NONE)
		return sr_refuse(c->why, _("step %s has no wait to start"), st->id);
	if (st->wait.kind == WAIT_HOURS) {
		sess_format_time(sess_step_get(c->s, (size_t)i)->confirmed_at + (time_t)st->wait.hours * 3600, until);
		if (!util_streq(kind, "until") || !util_streq(sr_str(c->p, "until"), until))
			return sr_refuse(c->why, _("step %s waits until %s"), st->id, until);
	} else if (!util_streq(kind, "event")) {
		return sr_refuse(c->why, _("step %s waits for an outside event"), st->id);
	}
	return 0;
}

int sr_step_witness(struct rule_ctx *c)
{
	long i = sr_step(c);
	const struct step *st;
	struct sess_step *ss;
	if (i < 0)
		return -1;
	st = sr_cstep(c, i);
	ss = sess_step_mut(c->s, (size_t)i);
	if (!st->witness)
		return sr_refuse(c->why, _("step %s needs no witness"), st->id);
	if (ss->confirmed_by == CK_SIDE_NONE)
		return sr_refuse(c->why, _("step %s must be confirmed by its owner before it is "
					"witnessed"), st->id);
	if (ss->witnessed_by != CK_SIDE_NONE)
		return sr_refuse(c->why, _("step %s is already witnessed"), st->id);
	if (c->ev->actor == st->owner)
		return sr_refuse(c->why, _("the owner of step %s cannot witness it: operator %s must"),
			      st->id, sess_side_name(ck_other_side(st->owner)));
	ss->witnessed_by = c->ev->actor;
	ss->witnessed_at = c->t;
	ss->witness_at = c->at;
	return 0;
}

int sr_step_event(struct rule_ctx *c)
{
	long i = sr_step(c);
	const struct step *st;
	struct sess_step *ss;
	const char *what;
	if (i < 0)
		return -1;
	st = sr_cstep(c, i);
	ss = sess_step_mut(c->s, (size_t)i);
	if (sr_need_owner(c, st))
		return -1;
	if (st->wait.kind != WAIT_EVENT || ss->confirmed_by == CK_SIDE_NONE || ss->arrived)
		return sr_refuse(c->why, _("step %s is not waiting for an outside event"), st->id);
	if (sr_text(c, "what", true, &what) < 0)
		return -1;
	ss->arrived = true;
	ss->arrived_at = c->t;
	ss->arrive_at = c->at;
	ss->arrived_what = xstrdup(what);
	return 0;
}

int sr_step_skip(struct rule_ctx *c)
{
	long i = sr_step(c);
	const char *reason;
	struct sess_deviation *d;
	if (i < 0 || sr_need_open_step(c, i) || sr_text(c, "reason", true, &reason) < 0)
		return -1;
	sess_step_mut(c->s, (size_t)i)->skipped = true;
	sess_step_mut(c->s, (size_t)i)->reason = xstrdup(reason);
	d = SR_PUSH(c->s->h.devs, c->s->h.n_devs);
	d->skip = true;
	d->when = c->at;
	d->step = xstrdup(sr_cstep(c, i)->id);
	d->reason = xstrdup(reason);
	d->torn_offset = -1;
	d->by = c->ev->actor;
	sr_signers(c, d->signed_by);
	return 0;
}
