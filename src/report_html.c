/* report_html.c: the session report as one self-contained HTML file: inline
 * CSS with print styles, no scripts, no external resources (a CSP meta tag
 * says so to the browser too). Untrusted text is made visible (control and
 * bidi characters as <U+XXXX>) and then escaped for HTML. */
#include "ck.h"
#include "report.h"
#include "report_int.h"
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

static void h_signers(struct buf *o, const cJSON *arr)
{
	const cJSON *it;
	bool first = true;
	cJSON_ArrayForEach(it, arr) {
		buf_printf(o, "%s%s", first ? "" : " and ", it->valuestring);
		first = false;
	}
}

static void h_state(struct buf *o, const char *state)
{
	buf_puts(o, "<span class=\"st st-");
	h_text(o, state);
	buf_puts(o, "\">");
	h_text(o, rm_state_words(state));
	buf_puts(o, "</span>");
}

static void h_head(const cJSON *m, struct buf *o)
{
	const cJSON *org = rm_get(m, "organization"), *plan = rm_get(m, "plan");
	const cJSON *j = rm_get(m, "journal");
	char tmp[64];
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
	if (rm_bool(m, "rehearsal"))
		buf_puts(o, "<p class=\"banner\" id=\"rehearsal\">REHEARSAL \u2014 a practice run "
			    "against the built-in simulator. Nothing here happened in Azure.</p>\n");
	if (rm_bool(m, "demo_keys"))
		buf_puts(o, "<p class=\"banner\" id=\"demo\">DEMO KEYS \u2014 the bundled demo "
			    "operators signed this journal: it proves nothing about real people.</p>\n");
	if (rm_str(m, "problem")) {
		buf_puts(o, "<p class=\"banner\" id=\"problem\">JOURNAL PROBLEM \u2014 ");
		h_text(o, rm_str(m, "problem"));
		buf_puts(o, "</p>\n");
	}
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

static void h_operators(const cJSON *m, struct buf *o)
{
	const cJSON *it;
	char roles[64];
	buf_puts(o, "<h2>Operators</h2>\n<table id=\"operators\"><tr><th>Side</th><th>Name</th>"
		    "<th>UPN</th><th>Key fingerprint</th><th>Roles</th></tr>\n");
	cJSON_ArrayForEach(it, rm_get(m, "operators")) {
		buf_printf(o, "<tr><td>%s</td><td>", rm_str(it, "side"));
		h_text(o, rm_str(it, "name"));
		buf_puts(o, "</td><td>");
		h_text(o, rm_str(it, "upn"));
		buf_puts(o, "</td><td>");
		h_code(o, rm_str(it, "fingerprint"));
		rm_roles(it, roles, sizeof roles);
		buf_printf(o, "</td><td>%s</td></tr>\n", roles);
	}
	buf_puts(o, "</table>\n");
}

static void h_plan(const cJSON *m, struct buf *o)
{
	const cJSON *it, *x;
	buf_puts(o, "<h2>Plan approval and verification</h2>\n<ul id=\"plan-history\">\n");
	cJSON_ArrayForEach(it, rm_get(m, "plan_history")) {
		const char *ev = rm_str(it, "event");
		buf_printf(o, "<li>%s (line %ld): version %ld <code>%s</code> %s by operator ",
			   rm_str(it, "time"), rm_num(it, "line"), rm_num(it, "version"),
			   rm_str(it, "sha256"), strcmp(ev, "approve") == 0 ? "approved" :
			   strcmp(ev, "verify") == 0 ? "verified" : "amended, signed");
		h_signers(o, rm_get(it, "signed_by"));
		if (strcmp(ev, "verify") == 0) {
			buf_puts(o, "<br>checklist answered yes:");
			for (x = rm_get(it, "checklist") ? rm_get(it, "checklist")->child : NULL; x; x = x->next) {
				buf_puts(o, " ");
				h_code(o, x->string);
			}
			buf_puts(o, "<br>warnings acknowledged:");
			if (!rm_len(it, "acknowledged"))
				buf_puts(o, " none");
			cJSON_ArrayForEach(x, rm_get(it, "acknowledged")) {
				buf_puts(o, " ");
				h_code(o, x->valuestring);
			}
		} else if (rm_str(it, "diff")) {
			h_pre(o, rm_str(it, "diff"));
		}
		buf_puts(o, "</li>\n");
	}
	if (!rm_len(m, "plan_history"))
		buf_puts(o, "<li>The plan was never approved.</li>\n");
	buf_puts(o, "</ul>\n");
	if (rm_len(rm_get(m, "plan"), "warnings")) {
		buf_puts(o, "<p>Rule warnings of the current version:</p>\n<ul id=\"warnings\">\n");
		cJSON_ArrayForEach(it, rm_get(rm_get(m, "plan"), "warnings")) {
			buf_puts(o, "<li>");
			h_code(o, rm_str(it, "id"));
			buf_puts(o, " ");
			h_text(o, rm_str(it, "message"));
			buf_puts(o, "</li>\n");
		}
		buf_puts(o, "</ul>\n");
	}
}

static void h_sittings(const cJSON *m, struct buf *o)
{
	const cJSON *it, *x;
	buf_puts(o, "<h2>Sittings</h2>\n<table id=\"sittings\"><tr><th>#</th><th>Opened</th>"
		    "<th>Closed</th><th>Present</th></tr>\n");
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

static void h_step(const cJSON *st, long n, struct buf *o)
{
	const cJSON *w = rm_get(st, "wait"), *c = rm_get(st, "check"), *it;
	buf_printf(o, "<div class=\"step\" id=\"step-%ld\">\n<h3>%ld. ", n, n);
	h_text(o, rm_str(st, "title"));
	buf_puts(o, "</h3>\n<ul>\n<li>Step ");
	h_code(o, rm_str(st, "id"));
	buf_printf(o, " (%s), owner operator %s%s%s</li>\n<li>State: ", rm_str(st, "phase"),
		   rm_str(st, "owner"), rm_bool(st, "witness_required") ? ", witness required" : "",
		   rm_bool(st, "critical") ? ", critical" : "");
	h_state(o, rm_str(st, "state"));
	if (rm_str(st, "blocked_by")) {
		buf_puts(o, " (needs ");
		h_code(o, rm_str(st, "blocked_by"));
		buf_puts(o, ")");
	}
	buf_puts(o, "</li>\n");
	if (rm_str(st, "confirmed_by"))
		buf_printf(o, "<li>Confirmed by operator %s at %s</li>\n", rm_str(st, "confirmed_by"),
			   rm_str(st, "confirmed_at"));
	if (rm_str(st, "witnessed_by"))
		buf_printf(o, "<li>Witnessed by operator %s at %s</li>\n", rm_str(st, "witnessed_by"),
			   rm_str(st, "witnessed_at"));
	if (cJSON_IsObject(w)) {
		if (rm_get(w, "hours")) {
			buf_printf(o, "<li>Wait: %ld hours", rm_num(w, "hours"));
			if (rm_str(w, "until"))
				buf_printf(o, ", until %s", rm_str(w, "until"));
		} else {
			buf_puts(o, "<li>Wait for: ");
			h_text(o, rm_str(w, "event"));
			if (rm_str(w, "arrived")) {
				buf_printf(o, "; arrived %s: ", rm_str(w, "arrived_at"));
				h_text(o, rm_str(w, "arrived"));
			}
		}
		buf_puts(o, "</li>\n");
	}
	cJSON_ArrayForEach(it, rm_get(st, "evidence")) {
		buf_puts(o, "<li>Evidence ");
		h_code(o, rm_str(it, "id"));
		buf_puts(o, " (");
		h_text(o, rm_str(it, "label"));
		buf_printf(o, ", line %ld): ", rm_num(it, "line"));
		if (rm_str(it, "value") && strchr(rm_str(it, "value"), '\n'))
			h_pre(o, rm_str(it, "value"));
		else
			h_code(o, rm_str(it, "value"));
		buf_puts(o, "</li>\n");
	}
	if (cJSON_IsObject(c)) {
		buf_printf(o, "<li>%s at %s: <strong>%s</strong> \u2014 ",
			   rm_bool(c, "performed") ? "Performed (simulator)" : "Check", rm_str(c, "at"),
			   rm_str(c, "status"));
		h_text(o, rm_str(c, "summary"));
		if (rm_len_str(c, "detail"))
			h_pre(o, rm_str(c, "detail"));
		buf_puts(o, "</li>\n");
	}
	if (rm_str(st, "skip_reason")) {
		buf_puts(o, "<li>Skipped: ");
		h_text(o, rm_str(st, "skip_reason"));
		buf_puts(o, "</li>\n");
	}
	buf_puts(o, "</ul>\n</div>\n");
}

static void h_steps(const cJSON *m, struct buf *o)
{
	const cJSON *it;
	long n = 0;
	buf_puts(o, "<h2>Steps</h2>\n<table id=\"steps\"><tr><th>#</th><th>Step</th><th>Owner</th>"
		    "<th>State</th></tr>\n");
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
	n = 0;
	cJSON_ArrayForEach(it, rm_get(m, "steps")) {
		++n;
		if (rm_step_active(it))
			h_step(it, n, o);
	}
}

static void h_events(const cJSON *m, struct buf *o)
{
	const cJSON *it;
	buf_puts(o, "<h2>Deviations and skips</h2>\n<ul id=\"deviations\">\n");
	if (!rm_len(m, "deviations"))
		buf_puts(o, "<li>None.</li>\n");
	cJSON_ArrayForEach(it, rm_get(m, "deviations")) {
		buf_printf(o, "<li>%s (line %ld): %s", rm_str(it, "time"), rm_num(it, "line"),
			   rm_str(it, "kind"));
		if (rm_str(it, "step")) {
			buf_puts(o, " of ");
			h_code(o, rm_str(it, "step"));
		}
		if (rm_get(it, "torn_offset"))
			buf_printf(o, " (torn journal tail at byte %ld set aside)", rm_num(it, "torn_offset"));
		buf_puts(o, ", signed by ");
		h_signers(o, rm_get(it, "signed_by"));
		buf_puts(o, ": ");
		h_text(o, rm_str(it, "reason"));
		buf_puts(o, "</li>\n");
	}
	buf_puts(o, "</ul>\n<h2>Notes</h2>\n<ul id=\"notes\">\n");
	if (!rm_len(m, "notes"))
		buf_puts(o, "<li>None.</li>\n");
	cJSON_ArrayForEach(it, rm_get(m, "notes")) {
		buf_printf(o, "<li>%s (line %ld), operator %s: ", rm_str(it, "time"), rm_num(it, "line"),
			   rm_str(it, "by"));
		h_text(o, rm_str(it, "text"));
		buf_puts(o, "</li>\n");
	}
	buf_puts(o, "</ul>\n");
	if (rm_len(m, "clock")) {
		buf_puts(o, "<h2>Simulated clock</h2>\n<ul id=\"clock\">\n");
		cJSON_ArrayForEach(it, rm_get(m, "clock"))
			buf_printf(o, "<li>%s (line %ld): operator %s moved the rehearsal clock forward "
				      "%ld s</li>\n", rm_str(it, "time"), rm_num(it, "line"),
				   rm_str(it, "by"), rm_num(it, "seconds"));
		buf_puts(o, "</ul>\n");
	}
	buf_puts(o, "<h2>Open items</h2>\n<ul id=\"open-items\">\n");
	if (!rm_len(m, "open_items"))
		buf_puts(o, "<li>None: every step is done or skipped.</li>\n");
	cJSON_ArrayForEach(it, rm_get(m, "open_items")) {
		buf_puts(o, "<li>");
		h_code(o, rm_str(it, "id"));
		buf_puts(o, " ");
		h_text(o, rm_str(it, "title"));
		buf_printf(o, ": %s</li>\n", rm_state_words(rm_str(it, "state")));
	}
	buf_printf(o, "</ul>\n<p class=\"head\">Journal head hash: <code>%s</code></p>\n",
		   rm_str(rm_get(m, "journal"), "head"));
}

void report_render_html(const cJSON *m, struct buf *o)
{
	if (!rm_get(m, "plan")) {
		buf_printf(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			      "<title>Customer Key ceremony report</title><style>%s</style></head>"
			      "<body><h1>Customer Key ceremony report</h1><p>The journal holds no "
			      "usable session.</p></body></html>\n", html_css);
		return;
	}
	h_head(m, o);
	h_operators(m, o);
	h_plan(m, o);
	h_sittings(m, o);
	h_steps(m, o);
	h_events(m, o);
	buf_puts(o, "</body>\n</html>\n");
}
