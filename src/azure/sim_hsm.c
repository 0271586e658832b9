/* sim_hsm.c: Managed HSMs in the simulated tenant (plans with key_store:
 * managed_hsm). What it models is what the ceremony's checks need: an HSM is
 * provisioned and stays inactive, refusing every key operation, until its
 * security domain is downloaded with at least three certificates and a
 * quorum; local role assignments (not access policies) let the key
 * administrators and each Microsoft 365 app in. Three faults spoil it the
 * way real ceremonies go wrong: the quorum not met, the security domain not
 * downloaded, an app's role missing (sim_faults.c). The error codes are our
 * reading: Microsoft's pages name the conditions, not every code. */
#include "ck.h"
#include "azure/sim_int.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HSM_SKU "Standard_B1"
#define SD_EVENT "security-domain"
#define SD_OFFICERS_MIN 3

bool sim_is_hsm(const struct sim_vault *v)
{
	return v && v->sku && strcmp(v->sku, HSM_SKU) == 0;
}

bool sim_hsm_active(const struct sim_state *st, const struct sim_vault *v)
{
	return v && sim_event_find(st, SD_EVENT, v->name) != NULL;
}

const char *sim_store_domain(const struct sim_vault *v)
{
	return sim_is_hsm(v) ? INV_HSM_DNS : INV_VAULT_DNS;
}

/* Which templates do what in a Managed HSM plan; the rest (keys, DEPs) use
 * the general table, whose key effects ask sim_hsm_may. */
static const struct {
	const char *template_id;
	enum sim_effect perform, check;
} hsm_rules[] = {
	{ "hsm.create", SIM_E_HSM_CREATE, SIM_E_HSM_SHOW },
	{ "hsm.officer.key", SIM_E_NONE, SIM_E_NONE },
	{ "hsm.activate", SIM_E_HSM_ACTIVATE, SIM_E_HSM_ACTIVE },
	{ "hsm.officer.ack", SIM_E_NONE, SIM_E_NONE },
	{ "hsm.check", SIM_E_HSM_CHECK, SIM_E_HSM_CHECK },
	{ "hsm.role.admins", SIM_E_HSM_ROLES_ADMINS, SIM_E_HSM_ROLES_ADMINS },
	{ "hsm.role.service", SIM_E_HSM_ROLES_SP, SIM_E_HSM_ROLES_SP },
	{ "manage.restore", SIM_E_HSM_RESTORE, SIM_E_NONE },
	{ "hsm.recovery_rehearsal", SIM_E_HSM_REHEARSAL, SIM_E_NONE },
};

enum sim_effect sim_hsm_effect(const struct step *s, bool perform, bool *known)
{
	*known = false;
	for (size_t i = 0; s->template_id && i < CK_ARRAY_LEN(hsm_rules); i++)
		if (strcmp(hsm_rules[i].template_id, s->template_id) == 0) {
			*known = true;
			return perform ? hsm_rules[i].perform : hsm_rules[i].check;
		}
	return SIM_E_NONE;
}

static struct sim_vault *own_hsm(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v = sim_vault(c->st, t->vault);
	if (!v || !sim_is_hsm(v) || !util_strcaseeq(v->subscription, t->sub)) {
		sim_result(c, CHECK_FAIL, R_HSM_NOT_FOUND, t->vault ? t->vault : "?");
		return NULL;
	}
	return v;
}

static bool hsm_needs_active(struct sim_ctx *c, const struct sim_vault *v)
{
	if (sim_hsm_active(c->st, v))
		return true;
	sim_result(c, CHECK_FAIL, R_HSM_NOT_ACTIVATED, v->name);
	return false;
}

bool sim_hsm_may(struct sim_ctx *c, struct sim_vault *v, const char *upn, enum sim_perm perm)
{
	if (!hsm_needs_active(c, v))
		return false;
	struct sim_policy *pol = upn ? sim_policy(v, upn, false) : NULL;
	if (!pol || !(pol->keys & SIM_BIT(perm))) {
		sim_result(c, CHECK_FAIL, R_HSM_FORBIDDEN_NO_ROLE, upn ? upn : "?", v->name,
			   sim_perm_names[perm]);
		return false;
	}
	return true;
}

static void hsm_props(struct sim_ctx *c, const struct sim_vault *v)
{
	sim_detail(c, "hsmUri", "https://%s" INV_HSM_DNS "/", v->name);
	sim_detail(c, "location", "%s", v->location);
	sim_detail(c, "activationStatus", "%s",
		   sim_hsm_active(c->st, v) ? "Active" : "NotActivated");
	sim_detail(c, "enableSoftDelete", "%s", v->soft_delete ? "true" : "false");
	sim_detail(c, "softDeleteRetentionInDays", "%lld", v->retention_days);
	sim_detail(c, "enablePurgeProtection", "%s", v->purge_protection ? "true" : "false");
}

static void hsm_create(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_state *st = c->st;
	const struct plan *p = t->plan;
	struct sim_sub *sub = sim_sub(st, t->sub, false);
	if (!t->vault || !t->sub || !p) {
		sim_result(c, CHECK_FAIL, R_NO_HSM_NAMED);
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
	struct sim_vault *v = sim_vault(st, t->vault);
	if (v && !util_strcaseeq(v->subscription, t->sub)) {
		sim_result(c, CHECK_FAIL, R_HSM_NAME_TAKEN, t->vault);
		return;
	}
	if (!v) {
		st->vaults = sim_grow(st->vaults, &st->n_vaults, sizeof *st->vaults);
		v = &st->vaults[st->n_vaults - 1];
		v->name = xstrdup(t->vault);
		v->subscription = xstrdup(t->sub);
		v->resource_group = xstrdup(t->rg);
		v->location = xstrdup(t->region ? t->region : "");
		v->tenant = xstrdup(p->org.tenant_id ? p->org.tenant_id : "");
		v->sku = xstrdup(HSM_SKU);
		v->soft_delete = true;
		v->retention_days = p->kv.retention_days > 0 ? p->kv.retention_days : 90;
		v->purge_protection = p->kv.purge_protection;
		v->rbac = true; /* local RBAC only */
		v->created = c->now;
		/* The initial administrators hold Managed HSM Administrator: roles
		 * and the security domain, no key permission. */
		int side = t->side;
		for (size_t i = 0; side != CK_SIDE_NONE && i < p->hsm.n_administrators[side]; i++)
			sim_policy(v, p->hsm.administrators[side][i], true);
	}
	hsm_props(c, v);
	sim_result(c, CHECK_PASS, R_HSM_PROVISIONED, v->name, v->location);
}

static void hsm_show(struct sim_ctx *c, const struct sim_target *t, bool need_active)
{
	struct sim_vault *v = own_hsm(c, t);
	if (!v)
		return;
	hsm_props(c, v);
	if (need_active && !hsm_needs_active(c, v))
		return;
	if (!need_active && t->region && !util_streq(v->location, t->region))
		sim_result(c, CHECK_FAIL, R_HSM_WRONG_LOCATION, v->name, v->location, t->region);
	else
		sim_result(c, CHECK_PASS,
			   sim_hsm_active(c->st, v) ? R_HSM_IS_ACTIVE : R_HSM_IS_NOT_ACTIVATED, v->name);
}

/* The file Export-AzKeyVaultSecurityDomain writes, in the session
 * directory, so the operator's evidence hashes a real file. On failure the
 * result says which file and why (the system's words, as observed). */
static int write_sd_file(struct sim_ctx *c, const struct sim_vault *v)
{
	const struct plan *p = c->st->cat ? c->st->cat->plan : NULL;
	char *name = xasprintf("%s-SecurityDomain.json", v->name);
	char *path = xasprintf("%s/%s", c->st->dir, name);
	struct buf b = BUF_INIT;
	buf_printf(&b, "{\"simulated\":\"ckwizard rehearsal\",\"hsm\":\"%s\",\"quorum\":%ld,"
		       "\"shares\":%zu,\"at\":%lld}\n",
		   v->name, p ? p->hsm.quorum : 0L, p ? p->hsm.n_officers : 0, c->now);
	int rc = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || write(fd, b.p, b.len) != (ssize_t)b.len) {
		sim_result(c, CHECK_FAIL, R_SD_FILE_NOT_WRITTEN, path, strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	if (rc == 0) {
		char hex[HASH_SHA256_HEX_LEN + 1];
		hash_sha256_hex(b.p, b.len, hex);
		sim_detail(c, "file", "%s", path);
		sim_detail(c, "sha256", "%s", hex);
	}
	buf_free(&b);
	free(path);
	free(name);
	return rc;
}

static void hsm_activate(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v = own_hsm(c, t);
	const struct plan *p = t->plan;
	if (!v || !p)
		return;
	if (sim_hsm_active(c->st, v)) {
		hsm_props(c, v);
		sim_result(c, CHECK_PASS, R_HSM_ALREADY_ACTIVE, v->name);
		return;
	}
	if (sim_fault_active(c->st, "sd-quorum")) {
		sim_fault_spend(c->st, "sd-quorum");
		hsm_props(c, v);
		sim_result(c, CHECK_FAIL, R_SD_QUORUM_NOT_MET, SD_OFFICERS_MIN, p->hsm.quorum, v->name);
		return;
	}
	if (sim_fault_active(c->st, "sd-not-downloaded")) {
		sim_fault_spend(c->st, "sd-not-downloaded");
		hsm_props(c, v);
		sim_result(c, CHECK_FAIL, R_SD_NOT_DOWNLOADED, v->name);
		return;
	}
	if (p->hsm.n_officers < SD_OFFICERS_MIN || p->hsm.quorum < 2 ||
	    (size_t)p->hsm.quorum > p->hsm.n_officers) {
		sim_result(c, CHECK_FAIL, R_SD_BAD_QUORUM, p->hsm.n_officers, p->hsm.quorum);
		return;
	}
	if (write_sd_file(c, v) < 0)
		return;
	sim_event_add(c->st, v->name, SD_EVENT, c->now);
	hsm_props(c, v);
	sim_result(c, CHECK_PASS, R_SD_DOWNLOADED, p->hsm.quorum, p->hsm.n_officers, v->name);
}

static void hsm_check(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v = own_hsm(c, t);
	if (!v)
		return;
	hsm_props(c, v);
	if (!hsm_needs_active(c, v))
		return;
	if (!v->soft_delete || v->retention_days < 90)
		sim_result(c, CHECK_FAIL, R_HSM_RETENTION_TOO_SHORT, v->retention_days, v->name);
	else if (!v->purge_protection)
		sim_result(c, CHECK_FAIL, R_HSM_PURGE_PROTECTION_OFF, v->name);
	else
		sim_result(c, CHECK_PASS, R_HSM_OK, v->name, v->retention_days);
}

/* Role assignments: perform grants what the step's commands grant, then
 * both look at what is there. */
static void roles_admins(struct sim_ctx *c, const struct sim_target *t, bool perform)
{
	struct sim_vault *v = own_hsm(c, t);
	const struct plan *p = t->plan;
	if (!v || !p || t->side == CK_SIDE_NONE || !hsm_needs_active(c, v))
		return;
	const struct plan_subscription *sub = &p->sub[t->side];
	struct buf missing = BUF_INIT;
	for (size_t i = 0; i < sub->n_administrators; i++) {
		struct sim_policy *pol = sim_policy(v, sub->administrators[i], perform);
		if (perform)
			pol->keys |= ADMIN_PERMS;
		bool ok = pol && (pol->keys & ADMIN_PERMS) == ADMIN_PERMS;
		sim_detail(c, sub->administrators[i], "%s",
			   ok ? "Managed HSM Crypto User (/keys)" : "(none)");
		if (!ok)
			buf_printf(&missing, "%s%s", missing.len ? ", " : "", sub->administrators[i]);
	}
	if (missing.len)
		sim_result(c, CHECK_FAIL, R_HSM_ADMINS_MISSING_ROLE, v->name, missing.p);
	else
		sim_result(c, CHECK_PASS, R_HSM_ADMINS_OK, v->name);
	buf_free(&missing);
}

static void roles_sp(struct sim_ctx *c, const struct sim_target *t, bool perform)
{
	struct sim_state *st = c->st;
	struct sim_vault *v = own_hsm(c, t);
	const struct inventory *inv = st->cat ? st->cat->inv : NULL;
	if (!v || !inv || !hsm_needs_active(c, v))
		return;
	bool skip_one = perform && sim_fault_active(st, "role-missing");
	struct buf missing = BUF_INIT;
	for (int w = 0; w < WL_COUNT; w++) {
		bool used = false;
		for (size_t i = 0; i < inv->n_deps && !used; i++)
			used = (int)inv->deps[i].workload == w;
		if (!used)
			continue;
		const char *app = plan_workload_app_id((enum plan_workload)w);
		if (perform && !sim_sp_exists(st, app)) {
			sim_result(c, CHECK_FAIL, R_HSM_APP_NOT_IN_TENANT,
				   plan_workload_app_name((enum plan_workload)w), app);
			buf_free(&missing);
			return;
		}
		if (perform && skip_one) {
			skip_one = false; /* the line that was not run */
			sim_fault_spend(st, "role-missing");
		} else if (perform) {
			sim_policy(v, app, true)->keys |= SP_PERMS;
		}
		struct sim_policy *pol = sim_policy(v, app, false);
		bool ok = pol && (pol->keys & SP_PERMS) == SP_PERMS;
		sim_detail(c, plan_workload_app_name((enum plan_workload)w), "%s",
			   ok ? "Managed HSM Crypto Service Encryption User (/keys)" : "(none)");
		if (!ok)
			buf_printf(&missing, "%s%s", missing.len ? ", " : "",
				   plan_workload_app_name((enum plan_workload)w));
	}
	if (missing.len)
		sim_result(c, CHECK_FAIL, R_HSM_APPS_MISSING_ROLE, v->name, missing.p);
	else
		sim_result(c, CHECK_PASS, R_HSM_APPS_OK, v->name);
	buf_free(&missing);
}

static void hsm_restore(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v = own_hsm(c, t);
	if (!v || !hsm_needs_active(c, v))
		return;
	struct sim_key *k = sim_key(v, t->key);
	if (!k || !k->n_versions) {
		sim_result(c, CHECK_FAIL, R_HSM_KEY_NOT_RESTORED, v->name, t->key ? t->key : "?");
		return;
	}
	sim_result(c, CHECK_PASS, R_HSM_KEY_RESTORED, k->name, v->name);
}

static void hsm_rehearsal(struct sim_ctx *c, const struct sim_target *t)
{
	struct sim_vault *v = own_hsm(c, t);
	if (!v || !hsm_needs_active(c, v))
		return;
	sim_event_add(c->st, v->name, "security-domain-rehearsal", c->now);
	sim_result(c, CHECK_PASS, R_SD_RECOVERY_REHEARSED, v->name);
}

static void hsm_run(struct sim_ctx *c, enum sim_effect e, bool perform)
{
	struct sim_target t;
	sim_target(c, &t);
	switch (e) {
	case SIM_E_HSM_CREATE:
		if (perform)
			hsm_create(c, &t);
		else
			hsm_show(c, &t, false);
		return;
	case SIM_E_HSM_SHOW: hsm_show(c, &t, false); return;
	case SIM_E_HSM_ACTIVATE:
		if (perform)
			hsm_activate(c, &t);
		else
			hsm_show(c, &t, true);
		return;
	case SIM_E_HSM_ACTIVE: hsm_show(c, &t, true); return;
	case SIM_E_HSM_CHECK: hsm_check(c, &t); return;
	case SIM_E_HSM_ROLES_ADMINS: roles_admins(c, &t, perform); return;
	case SIM_E_HSM_ROLES_SP: roles_sp(c, &t, perform); return;
	case SIM_E_HSM_RESTORE: hsm_restore(c, &t); return;
	case SIM_E_HSM_REHEARSAL:
		if (perform)
			hsm_rehearsal(c, &t);
		else
			hsm_show(c, &t, true);
		return;
	default:
		sim_result(c, CHECK_UNAVAILABLE, R_SIM_NO_SUCH_CHECK);
		return;
	}
}

void sim_hsm_perform(struct sim_ctx *c, enum sim_effect e)
{
	hsm_run(c, e, true);
}

void sim_hsm_check(struct sim_ctx *c, enum sim_effect e)
{
	hsm_run(c, e, false);
}
