/* pubkey.h: operators' public keys as plans carry them, and the bundled demo
 * operators. Private keys live in keys.h (journal area); this part is needed
 * by the plan loader too, so it sits in the base layer. */
#ifndef CK_PUBKEY_H
#define CK_PUBKEY_H

#include <stdbool.h>

#define PUBKEY_LEN 32
#define PUBKEY_SIG_LEN 64

/* "ed25519:<standard base64 of the 32-byte raw public key>" -> 0, else -1. */
int pubkey_parse(const char *line, unsigned char pub[PUBKEY_LEN]);
/* The same form back; caller frees. */
char *pubkey_format(const unsigned char pub[PUBKEY_LEN]);
/* "SHA256:" + unpadded base64 of SHA-256(raw key), as OpenSSH shows keys. */
char *pubkey_fingerprint(const unsigned char pub[PUBKEY_LEN]);
/* Verify an Ed25519 signature: 1 valid, 0 not. */
int pubkey_verify(const unsigned char pub[PUBKEY_LEN], const void *msg, size_t len,
		  const unsigned char sig[PUBKEY_SIG_LEN]);

/* The bundled demo operators (plans/demo-operators/, passphrases in the
 * README): usable for rehearsals only. */
struct pubkey_demo {
	const char *name, *upn, *key, *file, *passphrase_hint;
};
extern const struct pubkey_demo pubkey_demos[];
extern const unsigned pubkey_n_demos;
/* The demo operator with this key, or NULL. */
const struct pubkey_demo *pubkey_demo_find(const unsigned char pub[PUBKEY_LEN]);

#endif
