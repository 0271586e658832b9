/* audit_hsm_roles.c: a Managed HSM's local RBAC against the plan: its role
 * assignments at the scope "/" (every one of the HSM's), the role
 * definitions to tell which roles carry key rights, the principals the plan
 * names resolved through Graph. doc/azure.md lists what holds. */
#include "ck.h"
#include "azure/audit_int.h"
#include "azure/azjson.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MHSM_KIND AUDIT_KIND_HSM

static char *mv(const char *s)
{
	return text_visible_line(s ? s : "(absent)");
}

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


/* A list job's failure as a finding; true when there is nothing to judge. */
bool audit_hsm_list_failed(struct audit *a, const struct audit_job *j, const char *check)
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

void audit_hsm_roles(struct audit *a, const struct audit_job *j, const struct audit_jobs *jobs)
{
	if (audit_hsm_list_failed(a, j, N_("role assignment")))
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
		/* the role's name as the HSM's definitions give it: shown made
		 * visible, as every value of an answer is (mv) */
		char *rn = mv(mhsm_role_name(defs, nd, e->role_id));
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
		free(rn);
		free(e->who);
		free(e->keys);
	}
	free(ex);
	free(defs);
}
