/* cosign_req.c: the request to co-sign an event, as the asking terminal
 * leaves it in the session directory (cosign.request): the journal line
 * prepared on the current head and signed by the one who asks. cosign.c
 * is the other terminal's side. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COSIGN_FILE "cosign.request"

char *sess_cosign_path(const struct session *s)
{
	return xasprintf("%s/%s", s->dir, COSIGN_FILE);
}

/* Written beside and renamed in, with the journal's permissions (0600, or
 * 0660 in a directory shared through a group). */
static int cosign_write(const struct session *s, const char *line, size_t len, char **err)
{
	char *path = sess_cosign_path(s), *tmp = xasprintf("%s.tmp", path);
	struct stat js;
	mode_t mode = stat(s->journal_path, &js) == 0 ? (js.st_mode & 0660) | 0600 : 0600;
	int rc = -1;
	(void)unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && fchmod(fd, mode) == 0 && write(fd, line, len) == (ssize_t)len &&
	    write(fd, "\n", 1) == 1 && fsync(fd) == 0 && close(fd) == 0) {
		fd = -1;
		rc = rename(tmp, path);
	}
	if (rc != 0) {
		/* nothing was asked or recorded: the same action asks again */
		*err = xasprintf(_("cannot write %s: %s; the other terminal was not asked and "
				   "nothing was recorded: free disk space or fix the device, then "
				   "ask again"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		(void)unlink(tmp);
	}
	free(tmp);
	free(path);
	return rc;
}

int sess_cosign_request(struct session *s, enum sess_ev type, int actor, cJSON *payload,
			char **err)
{
	int me = s->hold[CK_SIDE_A] ? CK_SIDE_A : CK_SIDE_B;
	struct journal_event e;
	sess_clock_pin_journal();
	if (journal_prepare(s->j, sess_ev_name(type), actor, payload, &e, err) < 0)
		return -1;
	if (journal_sign(&e, s->key[me], me, err) < 0) {
		journal_event_free(&e);
		return -1;
	}
	struct buf b = BUF_INIT;
	journal_render(&e, &b);
	int rc = cosign_write(s, b.p, b.len, err);
	buf_free(&b);
	if (rc == 0) {
		memcpy(s->cosign_hash, e.hash, sizeof s->cosign_hash);
		s->cosign_state = SESSION_COSIGN_WAITING;
		char *who = xasprintf("%s", s->plan->op[ck_other_side(me)].name
						    ? s->plan->op[ck_other_side(me)].name : "?");
		*err = xasprintf(_("Sent to %s's terminal: they read it and sign there."), who);
		free(who);
		rc = -1; /* not recorded yet: session_cosign_state() says what became of it */
	}
	journal_event_free(&e);
	return rc;
}

void sess_cosign_unlink(struct session *s)
{
	char *path = sess_cosign_path(s);
	(void)unlink(path);
	free(path);
}

