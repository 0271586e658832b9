/* journal_fixture.h: what the journal tests share (test_journal.c for the
 * file's form and chain, test_journal_crash.c for crashes, torn tails and
 * I/O failures): a scratch directory with two fixed operator keys, a fixed
 * clock so the sample journal is the same bytes on every run, and whole-file
 * read and write. */
#ifndef CK_JOURNAL_FIXTURE_H
#define CK_JOURNAL_FIXTURE_H

#include "journal.h"
#include "keys.h"
#include "pubkey.h"

#include <stddef.h>

struct tj {
	char dir[64];
	char *path; /* dir/JOURNAL_FILE */
	struct keys_private *ka, *kb;
	unsigned char pa[PUBKEY_LEN], pb[PUBKEY_LEN];
};

/* cmocka setup and teardown: *state is a struct tj. */
int tj_setup(void **state);
int tj_teardown(void **state);
/* The whole file, NUL-terminated; *len without the NUL. Caller frees. */
char *tj_slurp(const char *path, size_t *len);
/* The file replaced by exactly these bytes. */
void tj_spit(const char *path, const char *bytes, size_t len);
/* A small ceremony-like journal at t->path: 4 events, signed and unsigned,
 * nested payloads. */
void tj_sample(struct tj *t);
/* The unsigned append used where only "can it be written" matters. */
int tj_append_unsigned(struct journal *j, const char *type, char **err);

#endif
