/* plan.h: the setup plan (format version 1) as the rest of ckwizard sees it.
 *
 * The loader (plan_load.c) reads YAML strictly into a positioned document tree
 * (ydoc.h), checks it against the field table (plan_fields.c), and fills this
 * struct. The rules (rules.c) then judge the filled plan; the inventory
 * (inventory.c) expands it into every final resource name.
 *
 * The usual sequence (cli_plan.c, and any caller that needs a judged plan):
 *   p = plan_load(path, &d);               NULL: unusable input, exit 2
 *   inv = inventory_build(p, &d);           NULL only if a pattern is broken
 *   rules_check(p, inv, &d);                rules.h
 *   diags_sort(&d); rc = rules_exit_code(&d);
 * plans/README.md documents the format, every field and every rule ID.
 *
 * Every string here is valid UTF-8 with no control or bidi characters: the
 * loader refuses anything else. Identifiers (GUIDs, regions, names) are checked
 * by the rules; consumers that paste them into commands still quote them. */
#ifndef CK_PLAN_H
#define CK_PLAN_H

#include "ck.h"
#include "diag.h"
#include "hash.h"

#include <stdbool.h>
#include <stddef.h>

#define PLAN_FORMAT_VERSION 1
#define PLAN_MAX_BYTES (1024 * 1024)

enum plan_workload { WL_EXCHANGE = 0, WL_SHAREPOINT = 1, WL_MULTI = 2, WL_COUNT = 3 };

struct ydoc;  /* the positioned YAML tree, see ydoc.h */

struct plan_operator {
	char *name;
	char *upn;
	char *object_id;      /* Entra object ID (GUID), or NULL: sign-ins are then
			       * matched by UPN */
	char *key;            /* as written: "ed25519:<base64 of 32 bytes>" */
	unsigned char pub[32];/* decoded public key (valid when key_ok) */
	bool key_ok;
	bool demo;            /* one of the bundled demo operators' keys */
};

struct plan_subscription {
	char *id;             /* GUID */
	int operator_side;    /* which operator (CK_SIDE_A/B) owns it */
	char **administrators;/* UPNs: key permissions create,import,list,get,backup,restore */
	size_t n_administrators;
	char **contributors;  /* UPNs: Contributor role on the vaults */
	size_t n_contributors;
};

struct plan_officer {
	char *name;
	char *title;          /* may be NULL */
	char *email;
};

struct plan_regions {
	char *region[CK_SIDES]; /* Azure region per side, e.g. eastus2 / westus2 */
};

struct plan_exchange_policy {
	char *name;           /* DEP name: no spaces */
	char *description;
	struct plan_regions regions;
	char **mailboxes;     /* optional: mailboxes to assign */
	size_t n_mailboxes;
	/* Multi-Geo tenants: the policy's own geo. The loader fills both from
	 * workloads.exchange when the policy does not set them. */
	char *m365_geo;
	char *name_geo;
};

struct plan_sharepoint_geo {
	char *m365_geo;       /* NAM, EUR, APC, ... (data residency) */
	char *name_geo;       /* short geo used in names: NA, EU, AP */
	char *admin_url;      /* https://<tenant>-admin.sharepoint.com */
	struct plan_regions regions;
};

struct plan_exchange {
	bool present;
	char *m365_geo;
	char *name_geo;
	struct plan_exchange_policy *policies;
	size_t n_policies;
};

struct plan_sharepoint {
	bool present;
	struct plan_sharepoint_geo *geos;
	size_t n_geos;
};

struct plan_multi {
	bool present;
	char *m365_geo;
	char *name_geo;
	char *name;           /* DEP name (default "<prefix>-M365-DEP") */
	char *description;
	struct plan_regions regions;
};

struct plan_key_vault {
	char *sku;            /* premium | standard */
	long retention_days;  /* soft-delete retention: must be 90 */
	bool purge_protection;
	char *key_type;       /* RSA-HSM | RSA */
	long key_size;        /* 2048 | 3072 | 4096 */
	char *key_source;     /* create | import (BYOK) */
	char *key_expiry;     /* NULL (none: required) or an ISO date as written */
	char **admin_permissions; /* key permissions of the administrators (default:
				   * create import list get backup restore) */
	size_t n_admin_permissions;
};

/* Managed HSM as the key store (key_store: managed_hsm): one HSM per
 * subscription holds every DEP's key of that side. Its security domain is
 * downloaded encrypted to the officers' RSA keys, a quorum of which restores
 * it (doc/steps.md names Microsoft's pages). */
struct plan_sd_officer {
	char *name;
	char *email;
	char *public_key;     /* PEM (public key or certificate) as written, or NULL */
	char *public_key_sha256; /* as written, or NULL: the key is made at the ceremony */
	char sha256[65];      /* SHA-256 (hex) of the DER SubjectPublicKeyInfo, "" if unknown */
	int bits;             /* RSA modulus size of public_key, 0 if none */
	const char *key_error;/* why public_key was refused (static, translated), or NULL */
};

struct plan_managed_hsm {
	bool on;              /* key_store is managed_hsm */
	char *name;           /* pattern: {prefix} and {side} only */
	char *resource_group; /* pattern: {prefix} and {side} only */
	struct plan_regions regions;
	char **administrators[CK_SIDES]; /* initial administrators: Entra object IDs */
	size_t n_administrators[CK_SIDES];
	long quorum;
	struct plan_sd_officer *officers;
	size_t n_officers;
};

struct plan_naming {
	char *prefix;
	char *resource_group; /* patterns with {placeholders}, see inventory.h */
	char *vault;
	char *key;
	char *backup;
};

struct plan {
	char *path;           /* as given on the command line */
	char *bytes;          /* the exact file bytes (NUL-terminated copy) */
	size_t len;
	char sha256[HASH_SHA256_HEX_LEN + 1];
	struct ydoc *doc;     /* positions for diagnostics: plan_pos(); NULL once dropped */

	long version;
	struct { char *name, *tenant_domain, *tenant_id; } org;
	struct plan_naming naming;
	struct plan_operator op[CK_SIDES];
	int author;           /* side of the operator who wrote the plan */
	int tenant_admin;     /* side of the operator who does tenant-wide steps */
	struct plan_subscription sub[CK_SIDES];
	struct plan_key_vault kv;
	struct plan_officer *officers;
	size_t n_officers;
	struct plan_exchange exchange;
	struct plan_sharepoint sharepoint;
	struct plan_multi multi;
	char *email_alias[WL_COUNT]; /* onboarding e-mail; defaults filled by the loader */
	char *onboarding;     /* "service" | "email"; NULL (absent): email, the first path */
	char *key_store;      /* "key_vault" (default) | "managed_hsm" */
	struct plan_managed_hsm hsm;
};

/* Whether the plan keeps its keys in two Managed HSMs. */
bool plan_uses_hsm(const struct plan *p);

/* Load, strictly. Returns NULL if the input is unusable (loader errors in d,
 * exit code 2); otherwise a plan, possibly with structural errors in d (then
 * the caller should not trust missing fields: rules report them, exit 1). */
struct plan *plan_load(const char *path, struct diags *d);
/* The same from memory (tests, fuzzing); name is used in diagnostics. */
struct plan *plan_load_mem(const char *name, const char *bytes, size_t len, struct diags *d);
/* plan_load without the SHA-256 of the bytes (sha256 left ""): for `check`'s
 * text report, which never prints it, so that it never starts OpenSSL, whose
 * first use costs more than parsing the plan (doc/bench.md). */
struct plan *plan_load_unhashed(const char *path, struct diags *d);
void plan_free(struct plan *p);

/* Line and column of a field path ("workloads.exchange.policies[0].regions.B"),
 * or of its nearest existing parent; 0/0 when unknown. */
void plan_pos(const struct plan *p, const char *path, int *line, int *col);
/* Free the YAML tree kept for plan_pos, once the plan has been checked and no
 * diagnostic of it can follow (the session, whose plan is checked once when
 * it is set): ~0.1 MB on the large plan, held for the whole ceremony
 * otherwise (doc/bench.md, "Sixth round: memory"). plan_pos then gives 0/0. */
void plan_drop_positions(struct plan *p);

/* Short codes and names for workloads: EX/SP/MW, "Exchange Online", ... */
const char *plan_workload_code(enum plan_workload w);
const char *plan_workload_name(enum plan_workload w);
/* Microsoft 365 service principal (app ID) and display name per workload. */
const char *plan_workload_app_id(enum plan_workload w);
const char *plan_workload_app_name(enum plan_workload w);
/* Default onboarding e-mail alias and where that fact comes from. */
const char *plan_workload_default_alias(enum plan_workload w);

#endif
