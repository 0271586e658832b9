/* perform_hsm_sd.c: --execute's activation of a Managed HSM (hsm.activate):
 * the data plane's security-domain download, encrypted to the officers'
 * certificates with the plan's quorum. It looks first: an HSM whose ARM
 * activation status is Active was activated before, so its security domain
 * exists elsewhere; that is recorded as found and nothing is downloaded
 * again. Otherwise each officer's certificate (sd-officer-N.cer in the
 * working directory, the file the officer's step copied there) is read,
 * refused unless it holds an RSA key of at least 2048 bits whose SHA-256
 * is the plan's for that officer, and sent as a JWK with its x5c; the
 * answer's security domain goes to a new 0600 file (never over one that
 * exists), the download is polled to its end (Azure-AsyncOperation), and
 * the result gives the file's SHA-256 and size for the journal.
 * Shapes: Azure/azure-rest-api-specs, specification/keyvault/data-plane/
 * Microsoft.KeyVault/stable/7.5/securitydomain.json (HSMSecurityDomain_
 * Download and _DownloadPending; CertificateInfoObject, SecurityDomainJsonWebKey,
 * SecurityDomainObject, SecurityDomainOperationStatus), doc/steps.md. */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/backend_rest_int.h"
#include "azure/lro.h"
#include "azure/perform_hsm.h"
#include "azure/rest.h"
#include "azure/results.h"
#include "fileread.h"
#include "hash.h"
#include "inventory.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SD_CERT_MAX (64 * 1024)
#define SD_MIN_BITS 2048
/* Disk reserved for a security domain before it is asked for: the blob
 * wraps one share per officer (at most ten, RSA of up to 4096 bits) and
 * is tens of kilobytes; a larger answer is still written, without the
 * guarantee. */
#define SD_RESERVE ((size_t)1 << 20)

bool rest_hsm_sd_kind(const struct step *s)
{
	return util_streq(s->template_id, "hsm.activate");
}

/* Unpadded base64url of n bytes (JWK's n, e and x5t#S256). */
static char *sd_b64url(const unsigned char *p, size_t n)
{
	char *s = hash_base64(p, n);
	for (char *c = s; *c; c++) {
		if (*c == '+')
			*c = '-';
		else if (*c == '/')
			*c = '_';
		else if (*c == '=') {
			*c = 0;
			break;
		}
	}
	return s;
}

static char *sd_bn_b64url(const BIGNUM *bn)
{
	int len = BN_num_bytes(bn);
	unsigned char *b = xmalloc(len > 0 ? (size_t)len : 1);
	BN_bn2bin(bn, b);
	char *s = sd_b64url(b, (size_t)len);
	free(b);
	return s;
}

/* Officer i's certificate as the download's JWK, or NULL with *err. */
static cJSON *sd_jwk(const struct plan_sd_officer *o, size_t i, char **err)
{
	char *path = inventory_officer_cert(i + 1), *pem = NULL, *why = NULL;
	size_t len = 0;
	cJSON *jwk = NULL;
	X509 *x = NULL;
	BIGNUM *n = NULL, *e = NULL;
	unsigned char *der = NULL, *spki = NULL;
	if (fileread(path, SD_CERT_MAX, 0, &pem, &len, &why) != FILEREAD_OK) {
		*err = xasprintf(_("cannot read %s, officer %s's certificate: %s"), path,
				 o->name ? o->name : "?", why ? why : "?");
		goto done;
	}
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	EVP_PKEY *pk = x ? X509_get0_pubkey(x) : NULL;
	if (!pk || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA || EVP_PKEY_get_bits(pk) < SD_MIN_BITS ||
	    !EVP_PKEY_get_bn_param(pk, "n", &n) || !EVP_PKEY_get_bn_param(pk, "e", &e)) {
		*err = xasprintf(_("%s is not a certificate of an RSA key of at least %d bits"), path,
				 SD_MIN_BITS);
		goto done;
	}
	int spki_len = i2d_PUBKEY(pk, &spki), der_len = i2d_X509(x, &der);
	if (spki_len <= 0 || der_len <= 0) {
		*err = xasprintf(_("%s is not a certificate of an RSA key of at least %d bits"), path,
				 SD_MIN_BITS);
		goto done;
	}
	char hex[HASH_SHA256_HEX_LEN + 1];
	hash_sha256_hex(spki, (size_t)spki_len, hex);
	if (!o->sha256[0] || strcmp(hex, o->sha256) != 0) {
		/* the download is encrypted to whatever key is in the file: it must
		 * be the one the officer vouched for in the plan */
		*err = xasprintf(_("%s holds a key of SHA-256 %s, not officer %s's in the plan (%s)"),
				 path, hex, o->name ? o->name : "?",
				 o->sha256[0] ? o->sha256 : _("none recorded"));
		goto done;
	}
	unsigned char th[HASH_SHA256_LEN];
	hash_sha256(der, (size_t)der_len, th);
	jwk = cJSON_CreateObject();
	cJSON_AddStringToObject(jwk, "kid", path);
	cJSON_AddStringToObject(jwk, "kty", "RSA");
	cJSON *ops = cJSON_AddArrayToObject(jwk, "key_ops");
	cJSON_AddItemToArray(ops, cJSON_CreateString("verify"));
	cJSON_AddItemToArray(ops, cJSON_CreateString("encrypt"));
	cJSON_AddItemToArray(ops, cJSON_CreateString("wrapKey"));
	cJSON_AddStringToObject(jwk, "alg", "RSA-OAEP-256");
	char *nb = sd_bn_b64url(n), *eb = sd_bn_b64url(e), *tb = sd_b64url(th, sizeof th);
	char *xb = hash_base64(der, (size_t)der_len);
	cJSON_AddStringToObject(jwk, "n", nb);
	cJSON_AddStringToObject(jwk, "e", eb);
	cJSON *x5c = cJSON_AddArrayToObject(jwk, "x5c");
	cJSON_AddItemToArray(x5c, cJSON_CreateString(xb));
	cJSON_AddStringToObject(jwk, "x5t#S256", tb);
	free(nb);
	free(eb);
	free(tb);
	free(xb);
done:
	OPENSSL_free(der);
	OPENSSL_free(spki);
	BN_free(n);
	BN_free(e);
	X509_free(x);
	free(pem);
	free(why);
	free(path);
	return jwk;
}

/* The request's body: every officer's JWK and the quorum; NULL with *err. */
static cJSON *sd_body(const struct plan *p, char **err)
{
	cJSON *b = cJSON_CreateObject(), *certs = cJSON_AddArrayToObject(b, "certificates");
	for (size_t i = 0; i < p->hsm.n_officers; i++) {
		cJSON *j = sd_jwk(&p->hsm.officers[i], i, err);
		if (!j) {
			cJSON_Delete(b);
			return NULL;
		}
		cJSON_AddItemToArray(certs, j);
	}
	cJSON_AddNumberToObject(b, "required", (double)p->hsm.quorum);
	return b;
}

static char *sd_url(const struct rest_state *st, const char *hsm)
{
	return dp_url(st->ep, DP_HSM, hsm, DP_SD_DOWNLOAD, NULL);
}

int rest_hsm_sd_describe(struct rest_state *st, const struct step *s, char **requests,
			 char **err)
{
	int side = s->check.side;
	const char *hsm = side == CK_SIDE_A || side == CK_SIDE_B ? st->inv->hsm[side] : NULL;
	if (!st->ep->hsm_suffix || !hsm) {
		*err = xstrdup(_("ckwizard does not write this step of a Managed HSM plan"));
		return 1;
	}
	char *url = sd_url(st, hsm), *file = inventory_sd_file(hsm);
	cJSON *a = cJSON_CreateArray(), *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "method", "POST");
	cJSON_AddStringToObject(r, "path", rest_signed_path(st->ep, url));
	cJSON *f = cJSON_AddObjectToObject(r, "fields"), *c = cJSON_AddArrayToObject(f, "certificates");
	const struct plan *p = st->plan;
	for (size_t i = 0; i < p->hsm.n_officers; i++) {
		char *cert = inventory_officer_cert(i + 1);
		char *v = xasprintf("%s: %s (%s)", cert, p->hsm.officers[i].name ? p->hsm.officers[i].name
						    : "?", p->hsm.officers[i].sha256);
		cJSON_AddItemToArray(c, cJSON_CreateString(v));
		free(v);
		free(cert);
	}
	cJSON_AddNumberToObject(f, "required", (double)p->hsm.quorum);
	cJSON_AddStringToObject(f, "file", file);
	cJSON_AddItemToArray(a, r);
	char *txt = cJSON_PrintUnformatted(a);
	*requests = xstrdup(txt);
	cJSON_free(txt);
	cJSON_Delete(a);
	free(url);
	free(file);
	return 0;
}

/* ARM's activation status of the HSM (caller frees), or NULL with *err. */
static char *sd_activation(struct rest_state *st, const struct step *s, time_t now, char **err)
{
	int side = s->check.side;
	const struct az_token *t = az_cred_token(&st->cred[side], AZ_RES_ARM, now, err);
	if (!t)
		return NULL;
	char *url = arm_url_managed_hsm(st->ep, st->plan->sub[side].id, st->inv->hsm_rg[side],
					st->inv->hsm[side]);
	struct http_req *r = http_req_new("GET", url, side, s->id);
	free(url);
	r->token = t;
	http_run(&st->http, &r, 1);
	char *v = NULL;
	cJSON *o = r->fail == HTTP_OK && r->status == 200
			   ? azjson_parse(r->resp.p, r->resp.len, NULL) : NULL;
	const char *a = o ? azjson_str(o, "properties.securityDomainProperties.activationStatus")
			  : NULL;
	if (a)
		v = xstrdup(a);
	else
		*err = r->fail == HTTP_OK && r->status == 200
			       ? xstrdup(_("Azure's answer holds no activation status"))
			       : http_describe(r);
	cJSON_Delete(o);
	http_req_free(r);
	return v;
}

int rest_hsm_sd_perform(struct backend *b, const struct step *s, time_t now,
			struct check_result *r)
{
	struct rest_state *st = b->state;
	int side = s->check.side;
	const char *hsm = rest_hsm_writable(st, s, r);
	if (!hsm)
		return 0;
	char *err = NULL, *file = inventory_sd_file(hsm), *url = NULL, *body = NULL;
	char *name = xasprintf(_("security domain of %s"), hsm);
	cJSON *req = NULL, *o = NULL;
	struct http_req *w = NULL;
	struct util_newfile nf = { .fd = -1 };
	/* A run killed while it saved a download leaves a hidden temporary:
	 * one holding data may be the only copy of a security domain (the HSM
	 * then shows Active, and the look below would pass as "downloaded
	 * before"), so it is named and kept, and nothing is asked; one holding
	 * only its reservation is removed. */
	char *left = util_newfile_leftover(file);
	if (left) {
		r->status = CHECK_FAIL;
		check_result_set(r, R_REST_SD_INTERRUPTED, hsm, left, file);
		free(left);
		goto done;
	}
	/* Look first: an HSM activated before keeps the security domain it
	 * gave then, wherever that went; a second download is not made. */
	char *act = sd_activation(st, s, now, &err);
	if (!act) {
		rest_write_failed(r, name, err);
		goto done;
	}
	if (util_streq(act, "Active")) {
		r->status = CHECK_PASS;
		check_result_set(r, R_REST_SD_FOUND, hsm);
		r->detail = xasprintf("activation: Active\nsecurity domain: downloaded before, not by "
				      "this run\nobserved by: %s\n",
				      st->identity[side] ? st->identity[side] : "?");
		free(act);
		goto done;
	}
	if (!util_streq(act, "NotActivated")) {
		char *why = xasprintf(_("activation status %s: not downloaded"), act);
		rest_write_failed(r, name, why);
		free(why);
		free(act);
		goto done;
	}
	free(act);
	if (rest_file_free(file, REST_FILE_SD, &err) < 0) { /* before asking Azure at all */
		rest_write_failed(r, name, err);
		goto done;
	}
	/* Room for the answer before the question: the answer is the only copy
	 * there will be, so a full disk must be found while nothing is lost. */
	if (util_newfile_open(&nf, file, 0600, SD_RESERVE) != 0) {
		char *why = xasprintf(_("cannot make room for %s: %s; nothing was asked of Azure: "
					"free disk space or fix the device, then perform the step "
					"again"),
				      file, strerror(errno));
		rest_write_failed(r, name, why);
		free(why);
		goto done;
	}
	req = sd_body(st->plan, &err);
	if (!req) {
		rest_write_failed(r, name, err);
		goto done;
	}
	const struct az_token *t = az_cred_token(&st->cred[side], AZ_RES_HSM, now, &err);
	if (!t) { /* nothing sent: the authorization stands (rest_no_token) */
		rest_no_token(r, err);
		goto done;
	}
	char *txt = cJSON_PrintUnformatted(req);
	body = xstrdup(txt);
	cJSON_free(txt);
	url = sd_url(st, hsm);
	w = http_req_new("POST", url, side, s->id);
	http_req_set_body(w, "application/json", body, strlen(body));
	w->token = t;
	http_run(&st->http, &w, 1);
	o = w->fail == HTTP_OK && w->status >= 200 && w->status < 300
		    ? azjson_parse(w->resp.p, w->resp.len, NULL) : NULL;
	const char *v = o ? azjson_str(o, "value") : NULL;
	if (!v) {
		char *d = o ? xstrdup(_("Azure's answer holds no security domain")) : http_describe(w);
		rest_write_failed(r, name, d);
		free(d);
		goto done;
	}
	/* The file first: the blob is the only copy this run will ever see. */
	char hex[HASH_SHA256_HEX_LEN + 1], size[24];
	hash_sha256_hex(v, strlen(v), hex);
	snprintf(size, sizeof size, "%zu", strlen(v));
	nf.keep = true;
	if (util_newfile_commit(&nf, v, strlen(v)) != 0) {
		char *why = nf.linked
			/* written and synced, only its folder not: the file
			 * stays, the one copy there is, for the operator to
			 * secure now */
			? xasprintf(_("Azure gave the security domain and it was written to %s "
				      "(SHA-256 %s), but its folder could not be synced (%s): the "
				      "file may not survive a crash or a power cut. Copy it to "
				      "safe storage now, before anything else, and check that "
				      "SHA-256 on the copy"),
				    file, hex, strerror(errno))
			: xasprintf(_("Azure gave the security domain, but it could not be saved "
				      "as %s: %s. That answer was its only copy, and ckwizard "
				      "never downloads a security domain twice: create no key in "
				      "%s. Once it shows Active, keys made in it could not be "
				      "recovered after a disaster: delete it and amend the plan "
				      "for another HSM (purge protection holds the name until its "
				      "retention ends)"),
				    file, strerror(errno), hsm);
		rest_write_failed(r, name, why);
		free(why);
		goto done;
	}
	/* The specification's example gives the status URL without an
	 * api-version, which the data plane otherwise requires on every
	 * request: add ours when it is missing (doc/steps.md). */
	if (w->async_op && !strstr(w->async_op, "api-version=")) {
		char *u = xasprintf("%s%capi-version=%s", w->async_op,
				    strchr(w->async_op, '?') ? '&' : '?', KV_API);
		free(w->async_op);
		w->async_op = u;
	}
	int polls = 0;
	enum lro_state ls = lro_wait(&st->http, w, t, http_now() + (double)(st->http.timeout * 4),
				     &polls, &err);
	if (ls != LRO_DONE) {
		char *why = xasprintf(_("%s was written, but the download did not finish: %s"), file,
				      err ? err : "?");
		rest_write_failed(r, name, why);
		free(why);
		r->detail = xasprintf("security domain file: %s\nsha256: %s\nbytes: %s\n", file, hex,
				      size);
		goto done;
	}
	r->status = CHECK_PASS;
	check_result_set(r, R_REST_SD_WRITTEN, hsm, file, hex, size);
	r->detail = xasprintf("security domain file: %s\nsha256: %s\nbytes: %s\nquorum: %ld of "
			      "%zu\nobserved by: %s\n", file, hex, size, st->plan->hsm.quorum,
			      st->plan->hsm.n_officers,
			      st->identity[side] ? st->identity[side] : "?");
done:
	if (nf.fd >= 0)
		util_newfile_close(&nf);
	http_req_free(w);
	cJSON_Delete(o);
	cJSON_Delete(req);
	free(body);
	free(url);
	free(name);
	free(file);
	free(err);
	return 0;
}
