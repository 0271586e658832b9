/* sim_arm.c: the Azure Resource Manager side of the simulated tenant: the
 * retention-period feature, the Key Vault provider, resource groups and
 * vaults (their access policies: sim_access.c).
 *
 * Every refusal reads like the error Azure would give (its code first), then
 * says what fixes it, so a rehearsal teaches what the real screen will say. */
#include "ck.h"
#include "azure/sim_int.h"
#include "regions.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- The retention-period feature and the provider ---------------------- */

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
		sim_result(c, CHECK_FAIL, R_RETENTION_NOT_REGISTERED, t->sub ? t->sub : "?");
		return;
	}
	if (strcmp(state, "Registered") == 0) {
		sim_result(c, CHECK_PASS, R_RETENTION_REGISTERED);
		return;
	}
	if (ready) {
		char *when = sim_time_text(ready);
		sim_detail(c, "simulator", "Microsoft finishes at %s", when);
		free(when);
	} else {
		sim_detail(c, "simulator",
			   "Microsoft finishes some time after the onboarding e-mail");
	}
	if (c->want_registered)
		sim_result(c, CHECK_PENDING, R_RETENTION_STILL_REGISTERING);
	else
		sim_result(c, CHECK_PASS, R_RETENTION_REGISTERING_AS_EXPECTED);
}

static void provider_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_sub *sub = sim_sub(c->st, t->sub, false);
	bool reg = sub && sub->provider_registered;
	sim_detail(c, "ProviderNamespace", "Microsoft.KeyVault");
	sim_detail(c, "RegistrationState", "%s", reg ? "Registered" : "NotRegistered");
	if (reg)
		sim_result(c, CHECK_PASS, R_PROVIDER_REGISTERED);
	else
		sim_result(c, CHECK_FAIL, R_PROVIDER_NOT_REGISTERED);
}

/* ---- Resource groups ----------------------------------------------------- */

static void rg_show(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_rg *rg = sim_rg(c->st, t->sub, t->rg);
	if (!rg) {
		sim_detail(c, "ResourceGroupName", "%s", t->rg ? t->rg : "?");
		sim_detail(c, "ProvisioningState", "(not found)");
		sim_result(c, CHECK_FAIL, R_RESOURCE_GROUP_NOT_FOUND, t->rg ? t->rg : "?");
		return;
	}
	sim_detail(c, "ResourceGroupName", "%s", rg->name);
	sim_detail(c, "Location", "%s", rg->location);
	sim_detail(c, "ProvisioningState", "Succeeded");
	if (t->region && strcmp(rg->location, t->region) != 0)
		sim_result(c, CHECK_FAIL, R_RESOURCE_GROUP_WRONG_LOCATION, rg->name, rg->location, t->region);
	else
		sim_result(c, CHECK_PASS, R_RESOURCE_GROUP_OK, rg->name, rg->location);
}

static void rg_create(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_state *st = c->st;
	struct sim_rg *rg = sim_rg(st, t->sub, t->rg);
	if (!t->rg || !t->sub) {
		sim_result(c, CHECK_FAIL, R_NO_RESOURCE_GROUP_NAMED);
		return;
	}
	if (rg && t->region && strcmp(rg->location, t->region) != 0) {
		sim_result(c, CHECK_FAIL, R_RESOURCE_GROUP_IN_OTHER_LOCATION, rg->name, rg->location);
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
		sim_detail(c, "ProvisioningState", "(not found in this subscription)");
		if (t->vault && sim_strv_has(c->st->taken, c->st->n_taken, t->vault))
			sim_result(c, CHECK_FAIL, R_VAULT_NAME_HELD_ELSEWHERE, t->vault);
		else
			sim_result(c, CHECK_FAIL, R_VAULT_MISSING_CREATE_IT, t->vault ? t->vault : "?");
		return;
	}
	vault_props(c, v);
	struct buf why = BUF_INIT;
	int n = 0;
	if (t->region && strcmp(v->location, t->region) != 0) {
		n++;
		buf_printf(&why, "it is in %s, not %s as planned; a vault cannot move: create it "
				   "again under a new name in %s (amend the plan)",
			   v->location, t->region, t->region);
		const struct plan *pl = t->plan;
		const char *other = pl && t->side >= 0 && c->s->dep
					    ? c->s->dep->side[ck_other_side(t->side)].region : NULL;
		if (other && regions_paired(v->location, other))
			sim_detail(c, "problem", "%s is paired with %s, the other vault's region: "
				   "one regional disaster could take both keys", v->location, other);
	}
	if (!util_strcaseeq(v->sku, plan_sku(p))) {
		if (n++)
			buf_puts(&why, "; ");
		buf_printf(&why, "SKU %s, not %s: HSM keys need premium; a vault's SKU is changed "
				   "with Update-AzKeyVault -Sku", v->sku, plan_sku(p));
	}
	if (!v->soft_delete) {
		if (n++)
			buf_puts(&why, "; ");
		buf_puts(&why, "soft delete is off: enable it (the recipe shown with this step)");
	}
	long long want_days = p && p->kv.retention_days ? p->kv.retention_days : 90;
	if (v->retention_days != want_days) {
		if (n++)
			buf_puts(&why, "; ");
		buf_printf(&why, "soft delete keeps %lld days, not %lld: the retention cannot be "
				   "changed once set; keys will read CustomizedRecoverable",
			   v->retention_days, want_days);
	}
	if (!v->purge_protection) {
		if (n++)
			buf_puts(&why, "; ");
		buf_printf(&why, "purge protection is off: Update-AzKeyVault -VaultName %s "
				   "-EnablePurgeProtection", v->name);
	}
	if (v->rbac) {
		if (n++)
			buf_puts(&why, "; ");
		buf_printf(&why, "RBAC authorisation is on, so access policies are ignored: "
				   "Update-AzKeyVault -VaultName %s -ResourceGroupName %s "
				   "-DisableRbacAuthorization $true (or run the vault step again)",
			   v->name, v->resource_group);
	}
	if (n)
		sim_result(c, CHECK_FAIL, R_VAULT_PROBLEMS, v->name, buf_str(&why));
	else
		sim_result(c, CHECK_PASS, R_VAULT_AS_PLANNED, v->name, v->sku, v->retention_days, v->location);
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
		sim_result(c, CHECK_FAIL, R_NO_VAULT_NAMED);
		return;
	}
	if (!sub || !sub->provider_registered) {
		sim_result(c, CHECK_FAIL, R_PROVIDER_NOT_REGISTERED_FOR_VAULT);
		return;
	}
	if (!sim_rg(st, t->sub, t->rg)) {
		sim_result(c, CHECK_FAIL, R_RESOURCE_GROUP_NOT_FOUND_FOR_VAULT, t->rg ? t->rg : "?");
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
		sim_result(c, CHECK_FAIL, R_VAULT_NAME_TAKEN, t->vault);
		return;
	}
	if (v) {
		/* Running the step again on our own vault: what the operator
		 * means is Update-AzKeyVault, which is what Azure allows. */
		v->rbac = false;
		if (p && p->kv.purge_protection)
			v->purge_protection = true; /* can be turned on, never off */
		/* From catalogue 2 the step's own commands remove the creator's
		 * default policy (Remove-AzKeyVaultAccessPolicy). */
		const char *creator = p && t->side >= 0 ? p->op[p->sub[t->side].operator_side].upn
							: NULL;
		struct sim_policy *cp = creator && st->cat && st->cat->version >= 2
						? sim_policy(v, creator, false) : NULL;
		/* only the default, not an administrator's own narrowed policy */
		if (cp && (cp->keys & (SIM_BIT(SIM_P_OTHER) | DANGER_PERMS))) {
			size_t i = (size_t)(cp - v->policies);
			free(cp->object);
			memmove(cp, cp + 1, (v->n_policies - i - 1) * sizeof *cp);
			v->n_policies--;
			sim_detail(c, "note", "the creator's access policy was removed (%s)", creator);
		}
		sim_detail(c, "note", "the vault exists: updated with -DisableRbacAuthorization%s",
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
	 * creator gets every permission. The first catalogue left it to the
	 * administrators step to narrow; from version 2 the create command
	 * removes it (--no-self-perms, Remove-AzKeyVaultAccessPolicy), unless
	 * the creator-policy fault plays an operator who skipped that line. */
	bool v2 = c->st->cat && c->st->cat->version >= 2;
	bool leftover = v2 && sim_fault_active(st, "creator-policy");
	if (leftover)
		sim_fault_spend(st, "creator-policy");
	if (!v->rbac && p && t->side >= 0 && (!v2 || leftover)) {
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
		sim_detail(c, "note", "Update-AzKeyVault -EnablePurgeProtection applied");
	}
	vault_show(c, t);
}

/* ---- Dispatch ------------------------------------------------------------ */

/* vault.validate: the access policies as planned, and the key as Microsoft
 * 365 will need it (exists, no expiry, the recovery level). */
static void validate(struct sim_ctx *c, const struct sim_target *t)
{
	sim_access_show(c, t, SCOPE_ADMINS | SCOPE_CONTRIB | SCOPE_SP);
	if (c->r->status != CHECK_PASS)
		return;
	char *uri = inventory_key_uri(t->vault, t->key ? t->key : "", NULL);
	char *why = sim_key_usable(c->st, uri, t->workload, c->now);
	if (why)
		sim_result(c, CHECK_FAIL, R_VAULT_PROBLEMS, t->vault, why);
	else
		sim_result(c, CHECK_PASS, R_VAULT_READY_FOR_M365, t->vault, t->key);
	free(why);
	free(uri);
}

static void arm_show(struct sim_ctx *c, const struct sim_target *t, enum sim_effect e)
{
	if (e == SIM_E_SP_REGISTER) {
		sim_sp_register(c, t, false);
		return;
	}
	if (e == SIM_E_RESTORE_REVOKE) {
		sim_restore(c, t, e, false);
		return;
	}
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
		if (e == SIM_E_OFFBOARD_REVOKE)
			sim_offboard_revoke(c, t, false);
		else if (e == SIM_E_GRANT_DELETE || e == SIM_E_REVOKE_DELETE || e == SIM_E_REMOVE_ADMIN)
			sim_admin_task(c, t, e, false);
		else
			sim_access_show(c, t, sim_access_scope(e));
		return;
	default:
		sim_result(c, CHECK_UNAVAILABLE, R_SIM_NO_SUCH_CHECK);
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
	case SIM_E_ACCESS_SP: sim_access_grant(c, &t, sim_access_scope(e)); return;
	case SIM_E_GRANT_DELETE:
	case SIM_E_REVOKE_DELETE:
	case SIM_E_REMOVE_ADMIN: sim_admin_task(c, &t, e, true); return;
	case SIM_E_OFFBOARD_REVOKE: sim_offboard_revoke(c, &t, true); return;
	case SIM_E_SP_REGISTER: sim_sp_register(c, &t, true); return;
	case SIM_E_RESTORE:
	case SIM_E_RESTORE_REVOKE: sim_restore(c, &t, e, true); return;
	default: arm_show(c, &t, e); return;
	}
}
