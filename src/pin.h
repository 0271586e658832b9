/* pin.h: an operator's signing PIN, kept beside their key as a salted slow
 * hash.
 *
 * In single-keyboard mode both keys stay unlocked for the sitting; the PIN
 * is the gate in front of a signature, so whoever holds the keyboard cannot
 * sign as the other. The file is the key file's name with ".pin" for ".key"
 * (or ".pin" appended), mode 0600, one line:
 *   ckwizard-pin scrypt N r p SALT-HEX HASH-HEX
 * (scrypt from OpenSSL, 16 random bytes of salt, 32 bytes of hash). It is
 * never shown, logged or journaled; comparison is constant-time. */
#ifndef CK_PIN_H
#define CK_PIN_H

#include <stdbool.h>

#define PIN_MIN 4
#define PIN_MAX 32
/* A usable PIN: PIN_MIN..PIN_MAX printable ASCII characters, no space. NULL,
 * or why not (translated, static). */
const char *pin_invalid(const char *pin);
/* The .pin file that goes with a key file; caller frees. */
char *pin_path_for_key(const char *key_path);
/* The file's line for pin (caller frees), or NULL with *err. */
char *pin_hash(const char *pin, char **err);
/* 1 the PIN matches the line, 0 it does not, -1 the line is not ours. */
int pin_verify(const char *line, const char *pin);
/* Read a .pin file: 0 with *line (caller frees), 1 there is none, -1 with
 * *err (unreadable, or not a PIN file). */
int pin_read(const char *path, char **line, char **err);
/* Hash pin and create path with it (O_EXCL, 0600, fsync'd): never
 * overwrites. 0, or -1 with *err. *line receives the written line when
 * line is not NULL. */
int pin_write(const char *path, const char *pin, char **line, char **err);

#endif
