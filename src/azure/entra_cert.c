/* entra_cert.c: a service principal signs in with a certificate. The client
 * assertion is a JWT (RS256, header x5t = base64url SHA-1 of the DER
 * certificate; claims aud = the token URL, iss = sub = the application ID,
 * jti, nbf, iat, exp), per Microsoft's "certificate credentials" page (doc/azure.md). */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/entra_int.h"
#include "buf.h"
#include "fileread.h"
#include "secret.h"
#include "util.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cert_b64url(struct buf *b, const unsigned char *in, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		char o[4] = { a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63], a[v & 63] };
		http_buf_add_wiped(b, o, 4);
	}
	if (n - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		char o[2] = { a[v >> 18], a[(v >> 12) & 63] };
		http_buf_add_wiped(b, o, 2);
	} else if (n - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		char o[3] = { a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63] };
		http_buf_add_wiped(b, o, 3);
	}
}

/* A certificate with its key is a few kilobytes; a chain, a few more. */
#define CERT_PEM_MAX (1024 * 1024)

/* Refuse a passphrase prompt: a scheduled audit has nobody to type it. */
static int cert_no_pass(char *buf, int size, int rw, void *u)
{
	(void)buf, (void)size, (void)rw, (void)u;
	return -1;
}

char *az_client_assertion(const char *pem_path, const char *client_id, const char *audience,
			  time_t now, size_t *cap, char **err)
{
	char *pem = NULL, *why = NULL;
	size_t pem_len = 0;
	if (fileread(pem_path, CERT_PEM_MAX, 0, &pem, &pem_len, &why) != FILEREAD_OK) {
		*err = xasprintf(_("%s: cannot read the certificate file: %s"), pem_path, why);
		free(why);
		return NULL;
	}
	BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
	EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, cert_no_pass, NULL) : NULL;
	BIO_free(bio);
	bio = BIO_new_mem_buf(pem, (int)pem_len);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, cert_no_pass, NULL) : NULL;
	BIO_free(bio);
	OPENSSL_cleanse(pem, pem_len); /* it held the private key */
	free(pem);
	char *out = NULL;
	unsigned char *sig = NULL;
	EVP_MD_CTX *md = NULL;
	struct buf b = BUF_INIT;
	if (!key || !x || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
		*err = xasprintf(_("%s: needs an unencrypted RSA private key and its certificate, "
				   "both PEM"), pem_path);
		goto done;
	}
	unsigned char thumb[20];
	unsigned int tl = 0;
	if (X509_digest(x, EVP_sha1(), thumb, &tl) != 1 || tl != sizeof(thumb)) {
		*err = xasprintf(_("%s: cannot compute the certificate's thumbprint"), pem_path);
		goto done;
	}
	unsigned char jti[16];
	char jti_hex[33];
	if (RAND_bytes(jti, sizeof(jti)) != 1) {
		*err = xstrdup(_("no randomness for the assertion"));
		goto done;
	}
	for (size_t i = 0; i < sizeof(jti); i++)
		snprintf(jti_hex + 2 * i, 3, "%02x", jti[i]);
	struct buf x5t = BUF_INIT;
	cert_b64url(&x5t, thumb, tl);
	char *header = xasprintf("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t\":\"%s\"}", buf_str(&x5t));
	buf_free(&x5t);
	cJSON *claims = cJSON_CreateObject();
	cJSON_AddStringToObject(claims, "aud", audience);
	cJSON_AddStringToObject(claims, "iss", client_id);
	cJSON_AddStringToObject(claims, "sub", client_id);
	cJSON_AddStringToObject(claims, "jti", jti_hex);
	cJSON_AddNumberToObject(claims, "nbf", (double)now);
	cJSON_AddNumberToObject(claims, "iat", (double)now);
	cJSON_AddNumberToObject(claims, "exp", (double)(now + 600));
	char *payload = cJSON_PrintUnformatted(claims);
	cJSON_Delete(claims);
	cert_b64url(&b, (const unsigned char *)header, strlen(header));
	http_buf_add_wiped(&b, ".", 1);
	cert_b64url(&b, (const unsigned char *)payload, strlen(payload));
	free(header);
	cJSON_free(payload);
	size_t siglen = 0;
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(md, NULL, &siglen, (const unsigned char *)b.p, b.len) != 1) {
		*err = xstrdup(_("cannot sign the client assertion"));
		goto done;
	}
	sig = xmalloc(siglen);
	if (EVP_DigestSign(md, sig, &siglen, (const unsigned char *)b.p, b.len) != 1) {
		*err = xstrdup(_("cannot sign the client assertion"));
		goto done;
	}
	http_buf_add_wiped(&b, ".", 1);
	cert_b64url(&b, sig, siglen);
	*cap = b.len + 1;
	out = secret_alloc(*cap);
	memcpy(out, b.p, b.len + 1);
done:
	buf_free_secret(&b);
	free(sig);
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	X509_free(x);
	return out;
}

int entra_cert_token(struct az_cred *c, enum az_resource r, time_t now, char **err)
{
	if (!c->client_id || !c->cert_path) {
		*err = xasprintf(_("side %c: a certificate sign-in needs --client-id-%c and "
				   "--cert-%c"), ck_side_letter(c->side), ck_side_letter(c->side),
				 ck_side_letter(c->side));
		return -1;
	}
	char *aud = entra_url(c, "token");
	size_t cap = 0;
	char *assertion = az_client_assertion(c->cert_path, c->client_id, aud, now, &cap, err);
	free(aud);
	if (!assertion)
		return -1;
	struct buf form = BUF_INIT;
	char *scope = entra_scope(c, r, false);
	az_form_add(&form, "grant_type", "client_credentials");
	az_form_add(&form, "client_id", c->client_id);
	az_form_add(&form, "client_assertion_type",
		    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
	az_form_add(&form, "client_assertion", assertion);
	az_form_add(&form, "scope", scope);
	free(scope);
	secret_free(assertion, cap);
	char *what = xasprintf(_("%s token for side %c"), endpoints_resource_name(r),
			       ck_side_letter(c->side));
	struct http_req *q = entra_post(c, "token", &form, what);
	free(what);
	int rc;
	if (q->fail != HTTP_OK || q->status != 200) {
		*err = entra_failure(q, _("certificate sign-in failed"));
		rc = -1;
	} else {
		rc = entra_take_tokens(c, r, q, err);
	}
	http_req_free(q);
	return rc;
}
