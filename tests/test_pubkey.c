/* test_pubkey.c: keys under which a signature proves nothing are refused
 * wherever a key is read: small-order points (the identity among them),
 * y >= 2^255-19, in either sign; signatures with S >= L are refused; and the
 * keystore refuses a .pub file that carries such a key. */
#include "config.h" /* _GNU_SOURCE: mkdtemp */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck.h"
#include "hash.h"
#include "keys.h"
#include "keystore.h"
#include "pubkey.h"
#include "util.h"

/* The small-order keys as the probe wrote them (the identity, all zeros, the
 * order-2 point, y = p). */
static const char *const probe_keys[] = {
	"ed25519:AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	"ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	"ed25519:7P///////////////////////////////////////38=",
	"ed25519:7f///////////////////////////////////////38=",
};

/* The y coordinates of the eight torsion points (RFC 8032 encoding, sign bit
 * clear) besides 0 and 1: p - 1 (order 2) and the two of order 8. */
static const char *const torsion_y_hex[] = {
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
};

static void unhex(const char *hex, unsigned char out[PUBKEY_LEN])
{
	for (int i = 0; i < PUBKEY_LEN; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
}

/* Every encoding of a small-order point: the torsion y values with either
 * sign bit, and every y in [p, 2^255) (which reduce to small y values or
 * decode to other points: refused as non-canonical either way). n <= 64. */
static size_t weak_encodings(unsigned char out[][PUBKEY_LEN])
{
	size_t n = 0;
	for (int sign = 0; sign < 2; sign++) {
		for (int small = 0; small < 2; small++) { /* y = 0, y = 1 */
			memset(out[n], 0, PUBKEY_LEN);
			out[n][0] = (unsigned char)small;
			out[n++][31] |= (unsigned char)(sign << 7);
		}
		for (size_t i = 0; i < CK_ARRAY_LEN(torsion_y_hex); i++) {
			unhex(torsion_y_hex[i], out[n]);
			out[n++][31] |= (unsigned char)(sign << 7);
		}
		for (int y0 = 0xed; y0 <= 0xff; y0++) { /* y = p + (y0 - 0xed) */
			memset(out[n], 0xff, PUBKEY_LEN);
			out[n][0] = (unsigned char)y0;
			out[n++][31] = (unsigned char)(0x7f | (sign << 7));
		}
	}
	return n;
}

static void test_pubkey_probe_keys_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < CK_ARRAY_LEN(probe_keys); i++) {
		unsigned char pub[PUBKEY_LEN];
		const char *why = NULL;
		assert_int_equal(pubkey_parse(probe_keys[i], pub), -1);
		assert_int_equal(pubkey_read(probe_keys[i], pub, &why), -2);
		assert_non_null(why);
		assert_non_null(strstr(why, "Ed25519 point"));
	}
}

static void test_pubkey_every_weak_encoding_refused(void **state)
{
	unsigned char w[64][PUBKEY_LEN];
	size_t n = weak_encodings(w);
	(void)state;
	assert_int_equal(n, 2 * (2 + 3 + 19));
	for (size_t i = 0; i < n; i++) {
		char *line = pubkey_format(w[i]);
		unsigned char pub[PUBKEY_LEN];
		if (pubkey_weakness(w[i]) == PUBKEY_STRONG || pubkey_parse(line, pub) == 0)
			fail_msg("weak key %s accepted", line);
		free(line);
	}
}

/* The forgery itself: under no weak key does a constant signature (R a
 * small-order point, S = 0) verify, for any of a few messages. On OpenSSL
 * 3.0 alone, R = identity under the identity key passes for every message. */
static void test_pubkey_no_weak_key_accepts_constant_signature(void **state)
{
	unsigned char w[64][PUBKEY_LEN];
	size_t n = weak_encodings(w);
	(void)state;
	for (size_t k = 0; k < n; k++)
		for (size_t r = 0; r < n; r++)
			for (int m = 0; m < 8; m++) {
				unsigned char sig[PUBKEY_SIG_LEN] = { 0 };
				char msg[32];
				memcpy(sig, w[r], PUBKEY_LEN);
				snprintf(msg, sizeof msg, "ckwizard-journal-v1\n%d", m);
				if (pubkey_verify(w[k], msg, strlen(msg), sig) != 0)
					fail_msg("key %zu accepted a constant signature (R %zu)", k, r);
			}
}

/* S >= L (the group order): the same signature with L added to S is the same
 * point equation, but a second encoding. RFC 8032 5.1.7 refuses it; OpenSSL
 * 3.0 does too, and this keeps it so. */
static void test_pubkey_signature_with_s_not_reduced_refused(void **state)
{
	static const unsigned char L[32] = { /* 2^252 + 27742317777372353535851937790883648493 */
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
		0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
	};
	unsigned char seed[32], pub[PUBKEY_LEN], sig[PUBKEY_SIG_LEN];
	(void)state;
	memset(seed, 0x5a, sizeof seed);
	struct keys_private *k = keys_from_raw(seed);
	assert_non_null(k);
	keys_public(k, pub);
	assert_int_equal(keys_sign(k, "m", 1, sig), 0);
	keys_lock(k);
	assert_int_equal(pubkey_verify(pub, "m", 1, sig), 1);
	unsigned carry = 0;
	for (int i = 0; i < 32; i++) { /* S += L, little-endian; S < L < 2^253: no overflow */
		unsigned v = sig[32 + i] + L[i] + carry;
		sig[32 + i] = (unsigned char)v;
		carry = v >> 8;
	}
	assert_int_equal(carry, 0);
	assert_int_equal(pubkey_verify(pub, "m", 1, sig), 0);
}

/* Real keys are not caught: the demo keys and freshly made ones. */
static void test_pubkey_real_keys_pass(void **state)
{
	(void)state;
	for (unsigned i = 0; i < pubkey_n_demos; i++) {
		unsigned char pub[PUBKEY_LEN];
		assert_int_equal(pubkey_parse(pubkey_demos[i].key, pub), 0);
	}
	for (int i = 0; i < 64; i++) {
		unsigned char seed[32], pub[PUBKEY_LEN];
		memset(seed, i, sizeof seed);
		struct keys_private *k = keys_from_raw(seed);
		assert_non_null(k);
		keys_public(k, pub);
		keys_lock(k);
		assert_int_equal(pubkey_weakness(pub), PUBKEY_STRONG);
	}
}

/* A .pub file in the keystore with the identity key (an attacker's edit, or
 * a bad copy): export refuses it with the reason, the session's key search
 * never picks it, and list shows it refused. */
static void test_pubkey_keystore_refuses_weak_pub_file(void **state)
{
	char tmpl[] = "/tmp/ckw-pubkey-XXXXXX";
	char *dir = mkdtemp(tmpl), *err = NULL;
	(void)state;
	assert_non_null(dir);
	char *path = xasprintf("%s/bob@contoso.com.pub", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "name: Bob Berg\nupn: bob@contoso.com\nkey: %s\n", probe_keys[0]);
	assert_int_equal(fclose(f), 0);
	struct keystore_entry e, *es = NULL;
	size_t n = 0;
	assert_int_equal(keystore_find(dir, "bob@contoso.com", &e, &err), -1);
	assert_non_null(strstr(err, "refused"));
	assert_non_null(strstr(err, "small-order"));
	free(err);
	err = NULL;
	unsigned char zero[PUBKEY_LEN] = { 0 }; /* what a weak key leaves in a buffer */
	assert_int_equal(keystore_find_key(dir, zero, &e, &err), 1);
	assert_int_equal(keystore_list(dir, &es, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_non_null(es[0].refused);
	keystore_entry_free(&es[0]);
	free(es);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(path);
}

/* Security-domain officers' RSA keys (pubkey_rsa.c). The fingerprint is the
 * one `openssl pkey -pubin -outform DER | sha256sum` printed for this key
 * when the fixture was made; the certificate holds the same key. */
static const char officer_pub[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAk3cICe8EybfMY55bd39H\n"
	"hbjWTyIySWI+6IUxv+0EdESFIU8roG6zDYZ2s0PG7jORvC/wWAhl74+2wVHN1kk0\n"
	"zYy3Wp0QbBj0gASJZ5f0BWENocdQOhHfmxsFjC8hEXcY78IgHG8SWbUoch7cCAUg\n"
	"vEJRaf3pyRPWb1gKdO5jcxKJCmdRoOmAWZplOHmvZPl4DXEfHy4peuhKbgjKaStE\n"
	"PixI+pkt+Du0JIjZOaby8QaiFzJwDCMPJO8W4+JJcQoZRwpKmzW7VuA4pLtT9twK\n"
	"Gy/n0ufkLHyiQJyDDyGP8kP1l3p/VALXgZBJGB/oleN+R4JzB5QCet1N8z4iiKT7\n"
	"zwIDAQAB\n"
	"-----END PUBLIC KEY-----\n"
;
static const char officer_cer[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDCzCCAfOgAwIBAgIUb596qVyXBMngvAzFULAgvAXQrT4wDQYJKoZIhvcNAQEL\n"
	"BQAwFTETMBEGA1UEAwwKRXJpbiBFdmFuczAeFw0yNjEyMDExNjE2MThaFw0zNjEx\n"
	"MjgxNjE2MThaMBUxEzARBgNVBAMMCkVyaW4gRXZhbnMwggEiMA0GCSqGSIb3DQEB\n"
	"AQUAA4IBDwAwggEKAoIBAQCTdwgJ7wTJt8xjnlt3f0eFuNZPIjJJYj7ohTG/7QR0\n"
	"RIUhTyugbrMNhnazQ8buM5G8L/BYCGXvj7bBUc3WSTTNjLdanRBsGPSABIlnl/QF\n"
	"YQ2hx1A6Ed+bGwWMLyERdxjvwiAcbxJZtShyHtwIBSC8QlFp/enJE9ZvWAp07mNz\n"
	"EokKZ1Gg6YBZmmU4ea9k+XgNcR8fLil66EpuCMppK0Q+LEj6mS34O7QkiNk5pvLx\n"
	"BqIXMnAMIw8k7xbj4klxChlHCkqbNbtW4Diku1P23AobL+fS5+QsfKJAnIMPIY/y\n"
	"Q/WXen9UAteBkEkYH+iV435HgnMHlAJ63U3zPiKIpPvPAgMBAAGjUzBRMB0GA1Ud\n"
	"DgQWBBSv2W+/CYqnmmbqFWdkmxV4jW9caTAfBgNVHSMEGDAWgBSv2W+/CYqnmmbq\n"
	"FWdkmxV4jW9caTAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQAa\n"
	"jSXinwHN1Z2Dqb4IQHzepo0vChGasRP232ErZipLgLV13Q+gZz5rpvo/+7+kK8/g\n"
	"6v6xQf9SFVALriXAAcODeRpCcIhLSZqmw9Kbpn04rIFKsB72cK45MteCaObZAu9j\n"
	"+Z6itP6Ofop5wOh33pO4ejSbgyRFCg/HF5Lxf8FLw/qICELW7wZxzrbgIwhJ0i8n\n"
	"cvj8/kIQV9D8r0XF4rPhlWfzyEZZLf5JjWtuqPxehJzSIc86MZjuUa8pgAFwS3oA\n"
	"MG6Ks60Bqfvnck15q9y4o7WH1CcGoN8cW6R+WlRHKEwt9e6i3ZNO5XMGSaUAa4Qp\n"
	"Y5zfIPcl55wzdJcOW7Dn\n"
	"-----END CERTIFICATE-----\n"
;
static const char small_pub[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCqtl9N7HBRv3Xv8wsYLFH7B0GC\n"
	"Al9P5DqWTtFSDx5rehR4LlruGNWHAhyxTbUbIqCoVaM9bYB6n0M+SNHrOUeDq8ln\n"
	"a7c31/97A9KY8K+wnKxH14zYa1jog5BzATT9UX1nlBDL1uajL9o1gJjwxCWsLWhU\n"
	"iqcqXmbghA5J6RyH9wIDAQAB\n"
	"-----END PUBLIC KEY-----\n"
;
static const char ec_pub[] =
	"-----BEGIN PUBLIC KEY-----\n"
	"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2/ZoiRoz5ffT4HRnH5yxY4b09sNd\n"
	"ePA03MDaZ/e2TnqBKlBUnSd7f73bP1vIOVO+CtnyiJ5t9n5TJSOOt9bVvw==\n"
	"-----END PUBLIC KEY-----\n"
;
#define OFFICER_SHA256 "3c7ebfd147e20cc8b2b2317aa496adba2e981c8199f8e49d119e83a7a0267637"

static void test_pubkey_rsa_pem_fingerprints(void **state)
{
	char hex[65];
	int bits;
	const char *why = NULL;
	assert_int_equal(pubkey_rsa_pem(officer_pub, hex, &bits, &why), 0);
	assert_string_equal(hex, OFFICER_SHA256);
	assert_int_equal(bits, 2048);
	/* a certificate is fingerprinted by the key it carries */
	assert_int_equal(pubkey_rsa_pem(officer_cer, hex, &bits, &why), 0);
	assert_string_equal(hex, OFFICER_SHA256);
	/* refused: under 2048 bits, not RSA, a private key, not PEM */
	assert_int_equal(pubkey_rsa_pem(small_pub, hex, &bits, &why), -1);
	assert_non_null(strstr(why, "2048"));
	assert_string_equal(hex, "");
	assert_int_equal(pubkey_rsa_pem(ec_pub, hex, &bits, &why), -1);
	assert_non_null(strstr(why, "RSA"));
	assert_int_equal(pubkey_rsa_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
					hex, &bits, &why), -1);
	assert_non_null(strstr(why, "private"));
	assert_int_equal(pubkey_rsa_pem("ssh-rsa AAAA", hex, &bits, &why), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pubkey_probe_keys_refused),
		cmocka_unit_test(test_pubkey_every_weak_encoding_refused),
		cmocka_unit_test(test_pubkey_no_weak_key_accepts_constant_signature),
		cmocka_unit_test(test_pubkey_signature_with_s_not_reduced_refused),
		cmocka_unit_test(test_pubkey_real_keys_pass),
		cmocka_unit_test(test_pubkey_keystore_refuses_weak_pub_file),
		cmocka_unit_test(test_pubkey_rsa_pem_fingerprints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
