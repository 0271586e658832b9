/* backend_names.c: what every backend shares: names of check results, and
 * freeing. The check kinds are named once, by step_check_kind_name(). */
#include "ck.h"
#include "azure/backend.h"

#include <stdlib.h>

/* Recorded in journals: never renamed. */
static const char *const status_names[] = {
	[CHECK_PASS] = "pass",
	[CHECK_FAIL] = "fail",
	[CHECK_PENDING] = "pending",
	[CHECK_UNAVAILABLE] = "unavailable",
};

const char *check_status_name(enum check_status st)
{
	return (unsigned)st < CK_ARRAY_LEN(status_names) ? status_names[st] : "?";
}

void check_result_free(struct check_result *r)
{
	if (!r)
		return;
	free(r->summary);
	free(r->detail);
	r->summary = r->detail = NULL;
}

void backend_free(struct backend *b)
{
	if (b && b->ops && b->ops->free)
		b->ops->free(b);
}
