/* runbook.h: the whole ordered procedure of a plan as a printable ceremony
 * binder (Markdown) or as data (JSON), from the step catalogue. Used by
 * `ckwizard runbook`; deterministic for a given catalogue, shell and date
 * (catalogue->today), so it can be compared with a golden file. */
#ifndef CK_RUNBOOK_H
#define CK_RUNBOOK_H

#include "buf.h"
#include "steps.h"

#include <stddef.h>

struct runbook_opts {
	enum step_shell shell;
	const char *plan_name;   /* shown as given (callers pass the file's base name) */
	size_t warnings;         /* the plan's warnings, shown in the header */
	evidence_get_fn get;     /* NULL: nothing recorded yet (placeholders) */
	void *ctx;
};

void runbook_markdown(const struct catalogue *c, const struct runbook_opts *o, struct buf *out);
/* JSON text (cJSON_Print form), ending in a newline. */
void runbook_json(const struct catalogue *c, const struct runbook_opts *o, struct buf *out);

/* The reference table of every step template, for doc/steps.md. */
void runbook_templates_markdown(struct buf *out);

#endif
