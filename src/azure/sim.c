/* sim.c: the simulator backend: opening the simulated tenant, and which
 * effect each step has (one table, by template id), dispatched to the Azure
 * side (sim_arm.c, sim_keys.c, sim_hsm.c) or the Microsoft 365 side
 * (sim_m365.c). It is the top of the simulator: what every effect uses (its
 * target, its result) is in sim_ctx.c, below them all.
 *
 * perform(step) does what the step's commands would do and answers with what
 * the operator would then see; check(step) only looks. A step whose commands
 * only look (Get-...) performs as a check. */
#include "ck.h"
#include "azure/sim_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What each template does when performed, and how its check reads.
 * want_registered: for feature-state checks, whether only "Registered" passes
 * (retention.verify) or "Registering" is the expected answer too (right after
 * registering, and when the state is recorded for the e-mail). */
struct sim_rule {
	const char *template_id;
	enum sim_effect perform;   /* what perform does */
	enum sim_effect check;     /* what check looks at (SIM_E_NONE: by check kind) */
	bool want_registered;
};

static const struct sim_rule sim_rules[] = {
	{ "prereq.licences", SIM_E_NONE, SIM_E_NONE, false },
	{ "prereq.tools", SIM_E_NONE, SIM_E_NONE, false },
	{ "sub.create", SIM_E_NONE, SIM_E_NONE, false },
	{ "fasttrack.request", SIM_E_FASTTRACK, SIM_E_FASTTRACK, false },
	{ "retention.register", SIM_E_FEATURE_REGISTER, SIM_E_FEATURE_SHOW, false },
	{ "retention.check", SIM_E_FEATURE_SHOW, SIM_E_FEATURE_SHOW, false },
	{ "onboard.email", SIM_E_EMAIL, SIM_E_EMAIL, false },
	{ "retention.verify", SIM_E_FEATURE_SHOW, SIM_E_FEATURE_SHOW, true },
	{ "provider.register", SIM_E_PROVIDER, SIM_E_PROVIDER, false },
	{ "rg.create", SIM_E_RG, SIM_E_RG, false },
	{ "vault.create", SIM_E_VAULT, SIM_E_VAULT, false },
	{ "vault.admins", SIM_E_ACCESS_ADMINS, SIM_E_ACCESS_ADMINS, false },
	{ "vault.contributors", SIM_E_ACCESS_CONTRIB, SIM_E_ACCESS_CONTRIB, false },
	{ "vault.service", SIM_E_ACCESS_SP, SIM_E_ACCESS_SP, false },
	{ "vault.access_check", SIM_E_ACCESS_ALL, SIM_E_ACCESS_ALL, false },
	{ "vault.softdelete", SIM_E_VAULT_UPDATE, SIM_E_VAULT, false },
	{ "key.create", SIM_E_KEY, SIM_E_KEY, false },
	{ "key.import", SIM_E_KEY, SIM_E_KEY, false },
	{ "key.expiry", SIM_E_KEY_EXPIRY, SIM_E_KEY_EXPIRY, false },
	{ "key.recovery", SIM_E_NONE, SIM_E_NONE, false },
	{ "key.backup", SIM_E_KEY_BACKUP, SIM_E_KEY_BACKUP, false },
	{ "vault.validate", SIM_E_VALIDATE, SIM_E_VALIDATE, false },
	{ "key.uri", SIM_E_NONE, SIM_E_NONE, false },
	{ "dep.exchange.create", SIM_E_DEP_CREATE, SIM_E_DEP_CREATE, false },
	{ "dep.exchange.assign", SIM_E_ASSIGN, SIM_E_ASSIGN, false },
	{ "dep.sharepoint.register", SIM_E_SPO_REGISTER, SIM_E_SPO_REGISTER, false },
	{ "dep.multi.create", SIM_E_DEP_CREATE, SIM_E_DEP_CREATE, false },
	{ "dep.multi.assign", SIM_E_ASSIGN, SIM_E_ASSIGN, false },
	{ "dep.exchange.verify", SIM_E_ENCRYPTED, SIM_E_ENCRYPTED, false },
	{ "dep.sharepoint.verify", SIM_E_SPO_REGISTER, SIM_E_SPO_REGISTER, false },
	{ "dep.multi.verify", SIM_E_ASSIGN, SIM_E_ASSIGN, false },
	{ "manage.roll", SIM_E_KEY, SIM_E_KEY, false },
	{ "manage.roll_backup", SIM_E_KEY_BACKUP, SIM_E_KEY_BACKUP, false },
	{ "manage.restore", SIM_E_RESTORE, SIM_E_NONE, false },
	{ "manage.restore_revoke", SIM_E_RESTORE_REVOKE, SIM_E_RESTORE_REVOKE, false },
	{ "manage.grant_delete", SIM_E_GRANT_DELETE, SIM_E_GRANT_DELETE, false },
	{ "manage.revoke_delete", SIM_E_REVOKE_DELETE, SIM_E_REVOKE_DELETE, false },
	{ "manage.remove_admin", SIM_E_REMOVE_ADMIN, SIM_E_REMOVE_ADMIN, false },
	/* catalogue version 2 */
	{ "sp.register", SIM_E_SP_REGISTER, SIM_E_SP_REGISTER, false },
	{ "onboard.service.validate", SIM_E_ONBOARD_VALIDATE, SIM_E_ONBOARD_VALIDATE, false },
	{ "onboard.service.enable", SIM_E_ONBOARD_ENABLE, SIM_E_ONBOARD_ENABLE, false },
	{ "offboard.exchange.revoke", SIM_E_OFFBOARD_REVOKE, SIM_E_OFFBOARD_REVOKE, false },
	{ "offboard.sharepoint.revoke", SIM_E_OFFBOARD_REVOKE, SIM_E_OFFBOARD_REVOKE, false },
	{ "offboard.exchange.purge_request", SIM_E_NONE, SIM_E_NONE, false },
	{ "offboard.exchange.purge_document", SIM_E_NONE, SIM_E_NONE, false },
	{ "offboard.multi.support", SIM_E_NONE, SIM_E_NONE, false },
};

static const struct sim_rule *rule_find(const struct step *s)
{
	const char *id = s->template_id ? s->template_id : s->id;
	for (size_t i = 0; id && i < CK_ARRAY_LEN(sim_rules); i++)
		if (strcmp(sim_rules[i].template_id, id) == 0)
			return &sim_rules[i];
	return NULL;
}

/* An unknown template (a newer catalogue) still gets a sensible check from its
 * kind; performing it changes nothing. */
static enum sim_effect effect_of_kind(enum check_kind k)
{
	switch (k) {
	case CHECK_FEATURE_STATE: return SIM_E_FEATURE_SHOW;
	case CHECK_PROVIDER_STATE: return SIM_E_PROVIDER;
	case CHECK_RESOURCE_GROUP: return SIM_E_RG;
	case CHECK_VAULT: return SIM_E_VAULT;
	case CHECK_VAULT_ACCESS: return SIM_E_ACCESS_ALL;
	case CHECK_HSM: return SIM_E_HSM_SHOW;
	case CHECK_HSM_ROLES: return SIM_E_HSM_ROLES_SP;
	default: return SIM_E_NONE;
	}
}

/* ---- The backend -------------------------------------------------------- */

static int sim_run(struct backend *b, const struct step *s, time_t now, struct check_result *r,
		   bool perform)
{
	struct sim_state *st = b->state;
	struct sim_ctx c = { st, s, (long long)now, r, BUF_INIT, true };
	const struct sim_rule *rule = rule_find(s);
	if (rule)
		c.want_registered = rule->want_registered;
	enum sim_effect e;
	memset(r, 0, sizeof *r);
	r->status = CHECK_UNAVAILABLE;
	if (perform)
		e = rule ? rule->perform : SIM_E_NONE;
	else
		e = rule && rule->check != SIM_E_NONE ? rule->check : effect_of_kind(s->check.kind);
	bool hsm_known = false;
	if (st->cat && plan_uses_hsm(st->cat->plan)) {
		enum sim_effect he = sim_hsm_effect(s, perform, &hsm_known);
		if (hsm_known)
			e = he != SIM_E_NONE ? he : perform ? SIM_E_NONE : effect_of_kind(s->check.kind);
	}
	if (!st->cat) {
		sim_result(&c, CHECK_UNAVAILABLE, R_SIM_NO_CATALOGUE);
		r->detail = buf_steal(&c.detail);
		return -1;
	}
	/* Steps whose commands only look are performed as a check. */
	if (perform && e == SIM_E_NONE && s->check.kind != CHECK_NONE && !hsm_known)
		e = rule && rule->check != SIM_E_NONE ? rule->check : effect_of_kind(s->check.kind);
	enum check_kind k = s->check.kind;
	if (e >= SIM_E_HSM_CREATE && e <= SIM_E_HSM_REHEARSAL) {
		(perform ? sim_hsm_perform : sim_hsm_check)(&c, e);
	} else if (e >= SIM_E_FASTTRACK) {
		(perform ? sim_m365_perform : sim_m365_check)(&c, e);
	} else if (e == SIM_E_KEY || e == SIM_E_KEY_EXPIRY || e == SIM_E_KEY_BACKUP ||
		   (e == SIM_E_NONE && (k == CHECK_KEY || k == CHECK_KEY_EXPIRY ||
					k == CHECK_KEY_RECOVERY || k == CHECK_KEY_BACKUP))) {
		(perform ? sim_keys_perform : sim_keys_check)(&c, e);
	} else if (e != SIM_E_NONE || k != CHECK_NONE) {
		(perform ? sim_arm_perform : sim_arm_check)(&c, e);
	} else if (perform) {
		sim_result(&c, CHECK_PASS, R_SIM_NOTHING_CHANGES);
	} else {
		sim_result(&c, CHECK_UNAVAILABLE, R_NO_LIVE_CHECK);
	}
	r->detail = buf_steal(&c.detail);
	if (!r->detail)
		r->detail = xstrdup("");
	return 0;
}

static int sim_check(struct backend *b, const struct step *s, time_t now, struct check_result *r)
{
	return sim_run(b, s, now, r, false);
}

static int sim_perform(struct backend *b, const struct step *s, time_t now,
		       struct check_result *r)
{
	return sim_run(b, s, now, r, true);
}

static int sim_save(struct backend *b, char **err)
{
	return sim_state_save(b->state, err);
}

static void sim_free(struct backend *b)
{
	sim_state_free(b->state);
	free(b);
}

static const struct backend_ops sim_ops = {
	.name = "sim",
	.check = sim_check,
	.perform = sim_perform,
	.save = sim_save,
	.free = sim_free,
};

void backend_set_catalogue(struct backend *b, const struct catalogue *cat)
{
	if (b && b->ops == &sim_ops)
		((struct sim_state *)b->state)->cat = cat;
}

struct backend *backend_sim_open(const char *state_path, const struct catalogue *cat,
				 const char *faults, long registration_delay, char **err)
{
	struct sim_state *st = xcalloc(1, sizeof *st);
	st->path = xstrdup(state_path);
	const char *slash = strrchr(state_path, '/');
	st->dir = slash ? xstrndup(state_path, (size_t)(slash - state_path) + (slash == state_path))
			: xstrdup(".");
	st->cat = cat;
	int rc = sim_state_load(st, state_path, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		if (cat && cat->offboarding)
			sim_seed_onboarded(st);
		st->faults = xstrdup(faults ? faults : "");
		st->registration_delay = registration_delay > 0 ? registration_delay
								: SIM_DEFAULT_REGISTRATION_DELAY;
	} else if (faults && *faults && strcmp(faults, st->faults) != 0) {
		*err = xasprintf(_("%s: this rehearsal's simulator was started with the faults "
				   "\"%s\"; it cannot change them to \"%s\". Resume without faults, "
				   "or start a new rehearsal in a new directory."),
				 state_path, st->faults, faults);
		goto fail;
	}
	st->slow_extra = 0;
	if (sim_faults_parse(st, st->faults, err) < 0)
		goto fail;
	struct backend *b = xcalloc(1, sizeof *b);
	b->ops = &sim_ops;
	b->state = st;
	return b;
fail:
	sim_state_free(st);
	return NULL;
}
