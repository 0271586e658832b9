/* pin.c: signing PINs as salted scrypt hashes (format in pin.h). */
#include "ck.h"
#include "pin.h"
#include "fileread.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* scrypt as the key files use it (keys.c): 16 MiB and tens of
 * milliseconds per try, inside OpenSSL's default 32 MiB memory cap. A PIN
 * is short, so the hash must be slow: a copied .pin file is not a
 * shortcut to it. */
#define PIN_N 16384UL
#define PIN_R 8UL
#define PIN_P 1UL
#define PIN_SALT 16
#define PIN_OUT 32
#define PIN_LINE_MAX 256

const char *pin_invalid(const char *pin)
{
	size_t n = strlen(pin);
	if (n < PIN_MIN)
		return _("a signing PIN has at least 4 characters");
	if (n > PIN_MAX)
		return _("a signing PIN has at most 32 characters");
	for (const char *p = pin; *p; p++)
		if (*p <= ' ' || *p > '~')
			return _("a signing PIN is made of letters, digits and punctuation (ASCII, "
				 "no space)");
	return NULL;
}

char *pin_path_for_key(const char *key_path)
{
	size_t n = strlen(key_path);
	if (n > 4 && strcmp(key_path + n - 4, ".key") == 0)
		return xasprintf("%.*s.pin", (int)(n - 4), key_path);
	return xasprintf("%s.pin", key_path);
}

static int pin_derive(const char *pin, const unsigned char *salt, unsigned long n,
		      unsigned long r, unsigned long p, unsigned char out[PIN_OUT])
{
	return EVP_PBE_scrypt(pin, strlen(pin), salt, PIN_SALT, n, r, p, 0, out, PIN_OUT) == 1
		       ? 0
		       : -1;
}

char *pin_hash(const char *pin, char **err)
{
	unsigned char salt[PIN_SALT], out[PIN_OUT];
	char salt_hex[2 * PIN_SALT + 1], out_hex[2 * PIN_OUT + 1];
	if (RAND_bytes(salt, sizeof salt) != 1 || pin_derive(pin, salt, PIN_N, PIN_R, PIN_P, out)) {
		*err = xstrdup(_("cannot hash the signing PIN (OpenSSL)"));
		return NULL;
	}
	hash_hex(salt, sizeof salt, salt_hex);
	hash_hex(out, sizeof out, out_hex);
	OPENSSL_cleanse(out, sizeof out);
	return xasprintf("ckwizard-pin scrypt %lu %lu %lu %s %s\n", PIN_N, PIN_R, PIN_P, salt_hex,
			 out_hex);
}

static int pin_unhex(const char *hex, unsigned char *out, size_t n)
{
	if (strlen(hex) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = hex[2 * i + (size_t)k];
			v <<= 4;
			if (c >= '0' && c <= '9')
				v |= (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v |= (unsigned)(c - 'a' + 10);
			else
				return -1;
		}
		out[i] = (unsigned char)v;
	}
	return 0;
}

int pin_verify(const char *line, const char *pin)
{
	unsigned long n, r, p;
	char salt_hex[2 * PIN_SALT + 2], hash_hex_[2 * PIN_OUT + 2];
	unsigned char salt[PIN_SALT], want[PIN_OUT], got[PIN_OUT];
	int end = 0;
	if (sscanf(line, "ckwizard-pin scrypt %lu %lu %lu %33s %65s%n", &n, &r, &p, salt_hex,
		   hash_hex_, &end) != 5 ||
	    (line[end] != '\0' && strcmp(line + end, "\n") != 0))
		return -1;
	/* Bounded as OpenSSL bounds them, so a planted file cannot make a
	 * check take minutes: powers of two from 2^10 to 2^20. */
	if (n < 1024 || n > (1UL << 20) || (n & (n - 1)) || r < 1 || r > 32 || p < 1 || p > 4 ||
	    pin_unhex(salt_hex, salt, sizeof salt) || pin_unhex(hash_hex_, want, sizeof want))
		return -1;
	if (pin_derive(pin, salt, n, r, p, got) != 0)
		return -1;
	int same = CRYPTO_memcmp(got, want, sizeof got) == 0;
	OPENSSL_cleanse(got, sizeof got);
	return same;
}

int pin_read(const char *path, char **line, char **err)
{
	char *text = NULL;
	size_t len = 0;
	*line = NULL;
	enum fileread_status fs = fileread(path, PIN_LINE_MAX, FILEREAD_NOFOLLOW, &text, &len, NULL);
	if (fs != FILEREAD_OK) {
		if (fs == FILEREAD_OPEN && errno == ENOENT)
			return 1;
		*err = xasprintf(_("cannot read the signing PIN file %s"), path);
		return -1;
	}
	if (memchr(text, '\0', len) || pin_verify(text, "probe") == -1) {
		free(text);
		*err = xasprintf(_("%s is not a ckwizard signing PIN file"), path);
		return -1;
	}
	*line = text;
	return 0;
}

int pin_write(const char *path, const char *pin, char **line, char **err)
{
	const char *bad = pin_invalid(pin);
	if (bad) {
		*err = xstrdup(bad);
		return -1;
	}
	char *l = pin_hash(pin, err);
	if (!l)
		return -1;
	/* Never an empty or half .pin after a kill (pin_read would refuse it):
	 * none, and the wizard asks for one at the first unlock, or a whole one. */
	if (util_write_new_file(path, l, strlen(l), 0600) != 0) {
		*err = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
		free(l);
		return -1;
	}
	if (line)
		*line = l;
	else
		free(l);
	return 0;
}
