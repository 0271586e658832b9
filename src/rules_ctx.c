/* rules_ctx.c: the rule checks' emitter at a field path of the plan. It needs
 * the loader's positions (plan_pos), so it sits above plan_load.c and below
 * the checks (plan_rules_*.c), unlike the plain emitters in rules.c, which the
 * loader itself uses. */
#include "ck.h"
#include "plan.h"
#include "rules.h"

#include <stdarg.h>

void rules_at(const struct rules_ctx *c, const char *id, const char *path, const char *fmt, ...)
{
	int line, col;
	plan_pos(c->p, path, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	rules_vemit(c->d, id, path, line, col, fmt, ap);
	va_end(ap);
}
