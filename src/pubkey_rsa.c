/* pubkey_rsa.c: the RSA public keys of security-domain officers (Managed
 * HSM), as a plan carries them: a PEM public key or certificate, fingerprinted
 * by the SHA-256 of its DER SubjectPublicKeyInfo (what
 * `openssl pkey -pubin -outform DER | sha256sum` prints), so a certificate and
 * the bare key it holds have the same fingerprint. */
#include "ck.h"
#include "hash.h"
#include "pubkey.h"
#include "util.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

static EVP_PKEY *rsa_read(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	if (!bio)
		return NULL;
	EVP_PKEY *k = NULL;
	if (strstr(pem, "-----BEGIN CERTIFICATE-----")) {
		X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		if (x) {
			k = X509_get_pubkey(x);
			X509_free(x);
		}
	} else {
		k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	}
	BIO_free(bio);
	return k;
}

int pubkey_rsa_pem(const char *pem, char sha256_hex[65], int *bits, const char **why)
{
	sha256_hex[0] = '\0';
	*bits = 0;
	if (!pem || strstr(pem, "PRIVATE KEY")) {
		*why = _("this is a private key: give the public key or certificate only, and "
			 "treat the private key as disclosed");
		return -1;
	}
	EVP_PKEY *k = rsa_read(pem);
	if (!k) {
		*why = _("not a PEM public key or certificate");
		return -1;
	}
	int rc = -1;
	unsigned char *der = NULL;
	if (EVP_PKEY_base_id(k) != EVP_PKEY_RSA) {
		*why = _("not an RSA key (the security domain is encrypted to RSA keys)");
	} else if ((*bits = EVP_PKEY_get_bits(k)) < 2048) {
		*why = _("an RSA key under 2048 bits");
	} else {
		int n = i2d_PUBKEY(k, &der);
		if (n > 0) {
			hash_sha256_hex(der, (size_t)n, sha256_hex);
			rc = 0;
		} else {
			*why = _("the key cannot be encoded");
		}
	}
	OPENSSL_free(der);
	EVP_PKEY_free(k);
	return rc;
}
