/* crashshim.c: an LD_PRELOAD library for the crash tests (tests/crash_boundaries.sh),
 * built by `make check` and never installed.
 *
 * It numbers every call that changes what is on disk -- write, pwrite and
 * writev to a regular file, fsync, fdatasync, ftruncate, a reservation
 * (posix_fallocate), rename, link, unlink and their *at forms -- from 1, and
 * at the call numbered CKW_SHIM_AT (with CKW_SHIM_OP=OP: at the
 * CKW_SHIM_AT-th call of that one kind, "fallocate" say) it either kills the process with SIGKILL before the call runs
 * (CKW_SHIM_MODE=kill) or makes the call fail with an errno without running
 * it (CKW_SHIM_MODE=ENOSPC or EIO). With CKW_SHIM_LOG=FILE every call is
 * listed there as "N op file" (the file as /proc/self/fd shows it), which
 * is how the driver learns how many boundaries a session has and what each
 * one is.
 *
 * Writes through stdio are not seen (glibc calls its internal write): the
 * writers that must survive a crash use write(2) on purpose, and the screen
 * dumps the driver reads to know what the screen said are stdio. The library
 * takes itself out of LD_PRELOAD when loaded, so programs ckwizard starts
 * are not counted. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long shim_at = -1;   /* the boundary to act on; -1: none */
static int shim_errno;      /* 0: kill; else the errno to fail with */
static int shim_log = -1;   /* fd of the log, or -1 */
static long shim_n;         /* boundaries seen */
static const char *shim_op; /* only this kind counts towards shim_at; NULL: all */
static long shim_op_n;      /* boundaries of that kind seen */

__attribute__((constructor)) static void shim_init(void)
{
	const char *at = getenv("CKW_SHIM_AT"), *mode = getenv("CKW_SHIM_MODE");
	const char *log = getenv("CKW_SHIM_LOG"), *op = getenv("CKW_SHIM_OP");
	if (op && *op)
		shim_op = op;
	if (at && *at)
		shim_at = strtol(at, NULL, 10);
	if (mode && strcmp(mode, "ENOSPC") == 0)
		shim_errno = ENOSPC;
	else if (mode && strcmp(mode, "EIO") == 0)
		shim_errno = EIO;
	if (log && *log)
		shim_log = (int)syscall(SYS_openat, AT_FDCWD, log,
					O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	unsetenv("LD_PRELOAD");
}

static void shim_note(const char *op, int dirfd, const char *path, int fd)
{
	if (shim_log < 0)
		return;
	char name[512] = "?", line[700];
	if (path && (dirfd == AT_FDCWD || path[0] == '/')) {
		snprintf(name, sizeof name, "%s", path);
	} else {
		char link[64];
		snprintf(link, sizeof link, "/proc/self/fd/%d", path ? dirfd : fd);
		ssize_t n = readlink(link, name, sizeof name - 1);
		name[n > 0 ? n : 0] = '\0';
		if (path)
			snprintf(name + strlen(name), sizeof name - strlen(name), "/%s", path);
	}
	int len = snprintf(line, sizeof line, "%ld %s %s\n", shim_n, op, name);
	if (len > 0)
		(void)syscall(SYS_write, shim_log, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
}

/* Count one boundary; return -1 with errno set when it is to fail. */
static int shim_boundary(const char *op, int dirfd, const char *path, int fd)
{
	shim_n++;
	shim_note(op, dirfd, path, fd);
	if (shim_op ? strcmp(op, shim_op) != 0 || ++shim_op_n != shim_at : shim_n != shim_at)
		return 0;
	if (!shim_errno)
		(void)syscall(SYS_kill, getpid(), SIGKILL);
	errno = shim_errno;
	return -1;
}

static int shim_regular(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* The next definition of fn (libc's, or a sanitizer's in front of it). */
#define SHIM_REAL(fn) \
	static __typeof__(&fn) real; \
	if (!real) \
		real = (__typeof__(&fn))dlsym(RTLD_NEXT, #fn)

ssize_t write(int fd, const void *buf, size_t len)
{
	SHIM_REAL(write);
	if (shim_regular(fd) && shim_boundary("write", AT_FDCWD, NULL, fd) < 0)
		return -1;
	return real(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	SHIM_REAL(pwrite);
	if (shim_regular(fd) && shim_boundary("pwrite", AT_FDCWD, NULL, fd) < 0)
		return -1;
	return real(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	return pwrite(fd, buf, len, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	SHIM_REAL(writev);
	if (shim_regular(fd) && shim_boundary("writev", AT_FDCWD, NULL, fd) < 0)
		return -1;
	return real(fd, iov, n);
}

int fsync(int fd)
{
	SHIM_REAL(fsync);
	if (shim_boundary("fsync", AT_FDCWD, NULL, fd) < 0)
		return -1;
	return real(fd);
}

int fdatasync(int fd)
{
	SHIM_REAL(fdatasync);
	if (shim_boundary("fdatasync", AT_FDCWD, NULL, fd) < 0)
		return -1;
	return real(fd);
}

int ftruncate(int fd, off_t len)
{
	SHIM_REAL(ftruncate);
	if (shim_boundary("ftruncate", AT_FDCWD, NULL, fd) < 0)
		return -1;
	return real(fd, len);
}

int ftruncate64(int fd, off_t len)
{
	return ftruncate(fd, len);
}

/* posix_fallocate answers with the error itself, not through errno. */
int posix_fallocate(int fd, off_t off, off_t len)
{
	SHIM_REAL(posix_fallocate);
	if (shim_boundary("fallocate", AT_FDCWD, NULL, fd) < 0)
		return errno;
	return real(fd, off, len);
}

int posix_fallocate64(int fd, off_t off, off_t len)
{
	return posix_fallocate(fd, off, len);
}

int renameat(int ofd, const char *old, int nfd, const char *new_)
{
	SHIM_REAL(renameat);
	if (shim_boundary("rename", nfd, new_, -1) < 0)
		return -1;
	return real(ofd, old, nfd, new_);
}

int rename(const char *old, const char *new_)
{
	return renameat(AT_FDCWD, old, AT_FDCWD, new_);
}

int renameat2(int ofd, const char *old, int nfd, const char *new_, unsigned flags)
{
	SHIM_REAL(renameat2);
	if (shim_boundary("rename", nfd, new_, -1) < 0)
		return -1;
	return real(ofd, old, nfd, new_, flags);
}

int linkat(int ofd, const char *old, int nfd, const char *new_, int flags)
{
	SHIM_REAL(linkat);
	if (shim_boundary("link", nfd, new_, -1) < 0)
		return -1;
	return real(ofd, old, nfd, new_, flags);
}

int link(const char *old, const char *new_)
{
	return linkat(AT_FDCWD, old, AT_FDCWD, new_, 0);
}

int unlinkat(int dfd, const char *path, int flags)
{
	SHIM_REAL(unlinkat);
	struct stat st;
	/* A file that is not there gives ENOENT, as it would on a full disk. */
	if (shim_boundary("unlink", dfd, path, -1) < 0 &&
	    (!shim_errno || fstatat(dfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0))
		return -1;
	return real(dfd, path, flags);
}

int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}
