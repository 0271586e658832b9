/* fuzz_azure.c: libFuzzer target for the readers of the REST backend's
 * answers (untrusted input: whatever comes back over TLS, from Azure or from
 * anything that holds a certificate for its hosts). The first byte picks
 * what reads the rest:
 *
 *   0  one body through every reader that takes bytes: the strict JSON
 *      parse, the subscription, vault and key readers, a list page and the
 *      key identifiers in it, error bodies, device-code poll answers (the
 *      second byte picks the HTTP status) and an access token's claims;
 *   1  a whole audit of the test base plan's side A (subscription, feature,
 *      provider, resource groups, vaults, keys, key lists and their pages,
 *      Graph service principals and users) as `ckwizard audit` judges it;
 *   2  the same for the Managed HSM example plan (the HSM, its keys, key
 *      list, role assignments and definitions).
 *
 * In modes 1 and 2 the rest is split at "\n#\n" into answers given to the
 * audit's requests in the order audit.c makes them, then to the next pages
 * of the lists; an answer's first byte picks its status (or a transport
 * failure), a request left without one gets a 404. Checks: every finding
 * is complete, what it shows of Azure's answer is valid UTF-8 without
 * control or bidi characters, the JSON result parses, the exit code is one
 * `audit` documents; a reader that refuses says why. */
#include "ck.h"
#include "azure/audit_int.h"
#include "azure/azjson.h"
#include "azure/entra.h"
#include "azure/http.h"
#include "azure/rest.h"
#include "azure/token.h"
#include "diag.h"
#include "inventory.h"
#include "plan.h"
#include "text.h"
#include "util.h"
#include "../plan_base_yaml.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_world {
	struct plan *plan;
	struct inventory *inv;
};

static struct endpoints *fz_ep;
static struct fz_world fz_vault, fz_hsm;

static void fz_world_load(struct fz_world *w, const char *name, const char *bytes, size_t len)
{
	struct diags d = DIAGS_INIT;
	w->plan = plan_load_mem(name, bytes, len, &d);
	w->inv = w->plan ? inventory_build(w->plan, &d) : NULL;
	diags_free(&d);
	if (!w->inv)
		abort(); /* the plans must load */
}

/* Once per process: the endpoints and both plans (the HSM one from the
 * source tree: CK_SRCDIR, as the tests set it, or the current directory). */
static void fz_init(void)
{
	if (fz_ep)
		return;
	/* The hosts of the test fake (tests/azure/lib.sh), whose answers the
	 * seeds are (tests/fuzz/azure_seeds.py). */
	char *err = NULL;
	fz_ep = endpoints_parse("fake",
				"name = fake\n"
				"authority = https://login.fake.test\n"
				"arm = https://management.fake.test\n"
				"vault-suffix = vault.fake.test\n"
				"hsm-suffix = managedhsm.fake.test\n"
				"graph = https://graph.fake.test\n",
				&err);
	if (!fz_ep)
		abort();
	fz_world_load(&fz_vault, "base.yaml", test_plan_base, sizeof test_plan_base - 1);
	const char *src = getenv("CK_SRCDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/plans/contoso-hsm.yaml", src ? src : ".");
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_azure: cannot open %s (set CK_SRCDIR)\n", path);
		abort();
	}
	static char buf[64 * 1024];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	fz_world_load(&fz_hsm, "contoso-hsm.yaml", buf, n);
}

/* ---- mode 0: the readers one by one ---- */

static void fz_check_strings(const cJSON *o)
{
	for (const cJSON *c = o; c; c = c->next) {
		size_t off;
		if ((c->string && !text_utf8_valid(c->string, strlen(c->string), &off)) ||
		    (cJSON_IsString(c) && !text_utf8_valid(c->valuestring, strlen(c->valuestring),
							   &off)))
			abort(); /* azjson_parse promises valid UTF-8 */
		fz_check_strings(c->child);
	}
}

static void fz_readers(const uint8_t *data, size_t size)
{
	if (size < 1)
		return;
	static const long statuses[] = { 200, 400, 401, 403, 404, 429, 500 };
	long status = statuses[data[0] % CK_ARRAY_LEN(statuses)];
	const char *body = (const char *)data + 1;
	size_t len = size - 1;

	const char *err = NULL;
	cJSON *o = azjson_parse(body, len, &err);
	if (!o && !err)
		abort();
	if (o) {
		fz_check_strings(o);
		struct az_subscription s;
		const char *why = NULL;
		if (azjson_subscription(o, &s, &why) != 0 && !why)
			abort();
		az_subscription_clear(&s);
		struct az_vault v;
		why = NULL;
		if (azjson_vault(o, &v, &why) != 0 && !why)
			abort();
		az_vault_clear(&v);
		struct az_key k;
		why = NULL;
		if (azjson_key(o, &k, &why) == 0 ? k.bits < 0 : !why)
			abort();
		az_key_clear(&k);
		const char *next = NULL;
		const cJSON *page = azjson_page(o, &next);
		if (page) {
			if (!cJSON_IsArray(page))
				abort();
			const cJSON *it;
			cJSON_ArrayForEach(it, page) {
				struct az_kid kid;
				if (azjson_kid_parse(azjson_str(it, "kid"), &kid) == 0 &&
				    (!kid.host || !kid.name || !*kid.name))
					abort();
				az_kid_clear(&kid);
			}
			if (next)
				(void)kv_same_vault("https://v.vault.fake.test/keys", next);
		}
		cJSON_Delete(o);
	}
	char *code = NULL, *message = NULL;
	azjson_error(body, len, &code, &message);
	free(code);
	free(message);
	enum az_poll p = az_poll_classify(status, body, len);
	if ((int)p < AZ_POLL_TOKEN || p > AZ_POLL_ERROR)
		abort();
	char *terr = NULL;
	struct az_token *t = az_token_new(body, len, AZ_RES_ARM, CK_SIDE_A, &terr);
	if (t) {
		if (terr || !t->oid || !t->tid)
			abort();
		free(az_token_identity(t));
		az_token_free(t);
	} else if (!terr) {
		abort();
	}
	free(terr);
}

/* ---- modes 1 and 2: an audit ---- */

struct fz_feed {
	const uint8_t *p, *end;
};

/* The next answer for r: status from its first byte, the rest its body. */
static void fz_answer(struct fz_feed *f, struct http_req *r)
{
	static const long statuses[] = { 200, 200, 200, 200, 201, 404, 403, 429, 500, 0 };
	r->fail = HTTP_OK;
	if (f->p >= f->end) {
		r->status = 404;
		return;
	}
	/* The separator "\n#\n", found with memchr: a memcmp at every byte
	 * cost more than the readers (libFuzzer traces each call). */
	const uint8_t *q = f->p, *stop = f->end;
	for (const uint8_t *s = f->p; (s = memchr(s, '\n', (size_t)(f->end - s))); s++)
		if (f->end - s >= 3 && s[1] == '#' && s[2] == '\n') {
			stop = s;
			break;
		}
	long st = statuses[*q % CK_ARRAY_LEN(statuses)];
	if (st == 0) {
		r->fail = HTTP_TRANSPORT;
		r->error = xstrdup("connection reset");
	} else {
		r->status = st;
	}
	buf_add(&r->resp, q + 1, (size_t)(stop - q - (stop > q)));
	f->p = stop < f->end ? stop + 3 : f->end;
}

static void fz_job(struct audit_jobs *jobs, enum audit_job_kind kind, size_t idx,
		   const char *name, const char *label, char *url)
{
	struct audit_job *j = audit_job_add(jobs, kind, CK_SIDE_A, idx, name, label);
	audit_req(j, url, NULL);
	free(url);
}

/* The requests audit.c makes for side A, in its order. */
static void fz_jobs(const struct audit *a, struct audit_jobs *jobs)
{
	const struct plan *p = a->plan;
	const struct inventory *inv = a->inv;
	const struct endpoints *ep = a->ep;
	const int side = CK_SIDE_A;
	const char *sub = p->sub[side].id;
	fz_job(jobs, AJ_SUB, 0, NULL, sub, arm_url_subscription(ep, sub));
	fz_job(jobs, AJ_FEATURE, 0, NULL, ARM_FEATURE_NAMESPACE "/" ARM_FEATURE_RETENTION,
	       arm_url_feature(ep, sub, ARM_FEATURE_NAMESPACE, ARM_FEATURE_RETENTION));
	fz_job(jobs, AJ_PROVIDER, 0, NULL, ARM_PROVIDER_KEYVAULT,
	       arm_url_provider(ep, sub, ARM_PROVIDER_KEYVAULT));
	for (size_t i = 0; i < inv->n_rgs; i++)
		if (inv->rgs[i].side == side)
			fz_job(jobs, AJ_RG, i, NULL, inv->rgs[i].name,
			       arm_url_resource_group(ep, sub, inv->rgs[i].name));
	bool hsm = plan_uses_hsm(p);
	for (size_t d = 0; d < inv->n_deps; d++) {
		const struct inv_side *s = &inv->deps[d].side[side];
		if (!hsm) {
			fz_job(jobs, AJ_VAULT, d, NULL, s->vault,
			       arm_url_vault(ep, sub, s->resource_group, s->vault));
			fz_job(jobs, AJ_KEY, d, NULL, s->key, kv_url_key(ep, s->vault, s->key));
			fz_job(jobs, AJ_KEYS, d, NULL, s->vault, kv_url_keys(ep, s->vault));
		}
		const char *app = plan_workload_app_id(inv->deps[d].workload);
		if (!audit_graph(jobs, side, AJ_GRAPH_SP, app))
			fz_job(jobs, AJ_GRAPH_SP, d, app, app, graph_url_service_principal(ep, app));
	}
	for (size_t i = 0; i < p->sub[side].n_administrators; i++) {
		const char *upn = p->sub[side].administrators[i];
		if (!audit_graph(jobs, side, AJ_GRAPH_USER, upn))
			fz_job(jobs, AJ_GRAPH_USER, i, upn, upn, graph_url_user(ep, upn));
	}
	if (hsm) {
		const char *h = inv->hsm[side];
		fz_job(jobs, AJ_HSM, 0, NULL, h,
		       arm_url_managed_hsm(ep, sub, inv->hsm_rg[side], h));
		for (size_t d = 0; d < inv->n_deps; d++)
			fz_job(jobs, AJ_HSM_KEY, d, NULL, inv->deps[d].side[side].key,
			       mhsm_url_key(ep, h, inv->deps[d].side[side].key));
		fz_job(jobs, AJ_HSM_KEYS, 0, NULL, h, mhsm_url_keys(ep, h));
		fz_job(jobs, AJ_HSM_ROLES, 0, NULL, h, mhsm_url_role_assignments(ep, h));
		fz_job(jobs, AJ_HSM_DEFS, 0, NULL, h, mhsm_url_role_definitions(ep, h));
	}
}

/* The list pages as audit.c follows them, each next page the next answer. */
static void fz_pages(struct audit *a, struct audit_jobs *jobs, struct fz_feed *f)
{
	for (size_t i = 0; i < jobs->n; i++) {
		struct audit_job *j = &jobs->v[i];
		if (j->kind != AJ_KEYS && j->kind != AJ_HSM_KEYS && j->kind != AJ_HSM_ROLES &&
		    j->kind != AJ_HSM_DEFS)
			continue;
		for (int round = 0; round < 8 && j->req && !j->page_problem; round++) {
			struct http_req *nr = audit_keys_page(a, j);
			if (!nr) {
				if (j->req->fail == HTTP_OK && j->req->status == 200) {
					http_req_free(j->req);
					j->req = NULL;
				}
				break;
			}
			fz_answer(f, nr);
			http_req_free(j->req);
			j->req = nr;
		}
	}
}

static void fz_check_shown(const char *s, int allow_space)
{
	size_t off;
	uint32_t cp;
	if (s && (!text_utf8_valid(s, strlen(s), &off) ||
		  text_find_forbidden(s, strlen(s), allow_space, &off, &cp)))
		abort();
}

static void fz_audit(const struct fz_world *w, const uint8_t *data, size_t size)
{
	struct audit a;
	memset(&a, 0, sizeof a);
	a.plan = w->plan;
	a.inv = w->inv;
	a.ep = fz_ep;
	const struct plan_operator *op = &w->plan->op[w->plan->sub[CK_SIDE_A].operator_side];
	a.side[CK_SIDE_A].expect_upn = op->upn;
	a.side[CK_SIDE_A].oid = xstrdup("0a0a0a0a-0000-4000-8000-00000000000a");
	struct audit_jobs jobs = { NULL, 0, 0 };
	fz_jobs(&a, &jobs);
	struct fz_feed f = { data, data + size };
	for (size_t i = 0; i < jobs.n; i++)
		fz_answer(&f, jobs.v[i].req);
	fz_pages(&a, &jobs, &f);
	audit_eval(&a, &jobs);
	audit_hsm_eval(&a, &jobs);
	for (size_t i = 0; i < a.n; i++) {
		const struct audit_finding *x = &a.f[i];
		if (x->status >= AUDIT_NSTATUS || !x->kind || !x->check || !x->name || !x->detail)
			abort();
		fz_check_shown(x->observed, 0);
		fz_check_shown(x->detail, 1);
	}
	int rc = audit_exit_code(&a);
	if (rc != 0 && rc != 1 && rc != 3 && rc != 4)
		abort();
	char *json = audit_json(&a);
	const char *err = NULL;
	cJSON *o = azjson_parse(json, strlen(json), &err);
	if (!o)
		abort();
	cJSON_Delete(o);
	free(json);
	audit_jobs_free(&jobs);
	audit_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fz_readers(data + 1, size - 1);
		break;
	case 1:
		fz_audit(&fz_vault, data + 1, size - 1);
		break;
	default:
		fz_audit(&fz_hsm, data + 1, size - 1);
		break;
	}
	return 0;
}
