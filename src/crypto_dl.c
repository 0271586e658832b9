/* crypto_dl.c: libcrypto, loaded when a command first needs cryptography.
 *
 * Linking libcrypto makes every process map it and apply its ~4,000 symbol
 * and ~22,000 relative relocations before main: on the reference machine
 * that alone cost as much CPU as libyaml parsing the large example plan
 * (doc/bench.md), paid by `check`, which never hashes, signs or verifies.
 * So the ckwizard binary does not link it: every OpenSSL function the
 * program calls is defined here under its own name, and the first call
 * loads libcrypto by its soname and forwards to it (as src/azure/curl_dl.c
 * does for libcurl). All cryptography stays OpenSSL's, with the system's
 * OpenSSL configuration (a FIPS policy, for one) applied as before.
 *
 * The unit tests and fuzz targets link libcrypto directly and do not use
 * this file; only the ckwizard binary does (Makefile.am). */
#include "ck.h"
#include "cli.h"
#include "util.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OpenSSL 3's soname: the major version is its ABI (OpenSSL's README:
 * "major releases may break ABI"). dlopen looks it up as the dynamic loader
 * would have at start: LD_LIBRARY_PATH, the binary's run path, the loader's
 * cache, the system directories. */
#define CRYPTO_DL_SONAME "libcrypto.so.3"

/* The table: every OpenSSL function ckwizard calls, as
 * R(return type, name, (parameters), (arguments)) or, returning nothing,
 * V(name, (parameters), (arguments)). Each expands below to a definition of
 * that function, which the compiler checks against OpenSSL's own prototype
 * in the headers above, so a line that disagrees with OpenSSL does not
 * build. A new OpenSSL call in src/ is a link error until it has its line
 * here. EVP_PKEY_Q_keygen, variadic, is written out after the table. */
#define CRYPTO_DL_FUNCS(R, V)                                                            \
	R(long, BIO_ctrl, (BIO * b, int cmd, long larg, void *parg), (b, cmd, larg, parg))       \
	R(int, BIO_free, (BIO * a), (a))                                                       \
	R(BIO *, BIO_new, (const BIO_METHOD *t), (t))                                          \
	R(BIO *, BIO_new_mem_buf, (const void *buf, int len), (buf, len))                      \
	R(const BIO_METHOD *, BIO_s_mem, (void), ())                                           \
	R(int, BN_bn2bin, (const BIGNUM *a, unsigned char *to), (a, to))                       \
	V(BN_free, (BIGNUM * a), (a))                                                          \
	R(int, BN_num_bits, (const BIGNUM *a), (a))                                            \
	V(CRYPTO_free, (void *p, const char *file, int line), (p, file, line))                 \
	R(int, CRYPTO_memcmp, (const void *a, const void *b, size_t n), (a, b, n))             \
	V(ERR_clear_error, (void), ())                                                         \
	R(unsigned long, ERR_get_error, (void), ())                                            \
	R(int, EVP_Digest,                                                                     \
	  (const void *data, size_t count, unsigned char *md, unsigned int *size,              \
	   const EVP_MD *type, ENGINE *impl),                                                  \
	  (data, count, md, size, type, impl))                                                 \
	R(int, EVP_DigestFinal_ex, (EVP_MD_CTX * c, unsigned char *md, unsigned int *s),       \
	  (c, md, s))                                                                          \
	R(int, EVP_DigestInit_ex, (EVP_MD_CTX * c, const EVP_MD *t, ENGINE *e), (c, t, e))     \
	R(int, EVP_DigestSign,                                                                 \
	  (EVP_MD_CTX * c, unsigned char *sig, size_t *siglen, const unsigned char *tbs,       \
	   size_t tbslen),                                                                     \
	  (c, sig, siglen, tbs, tbslen))                                                       \
	R(int, EVP_DigestSignInit,                                                             \
	  (EVP_MD_CTX * c, EVP_PKEY_CTX * *pc, const EVP_MD *t, ENGINE *e, EVP_PKEY *k),       \
	  (c, pc, t, e, k))                                                                    \
	R(int, EVP_DigestUpdate, (EVP_MD_CTX * c, const void *d, size_t n), (c, d, n))         \
	R(int, EVP_DigestVerify,                                                               \
	  (EVP_MD_CTX * c, const unsigned char *sig, size_t siglen, const unsigned char *tbs,  \
	   size_t tbslen),                                                                     \
	  (c, sig, siglen, tbs, tbslen))                                                       \
	R(int, EVP_DigestVerifyInit,                                                           \
	  (EVP_MD_CTX * c, EVP_PKEY_CTX * *pc, const EVP_MD *t, ENGINE *e, EVP_PKEY *k),       \
	  (c, pc, t, e, k))                                                                    \
	V(EVP_MD_CTX_free, (EVP_MD_CTX * c), (c))                                              \
	R(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())                                            \
	R(int, EVP_PBE_scrypt,                                                                 \
	  (const char *pass, size_t passlen, const unsigned char *salt, size_t saltlen,        \
	   uint64_t N, uint64_t r, uint64_t p, uint64_t maxmem, unsigned char *key,            \
	   size_t keylen),                                                                     \
	  (pass, passlen, salt, saltlen, N, r, p, maxmem, key, keylen))                        \
	R(EVP_PKEY *, EVP_PKCS82PKEY, (const PKCS8_PRIV_KEY_INFO *p8), (p8))                   \
	R(PKCS8_PRIV_KEY_INFO *, EVP_PKEY2PKCS8, (const EVP_PKEY *k), (k))                     \
	V(EVP_PKEY_free, (EVP_PKEY * k), (k))                                                  \
	R(int, EVP_PKEY_get_base_id, (const EVP_PKEY *k), (k))                                 \
	R(int, EVP_PKEY_get_bits, (const EVP_PKEY *k), (k))                                    \
	R(int, EVP_PKEY_get_bn_param, (const EVP_PKEY *k, const char *name, BIGNUM **bn),      \
	  (k, name, bn))                                                                       \
	R(int, EVP_PKEY_get_id, (const EVP_PKEY *k), (k))                                      \
	R(int, EVP_PKEY_get_raw_private_key, (const EVP_PKEY *k, unsigned char *b, size_t *n), \
	  (k, b, n))                                                                           \
	R(int, EVP_PKEY_get_raw_public_key, (const EVP_PKEY *k, unsigned char *b, size_t *n),  \
	  (k, b, n))                                                                           \
	R(EVP_PKEY *, EVP_PKEY_new_raw_private_key,                                            \
	  (int type, ENGINE *e, const unsigned char *b, size_t n), (type, e, b, n))            \
	R(EVP_PKEY *, EVP_PKEY_new_raw_public_key,                                             \
	  (int type, ENGINE *e, const unsigned char *b, size_t n), (type, e, b, n))            \
	R(const EVP_CIPHER *, EVP_aes_256_cbc, (void), ())                                     \
	R(const EVP_MD *, EVP_sha1, (void), ())                                                \
	R(const EVP_MD *, EVP_sha256, (void), ())                                              \
	V(OPENSSL_cleanse, (void *p, size_t n), (p, n))                                        \
	R(int, OPENSSL_init_crypto, (uint64_t o, const OPENSSL_INIT_SETTINGS *s), (o, s))      \
	R(X509_SIG *, PEM_read_bio_PKCS8, (BIO * b, X509_SIG **x, pem_password_cb *cb, void *u), \
	  (b, x, cb, u))                                                                       \
	R(EVP_PKEY *, PEM_read_bio_PUBKEY, (BIO * b, EVP_PKEY **x, pem_password_cb *cb, void *u), \
	  (b, x, cb, u))                                                                       \
	R(EVP_PKEY *, PEM_read_bio_PrivateKey,                                                 \
	  (BIO * b, EVP_PKEY **x, pem_password_cb *cb, void *u), (b, x, cb, u))                \
	R(X509 *, PEM_read_bio_X509, (BIO * b, X509 **x, pem_password_cb *cb, void *u),        \
	  (b, x, cb, u))                                                                       \
	R(int, PEM_write_bio_PKCS8, (BIO * b, const X509_SIG *x), (b, x))                      \
	R(X509_ALGOR *, PKCS5_pbe2_set_scrypt,                                                 \
	  (const EVP_CIPHER *c, const unsigned char *salt, int saltlen, unsigned char *aiv,    \
	   uint64_t N, uint64_t r, uint64_t p),                                                \
	  (c, salt, saltlen, aiv, N, r, p))                                                    \
	V(PKCS8_PRIV_KEY_INFO_free, (PKCS8_PRIV_KEY_INFO * a), (a))                            \
	R(PKCS8_PRIV_KEY_INFO *, PKCS8_decrypt, (const X509_SIG *p8, const char *pass, int n), \
	  (p8, pass, n))                                                                       \
	R(X509_SIG *, PKCS8_set0_pbe,                                                          \
	  (const char *pass, int n, PKCS8_PRIV_KEY_INFO *p8, X509_ALGOR *pbe),                 \
	  (pass, n, p8, pbe))                                                                  \
	R(int, RAND_bytes, (unsigned char *buf, int num), (buf, num))                          \
	V(X509_ALGOR_free, (X509_ALGOR * a), (a))                                              \
	V(X509_SIG_free, (X509_SIG * a), (a))                                                  \
	R(int, X509_digest,                                                                    \
	  (const X509 *x, const EVP_MD *t, unsigned char *md, unsigned int *len),              \
	  (x, t, md, len))                                                                     \
	V(X509_free, (X509 * a), (a))                                                          \
	R(EVP_PKEY *, X509_get0_pubkey, (const X509 *x), (x))                                  \
	R(EVP_PKEY *, X509_get_pubkey, (X509 * x), (x))                                        \
	R(int, i2d_PUBKEY, (const EVP_PKEY *k, unsigned char **pp), (k, pp))                   \
	R(int, i2d_X509, (const X509 *x, unsigned char **pp), (x, pp))

/* The functions' addresses in libcrypto, filled once by crypto_dl_load. */
#define CRYPTO_DL_FIELD_R(ret, name, params, args) ret (*name) params;
#define CRYPTO_DL_FIELD_V(name, params, args) void (*name) params;
static struct crypto_dl_fns {
	CRYPTO_DL_FUNCS(CRYPTO_DL_FIELD_R, CRYPTO_DL_FIELD_V)
	EVP_PKEY *(*EVP_PKEY_Q_keygen)(OSSL_LIB_CTX *, const char *, const char *, ...);
} fn;

#define CRYPTO_DL_NAME_R(ret, name, params, args) { #name, offsetof(struct crypto_dl_fns, name) },
#define CRYPTO_DL_NAME_V(name, params, args) CRYPTO_DL_NAME_R(void, name, params, args)
static const struct util_dl_sym crypto_dl_syms[] = {
	CRYPTO_DL_FUNCS(CRYPTO_DL_NAME_R, CRYPTO_DL_NAME_V)
	{ "EVP_PKEY_Q_keygen", offsetof(struct crypto_dl_fns, EVP_PKEY_Q_keygen) },
};

/* Whether OpenSSL may skip loading its error texts (crypto_dl_offline). */
static bool crypto_dl_no_texts;

void crypto_dl_offline(void)
{
	crypto_dl_no_texts = true;
}

/* Load libcrypto and every function above, or say what is missing and stop:
 * nothing that needs a hash, a signature or a key may go on without them
 * (fail closed). The first call comes before the wizard's screen starts
 * (the plan's SHA-256 when the session opens), so the message is readable. */
static void crypto_dl_load(void)
{
	static bool loaded;
	const char *what;
	if (loaded)
		return;
	switch (util_dl_load(CRYPTO_DL_SONAME, crypto_dl_syms, CK_ARRAY_LEN(crypto_dl_syms), &fn,
			     &what)) {
	case 0:
		loaded = true;
		/* Before OpenSSL's first use: marks its error texts as loaded
		 * without loading them. Only that; the configuration file is
		 * read at the first fetch, as without this call. */
		if (crypto_dl_no_texts)
			fn.OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, NULL);
		return;
	case -1:
		util_fatal_begin();
		fprintf(stderr, _("ckwizard: cannot load %s (%s): hashes, signatures and keys "
				  "need OpenSSL 3's libcrypto (Debian: apt-get install libssl3)\n"),
			CRYPTO_DL_SONAME, what);
		break;
	default:
		util_fatal_begin();
		fprintf(stderr, _("ckwizard: %s has no %s: this libcrypto is not OpenSSL 3\n"),
			CRYPTO_DL_SONAME, what);
	}
	exit(CK_EXIT_INPUT);
}

#define CRYPTO_DL_DEF_R(ret, name, params, args) \
	ret name params                          \
	{                                        \
		crypto_dl_load();                \
		return fn.name args;             \
	}
#define CRYPTO_DL_DEF_V(name, params, args) \
	void name params                    \
	{                                   \
		crypto_dl_load();           \
		fn.name args;               \
	}
CRYPTO_DL_FUNCS(CRYPTO_DL_DEF_R, CRYPTO_DL_DEF_V)

/* The key type says what follows it (EVP_PKEY_Q_keygen(3)): "RSA" a size_t
 * of bits, "EC" a curve name; the others, ED25519 among them, nothing. */
EVP_PKEY *EVP_PKEY_Q_keygen(OSSL_LIB_CTX *libctx, const char *propq, const char *type, ...)
{
	crypto_dl_load();
	va_list ap;
	EVP_PKEY *k;
	va_start(ap, type);
	if (strcmp(type, "RSA") == 0)
		k = fn.EVP_PKEY_Q_keygen(libctx, propq, type, va_arg(ap, size_t));
	else if (strcmp(type, "EC") == 0)
		k = fn.EVP_PKEY_Q_keygen(libctx, propq, type, va_arg(ap, char *));
	else
		k = fn.EVP_PKEY_Q_keygen(libctx, propq, type);
	va_end(ap);
	return k;
}
