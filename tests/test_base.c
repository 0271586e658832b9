/* test_base.c: buffers, text safety, hashing, diagnostics, edit distance,
 * bounded file reading. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck.h"
#include "buf.h"
#include "diag.h"
#include "fileread.h"
#include "hash.h"
#include "lookalike.h"
#include "text.h"
#include "util.h"

static void test_base_buf_grows_and_steals(void **state)
{
	struct buf b = BUF_INIT;
	assert_string_equal(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.p));
	assert_true(strncmp(b.p, "0,1,2,", 6) == 0);
	assert_non_null(strstr(b.p, ",999,"));
	char *s = buf_steal(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	free(s);
}

static void test_base_utf8_rejects_bad_sequences(void **state)
{
	size_t off = 99;
	assert_true(text_utf8_valid("plain ascii", 11, &off));
	assert_true(text_utf8_valid("Bj\xc3\xb8rn \xe2\x82\xac \xf0\x9f\x94\x91", 15, &off));
	assert_false(text_utf8_valid("ab\xc0\xaf", 4, &off)); /* overlong '/' */
	assert_int_equal(off, 2);
	assert_false(text_utf8_valid("x\xed\xa0\x80", 4, &off)); /* surrogate */
	assert_int_equal(off, 1);
	assert_false(text_utf8_valid("abc\xe2\x82", 5, &off)); /* truncated */
	assert_int_equal(off, 3);
	assert_false(text_utf8_valid("\xf4\x90\x80\x80", 4, &off)); /* > U+10FFFF */
}

static void test_base_forbidden_finds_controls_and_bidi(void **state)
{
	size_t off;
	uint32_t cp;
	const char *rlo = "evil\xe2\x80\xae" "gnp.exe";
	assert_true(text_find_forbidden(rlo, strlen(rlo), 1, &off, &cp));
	assert_int_equal(off, 4);
	assert_int_equal(cp, 0x202E);
	assert_true(text_find_forbidden("a\x1b[2J", 5, 1, &off, &cp));
	assert_int_equal(cp, 0x1b);
	assert_false(text_find_forbidden("tab\tand\nnewline", 15, 1, &off, &cp));
	assert_true(text_find_forbidden("tab\there", 8, 0, &off, &cp));
	assert_true(text_find_forbidden("nul\0x", 5, 1, &off, &cp));
	assert_int_equal(off, 3);
}

/* The one-pass check the plan reader uses agrees with the two checks it
 * replaced: invalid UTF-8 anywhere wins over a forbidden character before it,
 * and the boundaries of the fast paths (U+061C, U+00AD) still count. */
static void test_base_first_problem_matches_both_checks(void **state)
{
	(void)state;
	size_t off = 99;
	uint32_t cp = 0;
	const char *both = "ab\xe2\x80\xae" "cd\xff";
	assert_int_equal(text_first_problem(both, strlen(both), 1, &off, &cp), TEXT_BAD_UTF8);
	assert_int_equal(off, 7);
	assert_int_equal(text_first_problem("x\x1b\x1by", 4, 1, &off, &cp), TEXT_FORBIDDEN);
	assert_int_equal(off, 1);
	assert_int_equal(cp, 0x1b);
	assert_int_equal(text_first_problem("t\tn\n", 4, 1, &off, &cp), TEXT_OK);
	assert_int_equal(text_first_problem("t\tn\n", 4, 0, &off, &cp), TEXT_FORBIDDEN);
	assert_int_equal(off, 1);
	assert_int_equal(text_first_problem("", 0, 0, &off, &cp), TEXT_OK);
	const char *alm = "\xd8\x9c"; /* U+061C, the lowest bidi mark */
	assert_int_equal(text_first_problem(alm, 2, 1, &off, &cp), TEXT_FORBIDDEN);
	assert_int_equal(cp, 0x061C);
	assert_true(text_is_bidi(0x061C));
	assert_false(text_is_bidi(0x061B));
	assert_true(text_is_invisible(0x00AD));
	assert_false(text_is_invisible(0x00AC));
	char *v = text_visible_line("\xc2\xad\xd8\x9c\x7f~");
	assert_string_equal(v, "<U+00AD><U+061C><U+007F>~");
	free(v);
}

static void test_base_visible_escapes_terminal_attacks(void **state)
{
	char *v = text_visible("a\x1b]52;c;AAAA\x07z\xe2\x80\xae");
	assert_string_equal(v, "a<U+001B>]52;c;AAAA<U+0007>z<U+202E>");
	free(v);
	v = text_visible_line("two\nlines\xff");
	assert_string_equal(v, "two<U+000A>lines<0xFF>");
	free(v);
	v = text_visible("keeps\nnewlines");
	assert_string_equal(v, "keeps\nnewlines");
	free(v);
}

/* Invisible and format characters are shown, not passed on raw. */
static void test_base_visible_shows_invisible_characters(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		{ "a\xe2\x80\x8b" "b", "a<U+200B>b" },             /* zero-width space */
		{ "a\xe2\x80\xa8" "b", "a<U+2028>b" },             /* line separator */
		{ "a\xe2\x80\xa9" "b", "a<U+2029>b" },             /* paragraph separator */
		{ "a\xc2\xad" "b", "a<U+00AD>b" },                  /* soft hyphen */
		{ "\xef\xbb\xbf" "ab", "<U+FEFF>ab" },              /* byte-order mark */
		{ "a\xe1\x85\x9f\xe1\x85\xa0" "b", "a<U+115F><U+1160>b" }, /* Hangul fillers */
		{ "a\xe3\x85\xa4\xef\xbe\xa0" "b", "a<U+3164><U+FFA0>b" },
		{ "a\xf3\xa0\x81\x81" "b", "a<U+E0041>b" },        /* tag LATIN CAPITAL A */
		{ "a\xe2\x81\xa0" "b", "a<U+2060>b" },             /* word joiner (Cf) */
		{ "caf\xc3\xa9 \xd0\x90", "caf\xc3\xa9 \xd0\x90" },   /* letters stay */
		{ "e\xcc\x81", "e\xcc\x81" },                         /* combining acute stays */
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(cases); i++) {
		char *v = text_visible(cases[i].in);
		assert_string_equal(v, cases[i].out);
		free(v);
	}
	assert_true(text_is_invisible(0xE0000) && text_is_invisible(0xE007F));
	assert_false(text_is_invisible(0xE0080) || text_is_invisible('a') ||
		     text_is_invisible(0x00AC) || text_is_invisible(0x3000));
}

/* Names that read the same fold to the same skeleton; others do not. */
static void test_base_lookalike_fold(void **state)
{
	(void)state;
	static const char *const same[][2] = {
		{ "Alice Ames", "\xd0\x90lice Ames" },                 /* Cyrillic A */
		{ "Alice Ames", "Alice Ames " },                        /* trailing space */
		{ "Alice Ames", "  Alice   Ames" },                     /* spacing */
		{ "Alice Ames", "Alice\xc2\xa0" "Ames" },               /* no-break space */
		{ "Alice Ames", "\xef\xbc\xa1lice Ames" },             /* fullwidth A */
		{ "Alice Ames", "Al\xe2\x80\x8bice Ames" },            /* zero-width space */
		{ "Alice Ames", "alice ames" },                         /* case */
		{ "Alice Ames", "AIice Ames" },                         /* capital I for l */
		{ "Alice Ames", "A1ice Ames" },                         /* digit 1 for l */
		{ "Alice Ames", "\xce\x91lice \xce\x91mes" },           /* Greek Alpha */
		{ "Bob Berg", "B\xd0\xbe" "b \xd0\x92" "erg" },           /* Cyrillic o, Ve */
		{ "Fiona", "\xef\xac\x81ona" },                        /* fi ligature */
		{ "Carmen", "Carrnen" },                                /* rn for m */
		{ "Rene", "Ren\xc3\xa9" },                              /* precomposed accent */
		{ "Rene", "Rene\xcc\x81" },                             /* combining accent */
		{ "bob@contoso.com", "b0b@contoso.com" },
		{ "Alice", "\xf0\x9d\x90\x80lice" },                    /* mathematical bold A */
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(same); i++) {
		if (!lookalike_collide(same[i][0], same[i][1]))
			fail_msg("'%s' and '%s' should collide", same[i][0], same[i][1]);
	}
	static const char *const differ[][2] = {
		{ "Alice Ames", "Bob Berg" }, { "Alice", "Alicia" }, { "Alice Ames", "Alice Ames" },
		{ "alice@contoso.com", "alice@contoso.co" }, { "Kim", "Kira" },
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(differ); i++)
		if (lookalike_collide(differ[i][0], differ[i][1]))
			fail_msg("'%s' and '%s' should not collide", differ[i][0], differ[i][1]);
	assert_false(lookalike_collide(NULL, "x"));
	char *f = lookalike_fold("  \xd0\x90lice\xe2\x80\x83" "Ames\xef\xbb\xbf ");
	assert_string_equal(f, "alice ames");
	free(f);
}

static void test_base_sha256_known_vector(void **state)
{
	char hex[65];
	hash_sha256_hex("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hash_sha256_hex("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* A provider whose SHA-256 starts and reads but cannot finish: what a
 * broken or failing provider does after EVP_DigestInit_ex succeeded. */
static void *fail_final_newctx(void *prov)
{
	static int ctx;
	(void)prov;
	return &ctx;
}

static void fail_final_freectx(void *ctx)
{
	(void)ctx;
}

static int fail_final_init(void *ctx, const OSSL_PARAM params[])
{
	(void)ctx;
	(void)params;
	return 1;
}

static int fail_final_update(void *ctx, const unsigned char *in, size_t n)
{
	(void)ctx;
	(void)in;
	(void)n;
	return 1;
}

static int fail_final_final(void *ctx, unsigned char *out, size_t *outl, size_t outsz)
{
	(void)ctx;
	(void)out;
	(void)outl;
	(void)outsz;
	return 0;
}

static int fail_final_get_params(OSSL_PARAM params[])
{
	OSSL_PARAM *p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, 32))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_BLOCK_SIZE);
	return !p || OSSL_PARAM_set_size_t(p, 64);
}

static const OSSL_DISPATCH fail_final_sha256[] = {
	{ OSSL_FUNC_DIGEST_NEWCTX, (void (*)(void))fail_final_newctx },
	{ OSSL_FUNC_DIGEST_FREECTX, (void (*)(void))fail_final_freectx },
	{ OSSL_FUNC_DIGEST_INIT, (void (*)(void))fail_final_init },
	{ OSSL_FUNC_DIGEST_UPDATE, (void (*)(void))fail_final_update },
	{ OSSL_FUNC_DIGEST_FINAL, (void (*)(void))fail_final_final },
	{ OSSL_FUNC_DIGEST_GET_PARAMS, (void (*)(void))fail_final_get_params },
	{ 0, NULL },
};

static const OSSL_ALGORITHM fail_final_digests[] = {
	{ "SHA2-256:SHA-256:SHA256", "provider=failfinal", fail_final_sha256, NULL },
	{ NULL, NULL, NULL, NULL },
};

static const OSSL_ALGORITHM *fail_final_query(void *prov, int op, int *no_cache)
{
	(void)prov;
	*no_cache = 0;
	return op == OSSL_OP_DIGEST ? fail_final_digests : NULL;
}

static const OSSL_DISPATCH fail_final_provider[] = {
	{ OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*)(void))fail_final_query },
	{ 0, NULL },
};

static int fail_final_provider_init(const OSSL_CORE_HANDLE *h, const OSSL_DISPATCH *in,
				    const OSSL_DISPATCH **out, void **provctx)
{
	static int ctx;
	(void)h;
	(void)in;
	*out = fail_final_provider;
	*provctx = &ctx;
	return 1;
}

/* A file's SHA-256 that OpenSSL could not finish is an error, never the
 * contents of an unwritten buffer read as a digest. */
static void test_base_file_sha256_fails_closed(void **state)
{
	(void)state;
	char path[] = "/tmp/ck-test-base-XXXXXX", hex[65];
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_int_equal(hash_file_sha256_hex(path, hex), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	OSSL_PROVIDER *dflt = OSSL_PROVIDER_load(NULL, "default");
	assert_int_equal(OSSL_PROVIDER_add_builtin(NULL, "failfinal", fail_final_provider_init), 1);
	OSSL_PROVIDER *ff = OSSL_PROVIDER_load(NULL, "failfinal");
	assert_non_null(ff);
	assert_int_equal(EVP_set_default_properties(NULL, "provider=failfinal"), 1);
	memset(hex, 0, sizeof hex);
	int rc = hash_file_sha256_hex(path, hex);
	EVP_set_default_properties(NULL, "");
	OSSL_PROVIDER_unload(ff);
	OSSL_PROVIDER_unload(dflt);
	unlink(path);
	assert_int_equal(rc, -1);
	assert_int_equal(hex[0], '\0');
}

static void test_base_base64_round_trip_and_strictness(void **state)
{
	unsigned char in[32], out[32];
	for (int i = 0; i < 32; i++)
		in[i] = (unsigned char)(i * 7 + 1);
	char *b = hash_base64(in, 32);
	assert_int_equal(strlen(b), 44);
	assert_int_equal(hash_unbase64(b, out, sizeof out), 32);
	assert_memory_equal(in, out, 32);
	free(b);
	assert_int_equal(hash_unbase64("AAA", out, sizeof out), -1);    /* not a multiple of 4 */
	assert_int_equal(hash_unbase64("AA=A", out, sizeof out), -1);   /* padding inside */
	assert_int_equal(hash_unbase64("AA A", out, sizeof out), -1);   /* whitespace */
	assert_int_equal(hash_unbase64("QUJD", out, sizeof out), 3);
	assert_memory_equal(out, "ABC", 3);
}

/* hash.c encodes base64 itself (not with OpenSSL, so that reading a plan
 * does not start it): the same text as OpenSSL's encoder for every length
 * up to 3 blocks of every byte value, and decoded back. */
static void test_base_base64_agrees_with_openssl(void **state)
{
	unsigned char in[258], back[258], ref[4 * 86 + 1];
	for (int i = 0; i < 258; i++)
		in[i] = (unsigned char)(255 - i);
	for (size_t n = 0; n <= sizeof in; n++) {
		char *b = hash_base64(in, n);
		int w = EVP_EncodeBlock(ref, in, (int)n);
		ref[w] = '\0';
		assert_string_equal(b, (const char *)ref);
		if (n) {
			assert_int_equal(hash_unbase64(b, back, sizeof back), (long)n);
			assert_memory_equal(back, in, n);
		}
		free(b);
	}
}

static void test_base_diags_sort_and_count(void **state)
{
	struct diags d = DIAGS_INIT;
	diags_add(&d, DIAG_WARNING, "CK020", "b", 9, 1, NULL, "later");
	diags_add(&d, DIAG_ERROR, "CK001", "a", 2, 5, "fix it", "first %d", 1);
	assert_int_equal(diags_count(&d, DIAG_ERROR), 1);
	assert_int_equal(diags_count(&d, DIAG_WARNING), 1);
	diags_sort(&d);
	assert_string_equal(d.v[0].id, "CK001");
	assert_string_equal(d.v[0].message, "first 1");
	char *j = diags_to_json(&d, "p.yaml");
	assert_non_null(strstr(j, "\"hint\":\t\"fix it\""));
	free(j);
	diags_free(&d);
	assert_int_equal(d.n, 0);
}

/* 60,000 errors used to be kept, sorted and printed one by one: the
 * number kept is capped, the rest counted and announced. */
static void test_base_diags_capped_with_count(void **state)
{
	(void)state;
	struct diags d = DIAGS_INIT;
	size_t total = DIAGS_MAX + 1234;
	/* found last to first: what is kept is the first by position */
	for (size_t i = 0; i < total; i++)
		diags_add(&d, i % 2 ? DIAG_WARNING : DIAG_ERROR, "CK001", "x", (int)(total - i), 1,
			  NULL, "problem %zu", i);
	assert_true(d.n <= 2 * DIAGS_MAX);
	diags_sort(&d);
	assert_int_equal(d.n, DIAGS_MAX);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[DIAGS_MAX - 1].line, DIAGS_MAX);
	assert_int_equal(diags_count(&d, DIAG_ERROR), total / 2);
	assert_int_equal(diags_count(&d, DIAG_WARNING), total / 2);
	assert_int_equal(diags_not_shown(&d), 1234);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	diags_print_text(&d, "p.yaml", f);
	fclose(f);
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	assert_int_equal(lines, DIAGS_MAX + 1);
	assert_non_null(strstr(text, "p.yaml: 1234 more problems not shown"));
	free(text);
	diags_free(&d);
	assert_int_equal(diags_not_shown(&d), 0);
}

/* A fatal message comes after the terminal's restore, which runs once:
 * the wizard's restore (ui/term.c) must not run again from the abort or the
 * exit that follows, and a second fatal path finds nothing left to run. */
static int fatal_restores;
static void count_restore(void)
{
	fatal_restores++;
}

static void test_base_fatal_restore_runs_once(void **state)
{
	(void)state;
	util_fatal_begin(); /* nothing set: nothing to run */
	util_on_fatal(count_restore);
	util_fatal_begin();
	util_fatal_begin();
	assert_int_equal(fatal_restores, 1);
	util_on_fatal(count_restore);
	util_on_fatal(NULL); /* the screen closed normally */
	util_fatal_begin();
	assert_int_equal(fatal_restores, 1);
}

static void test_base_edit_distance(void **state)
{
	assert_int_equal(util_edit_distance("tenant_id", "tenant_id"), 0);
	assert_int_equal(util_edit_distance("tennant_id", "tenant_id"), 1);
	assert_int_equal(util_edit_distance("regoins", "regions"), 2);
	assert_int_equal(util_edit_distance("", "abc"), 3);
}

/* The one reader of whole files: regular files up to the limit, else a
 * refusal that never blocks (a FIFO without a writer). */
static void test_base_fileread_regular_files_only(void **state)
{
	char dir[] = "/tmp/ckw-fileread.XXXXXX";
	char path[64], fifo[64], link[64];
	char *bytes = NULL, *why = NULL;
	size_t len = 0;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/f", dir);
	snprintf(fifo, sizeof fifo, "%s/p", dir);
	snprintf(link, sizeof link, "%s/l", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("0123456789", f);
	fclose(f);
	assert_int_equal(fileread(path, 10, 0, &bytes, &len, &why), FILEREAD_OK);
	assert_int_equal(len, 10);
	assert_string_equal(bytes, "0123456789");
	free(bytes);
	assert_int_equal(fileread(path, 9, 0, &bytes, &len, &why), FILEREAD_TOO_LARGE);
	assert_null(bytes);
	assert_non_null(strstr(why, "larger than 9 bytes"));
	free(why);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(fileread(fifo, 10, 0, &bytes, &len, &why), FILEREAD_NOT_REGULAR);
	assert_non_null(strstr(why, "pipe"));
	free(why);
	assert_int_equal(fileread("/dev/null", 10, 0, &bytes, &len, NULL), FILEREAD_NOT_REGULAR);
	assert_int_equal(fileread(dir, 10, 0, &bytes, &len, NULL), FILEREAD_NOT_REGULAR);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(fileread(link, 10, 0, &bytes, &len, NULL), FILEREAD_OK);
	free(bytes);
	assert_int_equal(fileread(link, 10, FILEREAD_NOFOLLOW, &bytes, &len, &why), FILEREAD_OPEN);
	assert_non_null(strstr(why, "symbolic link"));
	free(why);
	assert_int_equal(fileread(fifo, 10, FILEREAD_NOFOLLOW, &bytes, &len, NULL),
			 FILEREAD_NOT_REGULAR);
	unlink(link);
	unlink(fifo);
	unlink(path);
	assert_int_equal(fileread(path, 10, 0, &bytes, &len, &why), FILEREAD_OPEN);
	free(why);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_buf_grows_and_steals),
		cmocka_unit_test(test_base_file_sha256_fails_closed),
		cmocka_unit_test(test_base_utf8_rejects_bad_sequences),
		cmocka_unit_test(test_base_forbidden_finds_controls_and_bidi),
		cmocka_unit_test(test_base_first_problem_matches_both_checks),
		cmocka_unit_test(test_base_visible_escapes_terminal_attacks),
		cmocka_unit_test(test_base_visible_shows_invisible_characters),
		cmocka_unit_test(test_base_lookalike_fold),
		cmocka_unit_test(test_base_sha256_known_vector),
		cmocka_unit_test(test_base_base64_round_trip_and_strictness),
		cmocka_unit_test(test_base_base64_agrees_with_openssl),
		cmocka_unit_test(test_base_diags_sort_and_count),
		cmocka_unit_test(test_base_diags_capped_with_count),
		cmocka_unit_test(test_base_edit_distance),
		cmocka_unit_test(test_base_fatal_restore_runs_once),
		cmocka_unit_test(test_base_fileread_regular_files_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
