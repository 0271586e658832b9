/* test_quote.c: a hostile corpus must stay ONE command with ONE literal
 * argument. POSIX quoting is checked with the real /bin/sh; PowerShell's is
 * checked against a written model of its single-quoted string rules (pwsh
 * cannot be installed here):
 *   - a single-quoted string opens with any of ' U+2018 U+2019 U+201A U+201B;
 *   - inside, nothing is special ($, backtick, double quotes are literal)
 *     except those five characters: two of them in a row stand for one
 *     literal character (the second), a lone one ends the string. */
#include "ck.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "quote.h"
#include "text.h"
#include "util.h"

static const char *const hostile[] = {
	"plain",
	"",
	"it's",
	"'",
	"''",
	"'''",
	"\xe2\x80\x98" "curly" "\xe2\x80\x99",      /* ‘curly’ */
	"\xe2\x80\x9a" "low" "\xe2\x80\x9b",        /* ‚low‛ */
	"'\xe2\x80\x99",                            /* apostrophe then ’ */
	"\xe2\x80\x99'",
	"x\xe2\x80\x98\xe2\x80\x98y",
	"$(rm -rf /)",
	"`whoami`",
	"a`'b",
	"; echo pwned",
	"a && b || c",
	"| Out-File x",
	"> /tmp/ck-quote-test-should-not-exist",
	"$HOME ${HOME} $env:PATH ${env:PATH}",
	"\\",
	"\\'",
	"trailing\\",
	"\"double\" quotes",
	"\xe2\x80\x9c" "smart double" "\xe2\x80\x9d",
	"'; Remove-Item -Recurse C:\\ ; '",
	"'+$(Invoke-Expression 'calc')+'",
	"#not a comment",
	"<# block #>",
	"-Force",
	"@splat",
	"*?[glob] ~user !hist %s%n",
	"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",         /* 日本語 */
	"key \xf0\x9f\x94\x91",                         /* emoji */
	"o'brien/ops@contoso.com",
};

static const char *const refused[] = {
	"two\nlines",
	"tab\there",
	"cr\rhere",
	"esc\x1b[2J",
	"bidi\xe2\x80\xae" "exe.txt",   /* U+202E */
	"isolate\xe2\x81\xa6",          /* U+2066 */
	"mark\xe2\x80\x8f",             /* U+200F */
	"del\x7f",
	"c1\xc2\x85",                   /* U+0085 NEL */
	"bad\xff" "utf8",
	"overlong\xc0\xaf",
	"line\xe2\x80\xa8" "sep",       /* U+2028 */
	"para\xe2\x80\xa9" "sep",       /* U+2029 */
};

/* ---- the PowerShell model ----------------------------------------------- */
/* Parse one single-quoted PowerShell token at the start of s; returns the
 * string's value, or NULL if s is not exactly one such token. */
static char *ps_model_parse(const char *s)
{
	size_t len = strlen(s), i = 0;
	uint32_t cp;
	if (text_utf8_next(s, len, &i, &cp) < 0 || !quote_ps_is_single_quote(cp))
		return NULL;
	struct buf v = BUF_INIT;
	for (;;) {
		size_t at = i;
		if (text_utf8_next(s, len, &i, &cp) < 0) {
			buf_free(&v);
			return NULL; /* unterminated */
		}
		if (!quote_ps_is_single_quote(cp)) {
			buf_add(&v, s + at, i - at);
			continue;
		}
		size_t second = i;
		uint32_t next;
		if (i < len && text_utf8_next(s, len, &i, &next) == 0 &&
		    quote_ps_is_single_quote(next)) {
			buf_add(&v, s + second, i - second); /* a pair: one literal */
			continue;
		}
		i = second; /* a lone quote ends the string */
		break;
	}
	if (i != len) { /* something after the string: a second token */
		buf_free(&v);
		return NULL;
	}
	if (!v.p)
		buf_puts(&v, "");
	return buf_steal(&v);
}

static void test_quote_model_rejects_naive_quoting(void **state)
{
	/* the model is strict enough to catch quoting that forgets curly quotes */
	char *v = ps_model_parse("'it\xe2\x80\x99s'");
	assert_null(v); /* ’ closes the string: "s'" is left over */
	v = ps_model_parse("'it''s'");
	assert_non_null(v);
	assert_string_equal(v, "it's");
	free(v);
	assert_null(ps_model_parse("'a' 'b'"));
	assert_null(ps_model_parse("'open"));
	assert_null(ps_model_parse("bare"));
}

static void test_quote_ps_corpus_one_literal(void **state)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(hostile); i++) {
		struct buf b = BUF_INIT;
		assert_int_equal(quote_ps(&b, hostile[i]), 0);
		char *v = ps_model_parse(b.p);
		if (!v || strcmp(v, hostile[i]) != 0)
			fail_msg("PowerShell quoting of corpus[%zu] is not one literal: %s", i, b.p);
		free(v);
		assert_null(strchr(b.p, '\n'));
		buf_free(&b);
	}
}

static void test_quote_refuses_unsafe(void **state)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(refused); i++) {
		struct buf b = BUF_INIT;
		assert_int_equal(quote_check(refused[i]), -1);
		assert_int_equal(quote_ps(&b, refused[i]), -1);
		assert_int_equal(quote_sh(&b, refused[i]), -1);
		assert_int_equal(b.len, 0); /* nothing appended */
		buf_free(&b);
	}
}

/* Run the quoted word through the real /bin/sh as the only argument of
 * `set --` and read back the argument count and the first argument. The
 * script goes to sh by exec (no other shell layer), so the harness does not
 * depend on the quoting under test. */
static char *sh_roundtrip(const char *quoted)
{
	char *script = xasprintf("set -- %s; printf '%%s:%%s' \"$#\" \"$1\"", quoted);
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	struct buf out = BUF_INIT;
	char chunk[256];
	ssize_t n;
	while ((n = read(fd[0], chunk, sizeof chunk)) > 0)
		buf_add(&out, chunk, (size_t)n);
	close(fd[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	free(script);
	if (!out.p)
		buf_puts(&out, "");
	return buf_steal(&out);
}

static void test_quote_sh_corpus_one_literal(void **state)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(hostile); i++) {
		struct buf b = BUF_INIT;
		assert_int_equal(quote_sh(&b, hostile[i]), 0);
		assert_null(strchr(b.p, '\n'));
		char *got = sh_roundtrip(b.p);
		char *want = xasprintf("1:%s", hostile[i]);
		if (strcmp(got, want) != 0)
			fail_msg("sh quoting of corpus[%zu] (%s) came back as %s", i, b.p, got);
		free(got);
		free(want);
		buf_free(&b);
	}
	/* the redirection in the corpus never ran */
	assert_int_equal(access("/tmp/ck-quote-test-should-not-exist", F_OK), -1);
}

static void test_quote_exact_forms(void **state)
{
	struct buf b = BUF_INIT;
	quote_ps(&b, "o'brien \xe2\x80\x99x");
	assert_string_equal(b.p, "'o''brien \xe2\x80\x99\xe2\x80\x99x'");
	buf_reset(&b);
	quote_sh(&b, "o'brien");
	assert_string_equal(b.p, "'o'\\''brien'");
	buf_reset(&b);
	quote_sh(&b, "");
	assert_string_equal(b.p, "''");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_model_rejects_naive_quoting),
		cmocka_unit_test(test_quote_ps_corpus_one_literal),
		cmocka_unit_test(test_quote_refuses_unsafe),
		cmocka_unit_test(test_quote_sh_corpus_one_literal),
		cmocka_unit_test(test_quote_exact_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
