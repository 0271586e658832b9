/* hash.h: SHA-256, hex and base64 helpers (OpenSSL underneath). */
#ifndef CK_HASH_H
#define CK_HASH_H

#include <stddef.h>

#define HASH_SHA256_LEN 32
#define HASH_SHA256_HEX_LEN 64

void hash_sha256(const void *data, size_t len, unsigned char out[HASH_SHA256_LEN]);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void hash_hex(const unsigned char *in, size_t n, char *out);
/* "sha256:" + hex is NOT added: callers decide on prefixes. */
void hash_sha256_hex(const void *data, size_t len, char out[HASH_SHA256_HEX_LEN + 1]);
/* SHA-256 of a regular file's bytes as hex; -1 with errno on failure
 * (EINVAL: not a regular file; EIO: OpenSSL could not compute it). */
int hash_file_sha256_hex(const char *path, char out[HASH_SHA256_HEX_LEN + 1]);
/* Standard base64 with padding; caller frees. */
char *hash_base64(const unsigned char *in, size_t n);
/* Decode strict standard base64 (padding required, no whitespace); returns the
 * number of bytes, or -1. out must hold at least 3*strlen(in)/4 bytes. */
long hash_unbase64(const char *in, unsigned char *out, size_t cap);

#endif
