/* pubkey.c: Ed25519 public keys in plans, fingerprints, signature checks. */
#include "ck.h"
#include "pubkey.h"
#include "hash.h"
#include "util.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* Generated once with openssl genpkey; the encrypted private keys are in
 * plans/demo-operators/. Marked demo everywhere: run refuses them. */
const struct pubkey_demo pubkey_demos[] = {
	{ "Alice Ames (demo)", "alice@contoso.example",
	  "ed25519:KP6+l1egG1YdHGuGeKmvwwy3q1/1yPehMByAq0o3OfY=", "alice.key", "rehearse-alice" },
	{ "Bob Berg (demo)", "bob@contoso.example",
	  "ed25519:sSxTRn1e1FovB8YplWI3alLxtizcQZ0T2HBFQs52NjA=", "bob.key", "rehearse-bob" },
};
const unsigned pubkey_n_demos = CK_ARRAY_LEN(pubkey_demos);

int pubkey_parse(const char *line, unsigned char pub[PUBKEY_LEN])
{
	static const char prefix[] = "ed25519:";
	if (!line || strncmp(line, prefix, sizeof prefix - 1) != 0)
		return -1;
	const char *b64 = line + sizeof prefix - 1;
	if (strlen(b64) != 44)
		return -1;
	unsigned char tmp[48];
	if (hash_unbase64(b64, tmp, sizeof tmp) != PUBKEY_LEN)
		return -1;
	memcpy(pub, tmp, PUBKEY_LEN);
	/* reject non-canonical encodings: the text must be exactly what we'd write */
	char *again = pubkey_format(pub);
	int same = strcmp(again, line) == 0;
	free(again);
	return same ? 0 : -1;
}

char *pubkey_format(const unsigned char pub[PUBKEY_LEN])
{
	char *b64 = hash_base64(pub, PUBKEY_LEN);
	char *s = xasprintf("ed25519:%s", b64);
	free(b64);
	return s;
}

char *pubkey_fingerprint(const unsigned char pub[PUBKEY_LEN])
{
	unsigned char d[HASH_SHA256_LEN];
	hash_sha256(pub, PUBKEY_LEN, d);
	char *b64 = hash_base64(d, sizeof d);
	size_t n = strlen(b64);
	while (n && b64[n - 1] == '=')
		b64[--n] = '\0';
	char *s = xasprintf("SHA256:%s", b64);
	free(b64);
	return s;
}

int pubkey_verify(const unsigned char pub[PUBKEY_LEN], const void *msg, size_t len,
		  const unsigned char sig[PUBKEY_SIG_LEN])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, PUBKEY_LEN);
	if (!k)
		return 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1 &&
		 EVP_DigestVerify(ctx, sig, PUBKEY_SIG_LEN, msg, len) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	return ok;
}

const struct pubkey_demo *pubkey_demo_find(const unsigned char pub[PUBKEY_LEN])
{
	for (unsigned i = 0; i < pubkey_n_demos; i++) {
		unsigned char d[PUBKEY_LEN];
		if (pubkey_parse(pubkey_demos[i].key, d) == 0 && memcmp(d, pub, PUBKEY_LEN) == 0)
			return &pubkey_demos[i];
	}
	return NULL;
}
