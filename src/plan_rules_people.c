/* plan_rules_people.c: rules about operators, subscriptions and officers:
 * the plan must make dual control possible. */
#include "ck.h"
#include "lookalike.h"
#include "plan_rules.h"
#include "pubkey.h"
#include "text.h"
#include "util.h"
#include "ydoc.h"

#include <stdlib.h>
#include <string.h>

void rule_demo_keys(const struct rules_ctx *c)
{
	for (int s = 0; s < CK_SIDES; s++) {
		const struct plan_operator *o = &c->p->op[s];
		if (!o->demo)
			continue;
		const struct pubkey_demo *dm = pubkey_demo_find(o->pub);
		char *path = xasprintf("operators.%c.key", ck_side_letter(s));
		rules_at(c, "CK015", path,
			 _("operator %c uses the bundled demo key of %s: rehearsals only"),
			 ck_side_letter(s), dm ? dm->name : "?");
		free(path);
	}
}

void rule_operators_differ(const struct rules_ctx *c)
{
	const struct plan_operator *a = &c->p->op[CK_SIDE_A], *b = &c->p->op[CK_SIDE_B];
	if (a->name && b->name && util_streq(a->name, b->name))
		rules_at(c, "CK020", "operators.B.name", _("both operators are named '%s'"),
			 b->name);
	if (a->upn && b->upn && util_strcaseeq(a->upn, b->upn))
		rules_at(c, "CK020", "operators.B.upn", _("both operators have the UPN %s"), b->upn);
	if (a->object_id && b->object_id && util_strcaseeq(a->object_id, b->object_id))
		rules_at(c, "CK020", "operators.B.object_id",
			 _("both operators have the object ID %s"), b->object_id);
	if (a->key_ok && b->key_ok && memcmp(a->pub, b->pub, sizeof a->pub) == 0)
		rules_at(c, "CK020", "operators.B.key", _("both operators have the same public key"));
}

/* Names and UPNs that differ only in what a reader cannot see (a Cyrillic
 * letter, a trailing space, a fullwidth form, "rn" for "m") pass CK020 yet
 * let one person pose as two, or a reviewer confuse the two operators. */
void rule_operators_lookalike(const struct rules_ctx *c)
{
	const struct plan_operator *a = &c->p->op[CK_SIDE_A], *b = &c->p->op[CK_SIDE_B];
	if (lookalike_collide(a->name, b->name)) {
		char *va = text_visible_line(a->name), *vb = text_visible_line(b->name);
		rules_at(c, "CK027", "operators.B.name",
			 _("the operators' names '%s' and '%s' look alike"), va, vb);
		free(va);
		free(vb);
	}
	if (a->upn && b->upn && !util_strcaseeq(a->upn, b->upn) &&
	    lookalike_collide(a->upn, b->upn))
		rules_at(c, "CK027", "operators.B.upn", _("the operators' UPNs %s and %s look alike"),
			 a->upn, b->upn);
}

void rule_subscriptions_differ(const struct rules_ctx *c)
{
	const char *a = c->p->sub[CK_SIDE_A].id, *b = c->p->sub[CK_SIDE_B].id;
	if (a && b && util_strcaseeq(a, b))
		rules_at(c, "CK021", "subscriptions.B.id",
			 _("subscriptions A and B are the same subscription %s"), b);
}

void rule_subscription_owners(const struct rules_ctx *c)
{
	int a = c->p->sub[CK_SIDE_A].operator_side, b = c->p->sub[CK_SIDE_B].operator_side;
	if (a != CK_SIDE_NONE && a == b)
		rules_at(c, "CK022", "subscriptions.B.operator",
			 _("operator %c owns both subscriptions; the other operator owns none"),
			 ck_side_letter(a));
}

static bool rule_list_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (util_strcaseeq(v[i], s))
			return true;
	return false;
}

void rule_admins_overlap(const struct rules_ctx *c)
{
	const struct plan_subscription *a = &c->p->sub[CK_SIDE_A], *b = &c->p->sub[CK_SIDE_B];
	for (size_t i = 0; i < b->n_administrators; i++) {
		if (!rule_list_has(a->administrators, a->n_administrators, b->administrators[i]))
			continue;
		char *path = xasprintf("subscriptions.B.administrators[%zu]", i);
		char *vis = text_visible_line(b->administrators[i]);
		rules_at(c, "CK024", path, _("%s administers the vaults of both sides"), vis);
		free(vis);
		free(path);
	}
}

void rule_admin_other_side(const struct rules_ctx *c)
{
	for (int s = 0; s < CK_SIDES; s++) {
		const struct plan_subscription *sub = &c->p->sub[s];
		if (sub->operator_side == CK_SIDE_NONE)
			continue;
		const struct plan_operator *other = &c->p->op[ck_other_side(sub->operator_side)];
		for (size_t i = 0; other->upn && i < sub->n_administrators; i++) {
			if (!util_strcaseeq(sub->administrators[i], other->upn))
				continue;
			char *path = xasprintf("subscriptions.%c.administrators[%zu]",
					       ck_side_letter(s), i);
			rules_at(c, "CK025", path,
				 _("operator %c (%s) administers side %c, which operator %c owns"),
				 ck_side_letter(ck_other_side(sub->operator_side)), other->upn,
				 ck_side_letter(s), ck_side_letter(sub->operator_side));
			free(path);
		}
	}
}

void rule_owner_administers(const struct rules_ctx *c)
{
	for (int s = 0; s < CK_SIDES; s++) {
		const struct plan_subscription *sub = &c->p->sub[s];
		if (sub->operator_side == CK_SIDE_NONE || sub->n_administrators == 0)
			continue;
		const struct plan_operator *o = &c->p->op[sub->operator_side];
		if (!o->upn || rule_list_has(sub->administrators, sub->n_administrators, o->upn))
			continue;
		char *path = xasprintf("subscriptions.%c.administrators", ck_side_letter(s));
		rules_at(c, "CK026", path,
			 _("operator %c (%s) owns subscription %c but is not one of its "
			   "administrators: the key steps need those permissions"),
			 ck_side_letter(sub->operator_side), o->upn, ck_side_letter(s));
		free(path);
	}
}

void rule_officers_present(const struct rules_ctx *c)
{
	int line, col;
	/* a missing list is CK003 already; an empty one is this rule */
	if (c->p->n_officers == 0 && ydoc_find(c->p->doc, "officers", &line, &col))
		rules_at(c, "CK080", "officers", _("no officer is named"));
}

void rule_onboarding_known(const struct rules_ctx *c)
{
	const char *o = c->p->onboarding;
	if (o && !util_streq(o, "service") && !util_streq(o, "email")) {
		char *vis = text_visible_line(o);
		rules_at(c, "CK081", "onboarding", _("unknown onboarding path '%s'"), vis);
		free(vis);
	}
}

/* Microsoft's Set up Customer Key page could not be read in full; guides
 * from others report SharePoint onboarding still going through FastTrack. */
void rule_onboarding_sharepoint(const struct rules_ctx *c)
{
	if (c->p->onboarding && util_streq(c->p->onboarding, "service") &&
	    c->p->sharepoint.n_geos > 0)
		rules_at(c, "CK082", "onboarding",
			 _("the onboarding service is chosen and the plan has SharePoint geos: "
			   "SharePoint may still need the FastTrack request and the e-mail"));
}

/* Microsoft's comparison of RBAC and access policies: in access-policy mode
 * any role with Microsoft.KeyVault/vaults/write, Contributor included, can
 * write an access policy and so grant itself data-plane access. */
void rule_contributors_self_grant(const struct rules_ctx *c)
{
	for (int side = 0; side < CK_SIDES; side++) {
		const struct plan_subscription *ps = &c->p->sub[side];
		if (ps->n_contributors == 0)
			continue;
		char *path = xasprintf("subscriptions.%c.contributors", ck_side_letter(side));
		if (plan_uses_hsm(c->p)) /* no step gives them anything on an HSM */
			rules_at(c, "CK052", path,
				 ngettext("%zu contributor on side %c: a Managed HSM plan grants them "
					  "nothing (its access is the HSM's own roles); list them only "
					  "if someone must manage the HSM resource, and grant that "
					  "outside the ceremony",
					  "%zu contributors on side %c: a Managed HSM plan grants them "
					  "nothing (its access is the HSM's own roles); list them only "
					  "if someone must manage the HSM resource, and grant that "
					  "outside the ceremony", ps->n_contributors),
				 ps->n_contributors, ck_side_letter(side));
		else
			rules_at(c, "CK052", path,
				 ngettext("%zu contributor on side %c: the Contributor role can write "
					  "an access policy and give itself every key permission",
					  "%zu contributors on side %c: the Contributor role can write "
					  "an access policy and give itself every key permission",
					  ps->n_contributors),
				 ps->n_contributors, ck_side_letter(side));
		free(path);
	}
}
