/* rules_authorize.c: nothing is written to Azure unless its operator signed
 * exactly what will be written. An authorization names each request (method,
 * path, the body's meaningful fields); the perform that follows must carry
 * the same requests, and consumes it. For a write that cannot be undone (a
 * vault with purge protection, a key) the witness co-signs the authorization
 * before the perform. In a rehearsal the simulator is written freely. */
#include "ck.h"
#include "session/rule_ctx.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define AUTH_MAX_REQUESTS 16
#define AUTH_MAX_PATH 2048

bool sess_irreversible(const struct step *st)
{
	return st->critical || st->check.kind == CHECK_KEY;
}

/* Writes to Azure belong to a session opened to write (session.open "live":
 * "execute"), never to a guide session or one opened only to check: a
 * journal cannot later claim what its session was not started to do. */
static int sr_need_executing(struct rule_ctx *c)
{
	if (c->s->live != SESS_LIVE_EXECUTE)
		return sr_refuse(c->why, _("this session was not opened with run --live --execute: it "
					"authorizes no write to Azure"));
	return 0;
}

static bool auth_text_ok(const char *v, size_t max)
{
	size_t n = v ? strlen(v) : 0;
	if (!n || n > max)
		return false;
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)v[k] < 0x20 || v[k] == 0x7f)
			return false;
	return true;
}

/* The payload's "requests", checked for shape, as compact JSON (the form the
 * authorization and its perform are compared in); NULL with *c->why. */
static char *auth_requests(struct rule_ctx *c)
{
	const cJSON *rq = cJSON_GetObjectItemCaseSensitive(c->p, "requests"), *r;
	int n = cJSON_IsArray(rq) ? cJSON_GetArraySize(rq) : 0;
	if (n < 1 || n > AUTH_MAX_REQUESTS) {
		sr_refuse(c->why, _("an authorization names 1 to %d requests"), AUTH_MAX_REQUESTS);
		return NULL;
	}
	cJSON_ArrayForEach(r, rq) {
		const char *m = sr_str(r, "method"), *path = sr_str(r, "path");
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(r, "fields");
		if (!util_streq(m, "PUT") && !util_streq(m, "POST") && !util_streq(m, "PATCH")) {
			sr_refuse(c->why, _("an authorized request is a PUT, POST or PATCH"));
			return NULL;
		}
		if (!auth_text_ok(path, AUTH_MAX_PATH) || path[0] != '/' || !cJSON_IsObject(f)) {
			sr_refuse(c->why, _("an authorized request names its path (/subscriptions/...) "
					 "and the fields of its body"));
			return NULL;
		}
	}
	return cJSON_PrintUnformatted(rq);
}

int sr_step_authorize(struct rule_ctx *c)
{
	long i = sr_step(c);
	if (i < 0)
		return -1;
	if (c->s->mode != SESSION_RUN)
		return sr_refuse(c->why, _("a rehearsal authorizes nothing: the simulator is not Azure"));
	if (sr_need_executing(c) < 0)
		return -1;
	if (sr_need_owner(c, sr_cstep(c, i)) || sr_need_open_step(c, i) || sr_need_prereqs(c, i))
		return -1;
	char *rq = auth_requests(c);
	if (!rq)
		return -1;
	struct sess_step *ss = sess_step_mut(c->s, (size_t)i);
	free(ss->auth); /* a new authorization replaces one not performed */
	ss->auth = rq;
	ss->auth_line = c->at.line;
	ss->auth_cosigned = false;
	ss->auth_at = c->at;
	ss->auth_by = c->ev->actor;
	ss->cosign_at = (struct sess_stamp){ 0 };
	return 0;
}

int sr_step_cosign(struct rule_ctx *c)
{
	long i = sr_step(c);
	if (i < 0)
		return -1;
	if (sr_need_executing(c) < 0)
		return -1;
	const struct step *st = sr_cstep(c, i);
	struct sess_step *ss = sess_step_mut(c->s, (size_t)i);
	if (c->ev->actor != ck_other_side(st->owner))
		return sr_refuse(c->why, _("the authorization of step %s is co-signed by its witness, "
					"operator %s"), st->id,
				 sess_side_name(ck_other_side(st->owner)));
	if (!ss->auth)
		return sr_refuse(c->why, _("step %s has no authorization to co-sign"), st->id);
	char *rq = auth_requests(c);
	if (!rq)
		return -1;
	bool same = strcmp(rq, ss->auth) == 0;
	free(rq);
	if (!same)
		return sr_refuse(c->why, _("the co-signature of step %s names other requests than its "
					"authorization"), st->id);
	ss->auth_cosigned = true;
	ss->cosign_at = c->at;
	ss->cosign_by = c->ev->actor;
	return 0;
}

int sr_live_perform(struct rule_ctx *c, long i)
{
	const struct step *st = sr_cstep(c, i);
	const struct sess_step *ss = sess_step_get(c->s, (size_t)i);
	if (!ss->auth)
		return sr_refuse(c->why, _("step %s is performed in Azure only once its owner authorized "
					"it (step.authorize)"), st->id);
	char *rq = auth_requests(c);
	if (!rq)
		return -1;
	bool same = strcmp(rq, ss->auth) == 0;
	free(rq);
	if (!same)
		return sr_refuse(c->why, _("the perform of step %s sends other requests than were "
					"authorized"), st->id);
	if (sess_irreversible(st) && !ss->auth_cosigned)
		return sr_refuse(c->why, _("step %s cannot be undone: its witness co-signs the "
					"authorization first"), st->id);
	return 0;
}
