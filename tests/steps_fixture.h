/* steps_fixture.h: a plan and inventory filled by hand, for the steps tests
 * (test_steps.c, test_evidence.c). Independent of the plan loader on
 * purpose: these tests judge the catalogue, not the YAML. Three DEPs (one
 * per workload), two mailboxes on the Exchange one, two administrators on
 * side A and one on B, contributors on side A only. */
#ifndef CK_STEPS_FIXTURE_H
#define CK_STEPS_FIXTURE_H

#include "inventory.h"
#include "plan.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
	struct plan p;
	struct inventory inv;
	struct inv_dep deps[3];
	struct inv_rg rgs[6];
	char *admins_a[2], *admins_b[1], *contrib_a[1];
	char *mailboxes[2];
	struct plan_officer officers[1];
};

/* The plan's strings are char *; the fixture's are literals never freed. */
static char *fx_mut(const char *s)
{
	union { const char *c; char *m; } u = { s };
	return u.m;
}

static const char *const fx_sub[2] = { "11111111-1111-4111-8111-111111111111",
				       "22222222-2222-4222-8222-222222222222" };
static const char *const fx_region[2] = { "eastus2", "westus3" };

static void fx_side(struct inv_dep *d, const char *wl, const char *geo, int side)
{
	struct inv_side *s = &d->side[side];
	char L = side ? 'B' : 'A';
	s->side = side;
	s->operator_side = side;
	s->subscription = fx_sub[side];
	s->region = fx_region[side];
	s->resource_group = xasprintf("Contoso-CK-%s-%s-RG%c", wl, geo, L);
	s->vault = xasprintf("Contoso-CK-%s-%s-Vault%c1", wl, geo, L);
	s->key = xasprintf("%s-Key001", s->vault);
	s->backup_pattern = xasprintf("%s-Backup-{date}.backup", s->key);
	s->key_uri = xasprintf("https://%s.vault.azure.net/keys/%s", s->vault, s->key);
}

static struct fixture *fixture_new(void)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	struct plan *p = &f->p;
	p->org.name = fx_mut("Contoso");
	p->org.tenant_domain = fx_mut("contoso.onmicrosoft.com");
	p->org.tenant_id = fx_mut("33333333-3333-4333-8333-333333333333");
	p->op[0].name = fx_mut("Alice Ames");
	p->op[0].upn = fx_mut("alice@contoso.com");
	p->op[1].name = fx_mut("Bob Berg");
	p->op[1].upn = fx_mut("bob@contoso.com");
	p->author = CK_SIDE_A;
	p->tenant_admin = CK_SIDE_B;
	f->admins_a[0] = fx_mut("alice@contoso.com");
	f->admins_a[1] = fx_mut("carol@contoso.com");
	f->admins_b[0] = fx_mut("bob@contoso.com");
	f->contrib_a[0] = fx_mut("dave@contoso.com");
	for (int s = 0; s < 2; s++) {
		p->sub[s].id = fx_mut(fx_sub[s]);
		/* side A's subscription is run by operator B and vice versa: owners
		 * must follow operator_side, not the side letter */
		p->sub[s].operator_side = 1 - s;
	}
	p->sub[0].administrators = f->admins_a;
	p->sub[0].n_administrators = 2;
	p->sub[1].administrators = f->admins_b;
	p->sub[1].n_administrators = 1;
	p->sub[0].contributors = f->contrib_a;
	p->sub[0].n_contributors = 1;
	p->kv.sku = fx_mut("premium");
	p->kv.retention_days = 90;
	p->kv.purge_protection = true;
	p->kv.key_type = fx_mut("RSA-HSM");
	p->kv.key_size = 3072;
	p->kv.key_source = fx_mut("create");
	f->officers[0].name = fx_mut("Olga Officer");
	f->officers[0].title = fx_mut("CISO");
	f->officers[0].email = fx_mut("olga@contoso.com");
	p->officers = f->officers;
	p->n_officers = 1;
	p->exchange.present = p->sharepoint.present = p->multi.present = true;
	for (int w = 0; w < WL_COUNT; w++)
		p->email_alias[w] = fx_mut(plan_workload_default_alias((enum plan_workload)w));

	f->mailboxes[0] = fx_mut("ann@contoso.com");
	f->mailboxes[1] = fx_mut("o'brien/ops@contoso.com");
	static const char *const wl[3] = { "EX", "SP", "MW" };
	for (int i = 0; i < 3; i++) {
		struct inv_dep *d = &f->deps[i];
		d->workload = (enum plan_workload)i;
		d->index = 0;
		d->m365_geo = "NAM";
		d->name_geo = "NA";
		for (int s = 0; s < 2; s++) {
			fx_side(d, wl[i], "NA", s);
			f->rgs[2 * i + s].side = s;
			f->rgs[2 * i + s].name = d->side[s].resource_group;
			f->rgs[2 * i + s].region = fx_region[s];
		}
	}
	f->deps[0].id = xstrdup("EX-USA_mailboxes");
	f->deps[0].name = "USA_mailboxes";
	f->deps[0].description = "Root key for mailboxes in the USA";
	f->deps[0].mailboxes = f->mailboxes;
	f->deps[0].n_mailboxes = 2;
	f->deps[1].id = xstrdup("SP-NAM");
	f->deps[1].admin_url = "https://contoso-admin.sharepoint.com";
	f->deps[2].id = xstrdup("MW");
	f->deps[2].name = "Contoso-M365-DEP";
	f->deps[2].description = "Tenant-wide key";
	f->inv.plan = p;
	f->inv.deps = f->deps;
	f->inv.n_deps = 3;
	f->inv.rgs = f->rgs;
	f->inv.n_rgs = 6;
	return f;
}

static void fixture_free(struct fixture *f)
{
	for (int i = 0; i < 3; i++) {
		free(f->deps[i].id);
		for (int s = 0; s < 2; s++) {
			struct inv_side *x = &f->deps[i].side[s];
			free(x->resource_group);
			free(x->vault);
			free(x->key);
			free(x->backup_pattern);
			free(x->key_uri);
		}
	}
	free(f);
}

#endif
