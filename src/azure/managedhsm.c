/* managedhsm.c: Managed HSM URLs: the ARM resource
 * (Microsoft.KeyVault/managedHSMs) and the data plane on
 * https://NAME.HSM-SUFFIX (keys, local RBAC role assignments and role
 * definitions, API 7.5). doc/azure.md names the spec files. */
#include "ck.h"
#include "azure/rest.h"
#include "util.h"

#include <stdlib.h>

char *arm_url_managed_hsm(const struct endpoints *e, const char *sub, const char *rg,
			  const char *hsm)
{
	char *s = rest_escape(sub), *g = rest_escape(rg), *h = rest_escape(hsm);
	char *u = xasprintf("%s/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/"
			    "managedHSMs/%s?api-version=%s", e->arm, s, g, h, ARM_API_KEYVAULT);
	free(s);
	free(g);
	free(h);
	return u;
}

char *mhsm_key_uri(const struct endpoints *e, const char *hsm, const char *key)
{
	return xasprintf("https://%s.%s/keys/%s", hsm, e->hsm_suffix, key);
}

char *mhsm_url_key(const struct endpoints *e, const char *hsm, const char *key)
{
	char *k = rest_escape(key);
	char *u = xasprintf("https://%s.%s/keys/%s?api-version=%s", hsm, e->hsm_suffix, k, KV_API);
	free(k);
	return u;
}

char *mhsm_url_keys(const struct endpoints *e, const char *hsm)
{
	return xasprintf("https://%s.%s/keys?api-version=%s", hsm, e->hsm_suffix, KV_API);
}

/* The scope "/" (the whole HSM): the spec's path /{scope}/providers/...
 * with the scope's slash and the path's merged into one. */
char *mhsm_url_role_assignments(const struct endpoints *e, const char *hsm)
{
	return xasprintf("https://%s.%s/providers/Microsoft.Authorization/roleAssignments"
			 "?api-version=%s", hsm, e->hsm_suffix, KV_API);
}

char *mhsm_url_role_definitions(const struct endpoints *e, const char *hsm)
{
	return xasprintf("https://%s.%s/providers/Microsoft.Authorization/roleDefinitions"
			 "?api-version=%s", hsm, e->hsm_suffix, KV_API);
}
