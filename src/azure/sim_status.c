/* sim_status.c: states Azure derives rather than stores, which several
 * effects ask: the retention feature's registration state, the recovery
 * level a vault gives its keys, and whether Microsoft 365 can use a key.
 * Below the effects (sim_arm.c, sim_keys.c, sim_m365.c, sim_onboard.c), which
 * reached into each other for them, and above sim_hsm.c, whose activation
 * they take into account. */
#include "ck.h"
#include "azure/sim_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- The retention-period feature ----------------------------------------- */

const char *sim_feature_state(const struct sim_state *st, const struct sim_sub *sub,
			      long long now, long long *ready_at)
{
	*ready_at = 0;
	if (!sub || !sub->feature_requested)
		return "NotRegistered";
	/* With the onboarding service there is no e-mail to wait for: the
	 * simulator finishes the registration itself (doc/simulator.md). */
	const struct plan *p = st->cat ? st->cat->plan : NULL;
	if (st->cat && st->cat->version >= 2 && p && p->onboarding &&
	    strcmp(p->onboarding, "service") == 0) {
		*ready_at = sub->feature_requested + st->slow_extra;
		return now >= *ready_at ? "Registered" : "Registering";
	}
	/* Microsoft finishes only once asked by e-mail, some time later. */
	const struct sim_event *mail = sim_event_find(st, "email", NULL);
	if (!mail)
		return "Registering";
	long long start = mail->at > sub->feature_requested ? mail->at : sub->feature_requested;
	*ready_at = start + st->registration_delay + st->slow_extra;
	return now >= *ready_at ? "Registered" : "Registering";
}

/* ---- The recovery level -------------------------------------------------- */

const char *sim_recovery_level(struct sim_state *st, const struct sim_vault *v, long long now)
{
	long long ready;
	bool custom = v->retention_days < 90;
	if (!v->soft_delete)
		return "Purgeable";
	if (!v->purge_protection)
		return custom ? "CustomizedRecoverable+Purgeable" : "Recoverable+Purgeable";
	const char *feature = sim_feature_state(st, sim_sub(st, v->subscription, false), now,
						&ready);
	if (strcmp(feature, "Registered") == 0)
		return custom ? "CustomizedRecoverable+ProtectedSubscription"
			      : "Recoverable+ProtectedSubscription";
	return custom ? "CustomizedRecoverable" : "Recoverable";
}

/* Can the workload's service principal use the key this URI names? */
char *sim_key_usable(struct sim_state *st, const char *uri, int workload, long long now)
{
	char *vname, *kname, *kversion;
	if (!inventory_key_uri_split(uri, &vname, &kname, &kversion))
		return xasprintf("%s is not a Key Vault key URI", uri ? uri : "?");
	free(kversion);
	struct sim_vault *v = sim_vault(st, vname);
	struct sim_key *k = sim_key(v, kname);
	const char *app = plan_workload_app_id((enum plan_workload)workload);
	struct sim_policy *pol = v ? sim_policy(v, app, false) : NULL;
	unsigned need = SIM_BIT(SIM_P_WRAP) | SIM_BIT(SIM_P_UNWRAP) | SIM_BIT(SIM_P_GET);
	char *why = NULL;
	if (!v)
		why = xasprintf("vault %s does not exist", vname);
	else if (sim_is_hsm(v) && !sim_hsm_active(st, v))
		why = xasprintf("the managed HSM %s is not activated", vname);
	else if (!k || !k->n_versions)
		why = xasprintf("vault %s has no key %s", vname, kname);
	else if (sim_is_hsm(v) && (!pol || (pol->keys & need) != need))
		why = xasprintf("%s has no Managed HSM Crypto Service Encryption User role on %s: "
				"the service cannot wrap",
				plan_workload_app_name((enum plan_workload)workload), vname);
	else if (v->rbac && !sim_is_hsm(v))
		why = xasprintf("vault %s uses RBAC, so its access policies do not let %s in",
				vname, plan_workload_app_name((enum plan_workload)workload));
	else if (!pol || (pol->keys & need) != need)
		why = xasprintf("%s lacks wrapKey, unwrapKey or get on vault %s",
				plan_workload_app_name((enum plan_workload)workload), vname);
	else if (k->exp && k->exp != SIM_EXP_FOREVER && k->exp <= now)
		why = xasprintf("key %s has expired", kname);
	else if (k->exp && k->exp != SIM_EXP_FOREVER)
		why = xasprintf("key %s has an expiry date; Microsoft 365 accepts none or "
				  "9999-12-31", kname);
	else if (strcmp(sim_recovery_level(st, v, now), "Recoverable+ProtectedSubscription"))
		why = xasprintf("key %s reads %s, not Recoverable+ProtectedSubscription", kname,
				sim_recovery_level(st, v, now));
	free(vname);
	free(kname);
	return why;
}
