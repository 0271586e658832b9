/* audit_record.c: what the audit keeps as it goes: a finding added, a job
 * and its request added (and the jobs freed), and the Graph job that resolved a name. The
 * requests (audit.c, audit_hsm.c) and the judging (audit_eval.c,
 * audit_hsm.c) use them, and audit.c calls both, so they sit below all. */
#include "ck.h"
#include "azure/audit_int.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

struct audit_job *audit_job_add(struct audit_jobs *jobs, enum audit_job_kind kind, int side,
				size_t idx, const char *name, const char *label)
{
	if (jobs->n == jobs->cap) {
		jobs->cap = jobs->cap ? 2 * jobs->cap : 32;
		jobs->v = xrealloc(jobs->v, jobs->cap * sizeof(*jobs->v));
	}
	struct audit_job *j = &jobs->v[jobs->n++];
	memset(j, 0, sizeof(*j));
	j->kind = kind;
	j->side = side;
	j->idx = idx;
	j->name = name;
	j->label = xstrdup(label);
	return j;
}

/* Everything audit_job_add and the reading of answers gave the jobs. */
void audit_jobs_free(struct audit_jobs *jobs)
{
	for (size_t i = 0; i < jobs->n; i++) {
		struct audit_job *j = &jobs->v[i];
		http_req_free(j->req);
		free(j->label);
		free(j->object_id);
		free(j->graph_problem);
		for (size_t k = 0; k < j->n_keys; k++)
			free(j->keys[k]);
		free(j->keys);
		free(j->page_problem);
		cJSON_Delete(j->items);
	}
	free(jobs->v);
	*jobs = (struct audit_jobs){ NULL, 0, 0 };
}

/* A request with the side's token for its resource; what names the resource
 * for messages. */
void audit_req(struct audit_job *j, const char *url, const struct az_token *t)
{
	char *what = xasprintf("%s (%c)", j->label, ck_side_letter(j->side));
	j->req = http_req_new("GET", url, j->side, what);
	j->req->token = t;
	free(what);
}
