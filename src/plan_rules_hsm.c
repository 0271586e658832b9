/* plan_rules_hsm.c: rules of plans whose keys live in two Managed HSMs
 * (key_store: managed_hsm). The numbers come from Microsoft's Managed HSM
 * pages, named in doc/steps.md ("Managed HSM"): a security domain download
 * takes 3 to 10 RSA keys and a quorum of at least 2. */
#include "ck.h"
#include "plan_rules.h"
#include "text.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SD_OFFICERS_MIN 3
#define SD_OFFICERS_MAX 10
#define SD_QUORUM_MIN 2
#define SD_BASE "managed_hsm.security_domain"

void rule_key_store_known(const struct rules_ctx *c)
{
	const char *k = c->p->key_store;
	if (k && strcmp(k, "key_vault") != 0 && strcmp(k, "managed_hsm") != 0) {
		char *vis = text_visible_line(k);
		rules_at(c, "CK090", "key_store", _("unknown key store '%s'"), vis);
		free(vis);
	}
}

void rule_hsm_section(const struct rules_ctx *c)
{
	bool section = c->p->hsm.regions.region[0] || c->p->hsm.regions.region[1] ||
		       c->p->hsm.n_officers > 0 || c->p->hsm.quorum != LONG_MIN;
	if (plan_uses_hsm(c->p) && !section)
		rules_at(c, "CK091", "managed_hsm",
			 _("key_store is managed_hsm but the managed_hsm section is missing"));
	else if (!plan_uses_hsm(c->p) && section)
		rules_at(c, "CK091", "managed_hsm",
			 _("managed_hsm is given but key_store is not managed_hsm: the plan would "
			   "create vaults and ignore it"));
}

void rule_hsm_names(const struct rules_ctx *c)
{
	if (!plan_uses_hsm(c->p) || !c->inv)
		return;
	for (int s = 0; s < CK_SIDES; s++) {
		const char *n = c->inv->hsm[s];
		const char *why = n ? rules_vault_name_problem(n) : NULL;
		if (why) {
			char *vis = text_visible_line(n);
			rules_at(c, "CK092", "managed_hsm.name", _("HSM name '%s' (side %c) %s"), vis,
				 ck_side_letter(s), _(why));
			free(vis);
		}
	}
	if (c->inv->hsm[0] && c->inv->hsm[1] && strcasecmp(c->inv->hsm[0], c->inv->hsm[1]) == 0) {
		char *vis = text_visible_line(c->inv->hsm[0]);
		rules_at(c, "CK092", "managed_hsm.name",
			 _("both sides' HSMs are named '%s': put {side} in the pattern"), vis);
		free(vis);
	}
}

void rule_hsm_regions_differ(const struct rules_ctx *c)
{
	const char *const *r = (const char *const *)c->p->hsm.regions.region;
	if (plan_uses_hsm(c->p) && r[0] && r[1] && strcmp(r[0], r[1]) == 0) {
		char *vis = text_visible_line(r[0]);
		rules_at(c, "CK093", "managed_hsm.regions.B",
			 _("both HSMs are in %s: one region would hold both keys of every DEP"), vis);
		free(vis);
	}
}

void rule_hsm_dep_regions(const struct rules_ctx *c)
{
	if (!plan_uses_hsm(c->p) || !c->inv)
		return;
	for (size_t i = 0; i < c->inv->n_deps; i++) {
		const struct inv_dep *dep = &c->inv->deps[i];
		for (int s = 0; s < CK_SIDES; s++) {
			/* the inventory puts the HSM's region on the side; the plan's own
			 * region for the DEP is what the author wrote */
			const struct plan_regions *pr = NULL;
			if (dep->workload == WL_EXCHANGE)
				pr = &c->p->exchange.policies[dep->index].regions;
			else if (dep->workload == WL_SHAREPOINT)
				pr = &c->p->sharepoint.geos[dep->index].regions;
			else
				pr = &c->p->multi.regions;
			const char *want = c->p->hsm.regions.region[s];
			const char *got = pr->region[s];
			if (!want || !got || strcmp(want, got) == 0)
				continue;
			char *path = xasprintf("%s.regions.%c", dep->plan_path, ck_side_letter(s));
			char *g = text_visible_line(got), *w = text_visible_line(want);
			rules_at(c, "CK094", path,
				 _("this DEP's key on side %c is in the HSM in %s, not in %s"),
				 ck_side_letter(s), w, g);
			free(g);
			free(w);
			free(path);
		}
	}
}

void rule_sd_officer_count(const struct rules_ctx *c)
{
	size_t n = c->p->hsm.n_officers;
	if (plan_uses_hsm(c->p) && (n < SD_OFFICERS_MIN || n > SD_OFFICERS_MAX))
		rules_at(c, "CK095", SD_BASE ".officers",
			 _("%zu security-domain officers: Azure takes 3 to 10 keys"), n);
}

void rule_sd_quorum(const struct rules_ctx *c)
{
	long q = c->p->hsm.quorum;
	size_t n = c->p->hsm.n_officers;
	if (!plan_uses_hsm(c->p) || q == LONG_MIN)
		return;
	if (q < SD_QUORUM_MIN)
		rules_at(c, "CK096", SD_BASE ".quorum",
			 _("a quorum of %ld: the security domain would open with fewer than two "
			   "officers' keys"), q);
	else if ((unsigned long)q > n)
		rules_at(c, "CK096", SD_BASE ".quorum",
			 _("a quorum of %ld with %zu officers can never be met"), q, n);
}

void rule_sd_officer_key(const struct rules_ctx *c)
{
	if (!plan_uses_hsm(c->p))
		return;
	for (size_t i = 0; i < c->p->hsm.n_officers; i++) {
		const struct plan_sd_officer *o = &c->p->hsm.officers[i];
		char *path = xasprintf(SD_BASE ".officers[%zu]", i);
		if (o->public_key && o->public_key_sha256)
			rules_at(c, "CK097", path, _("both public_key and public_key_sha256: give one"));
		else if (!o->public_key && !o->public_key_sha256)
			rules_at(c, "CK097", path, _("neither public_key nor public_key_sha256"));
		else if (o->public_key && o->key_error) {
			char *p2 = xasprintf("%s.public_key", path);
			rules_at(c, "CK097", p2, "%s", o->key_error);
			free(p2);
		} else if (!o->sha256[0]) {
			char *p2 = xasprintf("%s.public_key_sha256", path);
			rules_at(c, "CK097", p2, _("not 64 hexadecimal digits"));
			free(p2);
		}
		free(path);
	}
}

void rule_sd_officer_distinct(const struct rules_ctx *c)
{
	if (!plan_uses_hsm(c->p))
		return;
	const struct plan_managed_hsm *h = &c->p->hsm;
	for (size_t i = 0; i < h->n_officers; i++)
		for (size_t j = 0; j < i; j++) {
			if (!h->officers[i].sha256[0] ||
			    strcmp(h->officers[i].sha256, h->officers[j].sha256) != 0)
				continue;
			char *path = xasprintf(SD_BASE ".officers[%zu]", i);
			rules_at(c, "CK098", path, _("the same key as officer %zu"), j + 1);
			free(path);
		}
}

void rule_hsm_keys_rsa_hsm(const struct rules_ctx *c)
{
	if (!plan_uses_hsm(c->p))
		return;
	if (c->p->kv.key_type && strcmp(c->p->kv.key_type, "RSA-HSM") != 0)
		rules_at(c, "CK100", "key_vault.key.type",
			 _("a Managed HSM holds HSM-protected keys only: RSA-HSM"));
	if (c->p->kv.key_source && strcmp(c->p->kv.key_source, "create") != 0)
		rules_at(c, "CK100", "key_vault.key.source",
			 _("ckwizard creates the keys in the HSM; importing into a Managed HSM is "
			   "outside the ceremony"));
}

/* Register-SPODataEncryptionPolicy names a vault, a key and a version; the
 * Managed HSM pages we could read do not say it takes an HSM. */
void rule_hsm_sharepoint(const struct rules_ctx *c)
{
	if (plan_uses_hsm(c->p) && c->p->sharepoint.present)
		rules_at(c, "CK101", "workloads.sharepoint",
			 _("SharePoint DEPs name their keys by vault name; whether they take a "
			   "Managed HSM is not confirmed"));
}
