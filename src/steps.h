/* steps.h: the step catalogue: every documented step of the Customer Key
 * procedure (doc/sources.md), as data, instantiated from the inventory.
 *
 * Templates (struct step_def, one table: steps_table.c for the ceremony,
 * steps_manage.c for the management tasks; doc/steps.md) hold what never
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
	EV_DATE,           /* YYYY-MM-DD */
	EV_REQUEST_ID,     /* an onboarding service request ID (catalogue 2) */
	EV_TOOL_VERSION,   /* "Az.KeyVault 6.2.1": a tool and a version at least its minimum */
	EV_ACCESS_LIST,    /* a vault's access policies, one principal a line, as the plan says */
	EV_NEW_KEY_URI     /* a replacement key's versionless URI in this DEP's vault of side _A/_B */
};

struct evidence_spec {
	const char *id;        /* stable within the step: "fasttrack_id", "key_uri" */
	enum evidence_kind kind;
	const char *label;     /* N_() text for the screen */
	const char *hint;      /* what the operator should see or paste */
	bool optional;
	const char *choices;   /* EV_CHOICE: "create|import"; EV_DATE: "past" for
				  the date of something done (not after today) */
	/* EV_SHA256 only: the id of an EV_FILE_SHA256 evidence of the same step
	 * whose hash this one must equal (a copy of that file); checked by
	 * steps_validate_evidence_with() when the recorded value is known. */
	const char *same_as;
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
	CHECK_HSM,             /* a Managed HSM: exists, activated, soft delete, purge protection */
	CHECK_HSM_ROLES,       /* its local role assignments (administrators, Microsoft 365 apps) */
	CHECK_COUNT
};

struct step_check {
	enum check_kind kind;
	int side;              /* CK_SIDE_NONE for tenant-wide */
	const char *subscription, *resource_group, *vault, *key, *region;
	enum plan_workload workload;
};

struct step_def;           /* the template, see steps_table.c */
struct step_bind;          /* what an instance is bound to, see steps_int.h */
struct cat_strings;        /* the ids and subjects, see catalogue.c */

/* Instance ids (recorded in journals forever, so never renumbered):
 *   <template>                       once per tenant       prereq.licences
 *   <template>/<side>                per subscription      retention.register/A
 *   <template>/<workload code>       per workload          fasttrack.request/EX
 *   <template>/<resource group>/<side>                     rg.create/Contoso-CK-EX-NA-RGA/A
 *   <template>/<DEP id>/<side>       per vault and key     vault.create/EX-USA_mailboxes/A
 *   <template>/<DEP id>              per DEP               dep.exchange.create/EX-USA_mailboxes
 *   <template>/<DEP id>/<mailbox>    per assigned mailbox  dep.exchange.assign/EX-USA_mailboxes/x@y
 *   <template>/<DEP id>/<side>/<UPN> per vault and admin   manage.remove_admin/MW/A/alice@contoso.com
 * DEP ids come from the inventory (EX-<name>, SP-<m365 geo>, MW). In a part
 * taken from the plan, '%', '/', and any byte outside printable ASCII are
 * written %XX, so an id always splits back into its parts on '/'. */
struct step {
	char *id;              /* stable instance id, e.g. "vault.create/EX-USA_mailboxes/A" */
	const char *template_id; /* the first part of id: "vault.create" */
	const struct step_def *def;
	const char *title;     /* N_() text (translate when shown) */
	char *subject;         /* what this instance is about, to tell instances of one
				* template apart in headings: a vault, DEP, mailbox or
				* resource group name, "subscription A", "EX"; NULL for
				* once-only steps. Names from the plan: show via text_visible */
	const char *why;       /* N_() text */
	const char *source;    /* which seed section(s) it comes from */
	int side;              /* CK_SIDE_A/B, or CK_SIDE_NONE for tenant-wide */
	int owner;             /* operator side who must confirm */
	enum step_phase phase;
	int officer;           /* security-domain officer index, -1 when none */
	/* (the small fields together: 1,645 steps on the large plan) */
	bool witness;          /* the other operator must witness (sign too) */
	bool critical;         /* operator types confirm_name to confirm */
	bool management;       /* a management task, not part of the first ceremony */
	char *confirm_name;    /* the resource name to type, when critical */
	const char **prereqs;  /* ids of steps that must be done first (their own id strings) */
	size_t n_prereqs;
	struct step_wait wait;
	const struct evidence_spec *evidence;
	size_t n_evidence;
	struct step_check check;
	const struct inv_dep *dep; /* NULL for subscription/tenant steps */
};

/* The catalogue's version. A journal records the version it was made under
 * (session.open, "catalogue"; absent = 1) and is always replayed with that
 * version's templates and prerequisites, so adding a step never makes an
 * older journal fail verify or refuse to resume. Raise it whenever a
 * template or prerequisite is added, retired or changed in what it records;
 * doc/steps.md lists what each version changed. */
#define STEPS_CATALOGUE_VERSION 3u

struct catalogue {
	const struct plan *plan;
	unsigned version;        /* the catalogue version it was built from */
	bool offboarding;        /* the offboarding ceremony's steps only */
	const struct inventory *inv;
	struct step *steps;
	size_t n_steps;
	/* The date used for new backup file names (YYYYMMDD, UTC), set by
	 * catalogue_build from the clock; a caller may overwrite it (the session
	 * with its own clock, the runbook from SOURCE_DATE_EPOCH). */
	char today[9];
	struct step_bind *binds; /* private to the steps area (steps_int.h) */
	struct cat_strings *strings; /* the steps' ids and subjects (catalogue.c) */
};

/* Evidence already recorded, for rendering later commands: returns the value
 * or NULL. The session supplies it from the journal; the runbook passes NULL. */
typedef const char *(*evidence_get_fn)(void *ctx, const char *step_id, const char *evidence_id);

/* NULL when p or inv is NULL, when version is not 1 ..
 * STEPS_CATALOGUE_VERSION, or when the plan's sides are unusable (an
 * operator side, tenant_admin or inventory side not A or B): the rules
 * report those; a catalogue is only built from a plan without errors. */
struct catalogue *catalogue_build(const struct plan *p, const struct inventory *inv,
				  bool with_management, unsigned version);
/* The offboarding ceremony (catalogue 2 and later; NULL before): only the
 * offboarding and data purge steps, run as a ceremony of their own. */
struct catalogue *catalogue_build_offboarding(const struct plan *p, const struct inventory *inv,
					      unsigned version);
void catalogue_free(struct catalogue *c);
const struct step *catalogue_find(const struct catalogue *c, const char *id);
/* The subject in the language of the messages now, or in English for JSON
 * output (subject is phrased once, when the catalogue is expanded; a report
 * re-rendered in another language phrases it again). Caller frees; NULL for
 * once-only steps. */
char *step_subject(const struct step *s, bool translate);
const char *step_phase_name(enum step_phase ph);

/* The commands of a step for a shell, every value filled in and quoted; where
 * evidence is not known yet a clearly marked placeholder stands (and its line
 * is disarmed as a "# NOT READY:" comment). Returns the number of
 * placeholders left (0 = ready to paste). s must be a step of c; the text is
 * appended to out, one command per line. */
int steps_render_commands(const struct catalogue *c, const struct step *s, enum step_shell sh,
			  evidence_get_fn get, void *ctx, struct buf *out);

/* Validate one evidence value as entered: 0 ok, else -1 with a translated
 * message in *err (caller frees). For EV_FILE_SHA256 the value is a path and
 * *normalised receives "sha256:<hex>  <path>". */
int steps_validate_evidence(const struct catalogue *c, const struct step *s,
			    const struct evidence_spec *e, const char *value,
			    char **normalised, char **err);
/* The same, also checking against evidence already recorded (get may be
 * NULL): an EV_SHA256 with same_as must equal that file's recorded hash. */
int steps_validate_evidence_with(const struct catalogue *c, const struct step *s,
				 const struct evidence_spec *e, const char *value,
				 evidence_get_fn get, void *ctx, char **normalised, char **err);
const struct evidence_spec *step_evidence_find(const struct step *s, const char *evidence_id);

/* Whether a step has commands for this shell. Steps with no Azure CLI
 * equivalent (Exchange Online, SharePoint Online) render their PowerShell
 * lines even when bash is asked: steps_render_commands() then writes them
 * and this returns SHELL_POWERSHELL, so callers label the block right.
 * Steps done in a portal or by e-mail have no commands: -1. */
int steps_command_shell(const struct step *s, enum step_shell wanted);
/* Material that is not a command (the drafted onboarding e-mail), rendered
 * from the plan and the evidence; untrusted evidence text is made visible
 * (text_visible). Returns placeholders left, like steps_render_commands; an
 * empty *out means the step has none. */
int steps_render_text(const struct catalogue *c, const struct step *s, evidence_get_fn get,
		      void *ctx, struct buf *out);
const char *step_shell_name(enum step_shell sh);          /* "powershell" | "bash" */
const char *evidence_kind_name(enum evidence_kind k);     /* "fasttrack-id", ... */
/* Whether values of this kind keep their lines (pasted output). */
bool evidence_kind_multiline(enum evidence_kind k);
const char *step_owner_kind_name(enum step_owner_kind k); /* "subscription" | "tenant" */
/* Stable name of a check kind ("vault-access"): the one table every backend
 * and the journal use. */
const char *step_check_kind_name(enum check_kind k);

#endif
