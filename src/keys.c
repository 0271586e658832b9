/* keys.c: operators' Ed25519 private keys: generation, encrypted PKCS#8 PEM,
 * unlocking into secret memory, signing.
 *
 * The PEM is PBES2 with scrypt (N=2^14, r=8, p=1) and AES-256-CBC, built by
 * hand: PEM_write_bio_PKCS8PrivateKey would use 2048 PBKDF2 rounds (doc/traps.md, OpenSSL).
 * N=2^14 is the largest N that OpenSSL 3.0's PKCS8_decrypt accepts under its
 * fixed 32 MiB scrypt memory cap, so every key we write can be read back by
 * the same library (and by `openssl pkey`).
 *
 * Only the 32-byte raw private key is kept, in secret memory; an EVP_PKEY is
 * built for one signature and freed at once, so OpenSSL never holds the key
 * longer than one call. */
#include "ck.h"
#include "keys.h"
#include "fileread.h"
#include "secret.h"
#include "util.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define KEYS_PRIV_LEN 32
#define KEYS_SCRYPT_N 16384
#define KEYS_SCRYPT_R 8
#define KEYS_SCRYPT_P 1
#define KEYS_SALT_LEN 16
#define KEYS_FILE_MAX (64 * 1024)

struct keys_private {
	unsigned char priv[KEYS_PRIV_LEN];
	unsigned char pub[PUBKEY_LEN];
};

static void keys_set_err(char **err, char *msg)
{
	if (err)
		*err = msg;
	else
		free(msg);
}

/* The raw private key -> a new EVP_PKEY; the caller frees it promptly. */
static EVP_PKEY *keys_evp(const struct keys_private *k)
{
	return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, k->priv, KEYS_PRIV_LEN);
}

/* Take the raw key out of an EVP_PKEY into secret memory. */
static struct keys_private *keys_from_evp(EVP_PKEY *pk)
{
	struct keys_private *k = secret_alloc(sizeof *k);
	size_t plen = KEYS_PRIV_LEN, publen = PUBKEY_LEN;
	if (EVP_PKEY_get_raw_private_key(pk, k->priv, &plen) != 1 || plen != KEYS_PRIV_LEN ||
	    EVP_PKEY_get_raw_public_key(pk, k->pub, &publen) != 1 || publen != PUBKEY_LEN ||
	    pubkey_weakness(k->pub) != PUBKEY_STRONG) { /* never signs as anyone else */
		secret_free(k, sizeof *k);
		return NULL;
	}
	return k;
}

struct keys_private *keys_from_raw(const unsigned char priv[32])
{
	EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv, KEYS_PRIV_LEN);
	if (!pk)
		return NULL;
	struct keys_private *k = keys_from_evp(pk);
	EVP_PKEY_free(pk);
	return k;
}

/* PKCS#8 PrivateKeyInfo of pk, encrypted with PBES2/scrypt/AES-256-CBC, as PEM. */
/* scrypt takes 16 MiB (128 x r x N) each time a key is written or
 * unlocked. glibc serves a block that large by mmap, but after freeing one
 * it raises its mmap threshold to that size, so the next unlock's block
 * comes from the heap and stays resident after it is freed (the trim
 * threshold rises with it): 16 MiB held for the whole ceremony. A fixed
 * threshold (mallopt(3): setting it turns the adjustment off) returns it
 * each time. */
static void keys_kdf_memory(void)
{
	static bool done;
	if (!done)
		mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	done = true;
}

static char *keys_encrypt_pem(EVP_PKEY *pk, const char *passphrase)
{
	char *out = NULL;
	unsigned char salt[KEYS_SALT_LEN];
	PKCS8_PRIV_KEY_INFO *p8inf = EVP_PKEY2PKCS8(pk);
	X509_ALGOR *pbe = NULL;
	X509_SIG *p8 = NULL;
	BIO *bio = NULL;
	keys_kdf_memory();
	if (!p8inf || RAND_bytes(salt, sizeof salt) != 1)
		goto done;
	pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, sizeof salt, NULL, KEYS_SCRYPT_N,
				    KEYS_SCRYPT_R, KEYS_SCRYPT_P);
	if (!pbe)
		goto done;
	p8 = PKCS8_set0_pbe(passphrase, (int)strlen(passphrase), p8inf, pbe);
	if (!p8)
		goto done;
	pbe = NULL; /* owned by p8 now */
	bio = BIO_new(BIO_s_mem());
	if (!bio || PEM_write_bio_PKCS8(bio, p8) != 1)
		goto done;
	char *data;
	long n = BIO_get_mem_data(bio, &data);
	if (n > 0)
		out = xstrndup(data, (size_t)n);
done:
	BIO_free(bio);
	X509_SIG_free(p8);
	X509_ALGOR_free(pbe);
	PKCS8_PRIV_KEY_INFO_free(p8inf); /* clears the key octets (OpenSSL's free callback) */
	return out;
}

int keys_generate(const char *passphrase, char **pem, unsigned char pub[PUBKEY_LEN], char **err)
{
	*pem = NULL;
	EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!pk) {
		keys_set_err(err, xstrdup(_("could not generate an Ed25519 key (OpenSSL failed)")));
		return -1;
	}
	size_t publen = PUBKEY_LEN;
	char *out = NULL;
	if (EVP_PKEY_get_raw_public_key(pk, pub, &publen) == 1 && publen == PUBKEY_LEN)
		out = keys_encrypt_pem(pk, passphrase);
	EVP_PKEY_free(pk);
	ERR_clear_error();
	if (!out) {
		keys_set_err(err, xstrdup(_("could not encrypt the new private key (OpenSSL failed)")));
		return -1;
	}
	*pem = out;
	return 0;
}

/* Did the last OpenSSL failure come from the scrypt memory cap? Then the
 * passphrase may be right and the file was written with a larger N. */
static int keys_err_is_memory_limit(void)
{
	unsigned long e;
	while ((e = ERR_get_error()) != 0)
		if (ERR_GET_LIB(e) == ERR_LIB_EVP && ERR_GET_REASON(e) == EVP_R_MEMORY_LIMIT_EXCEEDED)
			return 1;
	return 0;
}

struct keys_private *keys_unlock(const char *pem, size_t len, const char *passphrase, char **err)
{
	struct keys_private *k = NULL;
	if (len > KEYS_FILE_MAX || len > (size_t)INT32_MAX) {
		keys_set_err(err, xstrdup(_("not a key file: too large for an Ed25519 key")));
		return NULL;
	}
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	X509_SIG *p8 = bio ? PEM_read_bio_PKCS8(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (!p8) {
		ERR_clear_error();
		keys_set_err(err, xstrdup(_("not a key file: expected an encrypted private key "
					    "(\"-----BEGIN ENCRYPTED PRIVATE KEY-----\")")));
		return NULL;
	}
	keys_kdf_memory();
	PKCS8_PRIV_KEY_INFO *p8inf = PKCS8_decrypt(p8, passphrase, (int)strlen(passphrase));
	X509_SIG_free(p8);
	if (!p8inf) {
		if (keys_err_is_memory_limit())
			keys_set_err(err, xstrdup(_("the key file's scrypt parameters need more memory "
						    "than allowed: re-encrypt it with N=16384")));
		else
			keys_set_err(err, xstrdup(_("wrong passphrase")));
		ERR_clear_error();
		return NULL;
	}
	EVP_PKEY *pk = EVP_PKCS82PKEY(p8inf);
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	if (!pk || EVP_PKEY_get_id(pk) != EVP_PKEY_ED25519) {
		keys_set_err(err, xstrdup(_("not an operator key: the file holds a key of another "
					    "type (ckwizard uses Ed25519)")));
	} else {
		k = keys_from_evp(pk);
		if (!k)
			keys_set_err(err, xstrdup(_("could not read the private key (OpenSSL failed)")));
	}
	EVP_PKEY_free(pk);
	ERR_clear_error();
	return k;
}

/* FAT, exFAT, NTFS and FUSE file systems show modes from mount options. */
static int keys_fs_keeps_modes(int fd)
{
	static const unsigned long no_modes[] = { 0x4d44UL /* msdos */, 0x2011bab0UL /* exfat */,
						  0x5346544eUL /* ntfs */, 0x65735546UL /* fuse */ };
	struct statfs sf;
	if (fstatfs(fd, &sf) != 0)
		return 1;
	for (size_t i = 0; i < CK_ARRAY_LEN(no_modes); i++)
		if ((unsigned long)sf.f_type == no_modes[i])
			return 0;
	return 1;
}

struct keys_private *keys_unlock_file(const char *path, const char *passphrase, char **err)
{
	enum fileread_status fs;
	char *why = NULL;
	int fd = fileread_open(path, 0, &fs, &why);
	if (fd < 0) {
		keys_set_err(err, fs == FILEREAD_OPEN
					  ? xasprintf(_("cannot open key file %s: %s"), path, why)
					  : xasprintf(_("not a key file: %s is %s"), path, why));
		free(why);
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > KEYS_FILE_MAX) {
		close(fd);
		keys_set_err(err, xasprintf(_("not a key file: %s is not a regular file of "
					      "reasonable size"), path));
		return NULL;
	}
	/* A world-readable key file leaves only the passphrase between a local
	 * user and the key: refuse, as ssh does, except on file systems that
	 * cannot keep modes (removable media; enroll warned about those), and
	 * except for the bundled demo keys, whose secrets are published in the
	 * README anyway and whose modes a git checkout does not keep. That
	 * exception needs the key unlocked first, so the check comes after. */
	bool loose = (st.st_mode & 0004) && keys_fs_keeps_modes(fd);
	char *buf = NULL;
	size_t n = 0;
	fs = fileread_fd(fd, KEYS_FILE_MAX, &buf, &n, &why);
	close(fd);
	if (fs != FILEREAD_OK) {
		keys_set_err(err, xasprintf(_("cannot read key file %s: %s"), path, why));
		free(why);
		return NULL;
	}
	struct keys_private *k = keys_unlock(buf, n, passphrase, err);
	free(buf); /* encrypted: nothing secret in it */
	if (k && loose && !pubkey_demo_find(k->pub)) {
		keys_lock(k);
		keys_set_err(err, xasprintf(_("key file %s is readable by everyone (mode %04o): "
					      "run chmod 600 on it"),
					    path, (unsigned)(st.st_mode & 0777)));
		return NULL;
	}
	if (!k && err && *err) {
		char *e = xasprintf("%s: %s", path, *err);
		free(*err);
		*err = e;
	}
	return k;
}

void keys_public(const struct keys_private *k, unsigned char pub[PUBKEY_LEN])
{
	memcpy(pub, k->pub, PUBKEY_LEN);
}

int keys_sign(const struct keys_private *k, const void *msg, size_t len,
	      unsigned char sig[PUBKEY_SIG_LEN])
{
	EVP_PKEY *pk = keys_evp(k);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t siglen = PUBKEY_SIG_LEN;
	/* Ed25519 signs in one shot only (doc/traps.md, OpenSSL): no DigestSignUpdate. */
	int ok = pk && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, pk) == 1 &&
		 EVP_DigestSign(ctx, sig, &siglen, msg, len) == 1 && siglen == PUBKEY_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	ERR_clear_error();
	return ok ? 0 : -1;
}

void keys_lock(struct keys_private *k)
{
	secret_free(k, sizeof *k);
}
