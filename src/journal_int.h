/* journal_int.h: inside the journal module only (journal*.c): the one fixed
 * form of a line, written by jform_* and checked on reading. */
#ifndef CK_JOURNAL_INT_H
#define CK_JOURNAL_INT_H

#include "buf.h"
#include "hash.h"
#include "journal.h"

/* A writer. Shared (journal_open_shared, journal_share): several processes
 * append in turn, each under the append lock, after reading what the others
 * appended (journal_shared.c); otherwise one writer holds the lock for life. */
struct journal {
	int fd;
	int rfd;             /* read descriptor of the same file, or -1 */
	char *path;
	char head[HASH_SHA256_HEX_LEN + 1];
	long last_seq;
	long size;           /* bytes of whole lines known: read or written */
	long lines;
	bool failed;
	char *fail_msg;
	bool torn;           /* a partial last line waits to be set aside */
	long torn_offset;
	bool shared;
	int lock_depth;      /* shared: the append lock is held while > 0 */
	bool foreign_bad;    /* shared: another writer's line was refused */
	char *foreign_msg;
};

#define JOURNAL_SIG_CONTEXT "ckwizard-journal-v1\n"
#define JOURNAL_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define JOURNAL_MAX_INT 9007199254740991.0 /* 2^53 - 1: exact in a double */

/* Is this payload writable in the fixed form? Strings valid UTF-8, integers
 * only (|n| <= 2^53-1), no duplicate keys, bounded depth. 0, or -1 and a
 * translated *why (caller frees). */
int jform_check_value(const cJSON *v, int depth, char **why);
/* The event type: [a-z0-9._-], 1..64 bytes. */
int jform_type_ok(const char *type);
/* Append the fixed form of a checked value / of a string. */
void jform_value(struct buf *b, const cJSON *v);
void jform_string(struct buf *b, const char *s);
/* The line up to (not including) ',"hash":', which is what the hash covers. */
void jform_prefix(struct buf *b, const struct journal_event *e);
/* ',"hash":...,"sigs":[...]}' (no newline). */
void jform_suffix(struct buf *b, const struct journal_event *e);
/* Parse one line (no newline) in the fixed form into *e, and where the hashed
 * prefix ends. 0, or -1 and a translated *why (caller frees); e is then
 * empty. */
int jform_parse_line(const char *line, size_t len, struct journal_event *e, size_t *prefix_len,
		     char **why);
/* Read a whole file from fd (NUL-terminated copy). 0, or -1 with errno. */
int jread_fd(int fd, char **out, size_t *len);

#endif
