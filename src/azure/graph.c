/* graph.c: Microsoft Graph URLs: access policies name object IDs, the plan
 * names application IDs and UPNs; Graph translates. */
#include "ck.h"
#include "azure/rest.h"
#include "util.h"

#include <stdlib.h>

char *graph_url_service_principal(const struct endpoints *e, const char *app_id)
{
	char *a = rest_escape(app_id);
	char *u = xasprintf("%s/%s/servicePrincipals(appId='%s')?$select=id,appId,displayName",
			    e->graph, GRAPH_API, a);
	free(a);
	return u;
}

char *graph_url_user(const struct endpoints *e, const char *upn)
{
	char *n = rest_escape(upn);
	char *u = xasprintf("%s/%s/users/%s?$select=id,userPrincipalName", e->graph, GRAPH_API, n);
	free(n);
	return u;
}
