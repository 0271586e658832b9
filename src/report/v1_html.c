/* v1_html.c: report format 1 as HTML, frozen (see v1.c). It repeats much of
 * html.c (the stylesheet, escaping) on purpose: a report rendered years ago
 * must re-render byte for byte for `verify --report`, whatever later formats
 * change, so nothing here may be shared with the current renderer.
 *
 * html.c of format 1: the session report as one self-contained HTML file: inline
 * CSS with print styles, no scripts, no external resources (a CSP meta tag
 * says so to the browser too). Untrusted text is made visible (control and
 * bidi characters as <U+XXXX>) and then escaped for HTML. */
#include "ck.h"
#include "report.h"
#include "report/v1.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char html_css[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;"
	"max-width:1100px;margin:2em auto;padding:0 1.5em}"
	"h1{font-size:1.6em;margin:.2em 0 .6em}h2{font-size:1.25em;border-bottom:2px solid #ccd;"
	"padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em;margin:1.4em 0 .3em}"
	"table{border-collapse:collapse;width:100%;margin:.6em 0}"
	"th,td{border:1px solid #ccd;padding:.3em .5em;text-align:left;vertical-align:top}"
	"th{background:#eef0f6}code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
	"font-size:.92em}code{overflow-wrap:anywhere}code.id{color:#555;font-size:.8em}"
	"pre{background:#f5f6f8;border:1px solid #dde;padding:.5em;white-space:pre-wrap;"
	"overflow-wrap:anywhere;margin:.3em 0}"
	".banner{border:2px solid #b00;background:#fff0f0;color:#800;padding:.6em 1em;"
	"margin:.6em 0;font-weight:600}"
	".head{font-size:1.1em;border:2px solid #335;padding:.6em 1em;background:#f3f5fb}"
	".st{display:inline-block;padding:0 .5em;border-radius:.6em;font-size:.9em;"
	"border:1px solid #999}"
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

static void h_pre(struct buf *o, const char *s)
{
	buf_puts(o, "<pre>");
	h_text(o, s);
	buf_puts(o, "</pre>\n");
}

static void h_row(struct buf *o, const char *k, const char *v, bool code)
{
	buf_printf(o, "<tr><th>%s</th><td>", k);
	if (code)
		h_code(o, v);
	else
		h_text(o, v);
	buf_puts(o, "</td></tr>\n");
}

static void h_state(struct buf *o, const char *state)
{
	buf_puts(o, "<span class=\"st st-");
	h_text(o, state);
	buf_puts(o, "\">");
	h_text(o, rm_state_words(state));
	buf_puts(o, "</span>");
}

static void h_title(const cJSON *m, struct buf *o)
{
	const cJSON *org = rm_get(m, "organization");
	buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'\">\n<title>Customer Key ceremony report: ");
	h_text(o, rm_str(org, "name"));
	buf_printf(o, "%s</title>\n<style>%s</style>\n</head>\n<body>\n",
		   rm_bool(m, "rehearsal") ? " (REHEARSAL)" : "", html_css);
	if (rm_bool(m, "rehearsal"))
		buf_puts(o, "<div class=\"wm\" aria-hidden=\"true\">REHEARSAL</div>\n");
	buf_puts(o, "<h1>Customer Key ceremony report: ");
	h_text(o, rm_str(org, "name"));
	buf_puts(o, "</h1>\n");
}

static void h_banner(struct buf *o, const char *id, const char *word)
{
	buf_printf(o, "<p class=\"banner\" id=\"%s\">%s \u2014 ", id, word);
}

static void h_summary(const cJSON *m, struct buf *o)
{
	const cJSON *org = rm_get(m, "organization"), *plan = rm_get(m, "plan");
	const cJSON *j = rm_get(m, "journal");
	char tmp[64];
	buf_puts(o, "<table id=\"summary\">\n");
	h_row(o, "Organisation", rm_str(org, "name"), false);
	h_row(o, "Tenant domain", rm_str(org, "tenant_domain"), false);
	h_row(o, "Tenant ID", rm_str(org, "tenant_id"), true);
	h_row(o, "Status", rm_str(m, "status"), false);
	h_row(o, "Mode", rm_str(m, "mode"), false);
	h_row(o, "Tool", rm_str(m, "tool"), false);
	h_row(o, "Opened", rm_str(m, "opened"), false);
	h_row(o, "Last event", rm_str(m, "as_of"), false);
	snprintf(tmp, sizeof tmp, "version %ld", rm_num(plan, "version"));
	h_row(o, "Plan", tmp, false);
	h_row(o, "Plan SHA-256", rm_str(plan, "sha256"), true);
	h_row(o, "Plan verification", rm_bool(plan, "verified") ? "verified" : "NOT verified", false);
	snprintf(tmp, sizeof tmp, "%ld events", rm_num(j, "events"));
	h_row(o, "Journal", tmp, false);
	buf_puts(o, "</table>\n<p class=\"head\">Journal head hash (note it on paper): "
		    "<code id=\"head\">");
	h_text(o, rm_str(j, "head"));
	buf_puts(o, "</code></p>\n");
}

static void h_table(struct buf *o, const char *title, const char *id, const char *const *cols)
{
	buf_printf(o, "<h2>%s</h2>\n<table id=\"%s\"><tr>", title, id);
	for (const char *const *c = cols; *c; c++)
		buf_printf(o, "<th>%s</th>", *c);
	buf_puts(o, "</tr>\n");
}

static void h_sittings(const cJSON *m, struct buf *o)
{
	static const char *const cols[] = { "#", "Opened", "Closed", "Present", NULL };
	const cJSON *it, *x;
	h_table(o, "Sittings", "sittings", cols);
	cJSON_ArrayForEach(it, rm_get(m, "sittings")) {
		buf_printf(o, "<tr><td>%ld</td><td>%s</td><td>", rm_num(it, "number"),
			   rm_str(it, "opened"));
		h_text(o, rm_str(it, "closed"));
		buf_puts(o, "</td><td>");
		cJSON_ArrayForEach(x, rm_get(it, "present"))
			buf_printf(o, "%s ", x->valuestring);
		buf_puts(o, "</td></tr>\n");
	}
	buf_puts(o, "</table>\n");
}

/* A block sits inside its list item in HTML, which it then ends. */
static void h_pre_item(struct buf *o, const char *s)
{
	h_pre(o, s);
	buf_puts(o, "</li>\n");
}

static void h_section(struct buf *o, const char *title, const char *id)
{
	buf_printf(o, "<h2>%s</h2>\n<ul id=\"%s\">\n", title, id);
}

static void h_para_list(struct buf *o, const char *para, const char *id)
{
	buf_printf(o, "<p>%s</p>\n<ul id=\"%s\">\n", para, id);
}

static void h_none(struct buf *o, const char *msg)
{
	buf_printf(o, "<li>%s</li>\n", msg);
}

static void h_step_open(struct buf *o, const cJSON *st, long n)
{
	buf_printf(o, "<div class=\"step\" id=\"step-%ld\">\n<h3>%ld. ", n, n);
	h_text(o, rm_str(st, "title"));
	buf_puts(o, "</h3>\n<ul>\n<li>Step ");
	h_code(o, rm_str(st, "id"));
	buf_printf(o, " (%s), owner operator %s%s%s</li>\n<li>State: ", rm_str(st, "phase"),
		   rm_str(st, "owner"), rm_bool(st, "witness_required") ? ", witness required" : "",
		   rm_bool(st, "critical") ? ", critical" : "");
}

static const struct rv1_fmt h_fmt = {
	.text = h_text, .code = h_code, .pre_item = h_pre_item, .state = h_state,
	.section = h_section, .para_list = h_para_list, .none = h_none,
	.banner = h_banner, .banner_close = "</p>\n",
	.table = h_table, .step_open = h_step_open,
	.row_open = "<tr><td>", .cell = "</td><td>", .row_close = "</td></tr>\n",
	.table_close = "</table>\n",
	.li = "<li>", .li_end = "</li>\n", .br = "<br>", .list_close = "</ul>\n",
	.step_close = "</ul>\n</div>\n", .code_open = "<code>", .code_close = "</code>",
	.strong_open = "<strong>", .strong_close = "</strong>",
	.checklist_no = " (<strong>no</strong>)", /* valid journals never hold one; a forged one must not read as yes */
	.never_approved = "<li>The plan was never approved.</li>\n",
};

static void h_steps(const cJSON *m, struct buf *o)
{
	static const char *const cols[] = { "#", "Step", "Owner", "State", NULL };
	const cJSON *it;
	long n = 0;
	h_table(o, "Steps", "steps", cols);
	cJSON_ArrayForEach(it, rm_get(m, "steps")) {
		buf_printf(o, "<tr><td>%ld</td><td>", ++n);
		h_text(o, rm_str(it, "title"));
		buf_puts(o, "<br><code class=\"id\">");
		h_text(o, rm_str(it, "id"));
		buf_printf(o, "</code></td><td>%s</td><td>", rm_str(it, "owner"));
		h_state(o, rm_str(it, "state"));
		buf_puts(o, "</td></tr>\n");
	}
	buf_puts(o, "</table>\n");
	buf_puts(o, "<h2>Step details</h2>\n<p>Steps with something recorded.</p>\n");
	rv1_walk_steps(&h_fmt, m, o);
}

void rv1_render_html(const cJSON *m, struct buf *o)
{
	if (!rm_get(m, "plan")) {
		buf_printf(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			      "<title>Customer Key ceremony report</title><style>%s</style></head>"
			      "<body><h1>Customer Key ceremony report</h1><p>The journal holds no "
			      "usable session.</p></body></html>\n", html_css);
		return;
	}
	h_title(m, o);
	rv1_walk_banners(&h_fmt, m, o);
	h_summary(m, o);
	rv1_walk_operators(&h_fmt, m, o);
	rv1_walk_plan(&h_fmt, m, o);
	h_sittings(m, o);
	h_steps(m, o);
	rv1_walk_events(&h_fmt, m, o);
	buf_printf(o, "<p class=\"head\">Journal head hash: <code>%s</code></p>\n",
		   rm_str(rm_get(m, "journal"), "head"));
	buf_puts(o, "</body>\n</html>\n");
}
