/* html.c: the session report as one self-contained HTML file: inline
 * CSS with print styles, no scripts, no external resources (a CSP meta tag
 * says so to the browser too); links only within the page. Untrusted text
 * is made visible (control and bidi characters as <U+XXXX>) and then
 * escaped for HTML. */
#include "ck.h"
#include "report/fmt.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char html_css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;"
	"max-width:1200px;margin:2em auto;padding:0 1.5em}"
	"h1{font-size:1.6em;margin:.2em 0 .6em}h2{font-size:1.25em;border-bottom:2px solid #ccd;"
	"padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em;margin:1.4em 0 .3em}"
	"table{border-collapse:collapse;width:100%;margin:.6em 0}"
	"th,td{border:1px solid #ccd;padding:.3em .5em;text-align:left;vertical-align:top}"
	"th{background:#eef0f6}#summary td:first-child{font-weight:600;width:10em;"
	"background:#f6f7fb}code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
	"font-size:.92em}code{overflow-wrap:anywhere}#steps-table code{color:#555;font-size:.8em}"
	"pre{background:#f5f6f8;border:1px solid #dde;padding:.5em;white-space:pre-wrap;"
	"overflow-wrap:anywhere;margin:.3em 0}a{color:#1a4fa0}"
	".banner{border:2px solid #b00;background:#fff0f0;color:#800;padding:.6em 1em;"
	"margin:.6em 0;font-weight:600}"
	".head{font-size:1.1em;border:2px solid #335;padding:.6em 1em;background:#f3f5fb}"
	".st{display:inline-block;padding:0 .5em;border-radius:.6em;font-size:.9em;"
	"border:1px solid #999;white-space:nowrap}"
	".st-done{background:#e3f4e3;border-color:#5a5}.st-skipped{background:#f2f2f2}"
	".st-failed{background:#fde2e2;border-color:#c44}"
	".st-waiting-time,.st-waiting-event,.st-waiting-witness{background:#fff4d6;border-color:#c90}"
	".step{border-left:4px solid #ccd;padding-left:.8em;margin:1em 0}"
	".step ul{margin:.2em 0;padding-left:1.2em}"
	".wm{position:fixed;top:40%;left:0;width:100%;text-align:center;font-size:110px;"
	"font-weight:800;color:rgba(200,0,0,.10);transform:rotate(-30deg);pointer-events:none;"
	"z-index:10;letter-spacing:.1em}"
	"@media print{body{max-width:none;margin:0;font-size:11px}"
	"h2{break-after:avoid}.step,tr{break-inside:avoid}"
	".wm{color:rgba(200,0,0,.14)}a{color:inherit;text-decoration:none}}";

static void h_text(struct buf *o, const char *s)
{
	char *v;
	if (!s) {
		buf_puts(o, "\u2014");
		return;
	}
	v = text_visible(s);
	for (const char *p = v; *p; p++) {
		switch (*p) {
		case '&': buf_puts(o, "&amp;"); break;
		case '<': buf_puts(o, "&lt;"); break;
		case '>': buf_puts(o, "&gt;"); break;
		case '"': buf_puts(o, "&quot;"); break;
		case '\'': buf_puts(o, "&#39;"); break;
		default: buf_putc(o, *p);
		}
	}
	free(v);
}

static void h_code(struct buf *o, const char *s)
{
	buf_puts(o, "<code>");
	h_text(o, s);
	buf_puts(o, "</code>");
}

static void h_block(struct buf *o, const char *s)
{
	buf_puts(o, "<pre>");
	h_text(o, s);
	buf_puts(o, "</pre>\n");
}

static void h_doc_open(struct buf *o, const struct report_model *m)
{
	buf_printf(o, "<!DOCTYPE html>\n<html lang=\"%s\">\n", m->lang);
	buf_puts(o, "<head>\n<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'\">\n<title>");
	buf_puts(o, _("Customer Key ceremony report"));
	if (m->plan) {
		buf_puts(o, ": ");
		h_text(o, m->org_name);
	}
	buf_printf(o, "%s%s%s</title>\n<style>%s</style>\n</head>\n<body>\n",
		   m->rehearsal ? " (" : "", m->rehearsal ? _("REHEARSAL") : "",
		   m->rehearsal ? ")" : "", html_css);
	if (m->rehearsal)
		buf_printf(o, "<div class=\"wm\" aria-hidden=\"true\">%s</div>\n", _("REHEARSAL"));
	buf_printf(o, "<h1>%s", _("Customer Key ceremony report"));
	if (m->plan) {
		buf_puts(o, ": ");
		h_text(o, m->org_name);
	}
	buf_puts(o, "</h1>\n");
}

static void h_doc_close(struct buf *o)
{
	buf_puts(o, "</body>\n</html>\n");
}

static void h_heading(struct buf *o, int level, const char *id)
{
	if (id)
		buf_printf(o, "<h%d id=\"%s\">", level, id);
	else
		buf_printf(o, "<h%d>", level);
}

static void h_anchor(struct buf *o, const char *id)
{
	buf_printf(o, "<span id=\"%s\"></span>", id);
}

static void h_link(struct buf *o, const char *id, const char *words)
{
	buf_printf(o, "<a href=\"#%s\">%s</a>", id, words);
}

static void h_banner(struct buf *o, const char *id, const char *word)
{
	buf_printf(o, "<p class=\"banner\" id=\"%s\">%s \u2014 ", id, word);
}

static void h_state(struct buf *o, const char *key, const char *words)
{
	buf_printf(o, "<span class=\"st st-%s\">%s</span>", key, words);
}

static void h_table(struct buf *o, const char *id, const char *const *cols)
{
	bool heads = false;
	for (const char *const *c = cols; *c; c++)
		heads |= **c != '\0';
	buf_printf(o, "<table id=\"%s\">", id);
	if (heads) {
		buf_puts(o, "<tr>");
		for (const char *const *c = cols; *c; c++)
			buf_printf(o, "<th>%s</th>", **c ? _(*c) : "");
		buf_puts(o, "</tr>");
	}
	buf_puts(o, "\n");
}

static const struct report_fmt h_fmt = {
	.text = h_text, .code = h_code, .block = h_block,
	.doc_open = h_doc_open, .doc_close = h_doc_close,
	.heading = h_heading, .heading_end = { "", "</h1>\n", "</h2>\n", "</h3>\n" },
	.anchor = h_anchor, .link = h_link,
	.banner = h_banner, .banner_close = "</p>\n",
	.state = h_state, .table = h_table,
	.row_open = "<tr><td>", .cell = "</td><td>", .row_close = "</td></tr>\n",
	.table_close = "</table>\n",
	.ul_open = "<ul>\n", .li = "<li>", .li_end = "</li>\n", .ul_close = "</ul>\n",
	.p_open = "<p>", .p_close = "</p>\n",
	.strong_open = "<strong>", .strong_close = "</strong>",
	.code_open = "<code>", .code_close = "</code>",
	.step_open = "<div class=\"step\">\n", .step_close = "</div>\n",
	.head_open = "<p class=\"head\">", .head_mid = " <code id=\"head\">",
	.head_close = "</code></p>\n",
	.block_ends_item = false,
};

void report_render_html(const struct report_model *m, struct buf *out)
{
	report_walk(&h_fmt, m, out);
}
