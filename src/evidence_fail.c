/* evidence_fail.c: how an evidence check says no: the field's label, then
 * why. In its own file below evidence.c, evidence_access.c and
 * evidence_version.c, which all phrase refusals this way; evidence.c calls
 * the other two, so the phrasing cannot live in it without a circle. */
#include "ck.h"
#include "steps_int.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>

int steps_evidence_fail(char **err, const struct evidence_spec *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (err)
		*err = xasprintf("%s: %s", e ? _(e->label) : _("Evidence"), msg);
	free(msg);
	return -1;
}
