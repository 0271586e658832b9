/* sim_arm.c: the Azure Resource Manager side of the simulated tenant: the
 * retention-period feature, the Key Vault provider, resource groups, vaults
 * and their access policies.
 *
 * Every refusal reads like the error Azure would give (its code first), then
 * says what fixes it, so a rehearsal teaches what the real screen will say. */
#include "ck.h"
#include "azure/sim_int.h"
#include "regions.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define ADMIN_PERMS (SIM_BIT(SIM_P_CREATE) | SIM_BIT(SIM_P_IMPORT) | SIM_BIT(SIM_P_LIST) | \
		     SIM_BIT(SIM_P_GET) | SIM_BIT(SIM_P_BACKUP) | SIM_BIT(SIM_P_RESTORE))
#define SP_PERMS (SIM_BIT(SIM_P_WRAP) | SIM_BIT(SIM_P_UNWRAP) | SIM_BIT(SIM_P_GET))
#define DANGER_PERMS (SIM_BIT(SIM_P_DELETE) | SIM_BIT(SIM_P_PURGE))

/* ---- The retention-period feature and the provider ---------------------- */

const char *sim_feature_state(const struct sim_state *st, const struct sim_sub *sub,
			      long long now, long long *ready_at)
{
	*ready_at = 0;
	if (!sub || !sub->feature_requested)
		return "NotRegistered";
	/* Microsoft finishes only once asked by e-mail, some time later. */
	const struct sim_event *mail = sim_event_find(st, "email", NULL);
	if (!mail)
		return "Registering";
	long long start = mail->at > sub->feature_requested ? mail->at : sub->feature_requested;
	*ready_at = start + st->registration_delay + st->slow_extra;
	return now >= *ready_at ? "Registered" : "Registering";
}

static void feature_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_sub *sub = sim_sub(c->st, t->sub, false);
	long long ready;
	const char *state = sim_feature_state(c->st, sub, c->now, &ready);
	sim_detail(c, "FeatureName", "mandatoryRetentionPeriodEnabled");
	sim_detail(c, "ProviderName", "Microsoft.Resources");
	sim_detail(c, "SubscriptionId", "%s", t->sub ? t->sub : "?");
	sim_detail(c, "RegistrationState", "%s", state);
	if (strcmp(state, "NotRegistered") == 0) {
		sim_result(c, CHECK_FAIL, _("The retention period is NotRegistered in subscription "
					    "%s: run Register-AzProviderFeature (the register "
					    "step) first."), t->sub ? t->sub : "?");
		return;
	}
	if (strcmp(state, "Registered") == 0) {
		sim_result(c, CHECK_PASS, _("The retention period is Registered."));
		return;
	}
	if (ready) {
		char *when = sim_time_text(ready);
		sim_detail(c, "simulator", _("Microsoft finishes at %s"), when);
		free(when);
	} else {
		sim_detail(c, "simulator",
			   _("Microsoft finishes some time after the onboarding e-mail"));
	}
	if (sim_want_registered(c->s))
		sim_result(c, CHECK_PENDING, _("Still Registering: Microsoft finishes the retention "
					       "period after the onboarding e-mail (up to five "
					       "business days)."));
	else
		sim_result(c, CHECK_PASS, _("Registering, as expected until Microsoft finishes it "
					    "after the onboarding e-mail."));
}

static void provider_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_sub *sub = sim_sub(c->st, t->sub, false);
	bool reg = sub && sub->provider_registered;
	sim_detail(c, "ProviderNamespace", "Microsoft.KeyVault");
	sim_detail(c, "RegistrationState", "%s", reg ? "Registered" : "NotRegistered");
	if (reg)
		sim_result(c, CHECK_PASS, _("Microsoft.KeyVault is Registered."));
	else
		sim_result(c, CHECK_FAIL, _("Microsoft.KeyVault is NotRegistered in this "
					    "subscription: run Register-AzResourceProvider "
					    "-ProviderNamespace Microsoft.KeyVault."));
}

/* ---- Resource groups ----------------------------------------------------- */

static void rg_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_rg *rg = sim_rg(c->st, t->sub, t->rg);
	if (!rg) {
		sim_detail(c, "ResourceGroupName", "%s", t->rg ? t->rg : "?");
		sim_detail(c, "ProvisioningState", "%s", _("(not found)"));
		sim_result(c, CHECK_FAIL, _("ResourceGroupNotFound: resource group %s does not exist "
					    "in this subscription: run New-AzResourceGroup."),
			   t->rg ? t->rg : "?");
		return;
	}
	sim_detail(c, "ResourceGroupName", "%s", rg->name);
	sim_detail(c, "Location", "%s", rg->location);
	sim_detail(c, "ProvisioningState", "Succeeded");
	if (t->region && strcmp(rg->location, t->region) != 0)
		sim_result(c, CHECK_FAIL, _("Resource group %s is in %s, not %s as planned."),
			   rg->name, rg->location, t->region);
	else
		sim_result(c, CHECK_PASS, _("Resource group %s exists in %s."), rg->name,
			   rg->location);
}

static void rg_create(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_state *st = c->st;
	struct sim_rg *rg = sim_rg(st, t->sub, t->rg);
	if (!t->rg || !t->sub) {
		sim_result(c, CHECK_FAIL, "%s", _("This step names no resource group."));
		return;
	}
	if (rg && t->region && strcmp(rg->location, t->region) != 0) {
		sim_result(c, CHECK_FAIL, _("InvalidResourceGroupLocation: resource group %s already "
					    "exists in %s. A resource group cannot move: use it as "
					    "it is, or amend the plan."), rg->name, rg->location);
		return;
	}
	if (!rg) {
		sim_sub(st, t->sub, true);
		st->rgs = sim_grow(st->rgs, &st->n_rgs, sizeof *st->rgs);
		rg = &st->rgs[st->n_rgs - 1];
		rg->subscription = xstrdup(t->sub);
		rg->name = xstrdup(t->rg);
		rg->location = xstrdup(t->region ? t->region : "eastus");
	}
	rg_show(c, t);
}

/* ---- Vaults -------------------------------------------------------------- */

static const char *plan_sku(const struct plan *p)
{
	return p && p->kv.sku ? p->kv.sku : "premium";
}

static void vault_props(struct sim_ctx *c, const struct sim_vault *v)
{
	sim_detail(c, "VaultName", "%s", v->name);
	sim_detail(c, "ResourceGroupName", "%s", v->resource_group);
	sim_detail(c, "Location", "%s", v->location);
	sim_detail(c, "Sku", "%s", v->sku);
	sim_detail(c, "EnableSoftDelete", "%s", v->soft_delete ? "True" : "False");
	sim_detail(c, "SoftDeleteRetentionInDays", "%lld", v->retention_days);
	sim_detail(c, "EnablePurgeProtection", "%s", v->purge_protection ? "True" : "False");
	sim_detail(c, "EnableRbacAuthorization", "%s", v->rbac ? "True" : "False");
	char *vu = inventory_vault_uri(v->name);
	sim_detail(c, "VaultUri", "%s", vu);
	free(vu);
}

static void vault_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	const struct plan *p = t->plan;
	if (!v || !util_strcaseeq(v->subscription, t->sub)) {
		sim_detail(c, "VaultName", "%s", t->vault ? t->vault : "?");
		sim_detail(c, "ProvisioningState", "%s", _("(not found in this subscription)"));
		if (t->vault && sim_strv_has(c->st->taken, c->st->n_taken, t->vault))
			sim_result(c, CHECK_FAIL, _("Vault %s does not exist: the name is held by "
						    "another tenant. Amend the plan with a new name."),
				   t->vault);
		else
			sim_result(c, CHECK_FAIL, _("Vault %s does not exist in this subscription: "
						    "run New-AzKeyVault."), t->vault ? t->vault : "?");
		return;
	}
	vault_props(c, v);
	struct buf why = BUF_INIT;
	int n = 0;
	if (t->region && strcmp(v->location, t->region) != 0) {
		n++;
		buf_printf(&why, _("it is in %s, not %s as planned; a vault cannot move: create it "
				   "again under a new name in %s (amend the plan)"),
			   v->location, t->region, t->region);
		const struct plan *pl = t->plan;
		const char *other = pl && t->side >= 0 && c->s->dep
					    ? c->s->dep->side[ck_other_side(t->side)].region : NULL;
		if (other && regions_paired(v->location, other))
			sim_detail(c, "problem", _("%s is paired with %s, the other vault's region: "
				   "one regional disaster could take both keys"), v->location, other);
	}
	if (!util_strcaseeq(v->sku, plan_sku(p))) {
		if (n++)
			buf_puts(&why, "; ");
		buf_printf(&why, _("SKU %s, not %s: HSM keys need premium; a vault's SKU is changed "
				   "with Update-AzKeyVault -Sku"), v->sku, plan_sku(p));
	}
	if (!v->soft_delete) {
		if (n++)
			buf_puts(&why, "; ");
		buf_puts(&why, _("soft delete is off: enable it (the recipe shown with this step)"));
	}
	long long want_days = p && p->kv.retention_days ? p->kv.retention_days : 90;
	if (v->retention_days != want_days) {
		if (n++)
			buf_puts(&why, "; ");
		buf_printf(&why, _("soft delete keeps %lld days, not %lld: the retention cannot be "
				   "changed once set; keys will read CustomizedRecoverable"),
			   v->retention_days, want_days);
	}
	if (!v->purge_protection) {
		if (n++)
			buf_puts(&why, "; ");
		buf_printf(&why, _("purge protection is off: Update-AzKeyVault -VaultName %s "
				   "-EnablePurgeProtection"), v->name);
	}
	if (v->rbac) {
		if (n++)
			buf_puts(&why, "; ");
		buf_printf(&why, _("RBAC authorisation is on, so access policies are ignored: "
				   "Update-AzKeyVault -VaultName %s -ResourceGroupName %s "
				   "-DisableRbacAuthorization $true (or run the vault step again)"),
			   v->name, v->resource_group);
	}
	if (n)
		sim_result(c, CHECK_FAIL, _("Vault %s: %s."), v->name, buf_str(&why));
	else
		sim_result(c, CHECK_PASS, _("Vault %s: %s, soft delete %lld days, purge protection "
					    "on, access policies (RBAC off), in %s."),
			   v->name, v->sku, v->retention_days, v->location);
	buf_free(&why);
}

/* The location a new vault lands in: as planned, unless the paired-region
 * fault moves side B's first vault next to side A's. */
static const char *vault_location(struct sim_ctx *c, const struct sim_target *t)
{
	if (t->side != CK_SIDE_B || !sim_fault_active(c->st, "paired-region"))
		return t->region;
	const char *a = c->s->dep ? c->s->dep->side[CK_SIDE_A].region : NULL;
	const struct region *r = a ? regions_find(a) : NULL;
	if (!r || !r->pair)
		r = t->region ? regions_find(t->region) : NULL;
	if (!r || !r->pair)
		return t->region;
	sim_fault_spend(c->st, "paired-region");
	return r->pair;
}

static void vault_create(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_state *st = c->st;
	const struct plan *p = t->plan;
	struct sim_sub *sub = sim_sub(st, t->sub, false);
	if (!t->vault || !t->sub) {
		sim_result(c, CHECK_FAIL, "%s", _("This step names no vault."));
		return;
	}
	if (!sub || !sub->provider_registered) {
		sim_result(c, CHECK_FAIL, _("MissingSubscriptionRegistration: the subscription is not "
					    "registered to use namespace 'Microsoft.KeyVault': run "
					    "the provider step first."));
		return;
	}
	if (!sim_rg(st, t->sub, t->rg)) {
		sim_result(c, CHECK_FAIL, _("ResourceGroupNotFound: resource group '%s' could not be "
					    "found: run the resource group step first."),
			   t->rg ? t->rg : "?");
		return;
	}
	const char *taken = sim_fault_active(st, "vault-name-taken");
	if (taken && (!*taken || util_strcaseeq(taken, t->vault))) {
		sim_strv_add(&st->taken, &st->n_taken, t->vault);
		sim_fault_spend(st, "vault-name-taken");
	}
	struct sim_vault *v = sim_vault(st, t->vault);
	bool held = sim_strv_has(st->taken, st->n_taken, t->vault);
	if (held || (v && !util_strcaseeq(v->subscription, t->sub))) {
		sim_detail(c, "VaultName", "%s", t->vault);
		sim_result(c, CHECK_FAIL, _("VaultAlreadyExists: the vault name '%s' is already in "
					    "use. Vault names are global: choose another, amend the "
					    "plan and have it verified again."), t->vault);
		return;
	}
	if (v) {
		/* Running the step again on our own vault: what the operator
		 * means is Update-AzKeyVault, which is what Azure allows. */
		v->rbac = false;
		if (p && p->kv.purge_protection)
			v->purge_protection = true; /* can be turned on, never off */
		sim_detail(c, "note", _("the vault exists: updated with -DisableRbacAuthorization%s"),
			   v->purge_protection ? " -EnablePurgeProtection" : "");
		vault_show(c, t);
		return;
	}
	st->vaults = sim_grow(st->vaults, &st->n_vaults, sizeof *st->vaults);
	v = &st->vaults[st->n_vaults - 1];
	v->name = xstrdup(t->vault);
	v->subscription = xstrdup(t->sub);
	v->resource_group = xstrdup(t->rg);
	const char *loc = vault_location(c, t); /* may spend a fault: call once */
	v->location = xstrdup(loc ? loc : "eastus");
	v->tenant = xstrdup(p && p->org.tenant_id ? p->org.tenant_id : "");
	v->sku = xstrdup(plan_sku(p));
	v->soft_delete = true; /* cannot be turned off on new vaults any more */
	v->retention_days = p && p->kv.retention_days ? p->kv.retention_days : 90;
	v->purge_protection = p ? p->kv.purge_protection : true;
	/* The catalogue's command says -DisableRbacAuthorization; the fault
	 * plays the operator who used the portal's default instead. */
	v->rbac = false;
	if (sim_fault_active(st, "rbac-on")) {
		v->rbac = true;
		sim_fault_spend(st, "rbac-on");
	}
	v->created = c->now;
	/* As New-AzKeyVault and az keyvault create do in access-policy mode, the
	 * creator gets every key permission; the administrators step narrows it. */
	if (!v->rbac && p && t->side >= 0) {
		const char *upn = p->op[p->sub[t->side].operator_side].upn;
		if (upn)
			sim_policy(v, upn, true)->keys = (1u << SIM_P_COUNT) - 1;
	}
	vault_show(c, t);
}

static void vault_update(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	if (v && util_strcaseeq(v->subscription, t->sub) && !v->purge_protection &&
	    t->plan && t->plan->kv.purge_protection) {
		v->purge_protection = true;
		sim_detail(c, "note", _("Update-AzKeyVault -EnablePurgeProtection applied"));
	}
	vault_show(c, t);
}

/* ---- Access -------------------------------------------------------------- */

enum { SCOPE_ADMINS = 1, SCOPE_CONTRIB = 2, SCOPE_SP = 4 };

static void access_show(struct sim_ctx *c, const struct sim_target *t, unsigned scope)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	const struct plan *p = t->plan;
	if (!v || !util_strcaseeq(v->subscription, t->sub)) {
		sim_result(c, CHECK_FAIL, _("Vault %s does not exist in this subscription: run the "
					    "vault step first."), t->vault ? t->vault : "?");
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
		buf_printf(&why, _("RBAC authorisation is on, so these access policies are ignored: "
				   "Update-AzKeyVault -VaultName %s -DisableRbacAuthorization $true; "
				   "or run the vault step again. "), v->name);
	for (size_t i = 0; ps && (scope & SCOPE_ADMINS) && i < ps->n_administrators; i++) {
		const char *upn = ps->administrators[i];
		struct sim_policy *pol = sim_policy(v, upn, false);
		unsigned have = pol ? pol->keys : 0;
		if ((have & ADMIN_PERMS) != ADMIN_PERMS) {
			char *miss = sim_perms_text(ADMIN_PERMS & ~have);
			buf_printf(&why, _("administrator %s lacks %s: Set-AzKeyVaultAccessPolicy "
					   "-VaultName %s -UserPrincipalName %s -PermissionsToKeys "
					   "create,import,list,get,backup,restore. "),
				   upn, miss, v->name, upn);
			free(miss);
		} else if ((have & DANGER_PERMS) && !c->s->management) {
			char *bad = sim_perms_text(have & DANGER_PERMS);
			buf_printf(&why, _("administrator %s holds %s, which is granted only for a "
					   "short, recorded time: set the permissions again without "
					   "it. "), upn, bad);
			free(bad);
		}
	}
	for (size_t i = 0; ps && (scope & SCOPE_CONTRIB) && i < ps->n_contributors; i++)
		if (!sim_strv_has(v->contributors, v->n_contributors, ps->contributors[i]))
			buf_printf(&why, _("contributor %s has no Contributor role on the vault: "
					   "New-AzRoleAssignment -SignInName %s -RoleDefinitionName "
					   "Contributor. "), ps->contributors[i], ps->contributors[i]);
	if (scope & SCOPE_SP) {
		struct sim_policy *pol = sim_policy(v, app, false);
		unsigned have = pol ? pol->keys : 0;
		if ((have & SP_PERMS) != SP_PERMS) {
			char *miss = sim_perms_text(SP_PERMS & ~have);
			/* What is missing first: the message line is one row. */
			buf_printf(&why, _("the %s service principal lacks %s (app ID %s), so "
					   "Microsoft 365 could not use the key: "
					   "Set-AzKeyVaultAccessPolicy -VaultName %s -PermissionsToKeys "
					   "wrapKey,unwrapKey,get -ServicePrincipalName %s. "),
				   app_name, miss, app, v->name, app);
			free(miss);
		}
	}
	/* Whoever else holds delete or purge (the vault's creator, say) is worth
	 * a line for the witness, without failing the step. */
	for (size_t i = 0; i < v->n_policies; i++) {
		const struct sim_policy *pol = &v->policies[i];
		bool admin = ps && sim_strv_has(ps->administrators, ps->n_administrators,
						 pol->object);
		if (!admin && (pol->keys & DANGER_PERMS))
			sim_detail(c, "note", _("%s holds delete/purge on keys (the vault's creator "
				   "gets every permission); remove it if not intended"), pol->object);
	}
	if (why.len) {
		while (why.len && why.p[why.len - 1] == ' ')
			why.p[--why.len] = '\0';
		sim_result(c, CHECK_FAIL, "%s", buf_str(&why));
	} else {
		sim_result(c, CHECK_PASS, "%s", scope == SCOPE_ADMINS ? _("The administrators hold "
			   "create, import, list, get, backup, restore and no delete or purge.")
			   : scope == SCOPE_CONTRIB ? _("Every contributor holds the Contributor role.")
			   : scope == SCOPE_SP ? _("The Microsoft 365 service principal holds wrapKey, "
						   "unwrapKey and get.")
			   : _("Access policies as planned: administrators, contributors and the "
			       "Microsoft 365 service principal."));
	}
	buf_free(&why);
}

static void access_grant(struct sim_ctx *c, const struct sim_target *t, unsigned scope)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	const struct plan *p = t->plan;
	if (!v || !util_strcaseeq(v->subscription, t->sub) || !p || t->side < 0) {
		sim_result(c, CHECK_FAIL, _("ResourceNotFound: vault %s does not exist in this "
					    "subscription: run the vault step first."),
			   t->vault ? t->vault : "?");
		return;
	}
	const struct plan_subscription *ps = &p->sub[t->side];
	for (size_t i = 0; (scope & SCOPE_ADMINS) && i < ps->n_administrators; i++)
		sim_policy(v, ps->administrators[i], true)->keys = ADMIN_PERMS;
	for (size_t i = 0; (scope & SCOPE_CONTRIB) && i < ps->n_contributors; i++)
		if (!sim_strv_has(v->contributors, v->n_contributors, ps->contributors[i]))
			sim_strv_add(&v->contributors, &v->n_contributors, ps->contributors[i]);
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
	access_show(c, t, scope);
}

/* manage.grant_delete / revoke_delete / remove_admin: the administrator is
 * the last part of the step id. */
static void admin_task(struct sim_ctx *c, const struct sim_target *t, enum sim_effect e,
		       bool perform)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	char *upn = sim_id_tail(c->s);
	if (!v || !util_strcaseeq(v->subscription, t->sub)) {
		sim_result(c, CHECK_FAIL, _("Vault %s does not exist in this subscription."),
			   t->vault ? t->vault : "?");
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
		sim_result(c, del ? CHECK_PASS : CHECK_FAIL, del ? _("%s holds delete for now: revoke "
			   "it when the task is done.") : _("%s does not hold delete."), upn);
	else if (e == SIM_E_REVOKE_DELETE)
		sim_result(c, pol && !del ? CHECK_PASS : CHECK_FAIL, pol && !del
			   ? _("%s is back to the day-to-day permissions.")
			   : _("%s still holds delete, or has no access policy."), upn);
	else
		sim_result(c, pol ? CHECK_FAIL : CHECK_PASS, pol ? _("%s still has an access policy "
			   "on the vault.") : _("%s has no access policy on the vault any more."), upn);
	free(upn);
}

/* ---- Dispatch ------------------------------------------------------------ */

static unsigned access_scope(enum sim_effect e)
{
	switch (e) {
	case SIM_E_ACCESS_ADMINS: return SCOPE_ADMINS;
	case SIM_E_ACCESS_CONTRIB: return SCOPE_CONTRIB;
	case SIM_E_ACCESS_SP: return SCOPE_SP;
	default: return SCOPE_ADMINS | SCOPE_CONTRIB | SCOPE_SP;
	}
}

/* vault.validate: the access policies as planned, and the key as Microsoft
 * 365 will need it (exists, no expiry, the recovery level). */
static void validate(struct sim_ctx *c, const struct sim_target *t)
{
	access_show(c, t, SCOPE_ADMINS | SCOPE_CONTRIB | SCOPE_SP);
	if (c->r->status != CHECK_PASS)
		return;
	char *uri = inventory_key_uri(t->vault, t->key ? t->key : "", NULL);
	char *why = sim_key_usable(c->st, uri, t->workload, c->now);
	if (why)
		sim_result(c, CHECK_FAIL, _("Vault %s: %s."), t->vault, why);
	else
		sim_result(c, CHECK_PASS, _("Vault %s is ready for Microsoft 365: access policies as "
					    "planned; key %s has no expiry and reads "
					    "Recoverable+ProtectedSubscription."), t->vault, t->key);
	free(why);
	free(uri);
}

static void arm_show(struct sim_ctx *c, const struct sim_target *t, enum sim_effect e)
{
	if (e == SIM_E_VALIDATE) {
		validate(c, t);
		return;
	}
	switch (c->s->check.kind) {
	case CHECK_FEATURE_STATE: feature_show(c, t); return;
	case CHECK_PROVIDER_STATE: provider_show(c, t); return;
	case CHECK_RESOURCE_GROUP: rg_show(c, t); return;
	case CHECK_VAULT: vault_show(c, t); return;
	case CHECK_VAULT_ACCESS:
		if (e == SIM_E_GRANT_DELETE || e == SIM_E_REVOKE_DELETE || e == SIM_E_REMOVE_ADMIN)
			admin_task(c, t, e, false);
		else
			access_show(c, t, access_scope(e));
		return;
	default:
		sim_result(c, CHECK_UNAVAILABLE, "%s", _("The simulator has no check of this kind."));
		return;
	}
}

void sim_arm_check(struct sim_ctx *c, enum sim_effect e)
{
	struct sim_target t;
	sim_target(c, &t);
	arm_show(c, &t, e);
}

void sim_arm_perform(struct sim_ctx *c, enum sim_effect e)
{
	struct sim_target t;
	sim_target(c, &t);
	struct sim_sub *sub;
	switch (e) {
	case SIM_E_FEATURE_REGISTER:
		sub = sim_sub(c->st, t.sub, true);
		if (sub && !sub->feature_requested)
			sub->feature_requested = c->now;
		feature_show(c, &t);
		return;
	case SIM_E_PROVIDER:
		sub = sim_sub(c->st, t.sub, true);
		if (sub)
			sub->provider_registered = true;
		provider_show(c, &t);
		return;
	case SIM_E_RG: rg_create(c, &t); return;
	case SIM_E_VAULT: vault_create(c, &t); return;
	case SIM_E_VAULT_UPDATE: vault_update(c, &t); return;
	case SIM_E_ACCESS_ADMINS:
	case SIM_E_ACCESS_CONTRIB:
	case SIM_E_ACCESS_SP: access_grant(c, &t, access_scope(e)); return;
	case SIM_E_GRANT_DELETE:
	case SIM_E_REVOKE_DELETE:
	case SIM_E_REMOVE_ADMIN: admin_task(c, &t, e, true); return;
	default: arm_show(c, &t, e); return;
	}
}
