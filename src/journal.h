/* journal.h: the session journal: JSON Lines, append-only, hash-chained,
 * signed, crash-safe. doc/journal.md is the format.
 *
 * One event a line, in exactly one fixed form (keys in this order, no spaces):
 *   {"seq":N,"time":"YYYY-MM-DDTHH:MM:SSZ","type":"T","actor":"A"|"B"|null,
 *    "payload":{...},"prev":"<hex sha256 of previous line's hash, or 64 zeros>",
 *    "hash":"<hex>","sigs":[{"by":"A","sig":"<base64>"},...]}
 * hash = SHA-256 over the line's bytes from '{' up to (not including)
 * ',"hash":'; each sig is Ed25519 over "ckwizard-journal-v1\n" + hash (hex).
 * The reader re-renders every parsed line in the fixed form and refuses any
 * line whose bytes differ: there is only one way to write an event.
 *
 * Durability: O_APPEND writes, fsync before journal_append returns (and the
 * directory fsync'd on create), flock(LOCK_EX|LOCK_NB) for the writer's life.
 * A failed write or fsync poisons the handle: every later append fails
 * (fail closed) until the journal is reopened and checked. */
#ifndef CK_JOURNAL_H
#define CK_JOURNAL_H

#include "keys.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define JOURNAL_FILE "journal.jsonl"
#define JOURNAL_MAX_LINE (4 * 1024 * 1024) /* session.open embeds the plan (<= 1 MiB) */
/* A whole journal: each amendment embeds the plan again, so allow many. */
#define JOURNAL_MAX_BYTES (256L * 1024 * 1024)

struct journal_sig {
	int by;                       /* CK_SIDE_A / CK_SIDE_B */
	unsigned char sig[PUBKEY_SIG_LEN];
};

struct journal_event {
	long seq;                     /* 1, 2, ... */
	char time[21];                /* UTC, second precision */
	char *type;                   /* "session.open", "step.confirm", ... */
	int actor;                    /* side, or CK_SIDE_NONE */
	cJSON *payload;               /* owned by the event */
	char prev[65], hash[65];
	struct journal_sig sigs[2];
	size_t n_sigs;
	long offset;                  /* byte offset of the line in the file */
	size_t length;                /* bytes including the newline */
};

enum journal_problem {
	JPROB_NONE,
	JPROB_TORN_TAIL,              /* last line has no newline: crash mid-write */
	JPROB_BAD_FORM,               /* not JSON, or not the one fixed form */
	JPROB_BAD_SEQ,                /* seq not previous + 1 */
	JPROB_BAD_PREV,               /* prev does not match previous hash */
	JPROB_BAD_HASH,               /* hash does not match the bytes */
	JPROB_TOO_LONG
};

struct journal_read {
	struct journal_event *ev;     /* the events that hold, in order */
	size_t n;
	enum journal_problem problem; /* the first problem met, reading stops there */
	long problem_line;            /* 1-based line number */
	long problem_offset;          /* byte offset */
	char *problem_text;           /* translated explanation */
	/* journal_read_more: the line before the first one read */
	char base_prev[65];
	long base_seq;
};

/* Read and check the chain of a whole journal file (signatures are checked
 * by the session layer, which knows the operators' keys). 0 when the file
 * could be read (check r->problem), -1 with *err when not. */
int journal_read_file(const char *path, struct journal_read *r, char **err);
int journal_read_mem(const char *bytes, size_t len, struct journal_read *r);
/* The lines that follow a known part (ending at byte base_off after
 * base_line lines, the last with hash prev and sequence seq), checked as
 * journal_read_mem checks a whole file; offsets and lines count from the
 * start of the file. */
int journal_read_more(const char *bytes, size_t len, long base_off, long base_line,
		      const char *prev, long seq, struct journal_read *r);
void journal_read_free(struct journal_read *r);

struct journal; /* a writer */

/* Create a new journal (O_EXCL, 0600; never overwrites), locked. */
struct journal *journal_create(const char *path, char **err);
/* Open an existing journal for appending: locks it, reads and checks it into
 * *r. A torn tail refuses appends until journal_set_aside_tail() is called.
 * Any other problem (broken chain, bad form): NULL with *err, and *r still
 * holds what was read (always journal_read_free it). */
struct journal *journal_open(const char *path, struct journal_read *r, char **err);
/* ---- Several writers (journal_shared.c) --------------------------------
 * In a shared journal each process appends in turn: journal_lock waits for
 * the append lock (flock on the journal; exclusive to append, shared to
 * read) and reads every whole line appended since this handle last read or
 * wrote, checking the chain (journal_read_more): *news gets them, and the
 * handle's head and sequence move past those that hold. A line that breaks
 * the chain stops the handle: journal_refuse_foreign() is then called by the
 * caller, which judges the lines (signatures, rules) and may refuse one too.
 * journal_unlock lets the lock go. Appends need the exclusive lock. */
struct journal *journal_open_shared(const char *path, struct journal_read *r, char **err);
/* Turn a writer holding the lock for life (journal_create) into a shared one. */
void journal_share(struct journal *j);
int journal_lock(struct journal *j, bool exclusive, struct journal_read *news, char **err);
void journal_unlock(struct journal *j);
/* Has the file grown or shrunk past what this handle knows? (cheap: fstat) */
bool journal_changed(const struct journal *j);
/* Refuse every later append, with this message (another writer's line was
 * refused: a forged or broken append). */
void journal_refuse_foreign(struct journal *j, const char *msg);
/* Claims: a process holds a claim (by number: an operator's side) for its
 * life, so two processes never act as the same operator. An open file
 * description lock (F_OFD_SETLK) on a byte far past the end of the file:
 * it vanishes when the process dies, however it dies. 0, 1 when another
 * process holds it, -1 with *err. */
int journal_claim(struct journal *j, int slot, char **err);
/* Does another process hold that claim now? */
bool journal_claimed_elsewhere(const struct journal *j, int slot);

/* Record a torn tail as set aside: the partial bytes are moved to
 * <journal>.torn-<offset> (kept, never dropped) and the file truncated to the
 * last whole line; the caller then appends a "deviation" event about it. */
int journal_set_aside_tail(struct journal *j, char **err);
/* Append one event. payload is consumed. signers (0..2 unlocked keys, with
 * their sides) sign the hash. On success the event is on disk (fsync'd) and
 * *out (optional) receives a copy of it. -1 with *err otherwise. */
int journal_append(struct journal *j, const char *type, int actor, cJSON *payload,
		   struct keys_private *const *signers, const int *signer_sides, size_t n_signers,
		   struct journal_event *out, char **err);
/* The same in steps, for an event signed in two processes (two terminals:
 * the other operator co-signs at their own terminal). prepare: under the
 * append lock, the next line's fields and hash (payload consumed); sign:
 * add side's signature (A before B); render: the line in the fixed form,
 * without its newline; append_event: write it, if the journal's head is
 * still the one it was prepared on. 0, or -1 with *err. */
int journal_prepare(struct journal *j, const char *type, int actor, cJSON *payload,
		    struct journal_event *e, char **err);
int journal_sign(struct journal_event *e, struct keys_private *k, int side, char **err);
struct buf;
void journal_render(const struct journal_event *e, struct buf *b);
int journal_append_event(struct journal *j, struct journal_event *e, char **err);
/* The hash of the last event (the "head"), 64 zeros when empty. */
const char *journal_head(const struct journal *j);
long journal_last_seq(const struct journal *j);
bool journal_failed(const struct journal *j); /* poisoned after an I/O error */
/* The byte offset of an incomplete last line found (at open, or under the
 * append lock after another writer died mid-line), or -1. */
long journal_torn_at(const struct journal *j);
void journal_close(struct journal *j);

/* The message an operator's signature covers, for verify. */
void journal_sig_message(const char *hash_hex, char *out, size_t cap);
void journal_event_free(struct journal_event *e);

/* Test seam: when set, the next append writes only this many bytes of the
 * line and then calls abort() (simulates a crash mid-write). Test builds only. */
void journal_test_tear_next_append(size_t bytes);
/* Test seams: the next append fails as if write()
 * (write_errno != 0) or else fsync() (fsync_errno) had returned that errno;
 * or the next append writes to this device (e.g. "/dev/full": a real ENOSPC)
 * instead of the journal. Both poison the handle like a real failure. */
void journal_test_fail_next_append(int write_errno, int fsync_errno);
void journal_test_write_next_append_to(const char *device);
/* Test seam: the clock, so reports and golden journals are reproducible. */
void journal_test_set_clock(time_t (*clock)(void));

#endif
