/* azjson.c: the readers (see azjson.h). */
#include "ck.h"
#include "azure/azjson.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

cJSON *azjson_parse(const char *s, size_t len, const char **err)
{
	size_t bad;
	const char *ignored;
	if (!err) /* a caller that only wants the object: never a NULL write */
		err = &ignored;
	if (!s || len == 0) {
		*err = _("empty response");
		return NULL;
	}
	if (!text_utf8_valid(s, len, &bad) || memchr(s, '\0', len)) {
		*err = _("response is not valid UTF-8 text");
		return NULL;
	}
	/* cJSON turns \u0000 into the end of the string: refuse it outright. */
	for (const char *p = s; (p = memchr(p, '\\', (size_t)(s + len - p))); p += 2) {
		if (p + 5 < s + len && strncmp(p, "\\u0000", 6) == 0) {
			*err = _("response holds a NUL character");
			return NULL;
		}
		if (p + 1 >= s + len)
			break;
	}
	const char *end = NULL;
	cJSON *o = cJSON_ParseWithLengthOpts(s, len, &end, 0);
	if (!o) {
		*err = _("response is not JSON (truncated or malformed)");
		return NULL;
	}
	while (end && end < s + len && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
		end++;
	if (!end || end != s + len) {
		cJSON_Delete(o);
		*err = _("response has bytes after its JSON");
		return NULL;
	}
	return o;
}

const cJSON *azjson_get(const cJSON *o, const char *path)
{
	char part[128];
	while (o && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		if (!cJSON_IsObject(o))
			return NULL;
		o = cJSON_GetObjectItemCaseSensitive(o, part);
		path += n;
		if (*path == '.')
			path++;
	}
	return o;
}

const char *azjson_str(const cJSON *o, const char *path)
{
	const cJSON *v = azjson_get(o, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int azjson_bool(const cJSON *o, const char *path)
{
	const cJSON *v = azjson_get(o, path);
	if (cJSON_IsTrue(v))
		return 1;
	if (cJSON_IsFalse(v))
		return 0;
	return -1;
}

bool azjson_num(const cJSON *o, const char *path, double *out)
{
	const cJSON *v = azjson_get(o, path);
	if (!cJSON_IsNumber(v))
		return false;
	*out = v->valuedouble;
	return true;
}

double azjson_clamp(double v, double lo, double hi)
{
	if (!(v >= lo)) /* NaN too */
		return lo;
	return v > hi ? hi : v;
}

static char *az_dup(const char *s) { return s ? xstrdup(s) : NULL; }

void azjson_error(const char *body, size_t len, char **code, char **message)
{
	*code = *message = NULL;
	const char *err;
	cJSON *o = azjson_parse(body, len, &err);
	if (!o)
		return;
	const cJSON *e = azjson_get(o, "error");
	if (cJSON_IsObject(e)) {
		*code = az_dup(azjson_str(e, "code"));
		*message = az_dup(azjson_str(e, "message"));
		/* Key Vault puts the precise reason one level down. */
		const char *inner = azjson_str(e, "innererror.code");
		if (inner && *code) {
			char *both = xasprintf("%s/%s", *code, inner);
			free(*code);
			*code = both;
		}
	} else if (cJSON_IsString(e)) {
		*code = xstrdup(e->valuestring);
		*message = az_dup(azjson_str(o, "error_description"));
	}
	cJSON_Delete(o);
}

/* ---- subscription ---- */

int azjson_subscription(const cJSON *o, struct az_subscription *s, const char **err)
{
	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(o)) {
		*err = _("not a JSON object");
		return -1;
	}
	s->id = az_dup(azjson_str(o, "subscriptionId"));
	s->tenant = az_dup(azjson_str(o, "tenantId"));
	s->state = az_dup(azjson_str(o, "state"));
	s->quota_id = az_dup(azjson_str(o, "subscriptionPolicies.quotaId"));
	s->display_name = az_dup(azjson_str(o, "displayName"));
	if (!s->state) {
		*err = _("no subscription state in the answer");
		return -1;
	}
	return 0;
}

void az_subscription_clear(struct az_subscription *s)
{
	free(s->id);
	free(s->tenant);
	free(s->state);
	free(s->quota_id);
	free(s->display_name);
	memset(s, 0, sizeof(*s));
}

/* ---- vault ---- */

static char **az_strings(const cJSON *arr, size_t *n)
{
	*n = 0;
	if (!cJSON_IsArray(arr))
		return NULL;
	size_t cap = (size_t)cJSON_GetArraySize(arr);
	char **v = xcalloc(cap + 1, sizeof(char *));
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			v[(*n)++] = xstrdup(it->valuestring);
	return v;
}

static void az_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static size_t az_count(const cJSON *arr)
{
	return cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
}

int azjson_vault(const cJSON *o, struct az_vault *v, const char **err)
{
	memset(v, 0, sizeof(*v));
	const cJSON *p = azjson_get(o, "properties");
	if (!cJSON_IsObject(p)) {
		*err = _("no vault properties in the answer");
		return -1;
	}
	v->name = az_dup(azjson_str(o, "name"));
	v->location = az_dup(azjson_str(o, "location"));
	v->tenant = az_dup(azjson_str(p, "tenantId"));
	v->sku = az_dup(azjson_str(p, "sku.name"));
	v->vault_uri = az_dup(azjson_str(p, "vaultUri"));
	v->provisioning = az_dup(azjson_str(p, "provisioningState"));
	int b = azjson_bool(p, "enableSoftDelete");
	v->soft_delete = b < 0 ? 1 : b;
	if (!azjson_num(p, "softDeleteRetentionInDays", &v->retention))
		v->retention = 90;
	b = azjson_bool(p, "enablePurgeProtection");
	v->purge_protection = b < 0 ? 0 : b;
	b = azjson_bool(p, "enableRbacAuthorization");
	v->rbac = b < 0 ? 0 : b;
	const cJSON *ap = azjson_get(p, "accessPolicies");
	size_t n = az_count(ap);
	v->policies = xcalloc(n + 1, sizeof(*v->policies));
	const cJSON *it;
	cJSON_ArrayForEach(it, ap) {
		if (!cJSON_IsObject(it))
			continue;
		struct az_policy *pol = &v->policies[v->n_policies++];
		pol->tenant = az_dup(azjson_str(it, "tenantId"));
		pol->object_id = az_dup(azjson_str(it, "objectId"));
		pol->app_id = az_dup(azjson_str(it, "applicationId"));
		pol->keys = az_strings(azjson_get(it, "permissions.keys"), &pol->n_keys);
		pol->n_secrets = az_count(azjson_get(it, "permissions.secrets"));
		pol->n_certificates = az_count(azjson_get(it, "permissions.certificates"));
		pol->n_storage = az_count(azjson_get(it, "permissions.storage"));
	}
	if (!v->location) {
		*err = _("no vault location in the answer");
		return -1;
	}
	return 0;
}

void az_vault_clear(struct az_vault *v)
{
	free(v->name);
	free(v->location);
	free(v->tenant);
	free(v->sku);
	free(v->vault_uri);
	free(v->provisioning);
	for (size_t i = 0; i < v->n_policies; i++) {
		free(v->policies[i].tenant);
		free(v->policies[i].object_id);
		free(v->policies[i].app_id);
		az_strings_free(v->policies[i].keys, v->policies[i].n_keys);
	}
	free(v->policies);
	memset(v, 0, sizeof(*v));
}

/* ---- keys ---- */

long azjson_b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap)
{
	while (len && in[len - 1] == '=')
		len--;
	unsigned long acc = 0;
	int bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		int v;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '-' || c == '+')
			v = 62;
		else if (c == '_' || c == '/')
			v = 63;
		else
			return -1;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1UL << bits) - 1;
		}
	}
	if (bits >= 6)
		return -1; /* a lone trailing character cannot be base64 */
	return (long)o;
}

static long az_modulus_bits(const char *n)
{
	if (!n)
		return 0;
	size_t len = strlen(n);
	unsigned char *buf = xmalloc(len);
	long got = azjson_b64url_decode(n, len, buf, len);
	long bits = 0;
	if (got > 0) {
		long i = 0;
		while (i < got && buf[i] == 0)
			i++;
		if (i < got) {
			bits = (got - i) * 8;
			for (unsigned char top = buf[i]; !(top & 0x80); top <<= 1)
				bits--;
		}
	}
	free(buf);
	return bits;
}

int azjson_key(const cJSON *o, struct az_key *k, const char **err)
{
	memset(k, 0, sizeof(*k));
	const cJSON *key = azjson_get(o, "key");
	if (!cJSON_IsObject(key)) {
		*err = _("no key in the answer");
		return -1;
	}
	k->kid = az_dup(azjson_str(key, "kid"));
	k->kty = az_dup(azjson_str(key, "kty"));
	k->ops = az_strings(azjson_get(key, "key_ops"), &k->n_ops);
	k->bits = az_modulus_bits(azjson_str(key, "n"));
	k->recovery_level = az_dup(azjson_str(o, "attributes.recoveryLevel"));
	k->enabled = azjson_bool(o, "attributes.enabled");
	(void)azjson_num(o, "attributes.exp", &k->exp);
	(void)azjson_num(o, "attributes.nbf", &k->nbf);
	(void)azjson_num(o, "attributes.created", &k->created);
	(void)azjson_num(o, "attributes.updated", &k->updated);
	if (!k->kid) {
		*err = _("the key has no kid");
		return -1;
	}
	return 0;
}

void az_key_clear(struct az_key *k)
{
	free(k->kid);
	free(k->kty);
	free(k->recovery_level);
	az_strings_free(k->ops, k->n_ops);
	memset(k, 0, sizeof(*k));
}

int azjson_kid_parse(const char *kid, struct az_kid *out)
{
	memset(out, 0, sizeof(*out));
	if (!kid || !util_has_prefix(kid, "https://"))
		return -1;
	const char *h = kid + strlen("https://");
	size_t hn = strcspn(h, "/");
	size_t host_len = strcspn(h, ":/");
	if (host_len < hn && strncmp(h + host_len, ":443/", 5) != 0)
		return -1; /* a port other than 443 is not a vault's */
	const char *path = h + hn;
	if (!util_has_prefix(path, "/keys/"))
		return -1;
	const char *name = path + strlen("/keys/");
	size_t nn = strcspn(name, "/?#");
	if (nn == 0)
		return -1;
	out->host = xstrndup(h, host_len);
	for (char *p = out->host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	out->name = xstrndup(name, nn);
	if (name[nn] == '/' && name[nn + 1]) {
		size_t vn = strcspn(name + nn + 1, "/?#");
		if (name[nn + 1 + vn] != '\0' && name[nn + 1 + vn] != '?') {
			az_kid_clear(out);
			return -1;
		}
		out->version = xstrndup(name + nn + 1, vn);
	} else if (name[nn] != '\0' && !(name[nn] == '/' && !name[nn + 1]) && name[nn] != '?') {
		az_kid_clear(out);
		return -1;
	}
	return 0;
}

void az_kid_clear(struct az_kid *k)
{
	free(k->host);
	free(k->name);
	free(k->version);
	memset(k, 0, sizeof(*k));
}

const cJSON *azjson_page(const cJSON *o, const char **next_link)
{
	*next_link = azjson_str(o, "nextLink");
	if (*next_link && !**next_link)
		*next_link = NULL;
	const cJSON *v = azjson_get(o, "value");
	return cJSON_IsArray(v) ? v : NULL;
}

bool azjson_region_eq(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++, b++;
	}
}
