/* keyvault.c: Key Vault data-plane URLs (keys, API 7.5). */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/rest.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

char *kv_key_uri(const struct endpoints *e, const char *vault, const char *key)
{
	return xasprintf("https://%s.%s/keys/%s", vault, e->vault_suffix, key);
}

char *kv_url_key(const struct endpoints *e, const char *vault, const char *key)
{
	char *k = rest_escape(key);
	char *u = xasprintf("https://%s.%s/keys/%s?api-version=%s", vault, e->vault_suffix, k, KV_API);
	free(k);
	return u;
}

char *kv_url_keys(const struct endpoints *e, const char *vault)
{
	return xasprintf("https://%s.%s/keys?api-version=%s", vault, e->vault_suffix, KV_API);
}

static char *kv_host(const char *url)
{
	if (!util_has_prefix(url, "https://"))
		return NULL;
	const char *h = url + strlen("https://");
	size_t n = strcspn(h, "/?#");
	size_t hn = strcspn(h, ":/?#");
	if (hn < n && !(n - hn == 4 && strncmp(h + hn, ":443", 4) == 0))
		return NULL;
	return xstrndup(h, hn);
}

int kv_same_vault(const char *base, const char *next)
{
	char *a = kv_host(base), *b = kv_host(next);
	int same = a && b && util_strcaseeq(a, b);
	free(a);
	free(b);
	return same;
}
