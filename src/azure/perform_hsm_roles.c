/* perform_hsm_roles.c: --execute for a Managed HSM plan's local roles:
 * hsm.role.admins gives each key administrator Managed HSM Crypto User,
 * hsm.role.service each Microsoft 365 app of the plan's DEPs Managed HSM
 * Crypto Service Encryption User, both at the scope /keys. One PUT of
 * .../keys/providers/Microsoft.Authorization/roleAssignments/NAME per
 * principal that lacks its role (data plane 7.5, PutRoleAssignments); the
 * name is derived from the HSM, the role and the principal, so the request
 * the owner authorizes is the one sent, and a repeat writes the same
 * assignment. The roleDefinitionId sent is the `id` the HSM's own list of
 * role definitions (ListRoleDefinitions, paged) gives the role's name: no
 * form of it is assumed. Principals are resolved through Graph; a role already held is
 * left as it is, and nothing is ever removed: a principal holding more than
 * planned is the checks' to report. */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/backend_rest_int.h"
#include "azure/perform_hsm.h"
#include "azure/rest.h"
#include "azure/results.h"
#include "buf.h"
#include "hash.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PR_MAX_PAGES 50
#define PR_ROLE_USER "21dbd100-6940-42c2-9190-5d6cb909625b"
#define PR_ROLE_SERVICE "33413926-3206-4cdd-b39a-83574fe37a17"

struct pr_principal {
	char *who;            /* what the owner reads: a UPN, or "app (appId)" */
	const char *upn;      /* administrators: looked up as users */
	const char *app;      /* apps: looked up as service principals */
};

struct pr_set {
	bool service;         /* hsm.role.service: the apps; else the administrators */
	const char *role_id, *role_name;
	struct pr_principal *v;
	size_t n;
};

int rest_hsm_roles_kind(const struct step *s)
{
	if (util_streq(s->template_id, "hsm.role.admins"))
		return 1;
	if (util_streq(s->template_id, "hsm.role.service"))
		return 2;
	return 0;
}

static void pr_free(struct pr_set *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i].who);
	free(ps->v);
}

static void pr_build(const struct rest_state *st, const struct step *s, struct pr_set *ps)
{
	const struct plan *p = st->plan;
	const struct inventory *inv = st->inv;
	int side = s->check.side;
	memset(ps, 0, sizeof(*ps));
	ps->service = rest_hsm_roles_kind(s) == 2;
	ps->role_id = ps->service ? PR_ROLE_SERVICE : PR_ROLE_USER;
	ps->role_name = ps->service ? "Managed HSM Crypto Service Encryption User"
				    : "Managed HSM Crypto User";
	size_t cap = p->sub[side].n_administrators + inv->n_deps + 1;
	ps->v = xcalloc(cap, sizeof(*ps->v));
	if (!ps->service) {
		for (size_t i = 0; i < p->sub[side].n_administrators; i++) {
			ps->v[ps->n].upn = p->sub[side].administrators[i];
			ps->v[ps->n++].who = xstrdup(p->sub[side].administrators[i]);
		}
		return;
	}
	for (size_t d = 0; d < inv->n_deps; d++) {
		const char *app = plan_workload_app_id(inv->deps[d].workload);
		bool dup = false;
		for (size_t i = 0; i < ps->n; i++)
			dup |= util_streq(ps->v[i].app, app);
		if (dup)
			continue;
		ps->v[ps->n].app = app;
		ps->v[ps->n++].who = xasprintf("%s (%s)", plan_workload_app_name(inv->deps[d].workload),
					      app);
	}
}

/* The assignment's name: a UUID-shaped digest of HSM, role and principal. */
static void pr_name(const char *hsm, const char *role, const char *who, char out[37])
{
	char *in = xasprintf("ckwizard hsm role\n%s\n%s\n%s", hsm, role, who);
	for (char *c = in; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	unsigned char h[HASH_SHA256_LEN];
	hash_sha256(in, strlen(in), h);
	free(in);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x50); /* version 5 layout, SHA-256 bits */
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
	char hex[33];
	hash_hex(h, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static char *pr_url(const struct rest_state *st, const char *hsm, const char *name)
{
	return dp_url(st->ep, DP_HSM, hsm, DP_ROLE_ASSIGNMENT, name);
}

int rest_hsm_roles_describe(struct rest_state *st, const struct step *s, char **requests,
			    char **err)
{
	int side = s->check.side;
	const char *hsm = (side == CK_SIDE_A || side == CK_SIDE_B) ? st->inv->hsm[side] : NULL;
	if (!hsm || !st->ep->hsm_suffix) {
		*err = xstrdup(_("ckwizard does not write this step of a Managed HSM plan"));
		return 1;
	}
	struct pr_set ps;
	pr_build(st, s, &ps);
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < ps.n; i++) {
		char name[37];
		pr_name(hsm, ps.role_id, ps.v[i].who, name);
		char *url = pr_url(st, hsm, name);
		cJSON *r = cJSON_CreateObject(), *f;
		cJSON_AddStringToObject(r, "method", "PUT");
		cJSON_AddStringToObject(r, "path", url + strlen("https:"));
		f = cJSON_AddObjectToObject(r, "fields");
		/* the definition's id is read from the HSM when writing */
		cJSON_AddStringToObject(f, "role", ps.role_name);
		cJSON_AddStringToObject(f, "principal", ps.v[i].who);
		cJSON_AddStringToObject(f, "scope", "/keys");
		cJSON_AddItemToArray(a, r);
		free(url);
	}
	char *txt = cJSON_PrintUnformatted(a);
	*requests = xstrdup(txt);
	cJSON_free(txt);
	cJSON_Delete(a);
	pr_free(&ps);
	return 0;
}

/* One GET; its answer as JSON, or NULL with *why (caller frees). A 404 is
 * *missing instead. */
static cJSON *pr_get(struct rest_state *st, int side, const char *url, const struct az_token *t,
		     const char *what, bool *missing, char **why)
{
	struct http_req *r = http_req_new("GET", url, side, what);
	r->token = t;
	http_run(&st->http, &r, 1);
	cJSON *o = NULL;
	if (missing)
		*missing = r->fail == HTTP_OK && r->status == 404;
	if (r->fail == HTTP_OK && r->status == 200) {
		const char *perr = NULL;
		o = azjson_parse(r->resp.p, r->resp.len, &perr);
		if (!o)
			*why = xasprintf(_("%s: the answer is unusable (%s)"), what, perr);
	} else if (!(missing && *missing)) {
		*why = http_describe(r);
	}
	http_req_free(r);
	return o;
}

/* Every item of one of the HSM's lists (paged, from url: taken), or NULL
 * with *why. */
static cJSON *pr_list(struct rest_state *st, int side, const char *hsm, char *url,
		      const struct az_token *t, char **why)
{
	cJSON *all = cJSON_CreateArray();
	for (int page = 0; url && page < PR_MAX_PAGES; page++) {
		cJSON *o = pr_get(st, side, url, t, hsm, NULL, why);
		const char *next = NULL;
		const cJSON *v = o ? azjson_page(o, &next) : NULL, *it;
		if (!v) {
			if (!*why)
				*why = xasprintf(_("%s: the role list has no value array"), hsm);
			cJSON_Delete(o);
			free(url);
			cJSON_Delete(all);
			return NULL;
		}
		cJSON_ArrayForEach(it, v)
			cJSON_AddItemToArray(all, cJSON_Duplicate(it, true));
		char *nu = next && kv_same_vault(url, next) ? xstrdup(next) : NULL;
		cJSON_Delete(o);
		free(url);
		url = nu;
	}
	free(url);
	return all;
}

/* The id the HSM's role definitions give the role named name (caller
 * frees), or NULL with *why: none of that name is a clear refusal. */
static char *pr_definition(struct rest_state *st, int side, const char *hsm,
			   const struct az_token *t, const char *name, char **why)
{
	cJSON *defs = pr_list(st, side, hsm, mhsm_url_role_definitions(st->ep, hsm), t, why);
	const cJSON *it;
	char *id = NULL;
	cJSON_ArrayForEach(it, defs) {
		const char *rn = azjson_str(it, "properties.roleName");
		const char *v = azjson_str(it, "id");
		if (!id && v && *v && util_streq(rn, name))
			id = xstrdup(v);
	}
	if (defs && !id)
		*why = xasprintf(_("%s lists no role definition named %s: no role is assigned"),
				 hsm, name);
	cJSON_Delete(defs);
	return id;
}

/* Does oid hold the role (the definition's id, compared by its last
 * segment, the form the HSM names it in aside) over the whole HSM? */
static bool pr_holds(const cJSON *all, const char *oid, const char *def)
{
	const char *role = strrchr(def, '/') ? strrchr(def, '/') + 1 : def;
	const cJSON *it;
	cJSON_ArrayForEach(it, all) {
		const char *pid = azjson_str(it, "properties.principalId");
		const char *rid = azjson_str(it, "properties.roleDefinitionId");
		const char *scope = azjson_str(it, "properties.scope");
		const char *last = rid ? strrchr(rid, '/') : NULL;
		if (pid && util_strcaseeq(pid, oid) && last && util_strcaseeq(last + 1, role) &&
		    (util_streq(scope, "/") || util_streq(scope, "/keys")))
			return true;
	}
	return false;
}

int rest_hsm_roles_perform(struct backend *b, const struct step *s, time_t now,
			   struct check_result *r)
{
	struct rest_state *st = b->state;
	int side = s->check.side;
	const char *hsm = rest_hsm_writable(st, s, r);
	if (!hsm)
		return 0;
	struct check_result look;
	memset(&look, 0, sizeof(look));
	rest_check(b, s, now, &look);
	if (look.status == CHECK_PASS) {
		r->status = CHECK_PASS;
		check_result_set(r, R_REST_FOUND, hsm);
		r->detail = look.detail;
		look.detail = NULL;
		check_result_free(&look);
		return 0;
	}
	if (look.status == CHECK_UNAVAILABLE && result_side_problem(look.code)) {
		/* the side cannot ask Azure (no token, or its sign-in refused):
		 * nothing is sent, and the authorization stands */
		rest_side_problem(r, &look);
		check_result_free(&look);
		return 0;
	}
	check_result_free(&look);
	char *err = NULL, *why = NULL;
	struct pr_set ps;
	pr_build(st, s, &ps);
	cJSON *all = NULL;
	char *def = NULL;
	size_t written = 0;
	char status[24] = "";
	struct buf d = BUF_INIT;
	const struct az_token *tg = az_cred_token(&st->cred[side], AZ_RES_GRAPH, now, &err);
	const struct az_token *th = tg ? az_cred_token(&st->cred[side], AZ_RES_HSM, now, &err) : NULL;
	if (!th) { /* nothing sent yet */
		rest_no_token(r, err);
		goto done;
	}
	def = pr_definition(st, side, hsm, th, ps.role_name, &why);
	if (!def)
		goto fail;
	all = pr_list(st, side, hsm, mhsm_url_role_assignments(st->ep, hsm), th, &why);
	if (!all)
		goto fail;
	for (size_t i = 0; i < ps.n; i++) {
		const struct pr_principal *pp = &ps.v[i];
		char *gu = pp->upn ? graph_url_user(st->ep, pp->upn)
				   : graph_url_service_principal(st->ep, pp->app);
		bool missing = false;
		cJSON *g = pr_get(st, side, gu, tg, pp->who, &missing, &why);
		free(gu);
		const char *oid = g ? azjson_str(g, "id") : NULL;
		if (!oid) {
			if (missing)
				why = xasprintf(_("%s does not exist in the tenant (Microsoft Graph: "
						  "not found)"), pp->who);
			cJSON_Delete(g);
			goto fail;
		}
		if (pr_holds(all, oid, def)) {
			buf_printf(&d, "%s: holds %s already\n", pp->who, ps.role_name);
			cJSON_Delete(g);
			continue;
		}
		char name[37];
		pr_name(hsm, ps.role_id, pp->who, name);
		char *url = pr_url(st, hsm, name);
		cJSON *body = cJSON_CreateObject();
		cJSON *pr = cJSON_AddObjectToObject(body, "properties");
		cJSON_AddStringToObject(pr, "roleDefinitionId", def);
		cJSON_AddStringToObject(pr, "principalId", oid);
		char *txt = cJSON_PrintUnformatted(body);
		struct http_req *w = http_req_new("PUT", url, side, s->id);
		http_req_set_body(w, "application/json", txt, strlen(txt));
		w->token = th;
		http_run(&st->http, &w, 1);
		bool ok = w->fail == HTTP_OK && (w->status == 200 || w->status == 201);
		if (!ok) {
			char *hd = http_describe(w);
			why = xasprintf("%s: %s", pp->who, hd);
			free(hd);
		} else {
			buf_printf(&d, "%s: %s written (HTTP %ld)\n", pp->who, ps.role_name, w->status);
			snprintf(status, sizeof(status), "%ld", w->status);
		}
		http_req_free(w);
		cJSON_free(txt);
		cJSON_Delete(body);
		free(url);
		cJSON_Delete(g);
		if (!ok)
			goto fail;
		written++;
	}
	r->status = CHECK_PASS;
	if (written)
		check_result_set(r, R_REST_WRITTEN, hsm, status);
	else
		check_result_set(r, R_REST_FOUND, hsm);
	r->detail = buf_steal(&d);
	goto done;
fail:
	rest_write_failed(r, hsm, why ? why : err);
	buf_free(&d);
done:
	cJSON_Delete(all);
	free(def);
	free(why);
	free(err);
	pr_free(&ps);
	return 0;
}
