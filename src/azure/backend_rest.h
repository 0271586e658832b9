/* backend_rest.h: the REST backend behind the seam (backend.h): the same
 * checks as `ckwizard audit`, answered per step, each side with its own
 * credential; with --execute, describe and perform write some steps
 * (backend_perform.c).
 *
 * What the session calls, in order:
 *   b = backend_rest_open(plan, inv, &cfg, &err);
 *   backend_sign_in(b, side, &ui, now, &identity, &err)   for each side this
 *        process holds (both in one-terminal mode, its own in two-terminal);
 *        identity goes into the journal with each observation;
 *   backend_check_batch(b, steps, n, now, &ui, results)   all checks of a
 *        screen or phase at once; results as check() gives them;
 *   backend_free(b)                                       wipes the tokens. */
#ifndef CK_BACKEND_REST_H
#define CK_BACKEND_REST_H

#include "azure/backend.h"
#include "azure/entra.h"
#include "inventory.h"
#include "plan.h"

struct backend_rest_config {
	const struct endpoints *ep;   /* borrowed, outlives the backend */
	const char *ca_bundle;        /* NULL: the system's trust store */
	long timeout;                 /* seconds per request; 0: 30 */
	enum az_signin method;
	const char *client_id;        /* device: public client (NULL: Azure CLI's) */
	const char *az_config[CK_SIDES];  /* az: AZURE_CONFIG_DIR per side */
	const char *sp_client[CK_SIDES];  /* cert: application per side */
	const char *cert[CK_SIDES];       /* cert: PEM per side */
};

/* plan and inv are borrowed and must outlive the backend (the session's
 * catalogue owns them). NULL with *err on bad configuration. */
struct backend *backend_rest_open(const struct plan *p, const struct inventory *inv,
				  const struct backend_rest_config *cfg, char **err);

/* How an audit's findings answer one step (exposed for tests): the findings
 * about the step's resource (narrowed or widened by its template: the
 * administrators' step sees their policies only, the validation the whole
 * vault and key); drift is FAIL (PENDING for a feature still registering),
 * anything unchecked is UNAVAILABLE, all holding is PASS; r->detail lists
 * the findings, one "check: detail" a line, then who observed them.
 * Contributors' role assignments and backups are not judged yet. */
struct audit;
void backend_rest_judge(const struct audit *a, const struct step *s, struct check_result *r);

#endif
