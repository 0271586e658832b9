/* backend_names.c: names of the live checks, shared by every backend. */
#include "ck.h"
#include "steps.h"

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

const char *backend_check_name(enum check_kind k);
const char *backend_check_name(enum check_kind k)
{
	return k < CHECK_COUNT ? check_names[k] : "?";
}
