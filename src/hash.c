/* hash.c: digests and encodings. */
#include "ck.h"
#include "fileread.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void hash_sha256(const void *data, size_t len, unsigned char out[HASH_SHA256_LEN])
{
	unsigned int n = 0;
	if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) || n != HASH_SHA256_LEN)
		memset(out, 0, HASH_SHA256_LEN); /* only on library failure; never silently equal */
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
	while ((r = read(fd, chunk, sizeof chunk)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			EVP_MD_CTX_free(ctx);
			close(fd);
			errno = e;
			return -1;
		}
		EVP_DigestUpdate(ctx, chunk, (size_t)r);
	}
	unsigned char d[HASH_SHA256_LEN];
	unsigned int n = 0;
	EVP_DigestFinal_ex(ctx, d, &n);
	EVP_MD_CTX_free(ctx);
	close(fd);
	hash_hex(d, sizeof d, out);
	return 0;
}

char *hash_base64(const unsigned char *in, size_t n)
{
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);
	int w = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	out[w < 0 ? 0 : w] = '\0';
	return out;
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
	size_t n = len / 4 * 3 - pad;
	if (n > cap)
		return -1;
	unsigned char *tmp = xmalloc(len / 4 * 3 + 1);
	int r = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)len);
	if (r < 0) {
		free(tmp);
		return -1;
	}
	memcpy(out, tmp, n);
	util_wipe(tmp, len / 4 * 3);
	free(tmp);
	return (long)n;
}
