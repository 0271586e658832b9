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
	R_RESOURCE_GROUP_IS_IN_NOT,
	R_RESOURCE_GROUP_EXISTS_IN,
	R_THIS_STEP_NAMES_NO_RESOURCE,
	R_RESOURCE_GROUP_IN_OTHER_LOCATION,
	R_VAULT_NAME_HELD_ELSEWHERE,
	R_VAULT_MISSING_CREATE_IT,
	R_VAULT_PROBLEMS,
	R_VAULT_AS_PLANNED,
	R_THIS_STEP_NAMES_NO_VAULT,
	R_PROVIDER_NOT_REGISTERED_FOR_VAULT,
	R_RESOURCE_GROUP_NOT_FOUND_FOR_VAULT,
	R_VAULT_NAME_TAKEN,
	R_VAULT_MISSING_RUN_VAULT_STEP,
	R_VAULT_NOT_FOUND_FOR_ACCESS,
	R_VAULT_MISSING,
	R_VAULT_READY_FOR_M365,
	R_THE_SIMULATOR_HAS_NO_CHECK,
	R_KEY_NOT_FOUND,
	R_KEY_IS_NOT_AS_PLANNED,
	R_KEY_HAS_BITS_NOT_AS,
	R_KEY_IS_NOT_ALLOWED_TO,
	R_KEY_URI_HTTPS_VAULT_AZURE,
	R_KEY_BITS_WRAPKEY_AND_UNWRAPKEY,
	R_FORBIDDEN_RBAC,
	R_FORBIDDEN_PERMISSION_MISSING,
	R_THIS_STEP_NAMES_NO_KEY,
	R_HSM_NEEDS_PREMIUM,
	R_KEY_HAS_NO_EXPIRY_DATE,
	R_KEY_EXPIRES_9999_12_31,
	R_KEY_EXPIRES_MICROSOFT_365_CANNOT,
	R_RECOVERY_LEVEL_OK,
	R_RECOVERY_LEVEL_THE_VAULT_KEEPS,
	R_RECOVERY_LEVEL_PURGE_PROTECTION_IS,
	R_RECOVERY_LEVEL_RETENTION_REGISTERING,
	R_RECOVERY_LEVEL_RETENTION_NOT_REGISTERED,
	R_NO_BACKUP_HOLDS_THE_CURRENT,
	R_THE_BACKUP_FILE_IS_GONE,
	R_THE_BACKUP_FILE_CHANGED_SINCE,
	R_BACKUP_OF_VERSION_IN,
	R_NO_FASTTRACK_REQUEST_WAS_SUBMITTED,
	R_FASTTRACK_REQUEST_SUBMITTED_ENTER_IT,
	R_THE_ONBOARDING_E_MAIL_WAS,
	R_MICROSOFT_CONFIRMED_THE_RETENTION_PERIOD,
	R_E_MAIL_SENT_MICROSOFT_ANSWERS,
	R_WAITING_FOR_MICROSOFT_TO_FINISH,
	R_NO_DATA_ENCRYPTION_POLICY_EXISTS,
	R_THE_POLICY_NAMES_BUT_THIS,
	R_REGISTERING_SHAREPOINT_IS_ENCRYPTING_EVERY,
	R_POLICY_NAMES_THIS_DEP_S,
	R_THIS_STEP_NAMES_NO_DEP,
	R_THE_KEY_CANNOT_BE_USED,
	R_THE_POLICY_DOES_NOT_EXIST,
	R_DEP_NOT_ASSIGNED,
	R_TENANT_ASSIGNED_DEP,
	R_MAILBOX_ASSIGNED_DEP,
	R_MAILBOX_HAS_NO_DEP,
	R_ISENCRYPTED_IS_STILL_FALSE_THE,
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
	R__N
};

struct result_code {
	const char *code;    /* stable: "vault-name-taken" */
	const char *fmt;     /* N_(): printf style; every conversion is one argument */
};
extern const struct result_code result_table[R__N];

const struct result_code *result_find(const char *code);   /* NULL if unknown */
/* How many arguments the code's sentence takes. */
size_t result_n_args(const struct result_code *rc);
/* The sentence: the code's format (translated when asked, else English) with
 * each conversion replaced by the next argument. Caller frees. */
char *result_phrase(const char *code, char *const *args, size_t n_args, bool translate);
/* Format the arguments a call site passes for rc's conversions into text
 * (the values as observed); *n set. Caller frees each and the array. */
#include <stdarg.h>
char **result_args_v(const struct result_code *rc, va_list ap, size_t *n);

#endif
