/* sim_access.c: a simulated vault's access policies and role assignments:
 * granting them as the catalogue's steps do, the checks that read them back
 * (from catalogue version 2, every permission of every principal against
 * the plan), and the short-term management tasks on an administrator.
 *
 * Every refusal reads like the error Azure would give, then says what fixes
 * it. */
#include "ck.h"
#include "azure/sim_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void access_exact(struct buf *why, const struct sim_vault *v,
			 const struct plan_subscription *ps, const char *app)
{
	for (size_t i = 0; i < v->n_policies; i++) {
		const struct sim_policy *pol = &v->policies[i];
		bool admin = ps && sim_strv_has(ps->administrators, ps->n_administrators,
						 pol->object);
		bool sp = util_strcaseeq(pol->object, app);
		unsigned want = admin ? ADMIN_PERMS : sp ? SP_PERMS : 0;
		if (!admin && !sp) {
			char *perms = sim_perms_text(pol->keys);
			buf_printf(why, "%s holds an access policy the plan does not name (%s): "
					  "Remove-AzKeyVaultAccessPolicy -VaultName %s -UserPrincipalName "
					  "%s. ", pol->object, perms, v->name, pol->object);
			free(perms);
		} else if (pol->keys & ~want) {
			char *extra = sim_perms_text(pol->keys & ~want);
			buf_printf(why, "%s holds more than the plan gives it (%s): remove its "
					  "policy and grant it again. ", pol->object, extra);
			free(extra);
		}
	}
}

void sim_access_show(struct sim_ctx *c, const struct sim_target *t, unsigned scope)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	const struct plan *p = t->plan;
	if (!v || !util_strcaseeq(v->subscription, t->sub)) {
		sim_result(c, CHECK_FAIL, R_VAULT_MISSING_RUN_VAULT_STEP, t->vault ? t->vault : "?");
		return;
	}
	const struct plan_subscription *ps = p && t->side >= 0 ? &p->sub[t->side] : NULL;
	const char *app = plan_workload_app_id((enum plan_workload)t->workload);
	const char *app_name = plan_workload_app_name((enum plan_workload)t->workload);
	struct buf why = BUF_INIT;
	sim_detail(c, "VaultName", "%s", v->name);
	sim_detail(c, "EnableRbacAuthorization", "%s", v->rbac ? "True" : "False");
	for (size_t i = 0; i < v->n_policies; i++) {
		char *perms = sim_perms_text(v->policies[i].keys);
		bool is_app = util_strcaseeq(v->policies[i].object, app);
		sim_detail(c, "AccessPolicy", "%s%s%s: %s", is_app ? app_name : "",
			   is_app ? " " : "", v->policies[i].object, perms);
		free(perms);
	}
	for (size_t i = 0; i < v->n_contributors; i++)
		sim_detail(c, "RoleAssignment", "Contributor: %s", v->contributors[i]);
	if (v->rbac)
		buf_printf(&why, "RBAC authorisation is on, so these access policies are ignored: "
				   "Update-AzKeyVault -VaultName %s -DisableRbacAuthorization $true; "
				   "or run the vault step again. ", v->name);
	for (size_t i = 0; ps && (scope & SCOPE_ADMINS) && i < ps->n_administrators; i++) {
		const char *upn = ps->administrators[i];
		struct sim_policy *pol = sim_policy(v, upn, false);
		unsigned have = pol ? pol->keys : 0;
		if ((have & ADMIN_PERMS) != ADMIN_PERMS) {
			char *miss = sim_perms_text(ADMIN_PERMS & ~have);
			buf_printf(&why, "administrator %s lacks %s: Set-AzKeyVaultAccessPolicy "
					   "-VaultName %s -UserPrincipalName %s -PermissionsToKeys "
					   "create,import,list,get,backup,restore. ",
				   upn, miss, v->name, upn);
			free(miss);
		} else if ((have & DANGER_PERMS) && !c->s->management) {
			char *bad = sim_perms_text(have & DANGER_PERMS);
			buf_printf(&why, "administrator %s holds %s, which is granted only for a "
					   "short, recorded time: set the permissions again without "
					   "it. ", upn, bad);
			free(bad);
		}
	}
	for (size_t i = 0; ps && (scope & SCOPE_CONTRIB) && i < ps->n_contributors; i++)
		if (!sim_strv_has(v->contributors, v->n_contributors, ps->contributors[i]))
			buf_printf(&why, "contributor %s has no Contributor role on the vault: "
					   "New-AzRoleAssignment -SignInName %s -RoleDefinitionName "
					   "Contributor. ", ps->contributors[i], ps->contributors[i]);
	if (scope & SCOPE_SP) {
		struct sim_policy *pol = sim_policy(v, app, false);
		unsigned have = pol ? pol->keys : 0;
		if ((have & SP_PERMS) != SP_PERMS) {
			char *miss = sim_perms_text(SP_PERMS & ~have);
			/* What is missing first: the message line is one row. */
			buf_printf(&why, "the %s service principal lacks %s (app ID %s), so "
					   "Microsoft 365 could not use the key: "
					   "Set-AzKeyVaultAccessPolicy -VaultName %s -PermissionsToKeys "
					   "wrapKey,unwrapKey,get -ServicePrincipalName %s. ",
				   app_name, miss, app, v->name, app);
			free(miss);
		}
	}
	/* From catalogue version 2 the whole-vault check compares every
	 * permission list of every principal: only the plan's principals, each
	 * with exactly its permissions. */
	if (scope == (SCOPE_ADMINS | SCOPE_CONTRIB | SCOPE_SP) && c->st->cat &&
	    c->st->cat->version >= 2 && !c->s->management)
		access_exact(&why, v, ps, app);
	/* Whoever else holds delete or purge (the vault's creator, say) is worth
	 * a line for the witness, without failing the step. */
	for (size_t i = 0; i < v->n_policies; i++) {
		const struct sim_policy *pol = &v->policies[i];
		bool admin = ps && sim_strv_has(ps->administrators, ps->n_administrators,
						 pol->object);
		if (!admin && (pol->keys & DANGER_PERMS))
			sim_detail(c, "note", "%s holds delete/purge on keys (the vault's creator "
				   "gets every permission); remove it if not intended", pol->object);
	}
	if (why.len) {
		while (why.len && why.p[why.len - 1] == ' ')
			why.p[--why.len] = '\0';
		sim_result(c, CHECK_FAIL, R_PROBLEMS, buf_str(&why));
	} else {
		sim_result(c, CHECK_PASS, scope == SCOPE_ADMINS ? R_ACCESS_ADMINS_OK
			   : scope == SCOPE_CONTRIB ? R_ACCESS_CONTRIBUTORS_OK
			   : scope == SCOPE_SP ? R_ACCESS_SERVICE_PRINCIPAL_OK
			   : R_ACCESS_ALL_OK);
	}
	buf_free(&why);
}

void sim_access_grant(struct sim_ctx *c, const struct sim_target *t, unsigned scope)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	const struct plan *p = t->plan;
	if (!v || !util_strcaseeq(v->subscription, t->sub) || !p || t->side < 0) {
		sim_result(c, CHECK_FAIL, R_VAULT_NOT_FOUND_FOR_ACCESS, t->vault ? t->vault : "?");
		return;
	}
	const struct plan_subscription *ps = &p->sub[t->side];
	for (size_t i = 0; (scope & SCOPE_ADMINS) && i < ps->n_administrators; i++) {
		/* Set-AzKeyVaultAccessPolicy replaces only the key permissions. */
		struct sim_policy *pol = sim_policy(v, ps->administrators[i], true);
		pol->keys = ADMIN_PERMS | (pol->keys & SIM_BIT(SIM_P_OTHER));
	}
	for (size_t i = 0; (scope & SCOPE_CONTRIB) && i < ps->n_contributors; i++)
		if (!sim_strv_has(v->contributors, v->n_contributors, ps->contributors[i]))
			sim_strv_add(&v->contributors, &v->n_contributors, ps->contributors[i]);
	if ((scope & SCOPE_SP) &&
	    !sim_sp_exists(c->st, plan_workload_app_id((enum plan_workload)t->workload))) {
		sim_result(c, CHECK_FAIL, R_PRINCIPAL_NOT_FOUND, plan_workload_app_id((enum plan_workload)t->workload), plan_workload_app_id((enum plan_workload)t->workload));
		return;
	}
	if (scope & SCOPE_SP) {
		unsigned perms = SP_PERMS;
		const char *miss = sim_fault_active(c->st, "missing-permission");
		if (miss) {
			for (int k = 0; k < SIM_P_COUNT; k++)
				if (strcmp(sim_perm_names[k], *miss ? miss : "unwrapKey") == 0)
					perms &= ~SIM_BIT(k);
			sim_fault_spend(c->st, "missing-permission");
		}
		const char *app = plan_workload_app_id((enum plan_workload)t->workload);
		sim_policy(v, app, true)->keys = perms;
	}
	sim_access_show(c, t, scope);
}

/* manage.grant_delete / revoke_delete / remove_admin: the administrator is
 * the last part of the step id. */
void sim_admin_task(struct sim_ctx *c, const struct sim_target *t, enum sim_effect e,
		       bool perform)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	char *upn = sim_id_tail(c->s);
	if (!v || !util_strcaseeq(v->subscription, t->sub)) {
		sim_result(c, CHECK_FAIL, R_VAULT_MISSING, t->vault ? t->vault : "?");
		free(upn);
		return;
	}
	struct sim_policy *pol = sim_policy(v, upn, perform && e != SIM_E_REMOVE_ADMIN);
	if (perform && e == SIM_E_GRANT_DELETE)
		pol->keys = ADMIN_PERMS | SIM_BIT(SIM_P_DELETE);
	else if (perform && e == SIM_E_REVOKE_DELETE)
		pol->keys = ADMIN_PERMS;
	else if (perform && pol) {
		size_t i = (size_t)(pol - v->policies);
		free(pol->object);
		memmove(pol, pol + 1, (v->n_policies - i - 1) * sizeof *pol);
		v->n_policies--;
		pol = NULL;
	}
	char *perms = sim_perms_text(pol ? pol->keys : 0);
	sim_detail(c, "AccessPolicy", "%s: %s", upn, pol ? perms : "(none)");
	free(perms);
	bool del = pol && (pol->keys & SIM_BIT(SIM_P_DELETE));
	if (e == SIM_E_GRANT_DELETE)
		sim_result(c, del ? CHECK_PASS : CHECK_FAIL, del ? R_DELETE_HELD_FOR_NOW : R_DELETE_NOT_HELD, upn);
	else if (e == SIM_E_REVOKE_DELETE)
		sim_result(c, pol && !del ? CHECK_PASS : CHECK_FAIL, pol && !del
			   ? R_DELETE_REVOKED
			   : R_DELETE_STILL_HELD, upn);
	else
		sim_result(c, pol ? CHECK_FAIL : CHECK_PASS, pol ? R_POLICY_STILL_THERE : R_POLICY_REMOVED, upn);
	free(upn);
}

unsigned sim_access_scope(enum sim_effect e)
{
	switch (e) {
	case SIM_E_ACCESS_ADMINS: return SCOPE_ADMINS;
	case SIM_E_ACCESS_CONTRIB: return SCOPE_CONTRIB;
	case SIM_E_ACCESS_SP: return SCOPE_SP;
	default: return SCOPE_ADMINS | SCOPE_CONTRIB | SCOPE_SP;
	}
}


/* Offboarding: Exchange keeps get only (wrapKey and unwrapKey go), the
 * SharePoint policy is removed; either way Microsoft 365 can no longer use
 * the key, which is the point (and an outage otherwise). */
void sim_offboard_revoke(struct sim_ctx *c, const struct sim_target *t, bool perform)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	if (!v || !util_strcaseeq(v->subscription, t->sub)) {
		sim_result(c, CHECK_FAIL, R_VAULT_NOT_FOUND, t->vault ? t->vault : "?");
		return;
	}
	const char *app = plan_workload_app_id((enum plan_workload)t->workload);
	const char *name = plan_workload_app_name((enum plan_workload)t->workload);
	bool remove = c->s->template_id && strstr(c->s->template_id, "sharepoint") != NULL;
	struct sim_policy *pol = sim_policy(v, app, false);
	if (perform && pol && remove) {
		size_t i = (size_t)(pol - v->policies);
		free(pol->object);
		memmove(pol, pol + 1, (v->n_policies - i - 1) * sizeof *pol);
		v->n_policies--;
		pol = NULL;
	} else if (perform && pol) {
		pol->keys = SIM_BIT(SIM_P_GET);
	}
	char *perms = sim_perms_text(pol ? pol->keys : 0);
	sim_detail(c, "AccessPolicy", "%s %s: %s", name, app, pol ? perms : "(none)");
	free(perms);
	unsigned use = SIM_BIT(SIM_P_WRAP) | SIM_BIT(SIM_P_UNWRAP);
	if (pol && (pol->keys & use))
		sim_result(c, CHECK_FAIL, R_SP_STILL_WRAPS, name, v->name);
	else
		sim_result(c, CHECK_PASS, R_SP_WRAP_REVOKED, name, v->name);
}

void sim_seed_onboarded(struct sim_state *st)
{
	const struct catalogue *cat = st->cat;
	const struct plan *p = cat ? cat->plan : NULL;
	if (!p || !cat->inv || st->n_vaults)
		return;
	for (size_t i = 0; i < cat->inv->n_deps; i++) {
		const struct inv_dep *d = &cat->inv->deps[i];
		for (int side = 0; side < CK_SIDES; side++) {
			const struct inv_side *is = &d->side[side];
			st->vaults = sim_grow(st->vaults, &st->n_vaults, sizeof *st->vaults);
			struct sim_vault *v = &st->vaults[st->n_vaults - 1];
			v->name = xstrdup(is->vault);
			v->subscription = xstrdup(p->sub[side].id);
			v->resource_group = xstrdup(is->resource_group);
			v->location = xstrdup(is->region);
			v->tenant = xstrdup(p->org.tenant_id ? p->org.tenant_id : "");
			v->sku = xstrdup(p->kv.sku ? p->kv.sku : "premium");
			v->soft_delete = true;
			v->purge_protection = true;
			v->retention_days = 90;
			const struct plan_subscription *ps = &p->sub[side];
			for (size_t a = 0; a < ps->n_administrators; a++)
				sim_policy(v, ps->administrators[a], true)->keys = ADMIN_PERMS;
			sim_policy(v, plan_workload_app_id(d->workload), true)->keys = SP_PERMS;
		}
	}
}

bool sim_sp_exists(const struct sim_state *st, const char *app_id)
{
	if (!st->cat || st->cat->version < 2 || st->cat->offboarding ||
	    strcmp(app_id, plan_workload_app_id(WL_MULTI)) != 0)
		return true;
	return sim_event_find(st, "sp-registered", NULL) != NULL;
}

void sim_sp_register(struct sim_ctx *c, const struct sim_target *t, bool perform)
{
	const char *app = plan_workload_app_id((enum plan_workload)t->workload);
	const char *name = plan_workload_app_name((enum plan_workload)t->workload);
	bool was = sim_sp_exists(c->st, app);
	if (perform && !was)
		sim_event_add(c->st, c->s->id, "sp-registered", c->now);
	sim_detail(c, "AppId", "%s", app);
	if (!sim_sp_exists(c->st, app)) {
		sim_result(c, CHECK_FAIL, R_SP_NOT_REGISTERED, name);
		return;
	}
	sim_detail(c, "DisplayName", "%s", name);
	sim_result(c, CHECK_PASS, perform && !was ? R_SP_REGISTERED_NOW
						  : R_SP_REGISTERED, name);
}

/* Recovering a soft-deleted key needs keys/recover, which no administrator
 * holds day to day: from catalogue 2 the restore step's first line grants
 * it to the operator and the next step takes it away; the first catalogue's
 * restore had no such line, so Azure answered 403 in the middle of the
 * incident, as the simulator does for it. */
void sim_restore(struct sim_ctx *c, const struct sim_target *t, enum sim_effect e, bool perform)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	const struct plan *p = t->plan;
	const char *op = p && t->side >= 0 ? p->op[p->sub[t->side].operator_side].upn : NULL;
	if (!v || !op) {
		sim_result(c, CHECK_FAIL, R_VAULT_MISSING, t->vault ? t->vault : "?");
		return;
	}
	struct sim_policy *pol = sim_policy(v, op, perform);
	unsigned temp = SIM_BIT(SIM_P_RECOVER) | SIM_BIT(SIM_P_UPDATE);
	bool v2 = c->st->cat && c->st->cat->version >= 2;
	if (e == SIM_E_RESTORE) {
		if (perform && v2)
			pol->keys = ADMIN_PERMS | SIM_BIT(SIM_P_RECOVER) | (pol->keys & SIM_BIT(SIM_P_OTHER));
		if (!pol || !(pol->keys & SIM_BIT(SIM_P_RECOVER))) {
			sim_result(c, CHECK_FAIL, R_FORBIDDEN_RECOVER_MISSING, op, v->name);
			return;
		}
		sim_detail(c, "AccessPolicy", "%s: recover granted for this task", op);
		sim_result(c, CHECK_PASS, R_RECOVER_GRANTED, op);
		return;
	}
	if (perform && pol)
		pol->keys &= ~temp;
	if (pol && (pol->keys & temp)) {
		char *left = sim_perms_text(pol->keys & temp);
		sim_result(c, CHECK_FAIL, R_STILL_HOLDS_TEMPORARY, op, left);
		free(left);
		return;
	}
	sim_result(c, CHECK_PASS, R_DELETE_REVOKED, op);
}
