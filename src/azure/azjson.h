/* azjson.h: reading Azure's JSON answers strictly and tolerantly at once.
 * Strict about JSON itself (cJSON traps: trailing bytes, invalid UTF-8,
 * embedded NUL, case-insensitive lookups, int overflow of Unix times); tolerant
 * of Azure's variation: unknown fields are ignored, optional fields may be
 * absent, enum values are compared ignoring case where the specs' own examples
 * vary (doc/azure.md lists each field and why it is read). */
#ifndef CK_AZJSON_H
#define CK_AZJSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Parse exactly len bytes (no trailing garbage, valid UTF-8, no \u0000).
 * NULL with *err (static text) otherwise. */
cJSON *azjson_parse(const char *s, size_t len, const char **err);

/* Case-sensitive lookups along a dotted path ("properties.state"); NULL when
 * absent or of another type. */
const char *azjson_str(const cJSON *o, const char *path);
/* 1 true, 0 false, -1 absent or not a boolean. */
int azjson_bool(const cJSON *o, const char *path);
/* The number (valuedouble: Unix times beyond 2038 stay exact); false when
 * absent or not a number. */
bool azjson_num(const cJSON *o, const char *path, double *out);
/* v kept within [lo, hi], NaN as lo. A JSON number may be anything, even
 * infinite (the reader makes 1e400 infinity), and converting a double out
 * of an integer type's range is undefined: every number Azure sends that
 * becomes a time or a duration goes through here first. */
double azjson_clamp(double v, double lo, double hi);
/* The year 10000 in Unix seconds: a time at or past it is no date. */
#define AZJSON_TIME_END 253402300800.0
const cJSON *azjson_get(const cJSON *o, const char *path);

/* Azure's error body, ARM/Key Vault/Graph form {"error":{"code","message"}}
 * or OAuth form {"error":"code","error_description":"..."}; missing parts
 * stay NULL. Never fails (a body that is not JSON yields nothing). */
void azjson_error(const char *body, size_t len, char **code, char **message);

/* ---- the objects audit reads ---- */

struct az_subscription {
	char *id, *tenant, *state, *quota_id, *display_name;
};
int azjson_subscription(const cJSON *o, struct az_subscription *s, const char **err);
void az_subscription_clear(struct az_subscription *s);

struct az_policy {
	char *tenant, *object_id, *app_id;
	char **keys;        /* key permissions as Azure spells them */
	size_t n_keys;
	size_t n_secrets, n_certificates, n_storage;
};

struct az_vault {
	char *name, *location, *tenant, *sku, *vault_uri, *provisioning;
	int soft_delete;    /* 1/0; absent reads as the API's default, on */
	double retention;   /* softDeleteRetentionInDays; absent: the default, 90 */
	int purge_protection; /* absent means off */
	int rbac;           /* enableRbacAuthorization; absent: off on GET */
	struct az_policy *policies;
	size_t n_policies;
};
int azjson_vault(const cJSON *o, struct az_vault *v, const char **err);
void az_vault_clear(struct az_vault *v);

struct az_key {
	char *kid, *kty, *recovery_level;
	char **ops;
	size_t n_ops;
	long bits;          /* from the modulus n; 0 when absent */
	int enabled;        /* -1 absent */
	double exp, nbf, created, updated; /* 0 when absent */
};
int azjson_key(const cJSON *o, struct az_key *k, const char **err);
void az_key_clear(struct az_key *k);

/* A key identifier https://VAULT-HOST/keys/NAME[/VERSION]: its parts (any
 * may be NULL on failure). Host compared ignoring case and a :443 port. */
struct az_kid {
	char *host, *name, *version;
};
int azjson_kid_parse(const char *kid, struct az_kid *out);
void az_kid_clear(struct az_kid *k);

/* One page of a list: the "value" array and nextLink (NULL when last). */
const cJSON *azjson_page(const cJSON *o, const char **next_link);

/* An identifier compared the way Azure compares it: ASCII case ignored and,
 * for regions, spaces too ("East US 2" is eastus2). */
bool azjson_region_eq(const char *a, const char *b);

/* base64url without padding (JWTs, JWK moduli): decoded length, or -1. out
 * must hold 3 * len / 4 + 3 bytes. Padding '=' at the end is tolerated. */
long azjson_b64url_decode(const char *in, size_t len, unsigned char *out, size_t cap);

#endif
