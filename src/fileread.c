/* fileread.c: bounded reading of regular files (fileread.h). */
#include "ck.h"
#include "fileread.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fr_why(char **why, char *text)
{
	if (why)
		*why = text;
	else
		free(text);
}

static const char *fr_kind(mode_t m)
{
	return S_ISDIR(m)    ? _("a directory, not a regular file")
	       : S_ISFIFO(m) ? _("a pipe, not a regular file")
	       : S_ISCHR(m)  ? _("a character device, not a regular file")
	       : S_ISBLK(m)  ? _("a block device, not a regular file")
	       : S_ISSOCK(m) ? _("a socket, not a regular file")
			     : _("not a regular file");
}

int fileread_open(const char *path, unsigned flags, enum fileread_status *st, char **why)
{
	int oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	if (flags & FILEREAD_NOFOLLOW)
		oflags |= O_NOFOLLOW;
	int fd = open(path, oflags);
	if (fd < 0) {
		int e = errno;
		*st = FILEREAD_OPEN;
		fr_why(why, e == ELOOP && (flags & FILEREAD_NOFOLLOW)
				    ? xstrdup(_("a symbolic link; give the file itself"))
				    : xstrdup(strerror(e)));
		errno = e; /* callers tell a missing file from others */
		return -1;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0) {
		*st = FILEREAD_READ;
		fr_why(why, xstrdup(strerror(errno)));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		*st = FILEREAD_NOT_REGULAR;
		fr_why(why, xstrdup(fr_kind(sb.st_mode)));
		close(fd);
		return -1;
	}
	/* A regular file never blocks; clear the flag all the same so the
	 * descriptor behaves as any other. */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	*st = FILEREAD_OK;
	return fd;
}

enum fileread_status fileread_fd(int fd, size_t max, char **bytes, size_t *len, char **why)
{
	struct stat sb;
	*bytes = NULL;
	*len = 0;
	if (fstat(fd, &sb) != 0) {
		fr_why(why, xstrdup(strerror(errno)));
		return FILEREAD_READ;
	}
	if (!S_ISREG(sb.st_mode)) {
		fr_why(why, xstrdup(fr_kind(sb.st_mode)));
		return FILEREAD_NOT_REGULAR;
	}
	if (sb.st_size < 0 || (unsigned long long)sb.st_size > max) {
		fr_why(why, xasprintf(_("larger than %zu bytes"), max));
		return FILEREAD_TOO_LARGE;
	}
	/* The size is a hint: the file may grow while read. Read at most one
	 * byte over the limit to tell. */
	size_t cap = (size_t)sb.st_size + 1, n = 0;
	if (cap < 4096)
		cap = 4096;
	char *p = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			if (n > max)
				break;
			cap *= 2;
			p = xrealloc(p, cap);
		}
		ssize_t r = read(fd, p + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fr_why(why, xstrdup(strerror(errno)));
			free(p);
			return FILEREAD_READ;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(p);
		fr_why(why, xasprintf(_("larger than %zu bytes"), max));
		return FILEREAD_TOO_LARGE;
	}
	p[n] = '\0';
	*bytes = p;
	*len = n;
	return FILEREAD_OK;
}

enum fileread_status fileread(const char *path, size_t max, unsigned flags, char **bytes,
			      size_t *len, char **why)
{
	enum fileread_status st;
	*bytes = NULL;
	*len = 0;
	int fd = fileread_open(path, flags, &st, why);
	if (fd < 0)
		return st;
	st = fileread_fd(fd, max, bytes, len, why);
	close(fd);
	return st;
}
