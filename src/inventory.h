/* inventory.h: the plan expanded into every resource by its final name.
 *
 * A DEP (data encryption policy) is the unit: each has one vault, one key and
 * one backup file per side. Placeholders in naming patterns:
 *   {prefix}     naming.prefix
 *   {workload}   EX | SP | MW
 *   {geo}        the short geo used in names (name_geo), e.g. NA
 *   {side}       A | B
 *   {vault_seq}  1.. within one workload and geo (one per DEP), {vault_seq:02} pads
 *   {key_seq}    1 for the first key of a vault, {key_seq:03} pads
 *   {vault}      the expanded vault name (key and backup patterns only)
 *   {key}        the expanded key name (backup pattern only)
 *   {date}       YYYYMMDD of the backup (backup pattern only; filled when taken)
 */
#ifndef CK_INVENTORY_H
#define CK_INVENTORY_H

#include "plan.h"

struct inv_side {
	int side;                 /* CK_SIDE_A / CK_SIDE_B */
	int operator_side;        /* owner of the subscription */
	const char *subscription; /* GUID (points into the plan) */
	const char *region;       /* points into the plan */
	char *resource_group;
	char *vault;
	char *key;
	char *backup_pattern;     /* backup file name with {date} still in it */
	char *key_uri;            /* https://<vault>.vault.azure.net/keys/<key>, the
				   * vault as the plan spells it: Azure may report the
				   * host in lower case, so compare hosts ignoring case */
};

struct inv_dep {
	enum plan_workload workload;
	size_t index;             /* policy/geo index inside its workload */
	char *plan_path;          /* e.g. workloads.exchange.policies[3] */
	char *id;                 /* stable: EX-<name> | SP-<m365_geo> | MW */
	const char *name;         /* DEP name (Exchange/multi), NULL for SharePoint */
	const char *description;
	const char *m365_geo;
	const char *name_geo;
	const char *admin_url;    /* SharePoint only */
	char *const *mailboxes;   /* Exchange only */
	size_t n_mailboxes;
	struct inv_side side[CK_SIDES];
};

struct inv_rg {               /* unique resource groups per side */
	int side;
	char *name;
	const char *region;       /* region of the first vault placed in it */
};

struct inventory {
	const struct plan *plan;
	struct inv_dep *deps;
	size_t n_deps;
	struct inv_rg *rgs;
	size_t n_rgs;
	/* Managed HSM plans: each side's HSM and its resource group (NULL
	 * otherwise); every DEP's side then names the HSM as its vault. */
	char *hsm[CK_SIDES];
	char *hsm_rg[CK_SIDES];
};

/* Expand every name. Pattern errors (unknown placeholder, bad format) go to d
 * with their rule IDs; returns NULL only when nothing can be expanded. */
struct inventory *inventory_build(const struct plan *p, struct diags *d);
void inventory_free(struct inventory *inv);
/* Backup file name for a side on a date (YYYYMMDD); caller frees. The one
 * place the name is made: commands, evidence checks and the simulator. */
char *inventory_backup_name(const struct inv_side *s, const char *yyyymmdd);
/* A Managed HSM's security-domain file, and security-domain officer n's
 * certificate (from 1), in the working directory; caller frees. The one
 * place the names are made: the commands and the activation's write. */
char *inventory_sd_file(const char *hsm);
char *inventory_officer_cert(size_t n);
/* The region of resource group rg of a side (the region of the first vault
 * placed in it), or NULL when the inventory has no such group. */
const char *inventory_rg_region(const struct inventory *inv, int side, const char *rg);

/* Key Vault names (Microsoft Learn, "About keys, secrets, and certificates":
 * https://{vault-name}.vault.azure.net/{object-type}/{object-name}/{object-version}).
 * The one place a URI is built or split. Caller frees. */
#define INV_VAULT_DNS ".vault.azure.net"
char *inventory_vault_uri(const char *vault);            /* https://<vault>.vault.azure.net/ */
/* https://<vault>.vault.azure.net/keys/<key>[/<version>]; version may be NULL. */
char *inventory_key_uri(const char *vault, const char *key, const char *version);
/* A Managed HSM's keys (key_store: managed_hsm):
 * https://{hsm}.managedhsm.azure.net/keys/{key}[/{version}]. */
#define INV_HSM_DNS ".managedhsm.azure.net"
/* The key URI in a store of that domain (INV_VAULT_DNS or INV_HSM_DNS). */
char *inventory_store_key_uri(const char *domain, const char *store, const char *key,
			      const char *version);
/* The domain of a DEP's key store, INV_VAULT_DNS or INV_HSM_DNS, read from
 * its key URIs (validators compare recorded URIs with it). */
const char *inventory_store_domain(const struct inv_dep *dep);
/* Split a key URI as inventory_key_uri or inventory_store_key_uri writes it
 * (a vault's or a Managed HSM's): true with the parts
 * (caller frees each; *version NULL when the URI has none), else false. */
bool inventory_key_uri_split(const char *uri, char **vault, char **key, char **version);
/* Expand one pattern; NULL with *err (static text) on an unknown placeholder. */
struct inv_vars {
	const char *prefix, *workload, *geo, *vault, *key, *date;
	char side;
	int vault_seq, key_seq;
};
char *inventory_expand(const char *pattern, const struct inv_vars *v, const char **err);

#endif
