/* util.c: allocation and string helpers. Out of memory is fatal: a ceremony
 * tool that half-records an event is worse than one that stops. */
#include "ck.h"
#include "util.h"

#include <sys/stat.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a fatal message must come after: with the wizard's screen up, a
 * message written to stderr lands in the screen that the terminal's restore
 * then erases. The wizard sets its restore here (ui/term.c). */
static void (*util_fatal_hook)(void);

void util_on_fatal(void (*restore)(void))
{
	util_fatal_hook = restore;
}

void util_fatal_begin(void)
{
	void (*restore)(void) = util_fatal_hook;
	util_fatal_hook = NULL; /* once, even if the restore itself fails */
	if (restore)
		restore();
}

void util_out_of_memory(void)
{
	util_fatal_begin();
	fputs("ckwizard: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		util_out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		util_out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		util_out_of_memory();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	/* Most results are short: formatted once into the stack and copied,
	 * not measured by a first pass and then formatted again (the step
	 * catalogue and the plan checks make thousands). The stack copy is
	 * wiped, as a caller may format a secret. */
	char tmp[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		util_out_of_memory();
	char *p = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof tmp)
		memcpy(p, tmp, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	util_wipe(tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void util_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

void util_free_secret(char *s)
{
	if (!s)
		return;
	util_wipe(s, strlen(s));
	free(s);
}

int util_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int util_strcaseeq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcasecmp(a, b) == 0;
}

int util_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t util_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

unsigned util_shared_file_mode(const char *dir)
{
	struct stat st;
	if (!dir || stat(dir, &st) != 0)
		return 0600;
	return util_group_shared(st.st_mode) ? 0660 : 0600;
}

bool util_group_shared(unsigned mode)
{
	return (mode & S_ISGID) && (mode & 0070) == 0070 && !(mode & 0007);
}

/* Whether the file at fd holds nothing but zeros (or nothing): a
 * reservation never written to. -1 when it cannot be read. */
static int util_only_zeros(int fd)
{
	char b[8192];
	ssize_t n;
	while ((n = read(fd, b, sizeof b)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (ssize_t i = 0; i < n; i++)
			if (b[i])
				return 0;
	}
	return 1;
}

/* The directory part of path ("." when it has none); caller frees. */
static char *util_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

/* Give tmp the name path without ever replacing a file: link(2). File
 * systems without hard links (FAT, exFAT) get rename(2) after a check that
 * the name is free: there another writer could slip in between, and a kill
 * between the two still leaves the name absent or whole. */
static int util_link_new(const char *tmp, const char *path)
{
	if (link(tmp, path) == 0)
		return 0;
	if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS)
		return -1;
	struct stat st;
	if (lstat(path, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(tmp, path);
}

int util_newfile_open(struct util_newfile *nf, const char *path, unsigned mode, size_t reserve)
{
	nf->dir = util_dir_of(path);
	nf->path = xstrdup(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	nf->tmp = xasprintf("%s/.%s.XXXXXX", nf->dir, base);
	nf->reserved = reserve > 0;
	nf->keep = nf->linked = false;
	nf->fd = mkostemp(nf->tmp, O_CLOEXEC); /* 0600, O_EXCL, never through a link */
	if (nf->fd < 0) {
		util_newfile_close(nf);
		return -1;
	}
	(void)fchmod(nf->fd, (mode_t)mode);
	/* posix_fallocate answers with the error, not through errno */
	int e = reserve ? posix_fallocate(nf->fd, 0, (off_t)reserve) : 0;
	if (e) {
		util_newfile_close(nf);
		errno = e;
		return -1;
	}
	return 0;
}

/* Whether name is util_newfile_open's for base: ".BASE." and the six
 * letters or digits mkostemp puts in place of XXXXXX. */
static bool util_newfile_name(const char *name, const char *base, size_t blen)
{
	if (name[0] != '.' || strncmp(name + 1, base, blen) != 0 || name[1 + blen] != '.' ||
	    strlen(name) != blen + 8)
		return false;
	for (const char *c = name + blen + 2; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
			return false;
	return true;
}

char *util_newfile_leftover(const char *path)
{
	char *dir = util_dir_of(path), *kept = NULL;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t blen = strlen(base);
	struct stat named, st;
	bool has_name = lstat(path, &named) == 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && !kept && (e = readdir(d))) {
		if (!util_newfile_name(e->d_name, base, blen))
			continue;
		char *tmp = strcmp(dir, ".") == 0 ? xstrdup(e->d_name)
						  : xasprintf("%s/%s", dir, e->d_name);
		/* a regular file only (never a FIFO's blocking open); killed
		 * between the link and the close, it is the saved file's second
		 * name, nothing more */
		int zeros = -1;
		if (lstat(tmp, &st) == 0 && S_ISREG(st.st_mode)) {
			if (has_name && st.st_dev == named.st_dev && st.st_ino == named.st_ino) {
				zeros = 1;
			} else {
				int fd = open(tmp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
				zeros = fd >= 0 ? util_only_zeros(fd) : -1;
				if (fd >= 0)
					close(fd);
			}
		}
		if (zeros == 1)
			(void)unlink(tmp);
		if (zeros == 0)
			kept = tmp;
		else
			free(tmp);
	}
	if (d)
		closedir(d);
	free(dir);
	return kept;
}

int util_newfile_commit(struct util_newfile *nf, const void *data, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(nf->fd, (const char *)data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		off += (size_t)w;
	}
	/* the reservation beyond the data given back before the name is */
	if ((nf->reserved && ftruncate(nf->fd, (off_t)len) != 0) || fsync(nf->fd) != 0 ||
	    util_link_new(nf->tmp, nf->path) != 0)
		return -1;
	int dfd = open(nf->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) != 0) {
		int e = errno;
		if (nf->keep)
			nf->linked = true; /* the caller says where it is */
		else
			(void)unlink(nf->path); /* not durable: take the name back */
		if (dfd >= 0)
			close(dfd);
		errno = e;
		return -1;
	}
	close(dfd);
	return 0;
}

void util_newfile_close(struct util_newfile *nf)
{
	int e = errno;
	if (nf->fd >= 0) {
		close(nf->fd);
		(void)unlink(nf->tmp); /* after the link, only a second name */
	}
	nf->fd = -1;
	free(nf->tmp);
	free(nf->dir);
	free(nf->path);
	nf->tmp = nf->dir = nf->path = NULL;
	errno = e;
}

int util_write_new_file(const char *path, const void *data, size_t len, unsigned mode)
{
	struct util_newfile nf;
	if (util_newfile_open(&nf, path, mode, 0) != 0)
		return -1;
	int rc = util_newfile_commit(&nf, data, len);
	util_newfile_close(&nf);
	return rc;
}

int util_dl_load(const char *soname, const struct util_dl_sym *syms, size_t n, void *fns,
		 const char **what)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		*what = dlerror();
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(h, syms[i].name);
		if (!p) {
			*what = syms[i].name;
			dlclose(h);
			return -2;
		}
		/* a data pointer to a function pointer: memcpy, as dlsym(3) advises */
		memcpy((char *)fns + syms[i].off, &p, sizeof p);
	}
	return 0;
}
