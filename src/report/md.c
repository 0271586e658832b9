/* md.c: the session report as Markdown (CommonMark + GFM tables).
 *
 * Untrusted text (from the plan or typed by an operator) is made visible
 * (control and bidi characters as <U+XXXX>, one line) and then only what
 * Markdown would read as markup is backslash-escaped, so names and times
 * read as they are written ("contoso.onmicrosoft.com", "14:02"):
 *   \ ` * [ ] < > & | ~    always (code, emphasis, links, HTML, entities,
 *                          table cells, strikethrough);
 *   _                      unless between two letters or digits, where it
 *                          can neither open nor close emphasis;
 *   :                      before "//" (GFM autolinks a scheme's URL);
 *   .                      after a word "www" (GFM autolinks www.).
 * Text is never at the start of a line, so block markers (#, -, +, 1.) need
 * nothing. Multi-line text goes in a fenced block whose fence is longer than
 * any backtick run inside it. */
#include "ck.h"
#include "report/fmt.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool md_alnum(const char *v, const char *p)
{
	return p >= v && *p && (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80);
}

static bool md_needs_escape(const char *v, const char *p)
{
	switch (*p) {
	case '\\': case '`': case '*': case '[': case ']': case '<': case '>': case '&':
	case '|': case '~':
		return true;
	case '_':
		return !(md_alnum(v, p - 1) && md_alnum(v, p + 1));
	case ':':
		return p[1] == '/' && p[2] == '/';
	case '.':
		return p - v >= 3 && strncasecmp(p - 3, "www", 3) == 0 &&
		       (p - v == 3 || !md_alnum(v, p - 4));
	default:
		return false;
	}
}

static void md_text(struct buf *o, const char *s)
{
	char *v;
	if (!s) {
		buf_puts(o, "\u2014");
		return;
	}
	v = text_visible_line(s);
	for (const char *p = v; *p; p++) {
		if (md_needs_escape(v, p))
			buf_putc(o, '\\');
		buf_putc(o, *p);
	}
	free(v);
}

/* A code span: nothing inside is markup; a backtick inside gets a longer fence. */
static void md_code(struct buf *o, const char *s)
{
	char *v = text_visible_line(s ? s : "");
	bool tick = strchr(v, '`') != NULL;
	buf_puts(o, tick ? "`` " : "`");
	/* A pipe still ends a GFM table cell inside a code span. */
	for (const char *p = v; *p; p++) {
		if (*p == '|')
			buf_putc(o, '\\');
		buf_putc(o, *p);
	}
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
	/* A fence starts a block of its own: after a blank line. */
	while (o->len < 2 || o->p[o->len - 1] != '\n' || o->p[o->len - 2] != '\n')
		buf_putc(o, '\n');
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

static void md_doc_open(struct buf *o, const struct report_model *m)
{
	report_lang_md_mark(o, m->lang);
	buf_printf(o, "# %s", _("Customer Key ceremony report"));
	if (m->plan) {
		buf_puts(o, ": ");
		md_text(o, m->org_name);
	}
	buf_puts(o, "\n\n");
}

static void md_doc_close(struct buf *o)
{
	(void)o;
}

static void md_anchor(struct buf *o, const char *id)
{
	buf_printf(o, "<a id=\"%s\"></a>", id);
}

static void md_heading(struct buf *o, int level, const char *id)
{
	if (id)
		buf_printf(o, "<a id=\"%s\"></a>\n\n", id);
	for (int i = 0; i < level; i++)
		buf_putc(o, '#');
	buf_putc(o, ' ');
}

static void md_link(struct buf *o, const char *id, const char *words)
{
	buf_printf(o, "[%s](#%s)", words, id);
}

static void md_banner(struct buf *o, const char *id, const char *word)
{
	(void)id;
	buf_printf(o, "> **%s** \u2014 ", word);
}

static void md_state(struct buf *o, const char *key, const char *words)
{
	(void)key;
	buf_printf(o, "**%s**", words);
}

static void md_table(struct buf *o, const char *id, const char *const *cols)
{
	(void)id;
	buf_puts(o, "|");
	for (const char *const *c = cols; *c; c++)
		buf_printf(o, " %s |", **c ? _(*c) : "");
	buf_puts(o, "\n|");
	for (const char *const *c = cols; *c; c++)
		buf_puts(o, "---|");
	buf_puts(o, "\n");
}

static const struct report_fmt md_fmt = {
	.text = md_text, .code = md_code, .block = md_block,
	.doc_open = md_doc_open, .doc_close = md_doc_close,
	.heading = md_heading, .heading_end = { "", "\n\n", "\n\n", "\n\n" },
	.anchor = md_anchor, .link = md_link,
	.banner = md_banner, .banner_close = "\n\n",
	.state = md_state, .table = md_table,
	.row_open = "| ", .cell = " | ", .row_close = " |\n", .table_close = "\n",
	.ul_open = "", .li = "- ", .li_end = "\n", .ul_close = "\n",
	.p_open = "", .p_close = "\n\n",
	.strong_open = "**", .strong_close = "**", .code_open = "`", .code_close = "`",
	.step_open = "", .step_close = "",
	.head_open = "**", .head_mid = "** `", .head_close = "`\n\n",
	.block_ends_item = true,
};

void report_render_md(const struct report_model *m, struct buf *out)
{
	report_walk(&md_fmt, m, out);
}
