/* backend_rest_open.c: the REST backend as a seam: opening it, signing each
 * side in and out, and the ops table that hands out the checks
 * (backend_rest.c) and the writes (backend_perform.c). The table names both,
 * so it sits above them: the writes check what they did, and a table beside
 * the checks made a circle. */
#include "ck.h"
#include "azure/backend_rest.h"
#include "azure/backend_rest_int.h"
#include "azure/perform_hsm.h"
#include "azure/results.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void rest_sign_out(struct backend *b, int side)
{
	struct rest_state *st = b->state;
	if (side < 0 || side >= CK_SIDES)
		return;
	az_cred_free(&st->cred[side]);
	st->signed_in[side] = false;
	free(st->refused[side]);
	st->refused[side] = NULL;
	free(st->identity[side]);
	free(st->oid[side]);
	st->identity[side] = st->oid[side] = NULL;
}

static int rest_sign_in(struct backend *b, int side, const struct backend_ui *ui, time_t now,
			char **identity, char **err)
{
	struct rest_state *st = b->state;
	if (side < 0 || side >= CK_SIDES) {
		*err = xstrdup("no such side");
		return -1;
	}
	rest_sign_out(b, side);
	const struct plan *p = st->plan;
	struct az_cred *c = &st->cred[side];
	az_cred_init(c, st->cfg.method, side, &st->http, p->org.tenant_id);
	const struct plan_operator *op = &p->op[p->sub[side].operator_side];
	free(st->who[side]);
	st->who[side] = xasprintf(_("operator %c (%s, %s), subscription %c"),
				  ck_side_letter(p->sub[side].operator_side), op->name, op->upn,
				  ck_side_letter(side));
	c->who = st->who[side];
	if (ui) {
		c->show_code = ui->show_code;
		c->show_cookie = ui->cookie;
	}
	const char *expect_upn = NULL, *expect_oid = NULL, *expect_app = NULL;
	if (st->cfg.method == AZ_SIGNIN_CERT) {
		c->client_id = st->cfg.sp_client[side] ? xstrdup(st->cfg.sp_client[side]) : NULL;
		c->cert_path = st->cfg.cert[side] ? xstrdup(st->cfg.cert[side]) : NULL;
		expect_app = st->cfg.sp_client[side];
	} else {
		c->client_id = st->cfg.client_id ? xstrdup(st->cfg.client_id) : NULL;
		c->az_config = st->cfg.az_config[side] ? xstrdup(st->cfg.az_config[side]) : NULL;
		expect_upn = op->upn;
		expect_oid = op->object_id;
	}
	const struct az_token *t[AZ_RES_COUNT];
	int n_res = plan_uses_hsm(p) && st->ep->hsm_suffix ? AZ_RES_COUNT : AZ_RES_BASIC;
	for (int r = 0; r < n_res; r++) {
		t[r] = az_cred_token(c, (enum az_resource)r, now, err);
		if (!t[r])
			goto fail;
		if (r == 0 && az_identity_check(t[0], p->org.tenant_id, expect_upn, expect_oid,
						expect_app, err) != 0)
			goto fail;
		if (r > 0 && !util_strcaseeq(t[r]->oid, t[0]->oid)) {
			*err = xasprintf(_("side %c: the %s token is of another identity: sign in again"),
					 ck_side_letter(side), endpoints_resource_name((enum az_resource)r));
			goto fail;
		}
	}
	int other = ck_other_side(side);
	if (st->signed_in[other] && util_strcaseeq(st->oid[other], t[0]->oid)) {
		*err = xasprintf(_("side %c: signed in as the identity already signed in for side %c: "
				   "each subscription has its own operator"), ck_side_letter(side),
				 ck_side_letter(other));
		goto fail;
	}
	st->identity[side] = az_token_identity(t[0]);
	st->oid[side] = xstrdup(t[0]->oid);
	st->signed_in[side] = true;
	*identity = xstrdup(st->identity[side]);
	return 0;
fail:
	az_cred_free(c);
	return -1;
}

static void rest_free(struct backend *b)
{
	struct rest_state *st = b->state;
	for (int s = 0; s < CK_SIDES; s++) {
		rest_sign_out(b, s);
		free(st->who[s]);
	}
	http_client_cleanup(&st->http);
	rest_backup_free(st);
	free(st);
	free(b);
}

/* A Managed HSM plan's HSM, keys and roles are written by perform_hsm.c; of its
 * other steps only the subscription's (registrations, resource groups) reach
 * the vault writers: a key or access step must never go to a vault named
 * like the HSM. The officers' own steps stay guided. */
static bool rest_writes(const struct rest_state *st, const struct step *s)
{
	static const char *const hsm_written[] = { "retention.register", "provider.register",
						   "rg.create" };
	if (!plan_uses_hsm(st->plan))
		return true;
	for (size_t i = 0; i < CK_ARRAY_LEN(hsm_written); i++)
		if (util_streq(s->template_id, hsm_written[i]))
			return true;
	return false;
}

/* Whether side's sign-in was refused (by an audit, or a token of another
 * identity): *why says so. */
static bool rest_side_refused(const struct rest_state *st, int side, char **why)
{
	if (side < 0 || side >= CK_SIDES || !st->signed_in[side])
		return false;
	if (st->refused[side])
		*why = xstrdup(st->refused[side]);
	else if (st->cred[side].refused)
		*why = xasprintf(_("side %c: this sign-in gave a token of another identity and is "
				   "refused: sign in again"), ck_side_letter(side));
	else
		return false;
	return true;
}

static int rest_describe_step(struct backend *b, const struct step *s, char **requests,
			      char **err)
{
	struct rest_state *st = b->state;
	/* describing may look principals up in Graph: not with a refused
	 * sign-in's tokens */
	if (rest_side_refused(st, s->check.side, err))
		return -1;
	if (plan_uses_hsm(st->plan) && rest_hsm_writes(s))
		return rest_hsm_describe(st, s, requests, err);
	if (!rest_writes(st, s)) {
		*err = xstrdup(_("ckwizard does not write a Managed HSM plan's officers' steps"));
		return 1;
	}
	return rest_describe(b, s, requests, err);
}

static int rest_perform_step(struct backend *b, const struct step *s, time_t now,
			     struct check_result *r)
{
	struct rest_state *st = b->state;
	int side = s->check.side;
	/* Tokens first, whichever writer the step has (a Managed HSM plan's
	 * too): a refresh that fails, or that Entra refuses for good, leaves
	 * nothing sent, and says so as a check does (rest-side-problem), not
	 * as a write Azure refused, which would use up the authorization. A
	 * sign-in an audit refused sends nothing either, even where no look
	 * comes first (a backup). */
	char *err = NULL;
	int rc = 0;
	if (rest_side_refused(st, side, &err)) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_SIDE_REFUSED, err);
	} else if (side >= 0 && side < CK_SIDES && st->signed_in[side] &&
		   !az_cred_token(&st->cred[side], AZ_RES_ARM, now, &err)) {
		rest_no_token(r, err);
	} else if (plan_uses_hsm(st->plan) && rest_hsm_writes(s)) {
		rc = rest_hsm_perform(b, s, now, r);
	} else if (!rest_writes(st, s)) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NO_LIVE_CHECK);
	} else {
		rc = rest_perform(b, s, now, r);
	}
	free(err);
	/* a token of another identity, whichever service the writer asked
	 * for, refused the sign-in with nothing sent with it (az_cred_token):
	 * said as a refusal, not as a token that could not be renewed */
	if (side >= 0 && side < CK_SIDES && st->cred[side].refused &&
	    util_streq(r->code, result_table[R_REST_SIDE_PROBLEM].code)) {
		char *why = xstrdup(r->summary ? r->summary : "?");
		check_result_set(r, R_REST_SIDE_REFUSED, why);
		free(why);
	}
	return rc;
}

static void rest_set_evidence(struct backend *b, evidence_get_fn get, void *ctx)
{
	struct rest_state *st = b->state;
	st->ev_get = get;
	st->ev_ctx = ctx;
}

static void rest_set_evidence_time(struct backend *b, evidence_time_fn when)
{
	struct rest_state *st = b->state;
	st->ev_time = when;
}

static bool rest_signed_in(struct backend *b, int side)
{
	const struct rest_state *st = b->state;
	return side >= 0 && side < CK_SIDES && st->signed_in[side] && !st->cred[side].lost &&
	       !st->cred[side].refused && !st->refused[side];
}

static char *rest_signed_out_why(struct backend *b, int side)
{
	const struct rest_state *st = b->state;
	char *why = NULL;
	if (rest_side_refused(st, side, &why))
		return why;
	if (side >= 0 && side < CK_SIDES && st->signed_in[side] && st->cred[side].lost)
		return xasprintf(_("side %c: Entra ID no longer accepts this sign-in: sign in "
				   "again"), ck_side_letter(side));
	return NULL;
}

static const struct backend_ops rest_ops = {
	.name = "rest",
	.check = rest_check,
	.perform = rest_perform_step,
	.save = NULL,
	.free = rest_free,
	.sign_in = rest_sign_in,
	.sign_out = rest_sign_out,
	.signed_in = rest_signed_in,
	.signed_out_why = rest_signed_out_why,
	.check_batch = rest_check_batch,
	.describe = rest_describe_step,
	.set_evidence = rest_set_evidence,
	.set_evidence_time = rest_set_evidence_time,
};

struct backend *backend_rest_open(const struct plan *p, const struct inventory *inv,
				  const struct backend_rest_config *cfg, char **err)
{
	if (!p || !inv || !cfg || !cfg->ep) {
		*err = xstrdup(_("the REST backend needs a plan, its inventory and endpoints"));
		return NULL;
	}
	struct rest_state *st = xcalloc(1, sizeof(*st));
	st->plan = p;
	st->inv = inv;
	st->ep = cfg->ep;
	st->cfg = *cfg;
	http_client_init(&st->http, cfg->ep);
	st->http.ca_bundle = cfg->ca_bundle;
	if (cfg->timeout > 0) {
		st->http.timeout = cfg->timeout;
		if (cfg->timeout < st->http.connect_timeout)
			st->http.connect_timeout = cfg->timeout;
	}
	struct backend *b = xcalloc(1, sizeof(*b));
	b->ops = &rest_ops;
	b->state = st;
	return b;
}
