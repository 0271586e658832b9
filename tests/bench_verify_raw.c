/* bench_verify_raw.c JOURNAL: the floor for `ckwizard verify` in `make
 * bench`: OpenSSL's SHA-256 and Ed25519 and nothing else. For each line of a
 * journal written by the fixed test keys (seeds 0x11 for A, 0x22 for B;
 * tests/bench_journal.c): hash the bytes up to ',"hash":', compare with the
 * recorded hash and the next line's prev, verify each signature over
 * "ckwizard-journal-v1\n" + hash. No JSON parsing, no rules. Exit 0 when all
 * hold; prints the number of events and signatures. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static EVP_PKEY *key_of_seed(unsigned char seed)
{
	unsigned char raw[32], pub[32];
	size_t n = sizeof pub;
	memset(raw, seed, sizeof raw);
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, raw, sizeof raw);
	if (!k || !EVP_PKEY_get_raw_public_key(k, pub, &n))
		return NULL;
	EVP_PKEY_free(k);
	return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, n);
}

static void hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	EVP_PKEY *pk[2] = { key_of_seed(0x11), key_of_seed(0x22) };
	EVP_MD_CTX *vctx = EVP_MD_CTX_new();
	if (!pk[0] || !pk[1] || !vctx)
		return 2;
	char prev[65];
	memset(prev, '0', 64);
	prev[64] = '\0';
	long events = 0, sigs = 0;
	size_t cap = 0;
	char *line = NULL;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) > 0) {
		char *h = strstr(line, ",\"hash\":\"");
		char *p = strstr(line, "\"prev\":\"");
		if (!h || !p || strncmp(p + 8, prev, 64) != 0)
			return 1;
		unsigned char d[32];
		char dh[65];
		unsigned int dn = 0;
		if (!EVP_Digest(line, (size_t)(h - line), d, &dn, EVP_sha256(), NULL))
			return 1;
		hex(d, 32, dh);
		if (strncmp(h + 9, dh, 64) != 0)
			return 1;
		char msg[128];
		int mn = snprintf(msg, sizeof msg, "ckwizard-journal-v1\n%s", dh);
		for (char *s = strstr(h, "{\"by\":\""); s; s = strstr(s + 1, "{\"by\":\"")) {
			int side = s[7] == 'B';
			char *b = strstr(s, "\"sig\":\"");
			if (!b)
				return 1;
			b += 7;
			char *e = strchr(b, '"');
			unsigned char sig[96];
			if (!e || e - b > 88 || EVP_DecodeBlock(sig, (unsigned char *)b, (int)(e - b)) < 64)
				return 1;
			EVP_MD_CTX_reset(vctx);
			if (EVP_DigestVerifyInit(vctx, NULL, NULL, NULL, pk[side]) != 1 ||
			    EVP_DigestVerify(vctx, sig, 64, (unsigned char *)msg, (size_t)mn) != 1)
				return 1;
			sigs++;
		}
		memcpy(prev, dh, 65);
		events++;
	}
	printf("%ld events, %ld signatures verified\n", events, sigs);
	free(line);
	fclose(f);
	return 0;
}
