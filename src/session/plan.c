/* plan.c: plan versions inside a session: loading a version from the bytes
 * the journal embeds, the warnings its verifier must acknowledge, the
 * verifier's checklist, the step catalogue it makes and which steps survive
 * an amendment (those whose resources did not change). */
#include "ck.h"
#include "rules.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* What a second person looks at before signing. Stable ids: the journal
 * records the answers by id, and verify checks every one is yes. */
const struct session_check_item session_checklist[] = {
	{ "organization", N_("The organisation, tenant domain and tenant ID are ours.") },
	{ "operators", N_("Both operators' names, UPNs and key fingerprints match the two "
			  "people present (compare the fingerprints aloud).") },
	{ "subscriptions", N_("The two subscription IDs are the ones set aside for Customer "
			      "Key, each owned by its operator.") },
	{ "regions", N_("Each policy's two regions are the intended pair, where our data is "
			"meant to live.") },
	{ "names", N_("Every resource group, vault, key and backup name in the inventory is "
		      "what we mean to create.") },
	{ "vault_settings", N_("Vault and key settings: SKU, soft delete and its retention, "
			       "purge protection, key type, size and expiry.") },
	{ "workloads", N_("The workloads and data encryption policies are the ones to onboard.") },
	{ "officers", N_("The officers who may approve key destruction are the right people.") },
};

const size_t session_n_checklist = CK_ARRAY_LEN(session_checklist);

/* One entry per warning ID (a rule that fires twice is acknowledged once);
 * the messages of every firing are joined, so the verifier who acknowledges
 * the ID has read each place it fired. Sorted diagnostics: a stable order. */
static void warnings_collect(struct session *s, const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		size_t k;
		if (d->v[i].severity != DIAG_WARNING || !d->v[i].id ||
		    rules_catalogue_since(d->v[i].id) > (s->cat_version ? s->cat_version : 1))
			continue;
		for (k = 0; k < s->n_warn; k++)
			if (strcmp(s->warn_ids[k], d->v[i].id) == 0)
				break;
		if (k < s->n_warn) {
			char *joined = xasprintf("%s; %s", s->warn_msgs[k],
						 d->v[i].message ? d->v[i].message : "");
			free(s->warn_msgs[k]);
			s->warn_msgs[k] = joined;
			continue;
		}
		s->warn_ids = xrealloc(s->warn_ids, (s->n_warn + 1) * sizeof *s->warn_ids);
		s->warn_msgs = xrealloc(s->warn_msgs, (s->n_warn + 1) * sizeof *s->warn_msgs);
		s->warn_ids[s->n_warn] = xstrdup(d->v[i].id);
		s->warn_msgs[s->n_warn] = xstrdup(d->v[i].message ? d->v[i].message : "");
		s->n_warn++;
	}
}

int sess_plan_set(struct session *s, const char *bytes, size_t len, char **why)
{
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load_mem(SESSION_PLAN_FILE, bytes, len, &d);
	struct inventory *inv = NULL;
	struct catalogue *cat;
	const struct diag *first;
	if (p)
		inv = inventory_build(p, &d);
	if (p)
		rules_check(p, inv, &d);
	diags_sort(&d);
	if (!p || !inv || diags_count(&d, DIAG_ERROR) || !p->op[0].key_ok || !p->op[1].key_ok) {
		first = NULL;
		for (size_t i = 0; i < d.n && !first; i++)
			if (d.v[i].severity == DIAG_ERROR)
				first = &d.v[i];
		*why = xasprintf(_("the plan in the journal is not usable: %s%s%s"),
				 first && first->id ? first->id : "",
				 first ? ": " : "", first ? first->message : _("no operator keys"));
		inventory_free(inv);
		plan_free(p);
		diags_free(&d);
		return -1;
	}
	if (memcmp(p->op[0].pub, p->op[1].pub, PUBKEY_LEN) == 0 ||
	    util_strcaseeq(p->op[0].upn, p->op[1].upn)) {
		*why = xstrdup(_("the plan names the same person (key or UPN) as both operators: "
				 "dual control needs two people"));
		inventory_free(inv);
		plan_free(p);
		diags_free(&d);
		return -1;
	}
	if (s->offboarding && plan_uses_hsm(p)) {
		/* catalogue_build_offboarding has no steps for it: refuse here,
		 * before a session could exist without them */
		*why = xstrdup(_("offboarding a plan whose keys are in Managed HSMs has no steps "
				 "yet (the roles of the Microsoft 365 apps are taken away with "
				 "Remove-AzKeyVaultRoleAssignment): do it by hand, with Microsoft's "
				 "current instructions"));
		inventory_free(inv);
		plan_free(p);
		diags_free(&d);
		return -1;
	}
	/* checked: no diagnostic of this plan follows, so its positions go
	 * before the catalogue is built, which reuses their memory */
	plan_drop_positions(p);
	cat = s->offboarding ? catalogue_build_offboarding(p, inv, s->cat_version)
			     : catalogue_build(p, inv, false, s->cat_version ? s->cat_version : 1);
	sess_steps_rebuild(s, cat);
	catalogue_free(s->cat);
	inventory_free(s->inv);
	plan_free(s->plan);
	sess_warnings_free(s);
	s->plan = p;
	s->inv = inv;
	s->cat = cat;
	for (int side = 0; side < CK_SIDES; side++)
		memcpy(s->pub[side], p->op[side].pub, PUBKEY_LEN);
	warnings_collect(s, &d);
	diags_free(&d);
	return 0;
}

size_t session_plan_warnings(const struct session *s, const char *const **ids,
			     const char *const **messages)
{
	if (ids)
		*ids = (const char *const *)s->warn_ids;
	if (messages)
		*messages = (const char *const *)s->warn_msgs;
	return s->n_warn;
}

char *sess_step_resources(const struct step *st)
{
	const struct step_check *k = &st->check;
	return xasprintf("%s|%s|%s|%s|%s|%s|%s|%d", st->id, k->subscription ? k->subscription : "",
			 k->resource_group ? k->resource_group : "", k->vault ? k->vault : "",
			 k->key ? k->key : "", k->region ? k->region : "",
			 st->confirm_name ? st->confirm_name : "", st->owner);
}

void sess_steps_rebuild(struct session *s, struct catalogue *newcat)
{
	struct sess_step **nv = xcalloc(newcat->n_steps ? newcat->n_steps : 1, sizeof *nv);
	for (size_t k = 0; k < s->n_rebuilt; k++)
		free(s->rebuilt[k]);
	free(s->rebuilt);
	s->rebuilt = NULL;
	s->n_rebuilt = 0;
	for (size_t i = 0; i < newcat->n_steps; i++) {
		const struct step *ns = &newcat->steps[i];
		long j = s->cat && s->steps ? session_step_index(s, ns->id) : -1;
		bool kept = false;
		if (j >= 0) {
			char *a = sess_step_resources(&s->cat->steps[j]);
			char *b = sess_step_resources(ns);
			if (strcmp(a, b) == 0) { /* same resources: what was done stays done */
				nv[i] = s->steps[j];
				s->steps[j] = NULL;
				kept = true;
			}
			free(a);
			free(b);
		}
		/* An amendment concerns the steps it changed or added (reports link them). */
		if (!kept && s->cat) {
			s->rebuilt = xrealloc(s->rebuilt, (s->n_rebuilt + 1) * sizeof *s->rebuilt);
			s->rebuilt[s->n_rebuilt++] = xstrdup(ns->id);
		}
	}
	sess_steps_free(s);
	s->steps = nv;
}

bool session_uses_demo_keys(const struct session *s)
{
	return s->plan && (pubkey_demo_find(s->plan->op[0].pub) || pubkey_demo_find(s->plan->op[1].pub));
}

size_t session_n_steps(const struct session *s)
{
	return s->cat ? s->cat->n_steps : 0;
}

long session_step_index(const struct session *s, const char *step_id)
{
	const struct step *st = s->cat && step_id ? catalogue_find(s->cat, step_id) : NULL;
	return st ? (long)(st - s->cat->steps) : -1;
}

const struct step *sess_find_step(const struct session *s, const char *id, char **err)
{
	long i = session_step_index(s, id);
	if (i < 0)
		*err = xasprintf(_("unknown step \"%s\""), id ? id : "");
	return i < 0 ? NULL : &s->cat->steps[i];
}
