/* test_ui.c: the UI's pieces without a session: key scripts, the action
 * table (and doc/wizard.md generated from it), wrapping, and the terminal
 * owner in script mode (help, "enlarge", resize, ASCII, NO_COLOR) with screen
 * dumps compared as text against tests/screens/ (the tig way). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck.h"
#include "app.h"
#include "keyscript.h"
#include "text.h"
#include "util.h"

static char *test_ui_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_steal(&b);
}

static char *test_ui_src(const char *rel)
{
	const char *src = getenv("CK_SRCDIR");
	return xasprintf("%s/%s", src ? src : "..", rel);
}

static void test_ui_keyscript_reads_keys_and_directions(void **state)
{
	char *err = NULL;
	struct keyscript *ks = keyscript_parse("t", "# a comment\nab<Enter>\n<F1><Down><C-c><Lt>"
					       "<Resize 40x10><Dump><Idle>\xc3\xa9<PasteBegin>", &err);
	assert_non_null(ks);
	int want[] = { 'a', 'b', '\r', TERM_FN(KEY_F(1)), TERM_FN(KEY_DOWN), 3, '<' };
	struct keyscript_tok t;
	for (size_t i = 0; i < CK_ARRAY_LEN(want); i++) {
		assert_int_equal(keyscript_next(ks, &t), 0);
		assert_int_equal(t.kind, KS_KEY);
		assert_int_equal(t.key, want[i]);
	}
	assert_int_equal(keyscript_next(ks, &t), 0);
	assert_int_equal(t.kind, KS_RESIZE);
	assert_int_equal(t.cols, 40);
	assert_int_equal(t.rows, 10);
	assert_int_equal(keyscript_next(ks, &t), 0);
	assert_int_equal(t.kind, KS_DUMP);
	assert_int_equal(keyscript_next(ks, &t), 0);
	assert_int_equal(t.kind, KS_IDLE);
	assert_int_equal(keyscript_next(ks, &t), 0);
	assert_int_equal(t.key, 0xe9);
	assert_int_equal(keyscript_next(ks, &t), 0);
	assert_int_equal(t.key, TERM_PASTE_BEGIN);
	assert_int_equal(keyscript_next(ks, &t), -1);
	keyscript_free(ks);
}

static void test_ui_keyscript_errors_name_the_line(void **state)
{
	char *err = NULL;
	assert_null(keyscript_parse("s.keys", "abc\n\n<Entr>", &err));
	assert_non_null(strstr(err, "s.keys:3:"));
	assert_non_null(strstr(err, "<Entr>"));
	free(err);
	err = NULL;
	assert_null(keyscript_parse("s.keys", "x<Enter\n>", &err));
	assert_non_null(strstr(err, "s.keys:1:"));
	free(err);
	err = NULL;
	assert_null(keyscript_parse("s.keys", "<Resize 0x10>", &err));
	free(err);
}

static void test_ui_action_keys_do_not_collide(void **state)
{
	for (int a = 1; a < ACT_COUNT; a++) {
		const struct ui_action_info *x = action_info((enum ui_action)a);
		assert_non_null(x->help);
		assert_true(x->keys[0] != 0);
		if (x->bar)
			assert_true(strlen(x->bar) <= 8);
		for (int b = a + 1; b < ACT_COUNT; b++) {
			const struct ui_action_info *y = action_info((enum ui_action)b);
			bool overlap = (x->scope & y->scope) || ((x->scope | y->scope) & SC_ALL);
			if (!overlap)
				continue;
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++)
					if (x->keys[i] && x->keys[i] == y->keys[j])
						fail_msg("%s and %s share a key", x->name, y->name);
		}
	}
	/* The lookup honours scopes: F2 signs on the review, confirms on a step. */
	assert_int_equal(action_for_key(TERM_FN(KEY_F(2)), SC_REVIEW), ACT_APPROVE);
	assert_int_equal(action_for_key(TERM_FN(KEY_F(2)), SC_STEP), ACT_CONFIRM);
	assert_int_equal(action_for_key('q', 0), ACT_QUIT);
	assert_int_equal(action_for_key('c', SC_REVIEW), ACT_NONE);
}

static void test_ui_action_key_names_come_from_codes(void **state)
{
	char tmp[16];
	assert_string_equal(action_key_name(TERM_FN(KEY_F(10)), tmp, sizeof tmp), "F10");
	assert_string_equal(action_key_name('\r', tmp, sizeof tmp), "Enter");
	assert_string_equal(action_key_name(' ', tmp, sizeof tmp), "Space");
	assert_string_equal(action_key_name('j', tmp, sizeof tmp), "j");
	struct buf b = BUF_INIT;
	action_keys_text(ACT_QUIT, &b);
	assert_string_equal(buf_str(&b), "F10 q");
	buf_free(&b);
}

/* doc/wizard.md carries the key table between two markers; it must be what
 * the table generates (regenerate: tests/test_ui prints it on mismatch). */
static void test_ui_doc_matches_key_table(void **state)
{
	char *path = test_ui_src("doc/wizard.md");
	char *doc = test_ui_slurp(path);
	assert_non_null(doc);
	struct buf b = BUF_INIT;
	action_markdown(&b);
	const char *begin = strstr(doc, "<!-- keys:begin -->\n");
	const char *end = strstr(doc, "<!-- keys:end -->");
	assert_non_null(begin);
	assert_non_null(end);
	begin += strlen("<!-- keys:begin -->\n");
	size_t n = (size_t)(end - begin);
	if (n != b.len || memcmp(begin, b.p, n) != 0) {
		fprintf(stderr, "# doc/wizard.md is stale; the table now reads:\n%s", buf_str(&b));
		fail_msg("doc/wizard.md does not match the key table");
	}
	buf_free(&b);
	free(doc);
	free(path);
}

static void test_ui_lines_wrap_and_show_controls(void **state)
{
	struct lines l;
	lines_init(&l);
	lines_add(&l, "one two three four five six seven eight nine ten", 20, 2, 2, SLOT_NORMAL);
	assert_true(l.n >= 3);
	for (size_t i = 0; i < l.n; i++)
		assert_true((int)text_width(l.text[i]) + l.indent[i] <= 20);
	assert_string_equal(l.text[0], "one two three four");
	assert_int_equal(l.indent[1], 4);
	lines_clear(&l);
	lines_add(&l, "bell\a and \xe2\x80\xae" "evil", 80, 0, 0, SLOT_NORMAL);
	assert_non_null(strstr(l.text[0], "<U+0007>"));
	assert_non_null(strstr(l.text[0], "<U+202E>"));
	lines_clear(&l);
	/* Commands are never wrapped or indented: a copy gets them whole. */
	lines_add_raw(&l, "Set-AzContext -Subscription 'x'\n\taz account set", SLOT_NORMAL);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.indent[0], 0);
	assert_string_equal(l.text[1], "    az account set");
	lines_clear(&l);
	/* A comment wrapped in a pane stays a comment on every row. */
	lines_add_code(&l, "  # Register the feature first: it takes up to an hour to show\n"
			   "Register-AzProviderFeature -FeatureName x", 30, 1, 2, SLOT_NORMAL);
	assert_true(l.n >= 4);
	for (size_t i = 0; i + 2 < l.n; i++) { /* the last two: the command, wrapped */
		if (strncmp(l.text[i], "  # ", 4) != 0)
			fail_msg("row %zu lost its #: \"%s\"", i, l.text[i]);
		assert_true((int)text_width(l.text[i]) + l.indent[i] <= 30);
	}
	assert_string_equal(l.text[l.n - 2], "Register-AzProviderFeature");
	assert_string_equal(l.text[l.n - 1], "-FeatureName x");
	lines_free(&l);
}

/* Japanese has no spaces: lines break beside wide characters, never before a
 * closing mark such as U+3001, and never overflow an odd width with half a glyph. */
static void test_ui_lines_wrap_east_asian_text(void **state)
{
	static const char text[] = "\xe3\x81\x82\xe3\x81\x84\xe3\x81\x86\xe3\x81\x88"
		"\xe3\x81\x8a\xe3\x81\x8b\xe3\x81\x8d\xe3\x81\x8f\xe3\x81\x91\xe3\x81\x93"
		"\xe3\x80\x81\xe3\x81\x95\xe3\x81\x97\xe3\x81\x99\xe3\x81\x9b\xe3\x81\x9d"
		"\xe3\x80\x82";
	setlocale(LC_ALL, "C.UTF-8"); /* wcwidth knows wide characters only in UTF-8 */
	for (int width = 20; width <= 21; width++) {
		struct lines l;
		lines_init(&l);
		lines_add(&l, text, width, 0, 0, SLOT_NORMAL);
		assert_int_equal(l.n, 2);
		struct buf all = BUF_INIT;
		for (size_t i = 0; i < l.n; i++) {
			assert_true((int)text_width(l.text[i]) <= width);
			assert_true(strncmp(l.text[i], "\xe3\x80\x81", 3) != 0);
			assert_true(strncmp(l.text[i], "\xe3\x80\x82", 3) != 0);
			buf_puts(&all, l.text[i]);
		}
		assert_string_equal(buf_str(&all), text); /* nothing lost, nothing added */
		assert_int_equal(text_width(l.text[0]), 18);
		buf_free(&all);
		lines_free(&l);
	}
	setlocale(LC_ALL, "C");
}

/* Where a too-long message or header is cut before its ellipsis: at a word in
 * English, beside a wide character in Japanese (which has no spaces: cutting
 * only at spaces left nothing but the ellipsis). */
static void test_ui_lines_fit_cuts_at_a_break(void **state)
{
	setlocale(LC_ALL, "C.UTF-8");
	assert_int_equal(lines_fit("one two three", 9), 7);   /* "one two" */
	assert_int_equal(lines_fit("one two three", 40), 13); /* whole */
	assert_int_equal(lines_fit("onetwothree", 5), 0);     /* no break fits */
	/* U+3042.. (hiragana), each two columns: 5 columns hold two of them. */
	assert_int_equal(lines_fit("\xe3\x81\x82\xe3\x81\x84\xe3\x81\x86\xe3\x81\x88", 5), 6);
	/* never before U+3001 (ideographic comma): the break moves back one. */
	assert_int_equal(lines_fit("\xe3\x81\x82\xe3\x81\x84\xe3\x80\x81\xe3\x81\x88", 5), 3);
	setlocale(LC_ALL, "C");
}

static void test_ui_lines_scroll_keeps_selection_visible(void **state)
{
	struct lines l;
	lines_init(&l);
	for (int i = 0; i < 50; i++) {
		char t[16];
		snprintf(t, sizeof t, "line %d", i);
		lines_add(&l, t, 40, 0, 0, SLOT_NORMAL);
	}
	/* Plain scrolling stops at both ends. */
	assert_int_equal(lines_scroll(&l, ACT_UP, 10), 0);
	assert_int_equal(lines_scroll(&l, ACT_END, 10), 1);
	assert_int_equal(l.top, 40);
	assert_int_equal(lines_scroll(&l, ACT_DOWN, 10), 0);
	assert_int_equal(lines_scroll(&l, ACT_PGUP, 10), 1);
	assert_int_equal(l.top, 31);
	/* With a selection the window follows it. */
	l.sel = 0;
	l.top = 0;
	for (int i = 0; i < 15; i++)
		lines_scroll(&l, ACT_DOWN, 10);
	assert_int_equal(l.sel, 15);
	assert_true(l.sel >= l.top && l.sel < l.top + 10);
	lines_scroll(&l, ACT_HOME, 10);
	assert_int_equal(l.sel, 0);
	assert_int_equal(l.top, 0);
	lines_scroll(&l, ACT_END, 10);
	assert_int_equal(l.sel, 49);
	assert_int_equal(l.top, 40);
	lines_free(&l);
}

/* ---- the terminal owner in script mode ---------------------------------- */

static void dummy_draw(struct ui *u, int y, int h)
{
	term_put(y + 1, 2, COLS - 4, "A body line with a bell \a from an untrusted plan", SLOT_NORMAL);
	term_put(y + 2, 2, COLS - 4, "Status: \xe2\x9c\x93 done", SLOT_DONE);
}

static int dummy_act(struct ui *u, enum ui_action a, int key)
{
	return UF_NONE;
}

static const struct ui_screen dummy_screen = {
	"dummy", SC_MOVE | SC_STEP, NULL, dummy_draw, dummy_act, NULL, NULL
};

/* Run a script against the dummy screen (help on F1, quit on end) and
 * compare the dump with tests/screens/NAME. */
static void test_ui_run_script(const char *script, const char *name, bool rehearsal)
{
	char dir[] = "/tmp/ckw-ui-test.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *sp = xasprintf("%s/keys", dir), *dp = xasprintf("%s/dump", dir);
	FILE *f = fopen(sp, "w");
	fputs(script, f);
	fclose(f);
	struct ui_options o = { 0 };
	struct ui u = { 0 };
	u.opt = &o;
	u.rehearsal = rehearsal;
	u.screen = &dummy_screen;
	u.header = xstrdup("Contoso  sitting 1  keyboard: Alice Ames (operator A)");
	struct term_opts to = { sp, dp, 0 };
	char *err = NULL;
	assert_int_equal(term_open(&to, &err), 0);
	while (!u.leaving) {
		ui_draw(&u);
		int key;
		int a = ui_event(&u, &key, dummy_screen.scopes);
		if (a == ACT_HELP)
			ui_help(&u);
	}
	term_close();
	char *got = test_ui_slurp(dp);
	char *ep = xasprintf("tests/screens/%s", name);
	char *want_path = test_ui_src(ep);
	char *want = test_ui_slurp(want_path);
	if (getenv("CK_UPDATE_SCREENS")) { /* regenerate, then read the diff in git */
		FILE *w = fopen(want_path, "w");
		assert_non_null(w);
		fputs(got, w);
		fclose(w);
	} else if (!want || strcmp(got, want) != 0) {
		fprintf(stderr, "# screen %s differs; got:\n%s", name, got);
		char *cmd = xasprintf("diff -u '%s' '%s' | sed 's/^/# /' >&2", want_path, dp);
		if (system(cmd) != 0 && !want)
			fprintf(stderr, "# (no expected file %s)\n", want_path);
		free(cmd);
		fail_msg("screen %s differs from the expected dump", name);
	}
	free(want);
	free(want_path);
	free(ep);
	free(got);
	free(u.header);
	free(u.msg);
	unlink(sp);
	unlink(dp);
	rmdir(dir);
	free(sp);
	free(dp);
}

/* A block pasted into a multi-line field shows as lines, not one long row. */
static void test_ui_paste_shows_lines(void **state)
{
	char dir[] = "/tmp/ckw-ui-test.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *sp = xasprintf("%s/keys", dir), *dp = xasprintf("%s/dump", dir);
	FILE *f = fopen(sp, "w");
	fputs("<PasteBegin>Name State<Enter>feature-one Registered<Enter>feature-two Pending"
	      "<PasteEnd><Dump><Enter>", f);
	fclose(f);
	struct ui_options o = { 0 };
	struct ui u = { 0 };
	u.opt = &o;
	u.screen = &dummy_screen;
	u.header = xstrdup("Contoso");
	struct term_opts to = { sp, dp, 0 };
	char *err = NULL, *v = NULL;
	assert_int_equal(term_open(&to, &err), 0);
	assert_int_equal(ui_input_ex(&u, "Evidence", "Paste the output.", NULL, UI_IN_MULTILINE,
				     NULL, NULL, &v), UA_OK);
	term_close();
	assert_string_equal(v, "Name State\nfeature-one Registered\nfeature-two Pending");
	ui_input_free(v);
	char *got = test_ui_slurp(dp);
	const char *a = strstr(got, "Name State\xe2\x8f\x8e"), *b = strstr(got, "feature-one");
	const char *c = strstr(got, "feature-two Pending");
	if (!a || !b || !c || !(a < b && b < c) || !memchr(a, '\n', (size_t)(b - a)) ||
	    !memchr(b, '\n', (size_t)(c - b)))
		fail_msg("the pasted lines are not shown one per row:\n%s", got);
	free(got);
	free(u.header);
	free(u.msg);
	unlink(sp);
	unlink(dp);
	rmdir(dir);
	free(sp);
	free(dp);
}

static int test_ui_setup_utf8(void **state)
{
	setenv("TERM", "xterm-256color", 1);
	setenv("COLUMNS", "80", 1);
	setenv("LINES", "24", 1);
	unsetenv("NO_COLOR");
	setlocale(LC_ALL, "C.UTF-8");
	return 0;
}

static void test_ui_screen_help_and_frame(void **state)
{
	test_ui_run_script("<Dump><F1><Dump><PgDn><Dump><Esc><Dump>", "ui-help.txt", true);
}

static void test_ui_screen_enlarge_and_recover(void **state)
{
	test_ui_run_script("<Resize 40x10><Dump>x<Resize 100x30><Dump>", "ui-resize.txt", true);
}

static void test_ui_screen_ascii_no_colour(void **state)
{
	setlocale(LC_ALL, "C");
	setenv("NO_COLOR", "1", 1);
	test_ui_run_script("<Dump><F1><Dump>", "ui-ascii.txt", false);
	unsetenv("NO_COLOR");
	setlocale(LC_ALL, "C.UTF-8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ui_keyscript_reads_keys_and_directions),
		cmocka_unit_test(test_ui_keyscript_errors_name_the_line),
		cmocka_unit_test(test_ui_action_keys_do_not_collide),
		cmocka_unit_test(test_ui_action_key_names_come_from_codes),
		cmocka_unit_test(test_ui_doc_matches_key_table),
		cmocka_unit_test(test_ui_lines_wrap_and_show_controls),
		cmocka_unit_test(test_ui_lines_wrap_east_asian_text),
		cmocka_unit_test(test_ui_lines_fit_cuts_at_a_break),
		cmocka_unit_test(test_ui_lines_scroll_keeps_selection_visible),
		cmocka_unit_test_setup(test_ui_paste_shows_lines, test_ui_setup_utf8),
		cmocka_unit_test_setup(test_ui_screen_help_and_frame, test_ui_setup_utf8),
		cmocka_unit_test_setup(test_ui_screen_enlarge_and_recover, test_ui_setup_utf8),
		cmocka_unit_test_setup(test_ui_screen_ascii_no_colour, test_ui_setup_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
