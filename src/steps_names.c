/* steps_names.c: display names of phases, and stable names of the enums. */
#include "ck.h"
#include "steps.h"

static const char *const step_phase_names[PHASE_COUNT] = {
	[PHASE_PREPARE] = N_("Prepare"),
	[PHASE_ONBOARD] = N_("Onboard with Microsoft"),
	[PHASE_VAULTS] = N_("Key vaults"),
	[PHASE_KEYS] = N_("Keys"),
	[PHASE_DEPS] = N_("Data encryption policies"),
	[PHASE_VERIFY] = N_("Verify encryption"),
	[PHASE_MANAGE] = N_("Management tasks"),
};

const char *step_phase_name(enum step_phase ph)
{
	return ph < PHASE_COUNT ? step_phase_names[ph] : "?";
}

const char *step_shell_name(enum step_shell sh)
{
	return sh == SHELL_BASH ? "bash" : "powershell";
}

/* Stable names (JSON output, journals): never translated. */
static const char *const evidence_kind_names[] = {
	[EV_CONFIRM] = "confirm",   [EV_TEXT] = "text",	    [EV_FASTTRACK_ID] = "fasttrack-id",
	[EV_GUID] = "guid",	    [EV_KEY_URI] = "key-uri", [EV_KEY_VERSION] = "key-version",
	[EV_FILE_SHA256] = "file-sha256", [EV_SHA256] = "sha256", [EV_CHOICE] = "choice",
	[EV_DATE] = "date", [EV_REQUEST_ID] = "request-id", [EV_TOOL_VERSION] = "tool-version",
	[EV_ACCESS_LIST] = "access-list", [EV_NEW_KEY_URI] = "new-key-uri",
};

const char *evidence_kind_name(enum evidence_kind k)
{
	return (size_t)k < CK_ARRAY_LEN(evidence_kind_names) ? evidence_kind_names[k] : "?";
}

bool evidence_kind_multiline(enum evidence_kind k)
{
	return k == EV_TEXT || k == EV_ACCESS_LIST;
}

const char *step_owner_kind_name(enum step_owner_kind k)
{
	return k == OWNER_TENANT ? "tenant" : "subscription";
}

static const char *const check_kind_names[CHECK_COUNT] = {
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
	[CHECK_HSM] = "managed-hsm",
	[CHECK_HSM_ROLES] = "managed-hsm-roles",
};

const char *step_check_kind_name(enum check_kind k)
{
	return k < CHECK_COUNT ? check_kind_names[k] : "?";
}
