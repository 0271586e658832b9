/* rules.h: every diagnostic ID ckwizard's plan checking can emit, in one
 * table (rules.c): loader IDs (Lnnn: unusable input, exit 2) and plan rules
 * (CKnnn: the plan breaks a rule, exit 1 for errors). The same table gives
 * each diagnostic its severity and fix hint, and generates the rule list in
 * plans/README.md. */
#ifndef CK_RULES_H
#define CK_RULES_H

#include "diag.h"
#include "inventory.h"
#include "plan.h"

#include <stdarg.h>

struct rules_ctx {
	const struct plan *p;
	const struct inventory *inv; /* may be NULL */
	struct diags *d;
};

struct rule {
	const char *id;
	enum diag_severity severity;
	const char *what;   /* what the rule demands, N_() (documentation) */
	const char *hint;   /* how to fix, N_() */
	/* The function that checks it, if any, is in plan_rules.c's table;
	 * otherwise another stage emits the ID (loader, field table, inventory). */
};

extern const struct rule rules_table[];
extern const unsigned rules_n;

const struct rule *rules_find(const char *id);
/* The step catalogue version a rule came with (1 for the first rules). */
unsigned rules_catalogue_since(const char *id);
/* Add a diagnostic with the table's severity and hint for id. */
void rules_emit(struct diags *d, const char *id, const char *path, int line, int col,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void rules_vemit(struct diags *d, const char *id, const char *path, int line, int col,
		 const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
/* The same at a field path's position in the plan (rules_ctx.c). */
void rules_at(const struct rules_ctx *c, const char *id, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Run every rule over a loaded plan (inv may be NULL: name rules then skip).
 * In plan_rules.c, above the checks, like rules_doc_markdown. */
void rules_check(const struct plan *p, const struct inventory *inv, struct diags *d);

/* The exit code for a set of diagnostics: 2 if any loader (L) error, 1 if any
 * other error, else 0. */
int rules_exit_code(const struct diags *d);

/* Markdown table of every rule (for plans/README.md). */
char *rules_doc_markdown(void);

#endif
