/* journal_read.c: reading a journal back and checking its chain: every line
 * in the fixed form, seq counting up from 1, prev linking to the previous
 * line's hash, hash matching the line's bytes. Reading stops at the first
 * problem and says where (line, byte offset) and why; the events before it
 * are kept so a caller can show what still holds. Signatures are the session
 * layer's business (it knows the operators' keys from the embedded plan). */
#include "ck.h"
#include "journal_int.h"
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

static void jread_problem(struct journal_read *r, enum journal_problem p, long line, long off,
			  char *text)
{
	r->problem = p;
	r->problem_line = line;
	r->problem_offset = off;
	r->problem_text = xasprintf(_("line %ld (byte offset %ld): %s"), line, off, text);
	free(text);
}

/* Check one whole line (without its newline) against the chain so far. */
static int jread_line(struct journal_read *r, const char *line, size_t len, long lineno,
		      long off)
{
	struct journal_event e;
	size_t prefix_len = 0;
	char *why = NULL;
	if (len > JOURNAL_MAX_LINE) {
		jread_problem(r, JPROB_TOO_LONG, lineno, off,
			      xasprintf(_("the line is longer than %d bytes: not a ckwizard "
					  "journal line"), JOURNAL_MAX_LINE));
		return -1;
	}
	if (jform_parse_line(line, len, &e, &prefix_len, &why) != 0) {
		jread_problem(r, JPROB_BAD_FORM, lineno, off, why);
		return -1;
	}
	const char *want_prev = r->n ? r->ev[r->n - 1].hash
				     : r->base_prev[0] ? r->base_prev : JOURNAL_ZERO_HASH;
	long want_seq = r->n ? r->ev[r->n - 1].seq + 1 : r->base_seq + 1;
	char hash[HASH_SHA256_HEX_LEN + 1];
	hash_sha256_hex(line, prefix_len, hash);
	if (e.seq != want_seq) {
		jread_problem(r, JPROB_BAD_SEQ, lineno, off,
			      xasprintf(_("sequence number %ld where %ld was expected: a line was "
					  "removed, inserted or moved"), e.seq, want_seq));
	} else if (strcmp(e.prev, want_prev) != 0) {
		jread_problem(r, JPROB_BAD_PREV, lineno, off,
			      xstrdup(_("\"prev\" is not the hash of the line before: the chain "
					"is broken (a line was replaced or the file spliced)")));
	} else if (strcmp(e.hash, hash) != 0) {
		jread_problem(r, JPROB_BAD_HASH, lineno, off,
			      xstrdup(_("\"hash\" does not match the line's bytes: the line was "
					"changed after it was written")));
	} else {
		e.offset = off;
		e.length = len + 1;
		r->ev = xrealloc(r->ev, (r->n + 1) * sizeof *r->ev);
		r->ev[r->n++] = e;
		return 0;
	}
	journal_event_free(&e);
	return -1;
}

/* The lines from byte base_off on (line base_line + 1), chained on what r's
 * base says came before. */
static void jread_lines(const char *bytes, size_t len, long base_off, long base_line,
			struct journal_read *r)
{
	size_t off = 0;
	long lineno = base_line + 1;
	while (off < len) {
		const char *nl = memchr(bytes + off, '\n', len - off);
		if (!nl) {
			/* No newline at the end: a write cut short by a crash. Never
			 * interpreted, even if the bytes happen to parse. */
			jread_problem(r, JPROB_TORN_TAIL, lineno, base_off + (long)off,
				      xasprintf(_("the last line is incomplete (%zu bytes without a "
						  "newline): ckwizard stopped while writing it. It "
						  "was never reported as recorded; set it aside to "
						  "go on"), len - off));
			break;
		}
		size_t n = (size_t)(nl - (bytes + off));
		if (jread_line(r, bytes + off, n, lineno, base_off + (long)off) != 0)
			break;
		off += n + 1;
		lineno++;
	}
}

int journal_read_mem(const char *bytes, size_t len, struct journal_read *r)
{
	memset(r, 0, sizeof *r);
	jread_lines(bytes, len, 0, 0, r);
	return 0;
}

int journal_read_more(const char *bytes, size_t len, long base_off, long base_line,
		      const char *prev, long seq, struct journal_read *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->base_prev, sizeof r->base_prev, "%s", prev);
	r->base_seq = seq;
	jread_lines(bytes, len, base_off, base_line, r);
	return 0;
}

/* Read a whole journal from fd into *out (NUL-terminated), bounded. 0, or
 * -1 with errno (EFBIG: too large; EINVAL: not a regular file). */
int jread_fd(int fd, char **out, size_t *len)
{
	switch (fileread_fd(fd, JOURNAL_MAX_BYTES, out, len, NULL)) {
	case FILEREAD_OK:
		return 0;
	case FILEREAD_TOO_LARGE:
		errno = EFBIG;
		return -1;
	case FILEREAD_NOT_REGULAR:
		errno = EINVAL;
		return -1;
	case FILEREAD_OPEN:
	case FILEREAD_READ:
		break;
	}
	return -1;
}

int journal_read_file(const char *path, struct journal_read *r, char **err)
{
	memset(r, 0, sizeof *r);
	char *bytes, *why = NULL;
	size_t len;
	/* Given on the command line (verify, report): a link to it is fine. */
	if (fileread(path, JOURNAL_MAX_BYTES, 0, &bytes, &len, &why) != FILEREAD_OK) {
		*err = xasprintf(_("cannot read journal %s: %s"), path, why);
		free(why);
		return -1;
	}
	journal_read_mem(bytes, len, r);
	free(bytes);
	return 0;
}

void journal_read_free(struct journal_read *r)
{
	for (size_t i = 0; i < r->n; i++)
		journal_event_free(&r->ev[i]);
	free(r->ev);
	free(r->problem_text);
	memset(r, 0, sizeof *r);
}

void journal_sig_message(const char *hash_hex, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", JOURNAL_SIG_CONTEXT, hash_hex);
}
