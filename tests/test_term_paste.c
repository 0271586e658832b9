/* test_term_paste.c: a bracketed paste is collected whole into text
 * (term_paste.c), fed here key by key as ncurses or a key script would give
 * them after the paste's beginning. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ck.h"
#include "term.h"

/* The keys the fake source gives, then what it returns at their end. */
static const int *feed;
static size_t feed_n, feed_at;
static enum term_event feed_end;

static enum term_event fake_next(int *key)
{
	if (feed_at == feed_n)
		return feed_end;
	*key = feed[feed_at++];
	return TEV_KEY;
}

/* Collect keys (a string's bytes as keys, then extra keys) ended by ev. */
static enum term_event collect(const char *s, const int *extra, size_t n_extra,
			       enum term_event ev, int *key)
{
	static int keys[TERM_PASTE_MAX + 64];
	size_t n = 0;
	for (const char *p = s; *p; p++)
		keys[n++] = (unsigned char)*p;
	for (size_t i = 0; i < n_extra; i++)
		keys[n++] = extra[i];
	feed = keys;
	feed_n = n;
	feed_at = 0;
	feed_end = ev;
	bool resized = false;
	return term_paste_collect(fake_next, key, &resized);
}

static char *text_of_paste(void)
{
	const int *t;
	size_t n = term_paste(&t);
	char *s = calloc(n + 1, 1);
	for (size_t i = 0; i < n; i++)
		s[i] = t[i] < 0x80 ? (char)t[i] : '?';
	return s;
}

static const int end[] = { TERM_PASTE_END };

/* PowerShell's coloured output: colour codes gone, CR LF one line end, and
 * the letter after them is text, not a confirmation. */
static void test_term_paste_strips_colour_and_keeps_text(void **state)
{
	int key = 0;
	(void)state;
	assert_int_equal(collect("PS> Get-Thing\r\n\033[32mOK\033[0mc\r", end, 1, TEV_TICK, &key),
			 TEV_KEY);
	assert_int_equal(key, TERM_PASTE);
	assert_null(term_paste_problem());
	char *s = text_of_paste();
	assert_string_equal(s, "PS> Get-Thing\nOKc\n");
	free(s);
	term_paste_wipe();
}

/* OSC (a clipboard or title request), DCS, SS3, a lone escape, C0 and C1
 * controls, a decoded function key and a nested beginning: all dropped. */
static void test_term_paste_drops_every_control(void **state)
{
	int key = 0;
	const int extra[] = { TERM_FN(KEY_UP), TERM_PASTE_BEGIN, 0x9b, '1', 'm', 0x85, 'z',
			      TERM_PASTE_END };
	(void)state;
	assert_int_equal(collect("a\033]52;c;eA==\007b\033]0;t\033\\c\033P1$r\033\\d\033OAe"
				 "\033cf\001\177g\tn", extra, CK_ARRAY_LEN(extra), TEV_TICK, &key),
			 TEV_KEY);
	assert_int_equal(key, TERM_PASTE);
	char *s = text_of_paste();
	assert_string_equal(s, "abcdefg\tnz");
	free(s);
	term_paste_wipe();
}

/* Silence before the end marker (ncurses' one-second tick, a script's
 * <Idle>): refused whole, with the reason. */
static void test_term_paste_without_end_is_refused(void **state)
{
	int key = 0;
	const int *t;
	(void)state;
	assert_int_equal(collect("half a paste", NULL, 0, TEV_TICK, &key), TEV_KEY);
	assert_int_equal(key, TERM_PASTE);
	assert_int_equal(term_paste(&t), 0);
	assert_non_null(strstr(term_paste_problem(), "did not end"));
	assert_int_equal(collect("half", NULL, 0, TEV_IDLE, &key), TEV_KEY);
	assert_int_equal(term_paste(&t), 0);
	term_paste_wipe();
}

static void test_term_paste_too_long_is_refused(void **state)
{
	int key = 0;
	const int *t;
	char *big = malloc(TERM_PASTE_MAX + 2);
	(void)state;
	memset(big, 'x', TERM_PASTE_MAX);
	big[TERM_PASTE_MAX] = 0;
	assert_int_equal(collect(big, end, 1, TEV_TICK, &key), TEV_KEY);
	assert_int_equal(term_paste(&t), TERM_PASTE_MAX); /* exactly the bound: taken */
	big[TERM_PASTE_MAX] = 'x';
	big[TERM_PASTE_MAX + 1] = 0;
	assert_int_equal(collect(big, end, 1, TEV_TICK, &key), TEV_KEY);
	assert_int_equal(term_paste(&t), 0);
	assert_non_null(strstr(term_paste_problem(), "too long"));
	term_paste_wipe();
	free(big);
}

/* A signal or the script's end inside a paste is passed on, the text dropped. */
static void test_term_paste_signal_inside_is_passed_on(void **state)
{
	int key = 0;
	const int *t;
	(void)state;
	assert_int_equal(collect("secret", NULL, 0, TEV_SIGNAL, &key), TEV_SIGNAL);
	assert_int_equal(term_paste(&t), 0);
	assert_int_equal(collect("secret", NULL, 0, TEV_END, &key), TEV_END);
	term_paste_release();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_term_paste_strips_colour_and_keeps_text),
		cmocka_unit_test(test_term_paste_drops_every_control),
		cmocka_unit_test(test_term_paste_without_end_is_refused),
		cmocka_unit_test(test_term_paste_too_long_is_refused),
		cmocka_unit_test(test_term_paste_signal_inside_is_passed_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
