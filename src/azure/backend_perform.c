/* backend_perform.c: --execute over REST: what a step writes (described
 * first, for its owner to authorize), then the write itself. Each write
 * looks before it writes: a resource already as planned is recorded as
 * found; one that exists but differs is reported and never overwritten.
 * Written here, one request a step: registering the retention feature and
 * the Key Vault provider, creating the resource groups and the vaults
 * (access-policy mode with no access policy at all: the creator gets no
 * permission of its own), creating a key (RSA-HSM of the planned size,
 * wrapKey and unwrapKey, enabled, no expiry) and moving a key's expiry to
 * 9999-12-31 as the expiry step's fix does; each is one request, described
 * and sent by backend_write.c. Access policies and backups take
 * more than one request or write a file: backend_perform_vault.c; the
 * restore task reads the recorded backup: backend_perform_restore.c.
 * Request shapes: Azure/azure-rest-api-specs
 * (Microsoft.Features, Microsoft.Resources, Microsoft.KeyVault vaults, Key
 * Vault data plane 7.5), see doc/azure.md. */
#include "ck.h"
#include "azure/backend_rest_int.h"
#include "azure/rest.h"
#include "azure/results.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

enum perf_kind { PERF_NONE, PERF_FEATURE, PERF_PROVIDER, PERF_RG, PERF_VAULT, PERF_KEY,
		 PERF_KEY_EXPIRY };

/* 9999-12-31T00:00:00Z in seconds: the one expiry Microsoft 365 accepts
 * besides none (the expiry step's fix). */
#define PERF_EXPIRY_9999 253402214400.0

static enum perf_kind perf_kind(const struct step *s)
{
	if (util_streq(s->template_id, "retention.register"))
		return PERF_FEATURE;
	if (util_streq(s->template_id, "provider.register"))
		return PERF_PROVIDER;
	if (util_streq(s->template_id, "rg.create"))
		return PERF_RG;
	if (util_streq(s->template_id, "vault.create"))
		return PERF_VAULT;
	if (util_streq(s->template_id, "key.create") && s->check.vault && s->check.key)
		return PERF_KEY;
	if (util_streq(s->template_id, "key.expiry") && s->check.vault && s->check.key)
		return PERF_KEY_EXPIRY;
	return PERF_NONE;
}

/* The one request of step s: method, URL, the fields of its body (NULL for
 * none), and the body. NULL when the step writes nothing. */
struct perf_req {
	const char *method;
	char *url;
	cJSON *fields;
	char *body;
	enum az_resource res;  /* whose token: ARM, or the vault's data plane */
	char *look_url;        /* GET: is it there already? (NULL: url, for a PUT) */
};

static void perf_req_free(struct perf_req *q)
{
	free(q->look_url);
	free(q->url);
	cJSON_Delete(q->fields);
	free(q->body);
}

static int perf_build(const struct rest_state *st, const struct step *s, struct perf_req *q)
{
	const struct plan *p = st->plan;
	const struct step_check *c = &s->check;
	memset(q, 0, sizeof(*q));
	if (c->side != CK_SIDE_A && c->side != CK_SIDE_B)
		return -1;
	const char *sub = p->sub[c->side].id;
	switch (perf_kind(s)) {
	case PERF_FEATURE: {
		char *base = arm_url_feature(st->ep, sub, ARM_FEATURE_NAMESPACE, ARM_FEATURE_RETENTION);
		char *qm = strchr(base, '?');
		*qm = 0;
		q->url = xasprintf("%s/register?%s", base, qm + 1);
		free(base);
		q->method = "POST";
		q->fields = cJSON_CreateObject();
		return 0;
	}
	case PERF_PROVIDER: {
		char *base = arm_url_provider(st->ep, sub, ARM_PROVIDER_KEYVAULT);
		char *qm = strchr(base, '?');
		*qm = 0;
		q->url = xasprintf("%s/register?%s", base, qm + 1);
		free(base);
		q->method = "POST";
		q->fields = cJSON_CreateObject();
		return 0;
	}
	case PERF_RG:
		q->method = "PUT";
		q->url = arm_url_resource_group(st->ep, sub, c->resource_group);
		q->fields = cJSON_CreateObject();
		cJSON_AddStringToObject(q->fields, "location", c->region);
		q->body = cJSON_PrintUnformatted(q->fields);
		return 0;
	case PERF_VAULT: {
		q->method = "PUT";
		q->url = arm_url_vault(st->ep, sub, c->resource_group, c->vault);
		cJSON *f = q->fields = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "location", c->region);
		cJSON_AddStringToObject(f, "tenantId", p->org.tenant_id);
		cJSON_AddStringToObject(f, "sku", p->kv.sku ? p->kv.sku : "premium");
		cJSON_AddBoolToObject(f, "enableSoftDelete", true);
		cJSON_AddNumberToObject(f, "softDeleteRetentionInDays", (double)p->kv.retention_days);
		cJSON_AddBoolToObject(f, "enablePurgeProtection", true);
		cJSON_AddBoolToObject(f, "enableRbacAuthorization", false);
		cJSON_AddItemToObject(f, "accessPolicies", cJSON_CreateArray());
		cJSON *b = cJSON_CreateObject(), *pr;
		cJSON_AddStringToObject(b, "location", c->region);
		pr = cJSON_AddObjectToObject(b, "properties");
		cJSON_AddStringToObject(pr, "tenantId", p->org.tenant_id);
		cJSON *sku = cJSON_AddObjectToObject(pr, "sku");
		cJSON_AddStringToObject(sku, "family", "A");
		cJSON_AddStringToObject(sku, "name", p->kv.sku ? p->kv.sku : "premium");
		cJSON_AddBoolToObject(pr, "enableSoftDelete", true);
		cJSON_AddNumberToObject(pr, "softDeleteRetentionInDays", (double)p->kv.retention_days);
		cJSON_AddBoolToObject(pr, "enablePurgeProtection", true);
		cJSON_AddBoolToObject(pr, "enableRbacAuthorization", false);
		cJSON_AddItemToObject(pr, "accessPolicies", cJSON_CreateArray());
		q->body = cJSON_PrintUnformatted(b);
		cJSON_Delete(b);
		return 0;
	}
	case PERF_KEY: {
		/* the key bundle's fields as the data plane's CreateKey takes them */
		q->method = "POST";
		q->res = AZ_RES_VAULT;
		q->look_url = kv_url_key(st->ep, c->vault, c->key);
		q->url = dp_url(st->ep, DP_VAULT, c->vault, DP_KEY_CREATE, c->key);
		cJSON *f = q->fields = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "kty", p->kv.key_type ? p->kv.key_type : "RSA-HSM");
		cJSON_AddNumberToObject(f, "key_size", (double)(p->kv.key_size ? p->kv.key_size : 3072));
		cJSON *ops = cJSON_AddArrayToObject(f, "key_ops");
		cJSON_AddItemToArray(ops, cJSON_CreateString("wrapKey"));
		cJSON_AddItemToArray(ops, cJSON_CreateString("unwrapKey"));
		cJSON *at = cJSON_AddObjectToObject(f, "attributes");
		cJSON_AddBoolToObject(at, "enabled", true);
		q->body = cJSON_PrintUnformatted(f);
		return 0;
	}
	case PERF_KEY_EXPIRY: {
		/* UpdateKey on the current version (an empty version segment) */
		q->method = "PATCH";
		q->res = AZ_RES_VAULT;
		q->url = dp_url(st->ep, DP_VAULT, c->vault, DP_KEY_UPDATE, c->key);
		cJSON *f = q->fields = cJSON_CreateObject();
		cJSON *at = cJSON_AddObjectToObject(f, "attributes");
		cJSON_AddNumberToObject(at, "exp", PERF_EXPIRY_9999);
		q->body = cJSON_PrintUnformatted(f);
		return 0;
	}
	case PERF_NONE:
		break;
	}
	return -1;
}

static const char *perf_path(const struct rest_state *st, const char *url)
{
	return rest_signed_path(st->ep, url);
}

int rest_describe(struct backend *b, const struct step *s, char **requests, char **err)
{
	struct rest_state *st = b->state;
	struct perf_req q;
	int vrc = rest_vault_describe(st, s, time(NULL), requests, err);
	if (vrc == 1)
		vrc = rest_restore_describe(st, s, requests, err);
	if (vrc != 1)
		return vrc;
	if (perf_build(st, s, &q) < 0) {
		*err = xstrdup(_("ckwizard does not write this step yet"));
		return 1;
	}
	*requests = rest_write_describe(st, q.method, q.url, q.fields);
	q.fields = NULL;
	perf_req_free(&q);
	return 0;
}

/* A write that Azure answered 2xx counts once the step's own check reads it
 * back as planned (or, a registration, under way); otherwise the step is
 * unconfirmed, never done: a 200 cut short, of another shape or from
 * something that is not Azure proves nothing. */
static void perf_confirm(struct backend *b, const struct step *s, time_t now,
			 struct check_result *r)
{
	if (r->status != CHECK_PASS || !r->code ||
	    strcmp(r->code, result_table[R_REST_WRITTEN].code) != 0)
		return;
	struct check_result after;
	memset(&after, 0, sizeof(after));
	rest_check(b, s, now, &after);
	/* Right after a register Azure says Registering (the observed values
	 * are Azure's words, recorded in English): under way, as asked. */
	if (after.status == CHECK_PASS || after.status == CHECK_PENDING ||
	    (after.detail && strstr(after.detail, "state: Registering"))) {
		check_result_free(&after);
		return;
	}
	char *name = xstrdup(r->n_args > 0 ? r->args[0] : s->id);
	char *status = xstrdup(r->n_args > 1 ? r->args[1] : "2xx");
	check_result_free(r);
	memset(r, 0, sizeof(*r));
	r->status = CHECK_UNAVAILABLE;
	check_result_set(r, R_REST_WRITE_UNCONFIRMED, name, status,
			 after.summary ? after.summary : "?");
	r->detail = after.detail;
	after.detail = NULL;
	check_result_free(&after);
	free(name);
	free(status);
}

static void perf_write(struct backend *b, const struct step *s, time_t now, struct check_result *r);

int rest_perform(struct backend *b, const struct step *s, time_t now, struct check_result *r)
{
	/* the side's tokens were asked for first (rest_perform_step) */
	if (rest_vault_perform(b, s, now, r) != 0 && rest_restore_perform(b, s, now, r) != 0)
		perf_write(b, s, now, r);
	perf_confirm(b, s, now, r);
	return 0;
}

static void perf_write(struct backend *b, const struct step *s, time_t now, struct check_result *r)
{
	struct rest_state *st = b->state;
	struct perf_req q;
	int side = s->check.side;
	if (perf_build(st, s, &q) < 0) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NO_LIVE_CHECK);
		return;
	}
	if (!st->signed_in[side]) {
		perf_req_free(&q);
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NOT_SIGNED_IN, ck_side_letter(side));
		return;
	}
	const char *what = perf_path(st, q.url);
	/* the most particular thing the step writes: its key, else its vault... */
	bool on_key = s->check.kind == CHECK_KEY || s->check.kind == CHECK_KEY_EXPIRY;
	char *name = xstrdup(on_key && s->check.key ? s->check.key
			     : s->check.vault ? s->check.vault
			     : s->check.resource_group ? s->check.resource_group : what);
	/* a create looks for what it makes; a key's create has its own URL
	 * for that, a PUT is read back at its own */
	const struct rest_write w = {
		.method = q.method,
		.url = q.url,
		.look = q.look_url ? q.look_url : strcmp(q.method, "PUT") == 0 ? q.url : NULL,
		.body = q.body,
		.res = q.res,
		.pending_found = true,
	};
	rest_write_perform(b, s, now, &w, name, r);
	free(name);
	perf_req_free(&q);
}
