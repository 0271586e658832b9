/* results.h: what a check or a perform found, as a code and its arguments
 * (the observed values), never as a sentence. The journal records the code
 * and the arguments; the screen and the reports phrase them from this one
 * table, each in its reader's language (the reports in English), so a
 * journal does not depend on the locale of the operator who recorded it and
 * a better wording reaches old journals too. A code is recorded forever:
 * never rename or reuse one, add a new one. doc/results.md lists them. */
#ifndef CK_RESULTS_H
#define CK_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

enum result_id {
	R_RETENTION_NOT_REGISTERED,
	R_RETENTION_REGISTERED,
	R_RETENTION_STILL_REGISTERING,
	R_RETENTION_REGISTERING_AS_EXPECTED,
	R_PROVIDER_REGISTERED,
	R_PROVIDER_NOT_REGISTERED,
	R_RESOURCE_GROUP_NOT_FOUND,
	R_RESOURCE_GROUP_WRONG_LOCATION,
	R_RESOURCE_GROUP_OK,
	R_NO_RESOURCE_GROUP_NAMED,
	R_RESOURCE_GROUP_IN_OTHER_LOCATION,
	R_VAULT_NAME_HELD_ELSEWHERE,
	R_VAULT_MISSING_CREATE_IT,
	R_VAULT_PROBLEMS,
	R_VAULT_AS_PLANNED,
	R_NO_VAULT_NAMED,
	R_PROVIDER_NOT_REGISTERED_FOR_VAULT,
	R_RESOURCE_GROUP_NOT_FOUND_FOR_VAULT,
	R_VAULT_NAME_TAKEN,
	R_VAULT_MISSING_RUN_VAULT_STEP,
	R_VAULT_NOT_FOUND_FOR_ACCESS,
	R_VAULT_MISSING,
	R_VAULT_READY_FOR_M365,
	R_SIM_NO_SUCH_CHECK,
	R_KEY_NOT_FOUND,
	R_KEY_WRONG_TYPE,
	R_KEY_WRONG_SIZE,
	R_KEY_CANNOT_WRAP,
	R_KEY_URI,
	R_KEY_OK,
	R_FORBIDDEN_RBAC,
	R_FORBIDDEN_PERMISSION_MISSING,
	R_NO_KEY_NAMED,
	R_HSM_NEEDS_PREMIUM,
	R_KEY_NO_EXPIRY,
	R_KEY_EXPIRES_9999,
	R_KEY_EXPIRES,
	R_RECOVERY_LEVEL_OK,
	R_RECOVERY_LEVEL_RETENTION_TOO_SHORT,
	R_RECOVERY_LEVEL_PURGE_PROTECTION_OFF,
	R_RECOVERY_LEVEL_RETENTION_REGISTERING,
	R_RECOVERY_LEVEL_RETENTION_NOT_REGISTERED,
	R_BACKUP_MISSING,
	R_BACKUP_FILE_GONE,
	R_BACKUP_FILE_CHANGED,
	R_BACKUP_OK,
	R_FASTTRACK_NOT_SUBMITTED,
	R_FASTTRACK_SUBMITTED,
	R_EMAIL_NOT_SENT,
	R_MICROSOFT_CONFIRMED,
	R_EMAIL_SENT,
	R_WAITING_FOR_MICROSOFT,
	R_DEP_MISSING,
	R_DEP_NAMES_OTHER_KEY,
	R_SPO_REGISTERING,
	R_DEP_OK,
	R_NO_DEP_NAMED,
	R_KEY_UNUSABLE,
	R_DEP_MISSING_FOR_ASSIGNMENT,
	R_DEP_NOT_ASSIGNED,
	R_TENANT_ASSIGNED_DEP,
	R_MAILBOX_ASSIGNED_DEP,
	R_MAILBOX_HAS_NO_DEP,
	R_MAILBOX_NOT_ENCRYPTED_YET,
	R_MAILBOX_ENCRYPTED,
	R_ACCESS_ADMINS_OK,
	R_ACCESS_CONTRIBUTORS_OK,
	R_ACCESS_SERVICE_PRINCIPAL_OK,
	R_ACCESS_ALL_OK,
	R_PROBLEMS,
	R_DELETE_HELD_FOR_NOW,
	R_DELETE_NOT_HELD,
	R_DELETE_REVOKED,
	R_DELETE_STILL_HELD,
	R_POLICY_STILL_THERE,
	R_POLICY_REMOVED,
	R_SPO_ENCRYPTING,
	R_SPO_ENCRYPTED,
	R_SIM_NO_CATALOGUE,
	R_SIM_NOTHING_CHANGES,
	R_NO_LIVE_CHECK,
	R_GUIDE_MODE,
	R_NOTHING_TO_CHECK,
	R_CHECK_COULD_NOT_RUN,
	R_PERFORM_FAILED,
	R_BACKEND_TEXT,
	R_TENANT_NOT_ASSIGNED,
	R_PRINCIPAL_NOT_FOUND,
	R_VAULT_NOT_FOUND,
	R_SP_STILL_WRAPS,
	R_SP_WRAP_REVOKED,
	R_SP_NOT_REGISTERED,
	R_FORBIDDEN_RECOVER_MISSING,
	R_RECOVER_GRANTED,
	R_STILL_HOLDS_TEMPORARY,
	R_ONBOARDING_VALIDATION_FAILED,
	R_SP_REGISTERED_NOW,
	R_SP_REGISTERED,
	R_ONBOARDING_ENABLED_OK,
	R_ONBOARDING_VALIDATED_OK,
	R_ONBOARDING_NOT_ENABLED,
	R_ONBOARDING_NOT_VALIDATED,
	R_ONBOARDING_ENABLED,
	R_ONBOARDING_VALIDATION_PASSED,
	R_REST_NO_LIVE_CHECK,
	R_REST_SIDE_PROBLEM,
	R_REST_SIDE_REFUSED,
	R_REST_NOT_SIGNED_IN,
	R_REST_DRIFT,
	R_REST_UNCHECKED,
	R_REST_HOLDS,
	R_REST_NOT_ASKED,
	R_REST_FOUND,
	R_REST_EXISTS_WRONG,
	R_REST_WRITTEN,
	R_REST_WRITE_FAILED,
	R_REST_BACKUP_WRITTEN,
	R_REST_BACKUP_NOT_RECORDED,
	R_REST_BACKUP_STALE,
	R_REST_BACKUP_EMPTY,
	R_REST_SD_WRITTEN,
	R_REST_SD_FOUND,
	R_REST_SD_INTERRUPTED,
	R_HSM_NOT_FOUND,
	R_HSM_NOT_ACTIVATED,
	R_HSM_FORBIDDEN_NO_ROLE,
	R_NO_HSM_NAMED,
	R_HSM_NAME_TAKEN,
	R_HSM_PROVISIONED,
	R_HSM_WRONG_LOCATION,
	R_HSM_IS_ACTIVE,
	R_HSM_IS_NOT_ACTIVATED,
	R_HSM_ALREADY_ACTIVE,
	R_SD_QUORUM_NOT_MET,
	R_SD_NOT_DOWNLOADED,
	R_SD_BAD_QUORUM,
	R_SD_FILE_NOT_WRITTEN,
	R_SD_DOWNLOADED,
	R_HSM_RETENTION_TOO_SHORT,
	R_HSM_PURGE_PROTECTION_OFF,
	R_HSM_OK,
	R_HSM_ADMINS_MISSING_ROLE,
	R_HSM_ADMINS_OK,
	R_HSM_APP_NOT_IN_TENANT,
	R_HSM_APPS_MISSING_ROLE,
	R_HSM_APPS_OK,
	R_HSM_KEY_NOT_RESTORED,
	R_HSM_KEY_RESTORED,
	R_SD_RECOVERY_REHEARSED,
	R_REST_WRITE_UNCONFIRMED,
	R_REST_NOT_LOOKED,
	R__N
};

struct result_code {
	const char *code;    /* stable: "vault-name-taken" */
	const char *fmt;     /* N_(): printf style; every conversion is one argument */
};
extern const struct result_code result_table[R__N];

const struct result_code *result_find(const char *code);   /* NULL if unknown */
/* Whether code says the side could not ask Azure at all (no token, or its
 * sign-in refused): nothing was sent, so a perform's authorization stands. */
bool result_side_problem(const char *code);
/* How many arguments the code's sentence takes. */
size_t result_n_args(const struct result_code *rc);
/* The sentence: the code's format (translated when asked, else English) with
 * each conversion replaced by the next argument. Caller frees. */
char *result_phrase(const char *code, char *const *args, size_t n_args, bool translate);
/* A result's format (or its translation) with the values put in: in order,
 * or by position ("%2$s") where a translation reorders them. */
char *result_format(const char *fmt, char *const *args, size_t n_args);
/* Format the arguments a call site passes for rc's conversions into text
 * (the values as observed); *n set. Caller frees each and the array. */
#include <stdarg.h>
char **result_args_v(const struct result_code *rc, va_list ap, size_t *n);

#endif
