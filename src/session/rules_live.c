/* rules_live.c: the rules of live mode (run --live). A sign-in names the
 * identity Azure vouched for; the rules accept it only for the operator who
 * owns that subscription in the plan, in the plan's tenant, and never the
 * identity of the other subscription. A live check names who observed it,
 * and that must be the identity signed in for the step's subscription. */
#include "ck.h"
#include "session/rule_ctx.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const struct sess_signin *sess_live_signin(const struct session *s, int sub)
{
	for (size_t i = s->h.n_signins; i-- > 0;)
		if (s->h.signins[i].sub == sub)
			return &s->h.signins[i];
	return NULL;
}

int sr_azure_sign_in(struct rule_ctx *c)
{
	struct session *s = c->s;
	int sub = sess_side_parse(sr_str(c->p, "subscription"));
	const char *upn = sr_str(c->p, "upn"), *oid = sr_str(c->p, "oid"),
		   *tenant = sr_str(c->p, "tenant");
	if (s->mode != SESSION_RUN)
		return sr_refuse(c->why, _("a rehearsal signs in to nothing: azure.signin is for "
					"run --live"));
	if (s->live == SESS_LIVE_GUIDE)
		return sr_refuse(c->why, _("this session was opened in guide mode: it signs in to "
					"nothing (azure.signin is for a session opened with run --live)"));
	if (sub == CK_SIDE_NONE || !upn || !*upn || !oid || !*oid || !tenant || !*tenant)
		return sr_refuse(c->why, _("a sign-in names its subscription (A or B), upn, oid and "
					"tenant"));
	const struct plan_operator *op = &s->plan->op[s->plan->sub[sub].operator_side];
	if (c->ev->actor != s->plan->sub[sub].operator_side)
		return sr_refuse(c->why, _("subscription %s is signed in to by its own operator, %s"),
				 sess_side_name(sub),
				 sess_side_name(s->plan->sub[sub].operator_side));
	if (!util_strcaseeq(tenant, s->plan->org.tenant_id))
		return sr_refuse(c->why, _("the sign-in is in tenant %s, not the plan's (%s)"), tenant,
				 s->plan->org.tenant_id);
	if (op->object_id ? !util_strcaseeq(oid, op->object_id) : !util_strcaseeq(upn, op->upn))
		return sr_refuse(c->why, _("subscription %s's sign-in is %s, not its operator %s"),
				 sess_side_name(sub), upn, op->upn);
	const struct sess_signin *other = sess_live_signin(s, ck_other_side(sub));
	if (other && util_strcaseeq(other->oid, oid))
		return sr_refuse(c->why, _("one identity cannot sign in for both subscriptions"));
	struct sess_signin *si = SR_PUSH(s->h.signins, s->h.n_signins);
	si->when = c->at;
	si->by = c->ev->actor;
	si->sub = sub;
	si->upn = xstrdup(upn);
	si->oid = xstrdup(oid);
	si->tenant = xstrdup(tenant);
	return 0;
}

int sr_live_observer(struct rule_ctx *c, const struct step *st)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(c->p, "observer");
	if (!o)
		return 0;
	if (c->s->live == SESS_LIVE_GUIDE)
		return sr_refuse(c->why, _("step %s names an observer in Azure, but this session was "
					"opened in guide mode"), st->id);
	const struct sess_signin *si = st->side == CK_SIDE_NONE ? NULL
								  : sess_live_signin(c->s, st->side);
	if (!cJSON_IsObject(o) || !si || !util_streq(sr_str(o, "upn"), si->upn) ||
	    !util_streq(sr_str(o, "oid"), si->oid) || !util_streq(sr_str(o, "tenant"), si->tenant))
		return sr_refuse(c->why, _("step %s was observed by an identity that is not the one "
					"signed in for its subscription"), st->id);
	return 0;
}
