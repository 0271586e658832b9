/* plan_rules_vault.c: key vault and key settings Customer Key requires
 * (doc/sources.md: the procedure and what changed since). */
#include "ck.h"
#include "plan_rules.h"
#include "text.h"
#include "util.h"
#include "ydoc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Key Vault key permissions (access policies, API 2024-11-01). */
static const char *const vault_key_perms[] = {
	"get", "list", "update", "create", "import", "delete", "recover", "backup", "restore",
	"decrypt", "encrypt", "unwrapKey", "wrapKey", "verify", "sign", "purge", "release",
	"rotate", "getrotationpolicy", "setrotationpolicy",
};
/* What the administrators need for the procedure (source 000, doc/sources.md: "create, import,
 * list, get, backup, restore"). */
static const char *const vault_admin_needed[] = { "create", "import", "list", "get", "backup",
						  "restore" };

void rule_sku_known(const struct rules_ctx *c)
{
	const char *sku = c->p->kv.sku;
	if (sku && !util_streq(sku, "premium") && !util_streq(sku, "standard")) {
		char *vis = text_visible_line(sku);
		rules_at(c, "CK040", "key_vault.sku", _("unknown vault SKU '%s'"), vis);
		free(vis);
	}
}

void rule_sku_premium(const struct rules_ctx *c)
{
	if (util_streq(c->p->kv.sku, "standard"))
		rules_at(c, "CK041", "key_vault.sku",
			 _("standard vaults keep keys in software: for tests only"));
}

void rule_hsm_premium(const struct rules_ctx *c)
{
	if (util_streq(c->p->kv.key_type, "RSA-HSM") && util_streq(c->p->kv.sku, "standard"))
		rules_at(c, "CK042", "key_vault.sku",
			 _("RSA-HSM keys cannot be created in a standard vault"));
}

void rule_key_type(const struct rules_ctx *c)
{
	const char *t = c->p->kv.key_type;
	if (t && !util_streq(t, "RSA-HSM") && !util_streq(t, "RSA")) {
		char *vis = text_visible_line(t);
		rules_at(c, "CK043", "key_vault.key.type",
			 _("key type '%s': Customer Key needs RSA keys that can wrap"), vis);
		free(vis);
	}
}

void rule_key_size(const struct rules_ctx *c)
{
	long n = c->p->kv.key_size;
	if (n != LONG_MIN && n != 2048 && n != 3072 && n != 4096)
		rules_at(c, "CK044", "key_vault.key.size", _("key size %ld is not 2048, 3072 or 4096"),
			 n);
}

void rule_retention(const struct rules_ctx *c)
{
	long n = c->p->kv.retention_days;
	if (n != LONG_MIN && n != 90)
		rules_at(c, "CK045", "key_vault.soft_delete_retention_days",
			 _("soft-delete retention of %ld days; Customer Key requires 90"), n);
}

void rule_purge_protection(const struct rules_ctx *c)
{
	int line, col;
	const struct ydoc_node *n = ydoc_find(c->p->doc, "key_vault.purge_protection", &line, &col);
	/* a value that is not a boolean is CK004 already */
	if (!c->p->kv.purge_protection && (!n || util_streq(n->value, "false")))
		rules_at(c, "CK046", "key_vault.purge_protection",
			 _("purge protection is off: a deleted vault could be purged before "
			   "the retention period ends"));
}

void rule_key_expiry(const struct rules_ctx *c)
{
	const char *e = c->p->kv.key_expiry;
	if (e && !util_streq(e, "9999-12-31")) {
		char *vis = text_visible_line(e);
		rules_at(c, "CK047", "key_vault.key.expiry",
			 _("keys would expire on '%s'; Customer Key keys must not expire"), vis);
		free(vis);
	}
}

static bool vault_in(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (util_strcaseeq(v[i], s))
			return true;
	return false;
}

void rule_admin_no_delete(const struct rules_ctx *c)
{
	const struct plan_key_vault *kv = &c->p->kv;
	for (size_t i = 0; i < kv->n_admin_permissions; i++) {
		const char *perm = kv->admin_permissions[i];
		if (!util_strcaseeq(perm, "delete") && !util_strcaseeq(perm, "purge"))
			continue;
		char *path = xasprintf("key_vault.administrator_key_permissions[%zu]", i);
		rules_at(c, "CK048", path, _("administrators must not hold '%s' permanently"), perm);
		free(path);
	}
}

void rule_key_source(const struct rules_ctx *c)
{
	const char *s = c->p->kv.key_source;
	if (s && !util_streq(s, "create") && !util_streq(s, "import")) {
		char *vis = text_visible_line(s);
		rules_at(c, "CK049", "key_vault.key.source", _("unknown key source '%s'"), vis);
		free(vis);
	}
}

void rule_admin_perm_known(const struct rules_ctx *c)
{
	const struct plan_key_vault *kv = &c->p->kv;
	for (size_t i = 0; i < kv->n_admin_permissions; i++) {
		const char *perm = kv->admin_permissions[i];
		if (vault_in(vault_key_perms, CK_ARRAY_LEN(vault_key_perms), perm))
			continue;
		char *path = xasprintf("key_vault.administrator_key_permissions[%zu]", i);
		char *vis = text_visible_line(perm);
		rules_at(c, "CK050", path, _("'%s' is not a Key Vault key permission"), vis);
		free(vis);
		free(path);
	}
}

void rule_admin_perm_needed(const struct rules_ctx *c)
{
	const struct plan_key_vault *kv = &c->p->kv;
	for (size_t i = 0; i < CK_ARRAY_LEN(vault_admin_needed); i++) {
		if (vault_in((const char *const *)kv->admin_permissions, kv->n_admin_permissions,
			     vault_admin_needed[i]))
			continue;
		rules_at(c, "CK051", "key_vault.administrator_key_permissions",
			 _("administrators lack '%s', which the procedure uses"),
			 vault_admin_needed[i]);
	}
}
