/* audit_int.h: shared by audit.c (requests), audit_eval.c (judging),
 * audit_record.c (findings and jobs kept) and audit_out.c (printing) only. */
#ifndef CK_AUDIT_INT_H
#define CK_AUDIT_INT_H

#include "azure/audit.h"

#include <cjson/cJSON.h>

enum audit_job_kind { AJ_SUB, AJ_FEATURE, AJ_PROVIDER, AJ_RG, AJ_VAULT, AJ_KEY, AJ_KEYS,
		      AJ_GRAPH_SP, AJ_GRAPH_USER,
		      /* Managed HSM plans (audit_hsm.c) */
		      AJ_HSM, AJ_HSM_KEY, AJ_HSM_KEYS, AJ_HSM_ROLES, AJ_HSM_DEFS };

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
	/* HSM role assignment and definition lists: every item across the pages */
	cJSON *items;
};

struct audit_jobs {
	struct audit_job *v;
	size_t n, cap;
};

void audit_add(struct audit *a, int side, const char *kind, const char *name, const char *check,
	       enum audit_status st, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void audit_eval(struct audit *a, struct audit_jobs *jobs);
/* The answer of a job as JSON, or NULL after recording why not (a 404 is
 * drift when missing_drift, else unchecked). */
cJSON *aj_json(struct audit *a, const struct audit_job *j, const char *kind, bool missing_drift);
/* One finding: holds, or drift showing seen against want. */
void aj_expect(struct audit *a, const struct audit_job *j, const char *kind, const char *check,
	       bool holds, const char *seen, const char *want);
/* How one key store's keys are judged: a table each, audit_eval.c's for
 * vaults and audit_hsm.c's for Managed HSMs, over one evaluator. */
struct audit_key_store {
	/* the key's versionless URI, as the DEP steps name it */
	char *(*uri)(const struct endpoints *e, const char *store, const char *key);
	const char *const *levels; /* the recovery levels that hold (case ignored) */
	size_t n_levels;
	const char *level_want;    /* the one shown as planned */
	bool expiry;               /* judged on its expiry (none, or 9999-12-31) */
};
/* A key job's answer judged: type, size, operations, enabled, expiry (when
 * ks says), recovery level, and its URI against ks->uri(store, key). */
void audit_key_eval(struct audit *a, const struct audit_job *j, const struct audit_key_store *ks,
		    const char *store, const char *key);
/* The Graph job that resolved name on side, or NULL. */
const struct audit_job *audit_graph(const struct audit_jobs *jobs, int side,
				    enum audit_job_kind kind, const char *name);

/* audit_record.c: a job, and its request with the side's token; the jobs
 * freed with all they hold (also by tests/fuzz/fuzz_azure.c). */
struct audit_job *audit_job_add(struct audit_jobs *jobs, enum audit_job_kind kind, int side,
				size_t idx, const char *name, const char *label);
void audit_jobs_free(struct audit_jobs *jobs);
void audit_req(struct audit_job *j, const char *url, const struct az_token *t);
/* audit.c: read one page of a list job's answer (keys, or HSM role
 * assignments and definitions) into j; the request for the next page, or
 * NULL (last page, or a problem now in j->page_problem). Not static so that
 * tests/fuzz/fuzz_azure.c reads pages as the audit does. */
struct http_req *audit_keys_page(struct audit *a, struct audit_job *j);

/* audit_hsm.c: a Managed HSM plan's side (the HSM, its keys, its local
 * RBAC) instead of vaults, and the judging of those jobs (after
 * audit_eval, whose Graph answers it reads). */
void audit_hsm_build(struct audit *a, struct audit_jobs *jobs, int side,
		     const struct az_token *const tok[AZ_RES_COUNT]);
void audit_hsm_eval(struct audit *a, const struct audit_jobs *jobs);

/* audit_hsm_roles.c, below audit_hsm.c: findings' kind for an HSM; a list
 * job that failed (true: recorded, nothing to judge); the role assignments. */
#define AUDIT_KIND_HSM N_("managed HSM")
bool audit_hsm_list_failed(struct audit *a, const struct audit_job *j, const char *check);
void audit_hsm_roles(struct audit *a, const struct audit_job *j, const struct audit_jobs *jobs);

#endif
