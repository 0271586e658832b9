/* test_report.c: reports are deterministic, escape what they did not write,
 * carry the rehearsal watermark, and are written without overwriting. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ck.h"
#include "buf.h"
#include "report.h"
#include "report/fmt.h"
#include "session.h"
#include "session_fixture.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int setup(void **state)
{
	*state = fx_setup();
	return 0;
}

static int teardown(void **state)
{
	fx_teardown(*state);
	return 0;
}

static struct session *load_sample(void)
{
	char *path = fx_src("tests/journals/sample.jsonl"), *err = NULL;
	struct session *s = session_load(path, &err);
	free(path);
	assert_non_null(s);
	assert_int_equal(session_problem(s, NULL), 0);
	return s;
}

static char *render(const struct session *s, enum report_format f)
{
	struct buf b = BUF_INIT;
	report_render(s, f, &b);
	return buf_steal(&b);
}

static void test_report_format_names(void **state)
{
	enum report_format f;
	(void)state;
	assert_int_equal(report_format_parse("md", &f), 0);
	assert_int_equal(f, REPORT_MD);
	assert_int_equal(report_format_parse("markdown", &f), 0);
	assert_int_equal(f, REPORT_MD);
	assert_int_equal(report_format_parse("html", &f), 0);
	assert_int_equal(f, REPORT_HTML);
	assert_int_equal(report_format_parse("json", &f), 0);
	assert_int_equal(f, REPORT_JSON);
	assert_int_equal(report_format_parse("pdf", &f), -1);
}

/* Same journal, same bytes: loaded twice, with another time zone and
 * locale in the environment, on another day. */
static void test_report_is_deterministic(void **state)
{
	static const enum report_format fs[] = { REPORT_MD, REPORT_HTML, REPORT_JSON };
	struct session *a = load_sample(), *b;
	(void)state;
	setenv("TZ", "Pacific/Auckland", 1);
	setenv("LANG", "de_DE.UTF-8", 1);
	fx_now += 400 * 86400;
	b = load_sample();
	for (size_t i = 0; i < CK_ARRAY_LEN(fs); i++) {
		char *x = render(a, fs[i]), *y = render(b, fs[i]);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	setenv("TZ", "UTC", 1);
	session_free(a);
	session_free(b);
}

/* What a reviewer needs is in each format: the head hash to compare with
 * paper, the plan hash, the operators, every step, the open items. */
static void test_report_lists_what_a_reviewer_needs(void **state)
{
	struct session *s = load_sample();
	const char *head = session_head(s), *plan = session_plan(s)->sha256;
	char *md = render(s, REPORT_MD), *html = render(s, REPORT_HTML), *json = render(s, REPORT_JSON);
	const struct catalogue *c = session_catalogue(s);
	(void)state;
	for (char *const *r = (char *const[]){ md, html, json, NULL }; *r; r++) {
		assert_non_null(strstr(*r, head));
		assert_non_null(strstr(*r, plan));
		assert_non_null(strstr(*r, "Alice Ames"));
		assert_non_null(strstr(*r, "Second sitting a day late"));
		assert_non_null(strstr(*r, "Fingerprints compared aloud"));
		assert_non_null(strstr(*r, "0a1b2c3d-2222-4aaa-8bbb-000000000002")); /* evidence */
		for (size_t i = 0; i < c->n_steps; i++)
			if (!strstr(*r, c->steps[i].id))
				fail_msg("step %s missing", c->steps[i].id);
	}
	assert_non_null(strstr(md, "## Open items"));
	assert_non_null(strstr(md, "waiting for witness"));
	assert_null(strstr(md, "REHEARSAL"));
	assert_null(strstr(html, "class=\"wm\""));
	free(md);
	free(html);
	free(json);
	session_free(s);
}

/* A plan that lists contributors: the verifier acknowledged CK052 (the
 * Contributor role can grant itself key access on an access-policy vault)
 * and the report says so, in every format. A version-1 journal (the
 * sample) was never asked about it. */
static void test_report_mentions_contributor_choice(void **state)
{
	(void)state;
	fx_write_plan("plan.yaml", 0x11, 0x22); /* lists a contributor on side A */
	struct session *s = fx_open_verified();
	char *md = render(s, REPORT_MD), *html = render(s, REPORT_HTML), *json = render(s, REPORT_JSON);
	for (char *const *r = (char *const[]){ md, html, json, NULL }; *r; r++) {
		assert_non_null(strstr(*r, "CK052"));
		assert_non_null(strstr(*r, "Contributor role can write an access policy"));
	}
	free(md);
	free(html);
	free(json);
	session_free(s);
	s = load_sample();
	md = render(s, REPORT_MD);
	assert_null(strstr(md, "CK052"));
	free(md);
	session_free(s);
}

/* Hostile text reaches the renderers only through the model; put it there
 * directly (the session refuses control and bidi characters on entry, so
 * this is the last line of defence, tested on its own). */
static void test_report_escapes_untrusted_text(void **state)
{
	static const char evil[] = "<script>alert(1)</script> *b* [x](http://e.test) | a\\b `c` "
				   "&amp; \xe2\x80\xae" "fdp.exe \x1b[31mred";
	struct session *s = load_sample();
	struct report_model m;
	struct buf md = BUF_INIT, html = BUF_INIT;
	(void)state;
	report_model_build(s, &m);
	m.org_name = evil;
	report_render_md(&m, &md);
	report_render_html(&m, &html);
	/* HTML: no markup gets through, and invisible characters become visible. */
	assert_null(strstr(html.p, "<script"));
	assert_non_null(strstr(html.p, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html.p, "&amp;amp;"));
	assert_non_null(strstr(html.p, "&lt;U+202E&gt;"));
	assert_null(strstr(html.p, "\xe2\x80\xae"));
	assert_null(strstr(html.p, "\x1b"));
	/* Markdown: whatever Markdown would read as markup is escaped, so no
	 * link, autolink, emphasis, code, HTML or table cell is made from it... */
	for (const char *p = md.p; (p = strstr(p, "<script")) != NULL; p++)
		assert_true(p > md.p && p[-1] == '\\');
	for (const char *p = md.p; (p = strstr(p, "](http")) != NULL; p++)
		assert_true(p > md.p && p[-1] == '\\');
	assert_non_null(strstr(md.p, "\\<script\\>"));
	assert_non_null(strstr(md.p, "\\*b\\*"));
	assert_non_null(strstr(md.p, "\\[x\\](http\\://e.test)"));
	assert_non_null(strstr(md.p, "\\| a\\\\b \\`c\\`"));
	assert_non_null(strstr(md.p, "\\&amp;"));
	assert_non_null(strstr(md.p, "\\<U+202E\\>"));
	assert_null(strstr(md.p, "\xe2\x80\xae"));
	assert_null(strstr(md.p, "\x1b"));
	/* ...and nothing else: names and times read as they are written. */
	assert_non_null(strstr(md.p, "contoso.onmicrosoft.com"));
	assert_non_null(strstr(md.p, "12:00:00 UTC"));
	assert_null(strstr(md.p, "\\."));
	assert_null(strstr(md.p, "\\:0"));
	buf_free(&md);
	buf_free(&html);
	report_model_free(&m);
	session_free(s);
}

/* One self-contained file: no scripts, nothing fetched. */
static void test_report_html_is_self_contained(void **state)
{
	struct session *s = load_sample();
	char *html = render(s, REPORT_HTML);
	(void)state;
	assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "src="));
	/* Links only within the page. */
	for (const char *p = html; (p = strstr(p, "href=")) != NULL; p++)
		assert_true(strncmp(p, "href=\"#", 7) == 0);
	assert_non_null(strstr(html, "href=\"#step-1\""));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	assert_non_null(strstr(html, "default-src 'none'"));
	assert_non_null(strstr(html, "@media print"));
	assert_non_null(strstr(html, "</html>\n"));
	free(html);
	session_free(s);
}

static void test_report_rehearsal_is_watermarked(void **state)
{
	char *plan = fx_src("plans/contoso-exchange.yaml"), *err = NULL;
	struct session *s = fx_open(plan, "r", SESSION_REHEARSAL, 0, 0), *l;
	char *md, *html, *json;
	(void)state;
	fx_verify_plan(s);
	fx_run_steps(s, 2);
	session_free(s);
	l = session_load("r/journal.jsonl", &err);
	assert_non_null(l);
	md = render(l, REPORT_MD);
	html = render(l, REPORT_HTML);
	json = render(l, REPORT_JSON);
	assert_non_null(strstr(md, "> **REHEARSAL**"));
	assert_non_null(strstr(md, "> **DEMO KEYS**"));
	assert_non_null(strstr(html, "<div class=\"wm\" aria-hidden=\"true\">REHEARSAL</div>"));
	assert_non_null(strstr(html, "(REHEARSAL)</title>"));
	assert_non_null(strstr(json, "\"rehearsal\":\ttrue"));
	assert_non_null(strstr(json, "\"demo_keys\":\ttrue"));
	assert_non_null(strstr(json, "\"status\":\t\"open\""));
	free(md);
	free(html);
	free(json);
	session_free(l);
	free(plan);
}

static void test_report_file_is_new_and_private(void **state)
{
	struct stat st;
	char *err = NULL;
	(void)state;
	assert_int_equal(report_write_file("out.md", "one\n", 4, &err), 0);
	assert_int_equal(stat("out.md", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(report_write_file("out.md", "two\n", 4, &err), -1);
	assert_non_null(strstr(err, "never overwritten"));
	free(err);
	assert_int_equal(symlink("elsewhere", "link.md"), 0);
	assert_int_equal(report_write_file("link.md", "x", 1, &err), -1);
	free(err);
	assert_int_equal(report_write_file("/dev/full/x", "x", 1, &err), -1);
	free(err);
}

/* Closing a session writes the three reports next to the journal. */
static void test_report_written_at_close(void **state)
{
	struct stat st;
	char *err = NULL, *a, *b;
	struct session *s;
	size_t n;
	FILE *f;
	(void)state;
	fx_write_plan("plan.yaml", 0x11, 0x22);
	fx_sample_ceremony("plan.yaml", "s", true, 0x11, 0x22);
	assert_int_equal(stat("s/report.md", &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat("s/report.html", &st), 0);
	assert_int_equal(stat("s/report.json", &st), 0);
	s = session_load("s/journal.jsonl", &err);
	a = render(s, REPORT_MD);
	f = fopen("s/report.md", "r");
	b = xcalloc(1, strlen(a) + 2);
	n = fread(b, 1, strlen(a) + 1, f);
	fclose(f);
	assert_int_equal(n, strlen(a));
	assert_string_equal(a, b);
	free(a);
	free(b);
	session_free(s);
}

/* What a reviewing team needs to review a rehearsal from its report alone
 * (tests/journals/rehearsal-v1.jsonl: a moved clock, a deviation, notes,
 * critical steps, closed by both). */
static void test_report_serves_a_reviewing_team(void **state)
{
	char *path = fx_src("tests/journals/rehearsal-v1.jsonl"), *err = NULL;
	struct session *s = session_load(path, &err);
	char *md, *html;
	(void)state;
	assert_non_null(s);
	md = render(s, REPORT_MD);
	html = render(s, REPORT_HTML);
	/* One clock per column: real times, and the simulated clock beside them. */
	assert_non_null(strstr(md, "| Confirmed (real time) | Confirmed (simulated clock) |"));
	assert_non_null(strstr(md, "(simulated clock: 2026-11-26 12:30:00 UTC)"));
	/* Closing: who signed and when. */
	assert_non_null(strstr(md, "| Status | closed 2026-11-23 12:30:00 UTC (simulated clock: "
				   "2026-11-26 12:30:00 UTC), signed by Alice Ames (A) and Bob Berg (B) |"));
	/* Counts that link to their lists, and the deviation under its step too. */
	assert_non_null(strstr(md, "[1 deviation](#deviations)"));
	assert_non_null(strstr(md, "[2 notes](#notes)"));
	assert_non_null(strstr(md, "- [Deviation (line 41)](#dev-41): Bob read the wrong screen"));
	assert_non_null(strstr(html, "<a href=\"#dev-41\">Deviation (line 41)</a>"));
	/* The step table: resource, owner and witness by name, a link to details. */
	assert_non_null(strstr(md, "| vault Contoso-CK-EX-NA-VaultA1 | Alice Ames (A) | Bob Berg (B) |"));
	assert_non_null(strstr(md, "[details](#step-18)"));
	/* Critical steps: the name typed. People by name. Durations in words. */
	assert_non_null(strstr(md, "Critical: the owner typed the resource name "
				   "`Contoso-CK-EX-NA-VaultA1`"));
	assert_null(strstr(md, "by operator"));
	assert_non_null(strstr(md, "moved the rehearsal clock forward 3 days"));
	assert_non_null(strstr(md, "| Took | 30 minutes of real time; 3 days on the simulated clock |"));
	/* How to verify: the command, the head, the exit codes. */
	assert_non_null(strstr(md, "## How to verify this report"));
	assert_non_null(strstr(md, "ckwizard verify journal.jsonl --plan plan.yaml"));
	assert_non_null(strstr(md, session_head(s)));
	assert_non_null(strstr(md, "| 3 | valid, but the ceremony is still open |"));
	/* Markdown escapes only what it must. */
	assert_non_null(strstr(md, "contoso.onmicrosoft.com"));
	free(md);
	free(html);
	session_free(s);
	free(path);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_report_format_names),
		T(test_report_is_deterministic),
		T(test_report_lists_what_a_reviewer_needs),
		T(test_report_mentions_contributor_choice),
		T(test_report_escapes_untrusted_text),
		T(test_report_html_is_self_contained),
		T(test_report_rehearsal_is_watermarked),
		T(test_report_file_is_new_and_private),
		T(test_report_written_at_close),
		T(test_report_serves_a_reviewing_team),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
