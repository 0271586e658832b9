/* steps_hsm_vars.c: the command variables of the Managed HSM steps
 * (steps_hsm.c), from the plan's managed_hsm section and the inventory.
 * File names are made here once, so the steps that write a file and the
 * ones that read it agree: each officer's certificate and key, the security
 * domain file, the recovery rehearsal's exchange key and restore blob. */
#include "ck.h"
#include "inventory.h"
#include "steps_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define HSM_NAME_MAX 24

static const char *hsm_of(const struct catalogue *c, const struct step_bind *b)
{
	return b->side != CK_SIDE_NONE ? c->inv->hsm[b->side] : NULL;
}

/* The recovery rehearsal's HSM: the HSM's name with "DR", kept within 24
 * characters and never ending in a hyphen before the suffix. */
static char *hsm_dr_name(const char *hsm)
{
	size_t n = strlen(hsm);
	if (n > HSM_NAME_MAX - 2)
		n = HSM_NAME_MAX - 2;
	while (n > 1 && hsm[n - 1] == '-')
		n--;
	return xasprintf("%.*sDR", (int)n, hsm);
}

static const struct plan_sd_officer *officer_of(const struct catalogue *c,
						 const struct step_bind *b)
{
	const struct plan *p = c->plan;
	return b->officer >= 0 && (size_t)b->officer < p->hsm.n_officers
		       ? &p->hsm.officers[b->officer]
		       : NULL;
}

char *steps_hsm_var(const struct catalogue *c, const struct step_bind *b, const char *name,
		    char **placeholder)
{
	const struct plan *p = c->plan;
	const char *hsm = hsm_of(c, b);
	const struct plan_sd_officer *o = officer_of(c, b);
	int n = b->officer + 1;
	if (hsm && strcmp(name, "hsm") == 0)
		return xstrdup(hsm);
	if (hsm && strcmp(name, "hsm_rg") == 0)
		return xstrdup(c->inv->hsm_rg[b->side]);
	if (hsm && strcmp(name, "hsm_region") == 0 && p->hsm.regions.region[b->side])
		return xstrdup(p->hsm.regions.region[b->side]);
	if (hsm && strcmp(name, "hsm_dr") == 0)
		return hsm_dr_name(hsm);
	if (strcmp(name, "quorum") == 0 && p->hsm.quorum > 0)
		return xasprintf("%ld", p->hsm.quorum);
	if (hsm && strcmp(name, "sd_file") == 0)
		return inventory_sd_file(hsm);
	if (hsm && strcmp(name, "exchange_file") == 0) {
		char *dr = hsm_dr_name(hsm);
		char *f = xasprintf("%s-ExchangeKey.cer", dr);
		free(dr);
		return f;
	}
	if (hsm && strcmp(name, "restore_blob") == 0) {
		char *dr = hsm_dr_name(hsm);
		char *f = xasprintf("%s-SecurityDomain-Restore.json", dr);
		free(dr);
		return f;
	}
	if (o && strcmp(name, "officer_file") == 0)
		return inventory_officer_cert((size_t)n);
	if (o && strcmp(name, "officer_key_file") == 0)
		return xasprintf("sd-officer-%d.key", n);
	if (o && strcmp(name, "officer_pub_file") == 0)
		return xasprintf("sd-officer-%d.pub.pem", n);
	if (o && strcmp(name, "officer_der_file") == 0)
		return xasprintf("sd-officer-%d.pub.der", n);
	if (o && strcmp(name, "officer_subject") == 0 && o->name)
		return xasprintf("/CN=%s", o->name);
	if (o && strcmp(name, "officer_name") == 0 && o->name)
		return xstrdup(o->name);
	*placeholder = xasprintf("<%s %s>", _("value missing from the plan:"), name);
	return NULL;
}

char **steps_hsm_list(const struct catalogue *c, const struct step_bind *b, const char *name,
		      size_t *n)
{
	const struct plan *p = c->plan;
	*n = 0;
	if (strcmp(name, "hsm_admins") == 0 && b->side != CK_SIDE_NONE) {
		size_t k = p->hsm.n_administrators[b->side];
		char **v = xcalloc(k ? k : 1, sizeof *v);
		for (size_t i = 0; i < k; i++)
			v[i] = xstrdup(p->hsm.administrators[b->side][i]);
		*n = k;
		return v;
	}
	bool certs = strcmp(name, "officer_files") == 0;
	if (certs || strcmp(name, "officer_key_files") == 0) {
		size_t k = p->hsm.n_officers;
		char **v = xcalloc(k ? k : 1, sizeof *v);
		for (size_t i = 0; i < k; i++)
			v[i] = certs ? inventory_officer_cert(i + 1)
				     : xasprintf("sd-officer-%zu.key", i + 1);
		*n = k;
		return v;
	}
	return NULL;
}

const char *steps_officer_sha256(const struct catalogue *c, const struct step *s)
{
	const struct step_bind *b = catalogue_bind(c, s);
	const struct plan_sd_officer *o = b ? officer_of(c, b) : NULL;
	return o && o->sha256[0] ? o->sha256 : NULL;
}
