/* plan_rules_workloads.c: regions and data encryption policies. */
#include "ck.h"
#include "plan_rules.h"
#include "regions.h"
#include "text.h"
#include "util.h"
#include "ydoc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EXCHANGE_MAX_DEPS 50

/* Where a DEP is in the plan: path[i] for a list item, else path. Its plan
 * path is printed only for a diagnostic: the three region rules see every
 * DEP, and most DEPs have nothing to report. */
struct rule_dep_at {
	const char *path;
	size_t i;
	bool item;
};

static char *rule_dep_regions_path(const struct rule_dep_at *at, int side)
{
	return at->item ? xasprintf("%s[%zu].regions.%c", at->path, at->i, ck_side_letter(side))
			: xasprintf("%s.regions.%c", at->path, ck_side_letter(side));
}

/* Call fn for every DEP's regions, with where it is and its Microsoft 365 geo. */
typedef void (*rule_region_fn)(const struct rules_ctx *c, const struct rule_dep_at *at,
			       const struct plan_regions *r, const char *m365_geo);

static void rule_each_regions(const struct rules_ctx *c, rule_region_fn fn)
{
	const struct plan *p = c->p;
	for (size_t i = 0; p->exchange.present && i < p->exchange.n_policies; i++) {
		const struct rule_dep_at at = { "workloads.exchange.policies", i, true };
		fn(c, &at, &p->exchange.policies[i].regions, p->exchange.policies[i].m365_geo);
	}
	for (size_t i = 0; p->sharepoint.present && i < p->sharepoint.n_geos; i++) {
		const struct rule_dep_at at = { "workloads.sharepoint.geos", i, true };
		fn(c, &at, &p->sharepoint.geos[i].regions, p->sharepoint.geos[i].m365_geo);
	}
	if (p->multi.present) {
		const struct rule_dep_at at = { "workloads.multi_workload", 0, false };
		fn(c, &at, &p->multi.regions, p->multi.m365_geo);
	}
}

static void rule_differ_one(const struct rules_ctx *c, const struct rule_dep_at *at,
			    const struct plan_regions *r, const char *geo)
{
	const char *a = r->region[CK_SIDE_A], *b = r->region[CK_SIDE_B];
	if (!a || !b || !regions_find(a) || strcmp(a, b) != 0)
		return;
	char *path = rule_dep_regions_path(at, CK_SIDE_B);
	rules_at(c, "CK031", path, _("both vaults would be in %s"), b);
	free(path);
}

void rule_regions_differ(const struct rules_ctx *c) { rule_each_regions(c, rule_differ_one); }

static void rule_paired_one(const struct rules_ctx *c, const struct rule_dep_at *at,
			    const struct plan_regions *r, const char *geo)
{
	const char *a = r->region[CK_SIDE_A], *b = r->region[CK_SIDE_B];
	if (!a || !b || !regions_paired(a, b))
		return;
	const struct region *ra = regions_find(a);
	bool one_way = ra && util_streq(ra->pair, b) ? ra->one_way : true;
	char *path = rule_dep_regions_path(at, CK_SIDE_B);
	rules_at(c, "CK032", path, _("%s and %s are an Azure region pair%s"), a, b,
		 one_way ? _(" (one way)") : "");
	free(path);
}

void rule_regions_paired(const struct rules_ctx *c) { rule_each_regions(c, rule_paired_one); }

static void rule_geo_one(const struct rules_ctx *c, const struct rule_dep_at *at,
			 const struct plan_regions *r, const char *geo)
{
	if (!geo || !regions_m365_geo_known(geo))
		return;
	for (int s = 0; s < CK_SIDES; s++) {
		const struct region *reg = regions_find(r->region[s]);
		if (!reg || regions_serves(reg, geo))
			continue;
		char *path = rule_dep_regions_path(at, s);
		rules_at(c, "CK033", path, _("%s (%s) is outside the Microsoft 365 geo %s"),
			 reg->name, reg->geography, geo);
		free(path);
	}
}

void rule_regions_geo(const struct rules_ctx *c) { rule_each_regions(c, rule_geo_one); }

void rule_workload_present(const struct rules_ctx *c)
{
	const struct plan *p = c->p;
	int line, col;
	if (!p->exchange.present && !p->sharepoint.present && !p->multi.present &&
	    ydoc_find(p->doc, "workloads", &line, &col))
		rules_at(c, "CK070", "workloads", _("no workload is configured"));
}

void rule_exchange_max(const struct rules_ctx *c)
{
	const struct plan_exchange *ex = &c->p->exchange;
	if (ex->n_policies > EXCHANGE_MAX_DEPS) {
		char *path = xasprintf("workloads.exchange.policies[%d]", EXCHANGE_MAX_DEPS);
		rules_at(c, "CK071", path, ngettext("%zu Exchange DEP; a tenant may have %d",
				  "%zu Exchange DEPs; a tenant may have %d", ex->n_policies),
			 ex->n_policies, EXCHANGE_MAX_DEPS);
		free(path);
	}
}

static bool rule_dep_name_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
			return false;
	return true;
}

static void rule_dep_name_at(const struct rules_ctx *c, const char *name, const char *path)
{
	if (!name || rule_dep_name_ok(name))
		return;
	char *vis = text_visible_line(name);
	rules_at(c, "CK072", path, _("DEP name '%s' has %s"), vis,
		 strchr(name, ' ') ? _("spaces") : _("characters other than letters, digits, _ - ."));
	free(vis);
}

void rule_dep_name(const struct rules_ctx *c)
{
	const struct plan *p = c->p;
	for (size_t i = 0; i < p->exchange.n_policies; i++) {
		char *path = xasprintf("workloads.exchange.policies[%zu].name", i);
		rule_dep_name_at(c, p->exchange.policies[i].name, path);
		free(path);
	}
	if (p->multi.present)
		rule_dep_name_at(c, p->multi.name, "workloads.multi_workload.name");
}

struct dep_name_ref {
	const char *name;
	size_t idx; /* policy index; SIZE_MAX for the multi-workload DEP */
};

static int dep_name_ref_cmp(const void *a, const void *b)
{
	const struct dep_name_ref *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);
	if (c)
		return c;
	if (x->idx == y->idx)
		return 0;
	if (x->idx == SIZE_MAX || y->idx == SIZE_MAX) /* the multi-workload DEP first */
		return x->idx == SIZE_MAX ? -1 : 1;
	return x->idx < y->idx ? -1 : 1; /* then file order: the later name is the repeat */
}

/* Exchange DEP names (and the multi-workload DEP's, which lives in the same
 * Exchange cmdlets) are unique, case-insensitively. Sorted: see CK079. */
void rule_dep_unique(const struct rules_ctx *c)
{
	const struct plan *p = c->p;
	size_t n = 0;
	struct dep_name_ref *v = xcalloc(p->exchange.n_policies + 1, sizeof(*v));
	for (size_t i = 0; i < p->exchange.n_policies; i++)
		if (p->exchange.policies[i].name)
			v[n++] = (struct dep_name_ref){ p->exchange.policies[i].name, i };
	if (p->multi.present && p->multi.name)
		v[n++] = (struct dep_name_ref){ p->multi.name, SIZE_MAX };
	qsort(v, n, sizeof(*v), dep_name_ref_cmp);
	for (size_t i = 1; i < n; i++) {
		if (strcasecmp(v[i - 1].name, v[i].name) != 0 || v[i].idx == SIZE_MAX)
			continue;
		char *path = xasprintf("workloads.exchange.policies[%zu].name", v[i].idx);
		char *vis = text_visible_line(v[i].name);
		rules_at(c, "CK073", path, _("the DEP name '%s' is used twice"), vis);
		free(vis);
		free(path);
	}
	free(v);
}

void rule_sharepoint_geo_unique(const struct rules_ctx *c)
{
	const struct plan_sharepoint *sp = &c->p->sharepoint;
	for (size_t i = 0; i < sp->n_geos; i++) {
		const char *g = sp->geos[i].m365_geo;
		for (size_t j = 0; g && j < i; j++) {
			if (!util_streq(g, sp->geos[j].m365_geo))
				continue;
			char *path = xasprintf("workloads.sharepoint.geos[%zu].m365_geo", i);
			rules_at(c, "CK074", path, _("geo %s already has a DEP (geos[%zu])"), g, j);
			free(path);
			break;
		}
	}
}

void rule_sharepoint_admin_host(const struct rules_ctx *c)
{
	const struct plan_sharepoint *sp = &c->p->sharepoint;
	static const char suffix[] = "-admin.sharepoint.com";
	for (size_t i = 0; i < sp->n_geos; i++) {
		const char *u = sp->geos[i].admin_url;
		if (!u || !util_has_prefix(u, "https://"))
			continue; /* CK075 */
		const char *host = u + strlen("https://");
		size_t hl = strcspn(host, "/");
		size_t sl = strlen(suffix);
		if (hl > sl && strncmp(host + hl - sl, suffix, sl) == 0)
			continue;
		char *path = xasprintf("workloads.sharepoint.geos[%zu].admin_url", i);
		char *vis = text_visible_line(u);
		rules_at(c, "CK076", path, _("'%s' is not a SharePoint admin center URL"), vis);
		free(vis);
		free(path);
	}
}

void rule_deps_listed(const struct rules_ctx *c)
{
	const struct plan *p = c->p;
	int line, col;
	const struct ydoc_node *n = ydoc_find(p->doc, "workloads.exchange.policies", &line, &col);
	if (p->exchange.present && n && n->kind == YDOC_SEQ && n->n == 0)
		rules_at(c, "CK077", "workloads.exchange.policies", _("no Exchange DEP is listed"));
	n = ydoc_find(p->doc, "workloads.sharepoint.geos", &line, &col);
	if (p->sharepoint.present && n && n->kind == YDOC_SEQ && n->n == 0)
		rules_at(c, "CK077", "workloads.sharepoint.geos", _("no SharePoint geo is listed"));
}

struct mailbox_ref {
	const char *addr;
	size_t pol, idx;
};

static int mailbox_ref_cmp(const void *a, const void *b)
{
	const struct mailbox_ref *x = a, *y = b;
	int c = strcasecmp(x->addr, y->addr);
	if (c)
		return c;
	if (x->pol != y->pol)
		return x->pol < y->pol ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Sorted, not pairwise: a plan may list thousands of mailboxes. */
void rule_mailbox_once(const struct rules_ctx *c)
{
	const struct plan_exchange *ex = &c->p->exchange;
	size_t n = 0;
	for (size_t i = 0; i < ex->n_policies; i++)
		n += ex->policies[i].n_mailboxes;
	if (n < 2)
		return;
	struct mailbox_ref *v = xcalloc(n, sizeof(*v));
	n = 0;
	for (size_t i = 0; i < ex->n_policies; i++)
		for (size_t m = 0; m < ex->policies[i].n_mailboxes; m++)
			v[n++] = (struct mailbox_ref){ ex->policies[i].mailboxes[m], i, m };
	qsort(v, n, sizeof(*v), mailbox_ref_cmp);
	for (size_t i = 1; i < n; i++) {
		if (strcasecmp(v[i - 1].addr, v[i].addr) != 0)
			continue;
		char *path = xasprintf("workloads.exchange.policies[%zu].mailboxes[%zu]", v[i].pol,
				       v[i].idx);
		char *vis = text_visible_line(v[i].addr);
		rules_at(c, "CK079", path, _("mailbox %s is assigned twice (also policies[%zu])"),
			 vis, v[i - 1].pol);
		free(vis);
		free(path);
	}
	free(v);
}
