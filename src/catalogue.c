/* catalogue.c: step instances from the templates (steps_table.c) and the
 * inventory, in procedure order, with owners, prerequisites and checks.
 *
 * Each instance is "bound" to what it touches (a side, a workload, a DEP, a
 * resource group, a mailbox, an administrator). A template's prerequisites
 * are template ids; they resolve to every earlier instance of that template
 * whose binding does not contradict this one's: vault.create/EX-x/A needs
 * rg.create of its own group on side A, dep.exchange.create/EX-x needs
 * key.uri/EX-x/A and key.uri/EX-x/B, onboard.email/EX needs retention.check
 * on both sides. */
#include "ck.h"
#include "steps_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An id part from the plan: '%', '/' and anything outside printable ASCII
 * become %XX, so ids stay one line and split on '/'. */
static void id_part(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_putc(b, '/');
	/* Runs that need no escape are copied at once: this runs for every
	 * step of the catalogue. */
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t run = 0;
		while (p[run] > 0x20 && p[run] < 0x7f && p[run] != '%' && p[run] != '/')
			run++;
		if (run) {
			buf_add(b, p, run);
			p += run;
			continue;
		}
		char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
		buf_add(b, esc, sizeof esc);
		p++;
	}
}

static void id_side(struct buf *b, int side)
{
	buf_putc(b, '/');
	buf_putc(b, ck_side_letter(side));
}

static bool binds_agree(const struct step_bind *a, const struct step_bind *b)
{
	if (a->side != CK_SIDE_NONE && b->side != CK_SIDE_NONE && a->side != b->side)
		return false;
	if (a->workload >= 0 && b->workload >= 0 && a->workload != b->workload)
		return false;
	if (a->dep && b->dep && a->dep != b->dep)
		return false;
	if (a->rg && b->rg && strcmp(a->rg, b->rg) != 0)
		return false;
	if (a->mailbox && b->mailbox && strcmp(a->mailbox, b->mailbox) != 0)
		return false;
	if (a->upn && b->upn && strcmp(a->upn, b->upn) != 0)
		return false;
	if (a->officer >= 0 && b->officer >= 0 && a->officer != b->officer)
		return false;
	return true;
}

/* Each template's instances so far, by steps_def_at() index: prerequisites
 * are looked up among them, not among every earlier step (that was
 * quadratic in the inventory: 160 M instructions for woodgrove-large). */
struct bd_list {
	size_t *idx;
	size_t n, cap;
	/* Every instance is bound to a DEP, in the inventory's order (a
	 * template instantiated per DEP): a DEP's instances are then one run
	 * of the list, found by bisection instead of a look at every one. */
	bool by_dep;
};

/* A template a prerequisite of the current template names. */
struct bd_want {
	size_t def;  /* steps_def_at() index */
	bool other;  /* the other side's instance (steps_prereq_changes) */
};

struct builder {
	struct catalogue *c;
	size_t cap;
	struct bd_list *of_def;   /* steps_def_count() lists */
	size_t cur_def;           /* the template being instantiated */
	/* The templates the current template's prerequisites name, in the
	 * order they are listed: looked up by id once per template, not for
	 * every instance (51,000 string comparisons for woodgrove-large). */
	struct bd_want *wants;
	size_t n_wants, cap_wants;
	size_t wants_of;          /* cur_def + 1 they were found for; 0: none yet */
	/* The id being built, reused: each id is then copied at its length
	 * (ids average 37 bytes; a buffer of its own held 64 or 128). */
	struct buf id;
};

/* The steps' ids and subjects, back to back in blocks the catalogue owns:
 * 3,300 strings of 15-40 bytes on the large plan, each its own allocation
 * before (its header and rounding ~0.05 MB of the heap the whole ceremony
 * holds; doc/bench.md, "Sixth round: memory"). */
#define CAT_STRINGS_BLOCK 16384u
struct cat_strings {
	struct cat_strings *next;
	size_t used, size;
	char text[];
};

static char *cat_strndup(struct catalogue *c, const char *str, size_t len)
{
	struct cat_strings *b = c->strings;
	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > CAT_STRINGS_BLOCK ? len + 1 : CAT_STRINGS_BLOCK;
		b = xmalloc(sizeof *b + size);
		b->next = c->strings;
		b->used = 0;
		b->size = size;
		c->strings = b;
	}
	char *out = b->text + b->used;
	memcpy(out, str, len);
	out[len] = '\0';
	b->used += len + 1;
	return out;
}

static const char *confirm_name_of(const struct step_def *d, const struct step_bind *b)
{
	switch (d->confirm) {
	case CONFIRM_VAULT:
		return b->dep ? b->dep->side[b->side].vault : NULL;
	case CONFIRM_KEY:
		return b->dep ? b->dep->side[b->side].key : NULL;
	case CONFIRM_DEP:
		return b->dep ? (b->dep->name ? b->dep->name : b->dep->id) : NULL;
	case CONFIRM_UPN:
		return b->upn;
	case CONFIRM_TENANT:
		return NULL; /* filled by add_instance from the plan */
	case CONFIRM_NONE:
		break;
	}
	return NULL;
}

/* translate: in the language of the messages, else English (JSON output). */
static char *subject_of(const struct step_def *d, const struct step_bind *b, bool translate)
{
	switch (d->scope) {
	case SCOPE_ONCE:
		return NULL;
	case SCOPE_SUBSCRIPTION:
		return translate ? xasprintf(_("subscription %c"), ck_side_letter(b->side))
				 : xasprintf("subscription %c", ck_side_letter(b->side));
	case SCOPE_WORKLOAD:
		return xstrdup(plan_workload_code((enum plan_workload)b->workload));
	case SCOPE_RG:
		return xstrdup(b->rg);
	case SCOPE_VAULT:
		return xstrdup(b->dep->side[b->side].vault);
	case SCOPE_VAULT_ADMIN:
		return xasprintf("%s, %s", b->dep->side[b->side].vault, b->upn);
	case SCOPE_DEP:
		return xstrdup(b->dep->id);
	case SCOPE_MAILBOX:
		return xasprintf("%s, %s", b->mailbox, b->dep->id);
	case SCOPE_OFFICER:
		return translate ? xasprintf(_("officer %d"), b->officer + 1)
				 : xasprintf("officer %d", b->officer + 1);
	case SCOPE_HSM_OFFICER:
		return translate ? xasprintf(_("officer %d, subscription %c"), b->officer + 1,
					     ck_side_letter(b->side))
				 : xasprintf("officer %d, subscription %c", b->officer + 1,
					     ck_side_letter(b->side));
	case SCOPE_COUNT:
		break;
	}
	return NULL;
}

char *step_subject(const struct step *s, bool translate)
{
	struct step_bind b = { .side = s->side, .officer = s->officer, .workload = -1 };
	switch (s->def ? s->def->scope : SCOPE_COUNT) {
	case SCOPE_SUBSCRIPTION:
	case SCOPE_OFFICER:
	case SCOPE_HSM_OFFICER:
		/* Only these are our words; the others are names from the plan. */
		return subject_of(s->def, &b, translate);
	default:
		return s->subject ? xstrdup(s->subject) : NULL;
	}
}

/* The part of l an instance bound to dep can depend on: binds_agree
 * refuses two different DEPs, so when every instance in l has one, only
 * dep's own run of l can agree. [*lo, *hi), the whole list otherwise. */
static void bd_dep_run(const struct catalogue *c, const struct bd_list *l,
		       const struct inv_dep *dep, size_t *lo, size_t *hi)
{
	*lo = 0;
	*hi = l->n;
	if (!l->by_dep || !dep)
		return;
	size_t a = 0, z = l->n;
	while (a < z) { /* first instance whose DEP is not before dep */
		size_t m = a + (z - a) / 2;
		if (c->binds[l->idx[m]].dep < dep)
			a = m + 1;
		else
			z = m;
	}
	*lo = a;
	for (z = l->n; a < z;) { /* first instance whose DEP is after dep */
		size_t m = a + (z - a) / 2;
		if (c->binds[l->idx[m]].dep <= dep)
			a = m + 1;
		else
			z = m;
	}
	*hi = a;
}

/* bd->wants for the current template d: the templates named by its
 * prerequisites and by the prerequisite changes of this catalogue version,
 * each prerequisite's templates in steps_def_at() order (so its instances
 * are visited in catalogue order). */
static void bd_find_wants(struct builder *bd, const struct step_def *d)
{
	const struct catalogue *c = bd->c;
	const char *want[STEP_MAX_PREREQS + 8];
	bool other[STEP_MAX_PREREQS + 8] = { false };
	size_t n_want = 0;
	for (size_t k = 0; k < STEP_MAX_PREREQS && d->prereqs[k]; k++)
		want[n_want++] = d->prereqs[k];
	for (size_t k = 0; k < steps_prereq_changes_len && n_want < CK_ARRAY_LEN(want); k++) {
		const struct step_prereq_change *pc = &steps_prereq_changes[k];
		unsigned since = pc->since ? pc->since : 1;
		if (pc->hsm_only && !plan_uses_hsm(c->plan))
			continue;
		if (strcmp(pc->template_id, d->id) == 0 && c->version >= since &&
		    (!pc->until || c->version < pc->until)) {
			other[n_want] = pc->other_side;
			want[n_want++] = pc->prereq;
		}
	}
	bd->n_wants = 0;
	for (size_t k = 0; k < n_want; k++)
		for (size_t t = 0, n = steps_def_count(); t < n; t++) {
			if (strcmp(steps_def_at(t)->id, want[k]) != 0)
				continue;
			if (bd->n_wants == bd->cap_wants) {
				bd->cap_wants = bd->cap_wants ? 2 * bd->cap_wants : 16;
				bd->wants = xrealloc(bd->wants, bd->cap_wants * sizeof *bd->wants);
			}
			bd->wants[bd->n_wants++] = (struct bd_want){ t, other[k] };
		}
	bd->wants_of = bd->cur_def + 1;
}

static void add_prereqs(struct builder *bd, struct step *s, const struct step_bind *b)
{
	struct catalogue *c = bd->c;
	if (bd->wants_of != bd->cur_def + 1)
		bd_find_wants(bd, s->def);
	for (size_t w = 0; w < bd->n_wants; w++) {
		/* s is not listed yet: only earlier instances */
		const struct bd_list *l = &bd->of_def[bd->wants[w].def];
		bool other = bd->wants[w].other;
		size_t lo, hi;
		bd_dep_run(c, l, b->dep, &lo, &hi);
		for (size_t x = lo; x < hi; x++) {
			size_t j = l->idx[x];
			struct step_bind ob = *b;
			if (other) { /* the same DEP, the other side (and its group) */
				ob.side = b->side == CK_SIDE_NONE ? CK_SIDE_NONE
								  : ck_other_side(b->side);
				ob.rg = NULL;
			}
			if (!binds_agree(&c->binds[j], other ? &ob : b) ||
			    (other && c->binds[j].side == b->side))
				continue;
			s->prereqs = xrealloc(s->prereqs, (s->n_prereqs + 1) * sizeof *s->prereqs);
			s->prereqs[s->n_prereqs++] = c->steps[j].id; /* not a copy: 2,000 on the large plan */
		}
	}
}

static void add_instance(struct builder *bd, const struct step_def *d, const struct step_bind *b)
{
	struct catalogue *c = bd->c;
	const struct plan *p = c->plan;
	if (c->n_steps == bd->cap) {
		bd->cap = bd->cap ? 2 * bd->cap : 64;
		c->steps = xrealloc(c->steps, bd->cap * sizeof *c->steps);
		c->binds = xrealloc(c->binds, bd->cap * sizeof *c->binds);
	}
	struct step *s = &c->steps[c->n_steps];
	memset(s, 0, sizeof *s);

	struct buf *id = &bd->id;
	buf_reset(id);
	buf_puts(id, d->id);
	switch (d->scope) {
	case SCOPE_ONCE:
		break;
	case SCOPE_SUBSCRIPTION:
		id_side(id, b->side);
		break;
	case SCOPE_WORKLOAD:
		id_part(id, plan_workload_code((enum plan_workload)b->workload));
		break;
	case SCOPE_RG:
		id_part(id, b->rg);
		id_side(id, b->side);
		break;
	case SCOPE_VAULT:
	case SCOPE_VAULT_ADMIN:
		id_part(id, b->dep->id);
		id_side(id, b->side);
		if (d->scope == SCOPE_VAULT_ADMIN)
			id_part(id, b->upn);
		break;
	case SCOPE_DEP:
		id_part(id, b->dep->id);
		break;
	case SCOPE_MAILBOX:
		id_part(id, b->dep->id);
		id_part(id, b->mailbox);
		break;
	case SCOPE_OFFICER:
		buf_printf(id, "/%d", b->officer + 1);
		break;
	case SCOPE_HSM_OFFICER:
		buf_printf(id, "/%c/%d", ck_side_letter(b->side), b->officer + 1);
		break;
	case SCOPE_COUNT:
		break;
	}
	s->id = cat_strndup(c, buf_str(id), id->len);
	char *subject = subject_of(d, b, true);
	s->subject = subject ? cat_strndup(c, subject, strlen(subject)) : NULL;
	free(subject);
	s->officer = b->officer;
	s->template_id = d->id;
	s->def = d;
	s->phase = d->phase;
	s->title = d->title;
	s->why = d->why;
	s->source = d->source;
	s->side = b->side;
	s->owner = d->owner == OWNER_TENANT ? p->tenant_admin : p->sub[b->side].operator_side;
	s->witness = (d->flags & SD_WITNESS) != 0;
	s->critical = (d->flags & SD_CRITICAL) != 0;
	const char *cn = d->confirm == CONFIRM_TENANT ? p->org.tenant_domain : confirm_name_of(d, b);
	if (!cn && d->confirm == CONFIRM_VAULT && b->side != CK_SIDE_NONE)
		cn = c->inv->hsm[b->side]; /* an HSM step of a side: the HSM's name */
	s->confirm_name = s->critical && cn ? xstrdup(cn) : NULL;
	s->management = (d->flags & SD_MANAGE) != 0;
	s->wait = d->wait;
	s->evidence = d->evidence;
	s->n_evidence = d->n_evidence;
	s->dep = b->dep;

	s->check.kind = d->check;
	s->check.side = b->side;
	s->check.workload = b->workload >= 0 ? (enum plan_workload)b->workload : WL_EXCHANGE;
	if (b->side != CK_SIDE_NONE) {
		s->check.subscription = p->sub[b->side].id;
		s->check.resource_group = b->rg;
		if (b->dep) {
			const struct inv_side *is = &b->dep->side[b->side];
			s->check.vault = is->vault;
			s->check.key = is->key;
			s->check.region = is->region;
		} else if ((d->flags & SD_HSM) && c->inv->hsm[b->side]) {
			s->check.vault = c->inv->hsm[b->side];
			s->check.resource_group = c->inv->hsm_rg[b->side];
			s->check.region = p->hsm.regions.region[b->side];
		} else if (b->rg) { /* a resource group's check looks at its location */
			s->check.region = inventory_rg_region(c->inv, b->side, b->rg);
		}
	}
	c->binds[c->n_steps] = *b;
	add_prereqs(bd, s, b);
	struct bd_list *l = &bd->of_def[bd->cur_def];
	if (l->n == 0)
		l->by_dep = b->dep != NULL;
	else if (!b->dep || b->dep < c->binds[l->idx[l->n - 1]].dep)
		l->by_dep = false;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->idx = xrealloc(l->idx, l->cap * sizeof *l->idx);
	}
	l->idx[l->n++] = c->n_steps;
	c->n_steps++;
}

static bool key_source_is(const struct plan *p, const char *what)
{
	const char *src = p->kv.key_source ? p->kv.key_source : "create";
	return strcmp(src, what) == 0;
}

static bool workload_used(const struct inventory *inv, int w)
{
	for (size_t i = 0; i < inv->n_deps; i++)
		if ((int)inv->deps[i].workload == w)
			return true;
	return false;
}

static bool def_applies(const struct step_def *d, int workload)
{
	return d->workloads == WLM_ALL || (workload >= 0 && (d->workloads & WLM(workload)));
}

static void instantiate(struct builder *bd, const struct step_def *d)
{
	const struct plan *p = bd->c->plan;
	const struct inventory *inv = bd->c->inv;
	struct step_bind b = { CK_SIDE_NONE, -1, NULL, NULL, NULL, NULL, -1 };

	switch (d->scope) {
	case SCOPE_ONCE:
		add_instance(bd, d, &b);
		return;
	case SCOPE_SUBSCRIPTION:
		for (int side = 0; side < CK_SIDES; side++) {
			b.side = side;
			add_instance(bd, d, &b);
		}
		return;
	case SCOPE_WORKLOAD:
		for (int w = 0; w < WL_COUNT; w++) {
			if (!workload_used(inv, w) || !def_applies(d, w))
				continue;
			b.workload = w;
			add_instance(bd, d, &b);
		}
		return;
	case SCOPE_RG:
		for (size_t i = 0; i < inv->n_rgs; i++) {
			b.side = inv->rgs[i].side;
			b.rg = inv->rgs[i].name;
			add_instance(bd, d, &b);
		}
		return;
	case SCOPE_OFFICER:
		for (size_t o = 0; o < p->hsm.n_officers; o++) {
			b.officer = (int)o;
			add_instance(bd, d, &b);
		}
		return;
	case SCOPE_HSM_OFFICER:
		for (int side = 0; side < CK_SIDES; side++)
			for (size_t o = 0; o < p->hsm.n_officers; o++) {
				b.side = side;
				b.officer = (int)o;
				add_instance(bd, d, &b);
			}
		return;
	default:
		break;
	}
	for (size_t i = 0; i < inv->n_deps; i++) {
		const struct inv_dep *dep = &inv->deps[i];
		if (!def_applies(d, (int)dep->workload))
			continue;
		b.dep = dep;
		b.workload = (int)dep->workload;
		b.side = CK_SIDE_NONE;
		b.rg = NULL;
		switch (d->scope) {
		case SCOPE_DEP:
			add_instance(bd, d, &b);
			break;
		case SCOPE_MAILBOX:
			for (size_t m = 0; m < dep->n_mailboxes; m++) {
				b.mailbox = dep->mailboxes[m];
				add_instance(bd, d, &b);
			}
			b.mailbox = NULL;
			break;
		case SCOPE_VAULT:
		case SCOPE_VAULT_ADMIN:
			for (int side = 0; side < CK_SIDES; side++) {
				const struct plan_subscription *sub = &p->sub[side];
				b.side = side;
				b.rg = dep->side[side].resource_group;
				if ((d->flags & SD_CONTRIB) && sub->n_contributors == 0)
					continue;
				if (d->scope == SCOPE_VAULT) {
					add_instance(bd, d, &b);
					continue;
				}
				for (size_t a = 0; a < sub->n_administrators; a++) {
					b.upn = sub->administrators[a];
					add_instance(bd, d, &b);
				}
				b.upn = NULL;
			}
			break;
		default:
			break;
		}
	}
}

static bool side_ok(int side)
{
	return side == CK_SIDE_A || side == CK_SIDE_B;
}

static bool sides_usable(const struct plan *p, const struct inventory *inv)
{
	if (!side_ok(p->tenant_admin) || !side_ok(p->sub[0].operator_side) ||
	    !side_ok(p->sub[1].operator_side))
		return false;
	for (size_t i = 0; i < inv->n_rgs; i++)
		if (!side_ok(inv->rgs[i].side))
			return false;
	for (size_t i = 0; i < inv->n_deps; i++)
		if ((unsigned)inv->deps[i].workload >= WL_COUNT || !inv->deps[i].id)
			return false;
	return true;
}

static void set_today(struct catalogue *c, time_t now)
{
	struct tm tm;
	if (!gmtime_r(&now, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0)
		memcpy(c->today, "19700101", 9);
	else
		snprintf(c->today, sizeof c->today, "%04u%02u%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
			 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

static struct catalogue *build(const struct plan *p, const struct inventory *inv,
			       bool with_management, unsigned version, bool offboarding)
{
	if (!p || !inv || version < 1 || version > STEPS_CATALOGUE_VERSION || !sides_usable(p, inv))
		return NULL;
	struct catalogue *c = xcalloc(1, sizeof *c);
	c->version = version;
	c->offboarding = offboarding;
	c->plan = p;
	c->inv = inv;
	set_today(c, time(NULL));
	struct builder bd = { .c = c, .of_def = xcalloc(steps_def_count() + 1, sizeof *bd.of_def) };
	for (size_t i = 0; i < steps_def_count(); i++) {
		const struct step_def *d = steps_def_at(i);
		bd.cur_def = i;
		if (!steps_def_in(d, version))
			continue;
		if (offboarding != ((d->flags & SD_OFFBOARD) != 0) && (offboarding || !with_management))
			continue;
		if ((d->flags & SD_MANAGE) && !with_management && !offboarding)
			continue;
		if ((d->flags & SD_CREATE) && !key_source_is(p, "create"))
			continue;
		if ((d->flags & SD_IMPORT) && !key_source_is(p, "import"))
			continue;
		/* Version 1 knew only FastTrack and the e-mail. */
		bool service = version >= 2 && p->onboarding && strcmp(p->onboarding, "service") == 0;
		/* Version 3 brought Managed HSM: its plans have no vault steps. */
		bool hsm = version >= 3 && plan_uses_hsm(p);
		if ((d->flags & SD_VAULTS) && hsm)
			continue;
		if ((d->flags & SD_HSM) && !hsm)
			continue;
		if ((d->flags & SD_OFFBOARD) && hsm) /* not for Managed HSM yet */
			continue;
		if ((d->flags & SD_EMAIL) && service)
			continue;
		if ((d->flags & SD_SERVICE) && !service)
			continue;
		instantiate(&bd, d);
	}
	/* The binds grew by doubling (98 KB for 1,645 steps): the unused tail
	 * goes back to the heap, which the steps' later allocations reuse. The
	 * steps array is left as it is: it is mapped on its own, and pages it
	 * never wrote are not resident. */
	if (c->n_steps)
		c->binds = xrealloc(c->binds, c->n_steps * sizeof *c->binds);
	for (size_t i = 0; i < steps_def_count(); i++)
		free(bd.of_def[i].idx);
	free(bd.of_def);
	free(bd.wants);
	buf_free(&bd.id);
	return c;
}

struct catalogue *catalogue_build(const struct plan *p, const struct inventory *inv,
				  bool with_management, unsigned version)
{
	return build(p, inv, with_management, version, false);
}

struct catalogue *catalogue_build_offboarding(const struct plan *p, const struct inventory *inv,
					      unsigned version)
{
	/* Offboarding a Managed HSM plan (role assignments, not access policies)
	 * has no steps yet: refused rather than half right. */
	if (p && plan_uses_hsm(p))
		return NULL;
	return version >= 2 ? build(p, inv, true, version, true) : NULL;
}

void catalogue_free(struct catalogue *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_steps; i++) {
		struct step *s = &c->steps[i];
		free(s->confirm_name);
		free(s->prereqs);
	}
	free(c->steps);
	free(c->binds);
	while (c->strings) {
		struct cat_strings *next = c->strings->next;
		free(c->strings);
		c->strings = next;
	}
	free(c);
}
