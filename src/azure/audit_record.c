/* audit_record.c: what the audit keeps as it goes: a finding added, and the
 * Graph job that resolved a name. The requests (audit.c) and the judging
 * (audit_eval.c) both use them, and audit.c calls the judging, so they sit
 * below both. */
#include "ck.h"
#include "azure/audit_int.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>

void audit_add(struct audit *a, int side, const char *kind, const char *name, const char *check,
	       enum audit_status st, const char *fmt, ...)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->f = xrealloc(a->f, a->cap * sizeof(*a->f));
	}
	struct audit_finding *f = &a->f[a->n++];
	f->side = side;
	f->kind = kind;
	f->name = xstrdup(name ? name : "");
	f->check = check;
	f->status = st;
	f->observed = NULL;
	f->role = NULL;
	va_list ap;
	va_start(ap, fmt);
	f->detail = xvasprintf(fmt, ap);
	va_end(ap);
	a->count[st]++;
}

const struct audit_job *audit_graph(const struct audit_jobs *jobs, int side,
				    enum audit_job_kind kind, const char *name)
{
	for (size_t i = 0; i < jobs->n; i++)
		if (jobs->v[i].kind == kind && jobs->v[i].side == side &&
		    util_strcaseeq(jobs->v[i].name, name))
			return &jobs->v[i];
	return NULL;
}
