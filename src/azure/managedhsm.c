/* managedhsm.c: the Managed HSM's ARM resource URL
 * (Microsoft.KeyVault/managedHSMs); its data plane's URLs are built with a
 * vault's in keyvault.c. doc/azure.md names the spec files. */
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
