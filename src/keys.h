/* keys.h: operators' private signing keys (Ed25519).
 *
 * A private key file is an encrypted PKCS#8 PEM ("ENCRYPTED PRIVATE KEY")
 * with PBES2 + scrypt (never OpenSSL's default 2048 PBKDF2 rounds), mode 0600
 * in a 0700 directory: $XDG_CONFIG_HOME/ckwizard/operators/ by default. The
 * bundled demo keys (plans/demo-operators/alice.key and bob.key) use the same format.
 * An unlocked key lives in secret memory (secret.h) and is wiped by keys_lock. */
#ifndef CK_KEYS_H
#define CK_KEYS_H

#include "pubkey.h"

#include <stddef.h>

struct keys_private; /* opaque; holds the raw private key in locked memory */

/* Make a key pair; *pem receives the encrypted PKCS#8 PEM (caller frees). */
int keys_generate(const char *passphrase, char **pem, unsigned char pub[PUBKEY_LEN], char **err);
/* Decrypt a PEM with a passphrase: NULL and a translated *err on failure
 * ("wrong passphrase" is told apart from "not a key file"). */
struct keys_private *keys_unlock(const char *pem, size_t len, const char *passphrase, char **err);
/* Read a key file (regular file, not world-readable) then keys_unlock. */
struct keys_private *keys_unlock_file(const char *path, const char *passphrase, char **err);
void keys_public(const struct keys_private *k, unsigned char pub[PUBKEY_LEN]);
int keys_sign(const struct keys_private *k, const void *msg, size_t len,
	      unsigned char sig[PUBKEY_SIG_LEN]);
/* A key from its raw 32-byte Ed25519 private key (seed), in secret memory.
 * For tests and fixtures that must not pay scrypt's cost; never for keys an
 * operator uses (those come from keys_unlock). */
struct keys_private *keys_from_raw(const unsigned char priv[32]);
/* Wipe and free (handoff, idle lock, exit). NULL is fine. */
void keys_lock(struct keys_private *k);

/* Read a passphrase with no echo from the terminal (prompt on /dev/tty) or,
 * when fd >= 0, one line from that descriptor. Caller frees with
 * util_free_secret. NULL with *err on failure. */
char *keys_read_passphrase(const char *prompt, int fd, char **err);

#endif
