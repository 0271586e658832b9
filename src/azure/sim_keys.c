/* sim_keys.c: keys in the simulated vaults: creation (a new version when the
 * key exists, as Add-AzKeyVaultKey does), expiry, the recovery level Azure
 * derives from the vault and the subscription, and backups written as files
 * in the session directory so the operators' evidence can hash them. */
#include "ck.h"
#include "azure/sim_int.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOB_BYTES 1536

static struct sim_vault *own_vault(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	if (!v || !util_strcaseeq(v->subscription, t->sub)) {
		sim_result(c, CHECK_FAIL, R_VAULT_MISSING_RUN_VAULT_STEP, t->vault ? t->vault : "?");
		return NULL;
	}
	return v;
}

static struct sim_key *own_key(struct sim_ctx *c, const struct sim_target *t,
			       struct sim_vault **vp)
{
	struct sim_vault *v = own_vault(c, t);
	*vp = v;
	if (!v)
		return NULL;
	struct sim_key *k = sim_key(v, t->key);
	if (!k || !k->n_versions)
		sim_result(c, CHECK_FAIL, R_KEY_NOT_FOUND, v->name, t->key ? t->key : "?");
	return k && k->n_versions ? k : NULL;
}

static const char *latest(const struct sim_key *k)
{
	return k->versions[k->n_versions - 1].id;
}

static void key_props(struct sim_ctx *c, const struct sim_vault *v, const struct sim_key *k)
{
	struct buf ops = BUF_INIT;
	for (int i = 0; i < SIM_O_COUNT; i++)
		if (k->ops & SIM_BIT(i))
			buf_printf(&ops, "%s%s", ops.len ? ", " : "", sim_op_names[i]);
	char *kid = inventory_store_key_uri(sim_store_domain(v), v->name, k->name, latest(k));
	sim_detail(c, "kid", "%s", kid);
	free(kid);
	sim_detail(c, "kty", "%s", k->kty);
	sim_detail(c, "key_size", "%lld", k->size);
	sim_detail(c, "key_ops", "%s", ops.len ? ops.p : "(none)");
	sim_detail(c, "enabled", "true");
	if (k->exp) {
		char *t = sim_time_text(k->exp);
		sim_detail(c, "exp", "%lld (%s)", k->exp, t);
		free(t);
	} else {
		sim_detail(c, "exp", "(none)");
	}
	sim_detail(c, "recoveryLevel", "%s", sim_recovery_level(c->st, v, c->now));
	sim_detail(c, "recoverableDays", "%lld", v->retention_days);
	buf_free(&ops);
}

static const char *plan_kty(const struct plan *p)
{
	return p && p->kv.key_type ? p->kv.key_type : "RSA-HSM";
}

static void key_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v;
	struct sim_key *k = own_key(c, t, &v);
	if (!k)
		return;
	key_props(c, v, k);
	const struct plan *p = t->plan;
	long long size = p && p->kv.key_size ? p->kv.key_size : 3072;
	unsigned wrap = SIM_BIT(SIM_O_WRAP) | SIM_BIT(SIM_O_UNWRAP);
	if (strcmp(k->kty, plan_kty(p)) != 0)
		sim_result(c, CHECK_FAIL, R_KEY_WRONG_TYPE, k->name, k->kty, plan_kty(p));
	else if (k->size != size)
		sim_result(c, CHECK_FAIL, R_KEY_WRONG_SIZE, k->name, k->size, size);
	else if ((k->ops & wrap) != wrap)
		sim_result(c, CHECK_FAIL, R_KEY_CANNOT_WRAP, k->name);
	else if (c->s->template_id && strcmp(c->s->template_id, "key.uri") == 0) {
		char *uri = inventory_store_key_uri(sim_store_domain(v), v->name, k->name,
						    latest(k));
		sim_result(c, CHECK_PASS, R_KEY_URI, uri);
		free(uri);
	} else {
		sim_result(c, CHECK_PASS, R_KEY_OK, k->name, k->kty, k->size, latest(k));
	}
}

/* Version IDs: 32 hex, deterministic from the tenant's history so a
 * rehearsal replayed with the same inputs gives the same IDs. */
static char *version_id(const struct sim_vault *v, const struct sim_key *k)
{
	char hex[HASH_SHA256_HEX_LEN + 1];
	char *seed = xasprintf("ckwizard-sim key version\n%s\n%s\n%zu", v->name, k->name,
			       k->n_versions);
	hash_sha256_hex(seed, strlen(seed), hex);
	free(seed);
	return xstrndup(hex, 32);
}

/* The operator's own access: in access-policy mode they need the permission
 * the command uses; with RBAC on nobody holds a data-plane role here. */
static bool may(struct sim_ctx *c, struct sim_vault *v, const struct sim_target *t,
		enum sim_perm perm)
{
	const struct plan *p = t->plan;
	const char *upn = p && c->s->owner >= 0 && c->s->owner < CK_SIDES ? p->op[c->s->owner].upn
									    : NULL;
	if (sim_is_hsm(v))
		return sim_hsm_may(c, v, upn, perm);
	if (v->rbac) {
		sim_result(c, CHECK_FAIL, R_FORBIDDEN_RBAC);
		return false;
	}
	struct sim_policy *pol = upn ? sim_policy(v, upn, false) : NULL;
	if (!pol || !(pol->keys & SIM_BIT(perm))) {
		sim_result(c, CHECK_FAIL, R_FORBIDDEN_PERMISSION_MISSING, upn ? upn : "?", v->name, sim_perm_names[perm]);
		return false;
	}
	return true;
}

static void key_create(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v = own_vault(c, t);
	const struct plan *p = t->plan;
	bool import = c->s->template_id && strcmp(c->s->template_id, "key.import") == 0;
	if (!v || !may(c, v, t, import ? SIM_P_IMPORT : SIM_P_CREATE))
		return;
	if (!t->key) {
		sim_result(c, CHECK_FAIL, R_NO_KEY_NAMED);
		return;
	}
	const char *kty = plan_kty(p);
	if (strcmp(kty, "RSA-HSM") == 0 && !util_strcaseeq(v->sku, "premium") && !sim_is_hsm(v)) {
		sim_result(c, CHECK_FAIL, R_HSM_NEEDS_PREMIUM, v->name, v->sku);
		return;
	}
	struct sim_key *k = sim_key(v, t->key);
	if (!k) {
		v->keys = sim_grow(v->keys, &v->n_keys, sizeof *v->keys);
		k = &v->keys[v->n_keys - 1];
		k->name = xstrdup(t->key);
	} else {
		sim_detail(c, "note", "the key existed: Add-AzKeyVaultKey made a new version");
	}
	free(k->kty);
	k->kty = xstrdup(kty);
	k->size = p && p->kv.key_size ? p->kv.key_size : 3072;
	k->ops = SIM_BIT(SIM_O_WRAP) | SIM_BIT(SIM_O_UNWRAP);
	k->exp = 0; /* a new version carries only the attributes given */
	const char *days = sim_fault_active(c->st, "expiring-key");
	if (days) {
		k->exp = c->now + (*days ? strtol(days, NULL, 10) : 30L) * 86400;
		sim_fault_spend(c->st, "expiring-key");
	}
	k->versions = sim_grow(k->versions, &k->n_versions, sizeof *k->versions);
	k->versions[k->n_versions - 1].id = version_id(v, k);
	k->versions[k->n_versions - 1].created = c->now;
	key_show(c, t);
}

static void expiry_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v;
	struct sim_key *k = own_key(c, t, &v);
	if (!k)
		return;
	key_props(c, v, k);
	if (!k->exp) {
		sim_result(c, CHECK_PASS, R_KEY_NO_EXPIRY, k->name);
	} else if (k->exp == SIM_EXP_FOREVER) {
		sim_result(c, CHECK_PASS, R_KEY_EXPIRES_9999, k->name);
	} else {
		char *when = sim_time_text(k->exp);
		sim_result(c, CHECK_FAIL, R_KEY_EXPIRES, k->name, when, v->name, k->name);
		free(when);
	}
}

/* The step's commands look first and fix only "if Expires is set": the
 * first perform shows the expiry (as Get-AzKeyVaultKey would), the next one
 * runs the recipe. Moving the expiry to 9999-12-31 is all Azure allows: an
 * expiry cannot be removed. */
static void expiry_fix(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v;
	struct sim_key *k = own_key(c, t, &v);
	if (!k)
		return;
	if (k->exp && k->exp != SIM_EXP_FOREVER) {
		if (!sim_event_find(c->st, "expiry-seen", c->s->id)) {
			sim_event_add(c->st, c->s->id, "expiry-seen", c->now);
		} else {
			k->exp = SIM_EXP_FOREVER;
			sim_detail(c, "note", "Update-AzKeyVaultKey -Expires 9999-12-31 applied");
		}
	}
	expiry_show(c, t);
}

static void recovery_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v;
	struct sim_key *k = own_key(c, t, &v);
	if (!k)
		return;
	key_props(c, v, k);
	const char *level = sim_recovery_level(c->st, v, c->now);
	long long ready;
	const char *feature = sim_feature_state(c->st, sim_sub(c->st, v->subscription, false),
						c->now, &ready);
	if (strcmp(level, "Recoverable+ProtectedSubscription") == 0)
		sim_result(c, CHECK_PASS, R_RECOVERY_LEVEL_OK);
	else if (strncmp(level, "Customized", 10) == 0)
		sim_result(c, CHECK_FAIL, R_RECOVERY_LEVEL_RETENTION_TOO_SHORT, level, v->retention_days);
	else if (!v->purge_protection)
		sim_result(c, CHECK_FAIL, R_RECOVERY_LEVEL_PURGE_PROTECTION_OFF, level, v->name);
	else if (strcmp(feature, "Registering") == 0)
		sim_result(c, CHECK_PENDING, R_RECOVERY_LEVEL_RETENTION_REGISTERING, level);
	else
		sim_result(c, CHECK_FAIL, R_RECOVERY_LEVEL_RETENTION_NOT_REGISTERED, level, feature);
}

/* ---- Backups ------------------------------------------------------------- */

/* An opaque, deterministic blob per key version. It says it is simulated so
 * nobody mistakes it for a real backup. */
static unsigned char *backup_blob(const struct sim_vault *v, const struct sim_key *k,
				  size_t *len)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "ckwizard simulated Key Vault backup (not a real key)\nvault: %s\nkey: %s\n"
		   "version: %s\n\n", v->name, k->name, latest(k));
	unsigned char block[HASH_SHA256_LEN];
	char *seed = xasprintf("%s/%s/%s", v->name, k->name, latest(k));
	hash_sha256(seed, strlen(seed), block);
	free(seed);
	while (b.len < BLOB_BYTES) {
		buf_add(&b, block, sizeof block);
		hash_sha256(block, sizeof block, block);
	}
	*len = b.len;
	return (unsigned char *)buf_steal(&b);
}

/* Write the file exclusively: Backup-AzKeyVaultKey refuses to overwrite. The
 * same bytes already there (the step run twice) are fine. A kill leaves the
 * name absent or whole (util_write_new_file). */
static int write_backup(const char *path, const unsigned char *data, size_t len, char **why)
{
	if (util_write_new_file(path, data, len, 0600) == 0)
		return 0;
	if (errno == EEXIST) {
		char have[HASH_SHA256_HEX_LEN + 1], want[HASH_SHA256_HEX_LEN + 1];
		hash_sha256_hex(data, len, want);
		if (hash_file_sha256_hex(path, have) == 0 && strcmp(have, want) == 0)
			return 0;
		*why = xasprintf(_("the file %s already exists with other content, and "
				   "Backup-AzKeyVaultKey does not overwrite: move it away first"),
				 path);
		return -1;
	}
	*why = xasprintf(_("cannot write %s: %s; nothing was written under that name: free disk "
			   "space or fix the device, then perform the step again"),
			 path, strerror(errno));
	return -1;
}

static char *backup_name(const struct sim_ctx *c, const struct sim_target *t)
{
	const char *today = c->st->cat->today[0] ? c->st->cat->today : "19700101";
	char *name = NULL;
	if (c->s->dep && t->side >= 0)
		name = inventory_backup_name(&c->s->dep->side[t->side], today);
	if (!name)
		name = xasprintf("%s-Backup-%s.backup", t->key, today);
	/* Plan patterns are validated upstream; never leave the directory. */
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	if (name[0] == '.')
		name[0] = '_';
	return name;
}

static void backup_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v;
	struct sim_key *k = own_key(c, t, &v);
	if (!k)
		return;
	const struct sim_backup *bk = NULL;
	for (size_t i = 0; i < k->n_backups; i++)
		if (strcmp(k->backups[i].version, latest(k)) == 0)
			bk = &k->backups[i];
	sim_detail(c, "key", "%s (version %s)", k->name, latest(k));
	if (!bk) {
		sim_result(c, CHECK_FAIL, R_BACKUP_MISSING, latest(k), k->name);
		return;
	}
	char *path = xasprintf("%s/%s", c->st->dir, bk->file);
	char hex[HASH_SHA256_HEX_LEN + 1];
	sim_detail(c, "file", "%s", path);
	sim_detail(c, "sha256", "%s", bk->sha256);
	if (hash_file_sha256_hex(path, hex) != 0)
		sim_result(c, CHECK_FAIL, R_BACKUP_FILE_GONE, path);
	else if (strcmp(hex, bk->sha256) != 0)
		sim_result(c, CHECK_FAIL, R_BACKUP_FILE_CHANGED, path, hex);
	else
		sim_result(c, CHECK_PASS, R_BACKUP_OK, k->name, latest(k), path);
	free(path);
}

static void backup_take(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v;
	struct sim_key *k = own_key(c, t, &v);
	if (!k || !may(c, v, t, SIM_P_BACKUP))
		return;
	size_t len;
	unsigned char *blob = backup_blob(v, k, &len);
	char *name = backup_name(c, t);
	char *path = xasprintf("%s/%s", c->st->dir, name);
	char *why = NULL;
	if (write_backup(path, blob, len, &why) < 0) {
		sim_result(c, CHECK_FAIL, R_PROBLEMS, why);
		free(why);
	} else {
		k->backups = sim_grow(k->backups, &k->n_backups, sizeof *k->backups);
		struct sim_backup *bk = &k->backups[k->n_backups - 1];
		char hex[HASH_SHA256_HEX_LEN + 1];
		hash_sha256_hex(blob, len, hex);
		bk->version = xstrdup(latest(k));
		bk->file = xstrdup(name);
		bk->sha256 = xstrdup(hex);
		bk->at = c->now;
		backup_show(c, t);
	}
	free(path);
	free(name);
	free(blob);
}

/* ---- Dispatch ------------------------------------------------------------ */

void sim_keys_check(struct sim_ctx *c, enum sim_effect e)
{
	struct sim_target t;
	sim_target(c, &t);
	(void)e;
	switch (c->s->check.kind) {
	case CHECK_KEY: key_show(c, &t); return;
	case CHECK_KEY_EXPIRY: expiry_show(c, &t); return;
	case CHECK_KEY_RECOVERY: recovery_show(c, &t); return;
	case CHECK_KEY_BACKUP: backup_show(c, &t); return;
	default:
		sim_result(c, CHECK_UNAVAILABLE, R_SIM_NO_SUCH_CHECK);
		return;
	}
}

void sim_keys_perform(struct sim_ctx *c, enum sim_effect e)
{
	struct sim_target t;
	sim_target(c, &t);
	switch (e) {
	case SIM_E_KEY: key_create(c, &t); return;
	case SIM_E_KEY_EXPIRY: expiry_fix(c, &t); return;
	case SIM_E_KEY_BACKUP: backup_take(c, &t); return;
	default: sim_keys_check(c, e); return;
	}
}
