/* act_execute.c: run --live --execute: the owner reads and signs exactly the
 * writes a step will send (step.authorize), the witness co-signs an
 * irreversible one (step.cosign), and only then does the backend write; the
 * perform records the same requests, what Azure showed, and who observed it.
 * The rules (rules_authorize.c) refuse a perform without its authorization;
 * this file asks the same questions before anything leaves the process,
 * because a write refused only afterwards would already have happened. */
#include "azure/results.h"
#include "ck.h"
#include "buf.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

bool session_is_executing(const struct session *s)
{
	return session_is_live(s) && s->opts.execute && s->backend->ops->describe;
}

/* The backend's description of step st's writes, parsed: 0 with *rq, 1 when
 * the step writes nothing (guided), -1 with *err. */
static int exec_describe(struct session *s, const struct step *st, cJSON **rq, char **err)
{
	char *text = NULL, *why = NULL;
	*rq = NULL;
	if (!session_is_executing(s))
		return sess_fail(err, xstrdup(_("steps are performed in Azure only with run --live "
					   "--execute")));
	int rc = s->backend->ops->describe(s->backend, st, &text, &why);
	if (rc == 1) {
		free(text);
		*err = xasprintf(_("step %s is not written by ckwizard: run its commands yourself "
				   "(guided)%s%s"), st->id, why ? ": " : "", why ? why : "");
		free(why);
		return 1;
	}
	if (rc != 0 || !text || !(*rq = cJSON_Parse(text)) || !cJSON_IsArray(*rq)) {
		cJSON_Delete(*rq);
		*rq = NULL;
		free(text);
		/* describing may have asked for a token (Graph, for a
		 * principal) and lost the sign-in, or found another identity:
		 * the side is signed out now, not at its next check */
		sess_live_still_signed(s);
		if (why)
			*err = why;
		else
			*err = xasprintf(_("the writes of step %s could not be described"), st->id);
		return -1;
	}
	free(text);
	free(why);
	return 0;
}

static long exec_index(const struct session *s, const struct step *st)
{
	return (long)(st - s->cat->steps);
}

char *session_step_writes(struct session *s, const char *step_id, char **err)
{
	const struct step *st = sess_find_step(s, step_id, err);
	cJSON *rq, *r;
	if (!st || exec_describe(s, st, &rq, err) != 0)
		return NULL;
	struct buf b = BUF_INIT;
	cJSON_ArrayForEach(r, rq) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(r, "fields"), *k;
		buf_printf(&b, "%s %s\n", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "method")),
			   cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "path")));
		cJSON_ArrayForEach(k, f) {
			char *v = cJSON_IsString(k) ? xstrdup(k->valuestring) : cJSON_PrintUnformatted(k);
			buf_printf(&b, "    %s: %s\n", k->string, v);
			free(v);
		}
	}
	cJSON_Delete(rq);
	return buf_steal(&b);
}

int session_step_authorize(struct session *s, int side, const char *step_id, char **err)
{
	const struct step *st = sess_find_step(s, step_id, err);
	cJSON *rq;
	if (!st || exec_describe(s, st, &rq, err) != 0)
		return -1;
	cJSON *p = sess_step_payload(st->id);
	cJSON_AddItemToObject(p, "requests", rq);
	return sess_record1(s, SEV_STEP_AUTHORIZE, side, p, err);
}

int session_step_cosign(struct session *s, int side, const char *step_id, char **err)
{
	const struct step *st = sess_find_step(s, step_id, err);
	if (!st)
		return -1;
	const struct sess_step *ss = sess_step_get(s, exec_index(s, st));
	cJSON *rq = ss->auth ? cJSON_Parse(ss->auth) : NULL;
	if (!rq)
		return sess_fail(err, xasprintf(_("step %s has no authorization to co-sign"), st->id));
	cJSON *p = sess_step_payload(st->id);
	cJSON_AddItemToObject(p, "requests", rq);
	return sess_record1(s, SEV_STEP_COSIGN, side, p, err);
}

bool session_step_needs_cosign(const struct session *s, const char *step_id)
{
	long i = session_step_index(s, step_id);
	return i >= 0 && sess_irreversible(&s->cat->steps[i]);
}

bool session_step_authorized(const struct session *s, const char *step_id, bool *cosigned)
{
	long i = session_step_index(s, step_id);
	if (i < 0 || !sess_step_get(s, i)->auth)
		return false;
	if (cosigned)
		*cosigned = sess_step_get(s, i)->auth_cosigned;
	return true;
}

/* What the rules will ask of the perform, asked before the write. */
static int exec_may_write(struct session *s, int side, const struct step *st, const cJSON *rq,
			  char **err)
{
	const struct sess_step *ss = sess_step_get(s, exec_index(s, st));
	if (side != st->owner || !s->key[side] || !s->sitting_open || !s->present[side] || !s->verified)
		return sess_fail(err, xasprintf(_("Refused: step %s is performed by its owner, operator "
					     "%s, present, unlocked, once the plan is verified."),
					   st->id, sess_side_name(st->owner)));
	if (!ss->auth)
		return sess_fail(err, xasprintf(_("Refused: step %s is performed in Azure only once its "
					     "owner authorized it"), st->id));
	char *now = cJSON_PrintUnformatted(rq);
	bool same = strcmp(now, ss->auth) == 0;
	free(now);
	if (!same)
		return sess_fail(err, xasprintf(_("Refused: step %s would now send other requests than "
					     "were authorized (the plan or Azure changed): authorize "
					     "it again"), st->id));
	if (sess_irreversible(st) && !ss->auth_cosigned)
		return sess_fail(err, xasprintf(_("Refused: step %s cannot be undone: its witness, "
					     "operator %s, co-signs the authorization first"),
					   st->id, sess_side_name(ck_other_side(st->owner))));
	return 0;
}

int sess_live_perform(struct session *s, int side, const struct step *st, cJSON **payload,
		      struct check_result *r, char **err)
{
	cJSON *rq, *holder;
	if (exec_describe(s, st, &rq, err) != 0)
		return -1;
	holder = cJSON_CreateObject();
	if (exec_may_write(s, side, st, rq, err) < 0 || sess_live_observer(s, st, holder, err) < 0) {
		cJSON_Delete(rq);
		cJSON_Delete(holder);
		return -1;
	}
	if (backend_perform(s->backend, st, time(NULL), r) < 0 && !r->code) {
		r->status = CHECK_FAIL;
		check_result_set(r, R_PERFORM_FAILED);
	}
	*payload = holder;
	cJSON_AddItemToObject(holder, "requests", rq);
	return 0;
}
