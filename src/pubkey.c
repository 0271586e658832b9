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
	  "ed25519:KP6+l1egG1YdHGuGeKmvwwy3q1/1yPehMByAq0o3OfY=", "alice.key", "rehearse-alice", "1234" },
	{ "Bob Berg (demo)", "bob@contoso.example",
	  "ed25519:sSxTRn1e1FovB8YplWI3alLxtizcQZ0T2HBFQs52NjA=", "bob.key", "rehearse-bob", "5678" },
};
const unsigned pubkey_n_demos = CK_ARRAY_LEN(pubkey_demos);

/* The y coordinates of the eight points of small order (the torsion
 * subgroup: identity, the order-2 point, two of order 4, four of order 8),
 * 32 bytes little-endian as RFC 8032 section 5.1.2 encodes y. Each occurs with
 * x and -x, i.e. with the sign bit (bit 255) set or clear. We computed them as
 * [L]P for random curve points P (L the prime order of the base point) and
 * their negations p - y: 0, 1, p - 1 and the order-8 pair y8, p - y8.
 * Verification checks [S]B = R + [k]A with k a hash of the message; under
 * the identity key R = identity and S = 0 pass for every message (OpenSSL 3.0
 * accepts it), and under the other small-order keys [k]A takes at most eight
 * values, so a forger needs a few tries per message. Such a key would let
 * anyone sign as that operator. */
static const unsigned char pubkey_small_y[][PUBKEY_LEN] = {
	{ 0 },
	{ 0x01 },
	{ 0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0x7f },
	{ 0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
	  0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
	  0xfc, 0x05 },
	{ 0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
	  0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
	  0x03, 0x7a },
};

enum pubkey_weakness pubkey_weakness(const unsigned char pub[PUBKEY_LEN])
{
	unsigned char y[PUBKEY_LEN];
	memcpy(y, pub, PUBKEY_LEN);
	y[PUBKEY_LEN - 1] &= 0x7f; /* the sign of x */
	/* y >= p = 2^255 - 19 (ed ff .. ff 7f): RFC 8032 5.1.3 says decoding
	 * fails, but not every implementation refuses it; y = p reads as 0 and
	 * y = p + 1 as 1, both small-order points. */
	bool all_ff = y[PUBKEY_LEN - 1] == 0x7f;
	for (int i = 1; i < PUBKEY_LEN - 1 && all_ff; i++)
		all_ff = y[i] == 0xff;
	if (all_ff && y[0] >= 0xed)
		return PUBKEY_NONCANONICAL;
	for (size_t i = 0; i < CK_ARRAY_LEN(pubkey_small_y); i++)
		if (memcmp(y, pubkey_small_y[i], PUBKEY_LEN) == 0)
			return PUBKEY_SMALL_ORDER;
	return PUBKEY_STRONG;
}

const char *pubkey_weakness_text(enum pubkey_weakness w)
{
	switch (w) {
	case PUBKEY_NONCANONICAL:
		return _("not a canonical Ed25519 point (its y coordinate is not below 2^255-19): "
			 "such a key can accept signatures nobody made");
	case PUBKEY_SMALL_ORDER:
		return _("a small-order Ed25519 point (identity, order 2, 4 or 8): anyone can make "
			 "signatures that this key accepts, for every message");
	case PUBKEY_STRONG:
		break;
	}
	return NULL;
}

int pubkey_read(const char *line, unsigned char pub[PUBKEY_LEN], const char **why)
{
	static const char prefix[] = "ed25519:";
	unsigned char tmp[48];
	const char *b64 = line ? line + sizeof prefix - 1 : NULL;
	if (why)
		*why = _("not an Ed25519 public key in the form ed25519:<base64 of 32 bytes>");
	if (!line || strncmp(line, prefix, sizeof prefix - 1) != 0 || strlen(b64) != 44 ||
	    hash_unbase64(b64, tmp, sizeof tmp) != PUBKEY_LEN)
		return -1;
	/* reject non-canonical base64: the text must be exactly what we'd write */
	char *again = pubkey_format(tmp);
	int same = strcmp(again, line) == 0;
	free(again);
	if (!same)
		return -1;
	enum pubkey_weakness w = pubkey_weakness(tmp);
	if (w != PUBKEY_STRONG) {
		if (why)
			*why = pubkey_weakness_text(w);
		return -2;
	}
	memcpy(pub, tmp, PUBKEY_LEN);
	if (why)
		*why = NULL;
	return 0;
}

int pubkey_parse(const char *line, unsigned char pub[PUBKEY_LEN])
{
	return pubkey_read(line, pub, NULL) == 0 ? 0 : -1;
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
	if (pubkey_weakness(pub) != PUBKEY_STRONG)
		return 0; /* never trust what OpenSSL makes of these */
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
