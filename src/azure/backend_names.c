/* backend_names.c: what every backend shares: names of check results, and
 * freeing. The check kinds are named once, by step_check_kind_name(). */
#include "ck.h"
#include "azure/backend.h"
#include "azure/results.h"

#include <stdarg.h>
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
	for (size_t i = 0; i < r->n_args; i++)
		free(r->args[i]);
	free(r->args);
	r->summary = r->detail = NULL;
	r->args = NULL;
	r->n_args = 0;
	r->code = NULL;
}

void check_result_setv(struct check_result *r, int result_id, va_list ap)
{
	const struct result_code *rc = &result_table[result_id];
	for (size_t i = 0; i < r->n_args; i++)
		free(r->args[i]);
	free(r->args);
	free(r->summary);
	r->args = result_args_v(rc, ap, &r->n_args);
	r->code = rc->code;
	r->summary = result_phrase(rc->code, r->args, r->n_args, true);
}

void check_result_set(struct check_result *r, int result_id, ...)
{
	va_list ap;
	va_start(ap, result_id);
	check_result_setv(r, result_id, ap);
	va_end(ap);
}

void backend_free(struct backend *b)
{
	if (b && b->ops && b->ops->free)
		b->ops->free(b);
}
