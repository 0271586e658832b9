/* act_plan.c: what the operators do to the plan: approve it (its author),
 * verify it (the other operator, with the checklist), amend it (both). */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

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

cJSON *sess_plan_payload(const struct session *s, bool verify, const bool *answers,
			 const char *const *ack_ids, size_t n_ack)
{
	cJSON *p = plan_payload(s);
	if (!verify)
		return p;
	cJSON *cl = cJSON_AddObjectToObject(p, "checklist");
	cJSON *ack = cJSON_AddArrayToObject(p, "acknowledged");
	for (size_t i = 0; i < session_n_checklist; i++)
		cJSON_AddBoolToObject(cl, session_checklist[i].id, answers && answers[i]);
	for (size_t i = 0; i < n_ack; i++)
		cJSON_AddItemToArray(ack, cJSON_CreateString(ack_ids[i]));
	return p;
}

int session_plan_verify(struct session *s, int side, const bool *answers,
			const char *const *ack_ids, size_t n_ack, char **err)
{
	cJSON *p = sess_plan_payload(s, true, answers, ack_ids, n_ack);
	return sess_record1(s, SEV_PLAN_VERIFY, side, p, err);
}

int session_amend(struct session *s, char **err)
{
	char hex[HASH_SHA256_HEX_LEN + 1];
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
	/* Recorded: the session goes on with the new version whatever becomes
	 * of its copy (plan-v2.yaml, ... beside the first), which the next
	 * open writes if it cannot be written now. */
	free(s->pending_bytes);
	free(s->pending_diff);
	s->pending_bytes = s->pending_diff = NULL;
	sess_refresh_blocker(s);
	if (sess_reopen_backend(s, err) < 0)
		return -1;
	return sess_keep_plan_versions(s, err);
}
