/* newfile.c: a new file of the session directory (a plan version kept
 * beside the first, ...): created, never over anything, 0600, fsync'd. */
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static int nf_fail(char **err, char *msg)
{
	*err = msg;
	return -1;
}

int sess_write_new_file(const char *path, const char *data, size_t len, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	size_t off = 0;
	if (fd < 0)
		return nf_fail(err, xasprintf(_("cannot create %s: %s"), path, strerror(errno)));
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(fd);
			return nf_fail(err, xasprintf(_("cannot write %s: %s"), path, strerror(e)));
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0)
		return nf_fail(err, xasprintf(_("cannot write %s: %s"), path, strerror(errno)));
	return 0;
}
