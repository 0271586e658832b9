/* rest.h: the URLs of the Azure REST calls ckwizard makes, one small module
 * per service (arm.c, keyvault.c, managedhsm.c, graph.c), each with the API version its
 * shapes were read from (doc/azure.md names the spec files). Names that go
 * into a path are escaped here; the plan's rules already restrict them. */
#ifndef CK_REST_H
#define CK_REST_H

#include "azure/endpoints.h"

#define ARM_API_SUBSCRIPTIONS "2022-12-01"
#define ARM_API_FEATURES "2021-07-01"
#define ARM_API_RESOURCES "2021-04-01"
#define ARM_API_KEYVAULT "2024-11-01"
#define KV_API "7.5"
#define GRAPH_API "v1.0"

/* The retention-period feature and the provider Customer Key needs. */
#define ARM_FEATURE_NAMESPACE "Microsoft.Resources"
#define ARM_FEATURE_RETENTION "mandatoryRetentionPeriodEnabled"
#define ARM_PROVIDER_KEYVAULT "Microsoft.KeyVault"

/* arm.c */
char *arm_url_subscription(const struct endpoints *e, const char *sub);
char *arm_url_feature(const struct endpoints *e, const char *sub, const char *ns, const char *feature);
char *arm_url_provider(const struct endpoints *e, const char *sub, const char *ns);
char *arm_url_resource_group(const struct endpoints *e, const char *sub, const char *rg);
char *arm_url_vault(const struct endpoints *e, const char *sub, const char *rg, const char *vault);
/* What an operator signs of a request's url: the path below the ARM host,
 * or on a vault's data plane //HOST/path (the host names the vault). */
const char *rest_signed_path(const struct endpoints *e, const char *url);
/* Percent-encode one path segment (RFC 3986 unreserved kept, and '@'). */
char *rest_escape(const char *s);

/* keyvault.c: the data plane, vaults' and Managed HSMs' alike. */
enum dp_store { DP_VAULT, DP_HSM };
enum dp_what {
	DP_KEY_URI,          /* https://NAME.SUFFIX/keys/KEY, as the DEP steps name it */
	DP_KEY,              /* GET one key (KEY escaped) */
	DP_KEYS,             /* list the keys */
	DP_ROLE_ASSIGNMENTS, /* an HSM's local RBAC at the scope "/" */
	DP_ROLE_DEFINITIONS,
	DP_KEY_CREATE,       /* POST: a new key (KEY escaped) */
	DP_KEY_UPDATE,       /* PATCH: the key's current version (an empty version segment) */
	DP_KEY_BACKUP,       /* POST: the key's backup blob */
	DP_KEY_RESTORE,      /* POST: a key from a backup blob */
	DP_SD_DOWNLOAD,      /* POST: an HSM's security domain */
	DP_ROLE_ASSIGNMENT,  /* PUT: one assignment at the scope "/keys", by its name */
	DP_N
};
/* The URL of what on the vault or HSM name; arg is the key or the
 * assignment's name (else NULL). */
char *dp_url(const struct endpoints *e, enum dp_store store, const char *name, enum dp_what what,
	     const char *arg);
char *kv_url_key(const struct endpoints *e, const char *vault, const char *key);
char *kv_url_keys(const struct endpoints *e, const char *vault);
/* The versionless key URI the DEP steps use: https://VAULT.SUFFIX/keys/KEY */
char *kv_key_uri(const struct endpoints *e, const char *vault, const char *key);
/* The same on an HSM (the endpoints must name an HSM suffix) */
char *mhsm_key_uri(const struct endpoints *e, const char *hsm, const char *key);
char *mhsm_url_key(const struct endpoints *e, const char *hsm, const char *key);
char *mhsm_url_keys(const struct endpoints *e, const char *hsm);
/* Local RBAC at the scope "/": every assignment, every role definition. */
char *mhsm_url_role_assignments(const struct endpoints *e, const char *hsm);
char *mhsm_url_role_definitions(const struct endpoints *e, const char *hsm);
/* Is next (a nextLink) on the same vault host as base? Paging must never
 * carry the token to another host. */
int kv_same_vault(const char *base, const char *next);

/* managedhsm.c */
char *arm_url_managed_hsm(const struct endpoints *e, const char *sub, const char *rg,
			  const char *hsm);

/* graph.c */
char *graph_url_service_principal(const struct endpoints *e, const char *app_id);
char *graph_url_user(const struct endpoints *e, const char *upn);

#endif
