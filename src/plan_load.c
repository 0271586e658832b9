/* plan_load.c: read a plan file safely, parse it (ydoc.c), check it against
 * the field table (plan_fields.c) and fill struct plan. */
#include "ck.h"
#include "fileread.h"
#include "hash.h"
#include "plan.h"
#include "plan_fields.h"
#include "pubkey.h"
#include "rules.h"
#include "util.h"
#include "ydoc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Symlinks to a plan are legitimate (plans kept in a shared folder), so they
 * are followed; anything that is not a regular file in the end is refused
 * before reading a byte (fileread.h: a FIFO never blocks). */
static char *plan_read_file(const char *path, size_t *len, struct diags *d)
{
	char *bytes = NULL, *why = NULL;
	switch (fileread(path, PLAN_MAX_BYTES, 0, &bytes, len, &why)) {
	case FILEREAD_OK:
		return bytes;
	case FILEREAD_OPEN:
		rules_emit(d, "L001", NULL, 0, 0, _("cannot open the plan: %s"), why);
		break;
	case FILEREAD_READ:
		rules_emit(d, "L001", NULL, 0, 0, _("cannot read the plan: %s"), why);
		break;
	case FILEREAD_NOT_REGULAR:
		rules_emit(d, "L002", NULL, 0, 0, "%s", why);
		break;
	case FILEREAD_TOO_LARGE:
		rules_emit(d, "L003", NULL, 0, 0, _("the plan is larger than %d bytes"),
			   PLAN_MAX_BYTES);
		break;
	}
	free(why);
	return NULL;
}

static const struct ydoc_node *plan_node(const struct plan *p, const char *path)
{
	int l, c;
	return ydoc_find(p->doc, path, &l, &c);
}

/* The string at path, or the field's default (with {prefix} left for the
 * caller), or NULL. Only well-kinded scalars count. */
static char *plan_str_at(const struct plan *p, const char *path, const char *pattern)
{
	const struct ydoc_node *n = plan_node(p, path);
	if (n && n->kind == YDOC_SCALAR && n->len > 0)
		return xstrdup(n->value);
	const char *def = pattern ? plan_field_default(pattern) : NULL;
	return def ? xstrdup(def) : NULL;
}

static char *plan_str(const struct plan *p, const char *path)
{
	return plan_str_at(p, path, path);
}

static long plan_long(const struct plan *p, const char *path)
{
	char *s = plan_str(p, path);
	long v;
	if (!s || !plan_is_int(s, &v))
		v = LONG_MIN; /* reported by the field check; rules skip it */
	free(s);
	return v;
}

static bool plan_bool(const struct plan *p, const char *path)
{
	char *s = plan_str(p, path);
	bool v = util_streq(s, "true");
	free(s);
	return v;
}

static int plan_side(const struct plan *p, const char *path)
{
	char *s = plan_str(p, path);
	int side = util_streq(s, "A") ? CK_SIDE_A : util_streq(s, "B") ? CK_SIDE_B : CK_SIDE_NONE;
	free(s);
	return side;
}

/* The string under key in map, or NULL: plan_str for a field inside a list
 * item, which has no default (defaults are looked up by pattern, and an
 * item's path names its index). Read from the item's node rather than from
 * the root by a path printed for each field: the large plan has 56 DEPs. */
static char *plan_str_of(const struct ydoc_node *map, const char *key)
{
	const struct ydoc_node *n = ydoc_get(map, key);
	return n && n->kind == YDOC_SCALAR && n->len > 0 ? xstrdup(n->value) : NULL;
}

/* A list of strings (only scalar items are kept). */
static char **plan_strlist_of(const struct ydoc_node *l, size_t *n)
{
	*n = 0;
	if (!l || l->kind != YDOC_SEQ || l->n == 0)
		return NULL;
	char **v = xcalloc(l->n, sizeof(*v));
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i]->kind == YDOC_SCALAR)
			v[(*n)++] = xstrdup(l->items[i]->value);
	return v;
}

static char **plan_strlist(const struct plan *p, const char *path, size_t *n)
{
	return plan_strlist_of(plan_node(p, path), n);
}

static size_t plan_list_len(const struct plan *p, const char *path)
{
	const struct ydoc_node *l = plan_node(p, path);
	return l && l->kind == YDOC_SEQ ? l->n : 0;
}

static void plan_fill_regions(struct plan *p, const char *base, struct plan_regions *r)
{
	for (int s = 0; s < CK_SIDES; s++) {
		char *path = xasprintf("%s.regions.%c", base, ck_side_letter(s));
		r->region[s] = plan_str(p, path);
		free(path);
	}
}

/* The regions of a list item (an Exchange DEP, a SharePoint geo). */
static void plan_fill_regions_of(const struct ydoc_node *item, struct plan_regions *r)
{
	const struct ydoc_node *regions = ydoc_get(item, "regions");
	for (int s = 0; s < CK_SIDES; s++) {
		const char side[2] = { ck_side_letter(s), '\0' };
		r->region[s] = plan_str_of(regions, side);
	}
}

static void plan_fill_people(struct plan *p)
{
	for (int s = 0; s < CK_SIDES; s++) {
		char c = ck_side_letter(s);
		char *b = xasprintf("operators.%c", c);
		char *k;
		struct plan_operator *o = &p->op[s];
		k = xasprintf("%s.name", b), o->name = plan_str(p, k), free(k);
		k = xasprintf("%s.upn", b), o->upn = plan_str(p, k), free(k);
		k = xasprintf("%s.object_id", b), o->object_id = plan_str(p, k), free(k);
		k = xasprintf("%s.key", b), o->key = plan_str(p, k), free(k);
		o->key_ok = o->key && pubkey_parse(o->key, o->pub) == 0;
		o->demo = o->key_ok && pubkey_demo_find(o->pub) != NULL;
		free(b);

		struct plan_subscription *sub = &p->sub[s];
		b = xasprintf("subscriptions.%c", c);
		k = xasprintf("%s.id", b), sub->id = plan_str(p, k), free(k);
		k = xasprintf("%s.operator", b), sub->operator_side = plan_side(p, k), free(k);
		k = xasprintf("%s.administrators", b);
		sub->administrators = plan_strlist(p, k, &sub->n_administrators);
		free(k);
		k = xasprintf("%s.contributors", b);
		sub->contributors = plan_strlist(p, k, &sub->n_contributors);
		free(k);
		free(b);
	}
	p->author = plan_side(p, "author");
	p->tenant_admin = plan_side(p, "tenant_admin");
	p->n_officers = plan_list_len(p, "officers");
	p->officers = xcalloc(p->n_officers ? p->n_officers : 1, sizeof(*p->officers));
	for (size_t i = 0; i < p->n_officers; i++) {
		char *k;
		k = xasprintf("officers[%zu].name", i), p->officers[i].name = plan_str(p, k), free(k);
		k = xasprintf("officers[%zu].title", i), p->officers[i].title = plan_str(p, k), free(k);
		k = xasprintf("officers[%zu].email", i), p->officers[i].email = plan_str(p, k), free(k);
	}
}

static void plan_fill_key_vault(struct plan *p)
{
	struct plan_key_vault *kv = &p->kv;
	kv->sku = plan_str(p, "key_vault.sku");
	kv->retention_days = plan_long(p, "key_vault.soft_delete_retention_days");
	kv->purge_protection = plan_bool(p, "key_vault.purge_protection");
	kv->key_type = plan_str(p, "key_vault.key.type");
	kv->key_size = plan_long(p, "key_vault.key.size");
	kv->key_source = plan_str(p, "key_vault.key.source");
	kv->key_expiry = plan_str(p, "key_vault.key.expiry");
	if (plan_node(p, "key_vault.administrator_key_permissions")) {
		kv->admin_permissions = plan_strlist(p, "key_vault.administrator_key_permissions",
						     &kv->n_admin_permissions);
	} else {
		static const char *const def[] = { "create", "import", "list", "get", "backup",
						   "restore" };
		kv->n_admin_permissions = CK_ARRAY_LEN(def);
		kv->admin_permissions = xcalloc(CK_ARRAY_LEN(def), sizeof(char *));
		for (size_t i = 0; i < CK_ARRAY_LEN(def); i++)
			kv->admin_permissions[i] = xstrdup(def[i]);
	}
}

static void plan_fill_workloads(struct plan *p)
{
	struct plan_exchange *ex = &p->exchange;
	ex->present = plan_node(p, "workloads.exchange") != NULL;
	ex->m365_geo = plan_str(p, "workloads.exchange.m365_geo");
	ex->name_geo = plan_str(p, "workloads.exchange.name_geo");
	ex->n_policies = plan_list_len(p, "workloads.exchange.policies");
	ex->policies = xcalloc(ex->n_policies ? ex->n_policies : 1, sizeof(*ex->policies));
	const struct ydoc_node *pols = plan_node(p, "workloads.exchange.policies");
	for (size_t i = 0; i < ex->n_policies; i++) {
		struct plan_exchange_policy *pol = &ex->policies[i];
		const struct ydoc_node *it = ydoc_item(pols, i);
		pol->name = plan_str_of(it, "name");
		pol->description = plan_str_of(it, "description");
		pol->m365_geo = plan_str_of(it, "m365_geo");
		if (!pol->m365_geo && ex->m365_geo)
			pol->m365_geo = xstrdup(ex->m365_geo);
		pol->name_geo = plan_str_of(it, "name_geo");
		if (!pol->name_geo && ex->name_geo)
			pol->name_geo = xstrdup(ex->name_geo);
		pol->mailboxes = plan_strlist_of(ydoc_get(it, "mailboxes"), &pol->n_mailboxes);
		plan_fill_regions_of(it, &pol->regions);
	}
	struct plan_sharepoint *sp = &p->sharepoint;
	sp->present = plan_node(p, "workloads.sharepoint") != NULL;
	sp->n_geos = plan_list_len(p, "workloads.sharepoint.geos");
	sp->geos = xcalloc(sp->n_geos ? sp->n_geos : 1, sizeof(*sp->geos));
	const struct ydoc_node *geos = plan_node(p, "workloads.sharepoint.geos");
	for (size_t i = 0; i < sp->n_geos; i++) {
		struct plan_sharepoint_geo *g = &sp->geos[i];
		const struct ydoc_node *it = ydoc_item(geos, i);
		g->m365_geo = plan_str_of(it, "m365_geo");
		g->name_geo = plan_str_of(it, "name_geo");
		g->admin_url = plan_str_of(it, "admin_url");
		plan_fill_regions_of(it, &g->regions);
	}
	struct plan_multi *mw = &p->multi;
	mw->present = plan_node(p, "workloads.multi_workload") != NULL;
	mw->m365_geo = plan_str(p, "workloads.multi_workload.m365_geo");
	mw->name_geo = plan_str(p, "workloads.multi_workload.name_geo");
	mw->description = plan_str(p, "workloads.multi_workload.description");
	mw->name = plan_str_at(p, "workloads.multi_workload.name", NULL);
	if (!mw->name)
		mw->name = xasprintf("%s-M365-DEP", p->naming.prefix ? p->naming.prefix : "");
	plan_fill_regions(p, "workloads.multi_workload", &mw->regions);

	static const char *const alias_path[WL_COUNT] = {
		"email_aliases.exchange", "email_aliases.sharepoint", "email_aliases.multi_workload"
	};
	for (int w = 0; w < WL_COUNT; w++)
		p->email_alias[w] = plan_str(p, alias_path[w]);
	p->onboarding = plan_str(p, "onboarding");
}

static void plan_fill_hsm(struct plan *p)
{
	struct plan_managed_hsm *h = &p->hsm;
	p->key_store = plan_str(p, "key_store");
	h->on = util_streq(p->key_store, "managed_hsm");
	h->name = plan_str(p, "managed_hsm.name");
	h->resource_group = plan_str(p, "managed_hsm.resource_group");
	plan_fill_regions(p, "managed_hsm", &h->regions);
	for (int s = 0; s < CK_SIDES; s++) {
		char *k = xasprintf("managed_hsm.administrators.%c", ck_side_letter(s));
		h->administrators[s] = plan_strlist(p, k, &h->n_administrators[s]);
		free(k);
	}
	h->quorum = plan_long(p, "managed_hsm.security_domain.quorum");
	const char *base = "managed_hsm.security_domain.officers";
	h->n_officers = plan_list_len(p, base);
	h->officers = xcalloc(h->n_officers ? h->n_officers : 1, sizeof(*h->officers));
	for (size_t i = 0; i < h->n_officers; i++) {
		struct plan_sd_officer *o = &h->officers[i];
		char *k;
		k = xasprintf("%s[%zu].name", base, i), o->name = plan_str(p, k), free(k);
		k = xasprintf("%s[%zu].email", base, i), o->email = plan_str(p, k), free(k);
		k = xasprintf("%s[%zu].public_key", base, i), o->public_key = plan_str(p, k), free(k);
		k = xasprintf("%s[%zu].public_key_sha256", base, i);
		o->public_key_sha256 = plan_str(p, k);
		free(k);
		if (o->public_key) {
			if (pubkey_rsa_pem(o->public_key, o->sha256, &o->bits, &o->key_error) != 0)
				o->sha256[0] = '\0';
		} else if (o->public_key_sha256 && strlen(o->public_key_sha256) == 64 &&
			   strspn(o->public_key_sha256, "0123456789abcdefABCDEF") == 64) {
			for (int c = 0; c < 64; c++) /* hex is compared in lower case */
				o->sha256[c] = (char)tolower((unsigned char)o->public_key_sha256[c]);
			o->sha256[64] = '\0';
		}
	}
}

bool plan_uses_hsm(const struct plan *p)
{
	return p && p->hsm.on;
}

static void plan_fill(struct plan *p)
{
	p->version = plan_long(p, "ckwizard");
	p->org.name = plan_str(p, "organization.name");
	p->org.tenant_domain = plan_str(p, "organization.tenant_domain");
	p->org.tenant_id = plan_str(p, "organization.tenant_id");
	p->naming.prefix = plan_str(p, "naming.prefix");
	p->naming.resource_group = plan_str(p, "naming.resource_group");
	p->naming.vault = plan_str(p, "naming.vault");
	p->naming.key = plan_str(p, "naming.key");
	p->naming.backup = plan_str(p, "naming.backup");
	plan_fill_people(p);
	plan_fill_key_vault(p);
	plan_fill_workloads(p);
	plan_fill_hsm(p);
}

static struct plan *plan_load_bytes(const char *name, const char *bytes, size_t len,
				    struct diags *d, bool hash)
{
	if (len > PLAN_MAX_BYTES) {
		rules_emit(d, "L003", NULL, 0, 0, _("the plan is larger than %d bytes"),
			   PLAN_MAX_BYTES);
		return NULL;
	}
	struct ydoc *doc = ydoc_parse(bytes, len, d);
	if (!doc)
		return NULL;
	struct plan *p = xcalloc(1, sizeof(*p));
	p->path = xstrdup(name ? name : "-");
	p->bytes = xmalloc(len + 1);
	memcpy(p->bytes, bytes, len);
	p->bytes[len] = '\0';
	p->len = len;
	if (hash)
		hash_sha256_hex(bytes, len, p->sha256);
	p->doc = doc;
	plan_fields_check(doc, d);
	plan_fill(p);
	int line, col;
	plan_pos(p, "ckwizard", &line, &col);
	if (p->version != LONG_MIN && p->version != PLAN_FORMAT_VERSION)
		rules_emit(d, "CK005", "ckwizard", line, col,
			   _("plan format %ld is not supported (this ckwizard reads format %d)"),
			   p->version, PLAN_FORMAT_VERSION);
	return p;
}

struct plan *plan_load_mem(const char *name, const char *bytes, size_t len, struct diags *d)
{
	return plan_load_bytes(name, bytes, len, d, true);
}

static struct plan *plan_load_path(const char *path, struct diags *d, bool hash)
{
	size_t len;
	char *bytes = plan_read_file(path, &len, d);
	if (!bytes)
		return NULL;
	struct plan *p = plan_load_bytes(path, bytes, len, d, hash);
	free(bytes);
	return p;
}

struct plan *plan_load(const char *path, struct diags *d)
{
	return plan_load_path(path, d, true);
}

struct plan *plan_load_unhashed(const char *path, struct diags *d)
{
	return plan_load_path(path, d, false);
}

void plan_pos(const struct plan *p, const char *path, int *line, int *col)
{
	*line = *col = 0;
	if (p && p->doc && path) /* a missing node leaves its nearest parent's position */
		ydoc_find(p->doc, path, line, col);
}

void plan_drop_positions(struct plan *p)
{
	if (!p)
		return;
	ydoc_free(p->doc);
	p->doc = NULL;
}

static void plan_free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void plan_free_regions(struct plan_regions *r)
{
	for (int s = 0; s < CK_SIDES; s++)
		free(r->region[s]);
}

static void plan_free_workloads(struct plan *p)
{
	for (size_t i = 0; i < p->exchange.n_policies; i++) {
		struct plan_exchange_policy *pol = &p->exchange.policies[i];
		free(pol->name);
		free(pol->description);
		free(pol->m365_geo);
		free(pol->name_geo);
		plan_free_list(pol->mailboxes, pol->n_mailboxes);
		plan_free_regions(&pol->regions);
	}
	free(p->exchange.policies);
	free(p->exchange.m365_geo);
	free(p->exchange.name_geo);
	for (size_t i = 0; i < p->sharepoint.n_geos; i++) {
		struct plan_sharepoint_geo *g = &p->sharepoint.geos[i];
		free(g->m365_geo);
		free(g->name_geo);
		free(g->admin_url);
		plan_free_regions(&g->regions);
	}
	free(p->sharepoint.geos);
	free(p->multi.m365_geo);
	free(p->multi.name_geo);
	free(p->multi.name);
	free(p->multi.description);
	plan_free_regions(&p->multi.regions);
	for (int w = 0; w < WL_COUNT; w++)
		free(p->email_alias[w]);
	free(p->onboarding);
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->bytes);
	ydoc_free(p->doc);
	free(p->org.name);
	free(p->org.tenant_domain);
	free(p->org.tenant_id);
	free(p->naming.prefix);
	free(p->naming.resource_group);
	free(p->naming.vault);
	free(p->naming.key);
	free(p->naming.backup);
	for (int s = 0; s < CK_SIDES; s++) {
		free(p->op[s].name);
		free(p->op[s].upn);
		free(p->op[s].object_id);
		free(p->op[s].key);
		free(p->sub[s].id);
		plan_free_list(p->sub[s].administrators, p->sub[s].n_administrators);
		plan_free_list(p->sub[s].contributors, p->sub[s].n_contributors);
	}
	for (size_t i = 0; i < p->n_officers; i++) {
		free(p->officers[i].name);
		free(p->officers[i].title);
		free(p->officers[i].email);
	}
	free(p->officers);
	free(p->kv.sku);
	free(p->kv.key_type);
	free(p->kv.key_source);
	free(p->kv.key_expiry);
	plan_free_list(p->kv.admin_permissions, p->kv.n_admin_permissions);
	plan_free_workloads(p);
	free(p->key_store);
	free(p->hsm.name);
	free(p->hsm.resource_group);
	for (int s = 0; s < CK_SIDES; s++) {
		free(p->hsm.regions.region[s]);
		plan_free_list(p->hsm.administrators[s], p->hsm.n_administrators[s]);
	}
	for (size_t i = 0; i < p->hsm.n_officers; i++) {
		free(p->hsm.officers[i].name);
		free(p->hsm.officers[i].email);
		free(p->hsm.officers[i].public_key);
		free(p->hsm.officers[i].public_key_sha256);
	}
	free(p->hsm.officers);
	free(p);
}
