/* steps_version.c: what changed between catalogue versions, beyond the
 * templates' own since/until (steps_int.h). A journal is replayed with the
 * catalogue version it records, so nothing here may change once released:
 * a later change is a new entry with a later version.
 *
 * Version 1: the catalogue from the two seed documents (doc/steps.md).
 * Version 2: Microsoft's current documentation (doc/steps.md, "Catalogue
 * versions", names each change and its source).
 * Version 3: Managed HSM as the key store (steps_hsm.c): plans with
 * key_store: managed_hsm get the HSM steps instead of the vault steps. */
#include "ck.h"
#include "steps_int.h"

bool steps_def_in(const struct step_def *d, unsigned version)
{
	unsigned since = d->since ? d->since : 1;
	return version >= since && (!d->until || version < d->until);
}

const struct step_prereq_change steps_prereq_changes[] = {
	/* v2: Microsoft 365's service principals must exist before a policy can
	 * name them. */
	{ "vault.service", "sp.register", 2, 0, false, false },
	/* v2: with the onboarding service there is no FastTrack request or
	 * e-mail to wait for; these keep an anchor in either path. */
	{ "retention.register", "sub.create", 2, 0, false, false },
	{ "retention.verify", "retention.check", 2, 0, false, false },
	/* v2: no DEP before the onboarding service has enabled the tenant (the
	 * prerequisite is there only in plans that use the service). */
	{ "dep.exchange.create", "onboard.service.enable", 2, 0, false, false },
	{ "dep.sharepoint.register", "onboard.service.enable", 2, 0, false, false },
	{ "dep.multi.create", "onboard.service.enable", 2, 0, false, false },
	/* v2: SharePoint rolls one key at a time: side B's roll waits until
	 * side A's is confirmed back to Registered. */
	{ "manage.refresh.sharepoint", "manage.refresh.sharepoint", 2, 0, true, false },
	/* v3, Managed HSM plans: sp.register's anchor (vault.create) is not
	 * there; the resource groups are the HSMs' first step. */
	{ "sp.register", "rg.create", 3, 0, false, true },
};
const size_t steps_prereq_changes_len = CK_ARRAY_LEN(steps_prereq_changes);
