/* diag.h: diagnostics in the compiler style, shared by the plan loader, the
 * rules, evidence validation and journal reading.
 *   plan.yaml:12:7: error[CK012]: workloads.exchange.policies[0].regions.B: ...
 *     hint: ...
 */
#ifndef CK_DIAG_H
#define CK_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
	enum diag_severity severity;
	char *id;      /* stable ID: CKnnn for rules, Lnnn for the loader */
	char *path;    /* field path, e.g. workloads.exchange.policies[0].name; may be NULL */
	int line, col; /* 1-based; 0 when there is no position */
	char *message;
	char *hint;    /* how to fix it; may be NULL */
};

/* At most DIAGS_MAX are shown (the first by position once sorted): a broken
 * or hostile input can have tens of thousands, and nobody reads past the
 * first screens. The rest are counted, and still decide the counts and the
 * exit code. */
#define DIAGS_MAX 1000

struct diags {
	struct diag *v;
	size_t n, cap;
	size_t dropped[3];   /* not kept, by severity */
	int dropped_input;   /* a loader (L) error among them */
};

#define DIAGS_INIT { NULL, 0, 0, { 0, 0, 0 }, 0 }

void diags_add(struct diags *d, enum diag_severity sev, const char *id, const char *path,
	       int line, int col, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
/* Kept and not kept. */
size_t diags_count(const struct diags *d, enum diag_severity sev);
/* How many were not kept (past DIAGS_MAX). */
size_t diags_not_shown(const struct diags *d);
/* Stable order: by line, then column, then ID; keeps the first DIAGS_MAX. */
void diags_sort(struct diags *d);
const char *diag_severity_name(enum diag_severity sev);
/* One diagnostic a line (plus its hint); text from the plan made visible;
 * then, if some were not kept, one line saying how many. */
void diags_print_text(const struct diags *d, const char *file, FILE *out);
/* A JSON array of objects {file,line,column,severity,id,path,message,hint}. */
char *diags_to_json(const struct diags *d, const char *file);
void diags_free(struct diags *d);

#endif
