/* journal.c: the journal writer: create/open under an exclusive lock, append
 * one fsync'd line per event, fail closed on any I/O error, set a torn tail
 * aside explicitly.
 *
 * Why each piece:
 * - O_APPEND: every line lands at the end, whatever another descriptor did.
 * - flock, not fcntl: fcntl locks vanish when any descriptor of the file is
 *   closed in the process (doc/traps.md, POSIX locks), and the reader opens its own.
 * - fsync before returning: the UI says "recorded" only after this returns.
 * - poisoned handle: after a failed write the file may end in a partial line
 *   and the head is unknown; appending more would chain onto a guess. */
#include "ck.h"
#include "journal_int.h"
#include "hash.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>


/* Test seams (see journal.h): unreachable from the command line. */
static size_t journal_tear_bytes;
static bool journal_tear_armed;
static int journal_fail_write_errno, journal_fail_fsync_errno;
static const char *journal_write_device;
static time_t (*journal_clock)(void);

void journal_test_tear_next_append(size_t bytes)
{
	journal_tear_bytes = bytes;
	journal_tear_armed = true;
}

void journal_test_set_clock(time_t (*clock)(void))
{
	journal_clock = clock;
}

void journal_test_fail_next_append(int write_errno, int fsync_errno)
{
	journal_fail_write_errno = write_errno;
	journal_fail_fsync_errno = fsync_errno;
}

void journal_test_write_next_append_to(const char *device)
{
	journal_write_device = device;
}

/* fsync the directory holding path, so a new or changed entry survives. */
static int journal_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
			  : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* Who holds the flock on fd's file: from /proc/locks (Linux), or 0. */
static long journal_lock_holder(int fd)
{
	struct stat st;
	FILE *f = fstat(fd, &st) == 0 ? fopen("/proc/locks", "re") : NULL;
	if (!f)
		return 0;
	char line[256];
	long found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		long pid;
		unsigned maj, min;
		unsigned long ino;
		if (sscanf(line, "%*d: FLOCK %*s %*s %ld %x:%x:%lu", &pid, &maj, &min, &ino) == 4 &&
		    maj == major(st.st_dev) && min == minor(st.st_dev) && ino == st.st_ino)
			found = pid;
	}
	fclose(f);
	return found;
}

static int journal_take_lock(int fd, const char *path, bool wait, char **err)
{
	if (flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK) {
		long pid = journal_lock_holder(fd);
		if (pid > 0)
			*err = xasprintf(_("journal %s is in use by another ckwizard (pid %ld): "
					   "close that one first; two writers would break the "
					   "chain"), path, pid);
		else
			*err = xasprintf(_("journal %s is in use by another ckwizard: close that "
					   "one first; two writers would break the chain"), path);
	} else {
		*err = xasprintf(_("cannot lock journal %s: %s"), path, strerror(errno));
	}
	return -1;
}

static struct journal *journal_new(int fd, const char *path)
{
	struct journal *j = xcalloc(1, sizeof *j);
	j->fd = fd;
	j->rfd = -1;
	j->path = xstrdup(path);
	memcpy(j->head, JOURNAL_ZERO_HASH, sizeof j->head);
	return j;
}

struct journal *journal_create(const char *path, char **err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW |
				    O_NOCTTY, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			*err = xasprintf(_("journal %s exists already: ckwizard never overwrites a "
					   "journal (resume it, or choose another directory)"), path);
		else
			*err = xasprintf(_("cannot create journal %s: %s"), path, strerror(errno));
		return NULL;
	}
	if (journal_take_lock(fd, path, false, err) != 0) {
		close(fd);
		return NULL;
	}
	if (fsync(fd) != 0 || journal_sync_dir(path) != 0) {
		*err = xasprintf(_("cannot make the new journal %s durable: %s (check the disk; "
				   "the empty file may be removed)"), path, strerror(errno));
		close(fd);
		return NULL;
	}
	return journal_new(fd, path);
}

/* shared: several writers take turns (journal_shared.c): wait for the
 * append lock to read a whole journal, and let it go once read. */
static struct journal *journal_open_mode(const char *path, struct journal_read *r, bool shared,
					 char **err)
{
	memset(r, 0, sizeof *r);
	/* O_NONBLOCK: a FIFO in the journal's place must be refused, not wait
	 * for a reader (ENXIO without one); cleared once it is a regular file. */
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		*err = errno == ENXIO ? xasprintf(_("journal %s is not a regular file"), path)
				      : xasprintf(_("cannot open journal %s: %s"), path, strerror(errno));
		return NULL;
	}
	struct stat st, rst;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		*err = xasprintf(_("journal %s is not a regular file"), path);
		return NULL;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		*err = xasprintf(_("cannot open journal %s: %s"), path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (journal_take_lock(fd, path, shared, err) != 0) {
		close(fd);
		return NULL;
	}
	/* Read through a second descriptor (the writer's is write-only); the
	 * same inode, or someone swapped the file between the two opens. */
	int rfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	char *bytes = NULL;
	size_t len = 0;
	if (rfd < 0 || fstat(rfd, &rst) != 0 || rst.st_ino != st.st_ino ||
	    rst.st_dev != st.st_dev || jread_fd(rfd, &bytes, &len) != 0) {
		*err = xasprintf(_("cannot read journal %s: %s"), path,
				 rfd < 0 ? strerror(errno) : _("the file changed while opening"));
		if (rfd >= 0)
			close(rfd);
		close(fd);
		return NULL;
	}
	journal_read_mem(bytes, len, r);
	free(bytes);
	if (shared)
		(void)flock(fd, LOCK_UN);
	if (r->problem != JPROB_NONE && r->problem != JPROB_TORN_TAIL) {
		close(rfd);
		*err = xasprintf(_("journal %s is damaged, nothing can be added to it: %s. Keep the "
				   "file as it is and run 'ckwizard verify' on it"), path,
				 r->problem_text);
		close(fd);
		return NULL;
	}
	struct journal *j = journal_new(fd, path);
	j->rfd = rfd;
	j->shared = shared;
	j->size = (long)len;
	j->lines = (long)r->n;
	if (r->n) {
		memcpy(j->head, r->ev[r->n - 1].hash, sizeof j->head);
		j->last_seq = r->ev[r->n - 1].seq;
	}
	if (r->problem == JPROB_TORN_TAIL) {
		j->torn = true;
		j->torn_offset = r->problem_offset;
		j->size = r->problem_offset;
	}
	return j;
}

struct journal *journal_open(const char *path, struct journal_read *r, char **err)
{
	return journal_open_mode(path, r, false, err);
}

struct journal *journal_open_shared(const char *path, struct journal_read *r, char **err)
{
	return journal_open_mode(path, r, true, err);
}

static void journal_poison(struct journal *j, const char *what, int e)
{
	j->failed = true;
	free(j->fail_msg);
	j->fail_msg = xasprintf(_("the journal %s could not be written (%s: %s). Nothing more can "
				  "be recorded in this run: free disk space or fix the device, then "
				  "start ckwizard again; it will check the journal and show any "
				  "incomplete last line to set aside"),
				j->path, what, strerror(e));
}

long journal_torn_at(const struct journal *j)
{
	return j && j->torn ? j->torn_offset : -1;
}

/* Copy the partial tail to <journal>.torn-<offset> (O_EXCL; an identical copy
 * from an earlier attempt is fine), then cut the journal back. */
int journal_set_aside_tail(struct journal *j, char **err)
{
	if (!j->torn) {
		*err = xstrdup(_("the journal has no incomplete last line to set aside"));
		return -1;
	}
	if (j->failed) {
		*err = xstrdup(j->fail_msg);
		return -1;
	}
	int rfd = open(j->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	char *bytes = NULL;
	size_t len = 0;
	if (rfd < 0 || jread_fd(rfd, &bytes, &len) != 0 || len < (size_t)j->torn_offset) {
		*err = xasprintf(_("cannot read journal %s: %s"), j->path, strerror(errno));
		if (rfd >= 0)
			close(rfd);
		free(bytes);
		return -1;
	}
	close(rfd);
	const char *tail = bytes + j->torn_offset;
	size_t tlen = len - (size_t)j->torn_offset;
	char *side = xasprintf("%s.torn-%ld", j->path, j->torn_offset);
	int rc = -1;
	int sfd = open(side, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (sfd < 0 && errno == EEXIST) {
		char *old = NULL;
		size_t olen = 0;
		int ofd = open(side, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
		int same = ofd >= 0 && jread_fd(ofd, &old, &olen) == 0 && olen == tlen &&
			   memcmp(old, tail, tlen) == 0;
		if (ofd >= 0)
			close(ofd);
		free(old);
		if (!same) {
			*err = xasprintf(_("%s exists already with other bytes: move it away, then "
					   "try again"), side);
			goto done;
		}
	} else if (sfd < 0) {
		*err = xasprintf(_("cannot create %s: %s"), side, strerror(errno));
		goto done;
	} else {
		ssize_t w = write(sfd, tail, tlen);
		int ok = w == (ssize_t)tlen && fsync(sfd) == 0;
		int e = errno;
		close(sfd);
		if (!ok || journal_sync_dir(side) != 0) {
			*err = xasprintf(_("cannot write %s: %s"), side, strerror(ok ? errno : e));
			goto done;
		}
	}
	if (ftruncate(j->fd, (off_t)j->torn_offset) != 0 || fsync(j->fd) != 0) {
		journal_poison(j, "ftruncate", errno);
		*err = xstrdup(j->fail_msg);
		goto done;
	}
	j->torn = false;
	j->size = j->torn_offset;
	rc = 0;
done:
	free(side);
	free(bytes);
	return rc;
}

static time_t journal_now(void)
{
	return journal_clock ? journal_clock() : time(NULL);
}

/* Write the whole line, then fsync; the seams stand in for the device. */
static int journal_write_line(struct journal *j, const char *line, size_t len)
{
	int fd = j->fd, devfd = -1;
	if (journal_write_device) {
		devfd = open(journal_write_device, O_WRONLY | O_CLOEXEC);
		journal_write_device = NULL;
		if (devfd >= 0)
			fd = devfd;
	}
	if (journal_tear_armed) {
		journal_tear_armed = false;
		(void)!write(fd, line, journal_tear_bytes < len ? journal_tear_bytes : len);
		abort();
	}
	size_t done = 0;
	int rc = 0;
	while (done < len) {
		ssize_t w;
		if (journal_fail_write_errno) {
			errno = journal_fail_write_errno;
			journal_fail_write_errno = 0;
			w = -1;
		} else {
			w = write(fd, line + done, len - done);
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			journal_poison(j, "write", w < 0 ? errno : EIO);
			rc = -1;
			break;
		}
		done += (size_t)w;
	}
	if (rc == 0) {
		int frc = fsync(fd);
		if (journal_fail_fsync_errno) {
			errno = journal_fail_fsync_errno;
			journal_fail_fsync_errno = 0;
			frc = -1;
		}
		if (frc != 0) {
			journal_poison(j, "fsync", errno);
			rc = -1;
		}
	}
	if (devfd >= 0)
		close(devfd);
	return rc;
}

static int journal_check_signers(struct keys_private *const *signers, const int *sides,
				 size_t n, char **err)
{
	if (n > 2) {
		*err = xstrdup(_("an event carries at most two signatures"));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!signers[i] || (sides[i] != CK_SIDE_A && sides[i] != CK_SIDE_B) ||
		    (i && sides[0] == sides[i])) {
			*err = xstrdup(_("internal error: signers must be unlocked keys of sides A "
					 "and B, each at most once"));
			return -1;
		}
	}
	return 0;
}

/* Why nothing more can be appended now, or NULL. */
static char *journal_append_refusal(const struct journal *j)
{
	if (j->failed)
		return xstrdup(j->fail_msg);
	if (j->torn)
		return xasprintf(_("the journal %s ends in an incomplete line at byte %ld: set it "
				   "aside (and record that) before anything else is recorded"),
				 j->path, j->torn_offset);
	if (j->shared && j->lock_depth == 0)
		return xstrdup(_("internal error: a shared journal is appended to under its lock"));
	if (j->foreign_bad)
		return xstrdup(j->foreign_msg);
	return NULL;
}

int journal_prepare(struct journal *j, const char *type, int actor, cJSON *payload,
		    struct journal_event *e, char **err)
{
	char *why = NULL;
	memset(e, 0, sizeof *e);
	e->payload = payload; /* consumed whatever happens */
	if ((*err = journal_append_refusal(j)))
		goto fail;
	if (!jform_type_ok(type) || (actor != CK_SIDE_NONE && actor != CK_SIDE_A &&
				     actor != CK_SIDE_B) || !cJSON_IsObject(payload)) {
		*err = xasprintf(_("internal error: event \"%s\" has a bad type, actor or payload"),
				 type ? type : "(null)");
		goto fail;
	}
	if (jform_check_value(payload, 1, &why) != 0) {
		*err = xasprintf(_("cannot record event %s: %s"), type, why ? why : "?");
		free(why);
		goto fail;
	}
	e->seq = j->last_seq + 1;
	time_t now = journal_now();
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(e->time, sizeof e->time, "%Y-%m-%dT%H:%M:%SZ", &tm);
	e->type = xstrdup(type);
	e->actor = actor;
	memcpy(e->prev, j->head, sizeof e->prev);
	struct buf b = BUF_INIT;
	jform_prefix(&b, e);
	hash_sha256_hex(b.p, b.len, e->hash);
	buf_free(&b);
	return 0;
fail:
	journal_event_free(e);
	return -1;
}

void journal_render(const struct journal_event *e, struct buf *b)
{
	jform_prefix(b, e);
	jform_suffix(b, e);
}

int journal_append_event(struct journal *j, struct journal_event *e, char **err)
{
	if ((*err = journal_append_refusal(j)))
		return -1;
	if (e->seq != j->last_seq + 1 || strcmp(e->prev, j->head) != 0) {
		*err = xasprintf(_("the event was prepared as line %ld, but the journal has %ld lines "
				   "now: prepare it again"), e->seq, j->last_seq);
		return -1;
	}
	struct buf b = BUF_INIT;
	journal_render(e, &b);
	buf_putc(&b, '\n');
	if (b.len > JOURNAL_MAX_LINE) {
		*err = xasprintf(_("cannot record event %s: the line would be longer than %d bytes"),
				 e->type, JOURNAL_MAX_LINE);
		buf_free(&b);
		return -1;
	}
	struct stat st;
	e->offset = fstat(j->fd, &st) == 0 ? (long)st.st_size : -1;
	e->length = b.len;
	if (journal_write_line(j, b.p, b.len) != 0) {
		*err = xstrdup(j->fail_msg);
		buf_free(&b);
		return -1;
	}
	memcpy(j->head, e->hash, sizeof j->head);
	j->last_seq = e->seq;
	j->size += (long)b.len;
	j->lines++;
	buf_free(&b);
	return 0;
}

int journal_sign(struct journal_event *e, struct keys_private *k, int side, char **err)
{
	char msg[128];
	if (e->n_sigs >= 2 || !k || (side != CK_SIDE_A && side != CK_SIDE_B) ||
	    (e->n_sigs && e->sigs[0].by >= side)) {
		*err = xstrdup(_("internal error: signers must be unlocked keys of sides A "
				 "and B, each at most once"));
		return -1;
	}
	journal_sig_message(e->hash, msg, sizeof msg);
	struct journal_sig *s = &e->sigs[e->n_sigs];
	s->by = side;
	if (keys_sign(k, msg, strlen(msg), s->sig) != 0) {
		*err = xstrdup(_("signing failed (OpenSSL)"));
		return -1;
	}
	e->n_sigs++;
	return 0;
}

int journal_append(struct journal *j, const char *type, int actor, cJSON *payload,
		   struct keys_private *const *signers, const int *signer_sides, size_t n_signers,
		   struct journal_event *out, char **err)
{
	struct journal_event e;
	if (journal_check_signers(signers, signer_sides, n_signers, err) != 0) {
		cJSON_Delete(payload);
		return -1;
	}
	if (journal_prepare(j, type, actor, payload, &e, err) != 0)
		return -1;
	for (int side = CK_SIDE_A; side <= CK_SIDE_B; side++) /* fixed order: A, B */
		for (size_t i = 0; i < n_signers; i++)
			if (signer_sides[i] == side && journal_sign(&e, signers[i], side, err) != 0)
				goto fail;
	if (journal_append_event(j, &e, err) != 0)
		goto fail;
	if (out)
		*out = e;
	else
		journal_event_free(&e);
	return 0;
fail:
	journal_event_free(&e);
	return -1;
}

const char *journal_head(const struct journal *j)
{
	return j->head;
}

long journal_last_seq(const struct journal *j)
{
	return j->last_seq;
}

bool journal_failed(const struct journal *j)
{
	return j->failed;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	close(j->fd); /* releases the flock and the claims */
	if (j->rfd >= 0)
		close(j->rfd);
	free(j->path);
	free(j->foreign_msg);
	free(j->fail_msg);
	free(j);
}
