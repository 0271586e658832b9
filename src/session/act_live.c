/* act_live.c: live mode (run --live): each operator signs in to Azure for
 * the subscriptions they own, through the screens' callbacks (the UI never
 * reaches the network); the identity Azure vouched for is recorded
 * (azure.signin) and named by every check it observes. Tokens live in the
 * backend, in memory, only while their operator's key is unlocked. */
#include "azure/results.h"
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

bool session_is_live(const struct session *s)
{
	return s->backend && s->backend->ops->sign_in;
}

void session_set_live_ui(struct session *s, const struct session_live_ui *ui)
{
	if (ui)
		s->live_ui = *ui;
	else
		memset(&s->live_ui, 0, sizeof(s->live_ui));
}

bool session_signed_in(const struct session *s, int sub)
{
	return (sub == CK_SIDE_A || sub == CK_SIDE_B) && s->live_signed[sub];
}

char *session_signed_in_as(const struct session *s, int sub)
{
	const struct sess_signin *si = sess_live_signin(s, sub);
	return si ? xasprintf("%s (object %s, tenant %s)", si->upn, si->oid, si->tenant) : NULL;
}

void sess_live_sign_out(struct session *s, int side)
{
	if (!session_is_live(s) || !s->plan)
		return;
	for (int sub = 0; sub < CK_SIDES; sub++) {
		if (s->plan->sub[sub].operator_side != side)
			continue;
		if (s->backend->ops->sign_out)
			s->backend->ops->sign_out(s->backend, sub);
		s->live_signed[sub] = false;
	}
}

/* The backend's identity reads "UPN (object OID, tenant TID)" (azure/token.c,
 * az_token_identity); the journal records its three parts. */
static int live_identity_split(const char *id, char **upn, char **oid, char **tenant)
{
	const char *a = id ? strstr(id, " (object ") : NULL;
	const char *b = a ? strstr(a, ", tenant ") : NULL;
	size_t n = id ? strlen(id) : 0;
	if (!a || !b || n < 2 || id[n - 1] != ')' || a == id)
		return -1;
	*upn = xstrndup(id, (size_t)(a - id));
	*oid = xstrndup(a + 9, (size_t)(b - (a + 9)));
	*tenant = xstrndup(b + 9, (size_t)(id + n - 1 - (b + 9)));
	return 0;
}

/* struct backend_ui's callbacks take the subscription's side; the session's
 * the same: forwarded as they are. */
static void live_show_code(void *cookie, int sub, const char *who, const char *url,
			   const char *code)
{
	const struct session *s = cookie;
	if (s->live_ui.show_code)
		s->live_ui.show_code(s->live_ui.cookie, sub, who, url, code);
}

static void live_progress(void *cookie, size_t done, size_t total)
{
	const struct session *s = cookie;
	if (s->live_ui.progress)
		s->live_ui.progress(s->live_ui.cookie, done, total);
}

void sess_live_backend_ui(struct session *s, struct backend_ui *bui)
{
	bui->show_code = live_show_code;
	bui->progress = live_progress;
	bui->cookie = s;
}

static int live_sign_in_sub(struct session *s, int side, int sub, char **err)
{
	struct backend_ui bui;
	char *identity = NULL, *why = NULL, *upn = NULL, *oid = NULL, *tenant = NULL;
	sess_live_backend_ui(s, &bui);
	s->live_signed[sub] = false;
	if (backend_sign_in(s->backend, sub, &bui, time(NULL), &identity, &why) != 0) {
		*err = xasprintf(_("Sign-in refused for subscription %s: %s"), sess_side_name(sub),
				 why ? why : _("the backend gave no reason"));
		free(why);
		return -1;
	}
	if (live_identity_split(identity, &upn, &oid, &tenant) < 0) {
		s->backend->ops->sign_out(s->backend, sub);
		*err = xasprintf(_("Sign-in for subscription %s: the identity could not be read"),
				 sess_side_name(sub));
		free(identity);
		return -1;
	}
	free(identity);
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "subscription", sess_side_name(sub));
	cJSON_AddStringToObject(p, "upn", upn);
	cJSON_AddStringToObject(p, "oid", oid);
	cJSON_AddStringToObject(p, "tenant", tenant);
	free(upn);
	free(oid);
	free(tenant);
	if (sess_record1(s, SEV_AZURE_SIGN_IN, side, p, err) < 0) {
		s->backend->ops->sign_out(s->backend, sub);
		return -1;
	}
	s->live_signed[sub] = true;
	free(s->live_out_why[sub]);
	s->live_out_why[sub] = NULL;
	return 0;
}

int session_sign_in(struct session *s, int side, char **err)
{
	int n = 0;
	if (!session_is_live(s))
		return sess_fail(err, xstrdup(_("signing in to Azure is for run --live")));
	if ((side != CK_SIDE_A && side != CK_SIDE_B) || !s->key[side] || !s->sitting_open ||
	    !s->present[side])
		return sess_fail(err, xasprintf(_("Refused: operator %s signs in to Azure present in the "
					     "sitting, key unlocked."), sess_side_name(side)));
	for (int sub = 0; sub < CK_SIDES; sub++) {
		if (s->plan->sub[sub].operator_side != side)
			continue;
		if (live_sign_in_sub(s, side, sub, err) < 0) {
			sess_live_sign_out(s, side);
			return -1;
		}
		n++;
	}
	if (!n)
		return sess_fail(err, xasprintf(_("operator %s owns no subscription in the plan"),
					   sess_side_name(side)));
	return 0;
}

/* Entra may have refused a sign-in's refresh token for good while a check
 * or perform asked for tokens (a check refreshes every signed-in side's,
 * not only its own): that subscription's operator then signs in again
 * before its next check (the screens see it not signed in). The backend
 * signs it out as well: its tokens for the other services may still be
 * valid for an hour, and a sign-in the session no longer counts keeps no
 * token in memory, nor serves another side's check with it. */
void sess_live_still_signed(struct session *s)
{
	if (!session_is_live(s) || !s->backend->ops->signed_in)
		return;
	for (int sub = 0; sub < CK_SIDES; sub++) {
		if (!s->live_signed[sub] || s->backend->ops->signed_in(s->backend, sub))
			continue;
		free(s->live_out_why[sub]);
		s->live_out_why[sub] = s->backend->ops->signed_out_why
					       ? s->backend->ops->signed_out_why(s->backend, sub)
					       : NULL;
		if (s->backend->ops->sign_out)
			s->backend->ops->sign_out(s->backend, sub);
		s->live_signed[sub] = false;
	}
}

const char *session_signed_out_why(const struct session *s, int sub)
{
	return sub == CK_SIDE_A || sub == CK_SIDE_B ? s->live_out_why[sub] : NULL;
}

/* The observer of a live check of step st: the identity signed in for its
 * subscription, or -1 with *err (not signed in now). */
int sess_live_observer(struct session *s, const struct step *st, cJSON *payload, char **err)
{
	if (!session_is_live(s))
		return 0;
	int sub = st->side;
	if (sub == CK_SIDE_NONE)
		return 0;
	const struct sess_signin *si = sess_live_signin(s, sub);
	if (!s->live_signed[sub] || !si)
		return sess_fail(err, xasprintf(_("Subscription %s is not signed in to Azure: operator %s "
					     "signs in first (unlocking their key signs them in)."), sess_side_name(sub),
					   sess_side_name(s->plan->sub[sub].operator_side)));
	cJSON *o = cJSON_AddObjectToObject(payload, "observer");
	cJSON_AddStringToObject(o, "upn", si->upn);
	cJSON_AddStringToObject(o, "oid", si->oid);
	cJSON_AddStringToObject(o, "tenant", si->tenant);
	return 0;
}
