/* audit.h: `ckwizard audit PLAN`: a read-only check of a plan's whole
 * inventory against Azure, every request in one parallel batch. Each check
 * ends as a finding: it holds, it drifted (what was seen against what the
 * plan says), or it could not be checked (and why). doc/azure.md lists every
 * check with the fields it reads. */
#ifndef CK_AUDIT_H
#define CK_AUDIT_H

#include "azure/endpoints.h"
#include "azure/entra.h"
#include "azure/http.h"
#include "inventory.h"
#include "plan.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

enum audit_status { AUDIT_HOLDS, AUDIT_DRIFT, AUDIT_UNCHECKED, AUDIT_NSTATUS };

struct audit_finding {
	int side;
	const char *kind;         /* "subscription", "vault", ... (N_) */
	char *name;               /* the resource */
	const char *check;        /* "state", "purge protection", ... (N_) */
	enum audit_status status;
	char *detail;             /* what was seen, or why it could not be checked */
	char *observed;           /* the value Azure showed (made visible), or NULL */
	const char *role;         /* access policies: "administrator", "service
				   * principal", "unplanned", "auditor" or
				   * "unresolved"; NULL for other checks */
};

struct audit_side {
	struct az_cred *cred;     /* NULL: this side is not audited */
	const char *expect_upn;   /* the operator the plan names for this side */
	const char *expect_oid;   /* ... and their object ID, when the plan gives it */
	const char *expect_app;   /* cert sign-in: the application given for it */
	/* filled by audit_run */
	char *identity;           /* who signed in (claims only, never the token) */
	char *oid;                /* the signed-in identity's object ID */
	char *problem;            /* sign-in failed or was refused: why */
	bool refused;             /* the identity is not the plan's for this side */
};

struct audit {
	const struct plan *plan;
	const struct inventory *inv;
	const struct endpoints *ep;
	struct http_client *http;
	struct audit_side side[CK_SIDES];
	struct audit_finding *f;
	size_t n, cap;
	size_t count[AUDIT_NSTATUS];
	size_t requests;          /* HTTP requests made (pages included) */
};

/* Sign in each audited side, check its identity, then run every check.
 * Returns 0; findings and problems are in a. */
int audit_run(struct audit *a, time_t now);
/* 0 all holds, 1 drift, 3 something could not be checked, 4 a sign-in was
 * refused (wrong identity); drift outranks unchecked: it is certain. */
int audit_exit_code(const struct audit *a);
void audit_print_text(const struct audit *a, FILE *out);
/* The whole result as JSON (caller frees). */
char *audit_json(const struct audit *a);
void audit_free(struct audit *a);

/* Offer types (subscriptionPolicies.quotaId prefixes) Customer Key does not
 * accept; doc/azure.md gives the source. NULL-terminated. */
extern const char *const audit_refused_quota_prefixes[];

#endif
