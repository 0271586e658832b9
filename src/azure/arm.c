/* arm.c: Azure Resource Manager URLs (Microsoft.Resources, Microsoft.Features,
 * Microsoft.KeyVault management plane). */
#include "ck.h"
#include "azure/rest.h"
#include "buf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

char *rest_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '@') {
			buf_putc(&b, (char)*p);
		} else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 15]);
		}
	}
	return buf_steal(&b);
}

const char *rest_signed_path(const struct endpoints *e, const char *url)
{
	size_t n = strlen(e->arm);
	if (strncmp(url, e->arm, n) == 0)
		return url + n;
	return util_has_prefix(url, "https://") ? url + strlen("https:") : url;
}

char *arm_url_subscription(const struct endpoints *e, const char *sub)
{
	char *s = rest_escape(sub);
	char *u = xasprintf("%s/subscriptions/%s?api-version=%s", e->arm, s, ARM_API_SUBSCRIPTIONS);
	free(s);
	return u;
}

char *arm_url_feature(const struct endpoints *e, const char *sub, const char *ns, const char *feature)
{
	char *s = rest_escape(sub);
	char *u = xasprintf("%s/subscriptions/%s/providers/Microsoft.Features/providers/%s/"
			    "features/%s?api-version=%s", e->arm, s, ns, feature, ARM_API_FEATURES);
	free(s);
	return u;
}

char *arm_url_provider(const struct endpoints *e, const char *sub, const char *ns)
{
	char *s = rest_escape(sub);
	char *u = xasprintf("%s/subscriptions/%s/providers/%s?api-version=%s", e->arm, s, ns,
			    ARM_API_RESOURCES);
	free(s);
	return u;
}

char *arm_url_resource_group(const struct endpoints *e, const char *sub, const char *rg)
{
	char *s = rest_escape(sub), *g = rest_escape(rg);
	char *u = xasprintf("%s/subscriptions/%s/resourcegroups/%s?api-version=%s", e->arm, s, g,
			    ARM_API_RESOURCES);
	free(s);
	free(g);
	return u;
}

char *arm_url_vault(const struct endpoints *e, const char *sub, const char *rg, const char *vault)
{
	char *s = rest_escape(sub), *g = rest_escape(rg), *v = rest_escape(vault);
	char *u = xasprintf("%s/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/"
			    "vaults/%s?api-version=%s", e->arm, s, g, v, ARM_API_KEYVAULT);
	free(s);
	free(g);
	free(v);
	return u;
}
