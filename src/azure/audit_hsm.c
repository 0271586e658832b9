/* audit_hsm.c: auditing a plan whose keys are in Managed HSMs. Per side:
 * the ARM resource Microsoft.KeyVault/managedHSMs (provisioning, security
 * domain activation, region, tenant, SKU, soft delete, purge protection,
 * initial administrators), each DEP's key on the HSM's data plane, the keys
 * it holds, and (audit_hsm_roles.c) its local RBAC. doc/azure.md lists the
 * fields and their sources. */
#include "ck.h"
#include "azure/audit_int.h"
#include "azure/azjson.h"
#include "azure/rest.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MHSM_KIND AUDIT_KIND_HSM

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

/* An HSM's keys with purge protection read Recoverable; the
 * +ProtectedSubscription form is accepted as well (doc/steps.md). */
static const char *const mhsm_levels[] = { "Recoverable", "Recoverable+ProtectedSubscription" };
static const struct audit_key_store mhsm_keys = {
	.uri = mhsm_key_uri,
	.levels = mhsm_levels,
	.n_levels = CK_ARRAY_LEN(mhsm_levels),
	.level_want = "Recoverable",
	.expiry = false,
};

static void eval_hsm_key(struct audit *a, const struct audit_job *j)
{
	audit_key_eval(a, j, &mhsm_keys, a->inv->hsm[j->side], j->label);
}

static void eval_hsm_keys(struct audit *a, const struct audit_job *j)
{
	if (audit_hsm_list_failed(a, j, N_("keys held")))
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
		audit_hsm_roles(a, j, jobs);
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
