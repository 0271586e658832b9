/* steps.h: the step catalogue: every documented step of the Customer Key
 * procedure (../shared/seeds), as data, instantiated from the inventory.
 *
 * Templates (struct step_def, one table in steps_table.c) hold what never
 * changes: id, phase, title, why it matters, owner kind, witness, evidence
 * specs, waits, the live check kind and the command templates. Instances
 * (struct step) are made per subscription, vault, key, DEP or geo.
 *
 * Consumers: the runbook (cli_runbook.c), the session/journal (dual control:
 * owner, witness, prerequisites, waits), the wizard (everything), and the
 * Azure backends (check descriptors). */
#ifndef CK_STEPS_H
#define CK_STEPS_H

#include "buf.h"
#include "inventory.h"
#include "plan.h"

#include <stdbool.h>

enum step_phase {
	PHASE_PREPARE,      /* prerequisites, subscriptions */
	PHASE_ONBOARD,      /* FastTrack, retention period, e-mail, wait for Microsoft */
	PHASE_VAULTS,       /* provider, resource groups, vaults, permissions, soft delete */
	PHASE_KEYS,         /* keys, expiry, recovery level, backups, validation, URIs */
	PHASE_DEPS,         /* Exchange / SharePoint / multi-workload policies */
	PHASE_VERIFY,       /* encryption state checks after the waits */
	PHASE_MANAGE,       /* management tasks outside the first ceremony */
	PHASE_COUNT
};

enum step_owner_kind {
	OWNER_SUBSCRIPTION, /* the operator who owns the subscription the step touches */
	OWNER_TENANT        /* the plan's tenant_admin */
};

enum step_shell { SHELL_POWERSHELL, SHELL_BASH };

enum evidence_kind {
	EV_CONFIRM,        /* "I saw X" - a yes, no value */
	EV_TEXT,           /* free text (e.g. pasted output), bounded */
	EV_FASTTRACK_ID,   /* a FastTrack request ID */
	EV_GUID,           /* an object or subscription ID */
	EV_KEY_URI,        /* must name this step's own vault and key */
	EV_KEY_VERSION,    /* 32 hex digits */
	EV_FILE_SHA256,    /* a backup file: path that exists, SHA-256 recorded */
	EV_SHA256,         /* a hex SHA-256 typed from another machine */
	EV_CHOICE,         /* one of a fixed list (e.g. create|import) */
	EV_DATE            /* YYYY-MM-DD */
};

struct evidence_spec {
	const char *id;        /* stable within the step: "fasttrack_id", "key_uri" */
	enum evidence_kind kind;
	const char *label;     /* N_() text for the screen */
	const char *hint;      /* what the operator should see or paste */
	bool optional;
	const char *choices;   /* EV_CHOICE: "create|import" */
};

enum wait_kind { WAIT_NONE, WAIT_HOURS, WAIT_EVENT };

struct step_wait {
	enum wait_kind kind;
	int hours;             /* WAIT_HOURS: after this step is confirmed */
	const char *event;     /* WAIT_EVENT: N_("Microsoft confirms the retention period") */
	int max_business_days; /* what the documents promise, for the screen */
};

/* What a live check looks at; the backends (sim, later rest) implement them. */
enum check_kind {
	CHECK_NONE,
	CHECK_FEATURE_STATE,   /* mandatoryRetentionPeriodEnabled state of a subscription */
	CHECK_PROVIDER_STATE,  /* Microsoft.KeyVault registration */
	CHECK_RESOURCE_GROUP,  /* exists, location */
	CHECK_VAULT,           /* sku, soft delete, retention, purge protection, rbac off */
	CHECK_VAULT_ACCESS,    /* admins (no delete/purge) + service principal wrap/unwrap/get */
	CHECK_KEY,             /* exists, kty, size, ops */
	CHECK_KEY_EXPIRY,      /* none, or 9999-12-31 */
	CHECK_KEY_RECOVERY,    /* Recoverable+ProtectedSubscription */
	CHECK_KEY_BACKUP,      /* a backup blob can be taken */
	CHECK_COUNT
};

struct step_check {
	enum check_kind kind;
	int side;              /* CK_SIDE_NONE for tenant-wide */
	const char *subscription, *resource_group, *vault, *key, *region;
	enum plan_workload workload;
};

struct step_def;           /* the template, see steps_table.c */

struct step {
	char *id;              /* stable instance id, e.g. "vault.create/EX-USA_mailboxes/A" */
	const struct step_def *def;
	enum step_phase phase;
	const char *title;     /* N_() text (translate when shown) */
	const char *why;       /* N_() text */
	const char *source;    /* which seed section(s) it comes from */
	int side;              /* CK_SIDE_A/B, or CK_SIDE_NONE for tenant-wide */
	int owner;             /* operator side who must confirm */
	bool witness;          /* the other operator must witness (sign too) */
	bool critical;         /* operator types confirm_name to confirm */
	char *confirm_name;    /* the resource name to type, when critical */
	bool management;       /* a management task, not part of the first ceremony */
	char **prereqs;        /* ids of steps that must be done first */
	size_t n_prereqs;
	struct step_wait wait;
	const struct evidence_spec *evidence;
	size_t n_evidence;
	struct step_check check;
	const struct inv_dep *dep; /* NULL for subscription/tenant steps */
};

struct catalogue {
	const struct plan *plan;
	const struct inventory *inv;
	struct step *steps;
	size_t n_steps;
};

/* Evidence already recorded, for rendering later commands: returns the value
 * or NULL. The session supplies it from the journal; the runbook passes NULL. */
typedef const char *(*evidence_get_fn)(void *ctx, const char *step_id, const char *evidence_id);

struct catalogue *catalogue_build(const struct plan *p, const struct inventory *inv,
				  bool with_management);
void catalogue_free(struct catalogue *c);
const struct step *catalogue_find(const struct catalogue *c, const char *id);
const char *step_phase_name(enum step_phase ph);

/* The commands of a step for a shell, every value filled in and quoted; where
 * evidence is not known yet a clearly marked placeholder stands. Returns the
 * number of placeholders left (0 = ready to paste). */
int steps_render_commands(const struct catalogue *c, const struct step *s, enum step_shell sh,
			  evidence_get_fn get, void *ctx, struct buf *out);

/* Validate one evidence value as entered: 0 ok, else -1 with a translated
 * message in *err (caller frees). For EV_FILE_SHA256 the value is a path and
 * *normalised receives "sha256:<hex>  <path>". */
int steps_validate_evidence(const struct catalogue *c, const struct step *s,
			    const struct evidence_spec *e, const char *value,
			    char **normalised, char **err);

#endif
