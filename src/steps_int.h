/* steps_int.h: the inside of the step catalogue, shared by its .c files only
 * (steps_table.c, catalogue.c, steps_render.c, evidence.c). Nothing outside
 * the steps area includes this: the contract is steps.h. */
#ifndef CK_STEPS_INT_H
#define CK_STEPS_INT_H

#include "steps.h"

/* How many instances a template makes, from the inventory. */
enum step_scope {
	SCOPE_ONCE,         /* one, tenant-wide */
	SCOPE_SUBSCRIPTION, /* one per subscription (side A, side B) */
	SCOPE_WORKLOAD,     /* one per workload that has at least one DEP */
	SCOPE_RG,           /* one per unique resource group per side */
	SCOPE_VAULT,        /* one per DEP per side (one vault, one key each) */
	SCOPE_DEP,          /* one per DEP */
	SCOPE_MAILBOX,      /* one per mailbox listed in an Exchange DEP */
	SCOPE_VAULT_ADMIN,  /* one per vault and per administrator of its subscription */
	SCOPE_OFFICER,      /* one per security-domain officer (Managed HSM plans) */
	SCOPE_HSM_OFFICER,  /* one per HSM (side) and per security-domain officer */
	SCOPE_COUNT
};

/* Template flags. */
#define SD_WITNESS 0x01u    /* the other operator witnesses */
#define SD_CRITICAL 0x02u   /* type the resource name to confirm */
#define SD_MANAGE 0x04u     /* management task: only with_management */
#define SD_CREATE 0x08u     /* only when the plan creates keys in the vault */
#define SD_IMPORT 0x10u     /* only when the plan imports keys (BYOK) */
#define SD_CONTRIB 0x20u    /* only when the subscription lists contributors */
#define SD_EMAIL 0x40u      /* catalogue >= 2: only when the plan onboards by FastTrack and e-mail */
#define SD_SERVICE 0x80u    /* only when the plan onboards through the onboarding service */
#define SD_OFFBOARD 0x100u  /* offboarding: its own ceremony (catalogue_build_offboarding) */
#define SD_VAULTS 0x200u    /* catalogue >= 3: only when the keys are in vaults (not an HSM) */
#define SD_HSM 0x400u       /* catalogue >= 3: only when the keys are in Managed HSMs */

/* What the operator types to confirm a critical step. */
enum confirm_kind { CONFIRM_NONE, CONFIRM_VAULT, CONFIRM_KEY, CONFIRM_DEP, CONFIRM_UPN,
		    CONFIRM_TENANT /* the tenant's domain: offboarding */ };

/* What a PowerShell block needs before its first command. The Az blocks
 * select their subscription (doc/sources.md: every per-subscription block starts
 * with Set-AzContext / az account set). */
enum step_session { SESS_NONE, SESS_AZ, SESS_EXO, SESS_SPO };

#define STEP_MAX_PREREQS 4

/* Table-writing helpers for steps_table.c and steps_manage.c. */
#define EV(a) (a), CK_ARRAY_LEN(a)
#define NO_WAIT { WAIT_NONE, 0, NULL, 0 }
#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The backup evidence, shared by key.backup and manage.roll_backup. */
#define STEPS_EV_BACKUP_N 4
extern const struct evidence_spec steps_ev_backup[STEPS_EV_BACKUP_N];

/* Workload masks for templates that apply to some DEP types only. */
#define WLM(w) (1u << (w))
#define WLM_ALL 0u

struct step_def {
	const char *id;            /* template id, the first part of instance ids */
	enum step_phase phase;
	enum step_scope scope;
	enum step_owner_kind owner;
	unsigned flags;            /* SD_* */
	unsigned workloads;        /* WLM() mask; WLM_ALL = every workload */
	enum confirm_kind confirm;
	const char *title;         /* N_() */
	const char *why;           /* N_(): our own words, from the seeds */
	const char *source;        /* seed file and section heading(s) */
	const char *prereqs[STEP_MAX_PREREQS]; /* template ids, resolved by binding */
	struct step_wait wait;
	const struct evidence_spec *evidence;
	size_t n_evidence;
	enum check_kind check;
	enum step_session session;
	/* Command templates, one line each, NULL-terminated; see steps_render.c
	 * for the {variable} syntax. ps: Az PowerShell (and the Exchange Online /
	 * SharePoint Online modules); az: the Azure CLI equivalent, NULL when
	 * there is none (the PowerShell lines are shown instead). */
	const char *const *ps;
	const char *const *az;
	/* Non-command material (the onboarding e-mail): rendered by code. */
	int (*text)(const struct catalogue *c, const struct step *s, evidence_get_fn get,
		    void *ctx, struct buf *out);
	/* Catalogue versions (steps.h, STEPS_CATALOGUE_VERSION) this template
	 * belongs to: from since (0 = 1, the first catalogue) up to, not
	 * including, until (0 = still current). A journal is replayed with the
	 * catalogue it was recorded under, so a template is never edited in a
	 * way that changes a recorded step (evidence, owner, witness): it is
	 * retired and a new one with the same id takes over. */
	unsigned since, until;
};

/* Whether template d is part of catalogue version v. */
bool steps_def_in(const struct step_def *d, unsigned version);

/* A prerequisite that a later catalogue version adds to a template (or, with
 * until, drops from one): the template's own prereqs[] hold from the version
 * it appeared in; changes after that are listed here (steps_version.c). */
struct step_prereq_change {
	const char *template_id;
	const char *prereq;
	unsigned since, until; /* as in struct step_def */
	bool other_side;       /* the same DEP's instance on the other side (not this one's) */
	bool hsm_only;         /* only in plans whose keys are in Managed HSMs */
};
extern const struct step_prereq_change steps_prereq_changes[];
extern const size_t steps_prereq_changes_len;

/* The ceremony (steps_table.c), then the management tasks (steps_manage.c):
 * walk them all, in procedure order, with steps_def_at(0 .. count-1). */
extern const struct step_def steps_table[];
extern const size_t steps_table_len;
extern const struct step_def steps_hsm_table[];
extern const size_t steps_hsm_table_len;
extern const struct step_def steps_hsm_manage_table[];
extern const size_t steps_hsm_manage_table_len;
extern const struct step_def steps_keys_table[];
extern const size_t steps_keys_table_len;
extern const struct step_def steps_manage_table[];
extern const size_t steps_manage_table_len;
extern const struct step_def steps_offboard_table[];
extern const size_t steps_offboard_table_len;
size_t steps_def_count(void);
const struct step_def *steps_def_at(size_t i);

/* The template of that id in catalogue version v (steps_def_find: the
 * current version), or NULL. */
const struct step_def *steps_def_find(const char *template_id);
const struct step_def *steps_def_find_in(const char *template_id, unsigned version);

/* Evidence forms of catalogue version 2 (evidence_version.c). */
struct steps_tool {
	const char *name;    /* as the tool names itself: "Az.KeyVault", "azure-cli" */
	const char *minimum; /* the oldest version the rendered commands work with */
};
extern const struct steps_tool steps_tools[];
extern const size_t steps_tools_len;
/* -1, 0, 1 as a is older, the same, newer than b; -2 if either is no version. */
int steps_version_cmp(const char *a, const char *b);
int steps_check_tool_version(const char *v, const struct evidence_spec *e, char **out,
			     char **err);
int steps_check_access_list(const struct catalogue *c, const struct step *s, const char *v,
			    const struct evidence_spec *e, char **out, char **err);
int steps_check_new_key_uri(const struct step *s, const char *v, const struct evidence_spec *e,
			    char **out, char **err);
int steps_check_request_id(const char *v, const struct evidence_spec *e, char **out, char **err);
/* evidence_fail.c: the message form of every evidence check. */
int steps_evidence_fail(char **err, const struct evidence_spec *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Key permissions a template's commands use (steps_perms.c): needs are
 * held day to day by the administrators; temporary ones are granted by
 * the template and taken away by revoked_by. Space-separated names. */
struct steps_task_perms {
	const char *template_id;
	const char *needs;
	const char *temporary;  /* NULL: none */
	const char *revoked_by; /* the template whose commands take it away */
};
extern const struct steps_task_perms steps_task_perms[];
extern const size_t steps_task_perms_len;
const struct steps_task_perms *steps_task_perms_find(const char *template_id);
/* Appends "template: permission" for each day-to-day need the plan's
 * administrator permissions lack (catalogue version); returns how many. */
size_t steps_perms_uncovered(const struct plan *p, unsigned version, struct buf *out);

/* Managed HSM plans (steps_hsm_vars.c): a variable of the HSM steps
 * (NULL with *placeholder when unknown), and the values of a list variable
 * {{@name}} (NULL when the name is no list; *n values, caller frees both). */
char *steps_hsm_var(const struct catalogue *c, const struct step_bind *b, const char *name,
		    char **placeholder);
char **steps_hsm_list(const struct catalogue *c, const struct step_bind *b, const char *name,
		      size_t *n);
/* The SHA-256 (hex) the plan gives for the officer a step is bound to, or NULL. */
const char *steps_officer_sha256(const struct catalogue *c, const struct step *s);

/* Steps done in a portal or by e-mail (steps_text.c). */
int steps_email_text(const struct catalogue *c, const struct step *s, evidence_get_fn get,
		     void *ctx, struct buf *out);
int steps_fasttrack_text(const struct catalogue *c, const struct step *s, evidence_get_fn get,
			 void *ctx, struct buf *out);
/* The FastTrack offer's name for a workload (steps_render.c). */
const char *steps_fasttrack_offer(int workload);

/* What an instance is bound to: used for ids, prerequisites and rendering.
 * Kept beside the public struct step in the catalogue (same index). */
struct step_bind {
	int side;                   /* CK_SIDE_NONE when not per side */
	int workload;               /* -1 when not per workload */
	const struct inv_dep *dep;
	const char *rg;             /* resource group name */
	const char *mailbox;
	const char *upn;            /* administrator */
	int officer;                /* security-domain officer index, -1 when none */
};

/* The template variables (steps_vars.c). */
struct steps_var_ctx {
	const struct catalogue *c;
	const struct step_bind *b;
	const char *loop_upn;       /* @admins / @contributors: this line's UPN */
	const char *loop_mailbox;   /* @mailboxes: this line's mailbox */
	int loop_workload;          /* @apps: this line's workload, -1 outside */
};
/* The value of {{name}} for a step (caller frees), or NULL when it has none
 * there; *known: whether name is a variable at all. */
char *steps_var_value(const struct steps_var_ctx *x, const char *name, bool *known);
bool steps_var_known(const char *name);
/* The variables table of doc/steps.md. */
void steps_vars_markdown(struct buf *out);

const struct step_bind *catalogue_bind(const struct catalogue *c, const struct step *s);
/* The instance of template_id bound like s (same DEP, workload), on side
 * (CK_SIDE_NONE: s's own side): for evidence of related steps. */
const struct step *catalogue_related(const struct catalogue *c, const struct step *s,
				     const char *template_id, int side);

#endif
