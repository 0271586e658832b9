/* bench_audit.c PLAN ENDPOINTS CA AZ_CONFIG_A AZ_CONFIG_B: `make bench` only.
 * The audit of a plan's whole inventory as `ckwizard audit --sign-in az`
 * runs it, but without the plan rules, so that an inventory beyond the
 * rules' caps (1,000 vaults) can be measured. Not installed, not reachable
 * from ckwizard: users only ever audit a plan that passes `check`.
 * Prints the summary line; exits as `audit` does. */
#include "config.h"
#include "azure/audit.h"
#include "azure/endpoints.h"
#include "azure/entra.h"
#include "azure/http.h"
#include "inventory.h"
#include "plan.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc != 6) {
		fputs("usage: bench_audit PLAN ENDPOINTS CA AZ_CONFIG_A AZ_CONFIG_B\n", stderr);
		return 2;
	}
	char *err = NULL;
	struct endpoints *ep = endpoints_load(argv[2], &err);
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load(argv[1], &d);
	struct inventory *inv = p ? inventory_build(p, &d) : NULL;
	diags_free(&d);
	if (!ep || !inv) {
		fprintf(stderr, "bench_audit: %s\n", err ? err : "the plan could not be loaded");
		return 2;
	}
	struct http_client http;
	http_client_init(&http, ep);
	http.ca_bundle = argv[3];
	struct az_cred cred[CK_SIDES];
	struct audit au;
	memset(&au, 0, sizeof(au));
	au.plan = p;
	au.inv = inv;
	au.ep = ep;
	au.http = &http;
	for (int s = 0; s < CK_SIDES; s++) {
		az_cred_init(&cred[s], AZ_SIGNIN_AZ, s, &http, p->org.tenant_id);
		const struct plan_operator *op = &p->op[p->sub[s].operator_side];
		cred[s].who = op->upn;
		cred[s].az_config = xstrdup(argv[4 + s]);
		au.side[s].expect_upn = op->upn;
		au.side[s].cred = &cred[s];
	}
	audit_run(&au, time(NULL));
	for (int s = 0; s < CK_SIDES; s++) {
		az_cred_free(&cred[s]);
	}
	printf("%zu checks: %zu hold, %zu drifted, %zu could not be checked (%zu requests)\n",
	       au.n, au.count[AUDIT_HOLDS], au.count[AUDIT_DRIFT], au.count[AUDIT_UNCHECKED],
	       au.requests);
	int rc = audit_exit_code(&au);
	audit_free(&au);
	http_client_cleanup(&http);
	inventory_free(inv);
	plan_free(p);
	endpoints_free(ep);
	return rc;
}
