/* v1_md.c: report format 1 as Markdown, frozen (see v1.c). It repeats parts
 * of md.c on purpose: old reports must re-render byte for byte for
 * `verify --report`, so nothing here is shared with the current renderer.
 *
 * md.c of format 1: the session report as Markdown (CommonMark + GFM tables).
 * Untrusted text (from the plan or typed by an operator) is made visible
 * (control/bidi as <U+XXXX>) and every ASCII punctuation character is
 * backslash-escaped, which CommonMark defines as literal: no markup, link or
 * table cell border can be injected. Multi-line text goes in a fenced block
 * whose fence is longer than any backtick run inside it. */
#include "ck.h"
#include "report.h"
#include "report/v1.h"
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

static void md_title(const cJSON *m, struct buf *o)
{
	buf_puts(o, "# Customer Key ceremony report: ");
	md_text(o, rm_str(rm_get(m, "organization"), "name"));
	buf_puts(o, "\n\n");
}

static void md_banner(struct buf *o, const char *id, const char *word)
{
	(void)id;
	buf_printf(o, "> **%s** \u2014 ", word);
}

static void md_summary(const cJSON *m, struct buf *o)
{
	const cJSON *org = rm_get(m, "organization"), *plan = rm_get(m, "plan");
	const cJSON *j = rm_get(m, "journal");
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

/* A GFM table: a header row, then a delimiter row. */
static void md_table(struct buf *o, const char *title, const char *id, const char *const *cols)
{
	(void)id;
	buf_printf(o, "## %s\n\n|", title);
	for (const char *const *c = cols; *c; c++)
		buf_printf(o, " %s |", *c);
	buf_puts(o, "\n|");
	for (const char *const *c = cols; *c; c++)
		buf_puts(o, "---|");
	buf_puts(o, "\n");
}

static void md_sittings(const cJSON *m, struct buf *o)
{
	static const char *const cols[] = { "#", "Opened", "Closed", "Present", NULL };
	const cJSON *it, *x;
	md_table(o, "Sittings", NULL, cols);
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

static void md_state(struct buf *o, const char *state)
{
	buf_printf(o, "**%s**", rm_state_words(state));
}

/* Markdown puts a block after a blank line: the list item ends before it. */
static void md_pre_item(struct buf *o, const char *s)
{
	buf_puts(o, "\n\n");
	md_block(o, s);
}

static void md_section(struct buf *o, const char *title, const char *id)
{
	(void)id;
	buf_printf(o, "## %s\n\n", title);
}

static void md_para_list(struct buf *o, const char *para, const char *id)
{
	(void)id;
	buf_printf(o, "%s\n\n", para);
}

static void md_none(struct buf *o, const char *msg)
{
	buf_printf(o, "%s\n", msg);
}

static void md_step_open(struct buf *o, const cJSON *st, long n)
{
	(void)n;
	buf_puts(o, "### ");
	md_text(o, rm_str(st, "title"));
	buf_puts(o, "\n\n- Step: ");
	md_code(o, rm_str(st, "id"));
	buf_printf(o, " (%s)\n- Owner: operator %s%s%s\n- State: ", rm_str(st, "phase"),
		   rm_str(st, "owner"), rm_bool(st, "witness_required") ? ", witness required" : "",
		   rm_bool(st, "critical") ? ", critical" : "");
}

static const struct rv1_fmt md_fmt = {
	.text = md_text, .code = md_code, .pre_item = md_pre_item, .state = md_state,
	.section = md_section, .para_list = md_para_list, .none = md_none,
	.banner = md_banner, .banner_close = "\n\n",
	.table = md_table, .step_open = md_step_open,
	.row_open = "| ", .cell = " | ", .row_close = " |\n", .table_close = "\n",
	.li = "- ", .li_end = "\n", .br = "\n  - ", .list_close = "\n", .step_close = "\n",
	.code_open = "`", .code_close = "`", .strong_open = "**", .strong_close = "**",
	.checklist_no = " (**no**)",
	/* A paragraph of its own, so a blank line more than "None." gets. */
	.never_approved = "The plan was never approved.\n\n",
};

static void md_steps(const cJSON *m, struct buf *o)
{
	static const char *const cols[] = { "#", "Step", "Owner", "State", NULL };
	const cJSON *it;
	long n = 0;
	md_table(o, "Steps", NULL, cols);
	cJSON_ArrayForEach(it, rm_get(m, "steps")) {
		buf_printf(o, "| %ld | ", ++n);
		md_text(o, rm_str(it, "title"));
		buf_printf(o, " | %s | %s |\n", rm_str(it, "owner"), rm_state_words(rm_str(it, "state")));
	}
	buf_puts(o, "\nSteps with something recorded:\n\n");
	rv1_walk_steps(&md_fmt, m, o);
}

void rv1_render_md(const cJSON *m, struct buf *o)
{
	if (!rm_get(m, "plan")) {
		buf_puts(o, "# Customer Key ceremony report\n\nThe journal holds no usable session.\n");
		return;
	}
	md_title(m, o);
	rv1_walk_banners(&md_fmt, m, o);
	md_summary(m, o);
	rv1_walk_operators(&md_fmt, m, o);
	rv1_walk_plan(&md_fmt, m, o);
	md_sittings(m, o);
	md_steps(m, o);
	rv1_walk_events(&md_fmt, m, o);
	buf_printf(o, "---\n\nJournal head hash: `%s`\n", rm_str(rm_get(m, "journal"), "head"));
}
