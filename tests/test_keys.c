/* test_keys.c: operator keys: generation, the encrypted PEM's KDF, unlocking
 * (wrong passphrase vs not a key file), signing, the bundled demo keys,
 * passphrases from a descriptor. */
#include "config.h" /* _GNU_SOURCE: mkdtemp, O_CLOEXEC with -std=c11 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/asn1t.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "ck.h"
#include "keys.h"
#include "keystore.h"
#include "pubkey.h"
#include "util.h"

static const char *test_keys_srcdir(void)
{
	const char *s = getenv("CK_SRCDIR");
	return s ? s : ".";
}

static void test_keys_generate_roundtrip_signs(void **state)
{
	char *pem = NULL, *err = NULL;
	unsigned char pub[PUBKEY_LEN], pub2[PUBKEY_LEN], sig[PUBKEY_SIG_LEN];
	assert_int_equal(keys_generate("correct horse battery", &pem, pub, &err), 0);
	assert_non_null(strstr(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
	struct keys_private *k = keys_unlock(pem, strlen(pem), "correct horse battery", &err);
	assert_non_null(k);
	keys_public(k, pub2);
	assert_memory_equal(pub, pub2, PUBKEY_LEN);
	assert_int_equal(keys_sign(k, "hello", 5, sig), 0);
	assert_int_equal(pubkey_verify(pub, "hello", 5, sig), 1);
	assert_int_equal(pubkey_verify(pub, "hellO", 5, sig), 0);
	keys_lock(k);
	free(pem);
}

/* The KDF's 16 MiB goes back to the system after each use: after writing
 * and unlocking keys again and again, the heap (brk arena) holds none of it.
 * Before, the second scrypt block came from the heap and stayed there. */
static void test_keys_kdf_memory_returned(void **state)
{
	char *err = NULL;
	unsigned char pub[PUBKEY_LEN];
	(void)state;
	for (int i = 0; i < 3; i++) {
		char *pem = NULL;
		assert_int_equal(keys_generate("correct horse battery", &pem, pub, &err), 0);
		struct keys_private *k = keys_unlock(pem, strlen(pem), "correct horse battery", &err);
		assert_non_null(k);
		keys_lock(k);
		free(pem);
	}
	struct mallinfo2 mi = mallinfo2();
	if (mi.arena >= 8u << 20)
		fail_msg("the heap holds %zu bytes after the KDF (its 16 MiB kept)", mi.arena);
}

/* The PEM must say PBES2 + scrypt (N=16384, r=8) + AES-256-CBC, not
 * OpenSSL's default 2048-round PBKDF2. */
static void test_keys_pem_uses_scrypt(void **state)
{
	char *pem = NULL, *err = NULL;
	unsigned char pub[PUBKEY_LEN];
	assert_int_equal(keys_generate("another long passphrase", &pem, pub, &err), 0);
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509_SIG *p8 = PEM_read_bio_PKCS8(bio, NULL, NULL, NULL);
	assert_non_null(p8);
	const X509_ALGOR *alg;
	X509_SIG_get0(p8, &alg, NULL);
	assert_int_equal(OBJ_obj2nid(alg->algorithm), NID_pbes2);
	PBE2PARAM *p2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
	assert_non_null(p2);
	assert_int_equal(OBJ_obj2nid(p2->keyfunc->algorithm), NID_id_scrypt);
	assert_int_equal(OBJ_obj2nid(p2->encryption->algorithm), NID_aes_256_cbc);
	SCRYPT_PARAMS *sp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS),
						      p2->keyfunc->parameter);
	assert_non_null(sp);
	uint64_t n = 0, r = 0;
	assert_int_equal(ASN1_INTEGER_get_uint64(&n, sp->costParameter), 1);
	assert_int_equal(ASN1_INTEGER_get_uint64(&r, sp->blockSize), 1);
	assert_true(n >= 16384);
	assert_int_equal(r, 8);
	SCRYPT_PARAMS_free(sp);
	PBE2PARAM_free(p2);
	X509_SIG_free(p8);
	BIO_free(bio);
	free(pem);
}

static void test_keys_wrong_passphrase_is_told_apart(void **state)
{
	char *pem = NULL, *err = NULL;
	unsigned char pub[PUBKEY_LEN];
	assert_int_equal(keys_generate("right passphrase!", &pem, pub, &err), 0);
	assert_null(keys_unlock(pem, strlen(pem), "wrong passphrase!", &err));
	assert_string_equal(err, "wrong passphrase");
	free(err);
	err = NULL;
	static const char junk[] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
	assert_null(keys_unlock(junk, strlen(junk), "x", &err));
	assert_non_null(strstr(err, "not a key file"));
	free(err);
	err = NULL;
	assert_null(keys_unlock("hello", 5, "x", &err));
	assert_non_null(strstr(err, "not a key file"));
	free(err);
	free(pem);
}

/* The bundled demo keys unlock with the README's passphrases and match the
 * public keys the plans and src/pubkey.c carry. */
static void test_keys_demo_keys_match_pubkeys(void **state)
{
	assert_int_equal(pubkey_n_demos, 2);
	for (unsigned i = 0; i < pubkey_n_demos; i++) {
		const struct pubkey_demo *d = &pubkey_demos[i];
		char *path = xasprintf("%s/plans/demo-operators/%s", test_keys_srcdir(), d->file);
		char *err = NULL;
		struct keys_private *k = keys_unlock_file(path, d->passphrase_hint, &err);
		if (!k)
			fail_msg("%s: %s", path, err);
		unsigned char pub[PUBKEY_LEN], want[PUBKEY_LEN], sig[PUBKEY_SIG_LEN];
		keys_public(k, pub);
		assert_int_equal(pubkey_parse(d->key, want), 0);
		assert_memory_equal(pub, want, PUBKEY_LEN);
		assert_ptr_equal(pubkey_demo_find(pub), d);
		assert_int_equal(keys_sign(k, "m", 1, sig), 0);
		assert_int_equal(pubkey_verify(want, "m", 1, sig), 1);
		keys_lock(k);
		assert_null(keys_unlock_file(path, "rehearse-nobody", &err));
		assert_non_null(strstr(err, "wrong passphrase"));
		free(err);
		err = NULL;

		/* A git checkout does not keep 0600: a world-readable copy of a demo
		 * key still unlocks (its secret is published), unlike a real key. */
		char dir[] = "/tmp/ckw-keys-demo-XXXXXX";
		assert_non_null(mkdtemp(dir));
		char *copy = xasprintf("%s/%s", dir, d->file);
		char *cmd = xasprintf("cp '%s' '%s' && chmod 0644 '%s'", path, copy, copy);
		assert_int_equal(system(cmd), 0);
		k = keys_unlock_file(copy, d->passphrase_hint, &err);
		if (!k)
			fail_msg("%s: %s", copy, err);
		keys_lock(k);
		unlink(copy);
		rmdir(dir);
		free(cmd);
		free(copy);
		free(path);
	}
}

static void test_keys_file_checks(void **state)
{
	char dir[] = "/tmp/ckw-keys.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *err = NULL, *pem = NULL;
	unsigned char pub[PUBKEY_LEN];
	assert_int_equal(keys_generate("file passphrase 1", &pem, pub, &err), 0);
	char *path = xasprintf("%s/k.key", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(pem, f);
	fclose(f);
	chmod(path, 0644); /* world-readable: refused (mode checks work as root too) */
	assert_null(keys_unlock_file(path, "file passphrase 1", &err));
	assert_non_null(strstr(err, "readable by everyone"));
	free(err);
	chmod(path, 0600);
	struct keys_private *k = keys_unlock_file(path, "file passphrase 1", &err);
	assert_non_null(k);
	keys_lock(k);
	assert_null(keys_unlock_file(dir, "x", &err)); /* a directory */
	assert_non_null(strstr(err, "not a key file"));
	free(err);
	char *missing = xasprintf("%s/nope.key", dir);
	assert_null(keys_unlock_file(missing, "x", &err));
	assert_non_null(strstr(err, "nope.key"));
	free(err);
	unlink(path);
	rmdir(dir);
	free(missing);
	free(path);
	free(pem);
}

static void test_keys_from_raw_is_deterministic(void **state)
{
	unsigned char seed[32], p1[PUBKEY_LEN], p2[PUBKEY_LEN];
	memset(seed, 7, sizeof seed);
	struct keys_private *a = keys_from_raw(seed), *b = keys_from_raw(seed);
	keys_public(a, p1);
	keys_public(b, p2);
	assert_memory_equal(p1, p2, PUBKEY_LEN);
	keys_lock(a);
	keys_lock(b);
	keys_lock(NULL);
}

static void test_keys_passphrase_from_fd_reads_one_line(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	const char in[] = "first line here\r\nsecond line\n";
	assert_int_equal(write(p[1], in, sizeof in - 1), (ssize_t)(sizeof in - 1));
	close(p[1]);
	char *err = NULL;
	char *a = keys_read_passphrase("x", p[0], &err);
	assert_string_equal(a, "first line here");
	char *b = keys_read_passphrase("x", p[0], &err);
	assert_string_equal(b, "second line");
	assert_null(keys_read_passphrase("x", p[0], &err));
	assert_non_null(strstr(err, "end of input"));
	free(err);
	util_free_secret(a);
	util_free_secret(b);
	close(p[0]);
}

/* A NUL would end the passphrase early as a C string: "abc\0def" would
 * unlock with "abc". Refused, and the error says why. */
static void test_keys_passphrase_with_nul_refused(void **state)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	const char in[] = "correct horse\0battery staple\n";
	assert_int_equal(write(p[1], in, sizeof in - 1), (ssize_t)(sizeof in - 1));
	close(p[1]);
	char *err = NULL;
	assert_null(keys_read_passphrase("x", p[0], &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "NUL"));
	free(err);
	close(p[0]);
}

/* UPNs name files: anything that could reach another path is refused. */
static void test_keys_keystore_upn_and_name_rules(void **state)
{
	static const char *const good[] = { "alice@contoso.com", "Bob.Berg@Contoso.CO.UK",
					    "o'brien+ck@x-y.example", "a_b-c@d.ef" };
	static const char *const bad[] = { "", "alice", "@contoso.com", "alice@", "alice@contoso",
					   "../x@contoso.com", ".x@contoso.com", "x.@contoso.com",
					   "a..b@contoso.com", "a/b@contoso.com", "a@b@contoso.com",
					   "a@contoso..com", "a@-contoso.com", "a@contoso-.com",
					   "a@contoso.com/..", "a b@contoso.com", "a\nb@contoso.com",
					   "caf\xc3\xa9@contoso.com" };
	char *why = NULL;
	for (size_t i = 0; i < CK_ARRAY_LEN(good); i++)
		if (keystore_upn_ok(good[i], &why) != 0)
			fail_msg("%s: %s", good[i], why);
	for (size_t i = 0; i < CK_ARRAY_LEN(bad); i++) {
		if (keystore_upn_ok(bad[i], &why) == 0)
			fail_msg("accepted: \"%s\"", bad[i]);
		free(why);
		why = NULL;
	}
	char longupn[200];
	memset(longupn, 'a', sizeof longupn);
	strcpy(longupn + 110, "@contoso.com");
	assert_int_equal(keystore_upn_ok(longupn, &why), -1);
	free(why);
	assert_int_equal(keystore_name_ok("Bj\xc3\xb8rn \xc3\x85s", &why), 0);
	static const char *const bad_names[] = { "", "Eve\x1b[2J", "evil\xe2\x80\xaegnp",
						 "bad \xff", "two\nlines" };
	for (size_t i = 0; i < CK_ARRAY_LEN(bad_names); i++) {
		assert_int_equal(keystore_name_ok(bad_names[i], &why), -1);
		free(why);
	}
}

static void test_keys_keystore_enroll_then_unlock(void **state)
{
	char dir[] = "/tmp/ckw-keystore.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *ops = xasprintf("%s/a/b/operators", dir), *err = NULL, *warn = NULL;
	struct keystore_entry e, f;
	bool exists = false;
	assert_int_equal(keystore_enroll(ops, true, "Alice Ames", "Alice@Contoso.com",
					 "keystore passphrase", &e, &warn, &exists, &err), 0);
	assert_null(warn);
	assert_true(e.has_key);
	assert_false(e.demo);
	struct stat st;
	char *parent = xasprintf("%s/a", dir);
	assert_int_equal(stat(parent, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* the plan's key finds the file; unlocking gives that very key */
	unsigned char pub[PUBKEY_LEN], got[PUBKEY_LEN];
	assert_int_equal(pubkey_parse(e.key_line, pub), 0);
	assert_int_equal(keystore_find_key(ops, pub, &f, &err), 0);
	assert_string_equal(f.key_path, e.key_path);
	struct keys_private *k = keys_unlock_file(f.key_path, "keystore passphrase", &err);
	assert_non_null(k);
	keys_public(k, got);
	assert_memory_equal(got, pub, PUBKEY_LEN);
	keys_lock(k);
	keystore_entry_free(&f);
	assert_int_equal(keystore_find(ops, "alice@CONTOSO.com", &f, &err), 0);
	assert_string_equal(f.name, "Alice Ames");
	assert_string_equal(f.upn, "Alice@Contoso.com");
	keystore_entry_free(&f);
	assert_int_equal(keystore_find(ops, "bob@contoso.com", &f, &err), 1);
	pub[0] ^= 1;
	assert_int_equal(keystore_find_key(ops, pub, &f, &err), 1);
	/* never twice */
	assert_int_equal(keystore_enroll(ops, true, "Alice 2", "alice@contoso.com",
					 "keystore passphrase", &f, &warn, &exists, &err), -1);
	assert_true(exists);
	free(err);
	keystore_entry_free(&e);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(parent);
	free(ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_generate_roundtrip_signs),
		cmocka_unit_test(test_keys_pem_uses_scrypt),
		cmocka_unit_test(test_keys_kdf_memory_returned),
		cmocka_unit_test(test_keys_wrong_passphrase_is_told_apart),
		cmocka_unit_test(test_keys_demo_keys_match_pubkeys),
		cmocka_unit_test(test_keys_file_checks),
		cmocka_unit_test(test_keys_from_raw_is_deterministic),
		cmocka_unit_test(test_keys_passphrase_from_fd_reads_one_line),
		cmocka_unit_test(test_keys_passphrase_with_nul_refused),
		cmocka_unit_test(test_keys_keystore_upn_and_name_rules),
		cmocka_unit_test(test_keys_keystore_enroll_then_unlock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
