/* plan_rules_names.c: expanded names against Azure's naming rules (doc/sources.md,
 * "Azure names and URIs"). A bad name is the pattern's fault, so the diagnostic points at the
 * naming field and says which DEP and side produced the name; one diagnostic
 * per pattern, with a count of the others, keeps 50 DEPs from flooding. */
#include "ck.h"
#include "plan_rules.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define VAULT_MIN 3
#define VAULT_MAX 24
#define KEY_MAX 127
#define RG_MAX 90
#define BACKUP_MAX 200

/* NULL if the vault name is valid, else why not (static text). */
const char *rules_vault_name_problem(const char *s)
{
	size_t n = strlen(s);
	if (n < VAULT_MIN || n > VAULT_MAX)
		return N_("is not 3-24 characters long");
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return N_("has characters other than letters, digits and hyphens");
	if (!isalpha((unsigned char)s[0]))
		return N_("does not start with a letter");
	if (!isalnum((unsigned char)s[n - 1]))
		return N_("does not end with a letter or digit");
	if (strstr(s, "--"))
		return N_("has two hyphens in a row");
	return NULL;
}

static const char *name_key_problem(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > KEY_MAX)
		return N_("is not 1-127 characters long");
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return N_("has characters other than letters, digits and hyphens");
	return NULL;
}

static const char *name_rg_problem(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > RG_MAX)
		return N_("is not 1-90 characters long");
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.()", s[i]))
			return N_("has characters other than letters, digits and _-.()");
	if (s[n - 1] == '.')
		return N_("ends with a dot");
	return NULL;
}

/* The pattern keeps "{date}" until a backup is taken: judge it with a date. */
static const char *name_backup_problem(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > BACKUP_MAX)
		return N_("is not 1-200 characters long");
	if (s[0] == '.' || s[0] == '-')
		return N_("starts with a dot or hyphen");
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.", s[i]))
			return N_("has characters other than letters, digits and _-. (no paths)");
	return NULL;
}

enum name_kind { NAME_RG, NAME_VAULT, NAME_KEY, NAME_BACKUP };

static const char *name_of(const struct inv_side *s, enum name_kind k, char **tofree)
{
	*tofree = NULL;
	switch (k) {
	case NAME_RG: return s->resource_group;
	case NAME_VAULT: return s->vault;
	case NAME_KEY: return s->key;
	default:
		if (!s->backup_pattern)
			return NULL;
		*tofree = inventory_backup_name(s, "20260101");
		return *tofree;
	}
}

static void rule_names_of(const struct rules_ctx *c, enum name_kind k, const char *id,
			  const char *path, const char *what, const char *(*problem)(const char *))
{
	if (!c->inv)
		return;
	const char *first_why = NULL;
	char *first_name = NULL;
	const struct inv_dep *first_dep = NULL;
	int first_side = 0;
	size_t others = 0;
	for (size_t i = 0; i < c->inv->n_deps; i++) {
		for (int s = 0; s < CK_SIDES; s++) {
			char *tofree;
			const char *name = name_of(&c->inv->deps[i].side[s], k, &tofree);
			const char *why = name ? problem(name) : NULL;
			if (why && !first_why) {
				first_why = why;
				first_name = xstrdup(name);
				first_dep = &c->inv->deps[i];
				first_side = s;
			} else if (why) {
				others++;
			}
			free(tofree);
		}
	}
	if (!first_why)
		return;
	char *vis = text_visible_line(first_name);
	char *dep = text_visible_line(first_dep->id);
	if (others)
		rules_at(c, id, path,
			 ngettext("%s name '%s' (%zu characters; DEP %s, side %c) %s; %zu other "
				  "name from this pattern breaks a rule too",
				  "%s name '%s' (%zu characters; DEP %s, side %c) %s; %zu other "
				  "names from this pattern break a rule too", others),
			 what, vis, strlen(first_name), dep, ck_side_letter(first_side),
			 _(first_why), others);
	else
		rules_at(c, id, path, _("%s name '%s' (%zu characters; DEP %s, side %c) %s"), what,
			 vis, strlen(first_name), dep, ck_side_letter(first_side), _(first_why));
	free(dep);
	free(vis);
	free(first_name);
}

void rule_vault_names(const struct rules_ctx *c)
{
	if (plan_uses_hsm(c->p))
		return; /* the "vaults" are the HSMs: CK092 */
	rule_names_of(c, NAME_VAULT, "CK061", "naming.vault", _("vault"), rules_vault_name_problem);
}

void rule_key_names(const struct rules_ctx *c)
{
	rule_names_of(c, NAME_KEY, "CK062", "naming.key", _("key"), name_key_problem);
}

void rule_rg_names(const struct rules_ctx *c)
{
	rule_names_of(c, NAME_RG, "CK063", "naming.resource_group", _("resource group"),
		      name_rg_problem);
}

void rule_backup_names(const struct rules_ctx *c)
{
	rule_names_of(c, NAME_BACKUP, "CK064", "naming.backup", _("backup file"),
		      name_backup_problem);
}

struct name_ref {
	const char *name;
	const struct inv_dep *dep;
	int side;
};

static int name_ref_cmp(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int c = strcasecmp(x->name, y->name); /* vault names are case-insensitive DNS labels */
	if (c)
		return c;
	return x->dep < y->dep ? -1 : x->dep > y->dep ? 1 : x->side - y->side;
}

/* Names that must not repeat: vaults (DNS names, so case-insensitively) and
 * backup files (the seeds: names "will not collide" when they combine vault
 * and key). Keys are unique per vault by construction. Sorted, so 50 DEPs or
 * a thousand stay fast; one diagnostic per pattern. */
static void rule_unique_of(const struct rules_ctx *c, enum name_kind k, const char *id,
			   const char *path, const char *what)
{
	size_t n = 0;
	struct name_ref *v = xcalloc(c->inv->n_deps * CK_SIDES, sizeof(*v));
	char **owned = xcalloc(c->inv->n_deps * CK_SIDES, sizeof(*owned));
	for (size_t i = 0; i < c->inv->n_deps; i++) {
		for (int s = 0; s < CK_SIDES; s++) {
			const char *name = name_of(&c->inv->deps[i].side[s], k, &owned[n]);
			if (name)
				v[n++] = (struct name_ref){ name, &c->inv->deps[i], s };
		}
	}
	qsort(v, n, sizeof(*v), name_ref_cmp);
	for (size_t i = 1; i < n; i++) {
		if (strcasecmp(v[i - 1].name, v[i].name) != 0)
			continue;
		char *vis = text_visible_line(v[i].name);
		char *d1 = text_visible_line(v[i - 1].dep->id), *d2 = text_visible_line(v[i].dep->id);
		rules_at(c, id, path,
			 _("%s name '%s' is produced twice: DEP %s side %c and DEP %s side %c"), what,
			 vis, d1, ck_side_letter(v[i - 1].side), d2, ck_side_letter(v[i].side));
		free(d1);
		free(d2);
		free(vis);
		break;
	}
	for (size_t i = 0; i < c->inv->n_deps * CK_SIDES; i++)
		free(owned[i]);
	free(owned);
	free(v);
}

void rule_names_unique(const struct rules_ctx *c)
{
	if (!c->inv || c->inv->n_deps == 0)
		return;
	/* In a Managed HSM plan every DEP's key of a side shares the side's HSM
	 * (CK092 judges the HSM names; CK099 the keys inside them). */
	if (!plan_uses_hsm(c->p))
		rule_unique_of(c, NAME_VAULT, "CK065", "naming.vault", _("vault"));
	rule_unique_of(c, NAME_BACKUP, "CK065", "naming.backup", _("backup file"));
}

void rule_hsm_keys_unique(const struct rules_ctx *c)
{
	if (plan_uses_hsm(c->p) && c->inv && c->inv->n_deps > 0)
		rule_unique_of(c, NAME_KEY, "CK099", "naming.key", _("key"));
}

void rule_backup_suffix(const struct rules_ctx *c)
{
	const char *b = c->p->naming.backup;
	size_t n = b ? strlen(b) : 0;
	if (b && (n < 7 || strcmp(b + n - 7, ".backup") != 0)) {
		char *vis = text_visible_line(b);
		rules_at(c, "CK066", "naming.backup",
			 _("backup file pattern '%s' does not end with .backup"), vis);
		free(vis);
	}
}
