/* perform_hsm.c: --execute for a plan whose keys are in Managed HSMs: the
 * HSM itself (hsm.create: ARM PUT of Microsoft.KeyVault/managedHSMs, a
 * long-running operation, with purge protection and the plan's retention and
 * initial administrators) and its keys (key.create: POST .../keys/NAME/create
 * on the HSM's data plane). Like every write, each looks first: an HSM or key
 * already as planned is recorded as found, one that exists but differs is
 * reported and never overwritten (backend_write.c, as for vaults). The role steps: perform_hsm_roles.c; the
 * key backups: the vaults' own (backend_perform_vault.c) on the HSM's data
 * plane; the activation (the security-domain download): perform_hsm_sd.c.
 * Request shapes: managedHsm.json (ManagedHsm_CreateOrUpdate.json: 202 with
 * Location) and the Key Vault data plane 7.5 (CreateKey), doc/azure.md. */
#include "ck.h"
#include "azure/backend_rest_int.h"
#include "azure/perform_hsm.h"
#include "azure/rest.h"
#include "azure/results.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

enum ph_kind { PH_NONE, PH_CREATE, PH_KEY, PH_BACKUP };

static enum ph_kind ph_kind(const struct step *s)
{
	if (util_streq(s->template_id, "hsm.create"))
		return PH_CREATE;
	if (util_streq(s->template_id, "key.create") && s->check.vault && s->check.key)
		return PH_KEY;
	/* the vaults' BackupKey, on the HSM's data plane (backend_perform_vault.c) */
	if ((util_streq(s->template_id, "key.backup") ||
	     util_streq(s->template_id, "manage.roll_backup")) && s->check.vault && s->check.key)
		return PH_BACKUP;
	return PH_NONE;
}

bool rest_hsm_writes(const struct step *s)
{
	return ph_kind(s) != PH_NONE || rest_hsm_roles_kind(s) != 0 || rest_hsm_sd_kind(s);
}

/* A backup is the vaults' code with the HSM's host and token; without the
 * HSM's data plane (no hsm-suffix) it is not written. */
static bool ph_backup(const struct rest_state *st, const struct step *s)
{
	return ph_kind(s) == PH_BACKUP && st->ep->hsm_suffix;
}

struct ph_req {
	const char *method;
	char *url;            /* the write */
	char *look;           /* GET: is it there already? */
	cJSON *fields;        /* what the owner authorizes */
	char *body;
	enum az_resource res; /* whose token */
};

static void ph_free(struct ph_req *q)
{
	free(q->url);
	free(q->look);
	cJSON_Delete(q->fields);
	free(q->body);
}

static cJSON *ph_hsm_fields(const struct rest_state *st, int side)
{
	const struct plan *p = st->plan;
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "location", p->hsm.regions.region[side]);
	cJSON *sku = cJSON_AddObjectToObject(f, "sku");
	cJSON_AddStringToObject(sku, "family", "B");
	cJSON_AddStringToObject(sku, "name", "Standard_B1");
	cJSON *pr = cJSON_AddObjectToObject(f, "properties");
	cJSON_AddStringToObject(pr, "tenantId", p->org.tenant_id);
	cJSON *adm = cJSON_AddArrayToObject(pr, "initialAdminObjectIds");
	for (size_t i = 0; i < p->hsm.n_administrators[side]; i++)
		cJSON_AddItemToArray(adm, cJSON_CreateString(p->hsm.administrators[side][i]));
	cJSON_AddBoolToObject(pr, "enableSoftDelete", true);
	cJSON_AddNumberToObject(pr, "softDeleteRetentionInDays", (double)p->kv.retention_days);
	cJSON_AddBoolToObject(pr, "enablePurgeProtection", true);
	return f;
}

static cJSON *ph_key_fields(const struct rest_state *st)
{
	const struct plan *p = st->plan;
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "kty", p->kv.key_type);
	cJSON_AddNumberToObject(f, "key_size", (double)p->kv.key_size);
	cJSON *ops = cJSON_AddArrayToObject(f, "key_ops");
	cJSON_AddItemToArray(ops, cJSON_CreateString("wrapKey"));
	cJSON_AddItemToArray(ops, cJSON_CreateString("unwrapKey"));
	cJSON *at = cJSON_AddObjectToObject(f, "attributes");
	cJSON_AddBoolToObject(at, "enabled", true);
	return f;
}

/* The one request of step s, or -1 when ckwizard does not write it (an
 * imported key, no HSM suffix, not one of these steps). */
static int ph_build(const struct rest_state *st, const struct step *s, struct ph_req *q)
{
	const struct plan *p = st->plan;
	const struct inventory *inv = st->inv;
	int side = s->check.side;
	memset(q, 0, sizeof(*q));
	if ((side != CK_SIDE_A && side != CK_SIDE_B) || !inv->hsm[side])
		return -1;
	switch (ph_kind(s)) {
	case PH_CREATE:
		q->method = "PUT";
		q->url = arm_url_managed_hsm(st->ep, p->sub[side].id, inv->hsm_rg[side], inv->hsm[side]);
		q->look = xstrdup(q->url);
		q->fields = ph_hsm_fields(st, side);
		q->res = AZ_RES_ARM;
		break;
	case PH_KEY: {
		/* an imported key (BYOK) comes from the customer's own HSM: guided */
		if (!st->ep->hsm_suffix || !util_streq(p->kv.key_source, "create"))
			return -1;
		q->method = "POST";
		q->url = dp_url(st->ep, DP_HSM, inv->hsm[side], DP_KEY_CREATE, s->check.key);
		q->look = mhsm_url_key(st->ep, inv->hsm[side], s->check.key);
		q->fields = ph_key_fields(st);
		q->res = AZ_RES_HSM;
		break;
	}
	case PH_NONE:
	default:
		return -1;
	}
	char *body = cJSON_PrintUnformatted(q->fields);
	q->body = xstrdup(body);
	cJSON_free(body);
	return 0;
}

int rest_hsm_describe(struct rest_state *st, const struct step *s, char **requests, char **err)
{
	if (rest_hsm_roles_kind(s))
		return rest_hsm_roles_describe(st, s, requests, err);
	if (ph_backup(st, s))
		return rest_vault_describe(st, s, time(NULL), requests, err);
	if (rest_hsm_sd_kind(s))
		return rest_hsm_sd_describe(st, s, requests, err);
	struct ph_req q;
	if (ph_build(st, s, &q) < 0) {
		ph_free(&q);
		*err = xstrdup(_("ckwizard does not write this step of a Managed HSM plan"));
		return 1;
	}
	*requests = rest_write_describe(st, q.method, q.url, q.fields);
	q.fields = NULL;
	ph_free(&q);
	return 0;
}

int rest_hsm_perform(struct backend *b, const struct step *s, time_t now, struct check_result *r)
{
	if (rest_hsm_roles_kind(s))
		return rest_hsm_roles_perform(b, s, now, r);
	struct rest_state *st = b->state;
	if (ph_backup(st, s) && rest_vault_perform(b, s, now, r) == 0)
		return 0;
	if (rest_hsm_sd_kind(s))
		return rest_hsm_sd_perform(b, s, now, r);
	int side = s->check.side;
	struct ph_req q;
	if (ph_build(st, s, &q) < 0) {
		ph_free(&q);
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NO_LIVE_CHECK);
		return 0;
	}
	if (!st->signed_in[side]) {
		ph_free(&q);
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NOT_SIGNED_IN, ck_side_letter(side));
		return 0;
	}
	const struct rest_write w = {
		.method = q.method,
		.url = q.url,
		.look = q.look,
		.body = q.body,
		.res = q.res,
		.pending_found = false,
	};
	rest_write_perform(b, s, now, &w, ph_kind(s) == PH_KEY ? s->check.key : s->check.vault, r);
	ph_free(&q);
	return 0;
}
