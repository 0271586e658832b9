/* journal_shared.c: one journal, several writers taking turns (each
 * operator at their own terminal). The append lock is flock on the journal,
 * held only while a process reads what the others appended and appends its
 * own line; each process claims its operator's side for its life with an
 * open file description lock, which dies with the process however it ends.
 *
 * Why these two locks: flock and OFD locks are independent of each other
 * on Linux (flock(2), fcntl(2) "Open file description locks"), and neither
 * vanishes when another descriptor of the file is closed in the process, as
 * classic fcntl locks do. OFD locks do not report the holder's pid (l_pid
 * is -1), so a refused claim names the side, not the process. */
#include "ck.h"
#include "journal_int.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Far past any journal (JOURNAL_MAX_BYTES): the claims lock no byte a
 * writer uses, and a lock past the end of a file is allowed. */
#define JOURNAL_CLAIM_BASE ((off_t)1 << 40)

void journal_share(struct journal *j)
{
	if (j->shared)
		return;
	if (j->rfd < 0)
		j->rfd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	j->shared = true;
	(void)flock(j->fd, LOCK_UN);
}

bool journal_changed(const struct journal *j)
{
	struct stat st;
	return fstat(j->fd, &st) == 0 && (long)st.st_size != j->size;
}

void journal_refuse_foreign(struct journal *j, const char *msg)
{
	j->foreign_bad = true;
	free(j->foreign_msg);
	j->foreign_msg = xstrdup(msg);
}

/* Read the bytes past what the handle knows. */
static int journal_read_tail(struct journal *j, char **bytes, size_t *len)
{
	struct stat st;
	*bytes = NULL;
	*len = 0;
	if (fstat(j->rfd, &st) != 0)
		return -1;
	if ((long)st.st_size < j->size) {
		errno = ESPIPE;  /* shrunk: nobody of ours ever truncates a shared journal */
		return -1;
	}
	if (st.st_size - j->size > JOURNAL_MAX_BYTES) {
		errno = EFBIG;
		return -1;
	}
	size_t want = (size_t)(st.st_size - j->size), got = 0;
	char *p = xmalloc(want + 1);
	while (got < want) {
		ssize_t n = pread(j->rfd, p + got, want - got, (off_t)(j->size + (long)got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;  /* the file cannot shrink under our lock; a short read is the end */
		got += (size_t)n;
	}
	p[got] = '\0';
	*bytes = p;
	*len = got;
	return 0;
}

int journal_lock(struct journal *j, bool exclusive, struct journal_read *news, char **err)
{
	memset(news, 0, sizeof *news);
	if (!j->shared) {
		j->lock_depth++;
		return 0;
	}
	if (j->lock_depth++ == 0) {
		int rc;
		while ((rc = flock(j->fd, exclusive ? LOCK_EX : LOCK_SH)) != 0 && errno == EINTR)
			;
		if (rc != 0) {
			j->lock_depth--;
			*err = xasprintf(_("cannot lock journal %s: %s"), j->path, strerror(errno));
			return -1;
		}
	}
	if (j->foreign_bad || j->torn)
		return 0;
	char *bytes;
	size_t len;
	if (journal_read_tail(j, &bytes, &len) != 0) {
		int e = errno;
		char *msg = xasprintf(_("the journal %s cannot be read after another ckwizard wrote "
					"to it (%s): nothing more is recorded here; run ckwizard "
					"verify on it"), j->path,
				      e == ESPIPE ? _("it is shorter than before") : strerror(e));
		journal_refuse_foreign(j, msg);
		*err = msg;
		journal_unlock(j);
		return -1;
	}
	journal_read_more(bytes, len, j->size, j->lines, j->head, j->last_seq, news);
	free(bytes);
	if (news->problem == JPROB_TORN_TAIL && news->n == 0 && exclusive) {
		/* Another writer was killed in the middle of its line: the same
		 * torn tail a restart would find, to be set aside by both. */
		j->torn = true;
		j->torn_offset = news->problem_offset;
	} else if (news->problem != JPROB_NONE && news->problem != JPROB_TORN_TAIL) {
		char *msg = xasprintf(_("another ckwizard appended a line to %s that breaks the "
					"chain: %s. Nothing more is recorded here; stop both "
					"terminals and run ckwizard verify on it"),
				      j->path, news->problem_text);
		journal_refuse_foreign(j, msg);
		free(msg);
	}
	for (size_t i = 0; i < news->n; i++) {
		memcpy(j->head, news->ev[i].hash, sizeof j->head);
		j->last_seq = news->ev[i].seq;
		j->size += (long)news->ev[i].length;
		j->lines++;
	}
	return 0;
}

void journal_unlock(struct journal *j)
{
	if (j->lock_depth > 0 && --j->lock_depth == 0 && j->shared)
		(void)flock(j->fd, LOCK_UN);
}

static struct flock journal_claim_range(int slot, short type)
{
	struct flock l;
	memset(&l, 0, sizeof l);
	l.l_type = type;
	l.l_whence = SEEK_SET;
	l.l_start = JOURNAL_CLAIM_BASE + slot;
	l.l_len = 1;
	return l;
}

int journal_claim(struct journal *j, int slot, char **err)
{
	struct flock l = journal_claim_range(slot, F_WRLCK);
	if (fcntl(j->fd, F_OFD_SETLK, &l) == 0)
		return 0;
	if (errno == EAGAIN || errno == EACCES)
		return 1;
	*err = xasprintf(_("cannot lock journal %s: %s"), j->path, strerror(errno));
	return -1;
}

bool journal_claimed_elsewhere(const struct journal *j, int slot)
{
	struct flock l = journal_claim_range(slot, F_WRLCK);
	/* F_OFD_GETLK reports locks held through other open file descriptions
	 * only: our own claim never shows. */
	return fcntl(j->fd, F_OFD_GETLK, &l) == 0 && l.l_type != F_UNLCK;
}
