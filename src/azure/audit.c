/* audit.c: sign in, build every request of the audit, run them in one
 * parallel batch, follow key-list pages, then have them judged (audit_eval.c)
 * (see audit.h). */
#include "ck.h"
#include "azure/audit_int.h"
#include "azure/azjson.h"
#include "azure/rest.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define AUDIT_MAX_PAGES 50

/* Sign in one side: three tokens (ARM, Key Vault, Graph), and a Managed HSM
 * token for a plan whose keys are in HSMs, all of the same identity, and
 * that identity the plan's for this side. */
static int audit_signin(struct audit *a, int side, time_t now, const struct az_token *tok[AZ_RES_COUNT])
{
	struct audit_side *s = &a->side[side];
	char *err = NULL;
	int n = plan_uses_hsm(a->plan) && a->ep->hsm_suffix ? AZ_RES_COUNT : AZ_RES_BASIC;
	for (int r = 0; r < AZ_RES_COUNT; r++)
		tok[r] = NULL;
	for (int r = 0; r < n; r++) {
		tok[r] = az_cred_token(s->cred, (enum az_resource)r, now, &err);
		if (!tok[r]) {
			s->problem = err;
			s->refused = s->cred->refused; /* another identity's token came */
			return -1;
		}
		if (r == 0) {
			s->identity = az_token_identity(tok[0]);
			s->oid = xstrdup(tok[0]->oid);
			if (az_identity_check(tok[0], a->plan->org.tenant_id, s->expect_upn,
					      s->expect_oid, s->expect_app, &err) != 0) {
				s->problem = err;
				s->refused = true;
				return -1;
			}
		} else if (!util_strcaseeq(tok[r]->oid, tok[0]->oid)) {
			s->problem = xasprintf(_("side %c: the %s token is of another identity than "
						 "the ARM token: sign in again"), ck_side_letter(side),
					       endpoints_resource_name((enum az_resource)r));
			s->refused = true;
			return -1;
		}
	}
	return 0;
}

static void audit_build_side(struct audit *a, struct audit_jobs *jobs, int side,
			     const struct az_token *tok[AZ_RES_COUNT])
{
	const struct plan *p = a->plan;
	const struct inventory *inv = a->inv;
	const struct endpoints *ep = a->ep;
	const char *sub = p->sub[side].id;
	char *u;
	struct audit_job *j;

	j = audit_job_add(jobs, AJ_SUB, side, 0, NULL, sub);
	audit_req(j, u = arm_url_subscription(ep, sub), tok[AZ_RES_ARM]);
	free(u);
	j = audit_job_add(jobs, AJ_FEATURE, side, 0, NULL,
			  ARM_FEATURE_NAMESPACE "/" ARM_FEATURE_RETENTION);
	audit_req(j, u = arm_url_feature(ep, sub, ARM_FEATURE_NAMESPACE, ARM_FEATURE_RETENTION),
		  tok[AZ_RES_ARM]);
	free(u);
	j = audit_job_add(jobs, AJ_PROVIDER, side, 0, NULL, ARM_PROVIDER_KEYVAULT);
	audit_req(j, u = arm_url_provider(ep, sub, ARM_PROVIDER_KEYVAULT), tok[AZ_RES_ARM]);
	free(u);
	for (size_t i = 0; i < inv->n_rgs; i++) {
		if (inv->rgs[i].side != side)
			continue;
		j = audit_job_add(jobs, AJ_RG, side, i, NULL, inv->rgs[i].name);
		audit_req(j, u = arm_url_resource_group(ep, sub, inv->rgs[i].name), tok[AZ_RES_ARM]);
		free(u);
	}
	for (size_t d = 0; d < inv->n_deps; d++) {
		const struct inv_side *s = &inv->deps[d].side[side];
		if (plan_uses_hsm(p))
			goto graph; /* the HSM and its keys: audit_hsm_build */
		j = audit_job_add(jobs, AJ_VAULT, side, d, NULL, s->vault);
		audit_req(j, u = arm_url_vault(ep, sub, s->resource_group, s->vault), tok[AZ_RES_ARM]);
		free(u);
		j = audit_job_add(jobs, AJ_KEY, side, d, NULL, s->key);
		audit_req(j, u = kv_url_key(ep, s->vault, s->key), tok[AZ_RES_VAULT]);
		free(u);
		j = audit_job_add(jobs, AJ_KEYS, side, d, NULL, s->vault);
		audit_req(j, u = kv_url_keys(ep, s->vault), tok[AZ_RES_VAULT]);
		free(u);
	graph:;
		const char *app = plan_workload_app_id(inv->deps[d].workload);
		if (!audit_graph(jobs, side, AJ_GRAPH_SP, app)) {
			j = audit_job_add(jobs, AJ_GRAPH_SP, side, d, app, app);
			audit_req(j, u = graph_url_service_principal(ep, app), tok[AZ_RES_GRAPH]);
			free(u);
		}
	}
	for (size_t i = 0; i < p->sub[side].n_administrators; i++) {
		const char *upn = p->sub[side].administrators[i];
		if (audit_graph(jobs, side, AJ_GRAPH_USER, upn))
			continue;
		j = audit_job_add(jobs, AJ_GRAPH_USER, side, i, upn, upn);
		audit_req(j, u = graph_url_user(ep, upn), tok[AZ_RES_GRAPH]);
		free(u);
	}
	if (plan_uses_hsm(p))
		audit_hsm_build(a, jobs, side, tok);
}

/* Read one page of a key list into the job; returns the next page's request
 * or NULL when done (or when the next link points elsewhere). */
struct http_req *audit_keys_page(struct audit *a, struct audit_job *j)
{
	struct http_req *r = j->req;
	if (r->fail != HTTP_OK || r->status != 200)
		return NULL;
	const char *err = NULL;
	cJSON *o = azjson_parse(r->resp.p, r->resp.len, &err);
	const char *next = NULL;
	const cJSON *v = o ? azjson_page(o, &next) : NULL;
	if (!v) {
		j->page_problem = xasprintf(j->kind == AJ_HSM_ROLES || j->kind == AJ_HSM_DEFS
						    ? _("a page of the role list is unusable (%s)")
						    : _("a page of the key list is unusable (%s)"),
					    err ? err : _("no value array"));
		cJSON_Delete(o);
		return NULL;
	}
	const cJSON *it;
	if (j->kind == AJ_HSM_ROLES || j->kind == AJ_HSM_DEFS) {
		if (!j->items)
			j->items = cJSON_CreateArray();
		cJSON_ArrayForEach(it, v)
			cJSON_AddItemToArray(j->items, cJSON_Duplicate(it, true));
	}
	cJSON_ArrayForEach(it, v) {
		if (j->kind == AJ_HSM_ROLES || j->kind == AJ_HSM_DEFS)
			break;
		struct az_kid kid;
		if (azjson_kid_parse(azjson_str(it, "kid"), &kid) != 0)
			continue;
		j->keys = xrealloc(j->keys, (j->n_keys + 1) * sizeof(char *));
		j->keys[j->n_keys++] = xstrdup(kid.name);
		az_kid_clear(&kid);
	}
	struct http_req *nr = NULL;
	if (next) {
		if (!kv_same_vault(r->url, next)) {
			char *vn = text_visible_line(next);
			j->page_problem = xasprintf(_("the key list's nextLink points to another "
						      "host (%s): not followed"), vn);
			free(vn);
		} else {
			nr = http_req_new("GET", next, j->side, r->what);
			nr->token = r->token;
		}
	}
	cJSON_Delete(o);
	(void)a;
	return nr;
}

static void audit_follow_pages(struct audit *a, struct audit_jobs *jobs)
{
	for (int round = 0; round < AUDIT_MAX_PAGES; round++) {
		struct http_req **more = xcalloc(jobs->n + 1, sizeof(*more));
		struct audit_job **owner = xcalloc(jobs->n + 1, sizeof(*owner));
		size_t n = 0;
		for (size_t i = 0; i < jobs->n; i++) {
			struct audit_job *j = &jobs->v[i];
			bool paged = j->kind == AJ_KEYS || j->kind == AJ_HSM_KEYS ||
				     j->kind == AJ_HSM_ROLES || j->kind == AJ_HSM_DEFS;
			if (!paged || !j->req || j->page_problem)
				continue;
			struct http_req *nr = audit_keys_page(a, j);
			if (nr) {
				more[n] = nr;
				owner[n++] = j;
			} else if (j->req->fail == HTTP_OK && j->req->status == 200) {
				/* the last page: nothing more to follow for this job */
				http_req_free(j->req);
				j->req = NULL;
			}
		}
		if (n) {
			http_run(a->http, more, n);
			a->requests += n;
			for (size_t i = 0; i < n; i++) {
				http_req_free(owner[i]->req);
				owner[i]->req = more[i];
			}
		}
		free(more);
		free(owner);
		if (!n)
			return;
	}
}

int audit_run(struct audit *a, time_t now)
{
	const struct az_token *tok[CK_SIDES][AZ_RES_COUNT];
	bool ok[CK_SIDES] = { false, false };
	for (int s = 0; s < CK_SIDES; s++)
		if (a->side[s].cred)
			ok[s] = audit_signin(a, s, now, tok[s]) == 0;
	if (ok[0] && ok[1] && util_strcaseeq(a->side[0].oid, a->side[1].oid)) {
		for (int s = 0; s < CK_SIDES; s++) {
			a->side[s].problem = xstrdup(_("both sides signed in as the same identity: "
						       "each subscription is checked by its own "
						       "operator"));
			a->side[s].refused = true;
			ok[s] = false;
		}
	}
	struct audit_jobs jobs = { NULL, 0, 0 };
	for (int s = 0; s < CK_SIDES; s++)
		if (ok[s])
			audit_build_side(a, &jobs, s, tok[s]);
	struct http_req **reqs = xcalloc(jobs.n + 1, sizeof(*reqs));
	for (size_t i = 0; i < jobs.n; i++)
		reqs[i] = jobs.v[i].req;
	http_run(a->http, reqs, jobs.n);
	a->requests += jobs.n;
	free(reqs);
	audit_follow_pages(a, &jobs);
	audit_eval(a, &jobs);
	audit_hsm_eval(a, &jobs);
	audit_jobs_free(&jobs);
	return 0;
}

int audit_exit_code(const struct audit *a)
{
	for (int s = 0; s < CK_SIDES; s++)
		if (a->side[s].refused)
			return CK_EXIT_REFUSED;
	if (a->count[AUDIT_DRIFT])
		return CK_EXIT_FAIL;
	for (int s = 0; s < CK_SIDES; s++)
		if (a->side[s].problem)
			return CK_EXIT_OPEN;
	return a->count[AUDIT_UNCHECKED] ? CK_EXIT_OPEN : CK_EXIT_OK;
}

void audit_free(struct audit *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->f[i].name);
		free(a->f[i].detail);
		free(a->f[i].observed);
	}
	free(a->f);
	for (int s = 0; s < CK_SIDES; s++) {
		free(a->side[s].identity);
		free(a->side[s].oid);
		free(a->side[s].problem);
	}
	a->f = NULL;
	a->n = a->cap = 0;
}
