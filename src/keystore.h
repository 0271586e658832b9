/* keystore.h: operators' key files on disk, for `ckwizard operator`.
 *
 * One directory (0700) holds, per operator, two files named after the UPN
 * in lower case:
 *   <upn>.key  the encrypted PKCS#8 PEM (keys.h), mode 0600
 *   <upn>.pub  who it is, in plain text, so list/export need no passphrase:
 *                # ckwizard operator public key
 *                name: Alice Ames
 *                upn: alice@contoso.com
 *                key: ed25519:<base64>
 * Default directory: $XDG_CONFIG_HOME/ckwizard/operators (or
 * ~/.config/ckwizard/operators). Files are created with O_EXCL: never
 * overwritten. */
#ifndef CK_KEYSTORE_H
#define CK_KEYSTORE_H

#include "pubkey.h"

#include <stdbool.h>
#include <stddef.h>

struct keystore_entry {
	char *name, *upn;
	char *key_line;       /* "ed25519:..." */
	char *fingerprint;    /* "SHA256:..." */
	char *key_path;       /* the private key file */
	char *pub_path;
	bool has_key;         /* the .key file is there */
	bool demo;            /* one of the bundled demo operators */
	const char *refused;  /* why the key is unusable (pubkey.h: weak), or NULL;
				 then key_line is the file's text, unchecked */
};

/* The default directory (not created); NULL with *err when neither
 * XDG_CONFIG_HOME nor HOME is set to an absolute path. */
char *keystore_default_dir(char **err);
/* A UPN usable as a file name and in a plan: local@domain.tld with letters,
 * digits and . _ - + ' only, no leading dot, no "..", at most 113 bytes. */
int keystore_upn_ok(const char *upn, char **why);
/* A display name: 1..128 bytes of UTF-8, no control or bidi characters. */
int keystore_name_ok(const char *name, char **why);

/* Make a key pair and write both files in dir (created 0700 when missing;
 * create_parents for the default directory). *warn receives a warning (or
 * NULL) when the file system does not keep modes. 0, or -1 with *err and
 * *exists set when a file for this UPN is there already. */
int keystore_enroll(const char *dir, bool create_parents, const char *name, const char *upn,
		    const char *passphrase, struct keystore_entry *out, char **warn, bool *exists,
		    char **err);
/* Every operator in dir, sorted by UPN. A missing directory is an empty list.
 * Entries whose key is refused are listed with ->refused set. */
int keystore_list(const char *dir, struct keystore_entry **out, size_t *n, char **err);
/* The operator with this UPN (case-insensitive). 0, 1 not found, -1 error
 * (a refused key is an error). */
int keystore_find(const char *dir, const char *upn, struct keystore_entry *out, char **err);
/* The operator whose public key this is (what a plan names): 0, 1 not
 * found, -1 error. The caller still checks keys_public() after unlocking. */
int keystore_find_key(const char *dir, const unsigned char pub[PUBKEY_LEN],
		      struct keystore_entry *out, char **err);
void keystore_entry_free(struct keystore_entry *e);

/* A .pub file is at most this long (it is about 200 bytes). */
#define KEYSTORE_PUB_MAX 4096
/* Parse the text of a .pub file: 0 with *name, *upn, *key (the key line;
 * caller frees all three) and pub; -2 the same for a weak key, with *weak
 * saying why (pubkey_read); -1 when it is not one of ours (too long, a NUL,
 * a field missing or invalid), nothing to free. The first of each field
 * counts. */
int keystore_parse_pub(const char *text, size_t len, char **name, char **upn, char **key,
		       unsigned char pub[PUBKEY_LEN], const char **weak);

#endif
