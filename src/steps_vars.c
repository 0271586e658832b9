/* steps_vars.c: the variables of the command templates ({{name}} in
 * steps_table.c and steps_manage.c), as one table: what each holds, where
 * its value comes from, and the documentation in doc/steps.md (generated
 * from this table by `ckwizard runbook --doc`, tested for drift). */
#include "ck.h"
#include "steps_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Offer names on the FastTrack portal (2023 text). */
static const char *const fasttrack_offers[WL_COUNT] = {
	[WL_EXCHANGE] = "Request encryption key help for Exchange",
	[WL_SHAREPOINT] = "Request encryption key help for SharePoint and OneDrive for Business",
	[WL_MULTI] = "Request encryption key help for Microsoft 365",
};

/* -Scenario of New-CustomerKeyOnboardingRequest: MDEP is the multi-workload
 * value Microsoft's page names; the Exchange and SharePoint values are our
 * reading of the module's scenario names (doc/steps.md says so). */
static const char *const onboarding_scenarios[WL_COUNT] = {
	[WL_EXCHANGE] = "Exchange",
	[WL_SHAREPOINT] = "SharePoint",
	[WL_MULTI] = "MDEP",
};

const char *steps_fasttrack_offer(int workload)
{
	return workload >= 0 && workload < WL_COUNT ? fasttrack_offers[workload] : "";
}

/* What a getter sees: the step's binding, worked out once. */
struct vctx {
	const struct steps_var_ctx *x;
	const struct plan *p;
	const struct step_bind *b;
	const struct inv_dep *dep;      /* NULL: not a per-DEP step */
	const struct inv_side *is;      /* NULL: not a per-vault step */
	int w;                          /* workload, -1 when none */
};

static char *dup0(const char *v)
{
	return v ? xstrdup(v) : NULL;
}

static bool rsa(const struct vctx *v)
{
	return util_strcaseeq(v->p->kv.key_type, "RSA");
}

/* One getter per variable: NULL when it has no value for this step. */
#define SIDE_OK(v) ((v)->b->side != CK_SIDE_NONE)
static char *g_tenant_id(const struct vctx *v) { return dup0(v->p->org.tenant_id); }
static char *g_sub(const struct vctx *v) { return SIDE_OK(v) ? dup0(v->p->sub[v->b->side].id) : NULL; }
static char *g_sub_A(const struct vctx *v) { return dup0(v->p->sub[CK_SIDE_A].id); }
static char *g_sub_B(const struct vctx *v) { return dup0(v->p->sub[CK_SIDE_B].id); }
static char *g_scenario(const struct vctx *v)
{
	return v->w >= 0 ? dup0(onboarding_scenarios[v->w]) : NULL;
}
static char *g_operator_upn(const struct vctx *v)
{
	return SIDE_OK(v) ? dup0(v->p->op[v->p->sub[v->b->side].operator_side].upn) : NULL;
}
static char *g_rg(const struct vctx *v) { return dup0(v->b->rg); }
static char *g_rg_region(const struct vctx *v)
{
	return dup0(inventory_rg_region(v->x->c->inv, v->b->side, v->b->rg));
}
static char *g_region(const struct vctx *v) { return v->is ? dup0(v->is->region) : NULL; }
static char *g_vault(const struct vctx *v) { return v->is ? dup0(v->is->vault) : NULL; }
static char *g_key(const struct vctx *v) { return v->is ? dup0(v->is->key) : NULL; }
static char *g_vault_A(const struct vctx *v) { return v->dep ? dup0(v->dep->side[CK_SIDE_A].vault) : NULL; }
static char *g_vault_B(const struct vctx *v) { return v->dep ? dup0(v->dep->side[CK_SIDE_B].vault) : NULL; }
static char *g_key_A(const struct vctx *v) { return v->dep ? dup0(v->dep->side[CK_SIDE_A].key) : NULL; }
static char *g_key_B(const struct vctx *v) { return v->dep ? dup0(v->dep->side[CK_SIDE_B].key) : NULL; }
static char *g_key_uri_A(const struct vctx *v) { return v->dep ? dup0(v->dep->side[CK_SIDE_A].key_uri) : NULL; }
static char *g_key_uri_B(const struct vctx *v) { return v->dep ? dup0(v->dep->side[CK_SIDE_B].key_uri) : NULL; }
static char *g_sku(const struct vctx *v) { return dup0(v->p->kv.sku); }
static char *g_sku_ps(const struct vctx *v)
{
	return xstrdup(util_strcaseeq(v->p->kv.sku, "standard") ? "Standard" : "Premium");
}
static char *g_retention(const struct vctx *v) { return xasprintf("%ld", v->p->kv.retention_days); }
static char *g_size(const struct vctx *v) { return xasprintf("%ld", v->p->kv.key_size); }
static char *g_kty(const struct vctx *v) { return dup0(v->p->kv.key_type); }
static char *g_destination(const struct vctx *v) { return xstrdup(rsa(v) ? "Software" : "HSM"); }
static char *g_protection(const struct vctx *v) { return xstrdup(rsa(v) ? "software" : "hsm"); }
static char *g_app_id(const struct vctx *v)
{
	return v->w >= 0 ? dup0(plan_workload_app_id((enum plan_workload)v->w)) : NULL;
}
static char *g_app_name(const struct vctx *v)
{
	return v->w >= 0 ? dup0(plan_workload_app_name((enum plan_workload)v->w)) : NULL;
}
static char *g_offer(const struct vctx *v) { return v->w >= 0 ? dup0(fasttrack_offers[v->w]) : NULL; }
static char *g_dep_name(const struct vctx *v) { return v->dep ? dup0(v->dep->name) : NULL; }
static char *g_dep_desc(const struct vctx *v)
{
	return v->dep ? xstrdup(v->dep->description ? v->dep->description : "") : NULL;
}
static char *g_admin_url(const struct vctx *v) { return v->dep ? dup0(v->dep->admin_url) : NULL; }
static char *g_mailbox(const struct vctx *v)
{
	return dup0(v->x->loop_mailbox ? v->x->loop_mailbox : v->b->mailbox);
}
static char *g_upn(const struct vctx *v) { return dup0(v->x->loop_upn ? v->x->loop_upn : v->b->upn); }
static char *g_admin_upn(const struct vctx *v) { return dup0(v->p->op[v->p->tenant_admin].upn); }
static char *g_vault_id(const struct vctx *v)
{
	if (!v->is)
		return NULL;
	return xasprintf("/subscriptions/%s/resourceGroups/%s/providers/Microsoft.KeyVault/vaults/%s",
			 v->p->sub[v->b->side].id, v->is->resource_group, v->is->vault);
}
static char *g_backup_file(const struct vctx *v)
{
	return v->is ? inventory_backup_name(v->is, v->x->c->today) : NULL;
}
static char *g_key_type(const struct vctx *v)
{
	return xstrdup(v->b->side == CK_SIDE_B ? "Secondary" : "Primary");
}
static char *g_workload(const struct vctx *v)
{
	return xstrdup(v->w >= 0 ? plan_workload_code((enum plan_workload)v->w) : "");
}

/* Managed HSM plans: the HSM steps' values (steps_hsm_vars.c makes them, so
 * the file names agree between the steps that write and read them). The
 * {{@name}} lists are rendered by steps_render.c; they are here for the
 * documentation and the check that every variable is known. */
static char *hsm_var(const struct vctx *v, const char *name)
{
	char *ph = NULL;
	char *r = steps_hsm_var(v->x->c, v->b, name, &ph);
	free(ph);
	return r;
}
#define HSM_GETTER(n) static char *g_##n(const struct vctx *v) { return hsm_var(v, #n); }
HSM_GETTER(hsm)
HSM_GETTER(hsm_rg)
HSM_GETTER(hsm_region)
HSM_GETTER(hsm_dr)
HSM_GETTER(quorum)
HSM_GETTER(sd_file)
HSM_GETTER(exchange_file)
HSM_GETTER(restore_blob)
HSM_GETTER(officer_file)
HSM_GETTER(officer_key_file)
HSM_GETTER(officer_pub_file)
HSM_GETTER(officer_der_file)
HSM_GETTER(officer_subject)
HSM_GETTER(officer_name)
static char *g_list(const struct vctx *v) { (void)v; return NULL; }

static const struct steps_var {
	const char *name;
	char *(*get)(const struct vctx *v);
	const char *doc;     /* for doc/steps.md: what it holds, from where */
} vars[] = {
	{ "tenant_id", g_tenant_id, "the tenant ID (`organization.tenant_id`)" },
	{ "sub", g_sub, "the ID of the step's subscription (`subscriptions`)" },
	{ "sub_A", g_sub_A, "subscription A's ID" },
	{ "sub_B", g_sub_B, "subscription B's ID" },
	{ "scenario", g_scenario, "New-CustomerKeyOnboardingRequest -Scenario for the workload: Exchange, SharePoint or MDEP" },
	{ "rg", g_rg, "the step's resource group (`naming.resource_group`)" },
	{ "rg_region", g_rg_region, "the region of that resource group: the region of the first vault placed in it" },
	{ "region", g_region, "the region of the step's vault" },
	{ "vault", g_vault, "the step's vault (`naming.vault`)" },
	{ "key", g_key, "the step's key (`naming.key`)" },
	{ "vault_A", g_vault_A, "the DEP's vault on side A" },
	{ "vault_B", g_vault_B, "the DEP's vault on side B" },
	{ "key_A", g_key_A, "the DEP's key on side A" },
	{ "key_B", g_key_B, "the DEP's key on side B" },
	{ "key_uri_A", g_key_uri_A, "the URI of the DEP's key on side A, without version" },
	{ "key_uri_B", g_key_uri_B, "the URI of the DEP's key on side B, without version" },
	{ "sku", g_sku, "the vault SKU as the Azure CLI spells it (`key_vault.sku`)" },
	{ "sku_ps", g_sku_ps, "the vault SKU as Az PowerShell spells it: Standard or Premium" },
	{ "retention", g_retention, "soft-delete retention in days (`key_vault.soft_delete_retention_days`)" },
	{ "size", g_size, "key size in bits (`key_vault.key.size`)" },
	{ "kty", g_kty, "key type (`key_vault.key.type`)" },
	{ "destination", g_destination, "Add-AzKeyVaultKey -Destination: Software for RSA, else HSM" },
	{ "protection", g_protection, "az keyvault key create --protection: software for RSA, else hsm" },
	{ "app_id", g_app_id, "the workload's Microsoft 365 service principal (application ID)" },
	{ "app_name", g_app_name, "that service principal's name" },
	{ "offer", g_offer, "the FastTrack offer to request for the workload" },
	{ "dep_name", g_dep_name, "the DEP's name" },
	{ "dep_desc", g_dep_desc, "the DEP's description (empty when none)" },
	{ "admin_url", g_admin_url, "the SharePoint admin centre URL (SharePoint DEPs)" },
	{ "mailbox", g_mailbox, "the mailbox (a step per mailbox, or each line of @mailboxes)" },
	{ "upn", g_upn, "the administrator (a step per administrator, or each line of @admins / @contributors)" },
	{ "operator_upn", g_operator_upn, "the UPN of the operator who owns the step's subscription" },
	{ "admin_upn", g_admin_upn, "the tenant administrator's UPN (`tenant_admin`)" },
	{ "vault_id", g_vault_id, "the vault's Azure resource ID" },
	{ "backup_file", g_backup_file, "the backup file name for today (`naming.backup`, `{date}` as YYYYMMDD, UTC)" },
	{ "key_type", g_key_type, "Primary on side A, Secondary on side B (New-DataEncryptionPolicy)" },
	{ "workload", g_workload, "the workload code: EX, SP or MW" },
	{ "hsm", g_hsm, "Managed HSM plans: the side's HSM (`managed_hsm.name`)" },
	{ "hsm_rg", g_hsm_rg, "the HSM's resource group (`managed_hsm.resource_group`)" },
	{ "hsm_region", g_hsm_region, "the HSM's region (`managed_hsm.regions`)" },
	{ "hsm_dr", g_hsm_dr, "the recovery rehearsal's HSM: the HSM's name with DR, within 24 characters" },
	{ "quorum", g_quorum, "the security domain's quorum (`managed_hsm.security_domain.quorum`)" },
	{ "sd_file", g_sd_file, "the security domain file, `<hsm>-SecurityDomain.json`" },
	{ "exchange_file", g_exchange_file, "the rehearsal HSM's exchange key, `<hsm_dr>-ExchangeKey.cer`" },
	{ "restore_blob", g_restore_blob, "the security domain re-encrypted for the rehearsal HSM" },
	{ "officer_file", g_officer_file, "the officer's certificate, `sd-officer-N.cer`" },
	{ "officer_key_file", g_officer_key_file, "the officer's private key file, `sd-officer-N.key` (on their own offline machine)" },
	{ "officer_pub_file", g_officer_pub_file, "the officer's public key, PEM" },
	{ "officer_der_file", g_officer_der_file, "the officer's public key, DER (what the fingerprint hashes)" },
	{ "officer_subject", g_officer_subject, "the certificate subject, `/CN=<officer's name>`" },
	{ "officer_name", g_officer_name, "the officer's name" },
	{ "@hsm_admins", g_list, "list: the HSM's initial administrators (`managed_hsm.administrators`)" },
	{ "@officer_files", g_list, "list: every officer's certificate" },
	{ "@officer_key_files", g_list, "list: every officer's private key file (the offline machine only)" },
};

char *steps_var_value(const struct steps_var_ctx *x, const char *name, bool *known)
{
	const struct step_bind *b = x->b;
	struct vctx v = { x, x->c->plan, b, b->dep, NULL,
			  x->loop_workload >= 0 ? x->loop_workload : b->workload };
	if (b->dep && b->side != CK_SIDE_NONE)
		v.is = &b->dep->side[b->side];
	for (size_t i = 0; i < CK_ARRAY_LEN(vars); i++)
		if (strcmp(vars[i].name, name) == 0) {
			*known = true;
			return vars[i].get(&v);
		}
	*known = false;
	return NULL;
}

bool steps_var_known(const char *name)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(vars); i++)
		if (strcmp(vars[i].name, name) == 0)
			return true;
	return false;
}

void steps_vars_markdown(struct buf *out)
{
	buf_puts(out, "\nVariables of the command templates (`{{name}}`; evidence of a related "
		      "step is `{{ev:TEMPLATE:SIDE:ID[:PART]}}`):\n\n");
	buf_puts(out, "| variable | value |\n| --- | --- |\n");
	for (size_t i = 0; i < CK_ARRAY_LEN(vars); i++)
		buf_printf(out, "| `%s` | %s |\n", vars[i].name, vars[i].doc);
}
