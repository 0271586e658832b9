/* backend_names.c: what every backend shares: names of the live checks and
 * of their results, and freeing. */
#include "ck.h"
#include "azure/backend.h"

#include <stdlib.h>

static const char *const check_names[CHECK_COUNT] = {
	[CHECK_NONE] = "none",
	[CHECK_FEATURE_STATE] = "feature-state",
	[CHECK_PROVIDER_STATE] = "provider-state",
	[CHECK_RESOURCE_GROUP] = "resource-group",
	[CHECK_VAULT] = "vault",
	[CHECK_VAULT_ACCESS] = "vault-access",
	[CHECK_KEY] = "key",
	[CHECK_KEY_EXPIRY] = "key-expiry",
	[CHECK_KEY_RECOVERY] = "key-recovery",
	[CHECK_KEY_BACKUP] = "key-backup",
};

/* Recorded in journals: never renamed. */
static const char *const status_names[] = {
	[CHECK_PASS] = "pass",
	[CHECK_FAIL] = "fail",
	[CHECK_PENDING] = "pending",
	[CHECK_UNAVAILABLE] = "unavailable",
};

const char *backend_check_name(enum check_kind k)
{
	return k < CHECK_COUNT && check_names[k] ? check_names[k] : "?";
}

const char *check_status_name(enum check_status st)
{
	return (unsigned)st < CK_ARRAY_LEN(status_names) ? status_names[st] : "?";
}

void check_result_free(struct check_result *r)
{
	if (!r)
		return;
	free(r->summary);
	free(r->detail);
	r->summary = r->detail = NULL;
}

void backend_free(struct backend *b)
{
	if (b && b->ops && b->ops->free)
		b->ops->free(b);
}
