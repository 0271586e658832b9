/* audit_hsm.c: auditing a plan whose keys are in Managed HSMs. Per side:
 * the ARM resource Microsoft.KeyVault/managedHSMs (provisioning, security
 * domain activation, region, tenant, SKU, soft delete, purge protection,
 * initial administrators), each DEP's key on the HSM's data plane, the keys
 * it holds, and its local RBAC: the role assignments at the scope "/" read
 * against the plan, the role definitions to tell which roles carry key
 * rights. doc/azure.md lists the fields and their sources. */
#include "ck.h"
#include "azure/audit_int.h"
#include "azure/azjson.h"
#include "azure/rest.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Built-in local RBAC roles (Microsoft Learn, "Local RBAC built-in roles for
 * Managed HSM"). Every one of them can touch keys or grant roles, which is
 * the same thing for an intruder: key_rights is true for all. */
#define MHSM_ROLE_ADMIN "a290e904-7015-4bba-90c8-60543313cdb4"
#define MHSM_ROLE_CRYPTO_USER "21dbd100-6940-42c2-9190-5d6cb909625b"
#define MHSM_ROLE_SERVICE "33413926-3206-4cdd-b39a-83574fe37a17"
#define MHSM_ROLE_AUDITOR "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3"

static const struct {
	const char *id, *name;
} mhsm_builtin[] = {
	{ MHSM_ROLE_ADMIN, "Managed HSM Administrator" },
	{ "515eb02d-2335-4d2d-92f2-b1cbdf9c3778", "Managed HSM Crypto Officer" },
	{ MHSM_ROLE_CRYPTO_USER, "Managed HSM Crypto User" },
	{ "4bd23610-cdcf-4971-bdee-bdc562cc28e4", "Managed HSM Policy Administrator" },
	{ MHSM_ROLE_AUDITOR, "Managed HSM Crypto Auditor" },
	{ MHSM_ROLE_SERVICE, "Managed HSM Crypto Service Encryption User" },
	{ "21dbd100-6940-42c2-9190-5d6cb909625c", "Managed HSM Crypto Service Release User" },
	{ "7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8", "Managed HSM Backup" },
	{ "6efe6056-5259-49d2-8b3d-d3d73544b20b", "Managed HSM Restore" },
};

#define MHSM_KIND N_("managed HSM")

static char *mv(const char *s)
{
	return text_visible_line(s ? s : "(absent)");
}

void audit_hsm_build(struct audit *a, struct audit_jobs *jobs, int side,
		     const struct az_token *const tok[AZ_RES_COUNT])
{
	const struct inventory *inv = a->inv;
	const struct endpoints *ep = a->ep;
	const char *hsm = inv->hsm[side];
	char *u;
	struct audit_job *j = audit_job_add(jobs, AJ_HSM, side, 0, NULL, hsm);
	audit_req(j, u = arm_url_managed_hsm(ep, a->plan->sub[side].id, inv->hsm_rg[side], hsm),
		  tok[AZ_RES_ARM]);
	free(u);
	if (!ep->hsm_suffix || !tok[AZ_RES_HSM]) {
		audit_add(a, side, MHSM_KIND, hsm, N_("data plane"), AUDIT_UNCHECKED,
			  _("the endpoints name no Managed HSM suffix (hsm-suffix): its keys and "
			    "role assignments were not read"));
		return;
	}
	const struct az_token *t = tok[AZ_RES_HSM];
	for (size_t d = 0; d < inv->n_deps; d++) {
		j = audit_job_add(jobs, AJ_HSM_KEY, side, d, NULL, inv->deps[d].side[side].key);
		audit_req(j, u = mhsm_url_key(ep, hsm, inv->deps[d].side[side].key), t);
		free(u);
	}
	j = audit_job_add(jobs, AJ_HSM_KEYS, side, 0, NULL, hsm);
	audit_req(j, u = mhsm_url_keys(ep, hsm), t);
	free(u);
	j = audit_job_add(jobs, AJ_HSM_ROLES, side, 0, NULL, hsm);
	audit_req(j, u = mhsm_url_role_assignments(ep, hsm), t);
	free(u);
	j = audit_job_add(jobs, AJ_HSM_DEFS, side, 0, NULL, hsm);
	audit_req(j, u = mhsm_url_role_definitions(ep, hsm), t);
	free(u);
}

/* ---- the HSM itself (ARM) ---- */

static bool mhsm_str_in(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (util_strcaseeq(s, list[i]))
			return true;
	return false;
}

static void mhsm_bool(struct audit *a, const struct audit_job *j, const cJSON *o, const char *path,
		      const char *check, bool want)
{
	int b = azjson_bool(o, path);
	if (b < 0)
		audit_add(a, j->side, MHSM_KIND, j->label, check, AUDIT_UNCHECKED,
			  _("properties.%s is not in the answer"), strchr(path, '.') + 1);
	else
		aj_expect(a, j, MHSM_KIND, check, (b == 1) == want, b ? "on" : "off", want ? "on" : "off");
}

static void eval_hsm(struct audit *a, const struct audit_job *j)
{
	cJSON *o = aj_json(a, j, MHSM_KIND, true);
	if (!o)
		return;
	const struct plan *p = a->plan;
	const char *want_region = inventory_rg_region(a->inv, j->side, a->inv->hsm_rg[j->side]);
	const char *loc = azjson_str(o, "location");
	aj_expect(a, j, MHSM_KIND, N_("region"), azjson_region_eq(loc, want_region), loc,
		  want_region ? want_region : "?");
	const char *tenant = azjson_str(o, "properties.tenantId");
	aj_expect(a, j, MHSM_KIND, N_("tenant"), util_strcaseeq(tenant, p->org.tenant_id), tenant,
		  p->org.tenant_id);
	/* The plan names no SKU: any Managed HSM SKU will do, the finding says
	 * which one it is. */
	const char *sku = azjson_str(o, "sku.name");
	if (sku)
		aj_expect(a, j, MHSM_KIND, N_("SKU"), true, sku, "");
	else
		audit_add(a, j->side, MHSM_KIND, j->label, N_("SKU"), AUDIT_UNCHECKED,
			  _("sku.name is not in the answer"));
	/* Activated and Succeeded both mean a working HSM; the others are on
	 * their way (Provisioning, Updating, Restoring...) or broken. */
	static const char *const ready[] = { "Succeeded", "Activated" };
	const char *ps = azjson_str(o, "properties.provisioningState");
	aj_expect(a, j, MHSM_KIND, N_("provisioning state"), mhsm_str_in(ps, ready, 2), ps,
		  "Succeeded");
	const char *act = azjson_str(o, "properties.securityDomainProperties.activationStatus");
	aj_expect(a, j, MHSM_KIND, N_("activation"), util_strcaseeq(act, "Active"), act,
		  _("Active (the security domain downloaded)"));
	mhsm_bool(a, j, o, "properties.enableSoftDelete", N_("soft delete"), true);
	double days = 0;
	char seen[32], want[32];
	if (azjson_num(o, "properties.softDeleteRetentionInDays", &days))
		snprintf(seen, sizeof(seen), "%.0f days", days);
	else
		snprintf(seen, sizeof(seen), "(absent)");
	snprintf(want, sizeof(want), "%ld days", p->kv.retention_days);
	aj_expect(a, j, MHSM_KIND, N_("soft-delete retention"), days == (double)p->kv.retention_days,
		  seen, want);
	/* managedHsm.json gives both a default of true (unlike a vault's purge
	 * protection), so an answer without them cannot be judged either way */
	mhsm_bool(a, j, o, "properties.enablePurgeProtection", N_("purge protection"),
		  p->kv.purge_protection);
	const cJSON *admins = azjson_get(o, "properties.initialAdminObjectIds");
	for (size_t i = 0; i < p->hsm.n_administrators[j->side]; i++) {
		const char *want_oid = p->hsm.administrators[j->side][i];
		bool found = false;
		const cJSON *it;
		cJSON_ArrayForEach(it, admins)
			if (cJSON_IsString(it) && util_strcaseeq(it->valuestring, want_oid))
				found = true;
		if (found)
			audit_add(a, j->side, MHSM_KIND, j->label, N_("initial administrators"),
				  AUDIT_HOLDS, _("%s is one"), want_oid);
		else
			audit_add(a, j->side, MHSM_KIND, j->label, N_("initial administrators"),
				  AUDIT_DRIFT, _("%s is not one (the plan names it)"), want_oid);
	}
	cJSON_Delete(o);
}

/* ---- keys on the data plane ---- */

static void eval_hsm_key(struct audit *a, const struct audit_job *j)
{
	const char *kind = N_("key");
	cJSON *o = aj_json(a, j, kind, true);
	if (!o)
		return;
	const struct plan *p = a->plan;
	const char *hsm = a->inv->hsm[j->side];
	struct az_key k;
	const char *err = NULL;
	if (azjson_key(o, &k, &err) != 0) {
		audit_add(a, j->side, kind, j->label, N_("read"), AUDIT_UNCHECKED, "%s", err);
		az_key_clear(&k);
		cJSON_Delete(o);
		return;
	}
	char seen[64], want[64];
	aj_expect(a, j, kind, N_("type"), util_streq(k.kty, p->kv.key_type), k.kty, p->kv.key_type);
	snprintf(seen, sizeof(seen), "%ld bits", k.bits);
	snprintf(want, sizeof(want), "%ld bits", p->kv.key_size);
	aj_expect(a, j, kind, N_("size"), k.bits == p->kv.key_size, seen, want);
	bool wrap = false, unwrap = false;
	for (size_t i = 0; i < k.n_ops; i++) {
		wrap |= util_strcaseeq(k.ops[i], "wrapKey");
		unwrap |= util_strcaseeq(k.ops[i], "unwrapKey");
	}
	aj_expect(a, j, kind, N_("operations"), wrap && unwrap,
		  wrap && unwrap ? "wrapKey, unwrapKey" : wrap ? "wrapKey" : unwrap ? "unwrapKey"
										 : _("neither wrapKey nor unwrapKey"),
		  "wrapKey, unwrapKey");
	aj_expect(a, j, kind, N_("enabled"), k.enabled == 1,
		  k.enabled == 1 ? "yes" : k.enabled == 0 ? "no" : "(absent)", "yes");
	/* An HSM's keys with purge protection read Recoverable; the
	 * +ProtectedSubscription form is accepted as well (doc/steps.md). */
	static const char *const levels[] = { "Recoverable", "Recoverable+ProtectedSubscription" };
	aj_expect(a, j, kind, N_("recovery level"), mhsm_str_in(k.recovery_level, levels, 2),
		  k.recovery_level, "Recoverable");
	char *uri = mhsm_key_uri(a->ep, hsm, j->label);
	struct az_kid kid, planned;
	bool same = azjson_kid_parse(k.kid, &kid) == 0 && azjson_kid_parse(uri, &planned) == 0 &&
		    util_strcaseeq(kid.host, planned.host) && util_strcaseeq(kid.name, planned.name) &&
		    kid.version;
	char *vk = mv(k.kid);
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

/* A list job's failure as a finding; true when there is nothing to judge. */
static bool mhsm_list_failed(struct audit *a, const struct audit_job *j, const char *check)
{
	if (j->page_problem) {
		audit_add(a, j->side, MHSM_KIND, j->label, check, AUDIT_UNCHECKED, "%s",
			  j->page_problem);
		return true;
	}
	if (j->req) {
		if (j->req->fail == HTTP_OK && j->req->status == 404)
			return true; /* the HSM itself is reported missing */
		char *d = http_describe(j->req);
		audit_add(a, j->side, MHSM_KIND, j->label, check, AUDIT_UNCHECKED, "%s", d);
		free(d);
		return true;
	}
	return false;
}

static void eval_hsm_keys(struct audit *a, const struct audit_job *j)
{
	if (mhsm_list_failed(a, j, N_("keys held")))
		return;
	size_t extra = 0;
	for (size_t i = 0; i < j->n_keys; i++) {
		bool planned = false;
		for (size_t d = 0; d < a->inv->n_deps; d++)
			planned |= util_strcaseeq(j->keys[i], a->inv->deps[d].side[j->side].key);
		if (planned)
			continue;
		char *vk = mv(j->keys[i]);
		audit_add(a, j->side, MHSM_KIND, j->label, N_("keys held"), AUDIT_DRIFT,
			  _("holds key %s, which the plan does not name"), vk);
		free(vk);
		extra++;
	}
	if (!extra)
		audit_add(a, j->side, MHSM_KIND, j->label, N_("keys held"), AUDIT_HOLDS,
			  ngettext("%zu key, none outside the plan",
				   "%zu keys, none outside the plan", j->n_keys), j->n_keys);
}

/* ---- local RBAC ---- */

struct mhsm_def {
	const char *id, *name;
	bool key_rights;
};

/* The role definitions the HSM lists, or the built-in table when the list
 * could not be read. The caller frees the array (names point into items). */
static struct mhsm_def *mhsm_defs(const struct audit_jobs *jobs, int side, size_t *n)
{
	const struct audit_job *dj = NULL;
	for (size_t i = 0; i < jobs->n; i++)
		if (jobs->v[i].kind == AJ_HSM_DEFS && jobs->v[i].side == side)
			dj = &jobs->v[i];
	size_t cap = CK_ARRAY_LEN(mhsm_builtin) + (dj && dj->items ? (size_t)cJSON_GetArraySize(dj->items) : 0);
	struct mhsm_def *d = xcalloc(cap + 1, sizeof(*d));
	*n = 0;
	const cJSON *it;
	if (dj && dj->items && !dj->req && !dj->page_problem) {
		cJSON_ArrayForEach(it, dj->items) {
			const char *id = azjson_str(it, "name");
			if (!id)
				continue;
			bool rights = false;
			const cJSON *perm, *act;
			cJSON_ArrayForEach(perm, azjson_get(it, "properties.permissions"))
				cJSON_ArrayForEach(act, cJSON_GetObjectItemCaseSensitive(perm, "dataActions"))
					if (cJSON_IsString(act) &&
					    (strstr(act->valuestring, "/keys/") ||
					     strstr(act->valuestring, "/roleAssignments/write") ||
					     strstr(act->valuestring, "/roleDefinitions/write") ||
					     strcmp(act->valuestring, "*") == 0))
						rights = true;
			d[*n].id = id;
			d[*n].name = azjson_str(it, "properties.roleName");
			d[(*n)++].key_rights = rights;
		}
	}
	for (size_t b = 0; b < CK_ARRAY_LEN(mhsm_builtin); b++) {
		bool listed = false;
		for (size_t i = 0; i < *n; i++)
			listed |= util_strcaseeq(d[i].id, mhsm_builtin[b].id);
		if (listed)
			continue;
		d[*n].id = mhsm_builtin[b].id;
		d[*n].name = mhsm_builtin[b].name;
		d[(*n)++].key_rights = true;
	}
	return d;
}

struct mhsm_expect {
	char *who;                /* UPN, "app (name)", or object ID */
	const char *object_id;    /* NULL: not resolved */
	bool missing;             /* Graph: no such principal */
	const char *role_id;
	const char *role;         /* finding role: "administrator", ... */
	int workload;             /* apps: the workload; -1 otherwise */
	bool seen;                /* an assignment covers the whole HSM (or all its keys) */
	bool *keys;               /* apps: per-key assignments seen, by DEP */
};

static const char *mhsm_last(const char *id)
{
	const char *s = id ? strrchr(id, '/') : NULL;
	return s ? s + 1 : id;
}

static const char *mhsm_role_name(const struct mhsm_def *d, size_t nd, const char *id)
{
	for (size_t i = 0; i < nd; i++)
		if (util_strcaseeq(d[i].id, id))
			return d[i].name ? d[i].name : id;
	return id;
}

static size_t mhsm_expectations(struct audit *a, const struct audit_job *j,
				const struct audit_jobs *jobs, struct mhsm_expect **out)
{
	const struct plan *p = a->plan;
	const struct inventory *inv = a->inv;
	int side = j->side;
	size_t cap = p->sub[side].n_administrators + p->hsm.n_administrators[side] + inv->n_deps;
	struct mhsm_expect *ex = xcalloc(cap + 1, sizeof(*ex));
	size_t n = 0;
	for (size_t i = 0; i < p->sub[side].n_administrators; i++) {
		const char *upn = p->sub[side].administrators[i];
		const struct audit_job *g = audit_graph(jobs, side, AJ_GRAPH_USER, upn);
		ex[n] = (struct mhsm_expect){ xstrdup(upn), g ? g->object_id : NULL,
					      g && g->graph_missing, MHSM_ROLE_CRYPTO_USER,
					      "administrator", -1, false, NULL };
		n++;
	}
	for (size_t i = 0; i < p->hsm.n_administrators[side]; i++) {
		const char *oid = p->hsm.administrators[side][i];
		ex[n++] = (struct mhsm_expect){ xstrdup(oid), oid, false, MHSM_ROLE_ADMIN,
						"initial administrator", -1, false, NULL };
	}
	for (size_t d = 0; d < inv->n_deps; d++) {
		enum plan_workload w = inv->deps[d].workload;
		bool dup = false;
		for (size_t i = 0; i < n; i++)
			dup |= ex[i].workload == (int)w;
		if (dup)
			continue;
		const char *app = plan_workload_app_id(w);
		const struct audit_job *g = audit_graph(jobs, side, AJ_GRAPH_SP, app);
		ex[n] = (struct mhsm_expect){ xasprintf("%s (%s)", plan_workload_app_name(w), app),
					      g ? g->object_id : NULL, g && g->graph_missing,
					      MHSM_ROLE_SERVICE, "service principal", (int)w, false,
					      xcalloc(inv->n_deps + 1, sizeof(bool)) };
		n++;
	}
	*out = ex;
	return n;
}

/* An app's assignment at /keys/NAME covers the DEPs whose key NAME is. */
static void mhsm_cover_key(const struct inventory *inv, int side, struct mhsm_expect *e,
			   const char *key)
{
	for (size_t d = 0; d < inv->n_deps; d++)
		if ((int)inv->deps[d].workload == e->workload &&
		    util_strcaseeq(inv->deps[d].side[side].key, key))
			e->keys[d] = true;
}

/* A role-assignment finding; role says whose assignment it is about. */
#define MHSM_FINDING(st, role_, ...)                                                     \
	do {                                                                             \
		audit_add(a, j->side, MHSM_KIND, j->label, N_("role assignment"), st,   \
			  __VA_ARGS__);                                                  \
		a->f[a->n - 1].role = role_;                                             \
	} while (0)

static void eval_hsm_roles(struct audit *a, const struct audit_job *j,
			   const struct audit_jobs *jobs)
{
	if (mhsm_list_failed(a, j, N_("role assignment")))
		return;
	size_t nd;
	struct mhsm_def *defs = mhsm_defs(jobs, j->side, &nd);
	struct mhsm_expect *ex;
	size_t ne = mhsm_expectations(a, j, jobs, &ex);
	bool all_known = true;
	for (size_t i = 0; i < ne; i++)
		all_known &= ex[i].object_id != NULL;
	const struct audit_side *sd = &a->side[j->side];
	const cJSON *it;
	cJSON_ArrayForEach(it, j->items) {
		const char *pid = azjson_str(it, "properties.principalId");
		const char *rid = mhsm_last(azjson_str(it, "properties.roleDefinitionId"));
		const char *scope = azjson_str(it, "properties.scope");
		char *vp = mv(pid), *vs = mv(scope);
		char *vr = mv(mhsm_role_name(defs, nd, rid));
		bool whole = util_streq(scope, "/") || util_streq(scope, "/keys");
		const char *key = scope && util_has_prefix(scope, "/keys/") ? scope + 6 : NULL;
		struct mhsm_expect *same = NULL, *principal = NULL;
		for (size_t i = 0; i < ne; i++) {
			if (!ex[i].object_id || !pid || !util_strcaseeq(ex[i].object_id, pid))
				continue;
			principal = &ex[i];
			if (util_strcaseeq(ex[i].role_id, rid))
				same = &ex[i];
		}
		bool rights = true;
		for (size_t i = 0; i < nd; i++)
			if (util_strcaseeq(defs[i].id, rid))
				rights = defs[i].key_rights;
		if (same && (whole || (key && same->keys))) {
			if (whole)
				same->seen = true;
			else
				mhsm_cover_key(a->inv, j->side, same, key);
			MHSM_FINDING(AUDIT_HOLDS, same->role, _("%s holds %s at %s"), same->who, vr, vs);
		} else if (principal && rights) {
			MHSM_FINDING(AUDIT_DRIFT, principal->role,
				     _("%s also holds %s at %s, which the plan does not give it"),
				     principal->who, vr, vs);
		} else if (principal) {
			MHSM_FINDING(AUDIT_HOLDS, principal->role,
				     _("%s also holds %s at %s (no key rights)"), principal->who, vr, vs);
		} else if (sd->expect_app && sd->oid && pid && util_strcaseeq(pid, sd->oid) &&
			   util_strcaseeq(rid, MHSM_ROLE_AUDITOR)) {
			/* a scheduled audit's own application, reading only */
			MHSM_FINDING(AUDIT_HOLDS, "auditor",
				     _("the auditing application %s holds %s at %s (read-only)"), vp, vr,
				     vs);
		} else if (!all_known && rights) {
			MHSM_FINDING(AUDIT_UNCHECKED, "unresolved",
				     _("principal %s holds %s at %s: not every planned principal could "
				       "be resolved, so whether it is one of them is unknown"), vp, vr, vs);
		} else if (rights) {
			MHSM_FINDING(AUDIT_DRIFT, "unplanned",
				     _("principal %s is not in the plan and holds %s at %s"), vp, vr, vs);
		} else {
			MHSM_FINDING(AUDIT_HOLDS, "unplanned",
				     _("principal %s holds %s at %s, which grants no key rights"), vp, vr,
				     vs);
		}
		free(vp);
		free(vs);
		free(vr);
	}
	for (size_t i = 0; i < ne; i++) {
		struct mhsm_expect *e = &ex[i];
		if (!e->seen && e->keys) {
			bool all = true;
			for (size_t d = 0; d < a->inv->n_deps; d++)
				if ((int)a->inv->deps[d].workload == e->workload && !e->keys[d])
					all = false;
			e->seen = all;
		}
		const char *rn = mhsm_role_name(defs, nd, e->role_id);
		if (e->seen)
			;
		else if (e->missing)
			MHSM_FINDING(AUDIT_DRIFT, e->role,
				     _("%s does not exist in the tenant (Microsoft Graph: not found)"),
				     e->who);
		else if (!e->object_id)
			MHSM_FINDING(AUDIT_UNCHECKED, e->role,
				     _("%s: its object ID could not be looked up in Microsoft Graph"),
				     e->who);
		else if (e->keys)
			MHSM_FINDING(AUDIT_DRIFT, e->role,
				     _("%s has no %s assignment covering its keys (the plan gives it one)"),
				     e->who, rn);
		else
			MHSM_FINDING(AUDIT_DRIFT, e->role,
				     _("%s has no %s assignment (the plan gives it one)"), e->who, rn);
		free(e->who);
		free(e->keys);
	}
	free(ex);
	free(defs);
}

/* The side's HSM as ARM showed it, when it is there but not activated: its
 * activation status (caller frees), else NULL (active, or not known). Until
 * its security domain is downloaded an HSM refuses every key and role
 * operation, whatever its data plane answers. */
static char *mhsm_inactive(const struct audit_jobs *jobs, int side)
{
	for (size_t i = 0; i < jobs->n; i++) {
		const struct audit_job *h = &jobs->v[i];
		if (h->kind != AJ_HSM || h->side != side || !h->req || h->req->fail != HTTP_OK ||
		    h->req->status != 200)
			continue;
		const char *err = NULL;
		cJSON *o = azjson_parse(h->req->resp.p, h->req->resp.len, &err);
		const char *act = o ? azjson_str(o, "properties.securityDomainProperties.activationStatus")
				    : NULL;
		char *out = act && !util_strcaseeq(act, "Active") ? mv(act) : NULL;
		cJSON_Delete(o);
		return out;
	}
	return NULL;
}

/* A data-plane job on an HSM that is not activated: drift, said once per
 * job (twice for the roles: the administrators' and the apps'). */
static bool mhsm_eval_inactive(struct audit *a, const struct audit_job *j,
			       const struct audit_jobs *jobs)
{
	if (j->kind == AJ_HSM_DEFS)
		return false;
	char *act = mhsm_inactive(jobs, j->side);
	if (!act)
		return false;
	const char *hsm = a->inv->hsm[j->side];
	if (j->kind == AJ_HSM_KEY) {
		audit_add(a, j->side, N_("key"), j->label, N_("exists"), AUDIT_DRIFT,
			  _("managed HSM %s is not activated (%s): it holds no usable key until its "
			    "security domain is downloaded"), hsm, act);
	} else if (j->kind == AJ_HSM_KEYS) {
		audit_add(a, j->side, MHSM_KIND, j->label, N_("keys held"), AUDIT_DRIFT,
			  _("not activated (%s): no key can be read or created"), act);
	} else {
		audit_add(a, j->side, MHSM_KIND, j->label, N_("role assignment"), AUDIT_DRIFT,
			  _("not activated (%s): the administrators' roles cannot be read or "
			    "assigned until its security domain is downloaded"), act);
		a->f[a->n - 1].role = "administrator";
		audit_add(a, j->side, MHSM_KIND, j->label, N_("role assignment"), AUDIT_DRIFT,
			  _("not activated (%s): the Microsoft 365 apps' roles cannot be read or "
			    "assigned until its security domain is downloaded"), act);
		a->f[a->n - 1].role = "service principal";
	}
	free(act);
	return true;
}

static void mhsm_eval_job(struct audit *a, const struct audit_job *j, const struct audit_jobs *jobs)
{
	if (j->kind != AJ_HSM && mhsm_eval_inactive(a, j, jobs))
		return;
	switch (j->kind) {
	case AJ_HSM:
		eval_hsm(a, j);
		break;
	case AJ_HSM_KEY:
		eval_hsm_key(a, j);
		break;
	case AJ_HSM_KEYS:
		eval_hsm_keys(a, j);
		break;
	case AJ_HSM_ROLES:
		eval_hsm_roles(a, j, jobs);
		break;
	default: /* AJ_HSM_DEFS: read by the role assignments */
		break;
	}
}

void audit_hsm_eval(struct audit *a, const struct audit_jobs *jobs)
{
	for (size_t i = 0; i < jobs->n; i++)
		if (jobs->v[i].kind >= AJ_HSM)
			mhsm_eval_job(a, &jobs->v[i], jobs);
}
