/* sim_faults.c: the simulator's misbehaviour on request, so operators
 * practise catching the mistakes that happen in real ceremonies.
 *
 * A fault string is "name[=value],name[=value]...". Most faults are one-shot:
 * they spoil the first action they apply to and are then spent (recorded in
 * sim.json), so re-running the right command fixes things where Azure would
 * let it. The table below is also the documentation's source
 * (doc/simulator.md lists the same entries). */
#include "ck.h"
#include "azure/sim_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const struct sim_fault_info sim_fault_table[] = {
	{ "vault-name-taken", "NAME",
	  N_("Another tenant already holds the vault name NAME (without =NAME: the first vault "
	     "created). Creating it fails with VaultAlreadyExists. Fix: choose another name, "
	     "amend the plan and have it verified again.") },
	{ "missing-permission", "wrapKey|unwrapKey|get",
	  N_("The first access policy given to the Microsoft 365 service principal lacks this "
	     "permission (default unwrapKey). The access check fails. Fix: run the "
	     "Set-AzKeyVaultAccessPolicy step again.") },
	{ "expiring-key", "DAYS",
	  N_("The first key created gets an expiry DAYS days ahead (default 30). The expiry check "
	     "fails. Fix: an expiry cannot be removed, only set to 9999-12-31 with "
	     "Update-AzKeyVaultKey -Expires.") },
	{ "rbac-on", NULL,
	  N_("The first vault is created with Azure RBAC authorisation on, as the portal and "
	     "current Az modules do by default; access policies then have no effect. Fix: run the "
	     "vault step again (Update-AzKeyVault -DisableRbacAuthorization $true).") },
	{ "paired-region", NULL,
	  N_("The first vault of side B lands in the region paired with side A's (a wrong "
	     "-Location). The vault check fails. Fix: a vault cannot move; create it again under "
	     "a new name in the planned region (amend the plan).") },
	{ "creator-policy", NULL,
	  N_("The first vault keeps its creator's default access policy (every permission, "
	     "secrets, certificates and storage too), as when the line removing it is skipped. "
	     "The check of every access policy fails. Fix: Remove-AzKeyVaultAccessPolicy for "
	     "the creator, then grant the administrators again.") },
	{ "onboarding-validation", NULL,
	  N_("The first Validate request of the Customer Key onboarding service fails, listing a "
	     "key in FailedValidations. Fix: read FailedValidations, correct what it names and "
	     "validate again; enable only after a validation passed.") },
	{ "sd-quorum", NULL,
	  N_("Managed HSM plans: the first security domain download is refused because the "
	     "certificates given do not meet the quorum (one officer's certificate left out). "
	     "Nothing is downloaded and the HSM stays inactive. Fix: give every officer's "
	     "certificate and download again.") },
	{ "sd-not-downloaded", NULL,
	  N_("Managed HSM plans: the first security domain download is interrupted before the "
	     "file is written. The HSM stays NotActivated and refuses key creation, as Azure "
	     "does. Fix: run the download again.") },
	{ "role-missing", NULL,
	  N_("Managed HSM plans: the first role step leaves one Microsoft 365 app without Managed "
	     "HSM Crypto Service Encryption User (a line not run). The roles check fails, and a "
	     "DEP on that HSM fails: the service cannot wrap. Fix: run the role step again.") },
	{ "slow-registration", "HOURS",
	  N_("Microsoft takes HOURS hours longer (default 72) than the registration delay to "
	     "finish the retention period: the feature stays Registering. Fix: wait; nothing "
	     "else helps.") },
};
const size_t sim_fault_count = CK_ARRAY_LEN(sim_fault_table);

static const struct sim_fault_info *fault_find(const char *name, size_t len)
{
	for (size_t i = 0; i < sim_fault_count; i++)
		if (strlen(sim_fault_table[i].name) == len &&
		    memcmp(sim_fault_table[i].name, name, len) == 0)
			return &sim_fault_table[i];
	return NULL;
}

static bool number_ok(const char *v, long lo, long hi, long *out)
{
	char *end;
	if (!*v || *v < '0' || *v > '9')
		return false;
	long n = strtol(v, &end, 10);
	if (*end || n < lo || n > hi)
		return false;
	*out = n;
	return true;
}

static int value_ok(const char *name, const char *v, char **err)
{
	long n;
	if (strcmp(name, "missing-permission") == 0 && *v &&
	    strcmp(v, "wrapKey") && strcmp(v, "unwrapKey") && strcmp(v, "get")) {
		*err = xasprintf(_("fault missing-permission=%s: the permission must be wrapKey, "
				   "unwrapKey or get"), v);
		return -1;
	}
	if (strcmp(name, "expiring-key") == 0 && *v && !number_ok(v, 1, 3650, &n)) {
		*err = xasprintf(_("fault expiring-key=%s: give a number of days from 1 to 3650"), v);
		return -1;
	}
	if (strcmp(name, "slow-registration") == 0 && *v && !number_ok(v, 1, 8760, &n)) {
		*err = xasprintf(_("fault slow-registration=%s: give a number of hours from 1 to "
				   "8760"), v);
		return -1;
	}
	if (strcmp(name, "vault-name-taken") == 0 && *v && strlen(v) > 64) {
		*err = xasprintf(_("fault vault-name-taken: the name is longer than any vault name"));
		return -1;
	}
	return 0;
}

static char *known_list(void)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sim_fault_count; i++) {
		const struct sim_fault_info *f = &sim_fault_table[i];
		buf_printf(&b, "%s%s", i ? ", " : "", f->name);
		if (f->value)
			buf_printf(&b, "[=%s]", f->value);
	}
	return buf_steal(&b);
}

int sim_faults_parse(struct sim_state *st, const char *faults, char **err)
{
	const char *p = faults ? faults : "";
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len == 0 || (p[len] == ',' && p[len + 1] == '\0')) {
			/* "a,,b", ",a", "a,": a fault the operator meant may be lost */
			char *list = known_list();
			*err = xasprintf(_("an empty fault name in '%s' (check the commas); known "
					   "faults: %s"), faults, list);
			free(list);
			return -1;
		}
		const char *eq = memchr(p, '=', len);
		size_t nlen = eq ? (size_t)(eq - p) : len;
		const struct sim_fault_info *f = fault_find(p, nlen);
		char *value = eq ? xstrndup(eq + 1, len - nlen - 1) : xstrdup("");
		if (!f || (eq && !f->value)) {
			char *list = known_list();
			char *name = xstrndup(p, len);
			*err = f ? xasprintf(_("fault %s takes no value; known faults: %s"), name, list)
				 : xasprintf(_("unknown simulator fault '%s'; known faults: %s"), name,
					     list);
			free(name);
			free(list);
			free(value);
			return -1;
		}
		if (value_ok(f->name, value, err) < 0) {
			free(value);
			return -1;
		}
		st->fault_name = xrealloc(st->fault_name, (st->n_faults + 1) * sizeof(char *));
		st->fault_value = xrealloc(st->fault_value, (st->n_faults + 1) * sizeof(char *));
		st->fault_name[st->n_faults] = xstrdup(f->name);
		st->fault_value[st->n_faults] = value;
		st->n_faults++;
		p += len;
		if (*p == ',')
			p++;
	}
	const char *slow = NULL;
	for (size_t i = 0; i < st->n_faults; i++)
		if (strcmp(st->fault_name[i], "slow-registration") == 0)
			slow = st->fault_value[i];
	if (slow)
		st->slow_extra = (*slow ? strtol(slow, NULL, 10) : 72L) * 3600;
	return 0;
}

const char *sim_fault_active(const struct sim_state *st, const char *name)
{
	if (sim_strv_has(st->spent, st->n_spent, name))
		return NULL;
	for (size_t i = 0; i < st->n_faults; i++)
		if (strcmp(st->fault_name[i], name) == 0)
			return st->fault_value[i];
	return NULL;
}

void sim_fault_spend(struct sim_state *st, const char *name)
{
	if (!sim_strv_has(st->spent, st->n_spent, name))
		sim_strv_add(&st->spent, &st->n_spent, name);
}

int backend_sim_check_faults(const char *faults, char **err)
{
	if (faults && !*faults) { /* --fault '': asked for a fault, named none */
		char *list = known_list();
		*err = xasprintf(_("an empty fault name; known faults: %s"), list);
		free(list);
		return -1;
	}
	struct sim_state *st = xcalloc(1, sizeof *st);
	int rc = sim_faults_parse(st, faults, err);
	sim_state_free(st);
	return rc;
}
