/* backend_rest.c: the REST backend's checks (see backend_rest.h). A batch
 * of step checks runs as one audit of the signed-in sides, and each step
 * takes the findings about its own resource. Signing in and the seam's
 * table are in backend_rest_open.c, above this file and backend_perform.c,
 * which checks what it wrote. */
#include "ck.h"
#include "azure/audit_int.h"
#include "azure/backend_rest.h"
#include "azure/backend_rest_int.h"
#include "azure/results.h"
#include "buf.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>


/* Which findings answer which check kind: the finding kind, and the checks
 * that belong (NULL: every check of that resource but the excluded). */
static const struct {
	enum check_kind kind;
	const char *finding_kind;
	const char *const checks[10];
} rest_map[] = {
	{ CHECK_FEATURE_STATE, "feature", { NULL } },
	{ CHECK_PROVIDER_STATE, "provider", { NULL } },
	{ CHECK_RESOURCE_GROUP, "resource group", { NULL } },
	{ CHECK_VAULT, "vault", { "exists", "read", "region", "tenant", "SKU", "soft delete",
				  "soft-delete retention", "purge protection", "permission model" } },
	{ CHECK_VAULT_ACCESS, "vault", { "exists", "read", "access policy", "permission model" } },
	{ CHECK_KEY, "key", { "exists", "read", "type", "size", "operations", "enabled", "key URI" } },
	{ CHECK_KEY_EXPIRY, "key", { "exists", "read", "expiry" } },
	{ CHECK_KEY_RECOVERY, "key", { "exists", "read", "recovery level" } },
	/* Managed HSM plans (audit_hsm.c): the HSM ready for keys */
	{ CHECK_HSM, "managed HSM", { "exists", "read", "provisioning state", "activation",
				      "soft delete", "soft-delete retention", "purge protection" } },
	{ CHECK_HSM_ROLES, "managed HSM", { "exists", "read", "role assignment", "data plane" } },
};

/* The HSM as created, before its security domain is downloaded: everything
 * but the activation. */
static const char *const rest_hsm_created[10] = { "exists", "read", "region", "tenant", "SKU",
						  "provisioning state", "soft delete",
						  "soft-delete retention", "purge protection",
						  "initial administrators" };

static const char *rest_resource_name(const struct step_check *c)
{
	switch (c->kind) {
	case CHECK_RESOURCE_GROUP:
		return c->resource_group;
	case CHECK_VAULT:
	case CHECK_VAULT_ACCESS:
	case CHECK_HSM:
	case CHECK_HSM_ROLES:
		return c->vault; /* an HSM step's vault is the side's HSM */
	case CHECK_KEY:
	case CHECK_KEY_EXPIRY:
	case CHECK_KEY_RECOVERY:
		return c->key;
	default:
		return NULL; /* per subscription: the kind and side say it all */
	}
}

static bool rest_check_in(const char *check, const char *const checks[10])
{
	if (!checks[0])
		return true;
	for (int i = 0; i < 10 && checks[i]; i++)
		if (strcmp(check, checks[i]) == 0)
			return true;
	return false;
}

/* Steps of one check kind that look at a narrower or wider part: the
 * administrators' step only at their policies, the service step only at the
 * service principal's, the validation at the vault's policies and its key. */
static const struct {
	const char *template_id;
	const char *role;         /* access-policy findings of this role only */
	bool whole;               /* every finding of the vault and of its key */
	bool unsupported;         /* no REST check yet */
	const char *const *only;  /* these checks instead of the kind's, or NULL */
} rest_templates[] = {
	{ "vault.admins", "administrator", false, false, NULL },
	{ "vault.service", "service principal", false, false, NULL },
	{ "vault.validate", NULL, true, false, NULL },
	{ "vault.contributors", NULL, false, true, NULL },
	{ "hsm.create", NULL, false, false, rest_hsm_created },
	{ "hsm.role.admins", "administrator", false, false, NULL },
	{ "hsm.role.service", "service principal", false, false, NULL },
};

static bool rest_wanted(const struct audit_finding *f, const struct step_check *c, size_t m,
			const char *role, bool whole, const char *const *only)
{
	if (whole) {
		/* what Microsoft's validation looks at: the policies (and whether
		 * they count), the key's expiry and recovery level */
		static const char *const vault_checks[10] = { "exists", "read", "access policy",
							      "permission model" };
		static const char *const key_checks[10] = { "exists", "read", "expiry",
							    "recovery level" };
		return (strcmp(f->kind, "vault") == 0 && util_strcaseeq(f->name, c->vault) &&
			rest_check_in(f->check, vault_checks)) ||
		       (strcmp(f->kind, "key") == 0 && c->key && util_strcaseeq(f->name, c->key) &&
			rest_check_in(f->check, key_checks));
	}
	const char *name = rest_resource_name(c);
	if (strcmp(f->kind, rest_map[m].finding_kind) != 0 || (name && !util_strcaseeq(f->name, name)) ||
	    !rest_check_in(f->check, only ? only : rest_map[m].checks))
		return false;
	/* the permission model stays in: in RBAC mode no access policy counts */
	if (role && (strcmp(f->check, "access policy") == 0 || strcmp(f->check, "role assignment") == 0))
		return util_streq(f->role, role);
	return true;
}

static bool rest_is_registering(const char *state)
{
	return util_strcaseeq(state, "Registering") || util_strcaseeq(state, "Pending");
}

/* Is side's retention-period feature still on its way (audit saw it)? */
static bool rest_registering(const struct audit *a, int side)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->f[i].side == side && strcmp(a->f[i].kind, "feature") == 0 &&
		    rest_is_registering(a->f[i].observed))
			return true;
	return false;
}

void backend_rest_judge(const struct audit *a, const struct step *s, struct check_result *r)
{
	const struct step_check *c = &s->check;
	memset(r, 0, sizeof(*r));
	size_t m, t;
	for (m = 0; m < CK_ARRAY_LEN(rest_map); m++)
		if (rest_map[m].kind == c->kind)
			break;
	for (t = 0; t < CK_ARRAY_LEN(rest_templates); t++)
		if (util_streq(s->template_id, rest_templates[t].template_id))
			break;
	bool known = t < CK_ARRAY_LEN(rest_templates);
	if (m == CK_ARRAY_LEN(rest_map) || c->side < 0 || c->side >= CK_SIDES ||
	    (known && rest_templates[t].unsupported)) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NO_LIVE_CHECK);
		r->detail = xstrdup("");
		return;
	}
	const char *role = known ? rest_templates[t].role : NULL;
	bool whole = known && rest_templates[t].whole;
	const char *const *only = known ? rest_templates[t].only : NULL;
	const struct audit_side *sd = &a->side[c->side];
	if (!sd->cred || sd->problem) {
		r->status = CHECK_UNAVAILABLE;
		if (sd->problem)
			check_result_set(r, sd->refused ? R_REST_SIDE_REFUSED : R_REST_SIDE_PROBLEM,
					 sd->problem);
		else
			check_result_set(r, R_REST_NOT_SIGNED_IN, ck_side_letter(c->side));
		r->detail = xstrdup("");
		return;
	}
	struct buf d = BUF_INIT;
	size_t n[AUDIT_NSTATUS] = { 0, 0, 0 };
	const struct audit_finding *first[AUDIT_NSTATUS] = { NULL, NULL, NULL };
	bool pending = false, registering = rest_registering(a, c->side);
	/* Registering the retention period is asked for, not granted: right
	 * after it, Registering or Pending is the expected answer. */
	bool asked = util_streq(s->template_id, "retention.register") ||
		     util_streq(s->template_id, "retention.check");
	for (size_t i = 0; i < a->n; i++) {
		const struct audit_finding *f = &a->f[i];
		if (f->side != c->side || !rest_wanted(f, c, m, role, whole, only))
			continue;
		enum audit_status st = f->status;
		if (c->kind == CHECK_FEATURE_STATE && st == AUDIT_DRIFT && rest_is_registering(f->observed)) {
			if (asked)
				st = AUDIT_HOLDS;
			else
				pending = true;
		}
		/* The recovery level gains +ProtectedSubscription only once the
		 * retention period is registered: until then, not yet. */
		if (c->kind == CHECK_KEY_RECOVERY && st == AUDIT_DRIFT && registering &&
		    util_streq(f->check, "recovery level") && util_streq(f->observed, "Recoverable"))
			pending = true;
		n[st]++;
		if (!first[st])
			first[st] = f;
		buf_printf(&d, "%s: %s\n", f->check, f->detail);
	}
	if (sd->identity)
		buf_printf(&d, "observed by: %s\n", sd->identity);
	r->detail = buf_steal(&d);
	if (n[AUDIT_DRIFT]) {
		r->status = pending ? CHECK_PENDING : CHECK_FAIL;
		check_result_set(r, R_REST_DRIFT, first[AUDIT_DRIFT]->check, first[AUDIT_DRIFT]->detail);
	} else if (n[AUDIT_UNCHECKED]) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_UNCHECKED, first[AUDIT_UNCHECKED]->detail);
	} else if (n[AUDIT_HOLDS]) {
		r->status = CHECK_PASS;
		check_result_set(r, R_REST_HOLDS, n[AUDIT_HOLDS]);
	} else {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NOT_ASKED);
	}
}

static void rest_progress(void *cookie, size_t done, size_t total)
{
	const struct rest_state *st = cookie;
	const struct backend_ui *ui = st->ui;
	if (ui && ui->progress)
		ui->progress(ui->cookie, done, total);
}

int rest_check_batch(struct backend *b, const struct step *const *steps, size_t n,
		     time_t now, const struct backend_ui *ui, struct check_result *results)
{
	struct rest_state *st = b->state;
	struct audit au;
	memset(&au, 0, sizeof(au));
	au.plan = st->plan;
	au.inv = st->inv;
	au.ep = st->ep;
	au.http = &st->http;
	for (int s = 0; s < CK_SIDES; s++) {
		if (!st->signed_in[s])
			continue;
		au.side[s].cred = &st->cred[s];
		if (st->cfg.method == AZ_SIGNIN_CERT)
			au.side[s].expect_app = st->cfg.sp_client[s];
		else {
			const struct plan_operator *op = &st->plan->op[st->plan->sub[s].operator_side];
			au.side[s].expect_upn = op->upn;
			au.side[s].expect_oid = op->object_id;
		}
	}
	st->ui = ui;
	st->http.progress = rest_progress;
	st->http.progress_cookie = st;
	audit_run(&au, now);
	st->http.progress = NULL;
	st->ui = NULL;
	/* A sign-in the audit refused (another identity than the plan's, or
	 * one identity for both sides) is no sign-in: the side signs in again
	 * before anything else is asked of Azure for it (rest_signed_in). */
	for (int s = 0; s < CK_SIDES; s++)
		if (au.side[s].refused && !st->refused[s])
			st->refused[s] = xstrdup(au.side[s].problem ? au.side[s].problem : "?");
	/* The backups are judged apart: from what the session recorded, and
	 * each key's current version (backend_rest_backup.c). */
	const struct step **bk = xcalloc(n + 1, sizeof(*bk));
	size_t *at = xcalloc(n + 1, sizeof(*at)), nb = 0;
	for (size_t i = 0; i < n; i++) {
		if (rest_backup_step(st, steps[i])) {
			bk[nb] = steps[i];
			at[nb++] = i;
		} else {
			backend_rest_judge(&au, steps[i], &results[i]);
		}
	}
	if (nb) {
		struct check_result *br = xcalloc(nb, sizeof(*br));
		rest_backup_check(st, &au, bk, nb, now, br);
		for (size_t i = 0; i < nb; i++)
			results[at[i]] = br[i];
		free(br);
	}
	free(bk);
	free(at);
	audit_free(&au);
	return 0;
}

int rest_check(struct backend *b, const struct step *s, time_t now, struct check_result *r)
{
	return rest_check_batch(b, &s, 1, now, NULL, r);
}
