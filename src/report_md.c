/* report_md.c: the session report as Markdown (CommonMark + GFM tables).
 * Untrusted text (from the plan or typed by an operator) is made visible
 * (control/bidi as <U+XXXX>) and every ASCII punctuation character is
 * backslash-escaped, which CommonMark defines as literal: no markup, link or
 * table cell border can be injected. Multi-line text goes in a fenced block
 * whose fence is longer than any backtick run inside it. */
#include "ck.h"
#include "report.h"
#include "report_int.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void md_text(struct buf *o, const char *s)
{
	char *v;
	if (!s) {
		buf_puts(o, "\u2014");
		return;
	}
	v = text_visible_line(s);
	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x80 && ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
				 (c >= '[' && c <= '`') || (c >= '{' && c <= '~')))
			buf_putc(o, '\\');
		buf_putc(o, *p);
	}
	free(v);
}

/* Our own tokens (ids, hashes): a code span. */
static void md_code(struct buf *o, const char *s)
{
	char *v = text_visible_line(s ? s : "");
	bool tick = strchr(v, '`') != NULL;
	buf_puts(o, tick ? "`` " : "`");
	buf_puts(o, v);
	buf_puts(o, tick ? " ``" : "`");
	free(v);
}

static void md_block(struct buf *o, const char *s)
{
	char *v = text_visible(s ? s : "");
	size_t run = 0, longest = 0;
	for (const char *p = v; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		buf_putc(o, '`');
	buf_puts(o, "text\n");
	buf_puts(o, v);
	if (!*v || v[strlen(v) - 1] != '\n')
		buf_putc(o, '\n');
	for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
		buf_putc(o, '`');
	buf_puts(o, "\n\n");
	free(v);
}

static void md_or_dash(struct buf *o, const char *s)
{
	buf_puts(o, s ? s : "\u2014");
}

static void md_signers(struct buf *o, const cJSON *arr)
{
	const cJSON *it;
	bool first = true;
	cJSON_ArrayForEach(it, arr) {
		buf_printf(o, "%s%s", first ? "" : " and ", it->valuestring);
		first = false;
	}
}

static void md_head(const cJSON *m, struct buf *o)
{
	const cJSON *org = rm_get(m, "organization"), *plan = rm_get(m, "plan");
	const cJSON *j = rm_get(m, "journal");
	buf_puts(o, "# Customer Key ceremony report: ");
	md_text(o, rm_str(org, "name"));
	buf_puts(o, "\n\n");
	if (rm_bool(m, "rehearsal"))
		buf_puts(o, "> **REHEARSAL** \u2014 a practice run against the built-in simulator. "
			    "Nothing here happened in Azure.\n\n");
	if (rm_bool(m, "demo_keys"))
		buf_puts(o, "> **DEMO KEYS** \u2014 the bundled demo operators signed this journal: "
			    "it proves nothing about real people.\n\n");
	if (rm_str(m, "problem")) {
		buf_puts(o, "> **JOURNAL PROBLEM** \u2014 ");
		md_text(o, rm_str(m, "problem"));
		buf_puts(o, "\n\n");
	}
	buf_puts(o, "| | |\n|---|---|\n| Organisation | ");
	md_text(o, rm_str(org, "name"));
	buf_puts(o, " |\n| Tenant | ");
	md_text(o, rm_str(org, "tenant_domain"));
	buf_puts(o, " (");
	md_text(o, rm_str(org, "tenant_id"));
	buf_printf(o, ") |\n| Status | %s |\n| Mode | %s |\n| Tool | ",
		   strcmp(rm_str(m, "status"), "closed") == 0 ? "closed" : "**open**", rm_str(m, "mode"));
	md_text(o, rm_str(m, "tool"));
	buf_puts(o, " |\n| Opened | ");
	md_or_dash(o, rm_str(m, "opened"));
	buf_puts(o, " |\n| Last event | ");
	md_or_dash(o, rm_str(m, "as_of"));
	buf_printf(o, " |\n| Plan | version %ld, SHA-256 `%s` |\n", rm_num(plan, "version"),
		   rm_str(plan, "sha256"));
	buf_printf(o, "| Plan verification | %s |\n",
		   rm_bool(plan, "verified") ? "verified" : "**not verified**");
	buf_printf(o, "| Journal | %ld events |\n\n", rm_num(j, "events"));
	buf_printf(o, "**Journal head hash (note it on paper):** `%s`\n\n", rm_str(j, "head"));
}

static void md_operators(const cJSON *m, struct buf *o)
{
	const cJSON *it;
	char roles[64];
	buf_puts(o, "## Operators\n\n| Side | Name | UPN | Key fingerprint | Roles |\n"
		    "|---|---|---|---|---|\n");
	cJSON_ArrayForEach(it, rm_get(m, "operators")) {
		buf_printf(o, "| %s | ", rm_str(it, "side"));
		md_text(o, rm_str(it, "name"));
		buf_puts(o, " | ");
		md_text(o, rm_str(it, "upn"));
		buf_puts(o, " | ");
		md_code(o, rm_str(it, "fingerprint"));
		rm_roles(it, roles, sizeof roles);
		buf_printf(o, " | %s |\n", roles);
	}
	buf_putc(o, '\n');
}

static void md_plan(const cJSON *m, struct buf *o)
{
	const cJSON *it, *x;
	buf_puts(o, "## Plan approval and verification\n\n");
	if (!rm_len(m, "plan_history"))
		buf_puts(o, "The plan was never approved.\n\n");
	cJSON_ArrayForEach(it, rm_get(m, "plan_history")) {
		const char *ev = rm_str(it, "event");
		buf_printf(o, "- %s (line %ld): version %ld `%s` %s by operator ", rm_str(it, "time"),
			   rm_num(it, "line"), rm_num(it, "version"), rm_str(it, "sha256"),
			   strcmp(ev, "approve") == 0 ? "approved" :
			   strcmp(ev, "verify") == 0 ? "verified" : "amended, signed");
		md_signers(o, rm_get(it, "signed_by"));
		buf_puts(o, "\n");
		if (strcmp(ev, "verify") == 0) {
			buf_puts(o, "  - checklist answered yes:");
			for (x = rm_get(it, "checklist") ? rm_get(it, "checklist")->child : NULL; x; x = x->next) {
				buf_puts(o, " ");
				md_code(o, x->string);
				if (!cJSON_IsTrue(x))
					buf_puts(o, " (**no**)");
			}
			buf_puts(o, "\n  - warnings acknowledged:");
			if (!rm_len(it, "acknowledged"))
				buf_puts(o, " none");
			cJSON_ArrayForEach(x, rm_get(it, "acknowledged")) {
				buf_puts(o, " ");
				md_code(o, x->valuestring);
			}
			buf_puts(o, "\n");
		} else if (rm_str(it, "diff")) {
			buf_puts(o, "\n");
			md_block(o, rm_str(it, "diff"));
		}
	}
	buf_puts(o, "\n");
	if (rm_len(rm_get(m, "plan"), "warnings")) {
		buf_puts(o, "Rule warnings of the current version:\n\n");
		cJSON_ArrayForEach(it, rm_get(rm_get(m, "plan"), "warnings")) {
			buf_puts(o, "- ");
			md_code(o, rm_str(it, "id"));
			buf_puts(o, " ");
			md_text(o, rm_str(it, "message"));
			buf_puts(o, "\n");
		}
		buf_puts(o, "\n");
	}
}

static void md_sittings(const cJSON *m, struct buf *o)
{
	const cJSON *it, *x;
	buf_puts(o, "## Sittings\n\n| # | Opened | Closed | Present |\n|---|---|---|---|\n");
	cJSON_ArrayForEach(it, rm_get(m, "sittings")) {
		buf_printf(o, "| %ld | %s | ", rm_num(it, "number"), rm_str(it, "opened"));
		md_or_dash(o, rm_str(it, "closed"));
		buf_puts(o, " |");
		cJSON_ArrayForEach(x, rm_get(it, "present"))
			buf_printf(o, " %s", x->valuestring);
		buf_puts(o, " |\n");
	}
	buf_putc(o, '\n');
}

static void md_step(const cJSON *st, struct buf *o)
{
	const cJSON *w = rm_get(st, "wait"), *c = rm_get(st, "check"), *it;
	buf_puts(o, "### ");
	md_text(o, rm_str(st, "title"));
	buf_puts(o, "\n\n- Step: ");
	md_code(o, rm_str(st, "id"));
	buf_printf(o, " (%s)\n- Owner: operator %s%s%s\n- State: **%s**", rm_str(st, "phase"),
		   rm_str(st, "owner"), rm_bool(st, "witness_required") ? ", witness required" : "",
		   rm_bool(st, "critical") ? ", critical" : "", rm_state_words(rm_str(st, "state")));
	if (rm_str(st, "blocked_by")) {
		buf_puts(o, " (needs ");
		md_code(o, rm_str(st, "blocked_by"));
		buf_puts(o, ")");
	}
	buf_puts(o, "\n");
	if (rm_str(st, "confirmed_by"))
		buf_printf(o, "- Confirmed by operator %s at %s\n", rm_str(st, "confirmed_by"),
			   rm_str(st, "confirmed_at"));
	if (rm_str(st, "witnessed_by"))
		buf_printf(o, "- Witnessed by operator %s at %s\n", rm_str(st, "witnessed_by"),
			   rm_str(st, "witnessed_at"));
	if (cJSON_IsObject(w)) {
		if (rm_get(w, "hours")) {
			buf_printf(o, "- Wait: %ld hours", rm_num(w, "hours"));
			if (rm_str(w, "until"))
				buf_printf(o, ", until %s", rm_str(w, "until"));
		} else {
			buf_puts(o, "- Wait for: ");
			md_text(o, rm_str(w, "event"));
			if (rm_str(w, "arrived")) {
				buf_printf(o, "; arrived %s: ", rm_str(w, "arrived_at"));
				md_text(o, rm_str(w, "arrived"));
			}
		}
		buf_puts(o, "\n");
	}
	cJSON_ArrayForEach(it, rm_get(st, "evidence")) {
		buf_puts(o, "- Evidence ");
		md_code(o, rm_str(it, "id"));
		buf_puts(o, " (");
		md_text(o, rm_str(it, "label"));
		buf_printf(o, ", line %ld): ", rm_num(it, "line"));
		if (rm_str(it, "value") && strchr(rm_str(it, "value"), '\n')) {
			buf_puts(o, "\n\n");
			md_block(o, rm_str(it, "value"));
		} else {
			md_code(o, rm_str(it, "value"));
			buf_puts(o, "\n");
		}
	}
	if (cJSON_IsObject(c)) {
		buf_printf(o, "- %s at %s: **%s** \u2014 ", rm_bool(c, "performed") ? "Performed (simulator)"
										: "Check", rm_str(c, "at"), rm_str(c, "status"));
		md_text(o, rm_str(c, "summary"));
		buf_puts(o, "\n");
		if (rm_len_str(c, "detail")) {
			buf_puts(o, "\n");
			md_block(o, rm_str(c, "detail"));
		}
	}
	if (rm_str(st, "skip_reason")) {
		buf_puts(o, "- Skipped: ");
		md_text(o, rm_str(st, "skip_reason"));
		buf_puts(o, "\n");
	}
	buf_putc(o, '\n');
}

static void md_steps(const cJSON *m, struct buf *o)
{
	const cJSON *it;
	long n = 0;
	buf_puts(o, "## Steps\n\n| # | Step | Owner | State |\n|---|---|---|---|\n");
	cJSON_ArrayForEach(it, rm_get(m, "steps")) {
		buf_printf(o, "| %ld | ", ++n);
		md_text(o, rm_str(it, "title"));
		buf_printf(o, " | %s | %s |\n", rm_str(it, "owner"), rm_state_words(rm_str(it, "state")));
	}
	buf_puts(o, "\nSteps with something recorded:\n\n");
	cJSON_ArrayForEach(it, rm_get(m, "steps"))
		if (rm_step_active(it))
			md_step(it, o);
}

static void md_events(const cJSON *m, struct buf *o)
{
	const cJSON *it;
	buf_puts(o, "## Deviations and skips\n\n");
	if (!rm_len(m, "deviations"))
		buf_puts(o, "None.\n");
	cJSON_ArrayForEach(it, rm_get(m, "deviations")) {
		buf_printf(o, "- %s (line %ld): %s", rm_str(it, "time"), rm_num(it, "line"),
			   rm_str(it, "kind"));
		if (rm_str(it, "step")) {
			buf_puts(o, " of ");
			md_code(o, rm_str(it, "step"));
		}
		if (rm_get(it, "torn_offset"))
			buf_printf(o, " (torn journal tail at byte %ld set aside)", rm_num(it, "torn_offset"));
		buf_puts(o, ", signed by ");
		md_signers(o, rm_get(it, "signed_by"));
		buf_puts(o, ": ");
		md_text(o, rm_str(it, "reason"));
		buf_puts(o, "\n");
	}
	buf_puts(o, "\n## Notes\n\n");
	if (!rm_len(m, "notes"))
		buf_puts(o, "None.\n");
	cJSON_ArrayForEach(it, rm_get(m, "notes")) {
		buf_printf(o, "- %s (line %ld), operator %s: ", rm_str(it, "time"), rm_num(it, "line"),
			   rm_str(it, "by"));
		md_text(o, rm_str(it, "text"));
		buf_puts(o, "\n");
	}
	if (rm_len(m, "clock")) {
		buf_puts(o, "\n## Simulated clock\n\n");
		cJSON_ArrayForEach(it, rm_get(m, "clock"))
			buf_printf(o, "- %s (line %ld): operator %s moved the rehearsal clock forward "
				      "%ld s\n", rm_str(it, "time"), rm_num(it, "line"), rm_str(it, "by"),
				   rm_num(it, "seconds"));
	}
	buf_puts(o, "\n## Open items\n\n");
	if (!rm_len(m, "open_items"))
		buf_puts(o, "None: every step is done or skipped.\n");
	cJSON_ArrayForEach(it, rm_get(m, "open_items")) {
		buf_puts(o, "- ");
		md_code(o, rm_str(it, "id"));
		buf_puts(o, " ");
		md_text(o, rm_str(it, "title"));
		buf_printf(o, ": %s\n", rm_state_words(rm_str(it, "state")));
	}
	buf_printf(o, "\n---\n\nJournal head hash: `%s`\n", rm_str(rm_get(m, "journal"), "head"));
}

void report_render_md(const cJSON *m, struct buf *o)
{
	if (!rm_get(m, "plan")) {
		buf_puts(o, "# Customer Key ceremony report\n\nThe journal holds no usable session.\n");
		return;
	}
	md_head(m, o);
	md_operators(m, o);
	md_plan(m, o);
	md_sittings(m, o);
	md_steps(m, o);
	md_events(m, o);
}
