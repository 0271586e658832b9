/* audit_eval.c: judging the answers against the plan (see audit.h). */
#include "ck.h"
#include "azure/audit_int.h"
#include "azure/azjson.h"
#include "azure/rest.h"
#include "buf.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* quotaId prefixes of offers Customer Key refuses: free trials, sponsored and
 * Visual Studio (MSDN) credits, Azure Pass, students, partner credits. */
const char *const audit_refused_quota_prefixes[] = {
	"FreeTrial_", "Sponsored_", "MSDN_", "MSDNDevTest_", "AzurePass_", "AzureForStudents_",
	"DreamSpark_", "MPN_", NULL
};

/* Exactly 9999-12-31T00:00:00Z: the one expiry Customer Key tolerates. */
#define AUDIT_EXP_FOREVER 253402214400.0
#define AUDIT_RECOVERY_LEVEL "Recoverable+ProtectedSubscription"

static const char *const audit_sp_perms[] = { "get", "wrapKey", "unwrapKey" };
static const char *const audit_reader_perms[] = { "get", "list" };

/* A copy of an Azure value fit for a terminal and a report. */
static char *v(const char *s)
{
	return text_visible_line(s ? s : "(absent)");
}

/* An answer that came (HTTP 200) but cannot be judged: unchecked, never
 * drift, so that a step is neither verified nor sent to be written again on
 * the strength of a field that is not there. The line names the request
 * (resource and side) as http_describe() does for a failed one: a live
 * step's screen shows this line alone. */
static void aj_unusable(struct audit *a, const struct audit_job *j, const char *kind,
			const char *why)
{
	char *what = text_visible_line(j->req && j->req->what ? j->req->what : j->label);
	audit_add(a, j->side, kind, j->label, N_("read"), AUDIT_UNCHECKED,
		  _("%s: the answer is unusable: %s; run again"), what, why);
	free(what);
}

/* The answer of a job as JSON, or NULL after recording why not. A 404 is
 * drift when the resource should exist (missing_drift), else unchecked. */
cJSON *aj_json(struct audit *a, const struct audit_job *j, const char *kind, bool missing_drift)
{
	const struct http_req *r = j->req;
	if (r->fail == HTTP_OK && r->status == 404 && missing_drift) {
		audit_add(a, j->side, kind, j->label, N_("exists"), AUDIT_DRIFT,
			  _("not found (HTTP 404): the plan expects it"));
		return NULL;
	}
	if (r->fail != HTTP_OK || r->status != 200) {
		char *d = http_describe(r);
		audit_add(a, j->side, kind, j->label, N_("read"), AUDIT_UNCHECKED, "%s", d);
		free(d);
		return NULL;
	}
	const char *err = NULL;
	cJSON *o = azjson_parse(r->resp.p, r->resp.len, &err);
	if (!o)
		aj_unusable(a, j, kind, err);
	return o;
}

void aj_expect(struct audit *a, const struct audit_job *j, const char *kind, const char *check,
	       bool holds, const char *seen, const char *want)
{
	char *vs = v(seen);
	if (holds)
		audit_add(a, j->side, kind, j->label, check, AUDIT_HOLDS, "%s", vs);
	else
		audit_add(a, j->side, kind, j->label, check, AUDIT_DRIFT, _("%s (the plan: %s)"), vs,
			  want);
	a->f[a->n - 1].observed = vs;
}

static void eval_subscription(struct audit *a, const struct audit_job *j)
{
	const char *kind = N_("subscription");
	cJSON *o = aj_json(a, j, kind, false);
	if (!o)
		return;
	struct az_subscription s;
	const char *err = NULL;
	if (azjson_subscription(o, &s, &err) != 0) {
		aj_unusable(a, j, kind, err);
	} else {
		aj_expect(a, j, kind, N_("state"), util_strcaseeq(s.state, "Enabled"), s.state, "Enabled");
		aj_expect(a, j, kind, N_("tenant"), util_strcaseeq(s.tenant, a->plan->org.tenant_id),
			  s.tenant, a->plan->org.tenant_id);
		bool refused = false;
		for (size_t i = 0; s.quota_id && audit_refused_quota_prefixes[i]; i++)
			if (util_has_prefix(s.quota_id, audit_refused_quota_prefixes[i]))
				refused = true;
		if (!s.quota_id)
			audit_add(a, j->side, kind, j->label, N_("offer"), AUDIT_UNCHECKED,
				  _("no subscriptionPolicies.quotaId in the answer"));
		else
			aj_expect(a, j, kind, N_("offer"), !refused, s.quota_id,
				  _("a paid offer: trial, sponsored and credit offers are refused"));
	}
	az_subscription_clear(&s);
	cJSON_Delete(o);
}

static void eval_state(struct audit *a, const struct audit_job *j, const char *kind,
		       const char *path, const char *check)
{
	cJSON *o = aj_json(a, j, kind, true);
	if (!o)
		return;
	const char *st = azjson_str(o, path);
	if (!st) {
		/* no state is not a state: neither verified nor registered again */
		char *why = xasprintf(_("no %s in the answer"), path);
		aj_unusable(a, j, kind, why);
		free(why);
		cJSON_Delete(o);
		return;
	}
	/* The specs' own examples spell the state "registered" and "Registered". */
	aj_expect(a, j, kind, check, util_strcaseeq(st, "Registered"), st, "Registered");
	cJSON_Delete(o);
}

static void eval_rg(struct audit *a, const struct audit_job *j)
{
	const char *kind = N_("resource group");
	cJSON *o = aj_json(a, j, kind, true);
	if (!o)
		return;
	const char *loc = azjson_str(o, "location");
	const char *want = a->inv->rgs[j->idx].region;
	if (!loc) {
		aj_unusable(a, j, kind, _("no location in the answer"));
		cJSON_Delete(o);
		return;
	}
	aj_expect(a, j, kind, N_("region"), azjson_region_eq(loc, want), loc, want);
	cJSON_Delete(o);
}

static bool perm_in(const char *p, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (util_strcaseeq(p, list[i]))
			return true;
	return false;
}

static char *perm_text(const char *const *list, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char *vi = v(list[i]);
		buf_printf(&b, "%s%s", i ? ", " : "", vi);
		free(vi);
	}
	return n ? buf_steal(&b) : xstrdup(_("none"));
}

/* Exactly the same set, ignoring case and order ("all" is never planned). */
static bool perm_same(const char *const *have, size_t nh, const char *const *want, size_t nw)
{
	for (size_t i = 0; i < nh; i++)
		if (!perm_in(have[i], want, nw))
			return false;
	for (size_t i = 0; i < nw; i++)
		if (!perm_in(want[i], have, nh))
			return false;
	return true;
}

static bool perm_subset(const char *const *have, size_t nh, const char *const *allowed, size_t na)
{
	for (size_t i = 0; i < nh; i++)
		if (!perm_in(have[i], allowed, na))
			return false;
	return true;
}

#define CPP(x) ((const char *const *)(x))

struct expect_pol {
	const char *who;          /* UPN or "app (name)" */
	const char *object_id;    /* NULL: could not be resolved */
	bool missing;             /* Graph: no such principal */
	const char *problem;      /* Graph: why it could not be resolved */
	const char *const *perms;
	size_t n_perms;
	bool seen;
	const char *role;         /* for the step that grants it */
};

static void eval_policies(struct audit *a, const struct audit_job *j, const struct az_vault *vt,
			  const struct audit_jobs *jobs)
{
	const char *kind = N_("vault");
	const struct plan *p = a->plan;
	const struct inv_dep *dep = &a->inv->deps[j->idx];
	size_t ne = p->sub[j->side].n_administrators + 1;
	struct expect_pol *ex = xcalloc(ne, sizeof(*ex));
	bool all_known = true;
	for (size_t i = 0; i + 1 < ne; i++) {
		const char *upn = p->sub[j->side].administrators[i];
		const struct audit_job *g = audit_graph(jobs, j->side, AJ_GRAPH_USER, upn);
		ex[i].who = upn;
		ex[i].object_id = g ? g->object_id : NULL;
		ex[i].missing = g && g->graph_missing;
		ex[i].problem = g ? g->graph_problem : NULL;
		ex[i].perms = CPP(p->kv.admin_permissions);
		ex[i].n_perms = p->kv.n_admin_permissions;
		ex[i].role = "administrator";
	}
	const char *app = plan_workload_app_id(dep->workload);
	const struct audit_job *g = audit_graph(jobs, j->side, AJ_GRAPH_SP, app);
	struct expect_pol *sp = &ex[ne - 1];
	char *sp_who = xasprintf("%s (%s)", plan_workload_app_name(dep->workload), app);
	sp->who = sp_who;
	sp->object_id = g ? g->object_id : NULL;
	sp->missing = g && g->graph_missing;
	sp->problem = g ? g->graph_problem : NULL;
	sp->perms = audit_sp_perms;
	sp->n_perms = CK_ARRAY_LEN(audit_sp_perms);
	sp->role = "service principal";
	for (size_t i = 0; i < ne; i++)
		if (!ex[i].object_id)
			all_known = false;

	for (size_t k = 0; k < vt->n_policies; k++) {
		const struct az_policy *pol = &vt->policies[k];
		char *perms = perm_text(CPP(pol->keys), pol->n_keys);
		char *oid = v(pol->object_id);
		struct expect_pol *match = NULL;
		for (size_t i = 0; i < ne; i++)
			if (ex[i].object_id && util_strcaseeq(ex[i].object_id, pol->object_id))
				match = &ex[i];
		bool other = pol->n_secrets || pol->n_certificates || pol->n_storage;
		if (match) {
			match->seen = true;
			bool same = perm_same(CPP(pol->keys), pol->n_keys, match->perms, match->n_perms);
			if (same && !other) {
				audit_add(a, j->side, kind, j->label, N_("access policy"), AUDIT_HOLDS,
					  _("%s: keys %s"), match->who, perms);
				a->f[a->n - 1].role = match->role;
			} else {
				char *want = perm_text(match->perms, match->n_perms);
				audit_add(a, j->side, kind, j->label, N_("access policy"), AUDIT_DRIFT,
					  _("%s: keys %s%s (the plan: keys %s only)"), match->who, perms,
					  other ? _(", and secret/certificate/storage permissions") : "",
					  want);
				a->f[a->n - 1].role = match->role;
				free(want);
			}
		} else if (a->side[j->side].expect_app && a->side[j->side].oid &&
			   util_strcaseeq(pol->object_id, a->side[j->side].oid) && !other &&
			   perm_subset(CPP(pol->keys), pol->n_keys, audit_reader_perms,
				       CK_ARRAY_LEN(audit_reader_perms))) {
			/* a scheduled audit's own application, reading only */
			audit_add(a, j->side, kind, j->label, N_("access policy"), AUDIT_HOLDS,
				  _("the auditing application %s: keys %s (read-only)"), oid, perms);
			a->f[a->n - 1].role = "auditor";
		} else if (!all_known) {
			audit_add(a, j->side, kind, j->label, N_("access policy"), AUDIT_UNCHECKED,
				  _("principal %s has keys %s: not every planned principal could be "
				    "resolved, so whether it is one of them is unknown"), oid, perms);
			a->f[a->n - 1].role = "unresolved";
		} else {
			audit_add(a, j->side, kind, j->label, N_("access policy"), AUDIT_DRIFT,
				  _("principal %s is not in the plan and has keys %s%s"), oid, perms,
				  other ? _(", and secret/certificate/storage permissions") : "");
			a->f[a->n - 1].role = "unplanned";
		}
		free(perms);
		free(oid);
	}
	for (size_t i = 0; i < ne; i++) {
		if (ex[i].seen)
			continue;
		size_t before = a->n;
		if (ex[i].missing)
			audit_add(a, j->side, kind, j->label, N_("access policy"), AUDIT_DRIFT,
				  _("%s does not exist in the tenant (Microsoft Graph: not found)"),
				  ex[i].who);
		else if (!ex[i].object_id)
			audit_add(a, j->side, kind, j->label, N_("access policy"), AUDIT_UNCHECKED,
				  _("%s: its object ID could not be looked up in Microsoft Graph: %s"),
				  ex[i].who, ex[i].problem ? ex[i].problem : _("no answer; run again"));
		else
			audit_add(a, j->side, kind, j->label, N_("access policy"), AUDIT_DRIFT,
				  _("%s has no access policy (the plan: keys as planned)"), ex[i].who);
		if (a->n > before)
			a->f[a->n - 1].role = ex[i].role;
	}
	free(sp_who);
	free(ex);
}

static void eval_vault(struct audit *a, const struct audit_job *j, const struct audit_jobs *jobs)
{
	const char *kind = N_("vault");
	cJSON *o = aj_json(a, j, kind, true);
	if (!o)
		return;
	const struct plan *p = a->plan;
	const struct inv_side *s = &a->inv->deps[j->idx].side[j->side];
	struct az_vault vt;
	const char *err = NULL;
	if (azjson_vault(o, &vt, &err) != 0) {
		aj_unusable(a, j, kind, err);
		az_vault_clear(&vt);
		cJSON_Delete(o);
		return;
	}
	char num[32];
	aj_expect(a, j, kind, N_("region"), azjson_region_eq(vt.location, s->region), vt.location,
		  s->region);
	aj_expect(a, j, kind, N_("tenant"), util_strcaseeq(vt.tenant, p->org.tenant_id), vt.tenant,
		  p->org.tenant_id);
	aj_expect(a, j, kind, N_("SKU"), util_strcaseeq(vt.sku, p->kv.sku), vt.sku, p->kv.sku);
	aj_expect(a, j, kind, N_("soft delete"), vt.soft_delete == 1, vt.soft_delete ? "on" : "off",
		  "on");
	snprintf(num, sizeof(num), "%.0f days", vt.retention);
	char want[32];
	snprintf(want, sizeof(want), "%ld days", p->kv.retention_days);
	aj_expect(a, j, kind, N_("soft-delete retention"), vt.retention == (double)p->kv.retention_days,
		  num, want);
	aj_expect(a, j, kind, N_("purge protection"), vt.purge_protection == (p->kv.purge_protection ? 1 : 0),
		  vt.purge_protection ? "on" : "off", p->kv.purge_protection ? "on" : "off");
	aj_expect(a, j, kind, N_("permission model"), vt.rbac == 0,
		  vt.rbac ? "Azure RBAC" : "access policies", "access policies");
	eval_policies(a, j, &vt, jobs);
	az_vault_clear(&vt);
	cJSON_Delete(o);
}

static bool op_has(const struct az_key *k, const char *op)
{
	return perm_in(op, CPP(k->ops), k->n_ops);
}

/* The vaults' keys: Recoverable+ProtectedSubscription (purge protection
 * on a vault), no expiry or exactly 9999-12-31. */
static const char *const audit_vault_levels[] = { AUDIT_RECOVERY_LEVEL };
static const struct audit_key_store audit_vault_keys = {
	.uri = kv_key_uri,
	.levels = audit_vault_levels,
	.n_levels = CK_ARRAY_LEN(audit_vault_levels),
	.level_want = AUDIT_RECOVERY_LEVEL,
	.expiry = true,
};

void audit_key_eval(struct audit *a, const struct audit_job *j, const struct audit_key_store *ks,
		    const char *store, const char *key)
{
	const char *kind = N_("key");
	cJSON *o = aj_json(a, j, kind, true);
	if (!o)
		return;
	const struct plan *p = a->plan;
	struct az_key k;
	const char *err = NULL;
	if (azjson_key(o, &k, &err) != 0) {
		aj_unusable(a, j, kind, err);
		az_key_clear(&k);
		cJSON_Delete(o);
		return;
	}
	char seen[64], want[64];
	aj_expect(a, j, kind, N_("type"), util_streq(k.kty, p->kv.key_type), k.kty, p->kv.key_type);
	snprintf(seen, sizeof(seen), "%ld bits", k.bits);
	snprintf(want, sizeof(want), "%ld bits", p->kv.key_size);
	aj_expect(a, j, kind, N_("size"), k.bits == p->kv.key_size, seen, want);
	char *ops = perm_text(CPP(k.ops), k.n_ops);
	aj_expect(a, j, kind, N_("operations"), op_has(&k, "wrapKey") && op_has(&k, "unwrapKey"),
		  ops, "wrapKey, unwrapKey");
	free(ops);
	aj_expect(a, j, kind, N_("enabled"), k.enabled == 1,
		  k.enabled == 1 ? "yes" : k.enabled == 0 ? "no" : "(absent)", "yes");
	if (ks->expiry) {
		if (k.exp == 0)
			snprintf(seen, sizeof(seen), "none");
		else
			snprintf(seen, sizeof(seen), "%.0f", k.exp);
		aj_expect(a, j, kind, N_("expiry"), k.exp == 0 || k.exp == AUDIT_EXP_FOREVER, seen,
			  _("none (or exactly 9999-12-31)"));
	}
	aj_expect(a, j, kind, N_("recovery level"),
		  k.recovery_level && perm_in(k.recovery_level, ks->levels, ks->n_levels),
		  k.recovery_level, ks->level_want);
	/* The DEP commands name the versionless URI; Azure answers with the
	 * current version's. Same host (case ignored) and key name. */
	char *uri = ks->uri(a->ep, store, key);
	/* both cleared: the second parse does not run when the first fails */
	struct az_kid kid = { 0 }, planned = { 0 };
	bool same = azjson_kid_parse(k.kid, &kid) == 0 && azjson_kid_parse(uri, &planned) == 0 &&
		    util_strcaseeq(kid.host, planned.host) && util_strcaseeq(kid.name, planned.name) &&
		    kid.version;
	char *vk = v(k.kid);
	if (same)
		audit_add(a, j->side, kind, j->label, N_("key URI"), AUDIT_HOLDS, _("%s (current: %s)"),
			  uri, vk);
	else
		audit_add(a, j->side, kind, j->label, N_("key URI"), AUDIT_DRIFT,
			  _("Azure names it %s (the DEP steps use: %s)"), vk, uri);
	free(vk);
	free(uri);
	az_kid_clear(&kid);
	az_kid_clear(&planned);
	az_key_clear(&k);
	cJSON_Delete(o);
}

static void eval_key(struct audit *a, const struct audit_job *j)
{
	const struct inv_side *s = &a->inv->deps[j->idx].side[j->side];
	audit_key_eval(a, j, &audit_vault_keys, s->vault, s->key);
}

static void eval_keys(struct audit *a, const struct audit_job *j)
{
	const char *kind = N_("vault");
	if (j->page_problem) {
		audit_add(a, j->side, kind, j->label, N_("keys held"), AUDIT_UNCHECKED, "%s",
			  j->page_problem);
		return;
	}
	if (j->req) {
		if (j->req->fail == HTTP_OK && j->req->status == 404)
			return; /* the vault itself is reported missing */
		char *d = http_describe(j->req);
		audit_add(a, j->side, kind, j->label, N_("keys held"), AUDIT_UNCHECKED, "%s", d);
		free(d);
		return;
	}
	const char *planned = a->inv->deps[j->idx].side[j->side].key;
	size_t extra = 0;
	for (size_t i = 0; i < j->n_keys; i++) {
		if (util_strcaseeq(j->keys[i], planned))
			continue;
		char *vk = v(j->keys[i]);
		audit_add(a, j->side, kind, j->label, N_("keys held"), AUDIT_DRIFT,
			  _("holds key %s, which the plan does not name"), vk);
		free(vk);
		extra++;
	}
	if (!extra)
		audit_add(a, j->side, kind, j->label, N_("keys held"), AUDIT_HOLDS,
			  ngettext("%zu key, none outside the plan",
				   "%zu keys, none outside the plan", j->n_keys), j->n_keys);
}

/* Graph lookups feed the access-policy checks; they are findings only when
 * they fail for another reason than "not found". */
static void eval_graph(struct audit *a, struct audit_job *j)
{
	const struct http_req *r = j->req;
	if (r->fail == HTTP_OK && r->status == 404) {
		j->graph_missing = true;
		return;
	}
	/* The policy check says "could not be looked up", with this reason: the
	 * status or what was wrong with the answer, and what to do. */
	if (r->fail != HTTP_OK || r->status != 200) {
		j->graph_problem = http_describe(r);
		return;
	}
	const char *err = NULL;
	cJSON *o = azjson_parse(r->resp.p, r->resp.len, &err);
	const char *id = o ? azjson_str(o, "id") : NULL;
	if (id)
		j->object_id = xstrdup(id);
	else if (!o)
		j->graph_problem = xasprintf(_("the answer is unusable: %s; run again"), err);
	else
		j->graph_problem = xstrdup(_("the answer has no \"id\"; run again"));
	cJSON_Delete(o);
	(void)a;
}

void audit_eval(struct audit *a, struct audit_jobs *jobs)
{
	for (size_t i = 0; i < jobs->n; i++)
		if (jobs->v[i].kind == AJ_GRAPH_SP || jobs->v[i].kind == AJ_GRAPH_USER)
			eval_graph(a, &jobs->v[i]);
	for (size_t i = 0; i < jobs->n; i++) {
		struct audit_job *j = &jobs->v[i];
		switch (j->kind) {
		case AJ_SUB:
			eval_subscription(a, j);
			break;
		case AJ_FEATURE:
			eval_state(a, j, N_("feature"), "properties.state", N_("state"));
			break;
		case AJ_PROVIDER:
			eval_state(a, j, N_("provider"), "registrationState", N_("state"));
			break;
		case AJ_RG:
			eval_rg(a, j);
			break;
		case AJ_VAULT:
			eval_vault(a, j, jobs);
			break;
		case AJ_KEY:
			eval_key(a, j);
			break;
		case AJ_KEYS:
			eval_keys(a, j);
			break;
		default: /* Graph (above); Managed HSM jobs: audit_hsm.c */
			break;
		}
	}
}
