/* hash.c: digests and encodings. */
#include "ck.h"
#include "fileread.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fail closed: every hash chains the journal, names a plan version or binds
 * evidence, so a digest OpenSSL cannot give (a configuration whose providers
 * offer no SHA-256) stops the command before anything uses it. A stand-in
 * value, such as zeros, would make unequal inputs look equal. */
void hash_sha256(const void *data, size_t len, unsigned char out[HASH_SHA256_LEN])
{
	unsigned int n = 0;
	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) && n == HASH_SHA256_LEN)
		return;
	util_fatal_begin();
	fprintf(stderr, _("ckwizard: OpenSSL computes no SHA-256 here: see that the OpenSSL "
			  "configuration (OPENSSL_CONF, else the system's openssl.cnf) activates "
			  "a provider with SHA-256, such as the default one; nothing was recorded "
			  "by this step\n"));
	exit(CK_EXIT_INPUT);
}

void hash_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void hash_sha256_hex(const void *data, size_t len, char out[HASH_SHA256_HEX_LEN + 1])
{
	unsigned char d[HASH_SHA256_LEN];
	hash_sha256(data, len, d);
	hash_hex(d, sizeof d, out);
}

int hash_file_sha256_hex(const char *path, char out[HASH_SHA256_HEX_LEN + 1])
{
	/* Streamed, so no size limit; but only a regular file, and a FIFO is
	 * refused rather than waited on (fileread.h). */
	enum fileread_status st;
	int fd = fileread_open(path, 0, &st, NULL);
	if (fd < 0) {
		if (st != FILEREAD_OPEN)
			errno = EINVAL;
		return -1;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		close(fd);
		errno = EIO;
		return -1;
	}
	unsigned char chunk[65536];
	ssize_t r;
	bool ok = true;
	while (ok && (r = read(fd, chunk, sizeof chunk)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			EVP_MD_CTX_free(ctx);
			close(fd);
			errno = e;
			return -1;
		}
		ok = EVP_DigestUpdate(ctx, chunk, (size_t)r) == 1;
	}
	/* Fail closed, as hash_sha256: a digest OpenSSL did not finish is an
	 * error, never d's unwritten bytes passed off as the file's hash. */
	unsigned char d[HASH_SHA256_LEN];
	unsigned int n = 0;
	ok = ok && EVP_DigestFinal_ex(ctx, d, &n) == 1 && n == HASH_SHA256_LEN;
	EVP_MD_CTX_free(ctx);
	close(fd);
	if (!ok) {
		errno = EIO;
		return -1;
	}
	hash_hex(d, sizeof d, out);
	return 0;
}

/* Base64 (RFC 4648, section 4, with padding) is an encoding, not
 * cryptography, and is written here rather than taken from OpenSSL: reading
 * an operator's public key in a plan would otherwise start OpenSSL for
 * `check`, which hashes and verifies nothing (doc/bench.md). */

/* The character for a 6-bit value, without a table indexed by the value:
 * the encoded bytes may be secret (a key backup, a security domain), and
 * these are comparisons, not memory reads that depend on them. */
static char hash_b64_char(unsigned v)
{
	/* (k - v) >> 31 is 1 when v > k (v < 64: the subtraction wraps), and
	 * its negation a mask of all ones. */
	int c = (int)v + 'A';
	c += ('a' - 'A' - 26) & -(int)((25u - v) >> 31); /* 26..51: a..z */
	c += ('0' - 'a' - 26) & -(int)((51u - v) >> 31); /* 52..61: 0..9 */
	c += ('+' - '0' - 10) & -(int)((61u - v) >> 31); /* 62: + */
	c += ('/' - '+' - 1) & -(int)((62u - v) >> 31);  /* 63: / */
	return (char)c;
}

char *hash_base64(const unsigned char *in, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1), *o = out;
	for (size_t i = 0; i < n; i += 3) {
		unsigned b = (unsigned)in[i] << 16;
		if (i + 1 < n)
			b |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			b |= in[i + 2];
		*o++ = hash_b64_char(b >> 18 & 63);
		*o++ = hash_b64_char(b >> 12 & 63);
		*o++ = i + 1 < n ? hash_b64_char(b >> 6 & 63) : '=';
		*o++ = i + 2 < n ? hash_b64_char(b & 63) : '=';
	}
	*o = '\0';
	return out;
}

/* The 6-bit value of a character already known to be in the alphabet. */
static unsigned hash_b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return (unsigned)(c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0' + 52);
	return c == '+' ? 62u : 63u;
}

long hash_unbase64(const char *in, unsigned char *out, size_t cap)
{
	size_t len = strlen(in);
	if (len == 0 || len % 4 != 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			 c == '+' || c == '/' || (c == '=' && i >= len - 2);
		if (!ok || (c != '=' && i > 0 && in[i - 1] == '='))
			return -1;
	}
	size_t pad = (in[len - 1] == '=') + (in[len - 2] == '=');
	size_t n = len / 4 * 3 - pad, o = 0;
	if (n > cap)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		unsigned b = 0;
		for (size_t k = 0; k < 4; k++)
			b = b << 6 | (in[i + k] == '=' ? 0u : hash_b64_value(in[i + k]));
		for (int k = 2; k >= 0 && o < n; k--)
			out[o++] = (unsigned char)(b >> (8 * k) & 255);
	}
	return (long)n;
}
