/* inventory.c: expand the plan's naming patterns into every final name. */
#include "ck.h"
#include "buf.h"
#include "inventory.h"
#include "rules.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Kept literally in backup patterns until a backup is taken. */
#define INV_DATE_LITERAL "{date}"

static const char *inv_str_var(const char *name, const struct inv_vars *v, bool *known)
{
	*known = true;
	if (strcmp(name, "prefix") == 0)
		return v->prefix;
	if (strcmp(name, "workload") == 0)
		return v->workload;
	if (strcmp(name, "geo") == 0)
		return v->geo;
	if (strcmp(name, "vault") == 0)
		return v->vault;
	if (strcmp(name, "key") == 0)
		return v->key;
	if (strcmp(name, "date") == 0)
		return v->date;
	*known = false;
	return NULL;
}

/* Expand one {placeholder[:0N]} whose name and format are given. */
static bool inv_expand_one(struct buf *out, const char *name, const char *fmt,
			   const struct inv_vars *v, const char **err)
{
	int num = -1;
	if (strcmp(name, "vault_seq") == 0)
		num = v->vault_seq;
	else if (strcmp(name, "key_seq") == 0)
		num = v->key_seq;
	if (num >= 0) {
		int width = 1;
		if (fmt) {
			if (strlen(fmt) != 2 || fmt[0] != '0' || fmt[1] < '1' || fmt[1] > '9') {
				*err = N_("a number format must be :0N (N from 1 to 9), e.g. {vault_seq:02}");
				return false;
			}
			width = fmt[1] - '0';
		}
		if (num == 0) {
			*err = N_("this placeholder is not available in this pattern");
			return false;
		}
		/* "%0*d" by hand: a name is expanded for every vault and key of
		 * every check, and num is positive here */
		char digits[16];
		int n = 0;
		for (unsigned u = (unsigned)num; u; u /= 10)
			digits[n++] = (char)('0' + u % 10);
		for (int z = n; z < width; z++)
			buf_putc(out, '0');
		while (n)
			buf_putc(out, digits[--n]);
		return true;
	}
	if (fmt) {
		*err = N_("only {vault_seq} and {key_seq} take a format");
		return false;
	}
	if (strcmp(name, "side") == 0) {
		if (!v->side) {
			*err = N_("this placeholder is not available in this pattern");
			return false;
		}
		buf_putc(out, v->side);
		return true;
	}
	bool known;
	const char *s = inv_str_var(name, v, &known);
	if (!known) {
		*err = N_("unknown placeholder (known: prefix, workload, geo, side, vault_seq, "
			  "key_seq, vault, key, date)");
		return false;
	}
	if (!s) {
		*err = N_("this placeholder is not available in this pattern");
		return false;
	}
	buf_puts(out, s);
	return true;
}

char *inventory_expand(const char *pattern, const struct inv_vars *v, const char **err)
{
	struct buf out = BUF_INIT;
	*err = NULL;
	const char *s = pattern ? pattern : "";
	while (*s) {
		if (*s == '}') {
			*err = N_("a '}' without its '{'");
			break;
		}
		if (*s != '{') {
			size_t run = strcspn(s, "{}"); /* literal text, copied at once */
			buf_add(&out, s, run);
			s += run;
			continue;
		}
		const char *end = strchr(s, '}');
		/* another '{' before this one closes (looked for up to the '}') */
		const char *open = end ? memchr(s + 1, '{', (size_t)(end - s - 1)) : NULL;
		if (!end || open) {
			*err = N_("a '{' without its '}'");
			break;
		}
		/* the placeholder's text, on the stack when short (all known
		 * names are) */
		size_t len = (size_t)(end - s - 1);
		char small[32];
		char *name = len < sizeof small ? small : xmalloc(len + 1);
		memcpy(name, s + 1, len);
		name[len] = '\0';
		char *colon = strchr(name, ':');
		if (colon)
			*colon++ = '\0';
		bool ok = inv_expand_one(&out, name, colon, v, err);
		if (name != small)
			free(name);
		if (!ok)
			break;
		s = end + 1;
	}
	if (*err) {
		buf_free(&out);
		return NULL;
	}
	/* at its length: the names are held for the whole ceremony, and the
	 * buffer grew to 64 bytes or more (~450 names on the large plan) */
	size_t len = out.len;
	return xrealloc(buf_steal(&out), len + 1);
}

const char *inventory_rg_region(const struct inventory *inv, int side, const char *rg)
{
	for (size_t i = 0; inv && rg && i < inv->n_rgs; i++)
		if (inv->rgs[i].side == side && strcmp(inv->rgs[i].name, rg) == 0)
			return inv->rgs[i].region;
	return NULL;
}

char *inventory_vault_uri(const char *vault)
{
	return xasprintf("https://%s" INV_VAULT_DNS "/", vault);
}

char *inventory_store_key_uri(const char *domain, const char *store, const char *key,
			     const char *version)
{
	return version ? xasprintf("https://%s%s/keys/%s/%s", store, domain, key, version)
		       : xasprintf("https://%s%s/keys/%s", store, domain, key);
}

char *inventory_key_uri(const char *vault, const char *key, const char *version)
{
	return inventory_store_key_uri(INV_VAULT_DNS, vault, key, version);
}

bool inventory_key_uri_split(const char *uri, char **vault, char **key, char **version)
{
	static const char scheme[] = "https://";
	/* a vault's, or a Managed HSM's (whose name stands where the vault's does) */
	static const char *const mids[] = { INV_VAULT_DNS "/keys/", INV_HSM_DNS "/keys/" };
	*vault = *key = *version = NULL;
	if (!uri || strncmp(uri, scheme, sizeof scheme - 1) != 0)
		return false;
	const char *v = uri + sizeof scheme - 1;
	const char *dot = NULL, *mid = mids[0];
	for (size_t i = 0; !dot && i < CK_ARRAY_LEN(mids); i++)
		dot = strstr(v, mid = mids[i]);
	if (!dot || dot == v || memchr(v, '/', (size_t)(dot - v)))
		return false;
	const char *k = dot + strlen(mid);
	size_t kl = strcspn(k, "/");
	if (kl == 0)
		return false;
	const char *ver = k[kl] == '/' ? k + kl + 1 : NULL;
	if (ver && (!*ver || strchr(ver, '/')))
		return false;
	*vault = xstrndup(v, (size_t)(dot - v));
	*key = xstrndup(k, kl);
	*version = ver ? xstrdup(ver) : NULL;
	return true;
}

char *inventory_sd_file(const char *hsm)
{
	return xasprintf("%s-SecurityDomain.json", hsm);
}

char *inventory_officer_cert(size_t n)
{
	return xasprintf("sd-officer-%zu.cer", n);
}

char *inventory_backup_name(const struct inv_side *s, const char *yyyymmdd)
{
	struct buf out = BUF_INIT;
	const char *p = s->backup_pattern ? s->backup_pattern : "";
	const char *hit;
	while ((hit = strstr(p, INV_DATE_LITERAL)) != NULL) {
		buf_add(&out, p, (size_t)(hit - p));
		buf_puts(&out, yyyymmdd);
		p = hit + strlen(INV_DATE_LITERAL);
	}
	buf_puts(&out, p);
	return buf_steal(&out);
}

struct inv_build {
	const struct plan *p;
	struct diags *d;
	struct inventory *inv;
	bool failed;
	bool reported[6]; /* one CK060 per pattern is enough */
};

static const char *const inv_pattern_path[6] = { "naming.resource_group", "naming.vault",
						 "naming.key", "naming.backup",
						 "managed_hsm.name", "managed_hsm.resource_group" };

static char *inv_expand_at(struct inv_build *b, int which, const char *pattern,
			   const struct inv_vars *v)
{
	const char *err;
	char *r = inventory_expand(pattern, v, &err);
	if (!r) {
		b->failed = true;
		if (!b->reported[which]) {
			b->reported[which] = true;
			int line, col;
			plan_pos(b->p, inv_pattern_path[which], &line, &col);
			char *vis = text_visible_line(pattern ? pattern : "");
			rules_emit(b->d, "CK060", inv_pattern_path[which], line, col,
				   _("pattern '%s': %s"), vis, _(err));
			free(vis);
		}
	}
	return r;
}

/* Every side's group is added in DEP order; inv_dedup_rgs keeps the first. */
static void inv_add_rg(struct inventory *inv, int side, const char *name, const char *region)
{
	if ((inv->n_rgs & (inv->n_rgs - 1)) == 0) /* grow at powers of two */
		inv->rgs = xrealloc(inv->rgs, (inv->n_rgs ? inv->n_rgs * 2 : 1) * sizeof(*inv->rgs));
	struct inv_rg *rg = &inv->rgs[inv->n_rgs++];
	rg->side = side;
	rg->name = xstrdup(name);
	rg->region = region;
}

static int inv_rg_cmp(const void *a, const void *b)
{
	const struct inv_rg *x = *(const struct inv_rg *const *)a;
	const struct inv_rg *y = *(const struct inv_rg *const *)b;
	if (x->side != y->side)
		return x->side - y->side;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x < y ? -1 : x > y; /* keep the first placed */
}

/* Sorted rather than pairwise: a pattern with {vault_seq} gives one group per
 * DEP, and a hostile plan may have thousands. Order of first use is kept. */
static void inv_dedup_rgs(struct inventory *inv)
{
	size_t n = inv->n_rgs;
	if (n < 2)
		return;
	struct inv_rg **v = xmalloc(n * sizeof(*v));
	bool *drop = xcalloc(n, sizeof(*drop));
	for (size_t i = 0; i < n; i++)
		v[i] = &inv->rgs[i];
	qsort(v, n, sizeof(*v), inv_rg_cmp);
	for (size_t i = 1; i < n; i++)
		if (v[i]->side == v[i - 1]->side && strcmp(v[i]->name, v[i - 1]->name) == 0)
			drop[v[i] - inv->rgs] = true;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (drop[i])
			free(inv->rgs[i].name);
		else
			inv->rgs[k++] = inv->rgs[i];
	}
	inv->n_rgs = k;
	free(drop);
	free(v);
}

static void inv_expand_side(struct inv_build *b, struct inv_dep *dep, int side,
			    const struct plan_regions *regions, int vault_seq)
{
	const struct plan *p = b->p;
	struct inv_side *s = &dep->side[side];
	s->side = side;
	s->operator_side = p->sub[side].operator_side;
	s->subscription = p->sub[side].id;
	s->region = regions->region[side];
	struct inv_vars v = {
		.prefix = p->naming.prefix ? p->naming.prefix : "",
		.workload = plan_workload_code(dep->workload),
		.geo = dep->name_geo ? dep->name_geo : "",
		.side = ck_side_letter(side),
		.vault_seq = vault_seq,
	};
	if (plan_uses_hsm(p)) {
		/* Every DEP's key of this side lives in the side's one HSM. */
		const struct inventory *inv = b->inv;
		if (!inv->hsm[side] || !inv->hsm_rg[side])
			return;
		s->region = p->hsm.regions.region[side];
		s->resource_group = xstrdup(inv->hsm_rg[side]);
		s->vault = xstrdup(inv->hsm[side]);
	} else {
		s->resource_group = inv_expand_at(b, 0, p->naming.resource_group, &v);
		s->vault = inv_expand_at(b, 1, p->naming.vault, &v);
	}
	if (!s->vault)
		return;
	v.vault = s->vault;
	v.key_seq = 1;
	s->key = inv_expand_at(b, 2, p->naming.key, &v);
	if (!s->key)
		return;
	v.key = s->key;
	v.date = INV_DATE_LITERAL;
	s->backup_pattern = inv_expand_at(b, 3, p->naming.backup, &v);
	s->key_uri = inventory_store_key_uri(plan_uses_hsm(p) ? INV_HSM_DNS : INV_VAULT_DNS,
					     s->vault, s->key, NULL);
	if (s->resource_group && !plan_uses_hsm(p))
		inv_add_rg(b->inv, side, s->resource_group, s->region);
}

static struct inv_dep *inv_add_dep(struct inventory *inv, enum plan_workload w, size_t index)
{
	if ((inv->n_deps & (inv->n_deps - 1)) == 0) /* grow at powers of two */
		inv->deps = xrealloc(inv->deps, (inv->n_deps ? inv->n_deps * 2 : 1) * sizeof(*inv->deps));
	struct inv_dep *dep = &inv->deps[inv->n_deps++];
	memset(dep, 0, sizeof(*dep));
	dep->workload = w;
	dep->index = index;
	return dep;
}

/* {vault_seq} counts DEPs within one workload and name geo. A plan names only
 * a few geos, so a short list of counters is enough. */
struct inv_seqs {
	const char **geo;
	int *count;
	size_t n;
};

static int inv_next_seq(struct inv_seqs *q, const char *geo)
{
	const char *g = geo ? geo : "";
	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->geo[i], g) == 0)
			return ++q->count[i];
	q->geo = xrealloc(q->geo, (q->n + 1) * sizeof(*q->geo));
	q->count = xrealloc(q->count, (q->n + 1) * sizeof(*q->count));
	q->geo[q->n] = g;
	q->count[q->n] = 1;
	return q->count[q->n++];
}

static void inv_seqs_free(struct inv_seqs *q)
{
	free(q->geo);
	free(q->count);
}

static void inv_build_exchange(struct inv_build *b)
{
	const struct plan_exchange *ex = &b->p->exchange;
	struct inv_seqs seqs = { 0 };
	for (size_t i = 0; ex->present && i < ex->n_policies; i++) {
		const struct plan_exchange_policy *pol = &ex->policies[i];
		int seq = inv_next_seq(&seqs, pol->name_geo);
		struct inv_dep *dep = inv_add_dep(b->inv, WL_EXCHANGE, i);
		dep->plan_path = xasprintf("workloads.exchange.policies[%zu]", i);
		dep->id = xasprintf("EX-%s", pol->name ? pol->name : "");
		dep->name = pol->name;
		dep->description = pol->description;
		dep->m365_geo = pol->m365_geo;
		dep->name_geo = pol->name_geo;
		dep->mailboxes = pol->mailboxes;
		dep->n_mailboxes = pol->n_mailboxes;
		for (int s = 0; s < CK_SIDES; s++)
			inv_expand_side(b, dep, s, &pol->regions, seq);
	}
	inv_seqs_free(&seqs);
}

static void inv_build_sharepoint(struct inv_build *b)
{
	const struct plan_sharepoint *sp = &b->p->sharepoint;
	struct inv_seqs seqs = { 0 };
	for (size_t i = 0; sp->present && i < sp->n_geos; i++) {
		const struct plan_sharepoint_geo *g = &sp->geos[i];
		int seq = inv_next_seq(&seqs, g->name_geo);
		struct inv_dep *dep = inv_add_dep(b->inv, WL_SHAREPOINT, i);
		dep->plan_path = xasprintf("workloads.sharepoint.geos[%zu]", i);
		dep->id = xasprintf("SP-%s", g->m365_geo ? g->m365_geo : "");
		dep->m365_geo = g->m365_geo;
		dep->name_geo = g->name_geo;
		dep->admin_url = g->admin_url;
		for (int s = 0; s < CK_SIDES; s++)
			inv_expand_side(b, dep, s, &g->regions, seq);
	}
	inv_seqs_free(&seqs);
}

static void inv_build_multi(struct inv_build *b)
{
	const struct plan_multi *mw = &b->p->multi;
	if (!mw->present)
		return;
	struct inv_dep *dep = inv_add_dep(b->inv, WL_MULTI, 0);
	dep->plan_path = xstrdup("workloads.multi_workload");
	dep->id = xstrdup("MW");
	dep->name = mw->name;
	dep->description = mw->description;
	dep->m365_geo = mw->m365_geo;
	dep->name_geo = mw->name_geo;
	for (int s = 0; s < CK_SIDES; s++)
		inv_expand_side(b, dep, s, &mw->regions, 1);
}

const char *inventory_store_domain(const struct inv_dep *dep)
{
	const char *u = dep ? dep->side[0].key_uri : NULL;
	return u && strstr(u, INV_HSM_DNS "/keys/") ? INV_HSM_DNS : INV_VAULT_DNS;
}

/* The two HSMs and their resource groups, before any DEP names a key in them. */
static void inv_build_hsms(struct inv_build *b)
{
	const struct plan *p = b->p;
	if (!plan_uses_hsm(p))
		return;
	for (int side = 0; side < CK_SIDES; side++) {
		struct inv_vars v = {
			.prefix = p->naming.prefix ? p->naming.prefix : "",
			.side = ck_side_letter(side),
			.workload = NULL, .geo = NULL, .vault_seq = 0,
		};
		b->inv->hsm[side] = inv_expand_at(b, 4, p->hsm.name, &v);
		b->inv->hsm_rg[side] = inv_expand_at(b, 5, p->hsm.resource_group, &v);
		if (b->inv->hsm_rg[side])
			inv_add_rg(b->inv, side, b->inv->hsm_rg[side], p->hsm.regions.region[side]);
	}
}

struct inventory *inventory_build(const struct plan *p, struct diags *d)
{
	struct inv_build b = { .p = p, .d = d };
	b.inv = xcalloc(1, sizeof(*b.inv));
	b.inv->plan = p;
	inv_build_hsms(&b);
	inv_build_exchange(&b);
	inv_build_sharepoint(&b);
	inv_build_multi(&b);
	inv_dedup_rgs(b.inv);
	if (b.failed) {
		inventory_free(b.inv);
		return NULL;
	}
	return b.inv;
}

void inventory_free(struct inventory *inv)
{
	if (!inv)
		return;
	for (size_t i = 0; i < inv->n_deps; i++) {
		struct inv_dep *dep = &inv->deps[i];
		free(dep->plan_path);
		free(dep->id);
		for (int s = 0; s < CK_SIDES; s++) {
			free(dep->side[s].resource_group);
			free(dep->side[s].vault);
			free(dep->side[s].key);
			free(dep->side[s].backup_pattern);
			free(dep->side[s].key_uri);
		}
	}
	free(inv->deps);
	for (int s = 0; s < CK_SIDES; s++) {
		free(inv->hsm[s]);
		free(inv->hsm_rg[s]);
	}
	for (size_t i = 0; i < inv->n_rgs; i++)
		free(inv->rgs[i].name);
	free(inv->rgs);
	free(inv);
}
