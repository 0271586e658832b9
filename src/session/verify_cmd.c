/* verify_cmd.c: the `ckwizard verify` command that checks this session
 * later, with its journal, plan, report and head, quoted for a POSIX shell
 * (the end screen shows it for the operators to keep). */
#include "ck.h"
#include "quote.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>

void session_verify_command(const struct session *s, struct buf *out)
{
	const char *dir = session_dir(s) ? session_dir(s) : ".";
	const char *plan = session_plan_path(s) ? session_plan_path(s) : "plan.yaml";
	char *jp = xasprintf("%s/journal.jsonl", dir), *rp = xasprintf("%s/report.json", dir);
	buf_puts(out, "ckwizard verify ");
	quote_sh(out, jp);
	buf_puts(out, " --plan ");
	quote_sh(out, plan);
	buf_puts(out, " --report ");
	quote_sh(out, rp);
	buf_printf(out, " --head %s", session_head(s));
	free(jp);
	free(rp);
}
