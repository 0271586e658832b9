/* audit_int.h: shared by audit.c (requests), audit_eval.c (judging),
 * audit_record.c (findings and jobs kept) and audit_out.c (printing) only. */
#ifndef CK_AUDIT_INT_H
#define CK_AUDIT_INT_H

#include "azure/audit.h"

#include <cjson/cJSON.h>

enum audit_job_kind { AJ_SUB, AJ_FEATURE, AJ_PROVIDER, AJ_RG, AJ_VAULT, AJ_KEY, AJ_KEYS,
		      AJ_GRAPH_SP, AJ_GRAPH_USER };

struct audit_job {
	enum audit_job_kind kind;
	int side;
	size_t idx;               /* resource group or DEP index */
	const char *name;         /* Graph: the app ID or UPN looked up */
	char *label;              /* the resource, for findings */
	struct http_req *req;
	/* Graph: the object ID found (NULL: missing or not known) */
	char *object_id;
	bool graph_missing;       /* Graph said 404: no such principal */
	char *graph_problem;      /* Graph: why the lookup failed, and what to do */
	/* key lists: every key name across the pages */
	char **keys;
	size_t n_keys;
	char *page_problem;       /* a page that failed or pointed elsewhere */
};

struct audit_jobs {
	struct audit_job *v;
	size_t n, cap;
};

void audit_add(struct audit *a, int side, const char *kind, const char *name, const char *check,
	       enum audit_status st, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void audit_eval(struct audit *a, struct audit_jobs *jobs);
/* The Graph job that resolved name on side, or NULL. */
const struct audit_job *audit_graph(const struct audit_jobs *jobs, int side,
				    enum audit_job_kind kind, const char *name);

#endif
