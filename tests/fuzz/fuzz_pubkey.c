/* fuzz_pubkey.c: libFuzzer target for the public-key and keystore parsers
 * (untrusted input: a plan's `key:` lines are sent by e-mail, a .pub file
 * may be copied from anywhere). The same bytes go to both: as one key line
 * to pubkey_parse, and as a .pub file to keystore_parse_pub. Checks: a key
 * that parses formats back to exactly the text read (one encoding per key),
 * and a .pub file that parses yields a name and UPN the checks accept, and
 * a reason exactly when its key is weak. */
#include "ck.h"
#include "keystore.h"
#include "pubkey.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	unsigned char pub[PUBKEY_LEN];
	if (pubkey_parse(line, pub) == 0) {
		char *again = pubkey_format(pub);
		if (strcmp(again, line) != 0)
			abort();
		free(again);
		free(pubkey_fingerprint(pub));
	}
	free(line);

	char *name, *upn, *key, *why = NULL;
	const char *weak;
	int rc = keystore_parse_pub((const char *)data, size, &name, &upn, &key, pub, &weak);
	if (rc != -1) {
		if (keystore_upn_ok(upn, &why) != 0 || keystore_name_ok(name, &why) != 0 || !key ||
		    (rc == -2) != (weak != NULL))
			abort();
		free(name);
		free(upn);
		free(key);
	} else if (name || upn || key || weak) {
		abort();
	}
	free(why);
	return 0;
}
