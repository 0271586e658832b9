/* pubkey.h: operators' public keys as plans carry them, and the bundled demo
 * operators. Private keys live in keys.h (journal area); this part is needed
 * by the plan loader too, so it sits in the base layer. */
#ifndef CK_PUBKEY_H
#define CK_PUBKEY_H

#include <stdbool.h>

#define PUBKEY_LEN 32
#define PUBKEY_SIG_LEN 64

/* "ed25519:<standard base64 of the 32-byte raw public key>" -> 0, else -1.
 * Weak keys (below) are refused too: every reader of a key goes through here. */
int pubkey_parse(const char *line, unsigned char pub[PUBKEY_LEN]);
/* The same, but -1 for text that is not such a key, -2 for a weak key (below);
 * on either, *why says what is wrong (translated, static). */
int pubkey_read(const char *line, unsigned char pub[PUBKEY_LEN], const char **why);

/* Keys under which signatures prove nothing: a point of small order (the
 * identity among them) or a y coordinate not reduced mod 2^255-19. */
enum pubkey_weakness { PUBKEY_STRONG, PUBKEY_NONCANONICAL, PUBKEY_SMALL_ORDER };
enum pubkey_weakness pubkey_weakness(const unsigned char pub[PUBKEY_LEN]);
/* What is wrong with such a key (translated), or NULL for PUBKEY_STRONG. */
const char *pubkey_weakness_text(enum pubkey_weakness w);
/* The same form back; caller frees. */
char *pubkey_format(const unsigned char pub[PUBKEY_LEN]);
/* "SHA256:" + unpadded base64 of SHA-256(raw key), as OpenSSH shows keys. */
char *pubkey_fingerprint(const unsigned char pub[PUBKEY_LEN]);
/* Verify an Ed25519 signature: 1 valid, 0 not (always 0 under a weak key). */
int pubkey_verify(const unsigned char pub[PUBKEY_LEN], const void *msg, size_t len,
		  const unsigned char sig[PUBKEY_SIG_LEN]);

/* A security-domain officer's RSA key (pubkey_rsa.c): a PEM public key or
 * certificate of at least 2048 bits -> 0 with the SHA-256 (hex) of its DER
 * SubjectPublicKeyInfo and its size; else -1 with *why (translated, static). */
int pubkey_rsa_pem(const char *pem, char sha256_hex[65], int *bits, const char **why);

/* The bundled demo operators (plans/demo-operators/, passphrases and
 * signing PINs in the README): usable for rehearsals only. */
struct pubkey_demo {
	const char *name, *upn, *key, *file, *passphrase_hint, *pin_hint;
};
extern const struct pubkey_demo pubkey_demos[];
extern const unsigned pubkey_n_demos;
/* The demo operator with this key, or NULL. */
const struct pubkey_demo *pubkey_demo_find(const unsigned char pub[PUBKEY_LEN]);

#endif
