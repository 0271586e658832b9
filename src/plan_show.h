/* plan_show.h: the inventory as the second operator reads it (text and JSON),
 * and the generated reference tables of plans/README.md. */
#ifndef CK_PLAN_SHOW_H
#define CK_PLAN_SHOW_H

#include "diag.h"
#include "inventory.h"
#include "plan.h"

#include <stdio.h>

/* Every plan string passes through text_visible() before it is printed. */
void plan_show_text(const struct plan *p, const struct inventory *inv, FILE *out);
/* A JSON object (caller frees); d (may be NULL) adds the diagnostics. */
char *plan_show_json(const struct plan *p, const struct inventory *inv, const struct diags *d);
/* The generated part of plans/README.md: fields, rules, regions. */
char *plan_show_doc_markdown(void);

#endif
