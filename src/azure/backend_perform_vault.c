/* backend_perform_vault.c: --execute's writes inside a vault that take more
 * than one request or write a file (backend_rest_int.h):
 *  - access policies (vault.admins, vault.service): each planned principal
 *    (an administrator's UPN, the Microsoft 365 service principal's app ID)
 *    is resolved to its object ID through Microsoft Graph, because access
 *    policies name object IDs; each gets its own ARM accessPolicies "add"
 *    with exactly the planned key permissions and nothing else. A principal
 *    already holding exactly those is found; one holding anything else is
 *    reported and left alone ("replace" would overwrite it, so it is never
 *    sent).
 *  - the key backup (key.backup, manage.roll_backup): the data plane's
 *    BackupKey, its blob written to the plan's backup file name for today
 *    in the working directory, created 0600 and never over an existing
 *    file; the result names the file and its SHA-256 for the evidence. A
 *    Managed HSM plan's key backups come here too (perform_hsm.c hands them
 *    on): the same BackupKey on the HSM's data plane, with its token.
 * Shapes: Azure/azure-rest-api-specs (Microsoft.KeyVault vaults
 * accessPolicies, Key Vault data plane 7.5 BackupKey; Microsoft Graph
 * servicePrincipals(appId=)), see doc/azure.md. */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/backend_rest_int.h"
#include "azure/rest.h"
#include "azure/results.h"
#include "hash.h"
#include "inventory.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum pv_kind { PV_NONE, PV_ADMINS, PV_SERVICE, PV_BACKUP };

static enum pv_kind pv_kind(const struct step *s)
{
	if (!s->check.vault || (s->check.side != CK_SIDE_A && s->check.side != CK_SIDE_B))
		return PV_NONE;
	if (util_streq(s->template_id, "vault.admins"))
		return PV_ADMINS;
	if (util_streq(s->template_id, "vault.service") && s->dep)
		return PV_SERVICE;
	if ((util_streq(s->template_id, "key.backup") ||
	     util_streq(s->template_id, "manage.roll_backup")) && s->check.key && s->dep)
		return PV_BACKUP;
	return PV_NONE;
}

/* One principal of an access-policy step: who (as the plan names it), its
 * object ID, and the key permissions it is to hold. */
struct pv_principal {
	const char *who;
	char *oid;
	const char *const *keys;
	size_t n_keys;
};

static const char *const pv_service_keys[] = { "wrapKey", "unwrapKey", "get" };

/* Why a principal's object ID is missing: each is told apart, as nothing
 * has been sent yet. No token: the authorization stands (rest_no_token).
 * Graph knows no such object: the plan names someone who is not there.
 * Any other failure of the look: unknown, not refused. */
enum pv_graph_fail { PV_GRAPH_NO_TOKEN, PV_GRAPH_NOT_FOUND, PV_GRAPH_LOOK_FAILED };

/* GET url with side's Graph token: the object's "id", or NULL with *err
 * and *why. */
static char *pv_graph_id(struct rest_state *st, int side, const char *url, const char *who,
			 time_t now, char **err, enum pv_graph_fail *why)
{
	const struct az_token *t = az_cred_token(&st->cred[side], AZ_RES_GRAPH, now, err);
	*why = PV_GRAPH_NO_TOKEN;
	if (!t)
		return NULL;
	char *what = xasprintf(_("%s in Microsoft Graph"), who);
	struct http_req *r = http_req_new("GET", url, side, what);
	free(what);
	r->token = t;
	http_run(&st->http, &r, 1);
	char *id = NULL;
	const char *perr = NULL;
	if (r->fail == HTTP_OK && r->status == 200) {
		cJSON *o = azjson_parse(r->resp.p, r->resp.len, &perr);
		const char *v = o ? azjson_str(o, "id") : NULL;
		if (v && *v)
			id = xstrdup(v);
		else if (o)
			perr = _("no id in the answer");
		cJSON_Delete(o);
	}
	*why = r->fail == HTTP_OK && r->status == 404 ? PV_GRAPH_NOT_FOUND : PV_GRAPH_LOOK_FAILED;
	if (!id && perr) {
		*err = xasprintf(_("the object ID of %s could not be read: the answer is unusable: "
				   "%s; run again"), who, perr);
	} else if (!id) {
		char *d = http_describe(r);
		*err = xasprintf(_("the object ID of %s could not be read: %s"), who, d);
		free(d);
	}
	http_req_free(r);
	return id;
}

static void pv_principals_free(struct pv_principal *pp, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(pp[i].oid);
	free(pp);
}

/* The principals of an access-policy step, their object IDs resolved;
 * NULL with *err. */
static struct pv_principal *pv_principals(struct rest_state *st, const struct step *s,
					  enum pv_kind k, time_t now, size_t *n, char **err,
					  enum pv_graph_fail *why)
{
	const struct plan *p = st->plan;
	int side = s->check.side;
	struct pv_principal *pp;
	*why = PV_GRAPH_NO_TOKEN;
	if (!st->signed_in[side]) {
		*err = xasprintf(_("subscription %c is not signed in"), ck_side_letter(side));
		return NULL;
	}
	if (k == PV_ADMINS) {
		*n = p->sub[side].n_administrators;
		pp = xcalloc(*n ? *n : 1, sizeof(*pp));
		for (size_t i = 0; i < *n; i++) {
			pp[i].who = p->sub[side].administrators[i];
			pp[i].keys = (const char *const *)p->kv.admin_permissions;
			pp[i].n_keys = p->kv.n_admin_permissions;
			char *url = graph_url_user(st->ep, pp[i].who);
			pp[i].oid = pv_graph_id(st, side, url, pp[i].who, now, err, why);
			free(url);
			if (!pp[i].oid) {
				pv_principals_free(pp, *n);
				return NULL;
			}
		}
		return pp;
	}
	*n = 1;
	pp = xcalloc(1, sizeof(*pp));
	pp->who = plan_workload_app_id(s->dep->workload);
	pp->keys = pv_service_keys;
	pp->n_keys = CK_ARRAY_LEN(pv_service_keys);
	char *url = graph_url_service_principal(st->ep, pp->who);
	pp->oid = pv_graph_id(st, side, url, pp->who, now, err, why);
	free(url);
	if (!pp->oid) {
		pv_principals_free(pp, 1);
		return NULL;
	}
	return pp;
}

static char *pv_policy_url(const struct rest_state *st, const struct step *s)
{
	char *v = arm_url_vault(st->ep, st->plan->sub[s->check.side].id, s->check.resource_group,
				s->check.vault);
	char *q = strchr(v, '?');
	*q = 0;
	char *u = xasprintf("%s/accessPolicies/add?%s", v, q + 1);
	free(v);
	return u;
}

/* The body of one "add": the principal alone, with exactly its key
 * permissions and none of any other kind. */
static cJSON *pv_policy(const struct rest_state *st, const struct pv_principal *pp)
{
	cJSON *pol = cJSON_CreateObject();
	cJSON_AddStringToObject(pol, "tenantId", st->plan->org.tenant_id);
	cJSON_AddStringToObject(pol, "objectId", pp->oid);
	cJSON *perm = cJSON_AddObjectToObject(pol, "permissions");
	cJSON *keys = cJSON_AddArrayToObject(perm, "keys");
	for (size_t i = 0; i < pp->n_keys; i++)
		cJSON_AddItemToArray(keys, cJSON_CreateString(pp->keys[i]));
	cJSON_AddArrayToObject(perm, "secrets");
	cJSON_AddArrayToObject(perm, "certificates");
	cJSON_AddArrayToObject(perm, "storage");
	return pol;
}

static char *pv_backup_name(const struct step *s, time_t now)
{
	char day[16];
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y%m%d", &tm);
	return inventory_backup_name(&s->dep->side[s->check.side], day);
}

/* An HSM plan's check.vault is the HSM (catalogue.c): its key lives on the
 * HSM's data plane, behind the HSM's token. */
static bool pv_in_hsm(const struct rest_state *st)
{
	return plan_uses_hsm(st->plan);
}

static char *pv_backup_url(const struct rest_state *st, const struct step *s)
{
	return dp_url(st->ep, pv_in_hsm(st) ? DP_HSM : DP_VAULT, s->check.vault, DP_KEY_BACKUP,
		      s->check.key);
}

int rest_vault_describe(struct rest_state *st, const struct step *s, time_t now, char **requests,
			char **err)
{
	enum pv_kind k = pv_kind(s);
	if (k == PV_NONE)
		return 1;
	cJSON *a = cJSON_CreateArray();
	if (k == PV_BACKUP) {
		char *url = pv_backup_url(st, s), *file = pv_backup_name(s, now);
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "method", "POST");
		cJSON_AddStringToObject(r, "path", rest_signed_path(st->ep, url));
		cJSON *f = cJSON_AddObjectToObject(r, "fields");
		cJSON_AddStringToObject(f, "file", file);
		cJSON_AddItemToArray(a, r);
		free(url);
		free(file);
	} else {
		size_t n = 0;
		enum pv_graph_fail gf;
		struct pv_principal *pp = pv_principals(st, s, k, now, &n, err, &gf);
		if (!pp) {
			cJSON_Delete(a);
			return -1;
		}
		char *url = pv_policy_url(st, s);
		for (size_t i = 0; i < n; i++) {
			cJSON *r = cJSON_CreateObject();
			cJSON_AddStringToObject(r, "method", "PUT");
			cJSON_AddStringToObject(r, "path", rest_signed_path(st->ep, url));
			cJSON *f = cJSON_AddObjectToObject(r, "fields");
			cJSON_AddStringToObject(f, "principal", pp[i].who);
			cJSON_AddItemToObject(f, "accessPolicy", pv_policy(st, &pp[i]));
			cJSON_AddItemToArray(a, r);
		}
		free(url);
		pv_principals_free(pp, n);
	}
	*requests = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return 0;
}

/* Does policy pol grant exactly the key permissions of pp, and nothing of
 * another kind? Permission names compare ignoring case, as Azure does. */
static bool pv_exact(const struct az_policy *pol, const struct pv_principal *pp)
{
	if (pol->n_secrets || pol->n_certificates || pol->n_storage || pol->n_keys != pp->n_keys)
		return false;
	for (size_t i = 0; i < pp->n_keys; i++) {
		bool has = false;
		for (size_t j = 0; j < pol->n_keys && !has; j++)
			has = util_strcaseeq(pol->keys[j], pp->keys[i]);
		if (!has)
			return false;
	}
	return true;
}

/* Sends one request: its outcome as a check result status; *why on failure. */
static bool pv_send(struct rest_state *st, const char *method, const char *url, const char *body,
		    const struct az_token *t, int side, const char *what, struct http_req **out)
{
	struct http_req *w = http_req_new(method, url, side, what);
	http_req_set_body(w, "application/json", body ? body : "", body ? strlen(body) : 0);
	w->token = t;
	http_run(&st->http, &w, 1);
	*out = w;
	return w->fail == HTTP_OK && w->status >= 200 && w->status < 300;
}

static void pv_fail_http(struct check_result *r, const char *name, struct http_req *w)
{
	char *d = http_describe(w);
	rest_write_failed(r, name, d);
	free(d);
}

static void pv_access_perform(struct rest_state *st, const struct step *s, enum pv_kind k,
			      time_t now, struct check_result *r)
{
	int side = s->check.side;
	const char *vault = s->check.vault;
	char *err = NULL, *vurl = NULL, *purl = NULL, *what = NULL;
	struct buf d = BUF_INIT, wrong = BUF_INIT;
	size_t n = 0, written = 0;
	struct az_vault v;
	memset(&v, 0, sizeof(v));
	enum pv_graph_fail gf = PV_GRAPH_NO_TOKEN;
	struct pv_principal *pp = pv_principals(st, s, k, now, &n, &err, &gf);
	const struct az_token *t = pp ? az_cred_token(&st->cred[side], AZ_RES_ARM, now, &err) : NULL;
	if (!t) { /* nothing has been sent yet, whichever failed */
		if (gf == PV_GRAPH_NOT_FOUND && !pp) {
			rest_write_failed(r, vault, err);
		} else if (gf == PV_GRAPH_LOOK_FAILED && !pp) {
			r->status = CHECK_UNAVAILABLE;
			check_result_set(r, R_REST_NOT_LOOKED, vault, err ? err : "?");
		} else {
			rest_no_token(r, err);
		}
		goto done;
	}
	/* look first: the vault's policies as they are */
	vurl = arm_url_vault(st->ep, st->plan->sub[side].id, s->check.resource_group, vault);
	what = xasprintf(_("vault %s (%c)"), vault, ck_side_letter(side));
	struct http_req *g = http_req_new("GET", vurl, side, what);
	g->token = t;
	http_run(&st->http, &g, 1);
	const char *perr = NULL;
	cJSON *o = g->fail == HTTP_OK && g->status == 200 ? azjson_parse(g->resp.p, g->resp.len, &perr)
							  : NULL;
	if (!o || azjson_vault(o, &v, &perr) < 0) {
		cJSON_Delete(o);
		char *why;
		if (g->fail == HTTP_OK && g->status == 200)
			why = xasprintf(_("%s: the answer is unusable: %s; run again"), what,
					perr ? perr : "?");
		else
			why = http_describe(g);
		if (g->fail == HTTP_OK && g->status == 404) {
			/* no such vault: its policies cannot be written */
			rest_write_failed(r, vault, why);
		} else {
			/* a fault of the look is not a refused write: nothing was
			 * sent, and the policies are unknown */
			r->status = CHECK_UNAVAILABLE;
			check_result_set(r, R_REST_NOT_LOOKED, vault, why);
		}
		free(why);
		http_req_free(g);
		goto done;
	}
	cJSON_Delete(o);
	http_req_free(g);
	bool *absent = xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < n; i++) {
		const struct az_policy *pol = NULL;
		for (size_t j = 0; j < v.n_policies && !pol; j++)
			if (util_strcaseeq(v.policies[j].object_id, pp[i].oid))
				pol = &v.policies[j];
		if (!pol)
			absent[i] = true;
		else if (!pv_exact(pol, &pp[i]))
			buf_printf(&wrong, "%s%s", wrong.len ? ", " : "", pp[i].who);
	}
	if (wrong.len) { /* never overwritten: nothing is sent */
		r->status = CHECK_FAIL;
		char *why = xasprintf(_("the access policy of %s grants other permissions than "
					"planned"), buf_str(&wrong));
		check_result_set(r, R_REST_EXISTS_WRONG, vault, why);
		free(why);
		free(absent);
		goto done;
	}
	purl = pv_policy_url(st, s);
	for (size_t i = 0; i < n; i++) {
		if (!absent[i]) {
			buf_printf(&d, "%s (object %s): found as planned\n", pp[i].who, pp[i].oid);
			continue;
		}
		cJSON *b = cJSON_CreateObject(), *props = cJSON_AddObjectToObject(b, "properties");
		cJSON *arr = cJSON_AddArrayToObject(props, "accessPolicies");
		cJSON_AddItemToArray(arr, pv_policy(st, &pp[i]));
		char *body = cJSON_PrintUnformatted(b);
		cJSON_Delete(b);
		struct http_req *w = NULL;
		bool ok = pv_send(st, "PUT", purl, body, t, side, what, &w);
		free(body);
		if (!ok) {
			char *hd = http_describe(w);
			char *why = xasprintf(_("the access policy of %s: %s"), pp[i].who, hd);
			rest_write_failed(r, vault, why);
			free(why);
			free(hd);
			http_req_free(w);
			free(absent);
			goto done;
		}
		buf_printf(&d, "%s (object %s): added, HTTP %ld\n", pp[i].who, pp[i].oid, w->status);
		http_req_free(w);
		written++;
	}
	free(absent);
	buf_printf(&d, "observed by: %s\n", st->identity[side] ? st->identity[side] : "?");
	r->status = CHECK_PASS;
	if (!written) {
		check_result_set(r, R_REST_FOUND, vault);
	} else {
		char *name = xasprintf(_("access policies of vault %s (%zu of %zu)"), vault, written, n);
		check_result_set(r, R_REST_WRITTEN, name, "200");
		free(name);
	}
	r->detail = buf_steal(&d);
done:
	if (pp)
		pv_principals_free(pp, n);
	az_vault_clear(&v);
	buf_free(&d);
	buf_free(&wrong);
	free(vurl);
	free(purl);
	free(what);
	free(err);
}

static void pv_backup_perform(struct rest_state *st, const struct step *s, time_t now,
			      struct check_result *r)
{
	int side = s->check.side;
	char *err = NULL, *file = pv_backup_name(s, now), *url = pv_backup_url(st, s);
	char *name = xasprintf(_("backup of key %s"), s->check.key);
	unsigned char *blob = NULL;
	const struct az_token *t = az_cred_token(&st->cred[side],
						 pv_in_hsm(st) ? AZ_RES_HSM : AZ_RES_VAULT, now, &err);
	if (!t) { /* nothing sent: the authorization stands (rest_no_token) */
		rest_no_token(r, err);
		goto done;
	}
	if (rest_file_free(file, REST_FILE_BACKUP, &err) < 0) {
		rest_write_failed(r, name, err);
		goto done;
	}
	char *what = xasprintf(pv_in_hsm(st) ? _("key %s in managed HSM %s (%c)")
					      : _("key %s in vault %s (%c)"),
			       s->check.key, s->check.vault, ck_side_letter(side));
	struct http_req *w = NULL;
	bool ok = pv_send(st, "POST", url, NULL, t, side, what, &w);
	free(what);
	const char *perr = NULL;
	cJSON *o = ok ? azjson_parse(w->resp.p, w->resp.len, &perr) : NULL;
	const char *v = o ? azjson_str(o, "value") : NULL;
	long len = -1;
	if (v) {
		size_t vn = strlen(v);
		blob = xmalloc(3 * vn / 4 + 3);
		len = azjson_b64url_decode(v, vn, blob, 3 * vn / 4 + 3);
	}
	cJSON_Delete(o);
	if (!ok) {
		pv_fail_http(r, name, w);
	} else if (len <= 0) {
		char *why = xasprintf(_("Azure's answer holds no backup blob (%s): no file was "
					"written; run the step again"),
				      perr ? perr : _("no usable value in the answer"));
		rest_write_failed(r, name, why);
		free(why);
	} else if (rest_write_new(file, REST_FILE_BACKUP, blob, (size_t)len, &err) < 0) {
		rest_write_failed(r, name, err);
	} else {
		char hex[HASH_SHA256_HEX_LEN + 1];
		hash_sha256_hex(blob, (size_t)len, hex);
		r->status = CHECK_PASS;
		check_result_set(r, R_REST_BACKUP_WRITTEN, s->check.key, file, hex);
		rest_backup_remember(st, s, file, hex, now);
		r->detail = xasprintf("backup file: %s\nsha256: %s\nbytes: %ld\nobserved by: %s\n",
				      file, hex, len, st->identity[side] ? st->identity[side] : "?");
	}
	http_req_free(w);
done:
	free(blob);
	free(name);
	free(file);
	free(url);
	free(err);
}

int rest_vault_perform(struct backend *b, const struct step *s, time_t now,
		       struct check_result *r)
{
	struct rest_state *st = b->state;
	enum pv_kind k = pv_kind(s);
	if (k == PV_NONE)
		return 1;
	if (!st->signed_in[s->check.side]) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NOT_SIGNED_IN, ck_side_letter(s->check.side));
		return 0;
	}
	if (k == PV_BACKUP)
		pv_backup_perform(st, s, now, r);
	else
		pv_access_perform(st, s, k, now, r);
	return 0;
}
