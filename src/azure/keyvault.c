/* keyvault.c: the Key Vault data plane's URLs (API 7.5), which vaults on
 * https://NAME.VAULT-SUFFIX and Managed HSMs on https://NAME.HSM-SUFFIX
 * share (keys; an HSM's local RBAC role assignments and definitions too):
 * one builder over a table of paths. doc/azure.md names the spec files. */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/rest.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The data plane's paths: the part before the argument, whether there is
 * one (escaped, or as the DEP steps show the key), the part after it, and
 * whether it is a request (with the API version). */
struct dp_path {
	const char *path;
	enum { DP_NO_ARG, DP_ARG_RAW, DP_ARG_ESCAPED } arg;
	const char *tail;
	bool request;
};
static const struct dp_path dp_paths[DP_N] = {
	[DP_KEY_URI]          = { "/keys/", DP_ARG_RAW, "", false },
	[DP_KEY]              = { "/keys/", DP_ARG_ESCAPED, "", true },
	[DP_KEYS]             = { "/keys", DP_NO_ARG, "", true },
	/* The scope "/" (the whole HSM): the spec's path /{scope}/providers/...
	 * with the scope's slash and the path's merged into one. */
	[DP_ROLE_ASSIGNMENTS] = { "/providers/Microsoft.Authorization/roleAssignments",
				  DP_NO_ARG, "", true },
	[DP_ROLE_DEFINITIONS] = { "/providers/Microsoft.Authorization/roleDefinitions",
				  DP_NO_ARG, "", true },
	[DP_KEY_CREATE]       = { "/keys/", DP_ARG_ESCAPED, "/create", true },
	[DP_KEY_UPDATE]       = { "/keys/", DP_ARG_ESCAPED, "/", true },
	[DP_KEY_BACKUP]       = { "/keys/", DP_ARG_ESCAPED, "/backup", true },
	[DP_KEY_RESTORE]      = { "/keys/restore", DP_NO_ARG, "", true },
	[DP_SD_DOWNLOAD]      = { "/securitydomain/download", DP_NO_ARG, "", true },
	/* the name is a GUID ckwizard makes (perform_hsm_roles.c) */
	[DP_ROLE_ASSIGNMENT]  = { "/keys/providers/Microsoft.Authorization/roleAssignments/",
				  DP_ARG_RAW, "", true },
};

char *dp_url(const struct endpoints *e, enum dp_store store, const char *name, enum dp_what what,
	     const char *arg)
{
	const struct dp_path *p = &dp_paths[what];
	char *a = p->arg == DP_ARG_ESCAPED ? rest_escape(arg) : xstrdup(p->arg ? arg : "");
	char *u = xasprintf("https://%s.%s%s%s%s%s%s", name,
			    store == DP_HSM ? e->hsm_suffix : e->vault_suffix, p->path, a, p->tail,
			    p->request ? "?api-version=" : "", p->request ? KV_API : "");
	free(a);
	return u;
}

char *kv_key_uri(const struct endpoints *e, const char *vault, const char *key)
{
	return dp_url(e, DP_VAULT, vault, DP_KEY_URI, key);
}

char *kv_url_key(const struct endpoints *e, const char *vault, const char *key)
{
	return dp_url(e, DP_VAULT, vault, DP_KEY, key);
}

char *kv_url_keys(const struct endpoints *e, const char *vault)
{
	return dp_url(e, DP_VAULT, vault, DP_KEYS, NULL);
}

char *mhsm_key_uri(const struct endpoints *e, const char *hsm, const char *key)
{
	return dp_url(e, DP_HSM, hsm, DP_KEY_URI, key);
}

char *mhsm_url_key(const struct endpoints *e, const char *hsm, const char *key)
{
	return dp_url(e, DP_HSM, hsm, DP_KEY, key);
}

char *mhsm_url_keys(const struct endpoints *e, const char *hsm)
{
	return dp_url(e, DP_HSM, hsm, DP_KEYS, NULL);
}

char *mhsm_url_role_assignments(const struct endpoints *e, const char *hsm)
{
	return dp_url(e, DP_HSM, hsm, DP_ROLE_ASSIGNMENTS, NULL);
}

char *mhsm_url_role_definitions(const struct endpoints *e, const char *hsm)
{
	return dp_url(e, DP_HSM, hsm, DP_ROLE_DEFINITIONS, NULL);
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
