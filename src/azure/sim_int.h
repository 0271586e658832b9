/* sim_int.h: the simulated tenant's state, shared by the simulator's files
 * (sim.c dispatch, sim_state.c persistence, sim_arm.c subscriptions/vaults/
 * keys, sim_m365.c the Microsoft 365 side, sim_faults.c misbehaviour).
 * Nothing outside src/azure includes this: the contract is backend.h.
 *
 * Times are Unix seconds as long long (exp 253402214400 does not fit an int,
 * doc/traps.md, cJSON). Strings are owned. Arrays are pointer + count, grown by
 * sim_grow(). */
#ifndef CK_SIM_INT_H
#define CK_SIM_INT_H

#include "azure/backend.h"
#include "azure/results.h"
#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

#define SIM_FORMAT "ckwizard-sim-1"
#define SIM_EXP_FOREVER 253402214400LL /* 9999-12-31T00:00:00Z */
#define SIM_SPO_REGISTER_SECONDS (4L * 3600)   /* SharePoint DEP: Registering -> Registered */
#define SIM_MAILBOX_ENCRYPT_SECONDS (72L * 3600) /* Exchange: IsEncrypted after assignment */

/* Key Vault key permissions, as a bit set; sim_state.c has the names. */
enum sim_perm {
	SIM_P_GET, SIM_P_LIST, SIM_P_CREATE, SIM_P_IMPORT, SIM_P_UPDATE, SIM_P_DELETE,
	SIM_P_RECOVER, SIM_P_BACKUP, SIM_P_RESTORE, SIM_P_PURGE, SIM_P_WRAP, SIM_P_UNWRAP,
	SIM_P_ENCRYPT, SIM_P_DECRYPT, SIM_P_SIGN, SIM_P_VERIFY,
	SIM_P_OTHER, /* any secret, certificate or storage permission (a creator's default) */
	SIM_P_COUNT
};
#define SIM_BIT(p) (1u << (p))
extern const char *const sim_perm_names[SIM_P_COUNT];
/* "get, list, create" for a bit set; caller frees. */
char *sim_perms_text(unsigned perms);

/* Key operations (key_ops), the same way. */
enum sim_op { SIM_O_ENCRYPT, SIM_O_DECRYPT, SIM_O_SIGN, SIM_O_VERIFY, SIM_O_WRAP, SIM_O_UNWRAP,
	      SIM_O_COUNT };
extern const char *const sim_op_names[SIM_O_COUNT];

struct sim_sub {
	char *id;
	long long feature_requested;  /* Register-AzProviderFeature, 0 = never */
	bool provider_registered;     /* Microsoft.KeyVault */
};

struct sim_rg {
	char *subscription, *name, *location;
};

struct sim_policy {
	char *object;                 /* UPN or application ID */
	unsigned keys;                /* SIM_BIT(enum sim_perm) */
};

struct sim_version {
	char *id;                     /* 32 hex */
	long long created;
};

struct sim_backup {
	char *version;                /* the key version the blob holds */
	char *file;                   /* file name in the session directory */
	char *sha256;
	long long at;
};

struct sim_key {
	char *name, *kty;
	long long size;
	unsigned ops;                 /* SIM_BIT(enum sim_op) */
	long long exp;                /* 0 = none */
	struct sim_version *versions;
	size_t n_versions;
	struct sim_backup *backups;
	size_t n_backups;
};

struct sim_vault {
	char *name, *subscription, *resource_group, *location, *tenant, *sku;
	bool soft_delete, purge_protection, rbac;
	long long retention_days;
	long long created;
	struct sim_policy *policies;
	size_t n_policies;
	char **contributors;          /* UPNs with the Contributor role on the vault */
	size_t n_contributors;
	struct sim_key *keys;
	size_t n_keys;
};

/* Something done on the Microsoft 365 side or by e-mail, by step id. */
struct sim_event {
	char *step;
	char *what;                   /* "email", "fasttrack", "dep", "assign", ... */
	long long at;
};

struct sim_dep {
	char *id;                     /* the inventory's DEP id: EX-<name>, SP-<geo>, MW */
	char *name;
	char *uris[2];                /* primary, secondary key URIs as given */
	long long created;
};

struct sim_assign {
	char *dep, *mailbox;          /* mailbox "*" for the multi-workload tenant assignment */
	long long at;
};

struct sim_state {
	char *path, *dir;             /* sim.json and the session directory */
	char *faults;                 /* as given when the tenant was started */
	long long registration_delay;
	long long slow_extra;         /* slow-registration fault: extra seconds (from faults) */
	char **spent;                 /* one-shot faults already applied */
	size_t n_spent;
	char **taken;                 /* vault names another tenant holds */
	size_t n_taken;
	struct sim_sub *subs;
	size_t n_subs;
	struct sim_rg *rgs;
	size_t n_rgs;
	struct sim_vault *vaults;
	size_t n_vaults;
	struct sim_event *events;
	size_t n_events;
	struct sim_dep *deps;
	size_t n_deps;
	struct sim_assign *assigns;
	size_t n_assigns;
	const struct catalogue *cat;  /* borrowed */
	/* Parsed from faults at open (not written: the string is). */
	char **fault_name, **fault_value;
	size_t n_faults;
};

/* sim_state.c: persistence, lookups. */
void *sim_grow(void *arr, size_t *n, size_t elem);  /* one more zeroed element at the end */
void sim_state_free(struct sim_state *st);
/* Read path strictly; 1 = read, 0 = no such file, -1 = refused (*err). */
int sim_state_load(struct sim_state *st, const char *path, char **err);
int sim_state_save(const struct sim_state *st, char **err);
struct sim_sub *sim_sub(struct sim_state *st, const char *id, bool create);
struct sim_rg *sim_rg(struct sim_state *st, const char *sub, const char *name);
struct sim_vault *sim_vault(struct sim_state *st, const char *name);
struct sim_key *sim_key(struct sim_vault *v, const char *name);
struct sim_policy *sim_policy(struct sim_vault *v, const char *object, bool create);
const struct sim_event *sim_event_find(const struct sim_state *st, const char *what,
				       const char *step);
void sim_event_add(struct sim_state *st, const char *step, const char *what, long long at);
struct sim_dep *sim_dep(struct sim_state *st, const char *id);
struct sim_assign *sim_assign(struct sim_state *st, const char *dep, const char *mailbox);
bool sim_strv_has(char *const *v, size_t n, const char *s);
void sim_strv_add(char ***v, size_t *n, const char *s);

/* sim_faults.c */
int sim_faults_parse(struct sim_state *st, const char *faults, char **err);
/* The value of an active, unspent one-shot fault (or "" when it takes none),
 * or NULL. */
const char *sim_fault_active(const struct sim_state *st, const char *name);
void sim_fault_spend(struct sim_state *st, const char *name);

/* Feature state of the retention period at now: "NotRegistered",
 * "Registering" or "Registered" (sim_status.c). */
const char *sim_feature_state(const struct sim_state *st, const struct sim_sub *sub,
			      long long now, long long *ready_at);

/* What a step does, chosen by its template id (sim.c's table) or by its check
 * kind. */
enum sim_effect {
	SIM_E_NONE,             /* nothing changes in Azure (a portal or paper step) */
	SIM_E_FEATURE_REGISTER, /* Register-AzProviderFeature */
	SIM_E_FEATURE_SHOW,     /* Get-AzProviderFeature: looks only */
	SIM_E_PROVIDER,         /* Register-AzResourceProvider Microsoft.KeyVault */
	SIM_E_RG,               /* New-AzResourceGroup */
	SIM_E_VAULT,            /* New-AzKeyVault (or update of an existing vault) */
	SIM_E_VAULT_UPDATE,     /* soft delete / purge protection on an existing vault */
	SIM_E_ACCESS_ADMINS,    /* Set-AzKeyVaultAccessPolicy for the administrators */
	SIM_E_ACCESS_CONTRIB,   /* New-AzRoleAssignment Contributor */
	SIM_E_ACCESS_SP,        /* Set-AzKeyVaultAccessPolicy for the Microsoft 365 app */
	SIM_E_ACCESS_ALL,       /* all three (a step that does them together) */
	SIM_E_VALIDATE,         /* access as planned and a key Microsoft 365 can use */
	SIM_E_KEY,              /* Add-AzKeyVaultKey (a new version if it exists) */
	SIM_E_KEY_EXPIRY,       /* Update-AzKeyVaultKey -Expires 9999-12-31 */
	SIM_E_KEY_BACKUP,       /* Backup-AzKeyVaultKey -OutputFile */
	SIM_E_GRANT_DELETE,     /* an administrator gets delete for a while */
	SIM_E_REVOKE_DELETE,    /* ... and loses it again */
	SIM_E_REMOVE_ADMIN,     /* Remove-AzKeyVaultAccessPolicy */
	SIM_E_OFFBOARD_REVOKE,  /* offboarding: the service principal loses wrap/unwrap */
	SIM_E_SP_REGISTER,      /* New-AzADServicePrincipal where the tenant lacks it */
	SIM_E_RESTORE,          /* recover a soft-deleted key: needs keys/recover */
	SIM_E_RESTORE_REVOKE,   /* ... and the temporary permission taken away again */
	/* Managed HSM plans (sim_hsm.c). */
	SIM_E_HSM_CREATE,       /* New-AzKeyVaultManagedHsm */
	SIM_E_HSM_SHOW,         /* Get-AzKeyVaultManagedHsm: exists (active or not) */
	SIM_E_HSM_ACTIVATE,     /* Export-AzKeyVaultSecurityDomain: the download activates */
	SIM_E_HSM_ACTIVE,       /* ... and its check: the HSM is Active */
	SIM_E_HSM_CHECK,        /* Active, soft delete, purge protection */
	SIM_E_HSM_ROLES_ADMINS, /* Managed HSM Crypto User for the key administrators */
	SIM_E_HSM_ROLES_SP,     /* Managed HSM Crypto Service Encryption User per app */
	SIM_E_HSM_RESTORE,      /* manage.restore on an HSM: Crypto Officer for the task */
	SIM_E_HSM_REHEARSAL,    /* the security-domain recovery rehearsal */
	/* From here on: the Microsoft 365 side (sim_m365.c); keep them last. */
	SIM_E_FASTTRACK,        /* the FastTrack request (portal) */
	SIM_E_EMAIL,            /* the onboarding e-mail */
	SIM_E_DEP_CREATE,       /* New-DataEncryptionPolicy / New-M365DataAtRest... */
	SIM_E_SPO_REGISTER,     /* Register-SPODataEncryptionPolicy */
	SIM_E_ASSIGN,           /* Set-Mailbox -DataEncryptionPolicy / tenant assignment */
	SIM_E_ENCRYPTED,        /* Get-MailboxStatistics IsEncrypted: looks only */
	SIM_E_ONBOARD_VALIDATE, /* New-CustomerKeyOnboardingRequest -OnboardingMode Validate */
	SIM_E_ONBOARD_ENABLE    /* ... -OnboardingMode Enable */
};

/* Arguments handed to the effect and check functions. */
struct sim_ctx {
	struct sim_state *st;
	const struct step *s;
	long long now;
	struct check_result *r;
	struct buf detail;
	/* Feature checks: whether only Registered passes for this step, from
	 * sim.c's table (handed down so the effects need not call up). */
	bool want_registered;
};

/* sim_ctx.c: fill r from ctx: status, what was found as a result code
 * (results.h) and the values its sentence takes, in the order of its
 * conversions. */
void sim_result(struct sim_ctx *c, enum check_status st, enum result_id id, ...);
void sim_detail(struct sim_ctx *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char *sim_time_text(long long t);   /* "2026-11-23T12:00:00Z"; caller frees */

/* sim_arm.c: subscriptions, resource groups, vaults, access policies. */
void sim_arm_perform(struct sim_ctx *c, enum sim_effect e);
void sim_arm_check(struct sim_ctx *c, enum sim_effect e);
/* sim_keys.c: keys, expiry, recovery level, backups. */
void sim_keys_perform(struct sim_ctx *c, enum sim_effect e);
void sim_keys_check(struct sim_ctx *c, enum sim_effect e);
/* The recovery level Azure would report for a key in v (sim_status.c). */
const char *sim_recovery_level(struct sim_state *st, const struct sim_vault *v, long long now);

/* What a step is about, from its check descriptor (and its DEP when the
 * descriptor leaves something out); sim_ctx.c. */
struct sim_target {
	int side;
	const char *sub, *rg, *vault, *key, *region;
	int workload;
	const struct plan *plan;
};
void sim_target(const struct sim_ctx *c, struct sim_target *t);
/* The last '/'-separated part of the step id, %XX decoded (a UPN or mailbox). */
char *sim_id_tail(const struct step *s);
/* sim_m365.c: FastTrack, e-mail, DEPs, assignments. */
void sim_m365_perform(struct sim_ctx *c, enum sim_effect e);
void sim_m365_check(struct sim_ctx *c, enum sim_effect e);
/* Shared checks used by both (sim_status.c): is a key usable by a workload's
 * service principal; NULL when it is, else a reason (caller frees). */
char *sim_key_usable(struct sim_state *st, const char *uri, int workload, long long now);
/* sim_access.c: access policies and role assignments. */
#define ADMIN_PERMS (SIM_BIT(SIM_P_CREATE) | SIM_BIT(SIM_P_IMPORT) | SIM_BIT(SIM_P_LIST) | \
		     SIM_BIT(SIM_P_GET) | SIM_BIT(SIM_P_BACKUP) | SIM_BIT(SIM_P_RESTORE))
#define SP_PERMS (SIM_BIT(SIM_P_WRAP) | SIM_BIT(SIM_P_UNWRAP) | SIM_BIT(SIM_P_GET))
#define DANGER_PERMS (SIM_BIT(SIM_P_DELETE) | SIM_BIT(SIM_P_PURGE))
enum { SCOPE_ADMINS = 1, SCOPE_CONTRIB = 2, SCOPE_SP = 4 };
void sim_access_show(struct sim_ctx *c, const struct sim_target *t, unsigned scope);
void sim_access_grant(struct sim_ctx *c, const struct sim_target *t, unsigned scope);
void sim_admin_task(struct sim_ctx *c, const struct sim_target *t, enum sim_effect e,
		    bool perform);
unsigned sim_access_scope(enum sim_effect e);
void sim_offboard_revoke(struct sim_ctx *c, const struct sim_target *t, bool perform);
/* Service principals: Exchange's and SharePoint's exist in every tenant;
 * M365DataAtRestEncryption only once registered (catalogue 2 models it). */
bool sim_sp_exists(const struct sim_state *st, const char *app_id);
void sim_sp_register(struct sim_ctx *c, const struct sim_target *t, bool perform);
/* manage.restore and manage.restore_revoke: the operator's keys/recover. */
void sim_restore(struct sim_ctx *c, const struct sim_target *t, enum sim_effect e, bool perform);
/* An offboarding rehearsal starts from the tenant the first ceremony leaves:
 * each vault of the plan with its administrators' and service principal's
 * policies (keys are not needed for the offboarding steps). */
void sim_seed_onboarded(struct sim_state *st);
/* sim_hsm.c: Managed HSMs. An HSM is a vault record with the Managed HSM
 * SKU (its role assignments are its policies: Crypto User gives the
 * administrators' key permissions, Crypto Service Encryption User wrapKey,
 * unwrapKey and get); its activation is the event "security-domain" under
 * its name. */
bool sim_is_hsm(const struct sim_vault *v);
bool sim_hsm_active(const struct sim_state *st, const struct sim_vault *v);
const char *sim_store_domain(const struct sim_vault *v); /* ".vault.azure.net" or HSM's */
/* The operator's key permission on an HSM (fails c with Azure's answer). */
bool sim_hsm_may(struct sim_ctx *c, struct sim_vault *v, const char *upn, enum sim_perm perm);
void sim_hsm_perform(struct sim_ctx *c, enum sim_effect e);
void sim_hsm_check(struct sim_ctx *c, enum sim_effect e);
/* The effect of a template in a Managed HSM plan, or SIM_E_NONE to use the
 * general table (perform: the perform effect, else the check's). */
enum sim_effect sim_hsm_effect(const struct step *s, bool perform, bool *known);

/* sim_onboard.c: the Customer Key onboarding service. */
void sim_onboard(struct sim_ctx *c, bool enable, bool perform);

#endif
